"""Step 4 pages. Class-based, over the foundation's crud and listing views: each reaches
rows only through the organisation's scoped querysets (another organisation's id is 404)."""

import hashlib
from datetime import date

import django_filters
from django.conf import settings
from django.contrib import messages
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

from evaluations import caching, ical, selectors, services
from evaluations.forms import (
    IndicatorForm,
    MeasurementForm,
    MeasurementImportForm,
    QuickEntryForm,
    ReviewHoldForm,
    ReviewScheduleForm,
)
from evaluations.models import CalendarFeed, EvaluationReview, Indicator, Measurement, Reminder
from initiatives.models import Initiative
from integration_hub import permissions
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
        return {**super().get_form_kwargs(), "indicators": self.indicators}

    def form_valid(self, form):
        added, updated, unchanged = services.measurements_import(
            rows=form.cleaned_data["rows"], entered_by=self.request.user
        )
        counts = [
            ngettext("%(n)s measurement was added.", "%(n)s measurements were added.", added) % {"n": added},
            ngettext("%(n)s was updated.", "%(n)s were updated.", updated) % {"n": updated},
        ]
        if unchanged:
            counts.append(
                ngettext(
                    "%(n)s was already stored with the same value.",
                    "%(n)s were already stored with the same values.",
                    unchanged,
                )
                % {"n": unchanged}
            )
        if form.ignored_columns:
            counts.append(
                _("Columns ignored: %(names)s.") % {"names": ", ".join(f"“{c}”" for c in form.ignored_columns)}
            )
        messages.success(self.request, " ".join(counts))
        return redirect(self.get_success_url())

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
        return super().get_context_data(body=body, today=today, **kwargs)


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
