"""Step 3, implementation: the idea library and the initiatives started from it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integration_hub.choices import WelcomingStandard
from integration_hub.models import Organization
from integration_hub.querysets import TenantQuerySet

NOT_NEGATIVE = MinValueValidator(Decimal("0"), message=_("Amounts cannot be negative."))
NO_NEGATIVE_COUNT = MinValueValidator(0, message=_("Attendance cannot be negative."))


def money_field(verbose_name, **kwargs):
    """US dollars, exact: never a float."""
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, validators=[NOT_NEGATIVE], help_text=_("US dollars."), **kwargs
    )


class Idea(models.Model):
    """One entry of the network-wide library. Not a tenant row: every affiliate reads
    the whole library; only network-office staff write it."""

    class Audience(models.TextChoices):
        LOCAL_GOVERNMENT = "local_government", _("Working with local government")
        AGENCY = "agency", _("For the agency")
        PROGRAM = "program", _("For programs")

    class Category(models.TextChoices):
        ACCESS_TO_SERVICES = "access_to_services", _("Access to services")
        CIVIC_ENGAGEMENT = "civic_engagement", _("Civic engagement")
        PLANNING = "planning", _("Planning")
        FUNDING = "funding", _("Funding")
        SAFETY_AND_TRUST = "safety_and_trust", _("Safety and trust")
        CONNECTED_COMMUNITIES = "connected_communities", _("Connected communities")
        GOVERNMENT_LEADERSHIP = "government_leadership", _("Government leadership")
        EQUITABLE_ORGANISATION = "equitable_organisation", _("Equitable organisation")
        NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
        COMMUNICATIONS = "communications", _("Communications")
        STAKEHOLDER_BUY_IN = "stakeholder_buy_in", _("Stakeholder buy-in")
        LEADERSHIP = "leadership", _("Leadership")
        ECONOMIC = "economic", _("Economic")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    welcoming_standard = models.CharField(
        _("Welcoming Standard category"), max_length=40, choices=WelcomingStandard.choices
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    description = models.TextField(_("description"))
    is_builtin = models.BooleanField(_("from the network's guidance"), default=False, editable=False)
    published_from = models.ForeignKey(
        "Initiative", on_delete=models.SET_NULL, null=True, blank=True, related_name="published_ideas",
        editable=False, verbose_name=_("published from initiative"),
    )  # fmt: skip
    credited_organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="credited_ideas",
        editable=False, verbose_name=_("shared by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["audience", "title"]

    def __str__(self):
        return self.shown_title

    def get_absolute_url(self):
        return reverse("initiatives:idea_detail", args=[self.pk])

    @property
    def shown_title(self) -> str:
        """In the reader's language for the built-in ideas (initiatives/idea_texts.py)."""
        return gettext(self.title) if self.is_builtin else self.title

    @property
    def shown_description(self) -> str:
        return gettext(self.description) if self.is_builtin else self.description

    @property
    def is_promising_practice(self) -> bool:
        return self.credited_organization_id is not None


