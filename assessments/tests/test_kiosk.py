"""Kiosk mode: started by an editor (who is signed out), answers stored with channel kiosk,
ended only by a staff member."""

import re
import uuid

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Kiosk, NeedsAssessment, Question, RespondentSide, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question

PASSWORD = "correct-horse-battery"  # noqa: S105 - UserFactory's test password

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(organization):
    assessment = NeedsAssessmentFactory(organization=organization, status=NeedsAssessment.Status.COLLECTING)
    survey = SurveyFactory(assessment=assessment, languages=["en", "es", "ar"])
    survey.single = choice_question(survey, labels=("Library", "Clinic"), position=1)
    QuestionFactory(survey=survey, position=2, kind=Question.Kind.LONG_TEXT, required=False)
    return survey


def start(client, survey, languages=("ar", "es")):
    return client.post(
        reverse("assessments:kiosk_start", kwargs={"pk": survey.assessment_id}), {"languages": languages}
    )


def kiosk_url(response):
    return response.url


def answers(survey, **extra):
    return {"side": RespondentSide.NEWCOMER, f"q{survey.single.pk}": str(survey.single.choices.first().pk), **extra}


def test_an_editor_starts_a_kiosk_and_the_device_is_signed_out(client_as, survey):
    editor = client_as("editor")
    response = start(editor, survey)
    assert response.status_code == 302
    assert response.url.startswith("/needs/s/kiosk/")
    kiosk = Kiosk.objects.get()
    assert kiosk.languages == ["ar", "es"] and kiosk.survey == survey
    token = response.url.split("/")[-2]
    assert kiosk.token_hash != token and len(kiosk.token_hash) == 64  # only its SHA-256 is kept
    # The staff session is gone from this device: the app asks for a sign-in.
    home = editor.get(reverse("assessments:index"))
    assert home.status_code == 302 and home.url.startswith(reverse("login"))


def test_the_kiosk_page_is_the_public_form_with_no_link_out_and_stores_channel_kiosk(client, client_as, survey):
    page_url = start(client_as("editor"), survey).url
    page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200 and not page.cookies
    assert '<html lang="ar" dir="rtl">' in html  # the first language chosen
    assert 'autocomplete="off" data-kiosk' in html
    assert reverse("privacy") not in html and "English" not in html  # only its languages, no link out
    hrefs = set(re.findall(r'href="([^"#]+)"', html)) - {"?lang=es"}
    assert all(h.startswith("/static/") or h.endswith("/exit/") for h in hrefs), hrefs
    stored = client.post(f"{page_url}?lang=es", answers(survey, submission_key=str(uuid.uuid4())))
    assert stored.status_code == 302 and stored.url == f"{page_url}thanks/?lang=es"
    response = Response.objects.get()
    assert response.channel == "kiosk" and response.language == "es"
    thanks = client.get(stored.url).content.decode()
    assert "js/survey-kiosk.js" in thanks and f'data-next="{page_url}"' in thanks
    assert 'http-equiv="refresh"' in thanks  # without script, the fresh form comes back too


def test_json_from_a_kiosk_is_stored_once_as_kiosk(client, client_as, survey):
    page_url = start(client_as("editor"), survey).url
    key = str(uuid.uuid4())
    for _ in range(2):
        reply = client.post(page_url, answers(survey, submission_key=key), HTTP_ACCEPT="application/json")
        assert reply.json()["status"] == "stored"
    assert Response.objects.filter(channel="kiosk").count() == 1


def test_the_public_link_cannot_claim_to_be_a_kiosk(client, survey):
    client.post(survey.get_public_url(), answers(survey, channel="kiosk"))
    assert Response.objects.get().channel == "online"


def test_a_board_member_cannot_start_a_kiosk(client_as, survey):
    assert start(client_as("board"), survey).status_code == 403
    assert not Kiosk.objects.exists()


def test_another_affiliates_survey_answers_404(client_as, survey):
    assert start(client_as("outsider"), survey).status_code == 404
    assert not Kiosk.objects.exists()


def test_a_language_outside_the_survey_is_refused(client_as, survey):
    response = start(client_as("editor"), survey, languages=("ko", "'><x>"))
    assert response.status_code == 400 and not Kiosk.objects.exists()


def test_exit_needs_the_starters_password_and_then_the_kiosk_refuses_answers(client, client_as, survey, people):
    page_url = start(client_as("editor"), survey).url
    exit_url = f"{page_url}exit/"
    wrong = client.post(exit_url, {"password": "guess-1234"})
    assert wrong.status_code == 400 and Kiosk.objects.get().ended_at is None
    right = client.post(exit_url, {"password": PASSWORD})
    assert right.status_code == 200 and not right.cookies  # nobody is signed in
    assert Kiosk.objects.get().ended_at is not None
    assert reverse("login") in right.content.decode()
    assert client.get(page_url).status_code == 404
    reply = client.post(page_url, answers(survey), HTTP_ACCEPT="application/json")
    assert reply.json()["status"] == "closed" and not Response.objects.exists()


def test_an_editor_ends_a_kiosk_from_a_signed_in_session(client, client_as, survey):
    page_url = start(client_as("editor"), survey).url
    kiosk = Kiosk.objects.get()
    assert client_as("board").post(reverse("assessments:kiosk_end", kwargs={"pk": kiosk.pk})).status_code == 403
    assert client_as("outsider").post(reverse("assessments:kiosk_end", kwargs={"pk": kiosk.pk})).status_code == 404
    response = client_as("admin").post(reverse("assessments:kiosk_end", kwargs={"pk": kiosk.pk}))
    assert response.status_code == 302
    assert client.get(page_url).status_code == 404


def test_a_kiosk_of_a_closed_survey_says_not_open(client, client_as, survey):
    page_url = start(client_as("editor"), survey).url
    services.assessment_set_status(assessment=survey.assessment, status=NeedsAssessment.Status.ANALYSING)
    assert client.get(page_url).status_code == 404
