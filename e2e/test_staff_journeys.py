"""Staff journeys through the four steps, in a real Chromium, clicking and typing as a person would.

Each journey starts from one typed address (the login page) and then only follows links,
buttons and the public survey link shown on the page. Every page visited goes through the
Inspector: axe-core at 1280 px and 390 px, a phone-overflow check and screenshots.
"""

import pytest
from playwright.sync_api import expect

from assessments.models import RespondentSide, Response
from e2e.helpers import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_assess_needs_with_a_bilingual_survey_answered_by_both_sides(
    page, live_server, editor_user, inspector, browser
):
    page.goto(live_server.url + "/accounts/login/")
    inspector.look(page, "login")
    log_in(page, live_server.url, editor_user.email)
    inspector.look(page, "home")

    # Create the assessment.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Needs").click()
    inspector.look(page, "needs index (empty)")
    page.get_by_role("link", name="New assessment").first.click()
    inspector.look(page, "new assessment form")
    page.get_by_label("Title").fill("Eastside needs 2026")
    page.get_by_label("Area served").fill("Eastside")
    page.get_by_role("button", name="Save").click()

    # The builder: the survey's bilingual title, then two bilingual questions.
    expect(page.get_by_role("heading", name="Survey builder")).to_be_visible()
    inspector.look(page, "survey builder (empty)")
    page.get_by_label("Title (English)").fill("What would help Eastside?")
    page.get_by_label("Title (Spanish, optional)").fill("¿Qué ayudaría al Eastside?")
    page.get_by_role("button", name="Save title and introduction").click()

    page.get_by_role("link", name="Add a question").first.click()
    inspector.look(page, "new question form")
    page.get_by_label("Question (English)").fill("Which service is hardest to reach?")
    page.get_by_label("Question (Spanish, optional)").fill("¿Qué servicio es el más difícil de conseguir?")
    page.get_by_label("Kind of answer").select_option(label="Single choice")
    page.get_by_label("Option 1 in English").fill("English classes")
    page.get_by_label("Option 1 in Spanish").fill("Clases de inglés")
    page.get_by_label("Option 2 in English").fill("Legal advice")
    page.get_by_label("Option 2 in Spanish").fill("Asesoría legal")
    page.get_by_role("button", name="Save question").click()

    page.get_by_role("link", name="Add a question").first.click()
    page.get_by_label("Question (English)").fill("How welcome do newcomers feel here?")
    page.get_by_label("Question (Spanish, optional)").fill("¿Qué tan bienvenidas se sienten las personas recién llegadas?")
    page.get_by_label("Kind of answer").select_option(label="Scale 1–5")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("¿Qué servicio es el más difícil de conseguir?")).to_be_visible()
    inspector.look(page, "survey builder (two questions)")

    # Open it for answers and read the public link off the assessment page.
    page.get_by_role("link", name="Eastside needs 2026").click()
    page.get_by_role("button", name="Open for answers").click()
    inspector.look(page, "assessment page")
    public_link = page.get_by_label("Link").input_value()

    # Two anonymous people, each on their own device: no staff session comes with them.
    newcomer = browser.new_context(viewport=PHONE)
    survey = newcomer.new_page()
    survey.set_default_timeout(5_000)
    survey.goto(public_link)
    survey.get_by_role("link", name="Español").click()
    expect(survey.get_by_role("heading", name="¿Qué ayudaría al Eastside?")).to_be_visible()
    inspector.look(survey, "public survey (Spanish)")
    survey.get_by_label("Soy recién llegado/a a esta comunidad").check()
    survey.get_by_role("group", name="1. ¿Qué servicio es el más difícil de conseguir?").get_by_label(
        "Asesoría legal"
    ).check()
    survey.get_by_role("group", name="2. ¿Qué tan bienvenidas").get_by_text("4", exact=True).click()
    survey.get_by_role("button", name="Enviar mis respuestas").click()
    expect(survey.get_by_role("heading", name="Gracias")).to_be_visible()
    inspector.look(survey, "public survey thanks (Spanish)")
    newcomer.close()

    resident = browser.new_context()
    survey = resident.new_page()
    survey.set_default_timeout(5_000)
    survey.goto(public_link)
    expect(survey.get_by_role("heading", name="What would help Eastside?")).to_be_visible()
    inspector.look(survey, "public survey (English)")
    survey.get_by_label("I am a long-standing resident").check()
    survey.get_by_role("group", name="1. Which service is hardest to reach?").get_by_label("English classes").check()
    survey.get_by_role("group", name="2. How welcome").get_by_text("3", exact=True).click()
    survey.get_by_role("button", name="Send my answers").click()
    expect(survey.get_by_role("heading", name="Thank you")).to_be_visible()
    resident.close()
    assert sorted(Response.objects.values_list("side", flat=True)) == sorted(
        [RespondentSide.NEWCOMER, RespondentSide.RESIDENT]
    )

    # Both answers side by side; with one person per side every cell is hidden as "fewer than 5".
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name="Which service is hardest to reach?")).to_be_visible()
    inspector.look(page, "results side by side")
    results = page.get_by_role("main")
    expect(results.get_by_text("fewer than 5").first).to_be_visible()
    assert results.get_by_text("fewer than 5").count() >= 4

    # Record a need from what was heard.
    page.get_by_role("link", name="Eastside needs 2026").first.click()
    page.get_by_role("link", name="Add a need").click()
    inspector.look(page, "new need form")
    page.get_by_label("Title").fill("Free legal advice clinics in the evening")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Needs board").click()
    expect(page.get_by_role("link", name="Free legal advice clinics in the evening")).to_be_visible()
    inspector.look(page, "needs board")

    inspector.assert_clean()
