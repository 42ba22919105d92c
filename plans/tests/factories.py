import datetime

import factory

from initiatives.tests.factories import InitiativeFactory
from integration_hub.tests.factories import OrganizationFactory
from plans.models import Plan, Story


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Welcoming Riverside plan {n}")
    community = "City of Riverside"
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2028, 12, 31)
    vision = "Newcomers and long-standing residents shape the city together."


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    organization = factory.SubFactory(OrganizationFactory)
    initiative = factory.LazyAttribute(lambda o: InitiativeFactory(organization=o.organization))
    title = factory.Sequence(lambda n: f"Tomatoes over the fence {n}")
    text = "A neighbour of thirty years and a family from Guatemala now share a garden."
    pseudonym = "A gardener"
    consent_by = Story.ConsentBy.BOTH
    consent_on = datetime.date(2026, 5, 1)
    scope = Story.Scope.PUBLIC
