import datetime
from decimal import Decimal

import factory

from assessments.models import Need
from initiatives.models import Activity, BudgetLine, Funding, Idea, Initiative, InitiativePartner, Milestone, Task
from integration_hub.tests.factories import OrganizationFactory
from stakeholders.models import Stakeholder


# Need and Stakeholder belong to other apps; these small local factories keep this
# app's tests independent of theirs.
class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Need {n}")


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Stakeholder {n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea {n}")
    category = Idea.Category.CONNECTED_COMMUNITIES
    welcoming_standard = "connected_communities"
    audience = Idea.Audience.PROGRAM
    description = "Bring neighbours together."


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    status = Initiative.Status.ACTIVE


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativePartner

    initiative = factory.SubFactory(InitiativeFactory)
    stakeholder = factory.SubFactory(
        StakeholderFactory, organization=factory.SelfAttribute("..initiative.organization")
    )
    role = InitiativePartner.Role.SUPPORTER


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    initiative = factory.SubFactory(InitiativeFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    milestone = factory.SubFactory(MilestoneFactory)
    title = factory.Sequence(lambda n: f"Task {n}")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    initiative = factory.SubFactory(InitiativeFactory)
    item = "Printing"
    amount = Decimal("100.00")


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funding

    initiative = factory.SubFactory(InitiativeFactory)
    source_kind = Funding.SourceKind.GRANT
    source_name = "Community Foundation"
    pledged = Decimal("500.00")
    received = Decimal("0.00")
    date = factory.LazyFunction(datetime.date.today)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    initiative = factory.SubFactory(InitiativeFactory)
    date = factory.LazyFunction(datetime.date.today)
    title = factory.Sequence(lambda n: f"Event {n}")
    newcomers = 10
    receiving = 8
