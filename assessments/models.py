"""Step 1, needs assessment.

Respondents are anonymous by construction: a Response holds the side the
respondent chose, the submission DATE, the language the page was shown in and
the channel (online, paper entered by staff, kiosk), nothing else about them (no name, account, IP address, user agent, browser
languages, cookie or time of day).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.languages import DEFAULT_LANGUAGE, pick, survey_languages
from integration_hub.models import Organization
from integration_hub.querysets import TenantQuerySet

TEXT_ANSWER_MAX_LENGTH = 2000
SHORT_TEXT_MAX_LENGTH = 200


def new_survey_token() -> str:
    return secrets.token_urlsafe(24)


def default_survey_languages() -> list[str]:
    return ["en", "es"]


class NeedsAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COLLECTING = "collecting", _("Collecting answers")
        ANALYSING = "analysing", _("Analysing")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="assessments")
    title = models.CharField(_("title"), max_length=200)
    area_served = models.CharField(
        _("area served"), max_length=200, blank=True, help_text=_("e.g. Montgomery County, or the East Side")
    )
    period_start = models.DateField(_("start of period"), null=True, blank=True)
    period_end = models.DateField(_("end of period"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-period_start", "-created_at"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="assessment_period_in_order",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:assessment_detail", kwargs={"pk": self.pk})

    @property
    def is_collecting(self) -> bool:
        return self.status == self.Status.COLLECTING


class Survey(models.Model):
    """The questionnaire of an assessment, answered through a public link."""

    assessment = models.OneToOneField(NeedsAssessment, on_delete=models.CASCADE, related_name="survey")
    # The public link's secret; never the id, so links cannot be guessed or enumerated.
    token = models.CharField(max_length=64, unique=True, default=new_survey_token, editable=False)
    title = models.JSONField(_("title shown to respondents"), default=dict, blank=True)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    # Shown before the first question, so a respondent knows who asks, why and what happens next.
    purpose = models.JSONField(_("why we ask"), default=dict, blank=True)
    contact = models.JSONField(_("contact line"), default=dict, blank=True)
    results_shared = models.JSONField(_("where results are shared"), default=dict, blank=True)
    # Codes from assessments.languages.LANGUAGES, chosen by the author; English is always offered.
    languages = models.JSONField(_("languages"), default=default_survey_languages, blank=True)
    # Under the retention rule raw responses are deleted; their tallies (counts per side,
    # choice, value) are kept here so the results stay. See services.responses_purge.
    kept_tallies = models.JSONField(default=dict, blank=True, editable=False)
    responses_purged_on = models.DateField(null=True, blank=True, editable=False)
    # Raised with every change to the questions or their options (services.survey_structure_changed),
    # so the public page's cached copy (selectors.published_questions) is never used after a change.
    structure_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = TenantQuerySet.as_manager()
    tenant_path = "assessment__organization"

    def __str__(self):
        return self.title_in("en") or str(self.assessment)

    def title_in(self, language: str) -> str:
        return pick(self.title, language) or self.assessment.title

    @property
    def language_list(self):
        """The survey's languages (assessments.languages.Language), English first."""
        return survey_languages(self.languages)

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.language_list]

    def intro_in(self, language: str) -> str:
        return pick(self.intro, language)

    def purpose_in(self, language: str) -> str:
        return pick(self.purpose, language)

    def contact_in(self, language: str) -> str:
        return pick(self.contact, language)

    def results_shared_in(self, language: str) -> str:
        return pick(self.results_shared, language)

    def get_public_url(self):
        return reverse("assessments:survey_respond", kwargs={"token": self.token})


