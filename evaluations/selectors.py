"""Reads for step 4. The home page calls step_summary and attention_items.

Every function takes the organisation (or an already scoped queryset) and
fetches related rows up front; the latest measurement per indicator comes
from a subquery, so the cost does not grow with the number of measurements.
"""

import logging
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assessments import selectors as assessment_selectors
from assessments import suppression
from assessments.models import Need, RespondentSide, Response, Survey
from evaluations import metrics
from evaluations.models import (
    CalendarFeed,
    EvaluationReview,
    Indicator,
    Measurement,
    Reminder,
    ReviewSchedule,
    SharedIndicator,
    SharedIndicatorVersion,
)
from initiatives import network_map
from initiatives import selectors as initiative_selectors
from initiatives.models import Initiative, Milestone
from integration_hub.dashboard import AttentionItem, StepSummary
from integration_hub.models import Organization
from integration_hub.neighbours import Group, Link

logger = logging.getLogger(__name__)

TITLE = _("Evaluation")
DESCRIPTION = _(
    "Measure progress against targets, hold regular reviews with feedback from both sides, and report to the board."
)
SOON_DAYS = 14
AFFILIATE = Organization.Kind.AFFILIATE


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


# How many periods' figures one organisation's cache entry keeps (the report's chosen periods).
VERSIONED_KEPT = 16
VERSIONED_TIMEOUT = 60 * 60
VERSIONED_FIGURES = ("status-counts", "review-timeliness")


def versioned_key(organization_id: int, figure: str) -> str:
    """The cache entry of one of the organisation's board figures: {"version": board_version,
    "entries": {period: value}}. Deleted by evaluations.caching.organization_changed."""
    return f"evaluations:{figure}:{organization_id}"


def _versioned(organization, figure: str, period: str, compute):
    """`compute()`, kept in the cache under the organisation's board version (evaluations/caching.py:
    every write of what the board pages show moves it, through integration_hub.invalidation, and
    deletes these entries). An entry stored under another version than the organisation's is never
    read; without the cache the figure is computed."""
    version = organization.board_version
    key = versioned_key(organization.pk, figure)
    stored = None
    try:
        stored = cache.get(key)
    except Exception:
        logger.exception("The %s could not be read from the cache; computing them.", figure)
    entries = stored["entries"] if isinstance(stored, dict) and stored.get("version") == version else {}
    if period in entries:
        return entries[period]
    value = compute()
    if len(entries) >= VERSIONED_KEPT:
        entries = {}
    try:
        cache.set(key, {"version": version, "entries": {**entries, period: value}}, VERSIONED_TIMEOUT)
    except Exception:
        logger.exception("The %s could not be stored in the cache.", figure)
    return value


def _computed_status_counts(organization, as_of: date | None) -> dict[str, int]:
    counts = dict.fromkeys(metrics.STATUS_LABELS, 0)
    queryset = indicators_with_latest(Indicator.objects.for_organization(organization).order_by(), as_of)
    for values in queryset.values_list(*_STATUS_COLUMNS):
        counts[metrics.progress_of(*values).status] += 1
    return counts


def indicator_status_counts(organization, as_of: date | None = None) -> dict[str, int]:
    """How many of the organisation's indicators are on track, at risk, off track or without data
    (as of `as_of`): the one figure behind the home strip, the evaluation overview, the board
    dashboard and the report. One query of six values per indicator, no model rows built; the
    status is metrics.progress_of, as on every table row.

    Cached by the organisation's board version (_versioned): 15 000 indicators take about 120 ms
    to count, a cache read about 1 ms. The status does not depend on today, only on the values
    and `as_of`."""
    when = as_of.isoformat() if as_of is not None else "latest"
    counts = _versioned(organization, "status-counts", when, lambda: _computed_status_counts(organization, as_of))
    return dict(counts)


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
        timely_reviews(EvaluationReview.objects.filter(initiative__organization__in=organization_ids), today)
        .values(organization=F("initiative__organization"))
        .annotate(**timeliness_counts(prefix="reviews_"))
        .order_by()
    )


NETWORK_REVIEW_COLUMNS = ("reviews_due", "reviews_on_time", "reviews_late", "reviews_overdue")


def review_timeliness(organization, today: date, start: date | None = None, end: date | None = None):
    """Reviews due in [start, end] that count so far (counted_reviews), in one query."""

    def compute():
        queryset = timely_reviews(EvaluationReview.objects.for_organization(organization), today, start, end)
        return queryset.aggregate(**timeliness_counts())

    # Cached by the board version (every review write moves it) and the day: a review becomes
    # overdue when the date passes. 100 000 reviews take about 100 ms to count.
    period = ":".join(str(day) for day in (today, start, end))
    return ReviewTimeliness(**_versioned(organization, "review-timeliness", period, compute))


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


