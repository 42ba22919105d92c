"""Issue 17: option rows are added in place; without JavaScript "Add another option" submits and
the page comes back with one more empty row and everything typed kept, nothing saved."""

import re

import pytest
from django.urls import reverse

from assessments.models import Question
from assessments.tests.factories import NeedsAssessmentFactory, SurveyFactory, choice_question
from assessments.tests.test_builder import choices_data, question_data

pytestmark = pytest.mark.django_db

LONG = "Which of these services have you found hard to reach in the last twelve months, even once? " * 4


@pytest.fixture
def survey(organization):
    return SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization), languages=["en", "es", "ar", "uk"]
    )


def option_rows(html):
    return sorted({int(n) for n in re.findall(r'name="choices-(\d+)-label_en"', html)})


def test_add_another_option_keeps_what_was_typed_and_saves_nothing(editor_client, survey):
    rows = [{"label_en": f"Service number {i} — “clinic” & <more>", "label_ar": f"خدمة {i}"} for i in range(7)]
    data = (
        question_data(text_en=LONG[:480], text_es="¿Qué servicios?", kind="multiple")
        | choices_data(rows)
        | {"add_option": "1"}
    )
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert option_rows(html) == list(range(8))
    assert 'name="choices-TOTAL_FORMS" value="8"' in html
    assert "Service number 6 — “clinic” &amp; &lt;more&gt;" in html and "خدمة 3" in html
    assert LONG[:480].strip() in html and "¿Qué servicios?" in html
    assert 'value="multiple" selected' in html
    assert "nothing was saved yet" not in html  # a new row is not a failed save
    assert not Question.objects.exists()


def test_add_another_option_does_not_show_errors_for_an_unfinished_question(editor_client, survey):
    data = question_data(text_en="") | choices_data([{"label_en": "visa"}]) | {"add_option": "1"}
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "is-invalid" not in html and "This field is required" not in html
    assert option_rows(html) == [0, 1]


def test_an_added_row_on_an_existing_question_saves_as_a_new_option(editor_client, survey):
    question = choice_question(survey, labels=("Yes", "No"))
    rows = [{"id": str(c.pk), "label_en": c.label["en"]} for c in question.choices.all()]
    url = reverse("assessments:question_update", kwargs={"pk": question.pk})
    base = question_data(text_en="Do you use the library?") | choices_data(rows, initial=2)

    added = editor_client.post(url, base | {"add_option": "1"})
    assert option_rows(added.content.decode()) == [0, 1, 2]
    question.refresh_from_db()
    assert question.text["en"] != "Do you use the library?"

    saved = editor_client.post(
        url,
        base | {"choices-TOTAL_FORMS": "3", "choices-2-label_en": "Sometimes", "choices-2-label_uk": "Іноді"},
    )
    assert saved.status_code == 302
    assert [c.label for c in question.choices.all()] == [
        {"en": "Yes"},
        {"en": "No"},
        {"en": "Sometimes", "uk": "Іноді"},
    ]


def test_rows_stop_at_the_limit_and_the_button_says_so(editor_client, survey):
    rows = [{"label_en": f"Language class level {i}"} for i in range(30)]
    data = question_data() | choices_data(rows) | {"add_option": "1"}
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)

    html = response.content.decode()
    assert option_rows(html) == list(range(30))
    assert re.search(r'name="add_option"[^>]*disabled', html)
    assert "A question has at most 30 options." in html


def test_a_forged_row_count_is_not_a_500(editor_client, survey):
    data = question_data() | {"choices-TOTAL_FORMS": "lots", "choices-INITIAL_FORMS": "0", "add_option": "1"}
    response = editor_client.post(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}), data)

    assert response.status_code == 200
    assert option_rows(response.content.decode()) == [0]


def test_the_page_carries_an_empty_row_for_the_script_in_every_language(editor_client, survey):
    response = editor_client.get(reverse("assessments:question_create", kwargs={"pk": survey.assessment_id}))

    html = response.content.decode()
    template = html[html.index('<template id="choice-row-template">') : html.index("</template>")]
    assert [f'name="choices-__prefix__-label_{code}"' in template for code in ("en", "es", "ar", "uk")] == [True] * 4
    assert 'dir="rtl"' in template and "Option __num__ in Arabic" in template
    assert "<script>" not in html  # the CSP forbids inline scripts; the row logic is in static/js
    assert option_rows(html) == [0, 1, 2]
