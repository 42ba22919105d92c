import datetime as dt
from decimal import Decimal

import factory

from evaluations.models import EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule
from initiatives.models import Initiative
from integration_hub.tests.factories import OrganizationFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Welcoming initiative {n}")
    status = Initiative.Status.ACTIVE


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    class Params:
        organization = None

    initiative = factory.LazyAttribute(
        lambda o: InitiativeFactory(organization=o.organization) if o.organization else InitiativeFactory()
    )
    name = factory.Sequence(lambda n: f"Bank accounts opened {n}")
    baseline_value = Decimal("0")
    baseline_date = dt.date(2025, 1, 1)
    target_value = Decimal("100")
    target_date = dt.date(2026, 1, 1)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    date = dt.date(2025, 7, 1)
    value = Decimal("50")


class ReviewScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewSchedule

    class Params:
        organization = None

    initiative = factory.LazyAttribute(
        lambda o: InitiativeFactory(organization=o.organization) if o.organization else InitiativeFactory()
    )
    every = 3
    period = ReviewSchedule.Period.MONTHS
    start_date = dt.date(2025, 1, 15)
    reminder_lead_days = 7


class EvaluationReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationReview

    class Params:
        organization = None

    schedule = factory.LazyAttribute(
        lambda o: ReviewScheduleFactory(organization=o.organization) if o.organization else ReviewScheduleFactory()
    )
    initiative = factory.LazyAttribute(lambda o: o.schedule.initiative)
    due_date = dt.date(2025, 4, 15)
    remind_from = factory.LazyAttribute(
        lambda o: o.due_date - dt.timedelta(days=o.schedule.reminder_lead_days if o.schedule else 0)
    )


class ReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reminder

    review = factory.SubFactory(EvaluationReviewFactory)
    kind = Reminder.Kind.OVERDUE
    period = factory.LazyAttribute(lambda o: o.review.due_date + dt.timedelta(days=1))
    recipient = factory.SubFactory("integration_hub.tests.factories.UserFactory")


def SharedIndicatorFactory(*, valid_from=dt.date(2024, 1, 1), created_by=None, **definition):  # noqa: N802 - reads as a factory
    """A shared indicator with its first version, through the service that writes both."""
    from evaluations import services
    from evaluations.models import SharedIndicator

    fields = {
        "name": f"Shared indicator {SharedIndicator.objects.count() + 1}",
        "unit": "count",
        "direction": "increase",
        "concerns": "both",
        "definition": "Counted from the sign-in sheets, once a month.",
        "category": "connected_communities",
        "aggregation": "sum",
        **definition,
    }
    return services.shared_indicator_create(created_by=created_by, valid_from=valid_from, **fields)
