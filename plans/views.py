"""Plan pages. Thin: the contents come from plans.selectors, writes from plans.services."""

from pathlib import Path

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import FormView
from weasyprint import CSS, HTML

from integration_hub import permissions, throttling
from integration_hub.crud import OrganizationCreateView, OrganizationDeleteView, OrganizationUpdateView
from integration_hub.inputs import parse_id
from integration_hub.listing import OrganizationListView
from integration_hub.tenancy import OrganizationMixin

from . import selectors, services
from .forms import EndorsementForm, EndorsementRequestForm, PlanForm, StoryForm
from .models import Endorsement, Plan, PlanVersion, Story

PDF_CSS = Path(__file__).with_name("pdf.css")
ENDORSEMENT_MISSES = throttling.Limit("endorse-miss", "ENDORSEMENT_WRONG_LINKS_PER_IP", 10 * 60)
PUBLIC_PAGE_MISSES = throttling.Limit("public-miss", "PUBLIC_PAGE_WRONG_LINKS_PER_IP", 10 * 60)


def _language(value) -> str:
    value = (value or "").lower()[:2]
    return value if value in selectors.LANGUAGES else (translation.get_language() or settings.LANGUAGE_CODE)[:2]


class PlanListView(OrganizationListView):
    model = Plan
    template_name = "plans/plan_list.html"
    search_fields = ("title", "community")

    def get_base_queryset(self):
        return selectors.plan_list(self.organization)


class PlanSaveMixin:
    """Create and edit save through services.plan_save, which checks the picks again."""

    form_class = PlanForm

    def form_valid(self, form):
        plan = form.save(commit=False)
        plan.organization = self.organization
        picks = {name: form.cleaned_data.get(name, []) for name in services.PICKS}
        try:
            self.object = services.plan_save(plan=plan, picks=picks)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(form.cleaned_data))
        return redirect(self.object.get_absolute_url())


class PlanCreateView(PlanSaveMixin, OrganizationCreateView):
    model = Plan
    page_title = gettext_lazy("New plan")
    cancel_url = reverse_lazy("plans:index")


class PlanUpdateView(PlanSaveMixin, OrganizationUpdateView):
    model = Plan


class PlanDeleteView(OrganizationDeleteView):
    model = Plan
    success_url = reverse_lazy("plans:index")


class PlanDetailView(OrganizationMixin, View):
    """The plan as it reads today, live from the four steps, with its versions and endorsements."""

    def get(self, request, pk):
        plan = get_object_or_404(Plan.objects.for_organization(self.organization), pk=pk)
        latest = selectors.latest_version(plan)
        endorsements = selectors.endorsements_for(latest) if latest else []
        context = {
            "plan": plan,
            "contents": selectors.plan_contents(plan, _language(None)),
            "versions": plan.versions.order_by("-number"),
            "latest": latest,
            "endorsements": endorsements,
            "endorsement_counts": selectors.endorsement_counts(endorsements),
            "stories": selectors.plan_stories(plan),
            "live": True,
            **(public_page_links(request, plan) if plan.is_public else {}),
        }
        return render(request, "plans/plan_detail.html", context)


