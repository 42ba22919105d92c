"""Reads for step 4. The home page calls step_summary and attention_items.

Every function takes the organisation (or an already scoped queryset) and
fetches related rows up front; the latest measurement per indicator comes
from a subquery, so the cost does not grow with the number of measurements.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from evaluations import metrics
from evaluations.models import CalendarFeed, EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule
from initiatives import selectors as initiative_selectors
from initiatives.models import Initiative, Milestone
from integration_hub.dashboard import AttentionItem, StepSummary
from integration_hub.neighbours import Group, Link

TITLE = _("Evaluation")
DESCRIPTION = _(
    "Measure progress against targets, hold regular reviews with feedback from both sides, and report to the board."
)
SOON_DAYS = 14


def indicators_with_latest(queryset, as_of: date | None = None):
    """Annotate latest_value and latest_date (on or before `as_of` if given)."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk"))
    if as_of is not None:
        latest = latest.filter(date__lte=as_of)
    latest = latest.order_by("-date", "-pk")
    return queryset.annotate(
        latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1])
    )


def indicator_progress_rows(queryset, as_of: date | None = None) -> list[tuple[Indicator, metrics.Progress]]:
    return with_progress(indicators_with_latest(queryset.select_related("initiative"), as_of))


def with_progress(indicators) -> list[tuple[Indicator, metrics.Progress]]:
    """(indicator, progress) for indicators annotated by indicators_with_latest (a page of them, say)."""
    return [(i, metrics.indicator_progress(i, i.latest_value, i.latest_date)) for i in indicators]


_STATUS_COLUMNS = ("baseline_value", "target_value", "baseline_date", "target_date", "latest_value", "latest_date")


def indicator_status_counts(organization, as_of: date | None = None) -> dict[str, int]:
    """How many of the organisation's indicators are on track, at risk, off track or without data
    (as of `as_of`): the one figure behind the home strip, the evaluation overview, the board
    dashboard and the report. One query of six values per indicator, no model rows built, so
    15 000 indicators stay cheap; the status is metrics.progress_of, as on every table row."""
    counts = dict.fromkeys(metrics.STATUS_LABELS, 0)
    queryset = indicators_with_latest(Indicator.objects.for_organization(organization).order_by(), as_of)
    for values in queryset.values_list(*_STATUS_COLUMNS):
        counts[metrics.progress_of(*values).status] += 1
    return counts


def organization_indicators(organization):
    """The evaluation overview's indicator table: every indicator with its latest value (annotated,
    not evaluated: the view paginates it; with_progress gives a page its progress)."""
    return indicators_with_latest(
        Indicator.objects.for_organization(organization)
        .select_related("initiative")
        .order_by(Lower("initiative__title"), "initiative_id", "name", "pk")
    )


def initiative_indicator_rows(initiative) -> list[tuple[Indicator, metrics.Progress]]:
    return indicator_progress_rows(Indicator.objects.filter(initiative=initiative))


def indicator_progress(indicator) -> metrics.Progress:
    ((_row, progress),) = indicator_progress_rows(Indicator.objects.filter(pk=indicator.pk))
    return progress


def initiative_indicators(initiative) -> list[Indicator]:
    return list(Indicator.objects.filter(initiative=initiative).order_by("name"))


def indicator_measurements(indicator, limit: int = 100):
    return indicator.measurements.select_related("entered_by").order_by("-date", "-pk")[:limit]


def initiatives_with_indicator_counts(organization):
    return (
        Initiative.objects.for_organization(organization)
        .annotate(indicator_count=Count("indicators", distinct=True))
        .select_related("review_schedule")
        .order_by("title", "pk")
    )


def initiatives_with_indicators(organization):
    """Initiatives that have at least one indicator, by title: the board dashboard's and the
    report's tables (the first SUMMARY_ROWS of them)."""
    return (
        Initiative.objects.for_organization(organization)
        .filter(Exists(Indicator.objects.filter(initiative=OuterRef("pk"))))
        .order_by(Lower("title"), "pk")
    )


def review_schedule(initiative) -> ReviewSchedule | None:
    return ReviewSchedule.objects.filter(initiative=initiative).prefetch_related("reviewers").first()


