"""Issue 26: a question that has answers keeps its meaning, in the builder, the admin and the API."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Choice, Question, RespondentSide, Response
from assessments.services import ChoiceEdit, QuestionData
from assessments.tests.factories import (
    AnswerFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    choice_question,
)
from integration_hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(organization):
    return SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))


@pytest.fixture
def answered(survey):
    """A multiple-choice question answered by three people (five answer rows), and a second question."""
    question = choice_question(
        survey, labels=("Évening English classes — at the library", "Jobs", "Housing"), kind=Question.Kind.MULTIPLE
    )
    other = QuestionFactory(survey=survey, kind=Question.Kind.LONG_TEXT, required=False)
    jobs, housing = list(question.choices.all())[1:]
    for picks in ([jobs, housing], [jobs], [housing, jobs]):
        response = ResponseFactory(survey=survey, side=RespondentSide.RESIDENT)
        for choice in picks:
            AnswerFactory(response=response, question=question, choice=choice)
        AnswerFactory(response=response, question=other, text="Más clases por la tarde, por favor.")
    return question


def delete_url(question):
    return reverse("assessments:question_delete", kwargs={"pk": question.pk})


def superuser_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


# --- The builder: deleting asks to confirm the number of answers lost ----------------------------


def test_the_delete_page_names_how_many_people_answered(editor_client, answered):
    html = editor_client.get(delete_url(answered)).content.decode()
    assert "3 people answered this question." in html
    assert "Yes, delete this question and its 3 answers." in html
    assert 'name="answers_confirmed" id="answers-confirmed" value="3"' in html


def test_the_builder_offers_delete_for_an_answered_question(editor_client, answered):
    html = editor_client.get(reverse("assessments:survey_builder", kwargs={"pk": answered.survey.assessment_id}))
    assert delete_url(answered) in html.content.decode()


def test_deleting_an_answered_question_without_confirming_keeps_it(editor_client, answered):
    response = editor_client.post(delete_url(answered), follow=True)
    html = response.content.decode()
    assert "This question has 3 answers. To delete the question, confirm that its 3 answers" in html
    assert Question.objects.filter(pk=answered.pk).exists() and Answer.objects.filter(question=answered).count() == 5


def test_a_confirmation_of_fewer_answers_than_now_is_refused(editor_client, answered):
    editor_client.post(delete_url(answered), {"answers_confirmed": "2"})
    assert Question.objects.filter(pk=answered.pk).exists()
    for forged in ("-3", "3.0", "²", "9" * 5000):
        editor_client.post(delete_url(answered), {"answers_confirmed": forged})
    assert Question.objects.filter(pk=answered.pk).exists()


def test_confirming_the_count_deletes_the_question_and_only_its_answers(editor_client, answered):
    response = editor_client.post(delete_url(answered), {"answers_confirmed": "3"}, follow=True)
    assert "The question and its 3 answers were deleted." in response.content.decode()
    assert not Question.objects.filter(pk=answered.pk).exists()
    assert not Choice.objects.filter(question_id=answered.pk).exists()
    # The respondents' other answers stay.
    assert Response.objects.filter(survey=answered.survey).count() == 3
    assert Answer.objects.filter(response__survey=answered.survey).count() == 3


def test_after_the_retention_rule_the_kept_tallies_still_lock_the_question(survey, answered, editor_client):
    services.responses_purge(survey=survey, today=survey.assessment.created_at.date())
    assert not Answer.objects.exists()
    with pytest.raises(ValidationError, match="its kind cannot change"):
        services.question_update(question=answered, data=QuestionData(kind="long_text", text={"en": "Why?"}))
    chosen = list(answered.choices.all())[1]
    with pytest.raises(ValidationError, match="was chosen in 3 answers"):
        services.choice_check_removal(choice=chosen)
    assert "3 people answered this question." in editor_client.get(delete_url(answered)).content.decode()
    with pytest.raises(ValidationError):
        services.question_delete(question=answered)

    assert services.question_delete(question=answered, answers_confirmed=3) == 3
    survey.refresh_from_db()
    assert str(answered.pk) not in survey.kept_tallies["respondents"]
    assert str(answered.pk) not in survey.kept_tallies["choices"]


# --- Changing the kind: no old options left behind ------------------------------------------------


def test_a_choice_question_changed_to_text_loses_its_options(survey, client):
    question = choice_question(survey, labels=("Library", "Clinic"))
    services.question_update(question=question, data=QuestionData(kind="short_text", text={"en": "Where?"}))
    assert not Choice.objects.filter(question=question).exists()

    # Back to a choice: only the options given now, none of the old ones.
    services.question_update(
        question=question,
        data=QuestionData(
            kind="single", text={"en": "Where?"}, choices=[ChoiceEdit({"en": "Park"}), ChoiceEdit({"en": "School"})]
        ),
    )
    assert [c.label["en"] for c in question.choices.all()] == ["Park", "School"]


def test_a_choice_question_changed_to_text_in_the_admin_loses_its_options(survey):
    question = choice_question(survey, labels=("Library", "Clinic"))
    data = _admin_question_data(question, kind="number")
    response = superuser_client().post(reverse("admin:assessments_question_change", args=[question.pk]), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.kind == Question.Kind.NUMBER and not question.choices.exists()


# --- The admin: no delete, no change of kind, range or chosen options under the answers -----------


def _admin_question_data(question, **fields):
    data = {
        "survey": str(question.survey_id),
        "position": str(question.position),
        "kind": question.kind,
        "text": json.dumps(question.text),
        "help_text": "{}",
        "required": "on",
        "min_value": str(question.min_value),
        "max_value": str(question.max_value),
        "choices-TOTAL_FORMS": str(question.choices.count()),
        "choices-INITIAL_FORMS": str(question.choices.count()),
    }
    for i, choice in enumerate(question.choices.all()):
        data |= {
            f"choices-{i}-id": str(choice.pk),
            f"choices-{i}-question": str(question.pk),
            f"choices-{i}-position": str(choice.position),
            f"choices-{i}-label": json.dumps(choice.label),
        }
    return data | fields


def test_the_admin_refuses_to_delete_an_answered_question(answered):
    admin = superuser_client()
    url = reverse("admin:assessments_question_delete", args=[answered.pk])
    assert admin.get(url).status_code == 403
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert Question.objects.filter(pk=answered.pk).exists()
    changelist = admin.get(reverse("admin:assessments_question_changelist"))
    assert "delete_selected" not in changelist.content.decode()


def test_the_admin_still_deletes_a_question_nobody_answered(survey):
    question = QuestionFactory(survey=survey)
    admin = superuser_client()
    admin.post(reverse("admin:assessments_question_delete", args=[question.pk]), {"post": "yes"})
    assert not Question.objects.filter(pk=question.pk).exists()


def test_the_admin_shows_kind_range_and_survey_read_only_once_answered(answered, organization):
    other_survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    survey_id = answered.survey_id
    admin = superuser_client()
    url = reverse("admin:assessments_question_change", args=[answered.pk])
    assert 'name="kind"' not in admin.get(url).content.decode()
    data = _admin_question_data(answered, kind="short_text", survey=str(other_survey.pk), text='{"en": "Reworded"}')
    assert admin.post(url, data).status_code == 302
    answered.refresh_from_db()
    assert (answered.kind, answered.survey_id, answered.text) == (Question.Kind.MULTIPLE, survey_id, {"en": "Reworded"})
    assert answered.choices.count() == 3


def test_the_admin_form_refuses_a_forged_kind_change(answered):
    from assessments.admin import QuestionAdminForm

    form = QuestionAdminForm(data=_admin_question_data(answered, kind="long_text"), instance=answered)
    assert not form.is_valid()
    assert "its kind cannot change" in str(form.errors)


def test_the_admin_refuses_to_remove_a_chosen_option_even_after_the_retention_rule(survey, answered):
    jobs = list(answered.choices.all())[1]
    admin = superuser_client()
    url = reverse("admin:assessments_question_change", args=[answered.pk])
    data = _admin_question_data(answered) | {"choices-1-DELETE": "on"}
    response = admin.post(url, data)
    assert response.status_code == 200 and "Deleting choice Jobs would require deleting" in response.content.decode()

    # The raw answers gone, only the kept tallies know the option was chosen.
    services.responses_purge(survey=survey, today=survey.assessment.created_at.date())
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "“Jobs” was chosen in 3 answers, so it cannot be removed" in response.content.decode()
    assert Choice.objects.filter(pk=jobs.pk).exists()


def _survey_admin_data(survey, **row):
    questions = list(survey.questions.all())
    data = {"title": json.dumps(survey.title), "intro": "{}"}
    data |= {"questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": str(len(questions))}
    for i, question in enumerate(questions):
        data |= {
            f"questions-{i}-id": str(question.pk),
            f"questions-{i}-survey": str(survey.pk),
            f"questions-{i}-position": str(question.position),
            f"questions-{i}-kind": question.kind,
            f"questions-{i}-text": json.dumps(question.text),
            f"questions-{i}-required": "on",
        }
    return data | row


def test_the_survey_admin_refuses_to_change_the_kind_of_or_delete_an_answered_question(survey, answered):
    admin = superuser_client()
    url = reverse("admin:assessments_survey_change", args=[survey.pk])
    index = list(survey.questions.all()).index(answered)

    response = admin.post(url, _survey_admin_data(survey, **{f"questions-{index}-kind": "short_text"}))
    assert response.status_code == 200 and "its kind cannot change" in response.content.decode()
    response = admin.post(url, _survey_admin_data(survey, **{f"questions-{index}-DELETE": "on"}))
    assert response.status_code == 200 and "has 3 answers, so it cannot be deleted here" in response.content.decode()

    answered.refresh_from_db()
    assert answered.kind == Question.Kind.MULTIPLE and answered.choices.count() == 3


# --- The API: questions are not writable there at all ---------------------------------------------


def test_the_api_offers_no_way_to_write_questions_or_options(client):
    from django.urls import NoReverseMatch

    for basename in ("question", "choice", "survey"):
        with pytest.raises(NoReverseMatch):
            reverse(f"api:{basename}-list")
