"""Demo data for step 4: each demo community's indicators on its own initiatives, measured monthly, review
schedules with past reviews held and one overdue. Idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from evaluations import selectors, services
from evaluations.models import EvaluationReview, Indicator, ReviewSchedule, SharedIndicator
from initiatives.models import Initiative
from integration_hub.choices import CommunitySide, WelcomingStandard
from integration_hub.models import Role

N, R, B = CommunitySide.NEWCOMERS, CommunitySide.RECEIVING, CommunitySide.BOTH
# Each demo community measures its own initiatives (named by title; the initiatives' demo makes them).
# (name, unit, side, baseline, target, data source, how fast it moves: share of the straight line reached)
INDICATORS = {
    "riverside": {
        "Municipal ID card for all residents": [
            ("ID cards issued to newcomers", "count", N, 0, 400, "Library ID desk log", 1.05),
            ("ID cards issued to long-time residents", "count", R, 0, 250, "Library ID desk log", 0.6),
            ("Banks and credit unions accepting the card", "count", B, 0, 10, "Partner survey", 0.8),
        ],
        "Events where both sides meet": [
            ("Event attendance: newcomers", "count", N, 20, 120, "Sign-in sheets (counts only)", 0.9),
            ("Event attendance: receiving community", "count", R, 15, 120, "Sign-in sheets (counts only)", 0.65),
            ("Participant satisfaction (1–5)", "score", B, 3.2, 4.5, "Exit cards after sessions", 0.95),
        ],
        "Community-wide day of kindness": [
            ("Volunteers signed up for the day", "count", B, 0, 300, "Volunteer sign-up sheet", 1.1),
        ],
    },
    "lakeshore": {
        "Professional recertification and new-career skills": [
            ("Newcomers in licensing or bridge courses", "count", N, 0, 40, "College enrolment report", 0.85),
            ("Employers offering interviews to graduates", "count", R, 0, 15, "Employer partner list", 0.5),
        ],
        "Voter registration at naturalisation ceremonies": [
            ("New citizens registered at oath ceremonies", "count", N, 0, 600, "County board of elections", 0.45),
        ],
        "Welcoming executive order": [
            ("Residents who signed the welcome pledge", "count", B, 0, 1000, "Pledge cards and web form", 0.9),
        ],
        "Lunch and learn at workplaces": [
            ("Co-workers attending lunch and learns", "count", R, 0, 180, "Session head counts", 0.7),
            ("Event attendance: receiving community", "count", R, 10, 90, "Session head counts", 0.8),
            ("Participant satisfaction (1–5)", "score", B, 3.4, 4.6, "Exit cards after sessions", 0.7),
        ],
    },
}
DEFAULT_PROFILE = "riverside"
# The network's shared indicators (name, unit, side, direction, category, aggregation, definition); a demo
# indicator of the same name is adopted from it, so both communities count in the network's roll-up.
SHARED = [
    ("Event attendance: newcomers", "count", N, "increase", WelcomingStandard.CONNECTED_COMMUNITIES, "sum",
     "Newcomers at events where both sides meet, from sign-in sheets (counts only), per month."),
    ("Event attendance: receiving community", "count", R, "increase", WelcomingStandard.CONNECTED_COMMUNITIES, "sum",
     "Long-standing residents at events where both sides meet, from sign-in sheets (counts only), per month."),
    ("Participant satisfaction (1–5)", "score", B, "increase", WelcomingStandard.CIVIC_ENGAGEMENT, "median",
     "Average of the exit cards' 1–5 answer to “Would you come again?” in the month."),
    ("Newcomers in licensing or bridge courses", "count", N, "increase", WelcomingStandard.ECONOMIC_DEVELOPMENT,
     "sum", "Newcomers enrolled on the last day of the month in a licensing, recertification or bridge course."),
]  # fmt: skip

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


def _measured(organization, people, today):
    """(initiative, its indicators) for the organisation's community; two stand-in initiatives when it has
    none of the titles (an organisation seeded without the initiatives' demo)."""
    plan = INDICATORS.get(organization.slug, INDICATORS[DEFAULT_PROFILE])
    by_title = {i.title: i for i in Initiative.objects.for_organization(organization).filter(title__in=plan)}
    if by_title:
        return [(by_title[title], rows) for title, rows in plan.items() if title in by_title]
    stand_ins = [
        Initiative.objects.create(
            organization=organization,
            title=title,
            category=category,
            status=Initiative.Status.ACTIVE,
            lead=people.get(Role.EDITOR),
            start_date=today - relativedelta(months=18),
            summary="Created by the evaluation demo.",
        )
        for title, category in FALLBACK_INITIATIVES
    ]
    return list(zip(stand_ins, plan.values(), strict=False))


def shared_indicators(today: date) -> dict:
    """The demo network's shared indicators by name, created once (in force from two years back)."""
    found = {shared.name: shared for shared in SharedIndicator.objects.filter(name__in=[row[0] for row in SHARED])}
    for name, unit, side, direction, category, aggregation, definition in SHARED:
        if name not in found:
            found[name] = services.shared_indicator_create(
                created_by=None, valid_from=today - relativedelta(years=2), name=name, unit=unit, concerns=side,
                direction=direction, category=category, aggregation=aggregation, definition=definition,
            )  # fmt: skip
    return found


def seed(organization, people, today: date) -> None:
    if Indicator.objects.for_organization(organization).exists():
        return
    shared = shared_indicators(today)
    rng = random.Random(organization.pk)
    editor = people.get(Role.EDITOR)
    scheduled = 0
    for initiative, indicators in _measured(organization, people, today):
        completed = initiative.status == Initiative.Status.COMPLETED
        start = initiative.start_date or today - relativedelta(months=18)
        # A finished initiative was measured until it ended, against a target dated then.
        end = initiative.end_date if completed and initiative.end_date else start + relativedelta(months=30)
        for name, unit, side, baseline, target, source, pace in indicators:
            own = {
                "baseline_value": Decimal(str(baseline)), "baseline_date": start,
                "target_value": Decimal(str(target)), "target_date": end, "data_source": source,
            }  # fmt: skip
            adopted = selectors.shared_indicators_adopted_by(organization.pk).filter(name=name).exists()
            if name in shared and not adopted:
                indicator = services.indicator_adopt(initiative=initiative, shared_indicator=shared[name], **own)
            else:
                indicator = Indicator.objects.create(initiative=initiative, name=name, unit=unit, concerns=side, **own)
            span = (end - start).days
            rows = []
            for month in range(1, 31):
                when = start + relativedelta(months=month)
                if when > min(today, end):
                    break
                line = baseline + (target - baseline) * ((when - start).days / span)
                value = (
                    line * pace * rng.uniform(0.93, 1.05) if unit != "score" else baseline + (line - baseline) * pace
                )
                value = min(value, target * 1.1) if unit == "count" else value
                rows.append((indicator, when, Decimal(str(round(value, 2 if unit == "score" else 0))), ""))
            services.measurements_record(rows=rows, entered_by=editor)
        if completed:
            continue  # no reviews to plan for work that has ended

        reviewers = [u for u in (people.get(Role.ADMIN), editor) if u]
        schedule = ReviewSchedule.objects.create(
            initiative=initiative,
            every=3,
            period=ReviewSchedule.Period.MONTHS,
            start_date=start + relativedelta(months=3, days=scheduled * 10),
            reminder_lead_days=7,
        )
        schedule.reviewers.set(reviewers)
        past = list(_dates(schedule, today))
        for index, due in enumerate(past):
            review = EvaluationReview.objects.create(
                initiative=initiative, schedule=schedule, due_date=due, remind_from=due - timedelta(days=7)
            )
            if scheduled == 1 and index == len(past) - 1:
                continue  # the last past review of the second scheduled initiative is left overdue
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
        scheduled += 1


def _dates(schedule, today):
    for due in services.review_due_dates(schedule):
        if due >= today:
            return
        yield due