# --- shared indicators and the network's evaluation roll-up ---------------------------------------

# The peer comparison names no affiliate and shows a median (the network's, a state's) only with at
# least this many other affiliates reporting: the median of two is their mean, which gives the
# other's figure back.
MIN_PEERS = 3


def shared_indicators():
    return SharedIndicator.objects.select_related("current_version")


def shared_indicators_adopted_by(organization_id: int):
    return SharedIndicator.objects.filter(adoptions__initiative__organization_id=organization_id)


def shared_indicators_adoptable(organization_id: int):
    """Not retired, and not adopted by this affiliate yet (one adoption each)."""
    adopted = shared_indicators_adopted_by(organization_id).values("pk")
    return SharedIndicator.objects.filter(retired_on__isnull=True).exclude(pk__in=adopted).order_by("name")


@dataclass(frozen=True)
class VersionWindow:
    """The dates a version was in force: [start, end], end None while it still is."""

    version: SharedIndicatorVersion
    start: date
    end: date | None

    def clip(self, start: date | None, end: date | None) -> tuple[date, date | None] | None:
        """The part of [start, end] it was in force, or None when they do not meet."""
        lo = max(self.start, start) if start else self.start
        hi = min(d for d in (self.end, end) if d) if (self.end or end) else None
        return None if hi is not None and hi < lo else (lo, hi)


def version_windows(shared: SharedIndicator, versions=None) -> list[VersionWindow]:
    """Each version in force from its valid_from until the day before the next one's (a version
    replaced on its first day was never in force), the last until the retirement date."""
    versions = sorted(versions if versions is not None else shared.versions.all(), key=lambda v: v.number)
    windows = []
    for version, following in zip(versions, [*versions[1:], None], strict=True):
        end = following.valid_from - timedelta(days=1) if following else shared.retired_on
        if end is None or end >= version.valid_from:
            windows.append(VersionWindow(version, version.valid_from, end))
    return windows


def window_in_force(shared: SharedIndicator, on: date, versions=None) -> VersionWindow | None:
    for window in version_windows(shared, versions):
        if window.start <= on and (window.end is None or on <= window.end):
            return window
    return None


def _affiliate_indicators(shared_id: int, state: str = "", category: str = ""):
    queryset = Indicator.objects.filter(shared_indicator_id=shared_id, initiative__organization__kind=AFFILIATE)
    if state:
        queryset = queryset.filter(initiative__organization__state=state)
    if category:
        queryset = queryset.filter(initiative__category=category)
    return queryset


def affiliate_values(window: VersionWindow, start=None, end=None, state="", category="") -> list[dict]:
    """One row per adopting affiliate with a measurement under this version in [start, end]: its
    latest value there, with its indicator's own baseline and target (one query)."""
    clipped = window.clip(start, end)
    if clipped is None:
        return []
    lo, hi = clipped
    latest = Measurement.objects.filter(indicator=OuterRef("pk"), date__gte=lo)
    if hi is not None:
        latest = latest.filter(date__lte=hi)
    latest = latest.order_by("-date", "-pk")
    rows = (
        _affiliate_indicators(window.version.shared_indicator_id, state, category)
        .annotate(latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1]))
        .filter(latest_value__isnull=False)
        .values(
            "pk", "latest_value", "latest_date", "baseline_value", "baseline_date", "target_value", "target_date",
            organization=F("initiative__organization"), state=F("initiative__organization__state"),
        )
    )  # fmt: skip
    return list(rows)


def network_figure(aggregation: str, values: list) -> Decimal | None:
    """A shared indicator's figure over affiliates' values: their sum or their median."""
    if not values:
        return None
    if aggregation == SharedIndicator.Aggregation.SUM:
        return sum(values, Decimal(0))
    return Decimal(statistics.median(values))


def _figure(aggregation: str, rows: list[dict]) -> dict:
    return {"value": network_figure(aggregation, [r["latest_value"] for r in rows]), "affiliates": len(rows)}


