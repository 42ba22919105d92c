"""Demo data for step 3: each demo community's initiatives started from the idea library, addressing
the needs its assessment found, with milestones and tasks, partners, budget, funding and events
across the last 18 months. Idempotent: does nothing if the organisation has initiatives."""

import random
from datetime import timedelta
from decimal import Decimal

from assessments.models import Need
from integration_hub.models import Role
from stakeholders.models import Stakeholder

from .models import Activity, BudgetLine, Funding, Idea, Initiative, InitiativePartner, Milestone, Task

S = Initiative.Status
K = Activity.Kind
F = Funding.SourceKind

# Each demo affiliate runs its own initiatives, each addressing the needs its assessment found (by title).
# idea title, status, months ago it started, goals, objectives, locations, milestones, activity (kind, title),
# needs addressed
PLANS = {
    "riverside": [
        ("Municipal ID card for all residents", S.ACTIVE, 14,
         "Every resident can prove who they are in the city\nBanks, clinics and schools accept the card",
         "1,500 cards issued in the first year\n10 banks and credit unions accept the card by December",
         "City Hall; Main library",
         ["Council resolution passed", "Card design and vendor chosen", "First enrolment days"],
         (K.EVENT, "Enrolment day at the library"), ["An ID that banks and clinics accept"]),
        ("Community-wide day of kindness", S.COMPLETED, 17,
         "Residents who rarely meet work side by side", "300 volunteers from both sides on the day",
         "Riverside Park", ["Mayor's proclamation", "Projects and sites confirmed", "Day of kindness"],
         (K.SERVICE_DAY, "Tree planting and blanket drive"), ["Places where newcomers and residents meet"]),
        ("Events where both sides meet", S.ACTIVE, 12,
         "Neighbours get to know each other over food and stories",
         "A monthly event with at least 40% receiving-community attendees", "Community centre; St. Mary's hall",
         ["Venue partners signed up", "Spring series", "Autumn series"], (K.EVENT, "Neighbours' potluck"),
         ["Places where newcomers and residents meet"]),
        ("Multilingual library collections", S.ACTIVE, 10,
         "Families find school, health and city information in their own language",
         "Collections in Spanish, Turkish and French at two branches\nA monthly conversation circle",
         "Main library; Eastside branch", ["Titles chosen with community readers", "Collection opened"],
         (K.CLASS, "Conversation circle"), ["Information in families' languages"]),
        ("Leadership training for immigrants", S.ACTIVE, 9,
         "Newcomers lead community projects and sit on local boards",
         "12 graduates a year\n3 graduates on a city board or commission within 2 years", "Riverside office",
         ["Curriculum adapted", "First cohort recruited", "Graduation"], (K.CLASS, "Leadership class"),
         ["Newcomers' voice in local decisions"]),
        ("Bank accounts for DACA and other eligible clients", S.ACTIVE, 6,
         "Eligible clients keep their savings safe in a local bank",
         "150 accounts opened with partner banks", "Community First Credit Union",
         ["Bank partners agreed", "First account clinics"], (K.WORKSHOP, "Account-opening clinic"),
         ["An ID that banks and clinics accept"]),
        ("Invite leaders to citizenship classes", S.PLANNED, 3,
         "New citizens meet the people who run their city", "The police chief and the mayor each visit a class",
         "Riverside office", ["Invitations sent", "First visit"], (K.CLASS, "Citizenship class with a guest"),
         ["Trust between police and newcomer families", "Newcomers' voice in local decisions"]),
        ("Cultural companion program", S.PAUSED, 11,
         "New families find their way to services in their first months",
         "25 families visited\n80% know where to find a clinic and a school after three visits", "Clients' homes",
         ["Companions trained", "First families matched"], (K.HOME_VISIT, "Home visit round"),
         ["Information in families' languages"]),
    ],
    "lakeshore": [
        ("Professional recertification and new-career skills", S.ACTIVE, 13,
         "Nurses, engineers and teachers trained abroad work in their field again",
         "40 newcomers in licensing or bridge courses\n15 employers offer interviews to graduates",
         "Guilford Technical Community College", ["Credential review clinics", "Bridge course opens", "First licences"],
         (K.WORKSHOP, "Credential review clinic"), ["Work that uses newcomers' training"]),
        ("Welcoming executive order", S.COMPLETED, 16,
         "The city says publicly that every resident belongs",
         "The mayor signs a welcoming executive order", "City Council chambers",
         ["Draft shared with council", "Public hearing", "Order signed"],
         (K.EVENT, "Community hearing on the order"), ["Neighbours who know each other"]),
        ("Lunch and learn at workplaces", S.ACTIVE, 8,
         "Co-workers understand each other's paths", "6 workplaces host a session this year", "Local employers",
         ["Employers contacted", "First three sessions held"], (K.LUNCH_AND_LEARN, "Lunch and learn"),
         ["Neighbours who know each other", "Work that uses newcomers' training"]),
        ("Voter registration at naturalisation ceremonies", S.ACTIVE, 10,
         "New citizens take part in local elections",
         "600 new citizens registered at oath ceremonies this year", "Federal courthouse",
         ["Agreement with the court", "Volunteer registrars trained", "Every ceremony covered"],
         (K.CEREMONY, "Registration table at the oath ceremony"), ["New citizens registered to vote"]),
        ("Former clients return as volunteers", S.ACTIVE, 7,
         "Families who were helped help the next ones",
         "20 former clients volunteer as interpreters or mentors", "Lakeshore office; schools",
         ["Volunteers recruited", "Interpreter training"], (K.WORKSHOP, "Volunteer interpreter training"),
         ["Interpreters at parent-teacher conferences"]),
        ("Police and nonprofits welcome newcomers together", S.PLANNED, 2,
         "Newcomer families meet the officers who serve their neighbourhood",
         "Four welcome nights a year at community centres", "Community centres",
         ["Plan agreed with the department", "First welcome night"], (K.EVENT, "Welcome night"),
         ["Neighbours who know each other"]),
    ],
}  # fmt: skip
DEFAULT_PLANS = "riverside"

