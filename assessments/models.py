"""Step 1, needs assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integration_hub.models import Organization
from integration_hub.tenancy import TenantQuerySet


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

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "title"]
        indexes = [models.Index(fields=["organization", "priority"])]

    def __str__(self):
        return self.title
