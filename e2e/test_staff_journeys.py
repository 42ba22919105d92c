"""Staff journeys through the four steps, in a real Chromium, clicking and typing as a person would.

Each journey starts from one typed address (the login page) and then only follows links,
buttons and the public survey link shown on the page. Every page visited goes through the
Inspector: axe-core at 1280 px and 390 px, a phone-overflow check and screenshots.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import RespondentSide, Response
from e2e.helpers import PHONE, log_in
from integration_hub.timezones import local_date

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
    page.get_by_role("button", name="Save what respondents read").click()

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
    page.get_by_label("Question (Spanish, optional)").fill(
        "¿Qué tan bienvenidas se sienten las personas recién llegadas?"
    )
    page.get_by_label("Kind of answer").select_option(label="Scale 1–5")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("¿Qué servicio es el más difícil de conseguir?")).to_be_visible()
    inspector.look(page, "survey builder (two questions)")

    # The preview, before it opens: the respondent's page in Spanish, marked, storing nothing.
    page.get_by_role("link", name="Preview the public page: Spanish").click()
    expect(page.get_by_text("Preview — answers are not saved")).to_be_visible()
    expect(page.get_by_role("heading", name="¿Qué ayudaría al Eastside?")).to_be_visible()
    inspector.look(page, "survey preview (Spanish)")
    page.get_by_role("link", name="Back to the survey builder").click()

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
    expect(page.get_by_role("heading", name="Free legal advice clinics in the evening", level=1)).to_be_visible()
    inspector.look(page, "need page")
    page.get_by_role("link", name="Needs board").first.click()
    expect(page.get_by_role("link", name="Free legal advice clinics in the evening")).to_be_visible()
    inspector.look(page, "needs board")

    inspector.assert_clean()


def test_staff_win_stakeholders_over_with_engagements_and_a_commitment(page, live_server, editor_user, inspector):
    log_in(page, live_server.url, editor_user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stakeholders").click()
    inspector.look(page, "stakeholders (empty)")

    people = [
        ("Rosa Delgado", "Council member", "Dayton City Council", "Local government", "High", "Skeptical"),
        ("Helen Park", "Branch manager", "Dayton Metro Library", "Library", "Medium", "Champion"),
        ("Tom Brennan", "Branch manager", "Community First Credit Union", "Bank or credit union", "High", "Neutral"),
    ]
    for name, role, affiliation, sector, influence, stance in people:
        page.get_by_role("link", name="Add stakeholder").first.click()
        inspector.look(page, "new stakeholder form")
        page.get_by_label("Name").fill(name)
        page.get_by_label("Role or title").fill(role)
        page.get_by_label("Organisation they belong to").fill(affiliation)
        page.get_by_label("Sector").select_option(label=sector)
        page.get_by_label("Influence").select_option(label=influence)
        page.get_by_label("Stance").select_option(label=stance)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        inspector.look(page, "stakeholder page")
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Stakeholders").click()
    expect(page.get_by_role("table", name="Stakeholders").get_by_role("rowheader")).to_have_count(3)
    inspector.look(page, "stakeholders list")

    # A coffee with two of them.
    page.get_by_role("link", name="Engagement log").click()
    inspector.look(page, "engagement log (empty)")
    page.get_by_role("link", name="Log an engagement").first.click()
    inspector.look(page, "log an engagement form")
    page.get_by_label("Kind").select_option(label="Coffee and chat")
    page.get_by_label("Rosa Delgado (Dayton City Council)").check()
    page.get_by_label("Tom Brennan (Community First Credit Union)").check()
    page.get_by_label("Summary").fill("Coffee about the city ID: would the credit union accept it?")
    page.get_by_label("Feedback heard").fill("Worried about the cost to the city.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Coffee about the city ID").first).to_be_visible()
    inspector.look(page, "engagement log")

    # What Tom promised.
    page.get_by_role("link", name="Commitments").click()
    inspector.look(page, "commitments (empty)")
    page.get_by_role("link", name="Record a commitment").first.click()
    inspector.look(page, "record a commitment form")
    page.get_by_label("Stakeholder").select_option(label="Tom Brennan (Community First Credit Union)")
    page.get_by_label("What was promised").fill("Accept the city ID for opening accounts")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Accept the city ID for opening accounts").first).to_be_visible()
    inspector.look(page, "stakeholder page with a commitment")

    # The grid: Rosa and Tom are the ones to win over next.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Stakeholders").click()
    page.get_by_role("link", name="Influence × stance grid").click()
    grid = page.get_by_role("table", name="Stakeholders by influence (rows) and stance (columns)")
    high = grid.get_by_role("row", name="High influence")
    expect(high.get_by_role("link", name="Rosa Delgado")).to_be_visible()
    expect(high.get_by_role("link", name="Tom Brennan")).to_be_visible()
    expect(grid.get_by_role("row", name="Medium influence").get_by_role("link", name="Helen Park")).to_be_visible()
    win_over = page.get_by_role("region", name="Win over next")
    expect(win_over.get_by_role("link", name="Rosa Delgado")).to_be_visible()
    inspector.look(page, "influence stance grid")

    inspector.assert_clean()


def test_staff_run_an_initiative_from_the_idea_library(
    page, live_server, editor_user, organization, inspector, idea_library
):
    from assessments.tests.factories import NeedFactory
    from stakeholders.tests.factories import StakeholderFactory

    NeedFactory(organization=organization, title="Access to bank accounts")
    StakeholderFactory(organization=organization, name="Tom Brennan", affiliation="Community First Credit Union")
    today = local_date(organization.time_zone)  # the organisation's day, not UTC's: the pages use it

    log_in(page, live_server.url, editor_user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Initiatives").click()
    inspector.look(page, "initiatives (empty)")
    page.get_by_role("link", name="Idea library").first.click()
    inspector.look(page, "idea library")
    page.get_by_role("link", name="Municipal ID card for all residents", exact=True).click()
    inspector.look(page, "idea page")
    page.get_by_role("link", name="Start an initiative from this idea").click()
    inspector.look(page, "new initiative from an idea")
    expect(page.get_by_label("Title")).to_have_value("Municipal ID card for all residents")
    page.get_by_label("Goals").fill("Every resident can prove who they are in the city")
    page.get_by_label("Access to bank accounts").check()
    page.get_by_label("Lead").select_option(label=editor_user.get_full_name())
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Municipal ID card for all residents", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Needs addressed").get_by_text("Access to bank accounts")).to_be_visible()

    page.get_by_role("link", name="Add partner").click()
    inspector.look(page, "add partner form")
    page.get_by_label("Stakeholder").select_option(label="Tom Brennan (Community First Credit Union)")
    page.get_by_label("Role").select_option(label="Host")
    page.get_by_role("button", name="Add partner").click()
    expect(page.get_by_role("region", name="Partners").get_by_text("Tom Brennan").first).to_be_visible()

    milestones = page.get_by_role("region", name="Milestones and tasks")
    milestones.get_by_label("New milestone").fill("Council resolution passed")
    milestones.get_by_label("Due").last.fill((today + timedelta(days=60)).isoformat())
    milestones.get_by_role("button", name="Add milestone").click()
    milestone = page.get_by_role("article", name="Council resolution passed")
    milestone.get_by_text("Add a task").click()
    milestone.get_by_label("New task").fill("Draft the resolution with the clerk")
    milestone.get_by_role("button", name="Add task").click()
    page.get_by_role("button", name="Mark as done: Draft the resolution with the clerk").click()
    expect(page.get_by_text("1 of 1 task done (100%)")).to_be_visible()

    page.get_by_role("link", name="Add funding").click()
    inspector.look(page, "add funding form")
    page.get_by_label("Kind of source").select_option(label="Local government")
    page.get_by_role("textbox", name="Source").fill("City of Dayton")
    page.get_by_role("spinbutton", name="Pledged").fill("2500")
    page.get_by_role("spinbutton", name="Received").fill("1000")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("button", name="Add funding").click()
    funding = page.get_by_role("table", name="Funding received and pledged")
    expect(funding.get_by_role("row", name=re.compile("City of Dayton"))).to_be_visible()

    page.get_by_role("link", name="Add activity").click()
    inspector.look(page, "add activity form")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Title").fill("Enrolment day at the library")
    page.get_by_label("Newcomers attending").fill("14")
    page.get_by_label("Receiving community attending").fill("11")
    page.get_by_role("button", name="Add activity").click()
    activities = page.get_by_role("table", name="Activities and attendance")
    expect(activities.get_by_role("row", name=re.compile("Enrolment day at the library"))).to_contain_text("14")
    inspector.look(page, "initiative page")

    inspector.assert_clean()


def test_staff_measure_and_review_an_initiative(page, live_server, admin_user, editor_user, organization, inspector):
    from initiatives.tests.factories import InitiativeFactory

    InitiativeFactory(organization=organization, title="Municipal ID card for all residents", status="active")
    today = local_date(organization.time_zone)  # the organisation's day, not UTC's: the pages use it

    # The organisation's admin: staff who may also read the reminder log.
    log_in(page, live_server.url, admin_user.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluation").click()
    inspector.look(page, "evaluation index")
    page.get_by_role("region", name="Initiatives").get_by_role(
        "link", name="Municipal ID card for all residents"
    ).click()
    inspector.look(page, "evaluation of an initiative (empty)")

    page.get_by_role("link", name="Add indicator").first.click()
    inspector.look(page, "new indicator form")
    page.get_by_label("Name").fill("Bank accounts opened by newcomers")
    page.get_by_label("Concerns").select_option(label="Newcomers")
    page.get_by_label("Baseline value").fill("0")
    page.get_by_label("Baseline date").fill((today - timedelta(days=90)).isoformat())
    page.get_by_label("Target value").fill("150")
    page.get_by_label("Target date").fill((today + timedelta(days=275)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Bank accounts opened by newcomers", level=1)).to_be_visible()

    for days_ago, value in ((30, "12"), (0, "30")):
        page.get_by_role("link", name="Record a measurement").first.click()
        inspector.look(page, "new measurement form")
        page.get_by_label("Date").fill((today - timedelta(days=days_ago)).isoformat())
        page.get_by_label("Value").fill(value)
        page.get_by_role("button", name="Record measurement").click()
    measurements = page.get_by_role("region", name="Measurements")
    expect(measurements.get_by_role("row")).to_have_count(3)
    inspector.look(page, "indicator page")

    # A review every three months, the first in three days, reminders a week ahead.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Municipal ID card for all residents"
    ).click()
    page.get_by_role("link", name=re.compile("schedule", re.I)).first.click()
    inspector.look(page, "review schedule form")
    page.get_by_label("Every").fill("3")
    page.get_by_label("Period").select_option(label="months")
    page.get_by_label("First review on").fill((today + timedelta(days=3)).isoformat())
    page.get_by_label(admin_user.get_full_name()).check()
    page.get_by_label(editor_user.get_full_name()).check()
    page.get_by_label("Remind reviewers this many days ahead").fill("7")
    page.get_by_role("button", name="Save schedule").click()
    inspector.look(page, "evaluation of an initiative")

    # Celery beat runs the sweep every few minutes; no person clicks for it, so the test runs it
    # by hand, as `manage.py send_due_reminders` does (tasks run eagerly: the emails go out now).
    call_command("send_due_reminders")
    assert len(mail.outbox) == 2

    page.get_by_role("link", name="Evaluation").first.click()
    page.get_by_role("link", name="Reminder log").click()
    for reviewer in (admin_user, editor_user):
        row = page.get_by_role("row", name=re.compile(reviewer.get_full_name()))
        expect(row).to_contain_text("Upcoming")
        expect(row).to_contain_text("sent")
    inspector.look(page, "reminder log")

    # Hold the review.
    page.get_by_role("link", name="Evaluation").first.click()
    page.get_by_role("region", name="Reviews in the next 60 days").get_by_role("link").first.click()
    inspector.look(page, "review page")
    page.get_by_role("link", name="Record this review").click()
    inspector.look(page, "hold review form")
    page.get_by_label("Who took part").fill("Library, credit union, two newcomer community leaders")
    page.get_by_label("Findings").fill("Accounts are opening faster than planned since the credit union joined.")
    page.get_by_label("Feedback from newcomers").fill("The ID works at the credit union; banks still refuse it.")
    page.get_by_label("Feedback from the receiving community").fill("Tellers asked for a one-page guide.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Accounts are opening faster than planned")).to_be_visible()
    inspector.look(page, "held review")

    inspector.assert_clean()
