"""Step 4 pages. Class-based, over the foundation's crud and listing views: each reaches
rows only through the organisation's scoped querysets (another organisation's id is 404)."""

import hashlib
from datetime import date
from decimal import Decimal
from functools import cached_property

import django_filters
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from evaluations import caching, ical, metrics, selectors, services
from evaluations.forms import (
    IndicatorAdoptForm,
    IndicatorForm,
    MeasurementForm,
    MeasurementImportForm,
    QuickEntryForm,
    ReviewHoldForm,
    ReviewScheduleForm,
    SharedIndicatorForm,
)
from evaluations.models import CalendarFeed, EvaluationReview, Indicator, Measurement, Reminder, SharedIndicator
from initiatives.models import Initiative
from integration_hub import jobs as job_services
from integration_hub import permissions, tasks
from integration_hub.choices import WelcomingStandard
from integration_hub.crud import (
    OrganizationActionView,
    OrganizationCreateView,
    OrganizationDeleteView,
    OrganizationDetailView,
    OrganizationFormView,
    OrganizationUpdateView,
    OwnMembershipMixin,
    ParentMixin,
)
from integration_hub.inputs import parse_date
from integration_hub.listing import OrganizationFilterSet, OrganizationListView, csv_response, paginate_section
from integration_hub.network import NetworkMixin, set_state_choices
from integration_hub.tenancy import OrganizationMixin


class IndexView(OrganizationMixin, TemplateView):
    """Every indicator and initiative, and the overdue reviews, each list paginated on its own."""

    template_name = "evaluations/index.html"

    def get_context_data(self, **kwargs):
        organization, today, request = self.organization, timezone.localdate(), self.request
        indicators = paginate_section(
            request, selectors.organization_indicators(organization), "page", anchor="indicators-heading"
        )
        return super().get_context_data(
            rows=selectors.with_progress(indicators),
            indicator_page=indicators,
            counts=selectors.indicator_status_counts(organization),
            initiatives=paginate_section(
                request,
                selectors.initiatives_with_indicator_counts(organization),
                "initiatives",
                anchor="initiatives-heading",
            ),
            overdue=paginate_section(
                request,
                selectors.overdue_reviews(organization, today),
                "overdue",
                per_page=settings.SUMMARY_ROWS,
                anchor="overdue-heading",
            ),
            upcoming=selectors.upcoming_reviews(organization, today, days=60)[:10],
            today=today,
            **kwargs,
        )


class InitiativeDetailView(OrganizationDetailView):
    model = Initiative
    template_name = "evaluations/initiative_detail.html"
    context_object_name = "initiative"

    def get_context_data(self, **kwargs):
        initiative = self.object
        return super().get_context_data(
            rows=selectors.initiative_indicator_rows(initiative),
            schedule=selectors.review_schedule(initiative),
            reviews=selectors.initiative_reviews(initiative),
            today=timezone.localdate(),
            **kwargs,
        )


class _InitiativeFormMixin(ParentMixin):
    """A form page under one initiative, leading back to its evaluation page."""

    parent_model = Initiative

    def get_cancel_url(self):
        return reverse("evaluations:initiative_detail", args=[self.parent.pk])

    def get_success_url(self):
        return self.get_cancel_url()


# --- indicators --------------------------------------------------------------------------------


class _IndicatorMixin:
    model = Indicator

    def get_queryset(self):
        return super().get_queryset().select_related("initiative")


class IndicatorCreateView(_InitiativeFormMixin, OrganizationCreateView):
    model = Indicator
    form_class = IndicatorForm
    success_message = gettext_lazy("Indicator “%(name)s” was added.")

    def form_valid(self, form):
        form.instance.initiative = self.parent
        return super().form_valid(form)

    def get_success_message(self, cleaned_data):
        return self.success_message % {"name": self.object.name}

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        title = _("New indicator for %(title)s") % {"title": self.parent.title}
        return super().get_context_data(page_title=title, cancel_url=self.get_cancel_url(), **kwargs)


class IndicatorDetailView(_IndicatorMixin, OrganizationDetailView):
    template_name = "evaluations/indicator_detail.html"
    context_object_name = "indicator"

    def get_context_data(self, **kwargs):
        indicator = self.object
        return super().get_context_data(
            progress=selectors.indicator_progress(indicator),
            measurements=selectors.indicator_measurements(indicator),
            chart=selectors.measurements_for_chart(indicator),
            **kwargs,
        )


