"""The network map: one selector for the map's JSON and its table, its measures, access and queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives import network_map
from initiatives.models import Initiative
from integration_hub.choices import WelcomingStandard
from integration_hub.models import Organization
from integration_hub.tests.factories import OrganizationFactory

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db
AFFILIATE = Organization.Kind.AFFILIATE


@pytest.fixture
def spread(organization, other_organization):
    """Riverside (Dayton, OH) and Lakeshore (Greensboro, NC) from conftest, plus: a second Ohio
    affiliate in Dayton, one in St. Paul MN (written as people write it), one in an unknown city of
    Texas, one with no state; initiatives of each status and category spread over them."""
    organization.city, organization.state = "Dayton", "OH"
    organization.save()
    other_organization.city, other_organization.state = "Greensboro", "NC"
    other_organization.save()
    dayton2 = OrganizationFactory(name="Ñandú Newcomer Center of Greater Dayton", city="  dayton ", state="OH")
    paul = OrganizationFactory(name="Twin Cities Welcome", city="St. Paul", state="MN")
    nowhere = OrganizationFactory(name="Atlantis Legal Aid", city="Atlantis", state="TX")
    stateless = OrganizationFactory(name="Somewhere Helpers", city="", state="")
    active, planned = Initiative.Status.ACTIVE, Initiative.Status.PLANNED
    civic = WelcomingStandard.choices[0][0]
    for org, status, category in [
        (organization, active, civic), (organization, planned, ""), (dayton2, active, ""),
        (other_organization, active, civic), (paul, planned, civic), (stateless, active, ""),
    ]:  # fmt: skip
        InitiativeFactory(organization=org, status=status, category=category)
    return {"civic": civic, "nowhere": nowhere}


def _rows(figures):
    return {row["state"]: (row["value"], row["affiliates"]) for row in figures["rows"]}


def test_initiatives_per_state_match_a_hand_count(spread):
    figures = network_map.network_map("initiatives")
    assert _rows(figures) == {"OH": (3, 2), "NC": (1, 1), "MN": (1, 1), "TX": (0, 1), "": (1, 1)}
    assert [row["state"] for row in figures["rows"]] == ["MN", "NC", "OH", "TX", ""]  # by name, no state last
    assert figures["legend"] == [{"bucket": 1, "low": 1, "high": 1}, {"bucket": 2, "low": 2, "high": 2},
                                 {"bucket": 3, "low": 3, "high": 3}]  # fmt: skip
    assert {row["state"]: row["bucket"] for row in figures["rows"]} == {"OH": 3, "NC": 1, "MN": 1, "TX": 0, "": 0}


def test_filters_and_other_measures(spread):
    assert _rows(network_map.network_map("active"))["OH"] == (2, 2)
    assert _rows(network_map.network_map("initiatives", status="planned")) == {
        "OH": (1, 2), "NC": (0, 1), "MN": (1, 1), "TX": (0, 1), "": (0, 1)}  # fmt: skip
    assert _rows(network_map.network_map("initiatives", category=spread["civic"]))["MN"] == (1, 1)
    assert _rows(network_map.network_map("affiliates", status="planned"))["OH"] == (2, 2)  # not an initiative measure
    assert _rows(network_map.network_map("initiatives", state="OH")) == {"OH": (3, 2)}
    assert network_map.network_map("no-such-measure")["measure"] == "initiatives"


def test_one_point_per_city_and_the_unknown_city_goes_to_its_state_centre(spread):
    figures = network_map.network_map()
    points = {(p["state"], p["city"].casefold()): p for p in figures["points"]}
    assert set(points) == {("OH", "dayton"), ("NC", "greensboro"), ("MN", "st. paul"), ("TX", "atlantis")}
    assert len(points[("OH", "dayton")]["affiliates"]) == 2
    assert points[("OH", "dayton")]["coordinates"] == [-84.19, 39.76]
    assert points[("MN", "st. paul")]["coordinates"] == [-93.09, 44.94]
    assert points[("TX", "atlantis")]["coordinates"] is None
    assert (figures["placed"], figures["at_centre"], figures["without_state"]) == (4, 1, 1)


def test_a_measure_registered_later_is_offered_and_drawn(spread, client_as):
    network_map.register_measure("test-one", "One each", lambda affiliates, f: {"OH": 7.0})
    try:
        page = client_as("network").get(reverse("network_map"), {"measure": "test-one"})
        assert page.context["map"]["label"] == "One each" and _rows(page.context["map"])["OH"] == (7.0, 2)
    finally:
        del network_map.MEASURES["test-one"]


def test_affiliate_staff_are_refused_and_network_staff_see_the_map(client_as, spread):
    for role in ("admin", "editor", "board", "outsider"):
        assert client_as(role).get(reverse("network_map")).status_code == 404, role
    assert client_as("network").get(reverse("network_map")).status_code == 200


def test_bad_choices_answer_the_default_map_with_a_message(client_as, spread):
    page = client_as("network").get(reverse("network_map"), {"measure": "x" * 500, "state": "ZZ", "status": "🙂"})
    assert page.status_code == 200
    assert page.context["map"]["measure"] == "initiatives"
    assert "not understood" in page.content.decode()


def test_the_table_lists_the_same_figures_as_the_json_fed_to_the_map(client_as, spread):
    html = client_as("network").get(reverse("network_map")).content.decode()
    data = json.loads(re.search(r'<script id="network-map-data" type="application/json">(.*?)</script>', html, re.S)[1])
    table = re.findall(r'<tr data-state="(\w*)">.*?<td class="text-end" data-value>([\d,]+)</td>.*?data-affiliates>([\d,]+)',
                       html, re.S)  # fmt: skip
    assert [(s, int(v), int(a)) for s, v, a in table] == [
        (r["state"], r["value"], r["affiliates"]) for r in data["rows"]
    ]
    assert f'href="{reverse("affiliate_list")}?state=OH"' in html


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("network_map")).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_affiliates(client_as, organization):
    client = client_as("network")
    states = ["OH", "TX", "CA", "NY", "FL", "MN", "WA", "GA", "IL"]
    for index in range(3):
        org = OrganizationFactory(city="Columbus", state=states[index], kind=AFFILIATE)
        InitiativeFactory(organization=org)
    client.get(reverse("network_map"))
    three = _count(client)
    for index in range(3, 9):
        org = OrganizationFactory(city=f"Town {index}", state=states[index], kind=AFFILIATE)
        InitiativeFactory.create_batch(2, organization=org)
    assert _count(client) == three
