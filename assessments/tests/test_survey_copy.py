"""Issue 17: staff copy a survey's questions from an earlier assessment of their organisation into
a draft's empty survey: wording in every language, kinds, ranges, scale ends and options; never
responses. Another organisation's assessment answers 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Choice, NeedsAssessment, Question, Response
from assessments.tests.factories import (
    AnswerFactory,
    ChoiceFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

LONG_EN = (
    "Thinking about the last twelve months, which of the following services have you or someone in "
    "your household tried to use, and found hard to reach because of opening hours, distance or language?"
)
LONG_AR = (
    "خلال الاثني عشر شهرًا الماضية، ما الخدمات التي حاولت أنت أو أحد أفراد أسرتك استخدامها ووجدت صعوبة في الوصول إليها؟"
)


def earlier_survey(organization, title="Spring 2025 listening survey"):
    """A collected survey in four languages with every kind of setting worth copying, and answers."""
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization, title=title),
        languages=["en", "es", "ar", "uk"],
    )
    services_question = QuestionFactory(
        survey=survey,
        position=1,
        kind=Question.Kind.MULTIPLE,
        text={"en": LONG_EN, "es": "¿Qué servicios le han resultado difíciles?", "ar": LONG_AR},
        help_text={"en": "Tick all that apply.", "uk": "Позначте все, що підходить."},
    )
    for i in range(14):
        ChoiceFactory(
            question=services_question,
            position=i + 1,
            label={"en": f"Service {i + 1}: clinic & “food bank”", "es": f"Servicio {i + 1}", "ar": f"خدمة {i + 1}"},
        )
    QuestionFactory(survey=survey, position=2, kind=Question.Kind.SECTION, text={"en": "About your home"})
    QuestionFactory(
        survey=survey,
        position=3,
        kind=Question.Kind.SCALE,
        text={"en": "How often do you feel welcome at the library?", "es": "¿Con qué frecuencia se siente bienvenido?"},
        scale_low={"en": "never", "es": "nunca", "ar": "أبدًا"},
        scale_high={"en": "every week", "es": "cada semana"},
    )
    QuestionFactory(
        survey=survey,
        position=4,
        kind=Question.Kind.NUMBER,
        text={"en": "How many people live in your home?"},
        required=False,
        min_value=1,
        max_value=25,
    )
    QuestionFactory(survey=survey, position=5, kind=Question.Kind.LONG_TEXT, text={"en": "Anything else?"})
    response = ResponseFactory(survey=survey)
    AnswerFactory(response=response, question=services_question, choice=services_question.choices.first())
    return survey


def draft(organization, **fields):
    assessment = NeedsAssessmentFactory(
        organization=organization, title="Autumn 2026 listening survey", status=NeedsAssessment.Status.DRAFT, **fields
    )
    return SurveyFactory(assessment=assessment, languages=["en", "ht"])


def shape(survey):
    return [
        (
            q.position,
            q.kind,
            q.text,
            q.help_text,
            q.scale_low,
            q.scale_high,
            q.required,
            q.min_value,
            q.max_value,
            [(c.position, c.label) for c in q.choices.all()],
        )
        for q in survey.questions.order_by("position").prefetch_related("choices")
    ]


def copy_url(survey):
    return reverse("assessments:survey_copy", kwargs={"pk": survey.assessment_id})


def test_copying_brings_every_question_option_and_language_and_no_answers(editor_client, organization):
    source, target = earlier_survey(organization), draft(organization)

    response = editor_client.post(copy_url(target), {"source": source.assessment_id}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("assessments:survey_builder", kwargs={"pk": target.assessment_id})
    assert "5 questions were copied from “Spring 2025 listening survey”" in response.content.decode()
    assert shape(target) == shape(source)
    assert len(shape(target)[0][9]) == 14
    target.refresh_from_db()
    assert target.languages == ["en", "es", "ht", "ar", "uk"]  # its own Haitian Creole kept, catalogue order
    assert not Response.objects.filter(survey=target).exists()
    assert not Answer.objects.filter(question__survey=target).exists()
    assert (
        Question.objects.filter(survey=source).count() == 5
        and Answer.objects.filter(response__survey=source).count() == 1
    )
    assert not set(target.questions.values_list("pk", flat=True)) & set(source.questions.values_list("pk", flat=True))


def test_the_builder_offers_only_this_organisations_assessments_with_questions(
    editor_client, organization, other_organization
):
    source, target = earlier_survey(organization), draft(organization)
    SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization, title="Empty winter survey"))
    earlier_survey(other_organization, title="Lakeshore intake survey")

    html = editor_client.get(
        reverse("assessments:survey_builder", kwargs={"pk": target.assessment_id})
    ).content.decode()

    assert "Copy the questions from an earlier assessment" in html
    assert f'<option value="{source.assessment_id}">Spring 2025 listening survey (5 questions)</option>' in html
    assert "Empty winter survey" not in html and "Lakeshore intake survey" not in html
    assert f'<option value="{target.assessment_id}"' not in html


def test_no_offer_once_the_survey_has_questions_or_is_not_a_draft(editor_client, organization):
    earlier_survey(organization)
    target = draft(organization)
    QuestionFactory(survey=target, text={"en": "Our own first question"})
    collecting = earlier_survey(organization, title="Now collecting")
    collecting.questions.all().delete()

    for survey in (target, collecting):
        url = reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id})
        assert "Copy the questions from an earlier assessment" not in editor_client.get(url).content.decode()


def test_another_organisations_assessment_answers_404_and_copies_nothing(
    editor_client, organization, other_organization
):
    foreign, target = earlier_survey(other_organization), draft(organization)

    assert editor_client.post(copy_url(target), {"source": foreign.assessment_id}).status_code == 404
    assert not target.questions.exists()
    # Nor may another organisation's draft be the target.
    mine = earlier_survey(organization)
    assert editor_client.post(copy_url(draft(other_organization)), {"source": mine.assessment_id}).status_code == 404


def test_a_survey_with_questions_is_refused_clearly_and_kept(editor_client, organization):
    source, target = earlier_survey(organization), draft(organization)
    QuestionFactory(survey=target, position=1, text={"en": "Our own first question"})

    response = editor_client.post(copy_url(target), {"source": source.assessment_id}, follow=True)

    assert "This survey already has questions, so nothing was copied." in response.content.decode()
    assert [q.text["en"] for q in target.questions.all()] == ["Our own first question"]


def test_an_assessment_that_is_not_a_draft_is_refused(editor_client, organization):
    source = earlier_survey(organization)
    target = draft(organization)
    NeedsAssessment.objects.filter(pk=target.assessment_id).update(status=NeedsAssessment.Status.COLLECTING)

    response = editor_client.post(copy_url(target), {"source": source.assessment_id}, follow=True)

    assert "Questions can only be copied into a draft assessment" in response.content.decode()
    assert not target.questions.exists() and not Choice.objects.filter(question__survey=target).exists()


@pytest.mark.parametrize("value", ["", "abc", "-3", "99999999"])
def test_a_missing_or_odd_source_is_a_message_or_404_never_500(editor_client, organization, value):
    target = draft(organization)
    response = editor_client.post(copy_url(target), {"source": value})
    assert response.status_code in (302, 404)
    assert not target.questions.exists()


def test_the_service_refuses_a_source_of_another_organisation(organization, other_organization):
    foreign, target = earlier_survey(other_organization), draft(organization)
    with pytest.raises(ValidationError):
        services.survey_copy_questions(source=foreign, target=target)
    with pytest.raises(ValidationError):
        services.survey_copy_questions(source=target, target=target)
    assert not target.questions.exists()


def test_board_members_cannot_copy(client_as, organization):
    source, target = earlier_survey(organization), draft(organization)
    response = client_as("board").post(copy_url(target), {"source": source.assessment_id})
    assert response.status_code == 403
    assert not target.questions.exists()
