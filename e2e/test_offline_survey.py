"""A survey answered with no connection: the answers wait on the device and arrive once each."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.languages import catalogue_words
from assessments.models import NeedsAssessment, Question, Response
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question
from e2e.helpers import PHONE, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization),
        languages=["en", "es", "ar"],
        title={
            "en": "What does our community need?",
            "es": "¿Qué necesita nuestra comunidad?",
            "ar": "ما الذي يحتاجه مجتمعنا؟",
        },
    )
    choice_question(survey, labels=("Library", "Clinic"), position=1, text={"en": "Where?", "es": "¿Dónde?"})
    QuestionFactory(
        survey=survey, position=2, kind=Question.Kind.LONG_TEXT, required=False, text={"en": "Anything else?"}
    )
    return survey


def _answer(page, words, option, text):
    page.get_by_label(words["side_resident"]).check()
    page.get_by_role("radio", name=option).check()
    page.locator("textarea").fill(text)
    page.get_by_role("button", name=words["submit"]).click()


def _phone(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(8_000)
    return context, page


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_answers_given_offline_wait_on_the_device_and_arrive_once_each(browser, live_server, survey, lang):
    words = catalogue_words(lang)
    context, page = _phone(browser)
    page.goto(f"{live_server.url}{survey.get_public_url()}?lang={lang}")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== undefined")
    context.set_offline(True)

    _answer(page, words, "Clinic", "Sin conexión — «primera» persona")
    status = page.locator("#offline-status")
    expect(status).to_have_text(words["offline_saved"].format(n=1))
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"offline-saved-{lang}-phone.png", full_page=True)

    page.get_by_role("button", name=words["thanks_again"]).click()
    expect(page.locator("textarea")).to_have_value("")  # a fresh form for the next person
    _answer(page, words, "Library", "segunda persona")
    expect(status).to_have_text(words["offline_saved"].format(n=2))
    assert not Response.objects.exists()

    context.set_offline(False)
    expect(status).to_be_hidden(timeout=10_000)
    # The page and its service worker may both be sending; wait for the last answer to land.
    for _ in range(50):
        if Response.objects.count() >= 2:
            break
        page.wait_for_timeout(200)
    assert Response.objects.count() == 2
    texts = sorted(r.answers.get(question__kind="long_text").text for r in Response.objects.all())
    assert texts == ["Sin conexión — «primera» persona", "segunda persona"]
    assert all(r.submission_key for r in Response.objects.all())
    # The next page load sends nothing more: each arrived exactly once.
    page.reload()
    page.wait_for_timeout(500)
    assert Response.objects.count() == 2
    assert page.evaluate("SurveyQueue.all().then((items) => items.length)") == 0
    context.close()


def test_answers_kept_for_a_survey_closed_meanwhile_are_refused_with_a_message(browser, live_server, survey):
    words = catalogue_words("en")
    context, page = _phone(browser)
    page.goto(f"{live_server.url}{survey.get_public_url()}")
    context.set_offline(True)
    _answer(page, words, "Clinic", "Answered at the bus stop")
    expect(page.locator("#offline-status")).to_have_text(words["offline_saved"].format(n=1))

    services.assessment_set_status(assessment=survey.assessment, status=NeedsAssessment.Status.ANALYSING)
    context.set_offline(False)
    expect(page.locator("#offline-refused")).to_have_text(words["offline_refused"].format(n=1))
    expect(page.locator("#offline-status")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "offline-refused-en-phone.png", full_page=True)
    assert not Response.objects.exists()
    # Shown once, then gone from the device.
    assert page.evaluate("SurveyQueue.all().then((items) => items.length)") == 0
    context.close()


def test_the_form_without_a_connection_problem_goes_to_the_thanks_page(browser, live_server, survey):
    words = catalogue_words("es")
    context, page = _phone(browser)
    page.goto(f"{live_server.url}{survey.get_public_url()}?lang=es")
    _answer(page, words, "Library", "en línea")
    expect(page.get_by_role("heading", name=words["thanks_title"])).to_be_visible()
    assert Response.objects.get().language == "es"
    context.close()
