import pytest
from django.urls import reverse

from assessments.models import Choice, Question, Survey
from assessments.tests.factories import (
    AnswerFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    SurveyFactory,
    choice_question,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(organization):
    return SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))


def choices_data(rows, initial=0):
    data = {"choices-TOTAL_FORMS": str(len(rows)), "choices-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"choices-{i}-{key}"] = value
    return data


def question_data(**fields):
    data = {"text_en": "Which services are hard to reach?", "kind": "single", "required": "on"}
    data.update(min_value="0", max_value="100")
    data.update(fields)
    return data


def test_editor_adds_a_bilingual_choice_question(editor_client, survey):
    data = question_data(text_es="¿Qué servicios son difíciles?") | choices_data(
        [{"label_en": "Health", "label_es": "Salud"}, {"label_en": "Housing"}, {"label_en": ""}]
    )
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)

    assert response.status_code == 302
    question = Question.objects.get(survey=survey)
    assert question.text == {"en": "Which services are hard to reach?", "es": "¿Qué servicios son difíciles?"}
    assert [c.label for c in question.choices.all()] == [{"en": "Health", "es": "Salud"}, {"en": "Housing"}]


def test_choice_question_needs_two_options_and_keeps_what_was_typed(editor_client, survey):
    data = question_data(text_en="Pick one") | choices_data([{"label_en": "Only this", "label_es": "Solo esto"}])
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "A choice question needs at least two options with English text." in html
    assert 'value="Pick one"' in html and 'value="Solo esto"' in html
    assert not Question.objects.exists()


def test_survey_never_asks_immigration_status(editor_client, survey):
    data = question_data(text_en="What is your immigration status?") | choices_data(
        [{"label_en": "Yes"}, {"label_en": "No"}]
    )
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)
    assert response.status_code == 400
    assert "Surveys never ask about immigration or legal status" in response.content.decode()
    assert not Question.objects.exists()


def test_an_option_about_documents_is_refused(editor_client, survey):
    data = question_data() | choices_data([{"label_en": "Citizen"}, {"label_en": "Undocumented"}])
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_number_range_must_be_in_order(editor_client, survey):
    data = question_data(kind="number", min_value="10", max_value="1") | choices_data([])
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)
    assert response.status_code == 400
    assert "The largest number cannot be smaller than the smallest." in response.content.decode()


def _edit_data(question, **fields):
    rows = [{"id": str(c.pk), "label_en": c.label["en"]} for c in question.choices.all()]
    return question_data(text_en=question.text["en"], kind=question.kind) | choices_data(rows, len(rows)) | fields


def test_answered_question_keeps_its_kind_with_a_clear_message(editor_client, survey):
    question = choice_question(survey)
    AnswerFactory(response__survey=survey, question=question, choice=question.choices.first())
    data = _edit_data(question, kind="long_text")
    # The disabled field ignores a forged value, so the kind cannot change either way.
    response = editor_client.post(reverse("assessments:question_update", kwargs={"pk": question.pk}), data)
    question.refresh_from_db()
    assert question.kind == Question.Kind.SINGLE
    assert response.status_code == 302


def test_service_refuses_to_change_the_kind_of_an_answered_question(survey):
    from django.core.exceptions import ValidationError

    from assessments import services
    from assessments.services import QuestionData

    question = choice_question(survey)
    AnswerFactory(response__survey=survey, question=question, choice=question.choices.first())
    with pytest.raises(ValidationError, match="its kind cannot change"):
        services.question_update(question=question, data=QuestionData(kind="long_text", text={"en": "Why?"}))


