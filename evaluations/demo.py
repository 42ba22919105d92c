"""Demo data for step 4: indicators with 18 months of measurements, review
schedules with past reviews held and one overdue. Idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from evaluations import services
from evaluations.models import EvaluationReview, Indicator, ReviewSchedule
from initiatives.models import Initiative
from integration_hub.choices import CommunitySide, WelcomingStandard
from integration_hub.models import Role

# (name, unit, side, baseline, target, data source, how fast it moves: share of the straight line reached)
INDICATORS = {
    0: [
        ("ID cards issued to newcomers", "count", CommunitySide.NEWCOMERS, 0, 400, "Library ID desk log", 1.05),
        ("Bank accounts opened by newcomers", "count", CommunitySide.NEWCOMERS, 0, 150, "Partner credit union", 0.7),
        ("Participant satisfaction (1–5)", "score", CommunitySide.BOTH, 3.2, 4.5, "Exit cards after sessions", 0.95),
    ],
    1: [
        (
            "Voters registered at oath ceremonies",
            "count",
            CommunitySide.NEWCOMERS,
            0,
            600,
            "County board of elections",
            0.45,
        ),
        ("Event attendance: newcomers", "count", CommunitySide.NEWCOMERS, 20, 120, "Sign-in sheets (counts only)", 0.9),
        (
            "Event attendance: receiving community",
            "count",
            CommunitySide.RECEIVING,
            15,
            120,
            "Sign-in sheets (counts only)",
            0.65,
        ),
    ],
}
FALLBACK_INITIATIVES = [
    ("Welcome desk at the public library", WelcomingStandard.EQUITABLE_ACCESS),
    ("New Americans civic nights", WelcomingStandard.CIVIC_ENGAGEMENT),
]
FINDINGS = [
    "Numbers are rising steadily; evening hours brought more families.",
    "Fewer people than planned; the bus route change made the venue hard to reach.",
    "Good mix of newcomers and long-time residents at the last two events.",
]
FEEDBACK_NEWCOMERS = [
    "Interpreters at the desk made a real difference; asked for Saturday hours.",
    "Some felt unsure what documents to bring; a one-page checklist in Spanish and Dari would help.",
]
FEEDBACK_RECEIVING = [
    "Volunteers from the Rotary club want to help with the next event.",
    "Neighbours asked for more chances to meet informally, not only at presentations.",
]


def _initiatives(organization, people, today):
    initiatives = list(Initiative.objects.for_organization(organization).order_by("created_at")[:2])
    for title, category in FALLBACK_INITIATIVES[len(initiatives) :]:
        initiatives.append(
            Initiative.objects.create(
                organization=organization,
                title=title,
                category=category,
                status=Initiative.Status.ACTIVE,
                lead=people.get(Role.EDITOR),
                start_date=today - relativedelta(months=18),
                summary="Created by the evaluation demo.",
            )
        )
    return initiatives


def seed(organization, people, today: date) -> None:
    if Indicator.objects.for_organization(organization).exists():
        return
    rng = random.Random(organization.pk)
    editor = people.get(Role.EDITOR)
    start = today - relativedelta(months=18)
    for number, initiative in enumerate(_initiatives(organization, people, today)):
        for name, unit, side, baseline, target, source, pace in INDICATORS[number]:
            indicator = Indicator.objects.create(
                initiative=initiative,
                name=name,
                unit=unit,
                concerns=side,
                baseline_value=Decimal(str(baseline)),
                baseline_date=start,
                target_value=Decimal(str(target)),
                target_date=start + relativedelta(months=30),
                data_source=source,
            )
            span = (indicator.target_date - start).days
            rows = []
            for month in range(1, 19):
                when = start + relativedelta(months=month)
                if when > today:
                    break
                line = baseline + (target - baseline) * ((when - start).days / span)
                value = (
                    line * pace * rng.uniform(0.93, 1.05) if unit != "score" else baseline + (line - baseline) * pace
                )
                rows.append((indicator, when, Decimal(str(round(value, 2 if unit == "score" else 0))), ""))
            services.measurements_record(rows=rows, entered_by=editor)

        reviewers = [u for u in (people.get(Role.ADMIN), editor) if u]
        schedule = ReviewSchedule.objects.create(
            initiative=initiative,
            every=3,
            period=ReviewSchedule.Period.MONTHS,
            start_date=start + relativedelta(months=3, days=number * 10),
            reminder_lead_days=7,
        )
        schedule.reviewers.set(reviewers)
        past = list(_dates(schedule, today))
        for index, due in enumerate(past):
            review = EvaluationReview.objects.create(
                initiative=initiative, schedule=schedule, due_date=due, remind_from=due - timedelta(days=7)
            )
            if number == 1 and index == len(past) - 1:
                continue  # the last past review of the second initiative is left overdue
            held_on = due + timedelta(days=rng.choice([-3, -1, 0, 0, 2, 9]))
            services.review_hold(
                review=review,
                held_on=min(held_on, today),
                attendees="Program staff, two volunteer interpreters, a library manager, three participants",
                findings=rng.choice(FINDINGS),
                feedback_newcomers=rng.choice(FEEDBACK_NEWCOMERS),
                feedback_receiving=rng.choice(FEEDBACK_RECEIVING),
                decisions="Keep the current schedule; add one evening session a month.",
                next_steps="Staff to draft the document checklist; board to ask the bank about a second branch.",
                held_by=editor,
                today=today,
            )
        services.schedule_generate_reviews(schedule=schedule, today=today)


def _dates(schedule, today):
    for due in services.review_due_dates(schedule):
        if due >= today:
            return
        yield due