class IndicatorUpdateView(_IndicatorMixin, OrganizationUpdateView):
    form_class = IndicatorForm
    success_message = gettext_lazy("Your changes to “%(name)s” were saved.")

    def get_success_message(self, cleaned_data):
        return self.success_message % {"name": self.object.name}

    def get_context_data(self, **kwargs):
        title = _("Edit %(name)s") % {"name": self.object.name}
        return super().get_context_data(page_title=title, **kwargs)


class IndicatorDeleteView(_IndicatorMixin, OrganizationDeleteView):
    def get_success_url(self):
        return reverse("evaluations:initiative_detail", args=[self.object.initiative_id])

    def form_valid(self, form):
        success_url = self.get_success_url()
        self.object.delete()
        messages.success(self.request, _("“%(name)s” was deleted.") % {"name": self.object.name})
        return redirect(success_url)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.object.get_absolute_url(), **kwargs)


# --- measurements ------------------------------------------------------------------------------


class MeasurementCreateView(ParentMixin, OrganizationFormView):
    parent_model = Indicator
    form_class = MeasurementForm

    def get_parent_queryset(self):
        return super().get_parent_queryset().select_related("initiative")

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicator": self.parent}

    def form_valid(self, form):
        services.measurement_create(indicator=self.parent, entered_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("The measurement was recorded."))
        return redirect(self.parent)

    def get_page_title(self):
        return _("New measurement: %(name)s") % {"name": self.parent.name}

    def get_cancel_url(self):
        return self.parent.get_absolute_url()


class _MeasurementMixin:
    """A measurement's edit and delete pages, reached from its indicator's page and leading back there."""

    model = Measurement
    permission = permissions.EDIT

    def get_queryset(self):
        return super().get_queryset().select_related("indicator__initiative")

    def get_success_url(self):
        return self.object.indicator.get_absolute_url()


class MeasurementUpdateView(_MeasurementMixin, OrganizationUpdateView):
    form_class = MeasurementForm
    success_message = gettext_lazy("The measurement of %(object)s was saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicator": self.object.indicator}

    def get_success_message(self, cleaned_data):
        return self.success_message % {"object": self.object.indicator.name}

    def get_context_data(self, **kwargs):
        title = _("Edit the measurement of %(date)s: %(name)s") % {
            "date": date_format(self.object.date, "j M Y"),
            "name": self.object.indicator.name,
        }
        return super().get_context_data(page_title=title, cancel_url=self.get_success_url(), **kwargs)