def initiative_reviews(initiative, limit: int = 20):
    return (
        EvaluationReview.objects.filter(initiative=initiative)
        .select_related("initiative")
        .order_by("-due_date")[:limit]
    )


def reminder_log(organization):
    """The reminder log's rows, newest first (the view filters them by state)."""
    return (
        Reminder.objects.for_organization(organization)
        .select_related("review__initiative", "recipient")
        .order_by("-created_at", "-pk")
    )


def has_calendar_feed(organization, user) -> bool:
    return CalendarFeed.objects.filter(organization=organization, user=user).exists()


def reviews(organization):
    return EvaluationReview.objects.for_organization(organization).select_related("initiative")


def upcoming_reviews(organization, today: date, days: int | None = None):
    queryset = reviews(organization).open().filter(due_date__gte=today)
    if days is not None:
        queryset = queryset.filter(due_date__lte=today + timedelta(days=days))
    return queryset.order_by("due_date", "pk")


def overdue_reviews(organization, today: date):
    return reviews(organization).open().filter(due_date__lt=today).order_by("due_date", "pk")


def initiative_neighbours(organization, initiative) -> Group:
    """Step 4 on an initiative's page: its indicators with their status, and its next or overdue review."""
    rows = indicator_progress_rows(Indicator.objects.for_organization(organization).filter(initiative=initiative))
    links = [Link(indicator.name, indicator.get_absolute_url(), progress.status_label) for indicator, progress in rows]
    review = reviews(organization).open().filter(initiative=initiative).order_by("due_date", "pk").first()
    if review is not None:
        today = timezone.localdate()
        when = date_format(review.due_date, "j M Y")
        detail = _("overdue since %(date)s") if review.due_date < today else _("due %(date)s")
        links.append(Link(_("Next review"), review.get_absolute_url(), detail % {"date": when}))
    return Group(
        step=4,
        heading=_("Evaluation"),
        links=links,
        empty=_("No indicators yet: say what will show that this initiative works."),
        page=Link(_("Evaluation page"), reverse("evaluations:initiative_detail", args=[initiative.pk])),
    )


def measurements_for_chart(indicator) -> dict:
    points = list(indicator.measurements.order_by("date", "pk").values_list("date", "value"))
    return {
        "labels": [d.isoformat() for d, _v in points],
        "values": [float(v) for _d, v in points],
        "baseline": float(indicator.baseline_value),
        "target": float(indicator.target_value),
        "baselineDate": indicator.baseline_date.isoformat(),
        "targetDate": indicator.target_date.isoformat(),
        "name": indicator.name,
    }


@dataclass
class ReviewTimeliness:
    due: int  # reviews that are held, or whose due date has passed: on_time + late + overdue
    on_time: int  # held on or before the due date
    late: int  # held after the due date
    overdue: int  # not held, due date passed

    @property
    def share_on_time(self) -> int | None:
        return None if not self.due else round(100 * self.on_time / self.due)


# "Held on time", one definition for the board dashboard, the report and the network's affiliates
# list: held on or before the due date, out of the reviews that count so far — held ones (early
# ones too), and open ones whose due date has passed (a review due today is not late yet).
# The pages say so in the same words ("On time means held on or before the due date, …").


def reviews_due_for_reminders(latest_today: date):
    """What the reminder sweep looks at (services.reminder_sweep, and bench/reminder_sweep.py):
    open reviews of a schedule whose remind_from has come by `latest_today`, of an initiative that
    is not cancelled (upcoming, due today or overdue). Served by a partial index."""
    return (
        EvaluationReview.objects.open()
        .filter(remind_from__lte=latest_today, schedule__isnull=False)
        .exclude(initiative__status=Initiative.Status.CANCELLED)
    )


def counted_reviews(today: date) -> Q:
    return Q(held_on__isnull=False) | Q(due_date__lt=today)