def shared_indicator_by_state(
    shared_indicator: SharedIndicator, start: date | None = None, end: date | None = None, *, category: str = ""
) -> dict[str, dict]:
    """{state code: {"value": sum or median, "affiliates": n reporting}} under the version in force on
    `end` (today if None), counting each affiliate's latest measurement in [start, end] under it.
    States with no affiliate reporting are left out. Read by the network map."""
    window = window_in_force(shared_indicator, end or timezone.localdate())
    if window is None:
        return {}
    by_state: dict[str, list[dict]] = {}
    for row in affiliate_values(window, start, end, category=category):
        by_state.setdefault(row["state"], []).append(row)
    return {state: _figure(window.version.aggregation, rows) for state, rows in sorted(by_state.items())}


def shared_indicator_map_measures() -> list[network_map.MapMeasure]:
    """The network map's measure for each shared indicator in force today: shared_indicator_by_state
    (each state's sum or median of its affiliates' latest measurement under the version in force),
    narrowed by the map's Welcoming Standard category. Registered in EvaluationsConfig.ready()."""
    today = timezone.localdate()
    rows = (
        SharedIndicator.objects.filter(Q(retired_on__isnull=True) | Q(retired_on__gte=today))
        .prefetch_related("versions")
        .order_by("name", "pk")
    )
    found = []
    note = _(
        "Each state's sum or median of its affiliates' latest measurement under the version in force today, "
        "as in the evaluation roll-up. The initiative status filter does not apply to it."
    )
    for shared in rows:
        if window_in_force(shared, today, list(shared.versions.all())) is None:
            continue  # its first version starts later

        def values(affiliates, filters, shared=shared):
            figures = shared_indicator_by_state(shared, category=filters.get("category", ""))
            return {code: row["value"] for code, row in figures.items()}

        label = _("Shared indicator: %(name)s") % {"name": shared.name}
        found.append(network_map.MapMeasure(f"shared-{shared.pk}", label, values, missing_is_zero=False, note=note))
    return found


def shared_indicator_rollup(start=None, end=None, state="", category="") -> list[dict]:
    """Each shared indicator version in force in [start, end]: its network figure and the number of
    affiliates reporting. One query for the definitions, one per version shown."""
    rows = []
    for shared in SharedIndicator.objects.prefetch_related("versions").order_by("name", "pk"):
        for window in version_windows(shared, list(shared.versions.all())):
            if window.clip(start, end) is None:
                continue
            values = affiliate_values(window, start, end, state, category)
            rows.append({"shared": shared, "window": window, **_figure(window.version.aggregation, values)})
    return rows


def _median_percent(shares: list) -> int | None:
    return None if not shares else int((Decimal(statistics.median(shares)) * 100).quantize(Decimal(1)))


def _current_version_values(shared_ids: list[int], today: date) -> list[dict]:
    """affiliate_values for several shared indicators at once, under each one's current version up
    to `today` (one query, however many indicators the affiliate adopted)."""
    latest = Measurement.objects.filter(
        indicator=OuterRef("pk"), date__gte=OuterRef("shared_indicator__current_version__valid_from"), date__lte=today
    ).order_by("-date", "-pk")
    rows = (
        Indicator.objects.filter(shared_indicator__in=shared_ids, initiative__organization__kind=AFFILIATE)
        .annotate(latest_value=Subquery(latest.values("value")[:1]))
        .filter(latest_value__isnull=False)
        .values(
            "shared_indicator", "latest_value", "baseline_value", "target_value",
            organization=F("initiative__organization"), state=F("initiative__organization__state"),
        )
    )  # fmt: skip
    return [dict(row) for row in rows]


def peer_comparison(organization, today: date) -> list[dict]:
    """The board dashboard's "beside other affiliates": for each shared indicator the affiliate
    adopted, its progress beside the median progress of every affiliate reporting and of those in
    its state, under the version in force today (each against its own baseline and target). No
    other affiliate is named; the network's or the state's median is left out (None) when fewer than
    MIN_PEERS other affiliates report there. Two queries, whatever the number of indicators or affiliates."""
    adopted = list(
        Indicator.objects.for_organization(organization)
        .filter(shared_indicator__isnull=False)
        .select_related("shared_indicator__current_version")
        .order_by("name")
    )
    in_force = [
        i.shared_indicator_id
        for i in adopted
        if not i.shared_indicator.is_retired or i.shared_indicator.retired_on >= today
        if i.shared_indicator.current_version.valid_from <= today
    ]
    values = _current_version_values(in_force, today) if in_force else []
    rows = []
    for own in adopted:
        shares = {
            row["organization"]: (row["state"], metrics.progress(row["baseline_value"], row["target_value"], row["latest_value"]))
            for row in values
            if row["shared_indicator"] == own.shared_indicator_id
        }  # fmt: skip
        mine = shares.pop(organization.pk, (None, None))[1]
        peers = [share for _state, share in shares.values()]
        state_peers = [share for state, share in shares.values() if state and state == organization.state]
        everyone = [*peers, *([mine] if mine is not None else [])]
        in_state = [*state_peers, *([mine] if mine is not None else [])]
        enough = len(state_peers) >= MIN_PEERS
        network_enough = len(peers) >= MIN_PEERS
        rows.append({
            "indicator": own,
            "shared": own.shared_indicator,
            "in_force": own.shared_indicator_id in in_force,
            "own_percent": None if mine is None else int((mine * 100).quantize(Decimal(1))),
            "network_percent": _median_percent(everyone) if network_enough else None,
            "network_affiliates": len(everyone),
            "network_suppressed": not network_enough,
            "state": organization.state,
            "state_percent": _median_percent(in_state) if enough else None,
            "state_affiliates": len(in_state),
            "state_suppressed": not enough,
        })  # fmt: skip
    return rows