class RespondentSide(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer to the community")
    RESIDENT = "resident", _("Long-standing resident")
    PREFER_NOT = "prefer_not", _("Prefer not to say")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale 1–5")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        DECIMAL = "decimal", _("Decimal number")
        DATE = "date", _("Date")
        NOTE = "note", _("Note (text to read, no answer)")
        SECTION = "section", _("Section heading (starts a new part)")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    NUMBER_KINDS = (Kind.SCALE, Kind.NUMBER)
    TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
    # Answers kept in Answer.text in one canonical spelling ("12.5", "2031-04-30"), listed with the
    # written answers: they have no bins or options to count.
    WRITTEN_KINDS = (*TEXT_KINDS, Kind.DECIMAL, Kind.DATE)
    # Shown to respondents but never answered: no answers, results or CSV column.
    DISPLAY_KINDS = (Kind.NOTE, Kind.SECTION)

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    text = models.JSONField(_("question"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    # A scale question's own words for its ends ("1 = never", "5 = every week"); empty: the page's.
    scale_low = models.JSONField(_("label of 1 on the scale"), default=dict, blank=True)
    scale_high = models.JSONField(_("label of 5 on the scale"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.IntegerField(_("smallest number"), default=0)
    max_value = models.IntegerField(_("largest number"), default=100)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()
    tenant_path = "survey__assessment__organization"

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_value__gte=models.F("min_value")), name="question_range_in_order"),
        ]

    def __str__(self):
        return self.text_in("en")

    def text_in(self, language: str) -> str:
        return pick(self.text, language)

    def help_in(self, language: str) -> str:
        return pick(self.help_text, language)

    def scale_ends_in(self, language: str) -> tuple[str, str]:
        """The words under 1 and 5, or ("", "") where the page's own are to be used."""
        return pick(self.scale_low, language), pick(self.scale_high, language)

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_numeric(self) -> bool:
        return self.kind in self.NUMBER_KINDS

    @property
    def is_text(self) -> bool:
        """Answered in writing: text, and the decimal numbers and dates held as text."""
        return self.kind in self.WRITTEN_KINDS

    @property
    def is_display(self) -> bool:
        return self.kind in self.DISPLAY_KINDS

    @property
    def text_max_length(self) -> int:
        return SHORT_TEXT_MAX_LENGTH if self.kind == self.Kind.SHORT_TEXT else TEXT_ANSWER_MAX_LENGTH

    @property
    def bounds(self) -> tuple[int, int]:
        return (1, 5) if self.kind == self.Kind.SCALE else (self.min_value, self.max_value)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0)
    label = models.JSONField(_("label"), default=dict)

    objects = TenantQuerySet.as_manager()
    tenant_path = "question__survey__assessment__organization"

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label_in("en")

    def label_in(self, language: str) -> str:
        return pick(self.label, language)


class Channel(models.TextChoices):
    """How an answer reached us. Never who carried it: a paper response holds no staff name."""

    ONLINE = "online", _("online")
    PAPER = "paper", _("on paper, entered by staff")
    KIOSK = "kiosk", _("at a kiosk")


class Response(models.Model):
    """One submitted questionnaire. Deliberately holds nothing about who sent it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(_("respondent's side"), max_length=20, choices=RespondentSide.choices)
    # The date only: a time of day could be matched against who was in the room.
    submitted_on = models.DateField(_("submitted on"))
    # The language the page was shown in, so a free-text answer is read in the language it was
    # written in. Nothing else about the respondent's languages or browser is kept.
    language = models.CharField(_("language of the page"), max_length=10, default=DEFAULT_LANGUAGE)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE, db_default=Channel.ONLINE
    )
    # A random key the page makes for each questionnaire, so an answer sent again (a device that
    # was offline, a double tap) is stored once. Random per submission: it links to nothing.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = TenantQuerySet.as_manager()
    tenant_path = "survey__assessment__organization"

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["survey", "side"])]
        constraints = [models.CheckConstraint(condition=Q(channel__in=Channel.values), name="response_channel_known")]

    def __str__(self):
        return f"Response {self.pk}"


class Answer(models.Model):
    """One answer; a multiple-choice answer is one row per chosen option."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # RESTRICT: a chosen option cannot be deleted on its own, but the whole survey or organisation can.
    choice = models.ForeignKey(Choice, on_delete=models.RESTRICT, null=True, blank=True, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True, default="")

    objects = TenantQuerySet.as_manager()
    tenant_path = "response__survey__assessment__organization"

    class Meta:
        ordering = ["response_id", "question_id"]
        indexes = [models.Index(fields=["question", "choice"]), models.Index(fields=["question", "number"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(choice__isnull=False, number__isnull=True, text="")
                    | Q(choice__isnull=True, number__isnull=False, text="")
                    | (Q(choice__isnull=True, number__isnull=True) & ~Q(text=""))
                ),
                name="answer_holds_exactly_one_value",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_ANSWER_MAX_LENGTH), name="answer_text_capped"
            ),
        ]

    def __str__(self):
        return f"Answer to question {self.question_id}"


