"""Step 2 pages. Class-based views over the foundation's OrganizationMixin throughout."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from integration_hub import jobs as job_services
from integration_hub import permissions, tasks
from integration_hub.crud import (
    OrganizationCreateView,
    OrganizationDeleteView,
    OrganizationDetailView,
    OrganizationUpdateView,
)
from integration_hub.inputs import parse_id
from integration_hub.listing import OrganizationListView, csv_response
from integration_hub.tenancy import OrganizationMixin
from stakeholders import selectors, services
from stakeholders.forms import (
    CommitmentFilter,
    CommitmentForm,
    CommitmentStatusForm,
    EngagementFilter,
    EngagementForm,
    ImportForm,
    StakeholderFilter,
    StakeholderForm,
)
from stakeholders.letters import draft_letter, letter_stories, story_paragraph
from stakeholders.models import Commitment, Engagement, Stakeholder

FORM_TEMPLATE = "stakeholders/form_page.html"


def _model_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in form._meta.fields}


def _safe_next(request) -> str | None:
    """The page a link came from (?next=), when it is one of ours."""
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return None


# --- Stakeholders -----------------------------------------------------------------------


class StakeholderListView(OrganizationListView):
    model = Stakeholder
    template_name = "stakeholders/stakeholder_list.html"
    search_fields = ("name", "role_title", "affiliation", "tags", "notes")
    filterset_class = StakeholderFilter
    csv_columns = (
        (gettext_lazy("name"), "name"),
        (gettext_lazy("role_title"), "role_title"),
        (gettext_lazy("affiliation"), "affiliation"),
        (gettext_lazy("sector"), "get_sector_display"),
        (gettext_lazy("influence"), "get_influence_display"),
        (gettext_lazy("stance"), "get_stance_display"),
        (gettext_lazy("speaks_for"), "get_speaks_for_display"),
        (gettext_lazy("email"), "email"),
        (gettext_lazy("phone"), "phone"),
        (gettext_lazy("tags"), "tags"),
        (gettext_lazy("notes"), "notes"),
        (gettext_lazy("last_engagement"), "last_engagement_date"),
        (gettext_lazy("open_commitments"), lambda s: s.open_commitment_count or 0),
    )

    def get_queryset(self):
        return selectors.stakeholder_list(self.organization, base=super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search_placeholder=_("Name, title, organisation, tag…"), section="list", **kwargs
        )


class StakeholderDetailView(OrganizationDetailView):
    model = Stakeholder
    template_name = "stakeholders/stakeholder_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=selectors.stakeholder_page(self.object),
            today=timezone.localdate(),
            statuses=Commitment.Status.choices,
            **kwargs,
        )


class StakeholderCreateView(OrganizationCreateView):
    template_name = FORM_TEMPLATE
    model = Stakeholder
    form_class = StakeholderForm
    page_title = gettext_lazy("New stakeholder")
    cancel_url = reverse_lazy("stakeholders:index")

    def form_valid(self, form):
        self.object = services.stakeholder_create(
            organization=self.organization, created_by=self.request.user, **_model_fields(form)
        )
        messages.success(self.request, _("%(object)s was added.") % {"object": self.object})
        return redirect(self.object)


class StakeholderUpdateView(OrganizationUpdateView):
    template_name = FORM_TEMPLATE
    model = Stakeholder
    form_class = StakeholderForm

    def form_valid(self, form):
        self.object = services.stakeholder_update(
            stakeholder=self.object, changed_by=self.request.user, **_model_fields(form)
        )
        messages.success(self.request, _("Your changes to %(object)s were saved.") % {"object": self.object})
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(delete_url=reverse("stakeholders:delete", args=[self.object.pk]), **kwargs)


class StakeholderDeleteView(OrganizationDeleteView):
    model = Stakeholder
    success_url = reverse_lazy("stakeholders:index")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.object.get_absolute_url(), **kwargs)


class StanceGridView(OrganizationMixin, TemplateView):
    template_name = "stakeholders/grid.html"

    def get_context_data(self, **kwargs):
        rows = selectors.stance_grid(self.organization)
        win_over = [cell for _row, cells in rows for cell in cells if cell.win_over and cell.count]
        return super().get_context_data(
            rows=rows,
            win_over=win_over,
            total=sum(cell.count for _row, cells in rows for cell in cells),
            truncated=any(cell.more for _row, cells in rows for cell in cells),
            names_per_cell=settings.STANCE_GRID_NAMES,
            stances=Stakeholder.Stance.choices,
            section="grid",
            **kwargs,
        )


class StakeholderImportView(OrganizationMixin, FormView):
    permission = permissions.EDIT
    template_name = "stakeholders/import.html"
    form_class = ImportForm

    def get_form_kwargs(self):
        # A plain form: no organisation-scoped choices to pass.
        return FormView.get_form_kwargs(self)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section="import",
            columns=services.IMPORT_COLUMNS,
            sectors=Stakeholder.Sector.choices,
            stances=Stakeholder.Stance.choices,
            influences=Stakeholder.Influence.choices,
            **kwargs,
        )

    def form_valid(self, form):
        """Checks the file's shape here (cheap), then imports it in the background and sends the
        user to the job's page, which shows the progress and then the outcome."""
        upload = form.cleaned_data["file"]
        try:
            raw = services.stakeholders_import_check(organization=self.organization, upload=upload)
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        job = job_services.job_create(
            organization=self.organization,
            kind=services.IMPORT_JOB,
            created_by=self.request.user,
            upload=raw,
            upload_name=upload.name,
        )
        tasks.enqueue_job(job.pk)
        return redirect("job_detail", pk=job.pk)


