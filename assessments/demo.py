"""Demo data for step 1: a bilingual survey with a few hundred answers, and each demo community's own
two consultations and six needs."""

import random
from datetime import timedelta

from django.db import transaction

from assessments import services
from assessments.models import Answer, Consultation, Need, NeedsAssessment, Question, RespondentSide, Response
from assessments.services import ChoiceEdit, QuestionData
from integration_hub.models import Role

RESPONSES = 320

# (kind, English, Spanish, [(English option, Spanish option)], extra fields)
QUESTIONS = [
    (
        Question.Kind.SINGLE,
        "How long have you lived in this area?",
        "¿Cuánto tiempo hace que vive en esta zona?",
        [
            ("Less than a year", "Menos de un año"),
            ("1 to 5 years", "De 1 a 5 años"),
            ("6 to 15 years", "De 6 a 15 años"),
            ("More than 15 years", "Más de 15 años"),
        ],
        {},
    ),
    (
        Question.Kind.MULTIPLE,
        "Which services are hard to reach for you or your family?",
        "¿Qué servicios les resultan difíciles de conseguir a usted o a su familia?",
        [
            ("Health care", "Atención médica"),
            ("English classes", "Clases de inglés"),
            ("Legal advice", "Asesoría legal"),
            ("Housing help", "Ayuda con la vivienda"),
            ("Jobs and training", "Empleo y capacitación"),
            ("Banking", "Servicios bancarios"),
        ],
        {},
    ),
    (
        Question.Kind.SCALE,
        "How welcome do newcomers feel in this community?",
        "¿Qué tan bienvenidas se sienten las personas recién llegadas en esta comunidad?",
        [],
        {},
    ),
    (
        Question.Kind.SCALE,
        "How often do you talk with neighbours from a different background?",
        "¿Con qué frecuencia habla con vecinos de un origen distinto al suyo?",
        [],
        {
            "required": False,
            "scale_low": {"en": "never", "es": "nunca"},
            "scale_high": {"en": "every day", "es": "todos los días"},
        },
    ),
    (
        Question.Kind.SINGLE,
        "Would you come to a community event where both newcomers and long-time residents meet?",
        "¿Vendría a un evento donde se reúnan personas recién llegadas y residentes de siempre?",
        [("Yes", "Sí"), ("Maybe", "Tal vez"), ("No", "No")],
        {},
    ),
    (
        Question.Kind.NUMBER,
        "How many people live in your household?",
        "¿Cuántas personas viven en su hogar?",
        [],
        {"min_value": 1, "max_value": 15, "required": False},
    ),
    (
        Question.Kind.LONG_TEXT,
        "What one thing would make this a more welcoming place to live?",
        "¿Qué cosa haría de este un lugar más acogedor para vivir?",
        [],
        {"required": False},
    ),
]

TEXT_ANSWERS = [
    "More classes in the evening so people who work can come.",
    "A place where neighbours can meet, like a community dinner.",
    "Más información en español en la biblioteca y en la clínica.",
    "Bus routes that reach the industrial park on weekends.",
    "Help understanding the school system for parents.",
    "Que la policía y la comunidad se conozcan mejor.",
    "Welcome packets for new families with local services listed.",
    "A soccer league open to everyone.",
]

