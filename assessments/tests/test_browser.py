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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_option_rows_are_added_in_place_and_saved_on_a_phone(page, live_server, client, editor_user, organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization), languages=["en", "es", "ar"])
    client.force_login(editor_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/needs/assessments/{survey.assessment_id}/survey/questions/new/")
    page.get_by_label("Question (English)").fill("Which classes would you join?")

    add = page.get_by_role("button", name="Add another option")
    for _ in range(3):
        add.click()
    assert page.locator("#choice-rows tr").count() == 6
    assert page.locator("#id_choices-TOTAL_FORMS").input_value() == "6"
    assert page.evaluate("document.activeElement.id") == "id_choices-5-label_en"  # the new row has the focus
    page.get_by_label("Option 1 in English").fill("Evening English")
    page.get_by_label("Option 2 in English").fill("Computer basics")
    page.get_by_label("Option 6 in English").fill("Driving theory")
    page.get_by_label("Option 6 in Arabic").fill("نظرية القيادة")
    assert page.get_by_label("Option 6 in Arabic").get_attribute("dir") == "rtl"
    page.get_by_label("Option 6 in Arabic").press("Enter")  # Enter saves; it does not add a row

    page.wait_for_url(f"**/needs/assessments/{survey.assessment_id}/survey/")
    question = Question.objects.get(survey=survey)
    assert [c.label for c in question.choices.order_by("position")] == [
        {"en": "Evening English"},
        {"en": "Computer basics"},
        {"en": "Driving theory", "ar": "نظرية القيادة"},
    ]
    assert problems == []