class ImportTemplateView(OrganizationMixin, View):
    def get(self, request):
        response = csv_response("stakeholders-template", list(services.IMPORT_COLUMNS), [])
        response["Content-Disposition"] = 'attachment; filename="stakeholders-template.csv"'
        return response


class ThankYouLetterMixin(OrganizationMixin):
    """The draft letter and the stories that may go in it (those shared with officials)."""

    template_name = "stakeholders/thank_you.html"

    def letter_context(self, stakeholder, commitment=None) -> dict:
        stories = letter_stories(stakeholder=stakeholder, organization=self.organization)
        letter = draft_letter(
            stakeholder=stakeholder,
            organization=self.organization,
            author=self.request.user,
            commitment=commitment,
            story=stories[0] if stories else None,
        )
        return {
            "stakeholder": stakeholder,
            "commitment": commitment,
            "stories": [(story, story_paragraph(story)) for story in stories],
            "letter": letter,
        }


class StakeholderThankYouView(ThankYouLetterMixin, TemplateView):
    def get(self, request, pk):
        self.stakeholder = get_object_or_404(Stakeholder.objects.for_organization(self.organization), pk=pk)
        if not self.stakeholder.is_supportive:
            messages.info(
                request,
                _("The thank-you letter is for supportive stakeholders and champions; %(who)s is %(stance)s.")
                % {"who": self.stakeholder.name, "stance": self.stakeholder.get_stance_display().lower()},
            )
            return redirect(self.stakeholder)
        return super().get(request, pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.letter_context(self.stakeholder), **kwargs)


# --- Engagements ------------------------------------------------------------------------


class EngagementListView(OrganizationListView):
    model = Engagement
    template_name = "stakeholders/engagement_list.html"
    search_fields = ("summary", "feedback", "stakeholders__name")
    filterset_class = EngagementFilter
    csv_columns = (
        (gettext_lazy("date"), "date"),
        (gettext_lazy("kind"), "get_kind_display"),
        (gettext_lazy("stakeholders"), lambda e: "; ".join(s.name for s in e.stakeholders.all())),
        (gettext_lazy("staff"), lambda e: "; ".join(str(u) for u in e.staff.all())),
        (gettext_lazy("summary"), "summary"),
        (gettext_lazy("feedback heard"), "feedback"),
        (gettext_lazy("follow-up date"), "follow_up_date"),
    )

    def get_queryset(self):
        # Searching across the M2M can match one engagement twice.
        return selectors.engagement_list(self.organization, base=super().get_queryset().distinct())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search_placeholder=_("Summary, feedback, stakeholder…"), section="engagements",
            today=timezone.localdate(), **kwargs,
        )  # fmt: skip


class EngagementCreateView(OrganizationCreateView):
    template_name = FORM_TEMPLATE
    model = Engagement
    form_class = EngagementForm
    page_title = gettext_lazy("Log an engagement")
    cancel_url = reverse_lazy("stakeholders:engagement_list")
    success_message = gettext_lazy("The engagement was logged.")

    def get_initial(self):
        initial = {"date": timezone.localdate(), "staff": [self.request.user.pk]}
        stakeholder = parse_id(self.request.GET.get("stakeholder"))
        if stakeholder:
            initial["stakeholders"] = [stakeholder]
        return initial

    def get_success_message(self, cleaned_data):
        return self.success_message

    def get_success_url(self):
        stakeholders = self.object.stakeholders.all()[:2]
        if len(stakeholders) == 1:
            return stakeholders[0].get_absolute_url()
        return reverse("stakeholders:engagement_list")


