import datetime

import factory

from integration_hub.tests.factories import OrganizationFactory
from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Council member {n}")
    role_title = "Council member"
    affiliation = "City Council"
    sector = Stakeholder.Sector.LOCAL_GOVERNMENT
    influence = Stakeholder.Influence.HIGH
    stance = Stakeholder.Stance.NEUTRAL


class StanceChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StanceChange

    stakeholder = factory.SubFactory(StakeholderFactory)
    new_stance = factory.SelfAttribute("stakeholder.stance")


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=7))
    kind = Engagement.Kind.COFFEE
    summary = "Talked about the library's conversation circles."

    @factory.post_generation
    def stakeholders(self, create, extracted, **kwargs):
        if create and extracted:
            self.stakeholders.set(extracted)

    @factory.post_generation
    def staff(self, create, extracted, **kwargs):
        if create and extracted:
            self.staff.set(extracted)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    stakeholder = factory.SubFactory(StakeholderFactory)
    promise = "Speak at the citizenship class"
    made_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))
    status = Commitment.Status.OPEN
