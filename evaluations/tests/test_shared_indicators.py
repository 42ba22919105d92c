"""Shared indicators, the network's evaluation roll-up and the board's peer comparison, on a
hand-computed network: three affiliates in three states, several members each, measurements on
different dates, one indicator re-versioned and one retired."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Need, RespondentSide, Response
from assessments.tests.factories import NeedFactory, NeedsAssessmentFactory, SurveyFactory
from evaluations import selectors, services
from evaluations.models import EvaluationReview, Indicator, Measurement, SharedIndicator
from evaluations.tests.factories import IndicatorFactory, InitiativeFactory, SharedIndicatorFactory
from initiatives import network_map
from initiatives import selectors as initiative_selectors
from initiatives.models import Initiative
from integration_hub.models import Role
from integration_hub.tests.factories import MembershipFactory, OrganizationFactory
from integration_hub.tests.support import client_for

pytestmark = pytest.mark.django_db

TODAY = date(2025, 12, 31)
D = Decimal


def _affiliate(name, city, state, members=3):
    org = OrganizationFactory(name=name, city=city, state=state)
    for role in (Role.ADMIN, Role.EDITOR, Role.BOARD)[:members]:
        MembershipFactory(organization=org, role=role)
    return org


def _adopt(org, shared, baseline, target, values, title=None):
    initiative = InitiativeFactory(organization=org, title=title or f"Welcoming work of {org.name}")
    indicator = services.indicator_adopt(
        initiative=initiative, shared_indicator=shared, baseline_value=D(baseline), baseline_date=date(2025, 1, 1),
        target_value=D(target), target_date=date(2026, 1, 1),
    )  # fmt: skip
    for day, value in values:
        Measurement.objects.create(indicator=indicator, date=day, value=D(value))
    return indicator


@pytest.fixture
def network(organization):
    a = organization  # Riverside, Dayton OH
    b = _affiliate("Lakeshore Legal Aid — Société d'entraide", "Greensboro", "NC")
    c = _affiliate("Desert Newcomer Center", "Tucson", "AZ")
    accounts = SharedIndicatorFactory(
        name="Bank accounts opened by newcomers", aggregation="sum", valid_from=date(2025, 1, 1)
    )
    score = SharedIndicatorFactory(
        name="Satisfacción de participantes (1–5)", unit="score", aggregation="median", valid_from=date(2025, 1, 1)
    )
    ia = _adopt(
        a,
        accounts,
        0,
        100,
        [(date(2025, 3, 1), 10), (date(2025, 6, 15), 30), (date(2025, 8, 1), 5), (date(2025, 10, 1), 12)],
    )
    _adopt(b, accounts, 0, 50, [(date(2025, 5, 1), 20), (date(2025, 9, 1), 7)])
    _adopt(c, accounts, 0, 100, [(date(2025, 2, 1), 40)])
    _adopt(
        a,
        score,
        3,
        5,
        [(date(2025, 4, 1), "3.5"), (date(2025, 9, 15), "4.0"), (date(2025, 11, 1), "4.8")],
        "Events where both sides meet",
    )
    _adopt(b, score, 3, 5, [(date(2025, 6, 1), "4.4")], "Lunch and learn")
    _adopt(c, score, 3, 5, [(date(2025, 3, 1), "3.0")], "Welcome nights")
    # Re-versioned from 1 July (what is counted changed), retired after September.
    services.shared_indicator_update(
        shared_indicator=accounts, created_by=None, valid_from=date(2025, 7, 1),
        **{**{f: getattr(accounts, f) for f in SharedIndicator.DEFINITION_FIELDS}, "definition": "Accounts still open after 90 days."},
    )  # fmt: skip
    services.shared_indicator_retire(shared_indicator=score, on=date(2025, 9, 30))
    IndicatorFactory(initiative=ia.initiative, name="Volunteers signed up")  # never measured: no data
    for org, due, held in [
        (a, date(2025, 3, 1), date(2025, 2, 28)), (a, date(2025, 6, 1), date(2025, 6, 10)),
        (a, date(2025, 9, 1), None), (a, date(2026, 3, 1), None), (b, date(2025, 4, 1), date(2025, 4, 1)),
    ]:  # fmt: skip
        EvaluationReview.objects.create(
            initiative=ia.initiative if org == a else org.initiatives.first(),
            due_date=due,
            remind_from=due,
            held_on=held,
        )
    _needs_and_surveys(a, b, c, ia.initiative)
    return {"a": a, "b": b, "c": c, "accounts": accounts, "score": score}


def _need(org, title, category, created, status=Need.Status.IDENTIFIED, addressed_by=()):
    need = NeedFactory(organization=org, title=title, category=category, status=status)
    Need.objects.filter(pk=need.pk).update(created_at=f"{created}T15:00:00Z")
    for initiative in addressed_by:
        initiative.needs.add(need)
    return need


def _survey(org, period, sides, kept=None):
    assessment = NeedsAssessmentFactory(organization=org, period_start=period[0], period_end=period[1])
    survey = SurveyFactory(assessment=assessment, kept_tallies=kept or {})
    Response.objects.bulk_create(
        Response(survey=survey, side=side, submitted_on=period[0] or date(2025, 5, 5))
        for side, n in sides.items()
        for _ in range(n)
    )


def _needs_and_surveys(a, b, c, riverside):
    """Needs: Ohio 5 (one each addressed, met and two addressed by nobody — one only by a cancelled
    initiative —, one from 2019), North Carolina 2, Arizona 1. Surveys: Ohio two (22 and 9
    respondents, the second with 3 newcomers), North Carolina one of 3, Arizona one of 2024 with 3
    newcomers kept as tallies after the retention rule."""
    N, C = RespondentSide, Need.Category
    riverside.category = "equitable_access"
    riverside.save()
    cancelled = InitiativeFactory(organization=a, title="Housing fair", status=Initiative.Status.CANCELLED)
    lunch = b.initiatives.get(title="Lunch and learn")
    lunch.category = "connected_communities"
    lunch.save()
    _need(a, "Interpreters at city offices", C.ACCESS_TO_SERVICES, "2025-02-01", addressed_by=[riverside])
    _need(a, "Clases de inglés por la tarde", C.LANGUAGE, "2025-03-01")
    _need(a, "Bank accounts for newcomers", C.ECONOMIC, "2025-04-01", status=Need.Status.MET)
    _need(a, "Safe, affordable rental housing", C.HOUSING, "2025-05-01", addressed_by=[cancelled])
    _need(a, "Driving lessons", C.LANGUAGE, "2019-06-30")
    _need(b, "Clinic hours that fit work shifts", C.HEALTH, "2025-06-01", addressed_by=[lunch])
    _need(b, "Un lugar de encuentro — où se retrouver", C.CONNECTED_COMMUNITIES, "2025-07-01",
          status=Need.Status.BEING_ADDRESSED)  # fmt: skip
    _need(c, "Affordable immigration legal advice", C.LEGAL, "2025-08-01", addressed_by=[c.initiatives.first()])
    _survey(a, (date(2025, 1, 1), date(2025, 3, 31)), {N.NEWCOMER: 12, N.RESIDENT: 9, N.PREFER_NOT: 1})
    _survey(a, (date(2025, 9, 1), date(2025, 10, 31)), {N.NEWCOMER: 3, N.RESIDENT: 6})
    _survey(b, (None, None), {N.NEWCOMER: 2, N.RESIDENT: 1})
    _survey(c, (date(2024, 1, 1), date(2024, 6, 30)), {N.NEWCOMER: 7, N.RESIDENT: 5}, {"sides": {N.NEWCOMER: 3}})


def test_a_new_definition_is_a_new_version_and_adopting_indicators_follow(network):
    accounts = network["accounts"]
    assert [v.number for v in accounts.versions.all()] == [1, 2]
    assert accounts.current_version.number == 2
    windows = selectors.version_windows(accounts)
    assert [(w.start, w.end) for w in windows] == [(date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), None)]
    assert accounts.versions.get(number=1).definition == "Counted from the sign-in sheets, once a month."
    assert set(Indicator.objects.filter(shared_indicator=accounts).values_list("name", flat=True)) == {accounts.name}


def test_each_version_sums_the_latest_measurement_of_each_affiliate_under_it(network):
    rows = selectors.shared_indicator_rollup(date(2025, 1, 1), date(2025, 12, 31))
    figures = {(r["shared"].name, r["window"].version.number): (r["value"], r["affiliates"]) for r in rows}
    assert figures[("Bank accounts opened by newcomers", 1)] == (D(90), 3)  # 30 + 20 + 40
    assert figures[("Bank accounts opened by newcomers", 2)] == (D(19), 2)  # 12 + 7
    # Median of 4.0, 4.4 and 3.0; A's 4.8 of November came after the retirement and counts nowhere.
    assert figures[("Satisfacción de participantes (1–5)", 1)] == (D("4.0"), 3)


def test_the_period_and_the_state_narrow_the_figures(network):
    rows = selectors.shared_indicator_rollup(date(2025, 7, 1), date(2025, 8, 31))
    figures = {(r["shared"].pk, r["window"].version.number): (r["value"], r["affiliates"]) for r in rows}
    # Only version 2 was in force then; A's 5 of 1 August is the one measurement; the score had no measurement.
    assert figures == {(network["accounts"].pk, 2): (D(5), 1), (network["score"].pk, 1): (None, 0)}
    nc = selectors.shared_indicator_rollup(None, None, state="NC")
    assert {(r["window"].version.number, r["value"], r["affiliates"]) for r in nc if r["shared"] == network["accounts"]} == {
        (1, D(20), 1), (2, D(7), 1)
    }  # fmt: skip


def test_shared_indicator_by_state_reads_the_version_in_force_at_the_end(network):
    assert selectors.shared_indicator_by_state(network["accounts"], end=TODAY) == {
        "NC": {"value": D(7), "affiliates": 1},
        "OH": {"value": D(12), "affiliates": 1},
    }
    assert selectors.shared_indicator_by_state(network["score"], end=TODAY) == {}  # retired by then
    assert selectors.shared_indicator_by_state(network["score"], end=date(2025, 9, 30)) == {
        "AZ": {"value": D("3.0"), "affiliates": 1},
        "NC": {"value": D("4.4"), "affiliates": 1},
        "OH": {"value": D("4.0"), "affiliates": 1},
    }


def test_status_by_state_counts_every_affiliates_indicators(network):
    rows = {r["state"]: r for r in selectors.network_status_by_state(end=TODAY)}
    assert {s: (r["on_track"], r["at_risk"], r["off_track"], r["no_data"]) for s, r in rows.items()} == {
        "OH": (1, 0, 1, 1), "NC": (1, 0, 1, 0), "AZ": (1, 0, 1, 0),
    }  # fmt: skip


def test_reviews_by_state_use_the_board_dashboards_definition(network):
    rows = {r["state"]: r["timeliness"] for r in selectors.network_reviews_by_state(TODAY)}
    assert (rows["OH"].due, rows["OH"].on_time, rows["OH"].late, rows["OH"].overdue) == (3, 1, 1, 1)
    assert (rows["NC"].due, rows["NC"].on_time, rows["NC"].late, rows["NC"].overdue) == (1, 1, 0, 0)
    assert "AZ" not in rows
    assert selectors.review_timeliness(network["a"], TODAY) == rows["OH"]


def test_the_peer_comparison_suppresses_a_state_with_too_few_other_affiliates(network):
    (row,) = [r for r in selectors.peer_comparison(network["a"], TODAY) if r["shared"] == network["accounts"]]
    assert row["own_percent"] == 12
    # One other affiliate: the median of 12 % and 14 % would give its 14 % back.
    assert row["network_suppressed"] and row["network_percent"] is None and row["network_affiliates"] == 2
    assert row["state_suppressed"] and row["state_percent"] is None
    d = _affiliate("Columbus Welcoming Partnership", "Columbus", "OH", members=2)
    e = _affiliate("Neighbors United Cincinnati", "Cincinnati", "OH", members=2)
    _adopt(d, network["accounts"], 0, 100, [(date(2025, 8, 1), 20)])
    _adopt(e, network["accounts"], 0, 100, [(date(2025, 8, 1), 40)])
    (row,) = [r for r in selectors.peer_comparison(network["a"], TODAY) if r["shared"] == network["accounts"]]
    assert row["state_suppressed"]  # two others in Ohio are not enough
    assert not row["network_suppressed"]  # three others in the network are
    assert (row["network_percent"], row["network_affiliates"]) == (17, 4)  # median of 12, 14, 20, 40 %
    f = _affiliate("Catholic Charities of Toledo", "Toledo", "OH", members=2)
    _adopt(f, network["accounts"], 0, 200, [(date(2025, 12, 1), 100)])
    (row,) = [r for r in selectors.peer_comparison(network["a"], TODAY) if r["shared"] == network["accounts"]]
    assert not row["state_suppressed"]
    assert (row["state_percent"], row["state_affiliates"]) == (30, 4)  # median of 12, 20, 40, 50 %
    assert (row["network_percent"], row["network_affiliates"]) == (20, 5)  # median of 12, 14, 20, 40, 50 %


def test_the_dashboard_shows_the_comparison_without_naming_other_affiliates(network, board_user):
    response = client_for(board_user).get(reverse("evaluations:dashboard"))
    html = response.content.decode()
    assert "Shared indicators beside other affiliates" in html
    assert "fewer than 3 other affiliates in OH report" in html
    assert "not shown: fewer than 3 other affiliates report" in html  # the network's median of two
    assert "Lakeshore" not in html and "Desert Newcomer" not in html


def test_the_roll_up_page_shows_the_figures_with_links_and_csv(network, network_user, network_office):
    client = client_for(network_user, network_office)
    response = client.get(reverse("network_evaluation"), {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bank accounts opened by newcomers" in html and reverse("network_indicators") + "?shared_indicator=" in html
    csv = b"".join(
        client.get(
            reverse("network_evaluation"), {"table": "shared", "format": "csv", "end": "2025-12-31"}
        ).streaming_content
    ).decode()
    assert "Bank accounts opened by newcomers,2,2025-07-01,,Sum across affiliates,19,2" in csv
    assert client.get(reverse("network_evaluation"), {"table": "nope", "format": "csv"}).status_code == 404
    assert client.get(reverse("network_evaluation"), {"start": "not a date", "state": "<b>"}).status_code == 200
    listed = client.get(reverse("network_indicators"), {"state": "OH", "status": "no_data"})
    assert [i.name for i in listed.context["object_list"]] == ["Volunteers signed up"]


def test_affiliate_staff_do_not_find_the_network_pages(network, client_as):
    for name in ("network_evaluation", "network_indicators", "shared_indicator_list"):
        assert client_as("admin").get(reverse(name)).status_code == 404
    assert client_as("admin").get(reverse("shared_indicator_create")).status_code == 403


def test_network_staff_need_the_editor_role_to_change_shared_indicators(network_office):
    membership = MembershipFactory(organization=network_office, role=Role.BOARD)
    client = client_for(membership.user, network_office)
    data = {
        "name": "Newcomers on local boards", "unit": "count", "direction": "increase", "concerns": "newcomers",
        "definition": "Seats held on 31 December.", "category": "civic_engagement", "aggregation": "sum",
        "valid_from": "2025-01-01",
    }  # fmt: skip
    assert client.get(reverse("shared_indicator_list")).status_code == 200
    assert client.post(reverse("shared_indicator_create"), data).status_code == 403
    membership.role = Role.EDITOR
    membership.save()
    assert client.post(reverse("shared_indicator_create"), data).status_code == 302
    shared = SharedIndicator.objects.get(name="Newcomers on local boards")
    url = reverse("shared_indicator_update", args=[shared.pk])
    assert client.post(url, {**data, "valid_from": "2024-12-01", "unit": "percent"}).status_code == 200  # before v1
    assert client.post(url, {**data, "valid_from": "2025-06-01", "unit": "percent"}).status_code == 302
    assert shared.versions.count() == 2
    assert client.post(reverse("shared_indicator_retire", args=[shared.pk])).status_code == 302
    assert client.get(url).status_code == 404  # a retired one is not edited


def test_an_editor_adopts_a_shared_indicator_once_and_cannot_rename_it(network, client_as):
    extra = SharedIndicatorFactory(name="Library cards issued to newcomers")
    initiative = InitiativeFactory(organization=network["a"])
    url = reverse("evaluations:indicator_adopt", args=[initiative.pk])
    form = {"shared_indicator": extra.pk, "baseline_value": "0", "baseline_date": "2025-01-01",
            "target_value": "80", "target_date": "2026-06-30"}  # fmt: skip
    assert client_as("board").post(url, form).status_code == 403
    assert client_as("editor").post(url, form).status_code == 302
    indicator = Indicator.objects.get(shared_indicator=extra)
    assert (indicator.name, indicator.unit, indicator.initiative) == (extra.name, "count", initiative)
    again = client_as("editor").post(
        reverse("evaluations:indicator_adopt", args=[InitiativeFactory(organization=network["a"]).pk]), form
    )
    assert again.status_code == 200 and Indicator.objects.filter(shared_indicator=extra).count() == 1
    edit = reverse("evaluations:indicator_update", args=[indicator.pk])
    client_as("editor").post(edit, {**form, "name": "Renamed", "unit": "percent", "target_value": "90",
                                    "direction": "increase", "concerns": "both"})  # fmt: skip
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit, indicator.target_value) == (extra.name, "count", D(90))
    retired = SharedIndicatorFactory(name="Retired one")
    services.shared_indicator_retire(shared_indicator=retired, on=date(2025, 1, 2))
    assert client_as("editor").post(url, {**form, "shared_indicator": retired.pk}).status_code == 200


def _grow(count):
    for n in range(count):
        org = _affiliate(f"Grown affiliate {n}", "Omaha", f"N{n % 3}", members=2)
        shared = SharedIndicator.objects.get(name="Bank accounts opened by newcomers")
        indicator = _adopt(org, shared, 0, 100, [(date(2025, 3, 1), n), (date(2025, 8, 1), n + 1)])
        EvaluationReview.objects.create(
            initiative=indicator.initiative, due_date=date(2025, 5, 1), remind_from=date(2025, 5, 1)
        )
        # The needs and survey tables grow too: a need addressed, one not, and a survey of each size.
        _need(org, f"Need {n}", Need.Category.HOUSING, "2025-03-01", addressed_by=[indicator.initiative])
        _need(org, f"Other need {n}", Need.Category.values[n % 11], "2025-04-01")
        _survey(org, (date(2025, 1, 1), None), {RespondentSide.NEWCOMER: n, RespondentSide.RESIDENT: 2 * n})


def test_roll_up_query_count_is_the_same_for_3_and_9_affiliates(network, network_user, network_office):
    client = client_for(network_user, network_office)
    url = reverse("network_evaluation")
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url, {"end": "2025-12-31"}).status_code == 200
    _grow(6)
    with CaptureQueriesContext(connection) as nine:
        assert client.get(url, {"end": "2025-12-31"}).status_code == 200
    assert len(three) == len(nine)
    html = client.get(url, {"end": "2025-12-31"}).content.decode()
    assert html.count('<th scope="row">N2</th><td>Housing</td>') == 1  # the grown needs are in the counted table


def _needs(**filters):
    return {
        (r["state"], r["category"]): (r["needs"], r["addressed"], r["met"], r["unaddressed"])
        for r in selectors.network_needs_by_category(**filters)
    }


def test_needs_by_category_count_what_addresses_them_as_the_needs_board_does(network):
    assert _needs() == {
        ("AZ", "legal"): (1, 1, 0, 0),
        ("NC", "health"): (1, 1, 0, 0),
        ("NC", "connected_communities"): (1, 0, 0, 1),  # "being addressed" by its status, but no initiative
        ("OH", "access_to_services"): (1, 1, 0, 0),
        ("OH", "language"): (2, 0, 0, 2),
        ("OH", "economic"): (1, 0, 1, 0),
        ("OH", "housing"): (1, 0, 0, 1),  # only a cancelled initiative
    }
    # The needs board's own definition gives the same for Ohio's affiliate.
    ohio = initiative_selectors.needs_coverage(network["a"])
    assert (len(ohio["covered"]), len(ohio["uncovered"])) == (1, 3)
    assert [r["state"] for r in selectors.network_needs_by_category()] == ["AZ", "NC", "NC", "OH", "OH", "OH", "OH"]


def test_needs_follow_the_state_category_and_period(network):
    assert _needs(state="NC") == {("NC", "health"): (1, 1, 0, 0), ("NC", "connected_communities"): (1, 0, 0, 1)}
    assert _needs(start=date(2025, 1, 1), end=date(2025, 12, 31))[("OH", "language")] == (1, 0, 0, 1)  # not 2019's
    assert _needs(start=date(2025, 5, 1), end=date(2025, 6, 30)) == {
        ("OH", "housing"): (1, 0, 0, 1), ("NC", "health"): (1, 1, 0, 0),
    }  # fmt: skip
    # Equitable access: only Riverside's initiative of that category addresses; the clinic's is another.
    civic = _needs(category="equitable_access")
    assert civic[("OH", "access_to_services")] == (1, 1, 0, 0)
    assert civic[("NC", "health")] == (1, 0, 0, 1) and civic[("AZ", "legal")] == (1, 0, 0, 1)


def _responses(**filters):
    return {
        r["state"]: (r["surveys"], *[cell.display for cell in r["cells"]])
        for r in selectors.network_responses_by_side(**filters)
    }


def test_survey_responses_by_side_hide_what_a_results_page_hides(network):
    # Ohio: 15 newcomers = 12 + 3, and the second survey's results page shows "fewer than 5" for its 3
    # and hides its 6 residents; showing 15 and 15 beside the first survey's 12 and 9 would give them back.
    # North Carolina: 2, 1, 3, each under 5. Arizona: 7 live newcomers + 3 kept as tallies.
    assert _responses() == {
        "AZ": (1, "10", "5", "15"),
        "NC": (1, "fewer than 5", "fewer than 5", "fewer than 5"),
        "OH": (2, "hidden", "hidden", "31"),
    }


def test_survey_responses_count_whole_surveys_whose_period_meets_the_filter(network):
    # The 2024 survey is out; North Carolina's has no period, so every period meets it.
    assert _responses(start=date(2025, 1, 1), end=date(2025, 12, 31)) == {
        "NC": (1, "fewer than 5", "fewer than 5", "fewer than 5"),
        "OH": (2, "hidden", "hidden", "31"),
    }
    # Only Ohio's second survey: its own results page's cells, no more.
    assert _responses(state="OH", start=date(2025, 6, 1)) == {"OH": (1, "fewer than 5", "hidden", "9")}
    assert _responses(end=date(2024, 12, 31)) == {
        "AZ": (1, "10", "5", "15"),
        "NC": (1, "fewer than 5", "fewer than 5", "fewer than 5"),
    }


def test_the_roll_up_shows_needs_and_responses_with_links_and_csv(network, network_user, network_office):
    client = client_for(network_user, network_office)
    html = client.get(reverse("network_evaluation")).content.decode()
    assert "Needs by category" in html and "Survey responses by side" in html
    assert f'href="{reverse("affiliate_list")}?state=OH">31</a>' in html
    assert "hidden</span>" in html  # a hidden count is not a link

    def csv(table, **filters):
        response = client.get(reverse("network_evaluation"), {"table": table, "format": "csv", **filters})
        return b"".join(response.streaming_content).decode().splitlines()

    assert "OH,Language,2,0,0,2" in csv("needs")
    assert "NC,Health,1,0,0,1" in csv("needs", category="equitable_access")
    assert csv("responses", state="OH")[1:] == ["OH,2,hidden,hidden,31"]
    assert csv("responses", start="2025-06-01")[1:] == [
        "NC,1,fewer than 5,fewer than 5,fewer than 5",
        "OH,1,fewer than 5,hidden,9",
    ]


def test_the_map_offers_each_shared_indicator_in_force_with_its_figure_by_state(network, network_user, network_office):
    client = client_for(network_user, network_office)
    key = f"shared-{network['accounts'].pk}"
    page = client.get(reverse("network_map"), {"measure": key})
    measures = dict(page.context["form"].fields["measure"].choices)
    assert measures[key] == "Shared indicator: Bank accounts opened by newcomers"
    assert f"shared-{network['score'].pk}" not in measures  # retired in 2025
    figures = page.context["map"]
    # Today is after both: version 2's latest per affiliate, Ohio's 12 of October and North Carolina's
    # 7 of September; Arizona measured only under version 1, so it has no data (not 0).
    assert {r["state"]: (r["value"], r["bucket"]) for r in figures["rows"]} == {
        "AZ": (None, 0), "NC": (7, 3), "OH": (12, 4),
    }  # fmt: skip
    assert figures["rows"] and selectors.shared_indicator_by_state(network["accounts"])["OH"]["value"] == 12
    html = page.content.decode()
    assert '<tr data-state="AZ">' in html and "no data" in html
    assert re.search(r'<tr data-state="OH">.*?data-value>12</td>', html, re.S)
    # The map's category filter narrows it as the roll-up's does: only Riverside's initiative is equitable access.
    narrowed = network_map.network_map(key, category="equitable_access")
    assert {r["state"]: r["value"] for r in narrowed["rows"]} == {"AZ": None, "NC": None, "OH": 12}
    # A median score of a shared indicator that is not a whole number gets classes from 0.
    assert network_map.breaks(4.4, whole=False) == [(0.0, 0.88), (0.88, 1.76), (1.76, 2.64), (2.64, 3.52), (3.52, 4.4)]


def test_map_query_count_with_a_shared_indicator_is_the_same_for_3_and_9_affiliates(
    network, network_user, network_office
):
    client = client_for(network_user, network_office)
    query = {"measure": f"shared-{network['accounts'].pk}"}
    client.get(reverse("network_map"), query)
    with CaptureQueriesContext(connection) as three:
        assert client.get(reverse("network_map"), query).status_code == 200
    _grow(6)
    with CaptureQueriesContext(connection) as nine:
        page = client.get(reverse("network_map"), query)
    assert page.status_code == 200 and len(three) == len(nine)
    values = {r["state"]: r["value"] for r in page.context["map"]["rows"]}
    assert values["N1"] == 2 + 5  # grown affiliates 1 and 4: their August values (n + 1), summed
