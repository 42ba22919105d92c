"""Step 4 pages. Function views: each starts with organization_view (login,
organisation, role level) and reaches rows only through scoped querysets."""

import hashlib
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from evaluations import caching, ical, selectors, services
from evaluations.forms import (
    IndicatorForm,
    MeasurementForm,
    MeasurementImportForm,
    QuickEntryForm,
    ReviewHoldForm,
    ReviewScheduleForm,
)
from evaluations.models import CalendarFeed, EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule
from initiatives.models import Initiative
from integration_hub import permissions
from integration_hub.crud import OrganizationDeleteView, OrganizationUpdateView
from integration_hub.inputs import parse_date
from integration_hub.listing import csv_response
from integration_hub.tenancy import organization_view


def _initiative(request, pk):
    return get_object_or_404(Initiative.objects.for_organization(request.organization), pk=pk)


def _indicator(request, pk):
    return get_object_or_404(
        Indicator.objects.for_organization(request.organization).select_related("initiative"), pk=pk
    )


def _review(request, pk):
    return get_object_or_404(selectors.reviews(request.organization).select_related("schedule", "held_by"), pk=pk)


def _form_page(request, form, title, cancel_url, intro=None, enctype=False):
    if enctype:
        form.helper.form_tag = True
        form.helper.attrs = {"enctype": "multipart/form-data"}
    return render(
        request,
        "integration_hub/form_page.html",
        {"form": form, "page_title": title, "cancel_url": cancel_url, "intro": intro},
    )


@organization_view()
def index(request):
    organization, today = request.organization, timezone.localdate()
    rows = selectors.organization_indicators(organization)
    initiatives = (
        Initiative.objects.for_organization(organization)
        .annotate(indicator_count=Count("indicators", distinct=True))
        .select_related("review_schedule")
        .order_by("title")
    )
    context = {
        "rows": rows,
        "counts": selectors.status_counts(rows),
        "initiatives": initiatives,
        "overdue": selectors.overdue_reviews(organization, today),
        "upcoming": selectors.upcoming_reviews(organization, today, days=60)[:10],
        "today": today,
    }
    return render(request, "evaluations/index.html", context)


@organization_view()
def initiative_detail(request, pk):
    initiative = _initiative(request, pk)
    schedule = ReviewSchedule.objects.filter(initiative=initiative).prefetch_related("reviewers").first()
    context = {
        "initiative": initiative,
        "rows": selectors.indicator_progress_rows(Indicator.objects.filter(initiative=initiative)),
        "schedule": schedule,
        "reviews": EvaluationReview.objects.filter(initiative=initiative)
        .select_related("initiative")
        .order_by("-due_date")[:20],
        "today": timezone.localdate(),
    }
    return render(request, "evaluations/initiative_detail.html", context)


@organization_view(permissions.EDIT)
def indicator_create(request, pk):
    initiative = _initiative(request, pk)
    form = IndicatorForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        form.instance.initiative = initiative
        indicator = form.save()
        messages.success(request, _("Indicator “%(name)s” was added.") % {"name": indicator.name})
        return redirect(indicator)
    cancel = reverse("evaluations:initiative_detail", args=[initiative.pk])
    return _form_page(request, form, _("New indicator for %(title)s") % {"title": initiative.title}, cancel)


@organization_view()
def indicator_detail(request, pk):
    indicator = _indicator(request, pk)
    ((_row, progress),) = selectors.indicator_progress_rows(Indicator.objects.filter(pk=indicator.pk))
    context = {
        "indicator": indicator,
        "progress": progress,
        "measurements": indicator.measurements.select_related("entered_by").order_by("-date", "-pk")[:100],
        "chart": selectors.measurements_for_chart(indicator),
    }
    return render(request, "evaluations/indicator_detail.html", context)