def public_page_links(request, plan: Plan) -> dict:
    """The public page's link, and the HTML staff copy to embed it on their own site."""
    embed_url = request.build_absolute_uri(reverse("plans:public_embed", args=[plan.public_slug]))
    snippet = (
        f'<iframe src="{escape(embed_url)}" title="{escape(plan.title)}" width="100%" height="900" '
        'loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )
    return {
        "public_url": request.build_absolute_uri(reverse("plans:public", args=[plan.public_slug])),
        "embed_snippet": snippet,
    }


class PlanPublishView(OrganizationMixin, View):
    permission = permissions.EDIT

    def post(self, request, pk):
        plan = get_object_or_404(Plan.objects.for_organization(self.organization), pk=pk)
        version = services.version_publish(plan=plan, published_by=request.user)
        messages.success(request, _("Version %(number)s was published.") % {"number": version.number})
        return redirect(version.get_absolute_url())


class PublicPageToggleView(OrganizationMixin, View):
    """An admin turns the plan's public progress page on or off."""

    permission = permissions.ADMIN

    def post(self, request, pk):
        plan = get_object_or_404(Plan.objects.for_organization(self.organization), pk=pk)
        public = request.POST.get("public") == "on"
        try:
            services.public_page_set(plan=plan, public=public)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if public:
                messages.success(request, _("The public page is on: anyone with its link can read it."))
            else:
                messages.success(request, _("The public page is off: its link no longer opens anything."))
        return redirect(plan.get_absolute_url())


class VersionMixin(OrganizationMixin):
    def get_version(self, pk, number) -> PlanVersion:
        # A 30-digit id fits no column (SQLite cannot even bind it through a relation): no row.
        if parse_id(str(pk)) is None or parse_id(str(number)) is None:
            raise Http404
        try:
            return selectors.version_detail(self.organization, pk, number)
        except PlanVersion.DoesNotExist as missing:
            raise Http404 from missing


class VersionDetailView(VersionMixin, View):
    def get(self, request, pk, number):
        version = self.get_version(pk, number)
        endorsements = selectors.endorsements_for(version)
        context = {
            "plan": version.plan,
            "version": version,
            "contents": version.contents(_language(None)),
            "endorsements": endorsements,
            "endorsement_counts": selectors.endorsement_counts(endorsements),
            "stories": selectors.plan_stories(version.plan),
            "languages": settings.LANGUAGES,
        }
        return render(request, "plans/version_detail.html", context)


def version_pdf(version: PlanVersion, language: str) -> bytes:
    endorsements = [e for e in selectors.endorsements_for(version) if e.decision == Endorsement.Decision.ENDORSED]
    with translation.override(language):
        html = render_to_string(
            "plans/version_pdf.html",
            {
                "version": version,
                "contents": version.contents(language),
                "endorsements": endorsements,
                "lang": language,
            },
        )
    stylesheet = CSS(string=PDF_CSS.read_text(encoding="utf-8"), url_fetcher=_no_fetching)
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=[stylesheet])


def _no_fetching(url, *args, **kwargs):
    """The PDF needs nothing from outside its HTML: refuse every URL (no server-side requests)."""
    raise ValueError(f"not fetched: {url[:80]}")


class VersionPdfView(VersionMixin, View):
    def get(self, request, pk, number):
        version = self.get_version(pk, number)
        language = _language(request.GET.get("lang"))
        response = HttpResponse(version_pdf(version, language), content_type="application/pdf")
        name = slugify(f"{version.plan.title} v{version.number} {language}") or "plan"
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response


class EndorsementRequestView(VersionMixin, FormView):
    """Pick stakeholders; each gets a private link, shown once here (only its hash is kept)."""

    permission = permissions.EDIT
    form_class = EndorsementRequestForm
    template_name = "plans/endorsement_request.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is not None:
            self.version = self.get_version(kwargs["pk"], kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.version}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "version": self.version, "plan": self.version.plan}

    def form_valid(self, form):
        asked = services.endorsements_request(version=self.version, stakeholders=form.cleaned_data["stakeholders"])
        links = [
            (endorsement, self.request.build_absolute_uri(reverse("plans:endorse", args=[token])))
            for endorsement, token in asked
        ]
        messages.success(
            self.request,
            ngettext(
                "%(count)d stakeholder was asked to endorse version %(number)s.",
                "%(count)d stakeholders were asked to endorse version %(number)s.",
                len(links),
            )
            % {"count": len(links), "number": self.version.number},
        )
        return render(
            self.request,
            "plans/endorsement_links.html",
            {"version": self.version, "plan": self.version.plan, "links": links},
        )


