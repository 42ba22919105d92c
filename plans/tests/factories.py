import datetime

import factory

from integration_hub.tests.factories import OrganizationFactory
from plans.models import Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Welcoming Riverside plan {n}")
    community = "City of Riverside"
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2028, 12, 31)
    vision = "Newcomers and long-standing residents shape the city together."
