"""Reads for step 3. The home page calls step_summary and attention_items."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments.models import Need
from integration_hub.dashboard import AttentionItem, StepSummary
from integration_hub.neighbours import Group, Link, Text

from .models import Activity, Funding, Idea, Initiative, InitiativePartner, Milestone, Task

TITLE = _("Implementation")
DESCRIPTION = _(
    "Run initiatives from the idea library: goals, the needs they address, milestones and tasks, partners, funding and events with attendance from both sides."
)
DUE_SOON_DAYS = 14
ATTENTION_LIMIT = 10
ZERO = Decimal("0.00")


def percent(part, whole) -> Decimal | None:
    """part / whole as a percentage with one decimal, exact; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- the idea library ---------------------------------------------------------------


AUDIENCE_ORDER = Case(
    *(When(audience=value, then=Value(i)) for i, value in enumerate(Idea.Audience.values)),
    output_field=IntegerField(),
)


def idea_list():
    """The library in the guidance's order: local government, agency, programs."""
    return Idea.objects.select_related("credited_organization").order_by(AUDIENCE_ORDER, "title")


def proposed_practices():
    """Initiatives that affiliates propose to the network library. Read across
    organisations on purpose: only the network office's reviewers call this."""
    return (
        Initiative.objects.filter(practice_status=Initiative.PracticeStatus.PROPOSED)
        .select_related("organization", "idea", "lead")
        .order_by("practice_proposed_at")
    )


# --- initiatives --------------------------------------------------------------------


def _task_count(**filters):
    tasks = Task.objects.filter(milestone__initiative=OuterRef("pk"), **filters).order_by()
    counted = tasks.values("milestone__initiative").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_progress(initiatives):
    """The list's rows: lead and idea joined, task counts annotated (one query). The counts are
    subqueries, not a join with GROUP BY: PostgreSQL then counts the tasks of the page's 25 rows
    only, not of every initiative before the page is cut (96 ms → 12 ms for 5 000 initiatives)."""
    return (
        initiatives.select_related("lead", "idea")
        .annotate(task_count=_task_count(), tasks_done=_task_count(done=True))
        .order_by("-created_at", "-pk")
    )


def attach_progress(initiatives: list) -> list:
    """Each row's Progress from the counts with_progress annotated: the list's percentage is the
    initiative page's, rounded the same way."""
    for initiative in initiatives:
        initiative.progress = Progress(done=initiative.tasks_done, total=initiative.task_count)
    return initiatives


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int | None:
        value = percent(self.done, self.total)
        return None if value is None else int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class FundingSummary:
    budget: Decimal
    pledged: Decimal
    received: Decimal
    local_government: Decimal
    community: Decimal
    other: Decimal

    @property
    def gap(self) -> Decimal:
        """How much of the budget nobody has pledged yet (never below zero)."""
        return max(self.budget - self.pledged, ZERO)

    @property
    def pledged_percent(self):
        return percent(self.pledged, self.budget)

    @property
    def received_percent(self):
        return percent(self.received, self.budget)

    @property
    def local_government_share(self):
        return percent(self.local_government, self.pledged)

    @property
    def community_share(self):
        return percent(self.community, self.pledged)

    @property
    def other_share(self):
        return percent(self.other, self.pledged)


def funding_summary(budget_lines, funding) -> FundingSummary:
    """Budget vs pledged vs received, and who pledged it: local government, the
    community (fundraisers, donations, in-kind) or others (grants, other)."""
    by_side = {"local": ZERO, "community": ZERO, "other": ZERO}
    for entry in funding:
        if entry.source_kind == Funding.SourceKind.LOCAL_GOVERNMENT:
            side = "local"
        elif entry.source_kind in Funding.COMMUNITY_KINDS:
            side = "community"
        else:
            side = "other"
        by_side[side] += entry.pledged
    return FundingSummary(
        budget=sum((line.amount for line in budget_lines), ZERO),
        pledged=sum((entry.pledged for entry in funding), ZERO),
        received=sum((entry.received for entry in funding), ZERO),
        local_government=by_side["local"],
        community=by_side["community"],
        other=by_side["other"],
    )