def timeliness_counts(prefix: str = "") -> dict:
    """The aggregates behind ReviewTimeliness, for a queryset already filtered by counted_reviews."""
    return {
        f"{prefix}due": Count("pk"),
        f"{prefix}on_time": Count("pk", filter=Q(held_on__isnull=False, held_on__lte=F("due_date"))),
        f"{prefix}late": Count("pk", filter=Q(held_on__gt=F("due_date"))),
        f"{prefix}overdue": Count("pk", filter=Q(held_on__isnull=True)),
    }


def network_review_timeliness(organization_ids: list[int], today: date):
    """The network's affiliate list: each affiliate's reviews that fell due, held on time, late and
    overdue, as the board dashboard counts them (registered with integration_hub.network)."""
    return (
        EvaluationReview.objects.filter(initiative__organization__in=organization_ids)
        .filter(counted_reviews(today))
        .values(organization=F("initiative__organization"))
        .annotate(**timeliness_counts(prefix="reviews_"))
        .order_by()
    )


NETWORK_REVIEW_COLUMNS = ("reviews_due", "reviews_on_time", "reviews_late", "reviews_overdue")


def review_timeliness(organization, today: date, start: date | None = None, end: date | None = None):
    """Reviews due in [start, end] that count so far (counted_reviews), in one query."""
    queryset = EvaluationReview.objects.for_organization(organization).filter(counted_reviews(today))
    if start:
        queryset = queryset.filter(due_date__gte=start)
    if end:
        queryset = queryset.filter(due_date__lte=end)
    return ReviewTimeliness(**queryset.aggregate(**timeliness_counts()))


def indicator_overview(organization, as_of: date | None = None, limit: int | None = None) -> dict:
    """The indicator part of the board dashboard and the report: the status counts of every
    indicator, and the tables and chart of the first `limit` (settings.SUMMARY_ROWS) initiatives
    that have indicators, by title, with how many more there are (the evaluation overview lists
    every indicator, paginated)."""
    limit = settings.SUMMARY_ROWS if limit is None else limit
    with_indicators = initiatives_with_indicators(organization)
    shown = list(with_indicators[:limit])
    initiative_total = with_indicators.count()  # always asked: the page's queries stay the same at any size
    rows = indicator_progress_rows(Indicator.objects.filter(initiative__in=shown), as_of)
    by_initiative: dict = {initiative.pk: (initiative, []) for initiative in shown}
    for indicator, progress in rows:
        by_initiative[indicator.initiative_id][1].append((indicator, progress))
    counts = indicator_status_counts(organization, as_of)
    return {
        "initiatives": list(by_initiative.values()),
        "initiative_total": initiative_total,
        "more_initiatives": initiative_total - len(shown),
        "status_counts": counts,
        "indicator_count": sum(counts.values()),
        "chart": {
            "labels": [[i.name, str(i.initiative.title)] for i, _p in rows],
            "values": [p.percent for _i, p in rows],
            "expected": [p.expected_percent for _i, p in rows],
            "statuses": [p.status for _i, p in rows],
        },
    }


def review_overview(organization, today: date, start: date | None = None, end: date | None = None) -> dict:
    overdue = overdue_reviews(organization, today)
    shown = list(overdue[: settings.SUMMARY_ROWS])
    return {
        "timeliness": review_timeliness(organization, today, start, end),
        "upcoming": list(upcoming_reviews(organization, today)[:6]),
        "overdue": shown,
        "more_overdue": overdue.count() - len(shown),
    }


def community_overview(organization, start: date | None = None, end: date | None = None) -> dict:
    """Steps 1 to 3 on the dashboard and the report: needs covered, both sides at events, funding."""
    return {
        "needs": initiative_selectors.needs_coverage(organization),
        "participation": initiative_selectors.participation_by_month(organization, start, end),
        "funding": initiative_selectors.funding_by_source(organization),
    }


HELD_REVIEWS_SHOWN = 50


def held_reviews(organization, start: date | None = None, end: date | None = None) -> tuple[list, int]:
    """The report's reviews held in [start, end], latest first: the first HELD_REVIEWS_SHOWN, and how many in all."""
    held = reviews(organization).filter(held_on__isnull=False)
    if start:
        held = held.filter(held_on__gte=start)
    if end:
        held = held.filter(held_on__lte=end)
    shown = list(held.order_by("-held_on", "-pk")[:HELD_REVIEWS_SHOWN])
    return shown, held.count()


