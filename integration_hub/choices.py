"""Choices shared by several steps. Every step includes both sides of the community."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunitySide(models.TextChoices):
    NEWCOMERS = "newcomers", _("Newcomers")
    RECEIVING = "receiving", _("Receiving community")
    BOTH = "both", _("Both")


class WelcomingStandard(models.TextChoices):
    """Welcoming America's seven categories, the frame many cities report in."""

    GOVERNMENT_LEADERSHIP = "government_leadership", _("Government leadership")
    EQUITABLE_ACCESS = "equitable_access", _("Equitable access")
    CIVIC_ENGAGEMENT = "civic_engagement", _("Civic engagement")
    CONNECTED_COMMUNITIES = "connected_communities", _("Connected communities")
    EDUCATION = "education", _("Education")
    ECONOMIC_DEVELOPMENT = "economic_development", _("Economic development")
    SAFE_COMMUNITIES = "safe_communities", _("Safe communities")