class Initiative(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class PracticeStatus(models.TextChoices):
        NONE = "", _("Not proposed")
        PROPOSED = "proposed", _("Proposed to the network")
        PUBLISHED = "published", _("Published in the library")

    OPEN_STATUSES = (Status.PLANNED, Status.ACTIVE, Status.PAUSED)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(
        _("Welcoming Standard category"), max_length=40, choices=WelcomingStandard.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("lead"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    idea = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="initiatives",
        verbose_name=_("idea it came from"),
    )  # fmt: skip
    # A short ordered list, one item per line: edited with the initiative in one form,
    # shown in order. Measurement over time belongs to step 4's indicators.
    goals = models.TextField(_("goals"), blank=True, help_text=_("One goal per line."))
    objectives = models.TextField(
        _("measurable objectives"),
        blank=True,
        help_text=_("One per line, with a number and a date, e.g. “500 residents hold the ID card by June”."),
    )
    needs = models.ManyToManyField(
        "assessments.Need", blank=True, related_name="initiatives", verbose_name=_("needs addressed")
    )
    locations = models.CharField(
        _("locations"), max_length=300, blank=True, help_text=_("Where it happens, e.g. Main library, City Hall.")
    )
    practice_status = models.CharField(
        _("promising practice"), max_length=20, choices=PracticeStatus.choices, blank=True, default=""
    )
    practice_note = models.TextField(_("why it is a promising practice"), blank=True)
    practice_proposed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["practice_status"], name="initiative_practice_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="initiative_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.pk])

    @property
    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]

    @property
    def objective_list(self) -> list[str]:
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class InitiativePartner(models.Model):
    class Role(models.TextChoices):
        FUNDER = "funder", _("Funder")
        HOST = "host", _("Host")
        CO_LEAD = "co_lead", _("Co-lead")
        SUPPORTER = "supporter", _("Supporter")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partner_links")
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.CASCADE, related_name="initiative_links",
        verbose_name=_("stakeholder"),
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SUPPORTER)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("initiative partner")
        verbose_name_plural = _("initiative partners")
        ordering = ["role", "stakeholder__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "stakeholder"], name="initiative_partner_once"),
        ]

    def __str__(self):
        return f"{self.stakeholder} ({self.get_role_display()})"


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due"))

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self):
        return self.title


class Task(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_date = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "milestone__initiative__organization"

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done", "due_date", "pk"]
        indexes = [models.Index(fields=["done", "due_date"])]

    def __str__(self):
        return self.title


class BudgetLine(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=200)
    amount = money_field(_("amount"))

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative")]

    def __str__(self):
        return self.item


class Funding(models.Model):
    class SourceKind(models.TextChoices):
        COMMUNITY_FUNDRAISER = "community_fundraiser", _("Community fundraiser")
        GRANT = "grant", _("Grant")
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        IN_KIND = "in_kind", _("In-kind")
        INDIVIDUAL_DONATION = "individual_donation", _("Individual donation")
        OTHER = "other", _("Other")

    # The guidance's point: money raised locally shows the city it need not carry the whole cost.
    COMMUNITY_KINDS = (SourceKind.COMMUNITY_FUNDRAISER, SourceKind.INDIVIDUAL_DONATION, SourceKind.IN_KIND)

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="funding")
    source_kind = models.CharField(_("kind of source"), max_length=30, choices=SourceKind.choices)
    source_name = models.CharField(_("source"), max_length=200, help_text=_("e.g. City of Dayton, Rotary Club."))
    pledged = money_field(_("pledged"))
    received = money_field(_("received"), default=Decimal("0"))
    date = models.DateField(_("date"))

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("funding")
        ordering = ["date", "pk"]
        verbose_name_plural = _("funding")
        constraints = [
            models.CheckConstraint(condition=Q(pledged__gte=0), name="funding_pledged_not_negative"),
            models.CheckConstraint(condition=Q(received__gte=0), name="funding_received_not_negative"),
        ]

    def __str__(self):
        return f"{self.source_name} ({self.get_source_kind_display()})"


class Activity(models.Model):
    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        CLASS = "class", _("Class")
        WORKSHOP = "workshop", _("Workshop")
        LUNCH_AND_LEARN = "lunch_and_learn", _("Lunch and learn")
        SERVICE_DAY = "service_day", _("Service day")
        CEREMONY = "ceremony", _("Ceremony")
        HOME_VISIT = "home_visit", _("Home visit")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EVENT)
    title = models.CharField(_("title"), max_length=200)
    newcomers = models.PositiveIntegerField(_("newcomers attending"), default=0, validators=[NO_NEGATIVE_COUNT])
    receiving = models.PositiveIntegerField(
        _("receiving community attending"), default=0, validators=[NO_NEGATIVE_COUNT]
    )
    unknown = models.PositiveIntegerField(_("attending, side not known"), default=0, validators=[NO_NEGATIVE_COUNT])
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0, validators=[NO_NEGATIVE_COUNT])
    notes = models.TextField(_("notes"), blank=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("activity or event")
        verbose_name_plural = _("activities and events")

    def __str__(self):
        return self.title

    @property
    def attendance(self) -> int:
        return self.newcomers + self.receiving + self.unknown
