"""Step 2, stakeholder buy-in."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integration_hub.choices import CommunitySide
from integration_hub.models import Organization
from integration_hub.querysets import TenantQuerySet


class Stakeholder(models.Model):
    """A person or body whose support matters locally."""

    class Sector(models.TextChoices):
        LOCAL_GOVERNMENT = "local_government", _("Local government")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
        LIBRARY = "library", _("Library")
        SCHOOL = "school", _("School")
        BANK = "bank", _("Bank or credit union")
        FAITH = "faith", _("Faith community")
        CIVIC_CLUB = "civic_club", _("Civic club")
        BUSINESS = "business", _("Business")
        MEDIA = "media", _("Media")
        NONPROFIT = "nonprofit", _("Nonprofit")
        NEWCOMER_LEADER = "newcomer_leader", _("Newcomer community leader")
        OTHER = "other", _("Other")

    class Influence(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    class Stance(models.IntegerChoices):
        # Ordered from most to least supportive, so the grid and filters sort in SQL.
        CHAMPION = 1, _("Champion")
        SUPPORTIVE = 2, _("Supportive")
        NEUTRAL = 3, _("Neutral")
        SKEPTICAL = 4, _("Skeptical")
        OPPOSED = 5, _("Opposed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(_("name"), max_length=200)
    role_title = models.CharField(_("role or title"), max_length=200, blank=True)
    affiliation = models.CharField(
        _("organisation they belong to"), max_length=200, blank=True, help_text=_("e.g. City Council, First Bank")
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, default=Sector.OTHER)
    influence = models.PositiveSmallIntegerField(_("influence"), choices=Influence.choices, default=Influence.MEDIUM)
    stance = models.PositiveSmallIntegerField(_("stance"), choices=Stance.choices, default=Stance.NEUTRAL)
    speaks_for = models.CharField(
        _("speaks for"), max_length=20, choices=CommunitySide.choices, default=CommunitySide.BOTH
    )
    notes = models.TextField(_("notes"), blank=True)
    email = models.EmailField(_("email"), blank=True, help_text=_("Optional: a work address."))
    phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("Optional: a work number."))
    tags = models.CharField(
        _("tags"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. city council, ID program")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        # The id breaks ties: two people of one name must not swap places between two pages.
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organization", "stance", "influence"]),
            # The list's page read off the index, not a sort of every stakeholder (49 ms → 1 ms at 100 000).
            models.Index(fields=["organization", "name", "id"], name="stakeholder_by_name"),
            # The influence × stance grid: each cell's first names in order, read off the index.
            models.Index(fields=["organization", "influence", "stance", "name", "id"], name="stakeholder_grid_cell"),
        ]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name

    def get_absolute_url(self):
        return reverse("stakeholders:detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def is_supportive(self) -> bool:
        return self.stance <= self.Stance.SUPPORTIVE

    @property
    def is_win_over_target(self) -> bool:
        """High influence and not yet supportive: who to win over next."""
        return self.influence == self.Influence.HIGH and not self.is_supportive


class StanceChange(models.Model):
    """One recorded stance, written by services.stakeholder_* whenever it changes (and at creation)."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="stance_changes")
    old_stance = models.PositiveSmallIntegerField(
        _("old stance"), choices=Stakeholder.Stance.choices, null=True, blank=True
    )
    new_stance = models.PositiveSmallIntegerField(_("new stance"), choices=Stakeholder.Stance.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip

    tenant_path = "stakeholder__organization"
    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["stakeholder", "-changed_at"])]

    def __str__(self):
        return f"{self.stakeholder}: {self.get_old_stance_display() or '—'} → {self.get_new_stance_display()}"


class Engagement(models.Model):
    """A conversation, meeting or letter with one or more stakeholders."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        COFFEE = "coffee", _("Coffee and chat")
        ROUND_TABLE = "round_table", _("Round table")
        PRESENTATION = "presentation", _("Presentation")
        LETTER = "letter", _("Letter or email")
        PHONE = "phone", _("Phone call")
        EVENT = "event", _("Event")
        PUBLIC_COMMENT = "public_comment", _("Public comment")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="engagements")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    stakeholders = models.ManyToManyField(
        Stakeholder, related_name="engagements", verbose_name=_("stakeholders involved")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="stakeholder_engagements", blank=True,
        verbose_name=_("staff who took part"),
    )  # fmt: skip
    summary = models.TextField(_("summary"), help_text=_("What was discussed."))
    feedback = models.TextField(_("feedback heard"), blank=True, help_text=_("Concerns, ideas, objections."))
    follow_up_date = models.DateField(_("follow-up date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    # Not a column: the other stakeholders of the engagement, set on the stakeholder page's
    # timeline (selectors.stakeholder_page).
    others: list[Stakeholder]

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organization", "-date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_date__isnull=True) | Q(follow_up_date__gte=F("date")),
                name="engagement_follow_up_not_before_date",
                violation_error_message=_("The follow-up date cannot be before the engagement."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("stakeholders:engagement_list") + f"#engagement-{self.pk}"


class CommitmentQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status=Commitment.Status.OPEN)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)


class Commitment(models.Model):
    """A promise a stakeholder made, e.g. "speak at the citizenship class"."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")
        DROPPED = "dropped", _("Dropped")

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("stakeholder")
    )
    promise = models.CharField(
        _("what was promised"), max_length=300, help_text=_("e.g. Accept the city ID for opening accounts")
    )
    made_on = models.DateField(_("made on"), default=timezone.localdate)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(
        _("evidence note"), blank=True, help_text=_("How you know: a link to the minutes, a photo, who saw it.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_path = "stakeholder__organization"
    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_date", "-made_on", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("made_on")),
                name="commitment_due_not_before_made",
                violation_error_message=_("The due date cannot be before the day the commitment was made."),
            )
        ]

    def __str__(self):
        return self.promise

    def get_absolute_url(self):
        return reverse("stakeholders:commitment_list") + f"#commitment-{self.pk}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_date is not None and self.due_date < today