N, P, NS = Need.Category, Need.Priority, Need.Status
K = Consultation.Kind
# Each demo affiliate is its own community: its consultations and the needs they found.
# A consultation: (days ago, facilitator (None: the assessment's owner), fields).
# A need: (title, category, priority, status, survey question indexes, consultation indexes).
# The initiatives' demo names the needs each initiative addresses by these titles.
PROFILES = {
    "riverside": {
        "consultations": [
            (30, None, {
                "title": "Focus group with parents at the ESL evening class",
                "kind": K.FOCUS_GROUP, "newcomer_participants": 11, "resident_participants": 2,
                "languages": "Spanish, Turkish, English",
                "key_points": "Evening classes fill up within a week and have a waiting list of 60\n"
                "Parents cannot read school letters sent only in English\n"
                "Without an ID, opening a bank account is nearly impossible",
                "notes": "Childcare was provided; the group asked to meet again in spring.",
            }),
            (18, "Library community outreach coordinator", {
                "title": "Round table with neighbourhood associations and the library",
                "kind": K.ROUND_TABLE, "newcomer_participants": 4, "resident_participants": 12,
                "languages": "English",
                "key_points": "Long-time residents want to meet new neighbours but do not know where\n"
                "The library can host a multilingual collection and conversation circles\n"
                "Concern about rumours and misinformation after the plant expansion",
            }),
        ],
        "needs": [
            ("More evening English classes", N.EDUCATION, P.HIGH, NS.IDENTIFIED, [1], [0]),
            ("Places where newcomers and residents meet", N.CONNECTED_COMMUNITIES, P.HIGH, NS.BEING_ADDRESSED,
             [2, 3, 4], [1]),
            ("An ID that banks and clinics accept", N.ECONOMIC, P.HIGH, NS.BEING_ADDRESSED, [1], [0]),
            ("Information in families' languages", N.LANGUAGE, P.MEDIUM, NS.BEING_ADDRESSED, [1], [0, 1]),
            ("Trust between police and newcomer families", N.SAFETY_AND_TRUST, P.MEDIUM, NS.IDENTIFIED, [], [1]),
            ("Newcomers' voice in local decisions", N.CIVIC, P.LOW, NS.IDENTIFIED, [], [0]),
        ],
    },
    "lakeshore": {
        "consultations": [
            (26, None, {
                "title": "Listening session at the Montagnard community centre",
                "kind": K.LISTENING_SESSION, "newcomer_participants": 23, "resident_participants": 3,
                "languages": "Rhade, Vietnamese, English",
                "key_points": "Nurses and engineers trained abroad work night shifts in warehouses\n"
                "No bus reaches the distribution centres on Sundays\n"
                "Parents miss conferences because no interpreter is booked",
                "notes": "Two volunteer interpreters; the centre offered its hall for the next session.",
            }),
            (12, None, {
                "title": "Round table with employers and the community college",
                "kind": K.ROUND_TABLE, "newcomer_participants": 5, "resident_participants": 14,
                "languages": "English, French",
                "key_points": "Employers cannot fill skilled jobs yet do not know how to read foreign credentials\n"
                "The college can fast-track licensing courses with evening sections\n"
                "New citizens rarely hear about voter registration",
            }),
        ],
        "needs": [
            ("Work that uses newcomers' training", N.ECONOMIC, P.HIGH, NS.BEING_ADDRESSED, [1], [0, 1]),
            ("Weekend bus service to the distribution centres", N.ACCESS_TO_SERVICES, P.HIGH, NS.IDENTIFIED,
             [1], [0]),
            ("Neighbours who know each other", N.CONNECTED_COMMUNITIES, P.MEDIUM, NS.BEING_ADDRESSED,
             [2, 3, 4], [1]),
            ("Interpreters at parent-teacher conferences", N.LANGUAGE, P.MEDIUM, NS.BEING_ADDRESSED, [], [0]),
            ("New citizens registered to vote", N.CIVIC, P.MEDIUM, NS.BEING_ADDRESSED, [], [1]),
            ("Affordable housing near work", N.HOUSING, P.LOW, NS.IDENTIFIED, [1], [0]),
        ],
    },
}  # fmt: skip
DEFAULT_PROFILE = "riverside"


def _weights(side, question_index, n_options):
    """Slightly different tendencies per side, so the side-by-side results say something."""
    base = [1.0] * n_options
    if question_index == 0:
        base = [3, 4, 2, 1] if side == RespondentSide.NEWCOMER else [0.3, 1, 2, 5]
    if question_index == 1:
        base = [4, 5, 3, 4, 3, 3] if side == RespondentSide.NEWCOMER else [2, 0.5, 0.5, 3, 3, 0.5]
    if question_index == 4:
        base = [5, 3, 1] if side == RespondentSide.NEWCOMER else [3, 4, 2]
    return base[:n_options]


