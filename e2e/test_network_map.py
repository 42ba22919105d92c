"""Network staff on the map: states reached and opened by keyboard, a shared indicator as the
measure, and the map and its table readable on a phone, in English and Spanish."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import PHONE, SCREENSHOTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOWS = "() => document.documentElement.scrollWidth > window.innerWidth + 1"


@pytest.fixture
def spread(organization, other_organization):
    """Four affiliates in three states (two in Ohio), initiatives in each, and a shared indicator
    that Ohio and North Carolina measure (Arizona adopted it but has not measured yet)."""
    from evaluations import services
    from evaluations.models import Measurement
    from evaluations.tests.factories import InitiativeFactory, SharedIndicatorFactory
    from integration_hub.tests.factories import OrganizationFactory

    organization.city, organization.state = "Dayton", "OH"
    organization.save()
    other_organization.city, other_organization.state = "Greensboro", "NC"
    other_organization.save()
    columbus = OrganizationFactory(name="Ñandú Newcomer Center of Columbus", slug="nandu", city="Columbus", state="OH")
    tucson = OrganizationFactory(name="Desert Newcomer Center", slug="desert", city="Tucson", state="AZ")
    shared = SharedIndicatorFactory(
        name="Bank accounts opened by newcomers", aggregation="sum", valid_from=date.today() - timedelta(days=400)
    )
    for org, count, value in [(organization, 3, 30), (columbus, 2, 12), (other_organization, 1, 7), (tucson, 1, None)]:
        initiatives = [
            InitiativeFactory(organization=org, title=f"Welcome work {n} of {org.name}") for n in range(count)
        ]
        indicator = services.indicator_adopt(
            initiative=initiatives[0], shared_indicator=shared, baseline_value=Decimal(0),
            baseline_date=date.today() - timedelta(days=300), target_value=Decimal(100),
            target_date=date.today() + timedelta(days=300),
        )  # fmt: skip
        if value is not None:
            Measurement.objects.create(indicator=indicator, date=date.today() - timedelta(days=10), value=value)
    # For the evaluation roll-up's needs and survey tables.
    from assessments.models import Need, RespondentSide, Response
    from assessments.tests.factories import NeedFactory, NeedsAssessmentFactory, SurveyFactory

    riverside_work = organization.initiatives.order_by("pk").first()
    for title, category in [("Interpreters at city offices", Need.Category.ACCESS_TO_SERVICES),
                            ("Clases de inglés por la tarde", Need.Category.LANGUAGE)]:  # fmt: skip
        need = NeedFactory(organization=organization, title=title, category=category)
        if category == Need.Category.ACCESS_TO_SERVICES:
            riverside_work.needs.add(need)
    NeedFactory(organization=tucson, title="Affordable legal advice", category=Need.Category.LEGAL)
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    Response.objects.bulk_create(
        Response(survey=survey, side=side, submitted_on=date.today())
        for side, n in ((RespondentSide.NEWCOMER, 12), (RespondentSide.RESIDENT, 3), (RespondentSide.PREFER_NOT, 1))
        for _ in range(n)
    )
    return shared


def _tab_to_state(page, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.classList.contains('map-state-link') ?? false"):
            return page.evaluate("() => document.activeElement.dataset.state")
    pytest.fail("No state of the map can be reached with Tab")


def _fill(page, state):
    return page.locator(f'a.map-state-link[data-state="{state}"] path').get_attribute("class")


def test_network_staff_read_the_map_by_keyboard_and_switch_the_measure(
    page, live_server, network_user, spread, inspector
):
    # The map fetches and projects a 600 kB atlas on each load; on a busy 2-core machine that takes
    # more than the journeys' usual 5 s.
    page.set_default_timeout(20_000)
    log_in(page, live_server.url, network_user.email)
    page.goto(live_server.url + reverse("network_map"))
    expect(page.locator("#network-map.is-drawn")).to_be_visible()
    links = page.locator("a.map-state-link")
    expect(links).to_have_count(3)  # the states with affiliates; the others are plain shapes
    for name in ("Ohio", "North Carolina", "Arizona"):
        expect(page.get_by_role("link", name=re.compile(rf"^{name} — Initiatives: "))).to_have_count(1)
    expect(page.get_by_role("link", name="Ohio — Initiatives: 5; Affiliates: 2")).to_be_visible()
    inspector.look(page, "network map")

    state = _tab_to_state(page)
    expect(page.locator("#map-focus")).to_contain_text({"OH": "Ohio", "NC": "North Carolina", "AZ": "Arizona"}[state])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{reverse('affiliate_list')}\?state={state}$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back()
    expect(page.locator("#network-map.is-drawn")).to_be_visible()

    before = {code: _fill(page, code) for code in ("OH", "NC", "AZ")}
    page.get_by_label("Show").select_option(label="Shared indicator: Bank accounts opened by newcomers")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#network-map.is-drawn")).to_be_visible()
    after = {code: _fill(page, code) for code in ("OH", "NC", "AZ")}
    assert after != before, (before, after)
    assert after["AZ"] == "map-state map-b0"  # adopted, not measured: no data, not a colour of its own
    table = page.locator("#map-table")
    expect(table.locator("thead")).to_contain_text("Shared indicator: Bank accounts opened by newcomers")
    expect(table.locator('tr[data-state="OH"] [data-value]')).to_have_text("42")  # 30 + 12, a sum
    expect(table.locator('tr[data-state="AZ"] [data-value]')).to_have_text("no data")
    expect(
        page.get_by_role(
            "link", name="Arizona — Shared indicator: Bank accounts opened by newcomers: no data; Affiliates: 1"
        )
    ).to_have_count(1)
    inspector.look(page, "network map shared indicator")

    page.set_viewport_size(PHONE)
    assert not page.evaluate(OVERFLOWS)
    svg = page.locator("svg.network-map-svg").bounding_box()
    assert svg and svg["x"] >= 0 and svg["x"] + svg["width"] <= PHONE["width"] and svg["height"] > 100
    expect(table).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Mapa de la red", level=1)).to_be_visible()
    expect(page.locator("#network-map.is-drawn")).to_be_visible()
    inspector.look(page, "network map es")
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"network-map-es-{width}.png", full_page=True)
        assert not page.evaluate(OVERFLOWS)
    # The evaluation roll-up's tables of needs and survey responses, in both languages.
    page.goto(live_server.url + reverse("network_evaluation"))
    expect(page.get_by_role("heading", name="Necesidades por categoría")).to_be_visible()
    inspector.look(page, "evaluation roll-up es")
    page.get_by_role("button", name="English").click()
    responses = page.get_by_role("table", name="Survey responses by state and side")
    expect(responses.get_by_role("row", name=re.compile("^OH"))).to_contain_text("fewer than 5")
    inspector.look(page, "evaluation roll-up")
    inspector.assert_clean()
