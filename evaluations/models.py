"""Step 4, evaluation: indicators and measurements, scheduled reviews, reminders.

Reminders are the one part of the system that runs unattended. A Reminder row
(review, kind, recipient, period) under a unique constraint is written before
anything is sent, so a sweep that runs twice, or two sweeps at once, cannot
send a reminder twice; a row left unsent is found again by the next sweep.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.models import Initiative
from integration_hub.choices import CommunitySide, WelcomingStandard
from integration_hub.models import Organization
from integration_hub.querysets import TenantQuerySet

MAX_REMINDER_LEAD_DAYS = 60


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percent")
        CURRENCY = "currency", _("Currency (USD)")
        SCORE = "score", _("Score")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("initiative")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.COUNT)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    data_source = models.CharField(
        _("data source"), max_length=200, blank=True, help_text=_("Where the numbers come from, e.g. sign-in sheets.")
    )
    concerns = models.CharField(
        _("concerns"), max_length=20, choices=CommunitySide.choices, default=CommunitySide.BOTH,
        help_text=_("Which side of the community this indicator is about."),
    )  # fmt: skip
    # Adopted from the network's shared set: name, unit, direction and side come from the shared
    # definition (services keep them in step); baseline and target stay the affiliate's own.
    shared_indicator = models.ForeignKey(
        "SharedIndicator", on_delete=models.PROTECT, null=True, blank=True, related_name="adoptions",
        verbose_name=_("shared indicator"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["initiative__title", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_value=F("baseline_value")), name="indicator_target_differs_from_baseline"
            ),
            models.CheckConstraint(
                condition=Q(target_date__gt=F("baseline_date")), name="indicator_target_date_after_baseline"
            ),
            models.UniqueConstraint(
                fields=["initiative", "shared_indicator"], condition=Q(shared_indicator__isnull=False),
                name="indicator_adopts_shared_once_per_initiative",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluations:indicator_detail", args=[self.pk])


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("indicator")
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("entered by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "indicator__initiative__organization"

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "date", "pk"]
        indexes = [models.Index(fields=["indicator", "-date"], name="measurement_latest")]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.date})"


class ReviewSchedule(models.Model):
    class Period(models.TextChoices):
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="review_schedule", verbose_name=_("initiative")
    )
    every = models.PositiveSmallIntegerField(_("every"), default=3)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices, default=Period.MONTHS)
    start_date = models.DateField(_("first review on"))
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="review_schedules", verbose_name=_("reviewers"), blank=True
    )
    reminder_lead_days = models.PositiveSmallIntegerField(
        _("remind reviewers this many days ahead"), default=7,
        help_text=lazy(lambda: _("Between 0 and %(max)s days.") % {"max": MAX_REMINDER_LEAD_DAYS}, str)(),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("review schedule")
        verbose_name_plural = _("review schedules")
        constraints = [
            models.CheckConstraint(condition=Q(every__gte=1), name="review_schedule_every_at_least_one"),
            models.CheckConstraint(
                condition=Q(reminder_lead_days__lte=MAX_REMINDER_LEAD_DAYS), name="review_schedule_lead_days_bounded"
            ),
        ]

    def __str__(self):
        return _("Every %(n)s %(period)s") % {"n": self.every, "period": self.get_period_display()}


class EvaluationReviewQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(held_on__isnull=True)


class EvaluationReview(models.Model):
    """One review meeting, generated ahead from a schedule. Open until held."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="evaluation_reviews", verbose_name=_("initiative")
    )
    schedule = models.ForeignKey(
        ReviewSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviews"
    )
    due_date = models.DateField(_("due date"))
    # due_date minus the schedule's lead days, kept by the services: the sweep
    # selects `held_on IS NULL AND remind_from <= today` straight off one index.
    remind_from = models.DateField(editable=False)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    attendees = models.TextField(
        _("who took part"), blank=True,
        help_text=_("Roles or organisations are enough; no names of newcomers are needed."),
    )  # fmt: skip
    findings = models.TextField(_("findings"), blank=True)
    feedback_newcomers = models.TextField(_("feedback from newcomers"), blank=True)
    feedback_receiving = models.TextField(_("feedback from the receiving community"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    indicator_snapshot = models.JSONField(_("indicator values at the review"), default=list, blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvaluationReviewQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "initiative__organization"

    class Meta:
        verbose_name = _("evaluation review")
        verbose_name_plural = _("evaluation reviews")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "due_date"], name="review_one_per_schedule_and_date"),
        ]
        indexes = [
            models.Index(fields=["remind_from"], condition=Q(held_on__isnull=True), name="review_open_remind_from"),
            models.Index(fields=["due_date"], condition=Q(held_on__isnull=True), name="review_open_due"),
            # The report's latest reviews held in its period (selectors.held_reviews): 37 ms to 0.4 ms
            # over 100 000 reviews of one affiliate.
            models.Index(fields=["-held_on", "-id"], condition=Q(held_on__isnull=False), name="review_held_latest"),
        ]

    def __str__(self):
        return _("Review of %(initiative)s due %(date)s") % {"initiative": self.initiative, "date": self.due_date}

    def get_absolute_url(self):
        return reverse("evaluations:review_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.held_on is None

    def is_overdue(self, today) -> bool:
        return self.held_on is None and self.due_date < today

    def held_on_time(self) -> bool:
        return self.held_on is not None and self.held_on <= self.due_date


class Reminder(models.Model):
    """The record that makes each reminder email exactly-once.

    Created before sending (unique on review, kind, recipient, period); the
    sender claims the row, stamps `handed_off_at`, sends, then stamps `sent_at`.
    Pending rows — not sent, skipped, failed or handed off — are what the next
    sweep enqueues again.
    """

    class Kind(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        DUE = "due", _("Due today")
        OVERDUE = "overdue", _("Overdue")

    review = models.ForeignKey(EvaluationReview, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The date the reminder is for: upcoming → first day of the lead window,
    # due → the due date, overdue → each weekly step after it.
    period = models.DateField(_("for the date"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    skipped_at = models.DateTimeField(_("skipped at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Stamped once a send task is on the broker; a sweep re-enqueues pending
    # rows never enqueued (broker down) or enqueued long ago (worker died).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # Committed just before the email goes to the mail server, so a worker killed after the
    # server took it cannot make the next sweep send it again (README, "Reminders").
    handed_off_at = models.DateTimeField(null=True, blank=True)
    # The reminder will not be tried again by itself (a permanent error, attempts used up, or
    # handed off and never confirmed); the organisation's admins were told, once.
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_path = "review__initiative__organization"

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "recipient", "period"], name="reminder_once_per_review_kind_recipient_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, skipped_at__isnull=True),
                name="reminder_pending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.period})"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        if self.skipped_at:
            return "skipped"
        if self.failed_at and self.handed_off_at:
            return "unconfirmed"
        if self.last_error:
            return "failed"
        return "pending"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(TenantQuerySet):
    def by_token(self, token: str):
        return self.filter(token_hash=_hash_token(token))


class CalendarFeed(models.Model):
    """A member's secret iCalendar address for one organisation.

    Only the token's hash is stored, as for invitations: a database leak does
    not reveal anyone's feed. Resetting replaces it, which revokes the old link.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the feed last served and since when: its Last-Modified is when its content last
    # changed (a review held, moved or dropped), so If-Modified-Since is exact.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="calendar_feed_one_per_member"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)


# --- shared indicators (defined by the network office) -------------------------------------------


class SharedIndicator(models.Model):
    """An indicator the network office defines once, so affiliates that adopt it report like with like.

    The fields below are the definition in force (`current_version` holds the same values); every
    change of definition is a new SharedIndicatorVersion, and each measurement counts under the
    version in force on its date. Retiring keeps the history: a retired indicator cannot be adopted
    any more, and measurements dated after its retirement count under no version.
    """

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum across affiliates")
        MEDIAN = "median", _("Median across affiliates")

    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Indicator.Unit.choices, default=Indicator.Unit.COUNT)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Indicator.Direction.choices, default=Indicator.Direction.INCREASE
    )
    concerns = models.CharField(
        _("measures"), max_length=20, choices=CommunitySide.choices, default=CommunitySide.BOTH,
        help_text=_("Which side of the community it measures: newcomers, long-standing residents, or both."),
    )  # fmt: skip
    definition = models.TextField(_("definition"), help_text=_("What is counted, how, and when."))
    category = models.CharField(_("Welcoming Standard category"), max_length=40, choices=WelcomingStandard.choices)
    aggregation = models.CharField(
        _("network figure"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM,
        help_text=_("Sum for counts that add up across affiliates; median for rates, scores and durations."),
    )  # fmt: skip
    current_version = models.ForeignKey(
        "SharedIndicatorVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    retired_on = models.DateField(_("retired on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    DEFINITION_FIELDS = ("name", "unit", "direction", "concerns", "definition", "category", "aggregation")

    class Meta:
        verbose_name = _("shared indicator")
        verbose_name_plural = _("shared indicators")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="shared_indicator_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="shared_indicator_has_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("shared_indicator_detail", args=[self.pk])

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class SharedIndicatorVersion(models.Model):
    """One definition of a shared indicator, in force from `valid_from` until the next version's
    `valid_from` (or the indicator's retirement). Never changed once written."""

    shared_indicator = models.ForeignKey(
        SharedIndicator, on_delete=models.CASCADE, related_name="versions", verbose_name=_("shared indicator")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("in force from"))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, choices=Indicator.Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Indicator.Direction.choices)
    concerns = models.CharField(_("measures"), max_length=20, choices=CommunitySide.choices)
    definition = models.TextField(_("definition"))
    category = models.CharField(_("Welcoming Standard category"), max_length=40, choices=WelcomingStandard.choices)
    aggregation = models.CharField(_("network figure"), max_length=10, choices=SharedIndicator.Aggregation.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("shared indicator version")
        verbose_name_plural = _("shared indicator versions")
        ordering = ["shared_indicator", "number"]
        constraints = [
            models.UniqueConstraint(fields=["shared_indicator", "number"], name="shared_indicator_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="shared_indicator_version_from_one"),
        ]

    def __str__(self):
        return _("%(name)s, version %(n)s") % {"name": self.name, "n": self.number}
