"""Reads for step 2. The home page calls step_summary and attention_items."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_hub.dashboard import AttentionItem, StepSummary
from integration_hub.neighbours import Text
from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange

TITLE = _("Stakeholder buy-in")
DESCRIPTION = _(
    "Win over officials, police, libraries, banks, faith leaders, civic clubs and newcomer leaders: where each stands, every conversation and every promise."
)
MAX_ATTENTION_ITEMS = 10
WIN_OVER_NAMES = 3  # per cell in the grid's "win over next" strip


def stakeholder_list(organization, *, base=None):
    """Stakeholders with the date of their latest engagement and their open commitments (2 subqueries, no N+1).

    `base` is an already scoped (searched, filtered) queryset of this organisation's stakeholders.
    """
    last_engagement = Engagement.objects.filter(stakeholders=OuterRef("pk")).order_by("-date").values("date")[:1]
    open_commitments = (
        Commitment.objects.filter(stakeholder=OuterRef("pk"), status=Commitment.Status.OPEN)
        .order_by()
        .values("stakeholder")
        .annotate(n=Count("pk"))
        .values("n")
    )
    base = Stakeholder.objects.for_organization(organization) if base is None else base
    return base.annotate(
        last_engagement_date=Subquery(last_engagement), open_commitment_count=Subquery(open_commitments)
    )


def engagement_list(organization, *, base=None):
    base = Engagement.objects.for_organization(organization) if base is None else base
    return base.prefetch_related(
        Prefetch("stakeholders", queryset=Stakeholder.objects.only("pk", "name", "affiliation")),
        "staff",
    ).order_by("-date", "-pk")


def commitment_list(organization, *, base=None):
    base = Commitment.objects.for_organization(organization) if base is None else base
    open_first = Case(When(status=Commitment.Status.OPEN, then=0), default=1)
    return base.select_related("stakeholder").order_by(open_first, F("due_date").asc(nulls_last=True), "-made_on")


@dataclass
class TimelineEntry:
    date: object
    kind: str  # "engagement" or "commitment"
    item: object


@dataclass
class StakeholderPage:
    stakeholder: Stakeholder
    engagements: list
    commitments: list
    stance_history: list
    timeline: list[TimelineEntry] = field(default_factory=list)


def stakeholder_page(stakeholder: Stakeholder) -> StakeholderPage:
    """Everything the stakeholder page shows, in a fixed number of queries."""
    engagements = list(
        stakeholder.engagements.prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.only("pk", "name", "affiliation")), "staff"
        ).order_by("-date", "-pk")
    )
    commitments = list(stakeholder.commitments.order_by("-made_on", "-pk"))
    history = list(StanceChange.objects.filter(stakeholder=stakeholder).select_related("changed_by"))
    for engagement in engagements:
        engagement.others = [o for o in engagement.stakeholders.all() if o.pk != stakeholder.pk]
    timeline = [TimelineEntry(e.date, "engagement", e) for e in engagements]
    timeline += [TimelineEntry(c.made_on, "commitment", c) for c in commitments]
    timeline.sort(key=lambda entry: (entry.date, entry.kind == "commitment"), reverse=True)
    return StakeholderPage(stakeholder, engagements, commitments, history, timeline)


@dataclass
class GridCell:
    influence: int
    stance: int
    stakeholders: list = field(default_factory=list)  # the first STANCE_GRID_NAMES by name
    count: int = 0  # everyone in the cell

    @property
    def win_over(self) -> bool:
        return self.influence == Stakeholder.Influence.HIGH and self.stance > Stakeholder.Stance.SUPPORTIVE

    @property
    def strip(self) -> list:
        """The few the "win over next" strip names (it names every win-over cell, so fewer each)."""
        return self.stakeholders[:WIN_OVER_NAMES]

    @property
    def strip_more(self) -> int:
        return self.count - len(self.strip)

    @property
    def stance_label(self) -> str:
        return str(Stakeholder.Stance(self.stance).label)

    @property
    def more(self) -> int:
        """How many the cell holds beyond the names it shows (the list page, filtered, shows them)."""
        return self.count - len(self.stakeholders)

    @property
    def list_url(self) -> str:
        return f"{reverse('stakeholders:index')}?influence={self.influence}&stance={self.stance}"


def stance_grid(organization, names: int | None = None) -> list[tuple[tuple[int, Text], list[GridCell]]]:
    """Rows by influence (high first), columns by stance (champion → opposed), in two queries
    whatever the size: each cell's count, and its first `names` (settings.STANCE_GRID_NAMES)
    stakeholders by name; the rest are a link to the list filtered to the cell."""
    names = settings.STANCE_GRID_NAMES if names is None else names
    cells = {
        (influence, stance): GridCell(influence, stance)
        for influence in Stakeholder.Influence.values
        for stance in Stakeholder.Stance.values
    }
    stakeholders = Stakeholder.objects.for_organization(organization)
    for influence, stance, count in (
        stakeholders.order_by()
        .values_list("influence", "stance")
        .annotate(n=Count("pk"))
        .values_list("influence", "stance", "n")
    ):
        cells[(influence, stance)].count = count
    if names:
        place = Window(
            RowNumber(), partition_by=[F("influence"), F("stance")], order_by=[F("name").asc(), F("pk").asc()]
        )
        first = (
            stakeholders.only("pk", "name", "affiliation", "influence", "stance", "sector")
            .annotate(place=place)
            .filter(place__lte=names)
            .order_by("name", "pk")
        )
        for stakeholder in first:
            cells[(stakeholder.influence, stakeholder.stance)].stakeholders.append(stakeholder)
    return [
        ((influence, label), [cells[(influence, stance)] for stance in Stakeholder.Stance.values])
        for influence, label in Stakeholder.Influence.choices
    ]


def step_summary(organization) -> StepSummary:
    today = timezone.localdate()
    stakeholders = Stakeholder.objects.for_organization(organization).aggregate(
        supportive=Count("pk", filter=Q(stance__lte=Stakeholder.Stance.SUPPORTIVE))
    )
    engagements = Engagement.objects.for_organization(organization).filter(date__gte=today - timedelta(days=90))
    open_commitments = Commitment.objects.for_organization(organization).open()
    return StepSummary(
        number=2,
        title=TITLE,
        url_name="stakeholders:index",
        description=DESCRIPTION,
        figures=[
            # Short labels: the home strip gives each figure a narrow column.
            (_("Supportive"), stakeholders["supportive"]),
            (_("Contacts in 90 days"), engagements.count()),
            (_("Open promises"), open_commitments.count()),
        ],
    )


def attention_items(organization, today) -> list[AttentionItem]:
    overdue = (
        Commitment.objects.for_organization(organization)
        .overdue(today)
        .select_related("stakeholder")
        .order_by("due_date", "pk")[:MAX_ATTENTION_ITEMS]
    )
    return [
        AttentionItem(
            text=_("%(who)s promised: %(promise)s") % {"who": c.stakeholder.name, "promise": c.promise},
            url=reverse("stakeholders:detail", args=[c.stakeholder_id]) + "#commitments",
            due=c.due_date,
            severity="danger",
        )
        for c in overdue
    ]