@dataclass
class Attendance:
    newcomers: int
    receiving: int
    unknown: int
    volunteers: int

    @property
    def total(self) -> int:
        return self.newcomers + self.receiving + self.unknown

    @property
    def noted(self) -> int:
        """Attendees whose side was noted: what the shares and the ratio are of."""
        return self.newcomers + self.receiving

    @property
    def ratio(self) -> Decimal | None:
        """Receiving-community attendees per newcomer: 1.00 means both sides came
        in equal numbers. None when no newcomer came."""
        if not self.newcomers:
            return None
        return (Decimal(self.receiving) / Decimal(self.newcomers)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def newcomers_share(self):
        return percent(self.newcomers, self.newcomers + self.receiving)

    @property
    def receiving_share(self):
        return percent(self.receiving, self.newcomers + self.receiving)


def attendance_summary(activities) -> Attendance:
    return Attendance(
        newcomers=sum(a.newcomers for a in activities),
        receiving=sum(a.receiving for a in activities),
        unknown=sum(a.unknown for a in activities),
        volunteers=sum(a.volunteers for a in activities),
    )


def _every_month(months) -> list[tuple[int, int]]:
    """(year, month) from the first key of `months` to the last, gaps included."""
    keys = []
    if months:
        (year, month), last = min(months), max(months)
        while (year, month) <= last:
            keys.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def attendance_by_month(activities) -> dict:
    """Chart data: attendance per month and side, every month from the first
    activity to the last (empty months show as gaps, not as nothing)."""
    months: defaultdict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for activity in activities:
        month = months[(activity.date.year, activity.date.month)]
        month[0] += activity.newcomers
        month[1] += activity.receiving
        month[2] += activity.unknown
    keys = _every_month(months)
    return {
        "labels": [date_format(date(y, m, 1), "M Y") for y, m in keys],
        "newcomers": [months[k][0] if k in months else 0 for k in keys],
        "receiving": [months[k][1] if k in months else 0 for k in keys],
        "unknown": [months[k][2] if k in months else 0 for k in keys],
    }


def milestones_with_tasks(initiative_or_queryset):
    tasks = Prefetch("tasks", queryset=Task.objects.select_related("owner"))
    if isinstance(initiative_or_queryset, Initiative):
        return Milestone.objects.filter(initiative=initiative_or_queryset).prefetch_related(tasks)
    return initiative_or_queryset.prefetch_related(tasks)


def decorate_milestones(milestones, today: date) -> list:
    """Adds progress and overdue flags to prefetched milestones (no queries)."""
    for milestone in milestones:
        tasks = list(milestone.tasks.all())
        milestone.progress = Progress(done=sum(t.done for t in tasks), total=len(tasks))
        milestone.is_complete = bool(tasks) and milestone.progress.done == len(tasks)
        milestone.is_overdue = milestone.due_date < today and not milestone.is_complete
        for task in tasks:
            task.is_overdue = not task.done and task.due_date is not None and task.due_date < today
    return milestones


def initiative_detail(organization, pk):
    """The initiative with everything its page shows, in a fixed number of queries."""
    return (
        Initiative.objects.for_organization(organization)
        .select_related("lead", "idea")
        .prefetch_related(
            "needs",
            Prefetch("partner_links", queryset=InitiativePartner.objects.select_related("stakeholder")),
            Prefetch("milestones", queryset=milestones_with_tasks(Milestone.objects.all())),
            "budget_lines",
            "funding",
            Prefetch("activities", queryset=Activity.objects.order_by("-date", "-pk")),
        )
        .get(pk=pk)
    )


def initiative_overview(initiative, today: date) -> dict:
    """Figures for the detail page from the prefetched initiative (no queries)."""
    milestones = decorate_milestones(list(initiative.milestones.all()), today)
    activities = list(initiative.activities.all())
    return {
        "milestones": milestones,
        "progress": Progress(
            done=sum(m.progress.done for m in milestones), total=sum(m.progress.total for m in milestones)
        ),
        "budget_lines": list(initiative.budget_lines.all()),
        "funding": list(initiative.funding.all()),
        "money": funding_summary(initiative.budget_lines.all(), initiative.funding.all()),
        "activities": activities,
        "attendance": attendance_summary(activities),
        "attendance_chart": attendance_by_month(activities),
        "partners": list(initiative.partner_links.all()),
        "needs": list(initiative.needs.all()),
    }


def _live_need_links(organization):
    return Initiative.needs.through.objects.filter(initiative__organization=organization).exclude(
        initiative__status=Initiative.Status.CANCELLED
    )


def initiatives_by_need(organization, limit: int | None = None, need=None) -> dict[int, list[Initiative]]:
    """{need id: initiatives addressing it, by title}, in one query: every one, or the first `limit`
    of each need (the needs board; initiative_counts_by_need gives how many in all), of every need
    or of `need` only. Cancelled initiatives address nothing; a need missing from the dict has no
    initiative and the board flags it."""
    links = _live_need_links(organization).select_related("initiative")
    if need is not None:
        links = links.filter(need=need)
    if limit is not None:
        place = Window(RowNumber(), partition_by=[F("need_id")], order_by=[F("initiative__title").asc(), F("pk").asc()])
        links = links.annotate(place=place).filter(place__lte=limit)
    links = links.order_by("initiative__title", "pk")
    result: dict[int, list[Initiative]] = defaultdict(list)
    for link in links:
        result[link.need_id].append(link.initiative)
    return dict(result)


def initiative_counts_by_need(organization) -> dict[int, int]:
    """{need id: how many initiatives address it}, cancelled ones left out, in one aggregate."""
    return dict(_live_need_links(organization).order_by().values_list("need_id").annotate(n=Count("pk")))


# --- home page ----------------------------------------------------------------------


def _open_milestones(organization):
    return (
        Milestone.objects.for_organization(organization)
        .filter(initiative__status__in=Initiative.OPEN_STATUSES)
        # Open: a task still to do, or no tasks at all. EXISTS, not COUNT with GROUP BY, so
        # PostgreSQL reads the due-date index and stops at the page's first rows (54 ms → 2 ms for
        # 12 000 milestones).
        .filter(
            Exists(Task.objects.filter(milestone=OuterRef("pk"), done=False))
            | ~Exists(Task.objects.filter(milestone=OuterRef("pk")))
        )
    )


def _overdue_tasks(organization, today):
    return Task.objects.for_organization(organization).filter(
        done=False, due_date__lt=today, milestone__initiative__status__in=Initiative.OPEN_STATUSES
    )


def step_summary(organization) -> StepSummary:
    today = timezone.localdate()
    return StepSummary(
        number=3,
        title=TITLE,
        url_name="initiatives:index",
        description=DESCRIPTION,
        figures=[
            (
                _("Active initiatives"),
                Initiative.objects.for_organization(organization).filter(status=Initiative.Status.ACTIVE).count(),
            ),
            (
                _("Milestones due in 14 days"),
                _open_milestones(organization)
                .filter(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
                .count(),
            ),
            (_("Overdue tasks"), _overdue_tasks(organization, today).count()),
        ],
    )


def attention_items(organization, today) -> list:
    items = []
    milestones = (
        _open_milestones(organization)
        .filter(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("initiative")
        .order_by("due_date")[:ATTENTION_LIMIT]
    )
    for milestone in milestones:
        overdue = milestone.due_date < today
        items.append(
            AttentionItem(
                text=_("Milestone “%(milestone)s” of %(initiative)s")
                % {"milestone": milestone.title, "initiative": milestone.initiative.title},
                url=reverse("initiatives:detail", args=[milestone.initiative_id]) + f"#milestone-{milestone.pk}",
                due=milestone.due_date,
                severity="danger" if overdue else "warning",
            )
        )
    unaddressed = (
        with_coverage(Need.objects.for_organization(organization))
        .filter(priority=Need.Priority.HIGH, unaddressed=True)
        .count()
    )
    if unaddressed:
        items.append(
            AttentionItem(
                text=ngettext(
                    "%(n)d high-priority need is not addressed by any initiative yet.",
                    "%(n)d high-priority needs are not addressed by any initiative yet.",
                    unaddressed,
                )
                % {"n": unaddressed},
                url=reverse("assessments:need_list"),
            )
        )
    tasks = _overdue_tasks(organization, today).select_related("milestone__initiative").order_by("due_date")
    for task in tasks[:ATTENTION_LIMIT]:
        initiative = task.milestone.initiative
        items.append(
            AttentionItem(
                text=_("Task “%(task)s” of %(initiative)s") % {"task": task.title, "initiative": initiative.title},
                url=reverse("initiatives:detail", args=[initiative.pk]) + f"#milestone-{task.milestone_id}",
                due=task.due_date,
                severity="danger",
            )
        )
    return items


# --- Organisation-wide figures for the board dashboard (step 4) ----------------------


def with_coverage(needs, category: str = ""):
    """The one definition of a need nobody works on, for home, the needs board, the board
    dashboard and the network's evaluation roll-up, as an `unaddressed` annotation: not yet met,
    and no initiative that is not cancelled addresses it (whatever the need's own status field
    says: the link is what counts); with a Welcoming Standard `category`, no such initiative of
    that category (the roll-up's category filter)."""
    live = Initiative.needs.through.objects.filter(need=OuterRef("pk")).exclude(
        initiative__status=Initiative.Status.CANCELLED
    )
    if category:
        live = live.filter(initiative__category=category)
    return needs.annotate(
        unaddressed=Case(
            When(Q(status=Need.Status.MET) | Q(Exists(live)), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )


def needs_coverage(organization) -> dict:
    """Needs not yet met, split into those some live initiative addresses and those none does."""
    open_needs = with_coverage(Need.objects.for_organization(organization).exclude(status=Need.Status.MET))
    needs = list(open_needs.order_by("priority", "title"))
    return {
        "covered": [n for n in needs if not n.unaddressed],
        "uncovered": [n for n in needs if n.unaddressed],
    }


def participation_by_month(organization, start: date | None = None, end: date | None = None) -> dict:
    """Event attendance per month and side, summed in SQL: {"chart": same shape as
    attendance_by_month, "totals": Attendance}."""
    activities = Activity.objects.for_organization(organization)
    if start:
        activities = activities.filter(date__gte=start)
    if end:
        activities = activities.filter(date__lte=end)
    rows = (
        activities.annotate(month=TruncMonth("date"))
        .order_by("month")
        .values("month")
        .annotate(
            newcomers=Sum("newcomers"), receiving=Sum("receiving"), unknown=Sum("unknown"), volunteers=Sum("volunteers")
        )
    )
    by_month = {(r["month"].year, r["month"].month): r for r in rows}
    keys = _every_month(by_month)
    empty = {"newcomers": 0, "receiving": 0, "unknown": 0}
    series = {side: [by_month.get(k, empty)[side] or 0 for k in keys] for side in empty}
    chart = {"labels": [date_format(date(y, m, 1), "M Y") for y, m in keys], **series}
    totals = Attendance(
        newcomers=sum(series["newcomers"]),
        receiving=sum(series["receiving"]),
        unknown=sum(series["unknown"]),
        volunteers=sum(r["volunteers"] or 0 for r in by_month.values()),  # as the initiative page counts them
    )
    return {"chart": chart, "totals": totals}


def funding_by_source(organization) -> list[tuple[Text, Decimal, Decimal]]:
    """(kind of source, pledged, received) for every kind, summed in SQL, in USD."""
    return funding_sums_by_source(Funding.objects.for_organization(organization))


def funding_sums_by_source(funding) -> list[tuple[Text, Decimal, Decimal]]:
    """For any set of funding rows (one organisation's, or the network's)."""
    sums = {
        kind: (pledged, received)
        for kind, pledged, received in funding.order_by()
        .values_list("source_kind")
        .annotate(Sum("pledged"), Sum("received"))
    }
    return [(label, *sums.get(kind, (ZERO, ZERO))) for kind, label in Funding.SourceKind.choices]


def stakeholder_neighbours(organization, stakeholder) -> Group:
    """Step 3 on a stakeholder's page: the initiatives they partner in, with their role."""
    partner_links = (
        InitiativePartner.objects.filter(initiative__organization=organization, stakeholder=stakeholder)
        .select_related("initiative")
        .order_by("initiative__title")
    )
    return Group(
        step=3,
        heading=_("Initiatives"),
        links=[Link(p.initiative.title, p.initiative.get_absolute_url(), p.get_role_display()) for p in partner_links],
        empty=_("Not a partner in any initiative yet. Add partners from an initiative's page."),
    )
