"""Core data: people, organisations and who may do what in which one."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from integration_hub.querysets import TenantQuerySet


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Phones capitalise the first letter of "Staff@…"; addresses are stored in lower case
        # (save()), so an exact match on the lowered text is a case-insensitive one on the index.
        return self.get(email=str(username).lower())

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def axes_username(request, credentials=None) -> str:
    """The login name axes counts failures against: "Staff@…" and "staff@…" are one person."""
    source = credentials if credentials else request.POST
    # Cut to an address's longest length: axes stores it in a 255-character column.
    return (source.get(settings.AXES_USERNAME_FORM_FIELD) or "").strip().lower()[:254]


class User(AbstractUser):
    """A staff member, board member or network officer. People log in with their email."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    reminder_emails = models.BooleanField(
        _("email me review reminders"),
        default=True,
        help_text=_("Untick to stop reminder emails about evaluation reviews."),
    )

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default="",
        help_text=_("For your emails and calendar feed. Left empty: your organisation's language."),
    )  # fmt: skip

    # Kept by integration_hub.two_factor with the devices, so checking it on every request
    # costs no query; a confirmed device without it would go unasked, never the reverse.
    two_factor_enabled = models.BooleanField(default=False, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def language_in(self, organization) -> str:
        """The language to write to this person in: theirs, else the organisation's."""
        return self.language or (organization.language if organization else "") or settings.LANGUAGE_CODE

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


US_TIME_ZONES = [
    ("America/New_York", _("Eastern (New York)")),
    ("America/Chicago", _("Central (Chicago)")),
    ("America/Denver", _("Mountain (Denver)")),
    ("America/Phoenix", _("Mountain, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles)")),
    ("America/Anchorage", _("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico)")),
    ("Pacific/Guam", _("Chamorro (Guam)")),
]


class Organization(models.Model):
    """A tenant: an affiliate, or the network office that supports them all."""

    class Kind(models.TextChoices):
        AFFILIATE = "affiliate", _("Affiliate")
        NETWORK = "network", _("Network office")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AFFILIATE)
    city = models.CharField(_("city"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=2, blank=True, help_text=_("Two-letter code, e.g. OH."))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", choices=US_TIME_ZONES,
        help_text=_("Dates and times are shown, and reminders fall due, in this zone."),
    )  # fmt: skip
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("Invitations and emails are written in it for members who chose no language of their own."),
    )  # fmt: skip
    retention_months = models.PositiveSmallIntegerField(
        _("keep raw survey responses for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Raw responses and written answers are deleted this many months after their assessment closes; "
            "the results (counts, shares, averages) stay. Between 1 and 120."
        ),
    )
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in for admins"),
        default=False,
        help_text=_(
            "Admins, who can export or erase everything, must then sign in with a code from an "
            "authenticator app too. An admin without one is asked to set it up first."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the cached board dashboard was built from (evaluations/caching.py): replaced in the
    # transaction of every write it shows, and read with the organisation on every request, so
    # a cache that misses an invalidation (Redis away) can never serve figures older than it.
    board_version = models.CharField(max_length=16, default="", editable=False)

    history = HistoricalRecords()
    tenant_path = "id"  # the organisation is its own tenant (used by the activity feed)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organization_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(retention_months__gte=1, retention_months__lte=120),
                name="organization_retention_between_1_and_120_months",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_network(self):
        return self.kind == self.Kind.NETWORK


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Staff (editor)")
    BOARD = "board", _("Board member (read-only)")


class MembershipQuerySet(TenantQuerySet):
    def admins(self):
        return self.filter(role=Role.ADMIN)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_one_per_user_and_organization")
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.get_role_display()})"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(TenantQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())

    def by_token(self, token: str):
        return self.filter(token_hash=_hash_token(token))