def test_answered_question_wording_can_still_be_edited(editor_client, survey):
    question = choice_question(survey)
    AnswerFactory(response__survey=survey, question=question, choice=question.choices.first())
    data = _edit_data(question, text_en="Reworded question", text_es="Pregunta nueva")
    response = editor_client.post(reverse("assessments:question_update", kwargs={"pk": question.pk}), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == {"en": "Reworded question", "es": "Pregunta nueva"}


def test_a_chosen_option_cannot_be_removed(editor_client, survey):
    question = choice_question(survey, labels=("Yes", "No", "Maybe"))
    chosen = question.choices.first()
    AnswerFactory(response__survey=survey, question=question, choice=chosen)
    data = _edit_data(question) | {"choices-0-DELETE": "on"}
    response = editor_client.post(reverse("assessments:question_update", kwargs={"pk": question.pk}), data)

    assert response.status_code == 400
    assert "“Yes” was chosen in 1 answer, so it cannot be removed" in response.content.decode()
    assert Choice.objects.filter(pk=chosen.pk).exists()


def test_an_unchosen_option_can_be_removed_after_responses(editor_client, survey):
    question = choice_question(survey, labels=("Yes", "No", "Maybe"))
    AnswerFactory(response__survey=survey, question=question, choice=question.choices.first())
    data = _edit_data(question) | {"choices-2-DELETE": "on"}
    response = editor_client.post(reverse("assessments:question_update", kwargs={"pk": question.pk}), data)
    assert response.status_code == 302
    assert [c.label["en"] for c in question.choices.all()] == ["Yes", "No"]


def test_an_option_of_another_question_cannot_be_edited_through_this_one(editor_client, survey, other_organization):
    question = choice_question(survey)
    foreign = choice_question(SurveyFactory(assessment__organization=other_organization)).choices.first()
    data = _edit_data(question) | {"choices-0-id": str(foreign.pk), "choices-0-label_en": "Hijacked"}
    response = editor_client.post(reverse("assessments:question_update", kwargs={"pk": question.pk}), data)
    assert response.status_code == 400
    assert "One of the options does not belong to this question." in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.label["en"] != "Hijacked"


def test_answered_question_is_not_deleted_without_confirming_its_answers(editor_client, survey):
    question = choice_question(survey)
    AnswerFactory(response__survey=survey, question=question, choice=question.choices.first())
    response = editor_client.post(reverse("assessments:question_delete", kwargs={"pk": question.pk}), follow=True)
    assert "This question has 1 answer. To delete the question, confirm that its 1 answer" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_unanswered_question_can_be_deleted(editor_client, survey):
    question = QuestionFactory(survey=survey)
    editor_client.post(reverse("assessments:question_delete", kwargs={"pk": question.pk}))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_questions_move_up_and_down(editor_client, survey):
    first, second, third = (QuestionFactory(survey=survey, position=i) for i in (1, 2, 3))
    editor_client.post(reverse("assessments:question_move", kwargs={"pk": third.pk}), {"direction": "up"})
    assert list(survey.questions.all()) == [first, third, second]
    editor_client.post(reverse("assessments:question_move", kwargs={"pk": first.pk}), {"direction": "up"})
    assert list(survey.questions.all()) == [first, third, second]  # already first: nothing moves
    editor_client.post(reverse("assessments:question_move", kwargs={"pk": first.pk}), {"direction": "down"})
    assert list(survey.questions.all()) == [third, first, second]


def test_builder_shows_lock_notice_once_there_are_responses(editor_client, survey):
    question = choice_question(survey)
    url = reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id})
    assert "so it is locked" not in editor_client.get(url).content.decode()
    AnswerFactory(response__survey=survey, question=question, choice=question.choices.first())
    assert "This survey has 1 response, so it is locked" in editor_client.get(url).content.decode()


def test_builder_saves_the_public_title_and_introduction(editor_client, survey):
    url = reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id})
    editor_client.post(url, {"title_en": "Our survey", "title_es": "Nuestra encuesta", "intro_en": "Hello"})
    survey.refresh_from_db()
    assert survey.title == {"en": "Our survey", "es": "Nuestra encuesta"}
    assert survey.intro == {"en": "Hello"}


def test_creating_an_assessment_creates_its_survey(editor_client, organization):
    response = editor_client.post(
        reverse("assessments:assessment_create"), {"title": "Spring survey", "status": "draft"}
    )
    survey = Survey.objects.get(assessment__title="Spring survey")
    assert survey.assessment.organization == organization
    assert response.url == reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id})


def test_a_scale_question_names_its_own_ends_and_the_public_page_shows_them(editor_client, client, survey):
    from assessments.models import NeedsAssessment

    data = question_data(
        text_en="How often do you talk with neighbours from another background?",
        kind="scale",
        scale_low_en="never",
        scale_low_es="nunca",
        scale_high_en="every day",
    ) | choices_data([])
    editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)
    question = Question.objects.get(survey=survey)
    assert (question.scale_low, question.scale_high) == ({"en": "never", "es": "nunca"}, {"en": "every day"})

    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(status=NeedsAssessment.Status.COLLECTING)
    english = client.get(survey.get_public_url()).content.decode()
    assert "1 = never" in english and "5 = every day" in english and "very much" not in english
    spanish = client.get(survey.get_public_url() + "?lang=es").content.decode()
    assert "1 = nunca" in spanish and "5 = every day" in spanish  # English stands in where Spanish is missing

    edit = reverse("assessments:question_update", kwargs={"pk": question.pk})
    assert 'value="nunca"' in editor_client.get(edit).content.decode()


def test_a_scale_without_its_own_ends_keeps_the_pages_and_other_kinds_keep_none(editor_client, client, survey):
    from assessments.models import NeedsAssessment

    create = reverse("assessments:question_create", kwargs={"pk": survey.assessment_id})
    editor_client.post(create, question_data(text_en="How welcome do you feel?", kind="scale") | choices_data([]))
    number = question_data(text_en="How many people?", kind="number", scale_low_en="never") | choices_data([])
    editor_client.post(create, number)
    assert Question.objects.get(kind="number").scale_low == {}
    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(status=NeedsAssessment.Status.COLLECTING)
    page = client.get(survey.get_public_url()).content.decode()
    assert "1 = not at all" in page and "5 = very much" in page