class EngagementUpdateView(OrganizationUpdateView):
    template_name = FORM_TEMPLATE
    model = Engagement
    form_class = EngagementForm
    success_message = gettext_lazy("The engagement was saved.")

    def get_success_message(self, cleaned_data):
        return self.success_message

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=reverse("stakeholders:engagement_list"), page_title=_("Edit %(e)s") % {"e": self.object},
            delete_url=reverse("stakeholders:engagement_delete", args=[self.object.pk]), **kwargs,
        )  # fmt: skip


class EngagementDeleteView(OrganizationDeleteView):
    """Back to where the link came from (a stakeholder's timeline), else the log."""

    model = Engagement

    def get_success_url(self):
        return _safe_next(self.request) or reverse("stakeholders:engagement_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


# --- Commitments ------------------------------------------------------------------------


class CommitmentListView(OrganizationListView):
    model = Commitment
    template_name = "stakeholders/commitment_list.html"
    search_fields = ("promise", "evidence", "stakeholder__name")
    filterset_class = CommitmentFilter
    csv_columns = (
        (gettext_lazy("stakeholder"), "stakeholder.name"),
        (gettext_lazy("what was promised"), "promise"),
        (gettext_lazy("made on"), "made_on"),
        (gettext_lazy("due date"), "due_date"),
        (gettext_lazy("status"), "get_status_display"),
        (gettext_lazy("evidence"), "evidence"),
    )

    def get_queryset(self):
        return selectors.commitment_list(self.organization, base=super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search_placeholder=_("Promise, evidence, stakeholder…"), section="commitments",
            today=timezone.localdate(), statuses=Commitment.Status.choices, **kwargs,
        )  # fmt: skip


class CommitmentCreateView(OrganizationCreateView):
    template_name = FORM_TEMPLATE
    model = Commitment
    form_class = CommitmentForm
    page_title = gettext_lazy("Record a commitment")
    cancel_url = reverse_lazy("stakeholders:commitment_list")
    success_message = gettext_lazy("The commitment was recorded.")

    def form_valid(self, form):
        # Commitment reaches its organisation through the stakeholder (tenant_path); no own FK.
        self.object = form.save()
        messages.success(self.request, self.success_message)
        return redirect(self.object.stakeholder.get_absolute_url() + "#commitments")

    def get_initial(self):
        stakeholder = parse_id(self.request.GET.get("stakeholder"))
        return {"stakeholder": stakeholder} if stakeholder else {}


class CommitmentUpdateView(OrganizationUpdateView):
    template_name = FORM_TEMPLATE
    model = Commitment
    form_class = CommitmentForm

    def get_success_url(self):
        return self.object.stakeholder.get_absolute_url() + "#commitments"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cancel_url=reverse("stakeholders:commitment_list"),
            delete_url=reverse("stakeholders:commitment_delete", args=[self.object.pk]),
            **kwargs,
        )


class CommitmentDeleteView(OrganizationDeleteView):
    """Back to the stakeholder who made the commitment."""

    model = Commitment

    def get_queryset(self):
        return super().get_queryset().select_related("stakeholder")

    def get_success_url(self):
        return self.object.stakeholder.get_absolute_url() + "#commitments"

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


class CommitmentStatusView(OrganizationMixin, View):
    permission = permissions.EDIT
    http_method_names = ["post"]

    def post(self, request, pk):
        commitment = get_object_or_404(Commitment.objects.for_organization(self.organization), pk=pk)
        form = CommitmentStatusForm(request.POST)
        if form.is_valid():
            services.commitment_set_status(commitment=commitment, **form.cleaned_data)
            messages.success(
                request,
                _("“%(promise)s” is now %(status)s.")
                % {"promise": commitment.promise, "status": commitment.get_status_display().lower()},
            )
        else:
            messages.error(request, _("Choose a valid status."))
        next_url = request.POST.get("next")
        if next_url == "list":
            return redirect("stakeholders:commitment_list")
        return redirect(commitment.stakeholder.get_absolute_url() + "#commitments")


class CommitmentThankYouView(ThankYouLetterMixin, TemplateView):
    def get(self, request, pk):
        self.commitment = get_object_or_404(
            Commitment.objects.for_organization(self.organization).select_related("stakeholder"), pk=pk
        )
        if self.commitment.status != Commitment.Status.KEPT:
            messages.info(request, _("The thank-you letter is for kept commitments; mark it kept first."))
            return redirect(self.commitment.stakeholder.get_absolute_url() + "#commitments")
        return super().get(request, pk=pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.letter_context(self.commitment.stakeholder, self.commitment), **kwargs)
