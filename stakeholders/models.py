"""Step 2, stakeholder buy-in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integration_hub.choices import CommunitySide
from integration_hub.models import Organization
from integration_hub.tenancy import TenantQuerySet


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "stance", "influence"])]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name