class MeasurementDeleteView(_MeasurementMixin, OrganizationDeleteView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


class MeasurementQuickEntryView(_InitiativeFormMixin, OrganizationFormView):
    form_class = QuickEntryForm
    intro = gettext_lazy("Enter the values you have for one date; leave the others empty.")

    indicators = None

    def get(self, request, *args, **kwargs):
        return self._without_indicators() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._without_indicators() or super().post(request, *args, **kwargs)

    def _without_indicators(self):
        self.indicators = selectors.initiative_indicators(self.parent)
        if self.indicators:
            return None
        messages.info(self.request, _("Add an indicator first."))
        return redirect(self.get_cancel_url())

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicators": self.indicators}

    def form_valid(self, form):
        saved = services.measurements_record(rows=form.cleaned_data["rows"], entered_by=self.request.user)
        messages.success(
            self.request,
            ngettext("%(n)s value was recorded.", "%(n)s values were recorded.", len(saved)) % {"n": len(saved)},
        )
        return redirect(self.get_success_url())

    def get_page_title(self):
        return _("Record values: %(title)s") % {"title": self.parent.title}


# measurement_import is being reworked in its own change; it keeps these two helpers until then.
class MeasurementImportView(_InitiativeFormMixin, OrganizationFormView):
    """A CSV of values for this initiative's indicators: all or nothing, and a stored indicator
    and date is updated, so importing a file twice doubles nothing."""

    form_class = MeasurementImportForm

    def get_form_kwargs(self):
        self.indicators = list(Indicator.objects.filter(initiative=self.parent))
        return super().get_form_kwargs()

    def form_valid(self, form):
        """The file's shape is checked here (cheap); every line is checked and stored in the
        background, and the user is sent to the job's page, which shows the progress and then the
        outcome."""
        upload = form.cleaned_data["file"]
        job = job_services.job_create(
            organization=self.organization,
            kind=services.MEASUREMENT_IMPORT_JOB,
            created_by=self.request.user,
            upload=form.cleaned_data["text"].encode("utf-8"),
            upload_name=upload.name,
            params={"initiative": self.parent.pk},
        )
        tasks.enqueue_job(job.pk)
        return redirect("job_detail", pk=job.pk)

    def get_page_title(self):
        return _("Import measurements: %(title)s") % {"title": self.parent.title}

    def get_intro(self):
        names = ", ".join(i.name for i in self.indicators) or _("none yet")
        return _(
            "Nothing is stored unless every line is valid; errors name the line. A line whose indicator and date "
            "are already stored updates that value (importing a file twice doubles nothing); the same indicator "
            "and date twice in one file is refused. A file exported from an indicator page imports as it is. "
            "Indicators of this initiative: %(names)s."
        ) % {"names": names}


class MeasurementExportView(_IndicatorMixin, OrganizationDetailView):
    """An indicator's values as CSV, in the columns the import reads (so it imports back as it is)."""

    def render_to_response(self, context, **kwargs):
        indicator = self.object
        rows = (
            [indicator.name, m.date.isoformat(), m.value, m.note]
            for m in indicator.measurements.order_by("date", "pk").iterator()
        )
        header = [_("indicator"), _("date"), _("value"), _("note")]
        return csv_response(slugify(f"{indicator.name} measurements"), header, rows)


# --- reviews -----------------------------------------------------------------------------------


class ScheduleEditView(_InitiativeFormMixin, OrganizationFormView):
    form_class = ReviewScheduleForm

    def get_schedule(self):
        return selectors.review_schedule(self.parent)

    def get_form_kwargs(self):
        schedule = self.get_schedule()
        kwargs = super().get_form_kwargs()
        if schedule:
            kwargs["initial"] = {}
        return {**kwargs, "instance": schedule}

    def get_initial(self):
        return {"start_date": timezone.localdate(), "every": 3, "period": "months"}

    def form_valid(self, form):
        services.schedule_save(initiative=self.parent, today=timezone.localdate(), **form.cleaned_data)
        messages.success(self.request, _("The review schedule was saved; the next reviews are planned."))
        return redirect(self.get_success_url())

    def get_page_title(self):
        return _("Review schedule: %(title)s") % {"title": self.parent.title}


class _ReviewMixin:
    model = EvaluationReview
    context_object_name = "review"

    def get_queryset(self):
        return selectors.reviews(self.organization).select_related("schedule", "held_by")


class ReviewDetailView(_ReviewMixin, OrganizationDetailView):
    template_name = "evaluations/review_detail.html"

    def get_context_data(self, **kwargs):
        review = self.object
        reviewers = review.schedule.reviewers.all() if review.schedule else []
        return super().get_context_data(reviewers=reviewers, today=timezone.localdate(), **kwargs)


class ReviewHoldView(_ReviewMixin, OrganizationUpdateView):
    form_class = ReviewHoldForm
    intro = gettext_lazy(
        "Record what the review found. Keep feedback from newcomers and from the receiving community apart; "
        "the indicator values as of the review date are saved with it."
    )

    def get_initial(self):
        review = self.object
        return {"held_on": min(timezone.localdate(), review.due_date) if review.is_open else review.held_on}

    def form_valid(self, form):
        review = self.object
        services.review_hold(review=review, held_by=self.request.user, today=timezone.localdate(), **form.cleaned_data)
        messages.success(self.request, _("The review was recorded with today's indicator values."))
        return redirect(review)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page_title=str(self.object), intro=self.intro, **kwargs)


# --- reminders ---------------------------------------------------------------------------------


class ReminderFilter(OrganizationFilterSet):
    STATES = (
        ("sent", gettext_lazy("Sent")),
        ("pending", gettext_lazy("Pending")),
        ("failed", gettext_lazy("Failed")),
        ("skipped", gettext_lazy("Skipped")),
    )
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state")

    class Meta:
        model = Reminder
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        waiting = queryset.filter(sent_at__isnull=True, skipped_at__isnull=True)
        return {
            "sent": lambda: queryset.filter(sent_at__isnull=False),
            "pending": lambda: waiting.filter(last_error=""),
            "failed": lambda: waiting.exclude(last_error=""),
            "skipped": lambda: queryset.filter(skipped_at__isnull=False),
        }[value]()


