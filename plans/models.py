"""The community integration plan: assembled from the four steps, published in frozen versions
and endorsed by stakeholders through private links.

A plan holds only its own words and its picks; everything else is read live from the steps
(plans.selectors). A published version keeps what was shown then, as JSON, never edited.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integration_hub.models import Organization
from integration_hub.querysets import TenantQuerySet


class Plan(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=200)
    community = models.CharField(
        _("community served"), max_length=200, help_text=_("e.g. The City of Dayton and Montgomery County")
    )
    period_start = models.DateField(_("start of period"))
    period_end = models.DateField(_("end of period"))
    vision = models.TextField(_("vision"), blank=True, help_text=_("A few sentences: the community you work towards."))
    how_we_listened = models.TextField(
        _("how we listened"), blank=True, help_text=_("The survey, listening sessions and who took part.")
    )
    how_we_work = models.TextField(
        _("how we will work together"),
        blank=True,
        help_text=_("Who leads, how partners take part, how often you meet."),
    )
    needs = models.ManyToManyField(
        "assessments.Need", blank=True, related_name="plans", verbose_name=_("needs in the plan")
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", blank=True, related_name="plans", verbose_name=_("initiatives in the plan")
    )
    indicators = models.ManyToManyField(
        "evaluations.Indicator", blank=True, related_name="plans", verbose_name=_("indicators in the plan")
    )
    partners = models.ManyToManyField(
        "stakeholders.Stakeholder", blank=True, related_name="plans", verbose_name=_("partners in the plan")
    )
    stories = models.ManyToManyField(
        "Story", blank=True, related_name="plans", verbose_name=_("stories in the plan"),
        help_text=_("Only stories whose consent reaches officials are shown in the plan."),
    )  # fmt: skip
    # The public progress page: off until an admin turns it on; the slug is random and kept while
    # it is off, so an embed on the affiliate's site works again when it is turned back on.
    is_public = models.BooleanField(_("public page"), default=False, editable=False)
    public_slug = models.CharField(max_length=43, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="plan_period_ends_after_it_starts",
                violation_error_message=_("The plan's period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(public_slug__isnull=False), name="plan_public_page_has_a_slug"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])


class PlanVersion(models.Model):
    """What the plan showed when it was published, in every language, frozen."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # {"en": {...}, "es": {...}}: the plan's contents as built by selectors.plan_contents.
    snapshot = models.JSONField(editable=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"), editable=False,
    )  # fmt: skip

    tenant_path = "plan__organization"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_version_number_positive"),
        ]

    def __str__(self):
        return _("%(plan)s, version %(number)s") % {"plan": self.plan, "number": self.number}

    def save(self, *args, **kwargs):
        # Immutable: what a council endorsed must read later exactly as it was.
        if self.pk is not None:
            raise ValidationError(_("A published version cannot be changed; publish a new version instead."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:version", args=[self.plan_id, self.number])

    def contents(self, language: str) -> dict:
        return self.snapshot.get(language) or self.snapshot[settings.LANGUAGE_CODE[:2]]


class Endorsement(models.Model):
    """One stakeholder asked to endorse one published version, through a private link.

    Only a hash of the link's token is stored, so the table cannot hand out working links."""

    class Decision(models.TextChoices):
        WAITING = "", _("Not answered yet")
        ENDORSED = "endorsed", _("Endorsed")
        DECLINED = "declined", _("Declined")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="endorsements")
    stakeholder = models.ForeignKey(
        "stakeholders.Stakeholder", on_delete=models.CASCADE, related_name="endorsements",
        verbose_name=_("stakeholder"),
    )  # fmt: skip
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    asked_at = models.DateTimeField(_("asked on"), default=timezone.now, editable=False)
    decision = models.CharField(_("answer"), max_length=10, choices=Decision.choices, blank=True, default="")
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True, editable=False)
    signed_name = models.CharField(_("name"), max_length=200, blank=True)
    signed_title = models.CharField(_("title"), max_length=200, blank=True)
    statement = models.TextField(_("statement"), blank=True, max_length=2000)
    commitment = models.OneToOneField(
        "stakeholders.Commitment", on_delete=models.SET_NULL, null=True, blank=True, related_name="endorsement",
        editable=False,
    )  # fmt: skip

    tenant_path = "version__plan__organization"
    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["version", "stakeholder__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "stakeholder"], name="endorsement_asked_once_per_version"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(answered_at__isnull=False), name="endorsement_answer_has_a_date"
            ),
            models.CheckConstraint(
                condition=~Q(decision="endorsed") | ~Q(signed_name=""), name="endorsement_is_signed"
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder} · {self.version}"


class Story(models.Model):
    """A short story of a new relationship between newcomers and the receiving community, told
    under a pseudonym and shown only as far as its consent reaches. Withdrawing consent deletes
    it (services.story_withdraw), so it leaves every page at once. Published versions never copy
    stories: they read them live, within consent."""

    class Scope(models.IntegerChoices):
        # Ordered: each scope includes the ones before it.
        INTERNAL = 1, _("Internal only")
        OFFICIALS = 2, _("Shared with officials")
        PUBLIC = 3, _("Public")

    class ConsentBy(models.TextChoices):
        STORYTELLER = "storyteller", _("The person in the story")
        BOTH = "both", _("Everyone in the story")
        GUARDIAN = "guardian", _("A parent or guardian")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="stories")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="stories", verbose_name=_("initiative")
    )
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(
        _("story"), max_length=2000,
        help_text=_("A few sentences. No names, addresses, workplaces, ages or anything else that identifies someone."),
    )  # fmt: skip
    pseudonym = models.CharField(
        _("told as"), max_length=60, default=_("A neighbour"), help_text=_("A pseudonym, never a real name.")
    )
    consent_by = models.CharField(_("consent given by"), max_length=20, choices=ConsentBy.choices)
    consent_on = models.DateField(_("consent given on"), default=timezone.localdate)
    scope = models.PositiveSmallIntegerField(_("may be shown"), choices=Scope.choices, default=Scope.INTERNAL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-consent_on", "-pk"]
        constraints = [
            # A range, not IN (1, 2, 3): SQLite introspection cannot read a list in a CHECK.
            models.CheckConstraint(condition=Q(scope__gte=1) & Q(scope__lte=3), name="story_scope_known")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:story_list") + f"#story-{self.pk}"
