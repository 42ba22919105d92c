import pytest

from assessments.models import Answer, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_newcomer_answers_the_public_survey_in_spanish_on_a_phone(page, live_server, organization):
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization),
        title={"en": "What does our community need?", "es": "¿Qué necesita nuestra comunidad?"},
    )
    choice_question(survey, labels=("Library", "Clinic"), position=1, text={"en": "Where?", "es": "¿Dónde?"})
    QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.SCALE, text={"en": "How welcome?", "es": "¿Qué tan bienvenido?"}
    )
    QuestionFactory(
        survey=survey,
        position=3,
        kind=Question.Kind.NUMBER,
        min_value=1,
        max_value=15,
        text={"en": "Household size?", "es": "¿Cuántas personas viven en su hogar?"},
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{survey.get_public_url()}")
    page.get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("heading", name="¿Qué necesita nuestra comunidad?").wait_for()

    # Sent incomplete first: the error summary comes in Spanish and nothing is stored.
    page.get_by_label("Soy recién llegado/a a esta comunidad").check()
    page.get_by_label("¿Cuántas personas viven en su hogar?").fill("40")
    page.get_by_role("button", name="Enviar mis respuestas").click()
    summary = page.locator("#error-summary")
    assert "Revise estas respuestas" in summary.inner_text()
    assert "Por favor, escriba un número del 1 al 15." in summary.inner_text()
    assert Response.objects.count() == 0

    page.get_by_role("group", name="1. ¿Dónde?").get_by_label("Clinic (es)").check()
    page.get_by_role("group", name="2. ¿Qué tan bienvenido?").get_by_text("4", exact=True).click()
    page.get_by_label("¿Cuántas personas viven en su hogar?").fill("4")
    page.get_by_role("button", name="Enviar mis respuestas").click()

    page.get_by_role("heading", name="Gracias").wait_for()
    response = Response.objects.get()
    assert response.side == RespondentSide.NEWCOMER
    answers = {a.question.text["en"]: a for a in Answer.objects.select_related("question", "choice")}
    assert answers["Where?"].choice.label["en"] == "Clinic"
    assert answers["How welcome?"].number == 4
    assert answers["Household size?"].number == 4