@transaction.atomic
def seed(organization, people, today):
    if NeedsAssessment.objects.for_organization(organization).exists():
        return
    rng = random.Random(organization.pk)
    owner = people.get(Role.EDITOR) or people.get(Role.ADMIN)
    area = f"{organization.city or 'Our'} area"
    assessment = services.assessment_create(
        organization=organization,
        title=f"{organization.city or 'Community'} community needs survey {today.year}",
        area_served=area,
        period_start=today - timedelta(days=45),
        period_end=today + timedelta(days=30),
        status=NeedsAssessment.Status.COLLECTING,
        owner=owner,
        description=(
            "A short, anonymous survey for newcomers and long-standing residents, in English and Spanish, "
            "shared at the library, the clinic, parishes and ESL classes."
        ),
    )
    survey = services.survey_for(assessment)
    services.survey_update(
        survey=survey,
        title={"en": "What does our community need?", "es": "¿Qué necesita nuestra comunidad?"},
        intro={
            "en": "Ten minutes, anonymous. Your answers help local groups decide what to work on together.",
            "es": "Diez minutos, anónima. Sus respuestas ayudan a los grupos locales a decidir en qué trabajar juntos.",
        },
        purpose={
            "en": "To decide which classes, clinics and services we and our partners offer next year.",
            "es": "Para decidir qué clases, clínicas y servicios ofrecemos con nuestros socios el próximo año.",
        },
        contact={
            "en": f"Ask at the {organization.name} front desk, Monday to Friday.",
            "es": f"Pregunte en la recepción de {organization.name}, de lunes a viernes.",
        },
        results_shared={
            "en": "At the community meeting at the public library, and on our website.",
            "es": "En la reunión comunitaria de la biblioteca pública y en nuestro sitio web.",
        },
    )
    questions = []
    for kind, en, es, options, extra in QUESTIONS:
        data = QuestionData(
            kind=kind,
            text={"en": en, "es": es},
            choices=[ChoiceEdit(label={"en": o_en, "es": o_es}) for o_en, o_es in options],
            **extra,
        )
        questions.append(services.question_create(survey=survey, data=data))

    sides = [RespondentSide.NEWCOMER] * 45 + [RespondentSide.RESIDENT] * 48 + [RespondentSide.PREFER_NOT] * 7
    responses = Response.objects.bulk_create(
        Response(survey=survey, side=rng.choice(sides), submitted_on=today - timedelta(days=rng.randint(0, 44)))
        for _ in range(RESPONSES)
    )
    choices = {q.pk: list(q.choices.all()) for q in questions}
    answers = []
    for response in responses:
        for index, question in enumerate(questions):
            if not question.required and rng.random() < 0.2:
                continue
            if question.kind == Question.Kind.SINGLE:
                pick = rng.choices(
                    choices[question.pk], weights=_weights(response.side, index, len(choices[question.pk]))
                )
                answers.append(Answer(response=response, question=question, choice=pick[0]))
            elif question.kind == Question.Kind.MULTIPLE:
                weights = _weights(response.side, index, len(choices[question.pk]))
                for choice, weight in zip(choices[question.pk], weights, strict=True):
                    if rng.random() < weight / 8:
                        answers.append(Answer(response=response, question=question, choice=choice))
            elif question.kind == Question.Kind.SCALE:
                centre = 3 if response.side == RespondentSide.NEWCOMER else 4
                value = min(5, max(1, round(rng.gauss(centre, 1))))
                answers.append(Answer(response=response, question=question, number=value))
            elif question.kind == Question.Kind.NUMBER:
                answers.append(Answer(response=response, question=question, number=rng.randint(1, 7)))
            elif rng.random() < 0.4:
                answers.append(Answer(response=response, question=question, text=rng.choice(TEXT_ANSWERS)))
    Answer.objects.bulk_create(answers, batch_size=1000)

    profile = PROFILES.get(organization.slug, PROFILES[DEFAULT_PROFILE])
    consultations = [
        Consultation.objects.create(
            organization=organization,
            assessment=assessment,
            held_on=today - timedelta(days=days_ago),
            facilitator=facilitator if facilitator is not None else (owner.get_full_name() if owner else ""),
            **fields,
        )
        for days_ago, facilitator, fields in profile["consultations"]
    ]
    q = dict(enumerate(questions))
    for title, category, priority, status, question_indexes, consultation_indexes in profile["needs"]:
        need = Need.objects.create(
            organization=organization,
            assessment=assessment,
            title=title,
            category=category,
            priority=priority,
            status=status,
            description=f"Raised in the {assessment.title.lower()} and its consultations.",
        )
        need.evidence_questions.set([q[i] for i in question_indexes])
        need.evidence_consultations.set([consultations[i] for i in consultation_indexes])
