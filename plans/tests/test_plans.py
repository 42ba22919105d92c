"""The plan: picks scoped to the organisation, contents read live from the steps with the
survey's suppression, frozen versions, and the PDF."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors as assessment_selectors
from assessments.models import Answer, RespondentSide, Response
from assessments.tests.factories import (
    ConsultationFactory,
    NeedFactory,
    NeedsAssessmentFactory,
    SurveyFactory,
    choice_question,
)
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
from initiatives.tests.factories import FundingFactory, InitiativeFactory, MilestoneFactory
from integration_hub.choices import WelcomingStandard
from plans import selectors, services
from plans.models import Plan, PlanVersion
from plans.tests.factories import PlanFactory
from stakeholders.tests.factories import CommitmentFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(organization):
    """A need whose survey question was answered by 13 newcomers (7 yes, 6 no) and 9 residents (3 yes, 6 no)."""
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization, title="Spring listening"))
    question = choice_question(
        survey, labels=("Yes", "No"), text={"en": "Would you join a class?", "es": "¿Vendría a una clase?"}
    )
    yes, no = question.choices.all()
    answers = (
        (RespondentSide.NEWCOMER, yes, 7),
        (RespondentSide.NEWCOMER, no, 6),
        (RespondentSide.RESIDENT, yes, 3),
        (RespondentSide.RESIDENT, no, 6),
    )
    for side, choice, n in answers:
        for _ in range(n):
            response = Response.objects.create(survey=survey, side=side, submitted_on="2026-03-02")
            Answer.objects.create(response=response, question=question, choice=choice)
    need = NeedFactory(organization=organization, title="Evening English classes", description="Shift workers ask.")
    need.evidence_questions.add(question)
    need.evidence_consultations.add(
        ConsultationFactory(
            organization=organization, title="Library listening session", newcomer_participants=11,
            resident_participants=4, key_points="Childcare during class\nBus route 7",
        )
    )  # fmt: skip
    return need


@pytest.fixture
def full_plan(organization, evidence):
    initiative = InitiativeFactory(
        organization=organization, title="Conversation circles", category=WelcomingStandard.CONNECTED_COMMUNITIES,
        goals="Pair 40 newcomers with neighbours\nMonthly potluck",
    )  # fmt: skip
    MilestoneFactory(initiative=initiative, title="First circle meets", due_date=dt.date(2026, 9, 1))
    FundingFactory(initiative=initiative, source_name="Rotary Club of Riverside", pledged=Decimal("1500.00"))
    other = InitiativeFactory(
        organization=organization, title="City ID card", category=WelcomingStandard.EQUITABLE_ACCESS
    )
    indicator = IndicatorFactory(initiative=initiative, name="People in circles", target_value=Decimal("40"))
    MeasurementFactory(indicator=indicator, value=Decimal("10"), date=dt.date(2025, 6, 1))
    partner = StakeholderFactory(organization=organization, name="Helen Park", affiliation="Main Library")
    CommitmentFactory(stakeholder=partner, promise="Host the circles at the library")
    plan = PlanFactory(organization=organization, title="Welcoming Riverside")
    services.plan_save(
        plan=plan,
        picks={
            "needs": [evidence],
            "initiatives": [initiative, other],
            "indicators": [indicator],
            "partners": [partner],
        },
    )
    return plan


def test_contents_read_the_steps_with_the_surveys_suppression(full_plan, evidence):
    contents = selectors.plan_contents(full_plan, "en")
    need = contents["needs"][0]
    table = need["surveys"][0]
    assert table["question"] == "Would you join a class?"
    yes, no = table["rows"]
    assert table["respondents"][2] == "22"
    # Three residents said yes: hidden, with no share to work it back from.
    assert yes["cells"][1]["display"] != "3" and yes["cells"][1]["percent"] is None
    # One truth: every cell is the results page's.
    survey = evidence.evidence_questions.get().survey
    results = assessment_selectors.survey_results(survey)
    page_cells = [[c.display for c in row.cells.values()] for row in results.questions[0].rows]
    assert [[c["display"] for c in row["cells"]] for row in table["rows"]] == page_cells
    assert need["consultations"][0]["key_points"] == ["Childcare during class", "Bus route 7"]
    # Initiatives in the Welcoming Standard's order, with goals, milestones and who pays.
    assert [g["category"] for g in contents["categories"]] == ["Equitable access", "Connected communities"]
    circles = contents["categories"][1]["initiatives"][0]
    assert circles["goals"] == ["Pair 40 newcomers with neighbours", "Monthly potluck"]
    assert circles["milestones"][0]["title"] == "First circle meets"
    assert circles["funders"][0]["name"] == "Rotary Club of Riverside" and circles["pledged"] == "$1,500.00"
    assert contents["indicators"][0]["percent"] == 25
    assert contents["partners"][0]["commitments"][0]["promise"] == "Host the circles at the library"


def test_contents_in_spanish_use_the_spanish_question_and_labels(full_plan):
    contents = selectors.plan_contents(full_plan, "es")
    table = contents["needs"][0]["surveys"][0]
    assert table["question"] == "¿Vendría a una clase?"
    assert [row["label"] for row in table["rows"]] == ["Yes (es)", "No (es)"]
    assert contents["categories"][0]["category"] == "Acceso equitativo"


def test_plan_page_shows_the_live_plan(client_as, full_plan):
    response = client_as("board").get(reverse("plans:detail", args=[full_plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Evening English classes" in page and "Library listening session" in page
    assert "Conversation circles" in page and "Host the circles at the library" in page


def test_create_a_plan_with_picks(client_as, organization, evidence):
    response = client_as("editor").post(
        reverse("plans:create"),
        {
            "title": "Welcoming Riverside 2026–2028", "community": "City of Riverside",
            "period_start": "2026-01-01", "period_end": "2028-12-31", "needs": [evidence.pk],
        },
        follow=True,
    )  # fmt: skip
    plan = Plan.objects.get()
    assert list(plan.needs.all()) == [evidence]
    assert "was created" in response.content.decode()


def test_another_organisations_need_cannot_be_picked(client_as, organization, other_organization):
    theirs = NeedFactory(organization=other_organization)
    response = client_as("editor").post(
        reverse("plans:create"),
        {
            "title": "Plan",
            "community": "Town",
            "period_start": "2026-01-01",
            "period_end": "2027-01-01",
            "needs": [theirs.pk],
        },
    )
    assert response.status_code == 200 and "needs" in response.context["form"].errors
    assert not Plan.objects.exists()
    with pytest.raises(ValidationError):
        services.plan_save(plan=PlanFactory.build(organization=organization), picks={"needs": [theirs]})


def test_a_period_that_ends_before_it_starts_is_refused(client_as):
    response = client_as("editor").post(
        reverse("plans:create"),
        {"title": "Plan", "community": "Town", "period_start": "2027-01-01", "period_end": "2026-01-01"},
    )
    assert "period_end" in response.context["form"].errors
    assert not Plan.objects.exists()


def test_list_searches_and_has_an_empty_state(client_as, organization):
    empty = client_as("board").get(reverse("plans:index"))
    assert "No plans yet" in empty.content.decode()
    PlanFactory(organization=organization, title="Welcoming Riverside", community="Riverside")
    PlanFactory(organization=organization, title="Harbour plan", community="Harbour district")
    page = client_as("board").get(reverse("plans:index"), {"q": "harbour"}).content.decode()
    assert "Harbour plan" in page and "Welcoming Riverside" not in page


def test_a_published_version_reads_as_it_was(client_as, full_plan, admin_user):
    first = services.version_publish(plan=full_plan, published_by=admin_user)
    initiative = full_plan.initiatives.get(title="Conversation circles")
    initiative.title = "Neighbour circles"
    initiative.save()
    second = services.version_publish(plan=full_plan, published_by=admin_user)
    assert (first.number, second.number) == (1, 2)
    old = client_as("board").get(first.get_absolute_url()).content.decode()
    new = client_as("board").get(second.get_absolute_url()).content.decode()
    live = client_as("board").get(full_plan.get_absolute_url()).content.decode()
    assert "Conversation circles" in old and "Neighbour circles" not in old
    assert "Neighbour circles" in new and "Neighbour circles" in live


def test_a_published_version_cannot_be_changed(full_plan):
    version = services.version_publish(plan=full_plan, published_by=None)
    version.snapshot = {"en": {"title": "rewritten"}}
    with pytest.raises(ValidationError):
        version.save()
    assert PlanVersion.objects.get().snapshot["en"]["title"] == "Welcoming Riverside"


def test_publish_button_publishes_the_next_version(client_as, full_plan):
    response = client_as("editor").post(reverse("plans:publish", args=[full_plan.pk]), follow=True)
    assert full_plan.versions.get().number == 1
    assert "Version 1 was published." in response.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_pdf_of_a_version(client_as, full_plan, language):
    version = services.version_publish(plan=full_plan, published_by=None)
    response = client_as("board").get(
        reverse("plans:version_pdf", args=[full_plan.pk, version.number]), {"lang": language}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"-{language}.pdf" in response["Content-Disposition"]