class Invitation(models.Model):
    """An emailed invitation to join an organisation with a role.

    Only the token's hash is stored, so a database leak cannot be used to join.
    """

    VALID_FOR = timedelta(days=14)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """Return (token for the email link, hash to store)."""
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @property
    def is_pending(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class ErasureRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(cancelled_at__isnull=True, completed_at__isnull=True)

    def due(self, now=None):
        return self.pending().filter(scheduled_for__lte=now or timezone.now())


class ErasureRequest(models.Model):
    """An admin's request to delete everything their organisation holds.

    It waits `GRACE_PERIOD` so a mistake can be cancelled. The row outlives the
    organisation (organization becomes NULL) as the record of what was deleted:
    its name, when, and counts per table, never the data itself.
    """

    GRACE_PERIOD = timedelta(days=7)

    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="erasure_requests"
    )
    organization_name = models.CharField(max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    scheduled_for = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    deleted_counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # At most one pending request per organisation, enforced by the database.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(cancelled_at__isnull=True, completed_at__isnull=True),
                name="erasure_one_pending_per_organization",
            )
        ]
        indexes = [
            models.Index(
                fields=["scheduled_for"],
                condition=models.Q(cancelled_at__isnull=True, completed_at__isnull=True),
                name="erasure_pending_due_idx",
            )
        ]

    def __str__(self):
        return f"Erasure of {self.organization_name}"

    @property
    def is_pending(self):
        return self.cancelled_at is None and self.completed_at is None


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A member's key for the JSON API. It acts as that membership: one organisation, one role.

    Only the hash is stored; the key is shown once, when it is created.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("what it is for"), max_length=100, help_text=_("e.g. the reporting spreadsheet"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False, help_text="First characters, to tell keys apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()
    tenant_path = "membership__organization"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(key: str) -> str:
        return _hash_token(key)


class AuditEvent(models.Model):
    """Something done to an organisation's data that is not an edit of one record:
    an export of raw responses, a retention run, an erasure request. Counts only, never data."""

    class Action(models.TextChoices):
        RAW_RESPONSES_EXPORTED = "raw_responses_exported", _("Raw survey responses exported")
        FULL_EXPORT = "full_export", _("Full export downloaded")
        RETENTION_DELETED = "retention_deleted", _("Old survey responses deleted (retention)")
        ERASURE_REQUESTED = "erasure_requested", _("Erasure of all data scheduled")
        ERASURE_CANCELLED = "erasure_cancelled", _("Erasure cancelled")
        TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in turned on")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in turned off")
        RECOVERY_CODES_CREATED = "recovery_codes_created", _("New two-factor recovery codes made")
        RECOVERY_CODE_USED = "recovery_code_used", _("Signed in with a two-factor recovery code")
        TWO_FACTOR_LOCKED_OUT = "two_factor_locked_out", _("Two-factor sign-in locked after wrong codes")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.summary}"


class DeletedLinks(models.Model):
    """The many-to-many links a deleted record had (an initiative's needs, an engagement's
    stakeholders), which django-simple-history does not keep, so that a restore brings them back.
    Ids only; deleted with the record's history (DELETED_HISTORY_DAYS, or at once by erasure)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    batch = models.CharField(max_length=32)
    links = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["model", "object_id", "batch"])]

    def __str__(self):
        return f"{self.model} #{self.object_id}"


class BackgroundJob(models.Model):
    """A long import or export, run by a Celery task (integration_hub.jobs registers the kinds, each
    step its own). The uploaded file lives in the row (`upload`, cleared when the job ends) and a
    made file in `output` (cleared a day later by the sweep), so an organisation's erasure deletes
    both with the row. Claimed with a row lock; the run and its "done" commit together."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="en")
    params = models.JSONField(default=dict, blank=True)
    upload = models.BinaryField(blank=True, default=b"", editable=False)
    upload_name = models.CharField(max_length=255, blank=True)
    output = models.BinaryField(blank=True, default=b"", editable=False)
    output_name = models.CharField(max_length=255, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["status", "started_at"], name="job_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]), name="job_status_known"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