TASKS = ["Draft the plan", "Book the room", "Call the partners", "Print flyers in four languages", "Send the follow-up"]
BUDGET = [("Venue and food", 1200), ("Interpreters", 900), ("Printing", 350), ("Materials", 600)]
FUNDERS = [
    (F.LOCAL_GOVERNMENT, "City of {city}"),
    (F.COMMUNITY_FUNDRAISER, "Neighbours' bake sale"),
    (F.GRANT, "Community Foundation"),
    (F.INDIVIDUAL_DONATION, "Individual donors"),
    (F.IN_KIND, "St. Mary's parish (hall)"),
]


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def seed(organization, people, today):
    if Initiative.objects.for_organization(organization).exists():
        return
    rng = random.Random(organization.pk)
    plans = PLANS.get(organization.slug, PLANS[DEFAULT_PLANS])
    ideas = {idea.title: idea for idea in Idea.objects.filter(title__in=[p[0] for p in plans])}
    stakeholders = list(Stakeholder.objects.for_organization(organization))
    needs = {need.title: need for need in Need.objects.for_organization(organization)}
    staff = [people[r] for r in (Role.ADMIN, Role.EDITOR) if r in people]
    city = organization.city or "our city"

    for title, status, months_ago, goals, objectives, locations, milestones, (kind, event), addresses in plans:
        idea = ideas.get(title)
        start = today - timedelta(days=30 * months_ago)
        initiative = Initiative.objects.create(
            organization=organization,
            idea=idea,
            title=title,
            category=idea.welcoming_standard if idea else "",
            summary=idea.description if idea else "",
            goals=goals,
            objectives=objectives,
            locations=locations,
            lead=rng.choice(staff) if staff else None,
            status=status,
            start_date=start,
            end_date=start + timedelta(days=30 * 18) if status != S.COMPLETED else today - timedelta(days=60),
        )
        # An organisation whose needs have other titles (a test's) gets one of its own needs.
        initiative.needs.set([needs[t] for t in addresses if t in needs] or list(needs.values())[:1])
        for stakeholder, role in zip(
            rng.sample(stakeholders, min(len(stakeholders), 3)), InitiativePartner.Role.values, strict=False
        ):
            InitiativePartner.objects.create(initiative=initiative, stakeholder=stakeholder, role=role)

        # A completed initiative has nothing dated after it ended.
        span = max(((initiative.end_date if status == S.COMPLETED else today) - start).days, 30)
        for index, milestone_title in enumerate(milestones):
            due = start + timedelta(days=int(span * (index + 1) / len(milestones)) + rng.randint(-10, 40))
            if status == S.COMPLETED:
                due = min(due, initiative.end_date)
            milestone = Milestone.objects.create(initiative=initiative, title=milestone_title, due_date=due)
            for task_title in rng.sample(TASKS, rng.randint(2, 3)):
                task_due = due - timedelta(days=rng.randint(3, 21))
                done = status == S.COMPLETED or (task_due < today and rng.random() < 0.8)
                Task.objects.create(
                    milestone=milestone,
                    title=task_title,
                    owner=rng.choice(staff) if staff else None,
                    due_date=task_due,
                    done=done,
                )

        for item, amount in rng.sample(BUDGET, 3):
            BudgetLine.objects.create(initiative=initiative, item=item, amount=_money(amount * rng.choice([1, 2, 3])))
        for source_kind, name in rng.sample(FUNDERS, 3):
            pledged = _money(rng.choice([500, 750, 1000, 1500, 2500]))
            received = pledged if rng.random() < 0.6 else _money(pledged * Decimal("0.5"))
            Funding.objects.create(
                initiative=initiative,
                source_kind=source_kind,
                source_name=name.format(city=city),
                pledged=pledged,
                received=received,
                date=start + timedelta(days=rng.randint(0, min(span, 200))),
            )

        for _ in range(rng.randint(3, 7)):
            newcomers = rng.randint(5, 40)
            Activity.objects.create(
                initiative=initiative,
                date=start + timedelta(days=rng.randint(0, span)),
                kind=kind,
                title=event,
                newcomers=newcomers,
                receiving=max(0, newcomers + rng.randint(-15, 10)),
                unknown=rng.randint(0, 5),
                volunteers=rng.randint(1, 8),
            )