def _network_indicators(state="", category=""):
    queryset = Indicator.objects.filter(initiative__organization__kind=AFFILIATE)
    if state:
        queryset = queryset.filter(initiative__organization__state=state)
    if category:
        queryset = queryset.filter(initiative__category=category)
    return queryset


def network_indicator_rows(state="", category="", end=None):
    """Every affiliate's indicator with its progress as of `end` (as the board dashboard computes it)."""
    queryset = _network_indicators(state, category).select_related("initiative__organization", "shared_indicator")
    return indicator_progress_rows(queryset.order_by("initiative__organization__name", "name", "pk"), as_of=end)


def network_status_by_state(state="", category="", end=None) -> list[dict]:
    """Indicators on track, at risk, off track and without data, per state (one query)."""
    rows = indicators_with_latest(_network_indicators(state, category).select_related("initiative__organization"), end)
    by_state: dict[str, dict] = {}
    for indicator in rows:
        progress = metrics.indicator_progress(indicator, indicator.latest_value, indicator.latest_date)
        counts = by_state.setdefault(indicator.initiative.organization.state, dict.fromkeys(metrics.STATUS_LABELS, 0))
        counts[progress.status] += 1
    return [{"state": s, **counts} for s, counts in sorted(by_state.items())]


def timely_reviews(queryset, today: date, start: date | None = None, end: date | None = None):
    """The reviews that count for "held on time" (counted_reviews), due in [start, end]: the one
    filter the board dashboard, the affiliates list and the network roll-up share."""
    queryset = queryset.filter(counted_reviews(today))
    if start:
        queryset = queryset.filter(due_date__gte=start)
    if end:
        queryset = queryset.filter(due_date__lte=end)
    return queryset


def network_reviews_by_state(today: date, start=None, end=None, state="", category="") -> list[dict]:
    queryset = EvaluationReview.objects.filter(initiative__organization__kind=AFFILIATE)
    if state:
        queryset = queryset.filter(initiative__organization__state=state)
    if category:
        queryset = queryset.filter(initiative__category=category)
    rows = (
        timely_reviews(queryset, today, start, end)
        .values(state=F("initiative__organization__state"))
        .annotate(**timeliness_counts())
        .order_by("state")
    )
    return [{"state": row.pop("state"), "timeliness": ReviewTimeliness(**row)} for row in rows]


# --- steps 1 and 3 in the roll-up: needs and survey responses by state ----------------------------


def network_needs_by_category(state="", category="", start=None, end=None) -> list[dict]:
    """Affiliates' needs identified in [start, end] (their creation date), per state and need
    category: how many, how many are met, addressed (not met, and a live initiative addresses it)
    and addressed by nobody yet: initiatives.selectors.with_coverage, the definition home, the
    needs board and the board dashboard use; with a Welcoming Standard `category`, only an
    initiative of that category counts as addressing. One query."""
    needs = Need.objects.filter(organization__kind=AFFILIATE)
    if state:
        needs = needs.filter(organization__state=state)
    if start:
        needs = needs.filter(created_at__date__gte=start)
    if end:
        needs = needs.filter(created_at__date__lte=end)
    counts: dict[tuple[str, str], dict] = {}
    rows = initiative_selectors.with_coverage(needs, category).order_by()
    for code, kind, status, unaddressed in rows.values_list("organization__state", "category", "status", "unaddressed"):
        row = counts.setdefault((code, kind), {"needs": 0, "met": 0, "addressed": 0, "unaddressed": 0})
        row["needs"] += 1
        row["met" if status == Need.Status.MET else "unaddressed" if unaddressed else "addressed"] += 1
    labels = dict(Need.Category.choices)
    order = {value: i for i, value in enumerate(Need.Category.values)}
    return [
        {"state": code, "category": kind, "category_label": labels.get(kind, kind), **row}
        for (code, kind), row in sorted(counts.items(), key=lambda item: (item[0][0], order.get(item[0][1], 99)))
    ]


