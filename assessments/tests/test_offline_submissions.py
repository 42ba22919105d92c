"""The public form's submission key and the JSON answers the device's queue-sender reads."""

import re
import uuid

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, NeedsAssessment, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization), languages=["en", "es", "ar"])
    survey.single = choice_question(survey, labels=("Biblioteca", "Clínica"), position=1, text={"en": "Where?"})
    survey.long = QuestionFactory(survey=survey, position=2, kind=Question.Kind.LONG_TEXT, required=False)
    return survey


def url(survey, lang="es"):
    return f"{reverse('assessments:survey_respond', kwargs={'token': survey.token})}?lang={lang}"


def answers(survey, key, **overrides):
    data = {
        "side": RespondentSide.RESIDENT,
        f"q{survey.single.pk}": str(survey.single.choices.last().pk),
        f"q{survey.long.pk}": "Más clases de inglés por la tarde — «por favor» 🙏",
        "submission_key": str(key),
    }
    return {**data, **overrides}


def test_the_form_carries_a_fresh_random_key_on_every_load(client, survey):
    keys = [
        re.search(r'name="submission_key" value="([^"]+)"', client.get(url(survey)).content.decode())[1] for _ in "ab"
    ]
    assert keys[0] != keys[1]
    assert all(uuid.UUID(key) for key in keys)


def test_a_retried_post_is_stored_once_and_gets_the_same_thanks_page(client, survey):
    key = uuid.uuid4()
    first = client.post(url(survey), answers(survey, key), **BROWSER)
    second = client.post(url(survey), answers(survey, key), **BROWSER)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert stored.submission_key == key and stored.language == "es"
    assert Answer.objects.filter(response=stored).count() == 2
    # Another key is another person.
    client.post(url(survey), answers(survey, uuid.uuid4()))
    assert Response.objects.count() == 2


def test_a_page_sent_again_after_an_error_keeps_its_key(client, survey):
    key = uuid.uuid4()
    page = client.post(url(survey), answers(survey, key, side=""))
    assert page.status_code == 400
    assert f'name="submission_key" value="{key}"' in page.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("bad", ["", "not-a-uuid", "1" * 500, "'; DROP TABLE x;--"])
def test_a_malformed_key_is_ignored_not_an_error(client, survey, bad):
    response = client.post(url(survey), answers(survey, "", submission_key=bad))
    assert response.status_code == 302
    assert Response.objects.get().submission_key is None


def test_json_stored_twice_by_the_queue_is_one_response(client, survey):
    key = uuid.uuid4()
    replies = [client.post(url(survey, "ar"), answers(survey, key), **JSON) for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 200]
    bodies = [r.json() for r in replies]
    assert bodies[0] == {"status": "stored", "errors": {}, "thanks_url": bodies[0]["thanks_url"]}
    assert bodies[0] == bodies[2]
    assert bodies[0]["thanks_url"].endswith("/thanks/?lang=ar")
    assert Response.objects.count() == 1
    assert not any(r.cookies for r in replies)


def test_json_invalid_names_the_fields_and_stores_nothing(client, survey):
    reply = client.post(
        url(survey), answers(survey, uuid.uuid4(), side="citizen", **{f"q{survey.single.pk}": ""}), **JSON
    )
    assert reply.status_code == 400
    body = reply.json()
    assert body["status"] == "invalid"
    assert set(body["errors"]) == {"side", f"q{survey.single.pk}"}
    assert "opciones" in body["errors"]["side"]  # in the page's language
    assert not Response.objects.exists()


@pytest.mark.parametrize("status", [NeedsAssessment.Status.ANALYSING, NeedsAssessment.Status.CLOSED])
def test_json_for_a_survey_closed_meanwhile_says_closed(client, survey, status):
    services.assessment_set_status(assessment=survey.assessment, status=status)
    reply = client.post(url(survey), answers(survey, uuid.uuid4()), **JSON)
    assert reply.status_code == 404
    assert reply.json() == {"status": "closed", "errors": {}}
    assert not Response.objects.exists()
    # A browser still gets the page that says so.
    page = client.post(url(survey), answers(survey, uuid.uuid4()), **BROWSER)
    assert page.status_code == 404 and "text/html" in page["Content-Type"]


def test_json_for_an_unknown_link_says_closed(client):
    reply = client.post("/needs/s/no-such-survey/", {"side": "newcomer"}, **JSON)
    assert reply.status_code == 404 and reply.json()["status"] == "closed"


def test_a_browser_post_still_gets_html_not_json(client, survey):
    page = client.post(url(survey), answers(survey, uuid.uuid4(), side=""), **BROWSER)
    assert page.status_code == 400 and "text/html" in page["Content-Type"]


def test_json_busy_keeps_the_answers_for_later(client, survey, settings):
    settings.SURVEY_SUBMISSIONS_PER_MINUTE = 1
    client.post(url(survey), answers(survey, uuid.uuid4()), **JSON)
    reply = client.post(url(survey), answers(survey, uuid.uuid4()), **JSON)
    assert reply.status_code == 429 and reply.json()["status"] == "busy"
    assert reply["Retry-After"] == "60"
    assert Response.objects.count() == 1


def test_the_service_worker_covers_the_survey_pages_and_names_their_files(client, survey):
    worker = client.get(reverse("assessments:survey_worker"))
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/needs/s/"
    assert survey.get_public_url().startswith(worker["Service-Worker-Allowed"])
    text = worker.content.decode()
    assert "js/survey-queue.js" in text and "css/assessments.css" in text
    assert "worker-src 'self'" in worker["Content-Security-Policy"]
    assert not worker.cookies


def test_the_public_page_loads_the_offline_script_but_the_preview_does_not(client, editor_client, survey):
    page = client.get(url(survey)).content.decode()
    assert "js/survey-offline.js" in page and 'data-offline-worker="/needs/s/sw.js"' in page
    preview = editor_client.get(reverse("assessments:survey_preview", kwargs={"pk": survey.assessment_id}))
    assert preview.status_code == 200 and "survey-offline.js" not in preview.content.decode()