def dashboard(organization, today: date, start: date | None = None, end: date | None = None) -> dict:
    """Everything the board dashboard shows; the printable report adds held_reviews.

    Indicators are grouped by initiative; progress is as of the latest
    measurement (or the latest on or before `end` for a report period).
    """
    return {
        **community_overview(organization, start, end),
        **indicator_overview(organization, as_of=end),
        **review_overview(organization, today, start, end),
    }


def _feed_owner_is_member(feed: CalendarFeed) -> bool:
    """A feed shows nothing once its owner is deactivated or has left the organisation."""
    return feed.user.is_active and feed.user.memberships.filter(organization=feed.organization).exists()


def feed_reviews(feed: CalendarFeed, today: date):
    """Open reviews from today on where the feed's owner is a reviewer, in the
    feed's organisation only — and nothing once they are no longer a member."""
    if not _feed_owner_is_member(feed):
        return EvaluationReview.objects.none()
    return (
        EvaluationReview.objects.for_organization(feed.organization)
        .open()
        .filter(due_date__gte=today, schedule__reviewers=feed.user)
        .select_related("initiative")
        .order_by("due_date")
    )


def feed_milestones(feed: CalendarFeed, today: date):
    """Upcoming milestones of initiatives the feed's owner leads or has a task in, in the feed's
    organisation only — and nothing once they are no longer a member."""
    if not _feed_owner_is_member(feed):
        return Milestone.objects.none()
    return (
        Milestone.objects.for_organization(feed.organization)
        .filter(due_date__gte=today)
        .filter(Q(initiative__lead=feed.user) | Q(tasks__owner=feed.user))
        .select_related("initiative")
        .distinct()
        .order_by("due_date")
    )


def step_summary(organization, today: date | None = None) -> StepSummary:
    today = today or timezone.localdate()
    counts = indicator_status_counts(organization)
    open_reviews = EvaluationReview.objects.for_organization(organization).open()
    figures = open_reviews.aggregate(
        soon=Count("pk", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=SOON_DAYS))),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
    )
    return StepSummary(
        number=4,
        title=TITLE,
        url_name="evaluations:index",
        description=DESCRIPTION,
        figures=[
            (_("Indicators on track"), counts[metrics.ON_TRACK]),
            (_("Reviews due in 14 days"), figures["soon"]),
            (_("Overdue reviews"), figures["overdue"]),
        ],
    )


def attention_items(organization, today) -> list:
    items = []
    for review in overdue_reviews(organization, today)[:10]:
        items.append(
            AttentionItem(
                text=_("Review of %(initiative)s") % {"initiative": review.initiative.title},
                url=reverse("evaluations:review_detail", args=[review.pk]),
                due=review.due_date,
                severity="danger",
            )
        )
    for review in upcoming_reviews(organization, today, days=SOON_DAYS)[:10]:
        items.append(
            AttentionItem(
                text=_("Review of %(initiative)s") % {"initiative": review.initiative.title},
                url=reverse("evaluations:review_detail", args=[review.pk]),
                due=review.due_date,
            )
        )
    return items


def reminders_waiting(now: datetime) -> list[tuple[Reminder, datetime]]:
    """Unsent reminders a sweep at `now` leaves alone, each with when a sweep acts on it:
    on a worker's queue (handed over again then), or with the mail server (marked possibly
    sent then, unless confirmed). Across organisations: for the operator's command only."""
    requeue = timedelta(minutes=settings.REMINDER_REQUEUE_MINUTES)
    waiting = (
        Reminder.objects.filter(sent_at__isnull=True, skipped_at__isnull=True, failed_at__isnull=True)
        .filter(Q(enqueued_at__gt=now - requeue) | Q(handed_off_at__isnull=False))
        .select_related("review__initiative", "recipient")
        .annotate(since=Coalesce("handed_off_at", "enqueued_at"))
        .order_by("enqueued_at", "pk")
    )
    return [(r, r.since + requeue) for r in waiting]
