import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from integration_hub.choices import WelcomingStandard
from integration_hub.listing import OrganizationFilterSet

from .models import Idea, Initiative


class InitiativeFilter(OrganizationFilterSet):
    status = django_filters.ChoiceFilter(choices=Initiative.Status.choices, empty_label=_("Any status"))
    category = django_filters.ChoiceFilter(choices=WelcomingStandard.choices, empty_label=_("Any category"))
    lead = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), empty_label=_("Anyone"))

    class Meta:
        model = Initiative
        fields = ["status", "category", "lead"]


class IdeaFilter(OrganizationFilterSet):
    category = django_filters.ChoiceFilter(choices=Idea.Category.choices, empty_label=_("Any category"))
    audience = django_filters.ChoiceFilter(choices=Idea.Audience.choices, empty_label=_("Any audience"))
    welcoming_standard = django_filters.ChoiceFilter(
        choices=WelcomingStandard.choices, empty_label=_("Any"), label=_("Welcoming Standard")
    )

    class Meta:
        model = Idea
        fields = ["category", "audience", "welcoming_standard"]