class PublicWording(models.Model):
    """An organisation's own words for one of the public survey page's texts in one language,
    shown on its surveys in place of the catalogue's (a local term, a correction)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="public_wordings")
    # No choices: they would put the language list (and the page's texts) into migrations;
    # services.public_wording_save accepts only listed languages and known texts.
    language = models.CharField(_("language"), max_length=10)
    key = models.CharField(max_length=40)
    text = models.CharField(_("your words"), max_length=600)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "language", "key"], name="one_wording_per_text"),
            models.CheckConstraint(condition=~Q(text=""), name="wording_not_empty"),
        ]

    def __str__(self):
        return f"{self.language}:{self.key}"


class Consultation(models.Model):
    """A focus group, round table, listening session or coffee and chat."""

    class Kind(models.TextChoices):
        FOCUS_GROUP = "focus_group", _("Focus group")
        ROUND_TABLE = "round_table", _("Round table")
        LISTENING_SESSION = "listening_session", _("Listening session")
        COFFEE_AND_CHAT = "coffee_and_chat", _("Coffee and chat")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="consultations")
    assessment = models.ForeignKey(
        NeedsAssessment,
        verbose_name=_("part of assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.FOCUS_GROUP)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    newcomer_participants = models.PositiveIntegerField(_("newcomers taking part"), default=0)
    resident_participants = models.PositiveIntegerField(_("long-standing residents taking part"), default=0)
    languages = models.CharField(
        _("languages used"), max_length=200, blank=True, help_text=_("e.g. English, Spanish, Haitian Creole")
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Do not write down names or anything that identifies a participant.")
    )
    key_points = models.TextField(_("key points"), blank=True, help_text=_("One per line."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:consultation_detail", kwargs={"pk": self.pk})

    @property
    def total_participants(self) -> int:
        return self.newcomer_participants + self.resident_participants

    @property
    def key_point_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.key_points.splitlines() if line.strip(" -•\t")]


class Need(models.Model):
    """A need of the community, identified from surveys and consultations."""

    class Category(models.TextChoices):
        ACCESS_TO_SERVICES = "access_to_services", _("Access to services")
        LANGUAGE = "language", _("Language")
        ECONOMIC = "economic", _("Economic")
        LEGAL = "legal", _("Legal")
        CIVIC = "civic", _("Civic")
        SAFETY_AND_TRUST = "safety_and_trust", _("Safety and trust")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        HOUSING = "housing", _("Housing")
        CONNECTED_COMMUNITIES = "connected_communities", _("Connected communities")
        OTHER = "other", _("Other")

    class Priority(models.IntegerChoices):
        # Integers so "by priority" sorts in SQL.
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        BEING_ADDRESSED = "being_addressed", _("Being addressed")
        MET = "met", _("Met")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="needs")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices, default=Category.OTHER)
    description = models.TextField(_("description"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    assessment = models.ForeignKey(
        NeedsAssessment,
        verbose_name=_("found in assessment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
    )
    evidence_questions = models.ManyToManyField(
        Question, verbose_name=_("survey questions that support it"), blank=True, related_name="needs"
    )
    evidence_consultations = models.ManyToManyField(
        Consultation, verbose_name=_("consultations that support it"), blank=True, related_name="needs"
    )
    evidence_notes = models.TextField(_("other evidence"), blank=True)

    objects = TenantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["priority", "title"]
        indexes = [models.Index(fields=["organization", "priority"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:need_detail", kwargs={"pk": self.pk})


class Kiosk(models.Model):
    """A tablet passed around at an event, showing one survey's public form (channel kiosk).

    Only a SHA-256 of its link's secret is kept. It ends when a staff member enters the password
    of the one who started it on the kiosk's exit page, when any editor ends it from the
    assessment's page, or KIOSK_HOURS after it started. Nothing about respondents."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="kiosks")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The languages the kiosk offers (a subset of the survey's), the first one shown first.
    languages = models.JSONField(_("languages"), default=default_survey_languages)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()
    tenant_path = "survey__assessment__organization"

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Kiosk {self.pk}"