class ReminderLogView(OrganizationListView):
    model = Reminder
    permission = permissions.ADMIN
    template_name = "evaluations/reminder_log.html"
    filterset_class = ReminderFilter
    context_object_name = "reminders"
    paginate_by = None
    limit = 200  # the page says "The newest 200 reminders."

    def get_base_queryset(self):
        return selectors.reminder_log(self.organization)

    def get_queryset(self):
        return super().get_queryset()[: self.limit]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            reminders=context["object_list"],
            state=self.request.GET.get("state", ""),
            states=[("", _("All")), *ReminderFilter.STATES],
        )
        return context


class ReminderRetryView(OrganizationActionView):
    permission = permissions.ADMIN

    def post(self, request, pk):
        reminder = get_object_or_404(Reminder.objects.for_organization(self.organization), pk=pk)
        services.reminder_retry(reminder=reminder)
        messages.success(request, _("The reminder will be sent again with the next sweep (within minutes)."))
        return redirect("evaluations:reminder_log")


# --- board -------------------------------------------------------------------------------------


def _report_range(request, today):
    """Date range from ?start=&end= (ISO dates); defaults to the last 12 months."""

    end = parse_date(request.GET.get("end"), today)
    start = parse_date(request.GET.get("start"), date(end.year - 1, end.month, 1))
    if start > end:
        start, end = end, start
    return start, end


class DashboardView(OrganizationMixin, TemplateView):
    template_name = "evaluations/dashboard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        body = caching.dashboard_body(self.organization, today)
        # Other affiliates' figures: outside the per-organisation cache, which their writes do not reach.
        peers = selectors.peer_comparison(self.organization, today)
        return super().get_context_data(body=body, peers=peers, min_peers=selectors.MIN_PEERS, today=today, **kwargs)


class ReportView(OrganizationMixin, TemplateView):
    template_name = "evaluations/report.html"

    def get_context_data(self, **kwargs):
        organization, today = self.organization, timezone.localdate()
        start, end = _report_range(self.request, today)
        context = super().get_context_data(**kwargs)
        context.update(selectors.dashboard(organization, today, start, end))
        held, held_total = selectors.held_reviews(organization, start, end)
        context.update(held=held, held_total=held_total, today=today, start=start, end=end)
        return context


# --- calendar ----------------------------------------------------------------------------------


class CalendarSettingsView(OwnMembershipMixin, TemplateView):
    """A member's own feed address. Any member may make one (board members
    too), so this is not an organisation-level write; it needs membership
    (permissions.require_membership: network-office viewers are not reviewers here)."""

    template_name = "evaluations/calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is None:
            return redirect("no_organization")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        token = services.calendar_feed_reset(organization=request.organization, user=request.user)
        feed_url = request.build_absolute_uri(reverse("evaluations:calendar_feed", args=[token]))
        messages.success(request, _("Your calendar address is ready. Copy it now: it is shown only once."))
        return self.render_to_response(self.get_context_data(feed_url=feed_url))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("feed_url", None)
        has_feed = selectors.has_calendar_feed(self.request.organization, self.request.user)
        return super().get_context_data(has_feed=has_feed, **kwargs)


class CalendarFeedView(View):
    """Public iCalendar feed; the secret token is the only key. In the member's language, with an
    ETag and Last-Modified so calendar programs fetch it again only when something changed
    (If-None-Match / If-Modified-Since answer 304). GET and HEAD only."""

    def get(self, request, token):
        feed = CalendarFeed.objects.by_token(token).select_related("organization", "user").first()
        if feed is None:
            raise Http404
        today = timezone.localdate()
        reviews = ical.with_changes(selectors.feed_reviews(feed, today))
        milestones = ical.with_changes(selectors.feed_milestones(feed, today))
        with translation.override(feed.user.language_in(feed.organization)):
            body = ical.render_feed(feed, reviews, base_url=request.build_absolute_uri("/"), milestones=milestones)
        digest = hashlib.sha256(body.encode()).hexdigest()
        if feed.content_hash != digest or feed.content_changed_at is None:
            feed.content_hash, feed.content_changed_at = digest, timezone.now().replace(microsecond=0)
            CalendarFeed.objects.filter(pk=feed.pk).update(
                content_hash=feed.content_hash, content_changed_at=feed.content_changed_at
            )
        etag = f'"{digest[:32]}"'
        changed = feed.content_changed_at.timestamp()
        response = get_conditional_response(request, etag=etag, last_modified=changed)
        if response is None:
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="reviews.ics"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(changed)
        response["Cache-Control"] = "private, max-age=300"
        return response