RESPONSE_COLUMNS = (RespondentSide.NEWCOMER, RespondentSide.RESIDENT, assessment_selectors.ALL)


def _surveys_in_period(state="", start=None, end=None):
    """Affiliates' surveys whose assessment's period meets [start, end] (an open end meets all)."""
    surveys = Survey.objects.filter(assessment__organization__kind=AFFILIATE)
    if state:
        surveys = surveys.filter(assessment__organization__state=state)
    if end:
        surveys = surveys.filter(Q(assessment__period_start__isnull=True) | Q(assessment__period_start__lte=end))
    if start:
        surveys = surveys.filter(Q(assessment__period_end__isnull=True) | Q(assessment__period_end__gte=start))
    return surveys


def network_responses_by_side(state="", start=None, end=None) -> list[dict]:
    """Survey responses per state: newcomers, the receiving community and everyone, as
    assessment_selectors.Cell (shown, "fewer than 5" or "hidden").

    Whole surveys count, never parts of one: a survey is in the period when its assessment's
    period meets it, with every response it has (and those the retention rule kept as tallies), so
    two periods a day apart cannot be subtracted to give one day's few answers. The state's cells
    are the sums of its surveys' cells, which each survey's results page shows or hides
    (assessment_selectors.survey_totals); the one rule, assessments.suppression, is run over both
    together, so no hidden count of a survey, nor of a state, can be worked out from what this table
    and the results pages show. The Welcoming Standard category does not apply: surveys have none.
    Two queries."""
    surveys = list(
        _surveys_in_period(state, start, end).values_list("pk", "assessment__organization__state", "kept_tallies")
    )
    live: dict[int, dict] = {}
    for survey, side, n in (
        Response.objects.filter(survey__in=[pk for pk, _s, _k in surveys])
        .values_list("survey", "side")
        .annotate(n=Count("id"))
        .order_by()
    ):
        live.setdefault(survey, {})[side] = n
    counts: dict = {}
    lines: list = []
    hidden: list[tuple] = []
    shown: list[tuple] = []
    by_state: dict[str, list[int]] = {}
    for pk, code, kept in surveys:
        totals = assessment_selectors.survey_totals(
            assessment_selectors.merge_tallies({"sides": live.get(pk, {})}, kept or {})
        )
        by_state.setdefault(code, []).append(pk)
        for column in RESPONSE_COLUMNS:
            cell = totals[column]
            counts[("survey", pk, column)] = cell.count
            (shown if cell.state == suppression.VISIBLE else hidden).append(("survey", pk, column))
        lines.append(_response_side_line(("survey", pk)))
    for code, pks in by_state.items():
        for column in RESPONSE_COLUMNS:
            counts[("state", code, column)] = sum(counts[("survey", pk, column)] for pk in pks)
            lines.append([*((("survey", pk, column), 1) for pk in pks), (("state", code, column), -1)])
        lines.append(_response_side_line(("state", code)))
    states = suppression.suppress(counts, lines, hidden=hidden, shown=shown)
    rows = []
    for code in sorted(by_state):
        cells = {
            column: (counts[("state", code, column)], states[("state", code, column)]) for column in RESPONSE_COLUMNS
        }
        # The rule survey_totals applies: both sides hidden and together under 5 hide the total.
        if assessment_selectors.total_gives_small_sides(
            {column: n for column, (n, _state) in cells.items()},
            {column: cell_state for column, (_n, cell_state) in cells.items()},
        ):
            cells[assessment_selectors.ALL] = (cells[assessment_selectors.ALL][0], suppression.WITHHELD)
        rows.append({
            "state": code,
            "surveys": len(by_state[code]),
            "cells": [assessment_selectors.Cell(n, n, cell_state) for n, cell_state in cells.values()],
        })  # fmt: skip
    return rows


def _response_side_line(row) -> list:
    """Newcomers + receiving community - everyone = -(prefer not to say), as on the results page."""
    return [
        ((*row, RespondentSide.NEWCOMER), 1),
        ((*row, RespondentSide.RESIDENT), 1),
        ((*row, assessment_selectors.ALL), -1),
    ]