@method_decorator(never_cache, name="dispatch")
class EndorseView(View):
    """The stakeholder's private page: read the published version, endorse or decline.

    No login. A wrong link answers 404, and too many wrong links from one address answer 429
    for a while, so links cannot be guessed at speed."""

    template_name = "plans/public/endorse.html"

    def dispatch(self, request, token):
        self.language = _language(request.GET.get("lang") or request.POST.get("lang"))
        client = throttling.client_address(request)
        if ENDORSEMENT_MISSES.exceeded(client):
            with translation.override(self.language):
                return render(
                    request, "plans/public/endorse_missing.html", {"busy": True, "lang": self.language}, status=429
                )
        self.endorsement = selectors.endorsement_by_token(token)
        if self.endorsement is None:
            ENDORSEMENT_MISSES.hit(client)
            with translation.override(self.language):
                return render(request, "plans/public/endorse_missing.html", {"lang": self.language}, status=404)
        with translation.override(self.language):
            return super().dispatch(request, token)

    def get(self, request, token):
        return self.render_page(EndorsementForm())

    def post(self, request, token):
        form = EndorsementForm(request.POST)
        if self.endorsement.decision or request.POST.get("answer") not in ("endorse", "decline"):
            return self.render_page(form, status=400)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            services.endorsement_answer(
                endorsement=self.endorsement,
                endorse=request.POST["answer"] == "endorse",
                name=form.cleaned_data["signed_name"],
                title=form.cleaned_data["signed_title"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_page(form, status=400)
        return redirect(f"{reverse('plans:endorse', args=[token])}?lang={self.language}")

    def render_page(self, form, status=200):
        self.endorsement.refresh_from_db()
        version = self.endorsement.version
        context = {
            "endorsement": self.endorsement,
            "version": version,
            "contents": version.contents(self.language),
            "stories": selectors.plan_stories(version.plan),
            "form": form,
            "lang": self.language,
            "languages": settings.LANGUAGES,
        }
        return render(self.request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
class PublicPageView(View):
    """The plan's public progress page: no login, nothing personal. It shows the latest published
    version as it was frozen (what the organisation chose to publish), the latest events'
    attendance by side with small counts hidden, and only stories whose consent is public.

    Read on every request (never cached), so turning the page off answers 404 at once. A wrong
    link answers 404, and too many from one address 429 for a while, as with endorsement links."""

    template_name = "plans/public/progress.html"
    embed = False

    def get(self, request, slug):
        language = _language(request.GET.get("lang"))
        client = throttling.client_address(request)
        if PUBLIC_PAGE_MISSES.exceeded(client):
            return self.missing(language, status=429)
        plan = selectors.public_plan(slug)
        version = selectors.latest_version(plan) if plan else None
        if version is None:
            PUBLIC_PAGE_MISSES.hit(client)
            return self.missing(language, status=404)
        with translation.override(language):
            context = {
                "plan": plan,
                "version": version,
                "contents": version.contents(language),
                "events": selectors.public_events(plan),
                "stories": selectors.plan_stories(plan, scope=Story.Scope.PUBLIC),
                "lang": language,
                "languages": settings.LANGUAGES,
                "embed": self.embed,
            }
            return render(request, self.template_name, context)

    def missing(self, language, status):
        with translation.override(language):
            context = {"busy": status == 429, "lang": language}
            return render(self.request, "plans/public/public_missing.html", context, status=status)


# The embed alone may be framed, by the sites settings.PUBLIC_PAGE_FRAME_ANCESTORS allows;
# every other page keeps frame-ancestors 'none' and X-Frame-Options DENY.
@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": settings.PUBLIC_PAGE_FRAME_ANCESTORS}), name="dispatch")
class PublicEmbedView(PublicPageView):
    template_name = "plans/public/progress_embed.html"
    embed = True


class StoryListView(OrganizationListView):
    model = Story
    template_name = "plans/story_list.html"
    search_fields = ("title", "text", "pseudonym", "initiative__title")

    def get_base_queryset(self):
        return selectors.story_list(self.organization)


class StoryCreateView(OrganizationCreateView):
    model = Story
    form_class = StoryForm
    page_title = gettext_lazy("New story")
    cancel_url = reverse_lazy("plans:story_list")
    intro = gettext_lazy(
        "Record the story under a pseudonym, with nothing that identifies anyone, and how far its consent reaches."
    )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "intro": self.intro}

    def get_success_url(self):
        return reverse("plans:story_list")


class StoryUpdateView(OrganizationUpdateView):
    model = Story
    form_class = StoryForm

    def get_success_url(self):
        return reverse("plans:story_list")


class StoryWithdrawView(OrganizationDeleteView):
    """Consent withdrawn: the story is deleted, and with it from every plan and page."""

    model = Story
    template_name = "plans/story_withdraw.html"
    success_url = reverse_lazy("plans:story_list")

    def form_valid(self, form):
        services.story_withdraw(story=self.object)
        messages.success(self.request, _("Consent withdrawn: the story was removed everywhere."))
        return redirect(self.success_url)