# --- the network: shared indicators and the evaluation roll-up ---------------------------------


class IndicatorAdoptView(_InitiativeFormMixin, OrganizationFormView):
    """An affiliate's editor measures one of the network's shared indicators on this initiative."""

    form_class = IndicatorAdoptForm

    def get_form_kwargs(self):
        adoptable = selectors.shared_indicators_adoptable(self.organization.pk)
        return {**super().get_form_kwargs(), "adoptable": adoptable}

    def form_valid(self, form):
        try:
            indicator = services.indicator_adopt(initiative=self.parent, **form.cleaned_data)
        except ValueError:
            form.add_error("shared_indicator", _("This shared indicator can no longer be adopted here."))
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” now counts in the network's roll-up.") % {"name": indicator.name})
        return redirect(indicator)

    def get_page_title(self):
        return _("Adopt a shared indicator for %(title)s") % {"title": self.parent.title}

    def get_intro(self):
        return _(
            "The network office defines these indicators so that affiliates add up like with like. "
            "Your measurements of it count in the network's roll-up and in the peer comparison on board dashboards."
        )


class _NetworkEditorMixin:
    """Pages that change the network's shared indicators: network editors only (403 for others)."""

    permission = permissions.EDIT

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is not None:
            permissions.require_network_editor(request.access)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.shared_indicators()


class SharedIndicatorFilter(OrganizationFilterSet):
    category = django_filters.ChoiceFilter(
        choices=WelcomingStandard.choices, label=gettext_lazy("Category"), empty_label=gettext_lazy("Any category")
    )
    retired = django_filters.BooleanFilter(
        field_name="retired_on", lookup_expr="isnull", exclude=True, label=gettext_lazy("Retired")
    )

    class Meta:
        model = SharedIndicator
        fields = ["category", "concerns", "retired"]


class SharedIndicatorListView(NetworkMixin, OrganizationListView):
    model = SharedIndicator
    template_name = "evaluations/shared_indicator_list.html"
    filterset_class = SharedIndicatorFilter
    search_fields = ("name", "definition")
    csv_filename = "network shared indicators"
    csv_columns = (
        (gettext_lazy("Shared indicator"), "name"),
        (gettext_lazy("Version"), "current_version.number"),
        (gettext_lazy("Unit"), "get_unit_display"),
        (gettext_lazy("Direction"), "get_direction_display"),
        (gettext_lazy("Measures"), "get_concerns_display"),
        (gettext_lazy("Welcoming Standard category"), "get_category_display"),
        (gettext_lazy("Network figure"), "get_aggregation_display"),
        (gettext_lazy("Adopted by affiliates"), "adoption_count"),
        (gettext_lazy("Retired on"), "retired_on"),
        (gettext_lazy("Definition"), "definition"),
    )

    def get_base_queryset(self):
        return selectors.shared_indicators().annotate(adoption_count=Count("adoptions")).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit_network=permissions.is_network_editor(self.request.access), **kwargs)


class SharedIndicatorDetailView(NetworkMixin, OrganizationDetailView):
    model = SharedIndicator
    template_name = "evaluations/shared_indicator_detail.html"
    context_object_name = "shared"

    def get_queryset(self):
        return selectors.shared_indicators()

    def get_context_data(self, **kwargs):
        shared = self.object
        return super().get_context_data(
            windows=selectors.version_windows(shared),
            adoptions=shared.adoptions.count(),
            can_edit_network=permissions.is_network_editor(self.request.access),
            **kwargs,
        )


