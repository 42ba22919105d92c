"""The kinds XLSForm import needs (issue 21): decimal numbers, dates, notes and section headings,
on the public page, in the builder, the results and the CSV exports."""

import csv
import io

import pytest
from django.urls import reverse

from assessments import selectors
from assessments.models import Answer, Question, RespondentSide
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    survey.section = QuestionFactory(
        survey=survey, position=1, kind=K.SECTION, required=False, text={"en": "About your home", "es": "Su hogar"}
    )
    survey.note = QuestionFactory(
        survey=survey, position=2, kind=K.NOTE, required=False, text={"en": "Answer for yourself only."}
    )
    survey.decimal = QuestionFactory(survey=survey, position=3, kind=K.DECIMAL, text={"en": "Monthly rent?"})
    survey.date = QuestionFactory(survey=survey, position=4, kind=K.DATE, text={"en": "When did you arrive?"})
    selectors.published_questions_clear()
    return survey


def url(survey, lang="en"):
    return reverse("assessments:survey_respond", kwargs={"token": survey.token}) + f"?lang={lang}"


def post(client, survey, lang="en", **values):
    data = {"side": RespondentSide.RESIDENT, f"q{survey.decimal.pk}": "950.50", f"q{survey.date.pk}": "2019-08-01"}
    data.update({f"q{getattr(survey, k).pk}": v for k, v in values.items()})
    return client.post(url(survey, lang), data)


def test_page_shows_sections_and_notes_unnumbered_and_the_new_inputs(client, survey):
    html = client.get(url(survey, "es")).content.decode()
    assert '<h2 class="h5 survey-section mt-4 mb-2"' in html and "Su hogar" in html
    assert "Answer for yourself only." in html
    # The heading and note take no number.
    assert "1. <bdi>Monthly rent?</bdi>" in html and "2. <bdi>When did you arrive?</bdi>" in html
    assert 'inputmode="decimal"' in html and 'type="date" min="1900-01-01" max="2200-12-31"' in html
    assert f'name="q{survey.section.pk}"' not in html and f'name="q{survey.note.pk}"' not in html


def test_decimal_and_date_answers_are_stored_in_one_spelling(client, survey):
    assert post(client, survey, decimal=" 950,50 ").status_code == 302
    stored = {a.question_id: a.text for a in Answer.objects.filter(response__survey=survey)}
    assert stored == {survey.decimal.pk: "950.5", survey.date.pk: "2019-08-01"}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("decimal", "twelve", "Please enter a number, for example 12 or 12.5."),
        ("decimal", "1e5", "Please enter a number, for example 12 or 12.5."),
        ("decimal", "NaN", "Please enter a number, for example 12 or 12.5."),
        ("decimal", "9" * 30, "Please enter a number, for example 12 or 12.5."),
        ("date", "01/08/2019", "Please enter a date as year-month-day, for example 2024-03-15."),
        ("date", "2019-02-30", "Please enter a date as year-month-day, for example 2024-03-15."),
        ("date", "1899-12-31", "Please enter a date between the years 1900 and 2200."),
        ("date", "9999-01-01", "Please enter a date between the years 1900 and 2200."),
        ("date", "", "Please answer this question."),
    ],
)
def test_bad_decimals_and_dates_are_refused_with_a_clear_message(client, survey, field, value, message):
    response = post(client, survey, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.filter(response__survey=survey).exists()


def test_messages_in_spanish(client, survey):
    response = post(client, survey, "es", date="2300-01-01", decimal="doce")
    html = response.content.decode()
    assert "Por favor, escriba una fecha entre los años 1900 y 2200." in html
    assert "Por favor, escriba un número, por ejemplo 12 o 12,5." in html


def test_far_dates_at_the_edges_are_accepted(client, survey):
    assert post(client, survey, date="1900-01-01").status_code == 302
    assert post(client, survey, date="2200-12-31", decimal="-0.25").status_code == 302
    assert sorted(Answer.objects.filter(question=survey.date).values_list("text", flat=True)) == [
        "1900-01-01",
        "2200-12-31",
    ]


def test_results_and_csv_leave_out_notes_and_sections(client, survey, admin_user, organization):
    post(client, survey)
    results = selectors.survey_results(survey)
    assert [r.question.pk for r in results.questions] == [survey.decimal.pk, survey.date.pk]
    assert all(r.chart is None for r in results.questions)

    from integration_hub.tests.support import client_for

    admin = client_for(admin_user, organization)
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    admin.get(reverse("assessments:responses_csv", args=[survey.assessment_id])).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert rows[0][3:] == ["Language of the page", "Monthly rent?", "When did you arrive?"]
    assert rows[1][4:] == ["950.5", "2019-08-01"]
    page = admin.get(reverse("assessments:text_answers", args=[survey.assessment_id])).content.decode()
    assert "950.5" in page and "2019-08-01" in page


def test_builder_makes_a_section_never_required(editor_client, organization):
    assessment = NeedsAssessmentFactory(organization=organization)
    response = editor_client.post(
        reverse("assessments:question_create", args=[assessment.pk]),
        {
            "text_en": "Part two: your neighbourhood",
            "kind": "section",
            "required": "on",
            "min_value": "0",
            "max_value": "100",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(survey__assessment=assessment)
    assert question.kind == K.SECTION and question.required is False
