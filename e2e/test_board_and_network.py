"""Read-only people: a board member on the dashboards, network staff on the roll-up."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_reads_every_step_prints_the_report_and_cannot_edit(
    page, live_server, board_user, four_steps, inspector
):
    log_in(page, live_server.url, board_user.email)
    # Board members land on their dashboard: step 4's numbers.
    expect(page.get_by_role("heading", name="Board dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("indicators on track")).to_be_visible()
    expect(page.locator(".ev-figure").first).to_have_text("1 / 1")
    expect(page.get_by_role("link", name="Bank accounts opened by newcomers")).to_be_visible()
    inspector.look(page, "board dashboard")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Needs").click()
    figures = page.get_by_role("main")
    expect(figures).to_contain_text(re.compile(r"1\s*Assessments"))
    expect(figures).to_contain_text(re.compile(r"fewer than 5\s*Survey responses"))  # 2 people: a small count
    expect(figures).to_contain_text(re.compile(r"1\s*Needs identified"))
    expect(page.get_by_role("link", name="New assessment")).to_have_count(0)
    inspector.look(page, "needs (board)")

    nav.get_by_role("link", name="Stakeholders").click()
    expect(page.get_by_role("table", name="Stakeholders").get_by_role("rowheader")).to_have_count(3)
    expect(page.get_by_role("link", name="Add stakeholder")).to_have_count(0)
    inspector.look(page, "stakeholders (board)")

    nav.get_by_role("link", name="Initiatives").click()
    row = page.get_by_role("row", name="Municipal ID card for all residents")
    expect(row).to_contain_text("1/1")
    expect(page.get_by_role("link", name="New initiative")).to_have_count(0)
    inspector.look(page, "initiatives (board)")
    row.get_by_role("link", name="Municipal ID card for all residents").click()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    inspector.look(page, "initiative page (board)")

    nav.get_by_role("link", name="Evaluation").click()
    expect(page.get_by_role("link", name="Reminder log")).to_have_count(0)
    inspector.look(page, "evaluation (board)")
    page.get_by_role("link", name="Board dashboard").click()
    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", name="Evaluation report", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("1 of 1 indicators on track")
    inspector.look(page, "printable report")

    # A colleague's emailed link to the edit page: the one address typed after logging in.
    response = page.goto(live_server.url + reverse("initiatives:edit", args=[four_steps.pk]))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("not allowed")
    inspector.look(page, "403 refused")

    inspector.assert_clean()


def test_network_staff_open_the_roll_up_and_an_affiliate_initiative_read_only(
    page, live_server, network_user, four_steps, inspector
):
    log_in(page, live_server.url, network_user.email)
    expect(page.get_by_role("heading", name="Network roll-up", level=1)).to_be_visible()
    inspector.look(page, "network roll-up")
    status = page.get_by_role("table", name="Initiatives by status")
    status.get_by_role("row", name="Active").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Initiatives across the network", level=1)).to_be_visible()
    inspector.look(page, "network initiatives")
    page.get_by_role("button", name="Open Municipal ID card for all residents").click()

    expect(page.get_by_role("heading", name="Municipal ID card for all residents", level=1)).to_be_visible()
    inspector.look(page, "affiliate initiative (network)")
    main = page.get_by_role("main")
    for name in (
        "Edit",
        "Add partner",
        "Add funding",
        "Add activity",
        "Add budget line",
        "Propose as a promising practice",
    ):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(main.get_by_role("button", name="Add milestone")).to_have_count(0)
    expect(main.get_by_role("button", name="Mark as")).to_have_count(0)
    expect(main.get_by_role("button", name="Remove Tom Brennan")).to_have_count(0)
    expect(main.get_by_text("Council resolution passed")).to_be_visible()

    inspector.assert_clean()
