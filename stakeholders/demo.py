"""Demo data for step 2: 20 stakeholders, 30 engagements, 6 commitments in a small US city."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from integration_hub.choices import CommunitySide
from integration_hub.models import Role
from stakeholders import services
from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange

S, Inf, St = Stakeholder.Sector, Stakeholder.Influence, Stakeholder.Stance
N, R, B = CommunitySide.NEWCOMERS, CommunitySide.RECEIVING, CommunitySide.BOTH

# name, role, affiliation ({city} filled in), sector, influence, stance now, earlier stance or None, speaks for, tags
STAKEHOLDERS = [
    ("Patricia Holloway", "Mayor", "City of {city}", S.LOCAL_GOVERNMENT, Inf.HIGH, St.SUPPORTIVE, St.NEUTRAL, B, "welcoming week, city ID"),
    ("Rosa Delgado", "Council member, at large", "{city} City Council", S.LOCAL_GOVERNMENT, Inf.HIGH, St.CHAMPION, St.SUPPORTIVE, B, "executive order"),
    ("Derek Simmons", "Council member, Ward 3", "{city} City Council", S.LOCAL_GOVERNMENT, Inf.HIGH, St.SKEPTICAL, None, R, "budget"),
    ("Wayne Pruitt", "County commissioner", "County Board of Commissioners", S.LOCAL_GOVERNMENT, Inf.HIGH, St.OPPOSED, None, R, ""),
    ("Raymond Ellis", "Chief of Police", "{city} Police Department", S.LAW_ENFORCEMENT, Inf.HIGH, St.NEUTRAL, St.SKEPTICAL, R, "trust, language access"),
    ("Karen Walsh", "Lieutenant, community policing", "{city} Police Department", S.LAW_ENFORCEMENT, Inf.MEDIUM, St.SUPPORTIVE, None, B, "trust"),
    ("Helen Park", "Branch manager", "{city} Metro Library, Main Branch", S.LIBRARY, Inf.MEDIUM, St.CHAMPION, None, B, "conversation circles, citizenship class"),
    ("Marcus Greene", "Superintendent", "{city} Public Schools", S.SCHOOL, Inf.HIGH, St.NEUTRAL, None, B, "enrollment"),
    ("Angela Foster", "ESL coordinator", "{city} Public Schools", S.SCHOOL, Inf.LOW, St.CHAMPION, None, N, "enrollment, interpreters"),
    ("Tom Brennan", "Branch manager", "Community First Credit Union", S.BANK, Inf.MEDIUM, St.SUPPORTIVE, St.NEUTRAL, B, "city ID, accounts"),
    ("Linda Yost", "VP, community lending", "Heritage Savings Bank", S.BANK, Inf.HIGH, St.SKEPTICAL, None, R, "accounts"),
    ("James Whitaker", "Pastor", "Greater Grace AME Church", S.FAITH, Inf.MEDIUM, St.SUPPORTIVE, None, R, "interfaith"),
    ("Yusuf Abdi", "Imam", "Islamic Center of {city}", S.FAITH, Inf.MEDIUM, St.CHAMPION, St.SUPPORTIVE, N, "interfaith, citizenship class"),
    ("Michael O'Connor", "Pastor", "St. Joseph Catholic Parish", S.FAITH, Inf.MEDIUM, St.SUPPORTIVE, None, B, "interfaith"),
    ("Gary Lindqvist", "President", "Rotary Club of {city}", S.CIVIC_CLUB, Inf.MEDIUM, St.NEUTRAL, None, R, "mentoring"),
    ("Barbara Kessler", "Chair", "Kiwanis Club of {city}", S.CIVIC_CLUB, Inf.LOW, St.SKEPTICAL, None, R, ""),
    ("Jeff Morrow", "President", "{city} Area Chamber of Commerce", S.BUSINESS, Inf.HIGH, St.NEUTRAL, St.SKEPTICAL, R, "workforce"),
    ("Karen Mitchell", "Metro editor", "{city} Daily News", S.MEDIA, Inf.MEDIUM, St.NEUTRAL, None, B, "press"),
    ("Fatima Hassan", "Founder", "Somali Women's Association", S.NEWCOMER_LEADER, Inf.MEDIUM, St.CHAMPION, None, N, "women, interpreters"),
    ("María Guadalupe Reyes", "Director", "Centro Latino de {city}", S.NEWCOMER_LEADER, Inf.MEDIUM, St.CHAMPION, None, N, "workforce, citizenship class"),
]  # fmt: skip

# The other demo community: its own people in the same roles, and its own organisations where they differ.
LAKESHORE_NAMES = [
    "Nancy Vaughan-Reid", "Tameka Lewis", "Brian Kowalski", "Harold Pickett", "Angela Morris-Diaz",
    "Curtis Blake", "Joan Abernathy", "Dr. Lionel Grant", "Mai Ksor", "Steve Caldwell", "Robin Ashby",
    "Rev. Dwayne Haskins", "Omar Wardak", "Fr. Luis Ortega", "Phil Danner", "Sue Ellen Marsh",
    "Craig Hollister", "Dana Whitfield", "Esperance Mbuyi", "Y'Thu Nie",
]  # fmt: skip
LAKESHORE_CHANGES = {
    0: {"tags": "welcoming week, executive order"},
    1: {"tags": "executive order, transit"},
    9: {"affiliation": "Carolina Neighbors Credit Union", "tags": "accounts"},
    12: {"affiliation": "Islamic Center of {city}", "tags": "Afghan families, welcome nights"},
    13: {"affiliation": "St. Pius X Catholic Church"},
    18: {"affiliation": "Congolese Women's Circle", "tags": "women, interpreters"},
    19: {"affiliation": "Montagnard Dega Association", "tags": "recertification, interpreters"},
}
FIELDS = ("name", "role", "affiliation", "sector", "influence", "stance", "earlier", "side", "tags")


def _stakeholders(slug):
    if slug != "lakeshore":
        return STAKEHOLDERS
    rows = []
    for index, (row, name) in enumerate(zip(STAKEHOLDERS, LAKESHORE_NAMES, strict=True)):
        fields = dict(zip(FIELDS, row, strict=True)) | {"name": name} | LAKESHORE_CHANGES.get(index, {})
        rows.append(tuple(fields[f] for f in FIELDS))
    return rows


SUMMARIES = {
    Engagement.Kind.MEETING: [
        "Walked through the welcoming plan and the needs assessment results.",
        "Discussed how newcomer families find out about city services.",
    ],
    Engagement.Kind.COFFEE: [
        "Coffee to get to know each other; shared two client stories (with permission).",
        "Informal chat about what long-time residents are asking about newcomers.",
    ],
    Engagement.Kind.ROUND_TABLE: ["Round table on language access at city offices, with newcomer leaders present."],
    Engagement.Kind.PRESENTATION: ["Presented the welcoming plan at their monthly meeting; questions from members."],
    Engagement.Kind.LETTER: ["Sent a letter with the needs assessment summary and an invitation to Welcoming Week."],
    Engagement.Kind.PHONE: ["Phone call to follow up on the last meeting."],
    Engagement.Kind.EVENT: [
        "Attended the neighbourhood potluck; met several families from the Somali and Latino communities."
    ],
    Engagement.Kind.PUBLIC_COMMENT: ["Spoke during public comment in support of the language-access resolution."],
}
FEEDBACK = [
    "Worried about the cost to the city budget; wants numbers.",
    "Asked how long-time residents can get involved, not just newcomers.",
    "Supportive, but wants the police chief on board first.",
    "Heard concerns from residents about school crowding; wants facts to answer them.",
    "Would like a short one-page summary to share with their board.",
    "Interested in a joint event during Welcoming Week.",
    "",
]
COMMITMENTS = {"riverside": [
    # stakeholder index, promise, made days ago, due in days (negative: past), status, evidence
    (0, "Proclaim a day of kindness during Welcoming Week", 75, -20, Commitment.Status.KEPT,
     "Proclamation read at the council meeting; copy in the shared drive."),
    (1, "Support a welcoming executive order at council", 40, 45, Commitment.Status.OPEN, ""),
    (9, "Accept the city ID for opening accounts", 90, -12, Commitment.Status.OPEN, ""),
    (12, "Speak at the citizenship class", 60, -25, Commitment.Status.KEPT, "Spoke to 18 students at the library citizenship class; photo in the shared drive."),
    (4, "Hold a listening session with newcomer families", 50, -5, Commitment.Status.OPEN, ""),
    (6, "Host monthly English conversation circles at the main branch", 20, 60, Commitment.Status.OPEN, ""),
],
    "lakeshore": [
        (0, "Sign the welcoming executive order", 120, -60, Commitment.Status.KEPT,
         "Order signed in council chambers; a copy is on the city's website."),
        (16, "Ask chamber members to host a lunch and learn", 45, 30, Commitment.Status.OPEN, ""),
        (8, "Book interpreters for the spring parent-teacher conferences", 60, -10, Commitment.Status.OPEN, ""),
        (12, "Announce the welcome nights after Friday prayers", 30, 40, Commitment.Status.OPEN, ""),
        (4, "Hold a welcome night with newcomer families", 50, -5, Commitment.Status.OPEN, ""),
        (6, "Host a citizenship-class corner at the main branch", 20, 60, Commitment.Status.KEPT,
         "Corner opened in March; 14 learners came to the first session."),
    ],
}  # fmt: skip


def seed(organization, people, today) -> None:
    if Stakeholder.objects.for_organization(organization).exists():
        return
    rng = random.Random(organization.pk)
    city = organization.city or "our city"
    staff = [people[Role.EDITOR], people[Role.ADMIN]]
    editor = people[Role.EDITOR]

    def moment(days_ago: int):
        return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10, 0)))

    stakeholders = []
    for name, role, affiliation, sector, influence, stance, earlier, side, tags in _stakeholders(organization.slug):
        stakeholder = services.stakeholder_create(
            organization=organization,
            created_by=editor,
            name=name,
            role_title=role,
            affiliation=affiliation.format(city=city),
            sector=sector,
            influence=influence,
            stance=earlier or stance,
            speaks_for=side,
            tags=tags,
        )
        StanceChange.objects.filter(stakeholder=stakeholder).update(changed_at=moment(rng.randint(200, 300)))
        if earlier:
            services.stakeholder_update(stakeholder=stakeholder, changed_by=editor, stance=stance)
            StanceChange.objects.filter(stakeholder=stakeholder, old_stance=earlier).update(
                changed_at=moment(rng.randint(10, 120))
            )
        stakeholders.append(stakeholder)

    kinds = list(SUMMARIES)
    for number in range(30):
        kind = Engagement.Kind.COFFEE if number == 0 else rng.choice(kinds)
        date = today - timedelta(days=3 if number == 0 else rng.randint(1, 280))
        engagement = Engagement.objects.create(
            organization=organization,
            date=date,
            kind=kind,
            summary=rng.choice(SUMMARIES[kind]),
            feedback=rng.choice(FEEDBACK),
            follow_up_date=date + timedelta(days=rng.choice([14, 21, 30])) if rng.random() < 0.4 else None,
        )
        # The first one is the coffee and chat with three stakeholders from the story.
        engagement.stakeholders.set(stakeholders[6:9] if number == 0 else rng.sample(stakeholders, rng.randint(1, 3)))
        engagement.staff.set(rng.sample(staff, rng.randint(1, 2)))

    commitments = COMMITMENTS.get(organization.slug, COMMITMENTS["riverside"])
    for index, promise, made_ago, due_in, status, evidence in commitments:
        Commitment.objects.create(
            stakeholder=stakeholders[index],
            promise=promise,
            made_on=today - timedelta(days=made_ago),
            due_date=today + timedelta(days=due_in),
            status=status,
            evidence=evidence,
        )