class SharedIndicatorCreateView(_NetworkEditorMixin, OrganizationFormView):
    form_class = SharedIndicatorForm
    page_title = gettext_lazy("New shared indicator")

    def get_cancel_url(self):
        return reverse("shared_indicator_list")

    def form_valid(self, form):
        shared = services.shared_indicator_create(created_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Shared indicator “%(name)s” was added.") % {"name": shared.name})
        return redirect(shared)


class SharedIndicatorUpdateView(_NetworkEditorMixin, OrganizationFormView):
    form_class = SharedIndicatorForm
    intro = gettext_lazy(
        "A change of definition is a new version: measurements dated before it keep counting under the one before."
    )

    @cached_property
    def shared(self):
        return get_object_or_404(selectors.shared_indicators().filter(retired_on__isnull=True), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.shared}

    def form_valid(self, form):
        version = services.shared_indicator_update(
            shared_indicator=self.shared, created_by=self.request.user, **form.cleaned_data
        )
        if version is None:
            messages.info(self.request, _("Nothing changed, so no new version was made."))
        else:
            messages.success(self.request, _("Version %(n)s is in force from %(date)s.") % {
                "n": version.number, "date": date_format(version.valid_from, "j M Y"),
            })  # fmt: skip
        return redirect(self.shared)

    def get_page_title(self):
        return _("Edit %(name)s") % {"name": self.shared.name}

    def get_cancel_url(self):
        return self.shared.get_absolute_url()


class SharedIndicatorRetireView(_NetworkEditorMixin, OrganizationActionView):
    def post(self, request, pk):
        shared = get_object_or_404(selectors.shared_indicators(), pk=pk)
        services.shared_indicator_retire(shared_indicator=shared, on=timezone.localdate())
        messages.success(request, _("“%(name)s” was retired; its history still counts.") % {"name": shared.name})
        return redirect(shared)


def _network_period(request) -> tuple[date | None, date | None]:
    start, end = parse_date(request.GET.get("start"), None), parse_date(request.GET.get("end"), None)
    if start and end and start > end:
        start, end = end, start
    return start, end


class NetworkIndicatorFilter(OrganizationFilterSet):
    state = django_filters.ChoiceFilter(
        field_name="initiative__organization__state", label=gettext_lazy("State"), empty_label=gettext_lazy("Any state")
    )
    category = django_filters.ChoiceFilter(
        field_name="initiative__category", choices=WelcomingStandard.choices,
        label=gettext_lazy("Category"), empty_label=gettext_lazy("Any category"),
    )  # fmt: skip
    shared_indicator = django_filters.ModelChoiceFilter(
        queryset=SharedIndicator.objects.all(), label=gettext_lazy("Shared indicator"),
        empty_label=gettext_lazy("Any indicator"),
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        choices=list(metrics.STATUS_LABELS.items()), method="filter_status", empty_label=gettext_lazy("Any status")
    )

    class Meta:
        model = Indicator
        fields = ["state", "category", "shared_indicator", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_state_choices(self)

    def filter_status(self, queryset, name, value):
        return queryset  # computed from the measurements: NetworkIndicatorListView applies it


class NetworkIndicatorListView(NetworkMixin, OrganizationListView):
    """Every affiliate's indicators with their status: what the roll-up's status figures count."""

    model = Indicator
    template_name = "evaluations/network_indicators.html"
    filterset_class = NetworkIndicatorFilter
    search_fields = ("name", "initiative__title", "initiative__organization__name")
    csv_filename = "network indicators"
    csv_columns = (
        (gettext_lazy("Affiliate"), "initiative.organization.name"),
        (gettext_lazy("State"), "initiative.organization.state"),
        (gettext_lazy("Initiative"), "initiative.title"),
        (gettext_lazy("Indicator"), "name"),
        (gettext_lazy("Shared indicator"), "shared_indicator.name"),
        (gettext_lazy("Latest value"), "progress.latest_value"),
        (gettext_lazy("Latest date"), "progress.latest_date"),
        (gettext_lazy("Progress (%)"), "progress.percent"),
        (gettext_lazy("Status"), "progress.status_label"),
    )

    def get_base_queryset(self):
        _start, end = _network_period(self.request)
        queryset = Indicator.objects.filter(initiative__organization__kind=selectors.AFFILIATE)
        queryset = queryset.select_related("initiative__organization", "shared_indicator")
        return selectors.indicators_with_latest(queryset, end).order_by("initiative__organization__name", "name", "pk")

    def get_queryset(self):
        queryset = super().get_queryset()
        status = self.filterset.form.cleaned_data.get("status") if self.filterset.is_valid() else ""
        if status:
            return [i for i in self.decorate(list(queryset)) if i.progress.status == status]
        return queryset

    def decorate(self, objects):
        for indicator in objects:
            if not hasattr(indicator, "progress"):
                indicator.progress = metrics.indicator_progress(
                    indicator, indicator.latest_value, indicator.latest_date
                )
        return objects

    def _decorated_rows(self, chunk_size=2000):
        rows = self.get_queryset()
        return self.decorate(rows) if isinstance(rows, list) else super()._decorated_rows(chunk_size)


ROLLUP_TABLES = ("status", "reviews", "shared", "needs", "responses")


class NetworkEvaluationView(NetworkMixin, OrganizationMixin, TemplateView):
    """Step 4 across the network: indicator status and review timeliness by state, and each shared
    indicator's network figure; filtered by state, category and period; `?table=…&format=csv`."""

    template_name = "evaluations/network_evaluation.html"

    def filters(self):
        start, end = _network_period(self.request)
        state = self.request.GET.get("state", "")[:10]
        category = self.request.GET.get("category", "")
        if category not in WelcomingStandard.values:
            category = ""
        return {"start": start, "end": end, "state": state, "category": category}

    def figures(self, f):
        today = timezone.localdate()
        status = selectors.network_status_by_state(f["state"], f["category"], f["end"])
        return {
            "status": status,
            "status_total": {k: sum(r[k] for r in status) for k in metrics.STATUS_LABELS},
            "reviews": selectors.network_reviews_by_state(today, f["start"], f["end"], f["state"], f["category"]),
            "shared": selectors.shared_indicator_rollup(f["start"], f["end"], f["state"], f["category"]),
            "needs": selectors.network_needs_by_category(f["state"], f["category"], f["start"], f["end"]),
            "responses": selectors.network_responses_by_side(f["state"], f["start"], f["end"]),
        }

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.export(request.GET.get("table", ""))
        return super().get(request, *args, **kwargs)

    def export(self, table):
        if table not in ROLLUP_TABLES:
            raise Http404
        figures = self.figures(self.filters())
        if table == "status":
            header = [_("State"), *[str(label) for label in metrics.STATUS_LABELS.values()]]
            rows = ([r["state"], *[r[k] for k in metrics.STATUS_LABELS]] for r in figures["status"])
        elif table == "reviews":
            header = [_("State"), _("Reviews held or past due"), _("Held on time"), _("Held late"), _("Overdue")]
            rows = (
                [
                    r["state"],
                    r["timeliness"].due,
                    r["timeliness"].on_time,
                    r["timeliness"].late,
                    r["timeliness"].overdue,
                ]
                for r in figures["reviews"]
            )
        elif table == "needs":
            header = [_("State"), _("Need category"), _("Needs"), _("Addressed by an initiative"), _("Met"),
                      _("Nobody addresses yet")]  # fmt: skip
            rows = (
                [r["state"], r["category_label"], r["needs"], r["addressed"], r["met"], r["unaddressed"]]
                for r in figures["needs"]
            )
        elif table == "responses":
            header = [_("State"), _("Surveys"), _("Newcomers"), _("Receiving community"), _("All respondents")]
            rows = ([r["state"], r["surveys"], *[cell.display for cell in r["cells"]]] for r in figures["responses"])
        else:
            header = [_("Shared indicator"), _("Version"), _("In force from"), _("In force until"), _("Network figure"),
                      _("Value"), _("Affiliates reporting")]  # fmt: skip
            rows = (
                [r["window"].version.name,
                 r["window"].version.number, r["window"].start, r["window"].end or "",
                 r["window"].version.get_aggregation_display(),
                 "" if r["value"] is None else format(Decimal(r["value"]).normalize(), "f"), r["affiliates"]]
                for r in figures["shared"]
            )  # fmt: skip
        return csv_response(f"network-evaluation-{table}", header, rows)

    def get_context_data(self, **kwargs):
        f = self.filters()
        query = self.request.GET.copy()
        for key in ("format", "table"):
            query.pop(key, None)
        return super().get_context_data(
            **self.figures(f),
            filters=f,
            querystring=query.urlencode(),
            states=list(
                selectors.Organization.objects.filter(kind=selectors.AFFILIATE).exclude(state="")
                .order_by("state").values_list("state", flat=True).distinct()
            ),
            categories=WelcomingStandard.choices,
            status_labels=metrics.STATUS_LABELS,
            **kwargs,
        )  # fmt: skip
