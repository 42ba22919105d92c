"""The public survey's cached questions follow every ORM write of a question or option by itself
(integration_hub.invalidation, registered in AssessmentsConfig.ready): no writer calls anything."""

import pytest

from assessments import services
from assessments.models import Choice, NeedsAssessment, Question, Survey
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question


def version(survey) -> int:
    return Survey.objects.values_list("structure_version", flat=True).get(pk=survey.pk)


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    survey.single = choice_question(survey, labels=("Biblioteca pública", "Clínica — centro"), position=1)
    survey.scale = QuestionFactory(survey=survey, position=2, kind=Question.Kind.SCALE)
    return survey


def test_saving_a_question_or_an_option_moves_its_surveys_version(survey):
    before = version(survey)
    survey.scale.text = {"en": "How welcome do you feel here?", "es": "¿Qué tan bienvenido se siente?"}
    survey.scale.save()
    assert version(survey) == before + 1
    option = survey.single.choices.first()
    option.label = {"en": "Library " * 40}
    Choice.objects.get(pk=option.pk).save()  # loaded without its question: found through it
    assert version(survey) == before + 2


def test_deleting_a_question_moves_the_version_once_for_it_and_its_options(survey):
    before = version(survey)
    survey.single.delete()  # its two options go with it
    assert version(survey) == before + 1


def test_a_question_moved_to_another_survey_changes_both(survey, organization):
    other = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    before, other_before = version(survey), version(other)
    question = Question.objects.get(pk=survey.scale.pk)
    question.survey = other
    question.save()
    assert version(survey) > before and version(other) > other_before


def test_reordering_in_one_bulk_update_moves_the_version(survey):
    before = version(survey)
    services.question_move(question=survey.scale, direction="up")
    assert version(survey) == before + 1
    assert list(survey.questions.order_by("position").values_list("pk", flat=True)) == [
        survey.scale.pk,
        survey.single.pk,
    ]


def test_deleting_the_assessment_writes_no_version_for_each_row_it_takes(survey, django_assert_max_num_queries):
    # The cascade started at the assessment: nothing watched started it, and the survey goes too.
    assessment = NeedsAssessment.objects.get(pk=survey.assessment_id)
    with django_assert_max_num_queries(40) as captured:
        assessment.delete()
    # The collector reads the survey row (its columns name the version); it must not write one.
    writes = [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert not any("structure_version" in sql for sql in writes)