@organization_view(permissions.EDIT)
def indicator_update(request, pk):
    indicator = _indicator(request, pk)
    form = IndicatorForm(request.POST or None, instance=indicator, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes to “%(name)s” were saved.") % {"name": indicator.name})
        return redirect(indicator)
    return _form_page(request, form, _("Edit %(name)s") % {"name": indicator.name}, indicator.get_absolute_url())


@organization_view(permissions.EDIT)
def indicator_delete(request, pk):
    indicator = _indicator(request, pk)
    if request.method == "POST":
        initiative_pk = indicator.initiative_id
        indicator.delete()
        messages.success(request, _("“%(name)s” was deleted.") % {"name": indicator.name})
        return redirect("evaluations:initiative_detail", pk=initiative_pk)
    return render(
        request,
        "integration_hub/confirm_delete.html",
        {"object": indicator, "cancel_url": indicator.get_absolute_url()},
    )


@organization_view(permissions.EDIT)
def measurement_create(request, pk):
    indicator = _indicator(request, pk)
    form = MeasurementForm(
        request.POST or None,
        indicator=indicator,
        organization=request.organization,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        services.measurement_create(indicator=indicator, entered_by=request.user, **form.cleaned_data)
        messages.success(request, _("The measurement was recorded."))
        return redirect(indicator)
    return _form_page(
        request, form, _("New measurement: %(name)s") % {"name": indicator.name}, indicator.get_absolute_url()
    )


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


@organization_view(permissions.EDIT)
def measurement_quick_entry(request, pk):
    initiative = _initiative(request, pk)
    indicators = list(Indicator.objects.filter(initiative=initiative).order_by("name"))
    cancel = reverse("evaluations:initiative_detail", args=[initiative.pk])
    if not indicators:
        messages.info(request, _("Add an indicator first."))
        return redirect(cancel)
    form = QuickEntryForm(
        request.POST or None,
        indicators=indicators,
        organization=request.organization,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        saved = services.measurements_record(rows=form.cleaned_data["rows"], entered_by=request.user)
        messages.success(request, _("%(n)s values were recorded.") % {"n": len(saved)})
        return redirect(cancel)
    intro = _("Enter the values you have for one date; leave the others empty.")
    return _form_page(request, form, _("Record values: %(title)s") % {"title": initiative.title}, cancel, intro)


@organization_view(permissions.EDIT)
def measurement_import(request, pk):
    initiative = _initiative(request, pk)
    indicators = list(Indicator.objects.filter(initiative=initiative))
    form = MeasurementImportForm(
        request.POST or None, request.FILES or None, indicators=indicators, organization=request.organization
    )
    cancel = reverse("evaluations:initiative_detail", args=[initiative.pk])
    if request.method == "POST" and form.is_valid():
        added, updated, unchanged = services.measurements_import(
            rows=form.cleaned_data["rows"], entered_by=request.user
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
        messages.success(request, " ".join(counts))
        return redirect(cancel)
    names = ", ".join(i.name for i in indicators) or _("none yet")
    intro = _(
        "Nothing is stored unless every line is valid; errors name the line. A line whose indicator and date "
        "are already stored updates that value (importing a file twice doubles nothing); the same indicator "
        "and date twice in one file is refused. A file exported from an indicator page imports as it is. "
        "Indicators of this initiative: %(names)s."
    ) % {"names": names}
    return _form_page(
        request, form, _("Import measurements: %(title)s") % {"title": initiative.title}, cancel, intro, enctype=True
    )


@organization_view()
def measurement_export(request, pk):
    """An indicator's values as CSV, in the columns the import reads (so it imports back as it is)."""
    indicator = get_object_or_404(Indicator.objects.for_organization(request.organization), pk=pk)
    rows = (
        [indicator.name, m.date.isoformat(), m.value, m.note]
        for m in indicator.measurements.order_by("date", "pk").iterator()
    )
    header = [_("indicator"), _("date"), _("value"), _("note")]
    return csv_response(slugify(f"{indicator.name} measurements"), header, rows)


@organization_view(permissions.EDIT)
def schedule_edit(request, pk):
    initiative = _initiative(request, pk)
    schedule = ReviewSchedule.objects.filter(initiative=initiative).first()
    initial = {} if schedule else {"start_date": timezone.localdate(), "every": 3, "period": "months"}
    form = ReviewScheduleForm(
        request.POST or None, instance=schedule, initial=initial, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        services.schedule_save(initiative=initiative, today=timezone.localdate(), **form.cleaned_data)
        messages.success(request, _("The review schedule was saved; the next reviews are planned."))
        return redirect("evaluations:initiative_detail", pk=initiative.pk)
    cancel = reverse("evaluations:initiative_detail", args=[initiative.pk])
    return _form_page(request, form, _("Review schedule: %(title)s") % {"title": initiative.title}, cancel)


@organization_view()
def review_detail(request, pk):
    review = _review(request, pk)
    reviewers = review.schedule.reviewers.all() if review.schedule else []
    context = {"review": review, "reviewers": reviewers, "today": timezone.localdate()}
    return render(request, "evaluations/review_detail.html", context)


@organization_view(permissions.EDIT)
def review_hold(request, pk):
    review = _review(request, pk)
    initial = {"held_on": min(timezone.localdate(), review.due_date) if review.is_open else review.held_on}
    form = ReviewHoldForm(request.POST or None, instance=review, initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        services.review_hold(review=review, held_by=request.user, today=timezone.localdate(), **form.cleaned_data)
        messages.success(request, _("The review was recorded with today's indicator values."))
        return redirect(review)
    intro = _(
        "Record what the review found. Keep feedback from newcomers and from the receiving community apart; "
        "the indicator values as of the review date are saved with it."
    )
    return _form_page(request, form, str(review), review.get_absolute_url(), intro)


@organization_view(permissions.ADMIN)
def reminder_log(request):
    reminders = (
        Reminder.objects.for_organization(request.organization)
        .select_related("review__initiative", "recipient")
        .order_by("-created_at", "-pk")
    )
    state = request.GET.get("state", "")
    if state == "sent":
        reminders = reminders.filter(sent_at__isnull=False)
    elif state == "pending":
        reminders = reminders.filter(sent_at__isnull=True, skipped_at__isnull=True, last_error="")
    elif state == "failed":
        reminders = reminders.filter(sent_at__isnull=True, skipped_at__isnull=True).exclude(last_error="")
    elif state == "skipped":
        reminders = reminders.filter(skipped_at__isnull=False)
    context = {
        "reminders": reminders[:200],
        "state": state,
        "states": [("", _("All")), ("sent", _("Sent")), ("pending", _("Pending")), ("failed", _("Failed")),
                   ("skipped", _("Skipped"))],
    }  # fmt: skip
    return render(request, "evaluations/reminder_log.html", context)


@require_POST
@organization_view(permissions.ADMIN)
def reminder_retry(request, pk):
    reminder = get_object_or_404(Reminder.objects.for_organization(request.organization), pk=pk)
    services.reminder_retry(reminder=reminder)
    messages.success(request, _("The reminder will be sent again with the next sweep (within minutes)."))
    return redirect("evaluations:reminder_log")


def _report_range(request, today):
    """Date range from ?start=&end= (ISO dates); defaults to the last 12 months."""

    end = parse_date(request.GET.get("end"), today)
    start = parse_date(request.GET.get("start"), date(end.year - 1, end.month, 1))
    if start > end:
        start, end = end, start
    return start, end


@organization_view()
def dashboard(request):
    today = timezone.localdate()
    body = caching.dashboard_body(request.organization, today)
    return render(request, "evaluations/dashboard.html", {"body": body, "today": today})


@organization_view()
def report(request):
    today = timezone.localdate()
    start, end = _report_range(request, today)
    context = selectors.dashboard(request.organization, today, start, end)
    context.update(held=selectors.held_reviews(request.organization, start, end), today=today, start=start, end=end)
    return render(request, "evaluations/report.html", context)


@login_required
def calendar_settings(request):
    """A member's own feed address. Any member may make one (board members
    too), so this is not an organisation-level write; it needs membership."""
    access = request.access
    if access is None:
        return redirect("no_organization")
    if access.membership is None:
        raise Http404  # network-office viewers are not reviewers here
    feed_url = None
    if request.method == "POST":
        token = services.calendar_feed_reset(organization=request.organization, user=request.user)
        feed_url = request.build_absolute_uri(reverse("evaluations:calendar_feed", args=[token]))
        messages.success(request, _("Your calendar address is ready. Copy it now: it is shown only once."))
    has_feed = CalendarFeed.objects.filter(organization=request.organization, user=request.user).exists()
    return render(request, "evaluations/calendar.html", {"feed_url": feed_url, "has_feed": has_feed})


def calendar_feed(request, token):
    """Public iCalendar feed; the secret token is the only key. In the member's language, with an
    ETag and Last-Modified so calendar programs fetch it again only when something changed
    (If-None-Match / If-Modified-Since answer 304)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
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
