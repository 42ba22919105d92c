import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from initiatives.models import Activity, Funding, Initiative
from integration_hub.tests.factories import OrganizationFactory
from integration_hub.tests.support import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_data(organization, other_organization):
    """Three affiliates (OH, NC, NC), figures computed by hand in the tests below."""
    other_organization.state = "NC"
    other_organization.save()
    third = OrganizationFactory(name="Piedmont Welcome Center", slug="piedmont", state="NC")
    c = Initiative.objects.create(organization=third, title="Library cards", status="completed")
    Activity.objects.create(initiative=c, date=date(2026, 7, 1), title="Sign-up", newcomers=6, receiving=4, unknown=1)
    a = Initiative.objects.create(
        organization=organization, title="City ID", status="active", category="equitable_access"
    )
    Initiative.objects.create(organization=organization, title="Day of kindness", status="planned")
    b = Initiative.objects.create(organization=other_organization, title="Voter drive", status="active")
    Activity.objects.create(initiative=a, date=date(2026, 5, 1), title="Fair", newcomers=40, receiving=25, unknown=5)
    Activity.objects.create(initiative=b, date=date(2026, 6, 1), title="Oath", newcomers=10, receiving=12)
    Funding.objects.create(
        initiative=a, source_kind="local_government", source_name="City", pledged=Decimal("1000.50"),
        received=Decimal("500.25"), date=date(2026, 1, 1),
    )  # fmt: skip
    Funding.objects.create(
        initiative=b, source_kind="local_government", source_name="County", pledged=Decimal("99.50"),
        received=Decimal("0"), date=date(2026, 1, 1),
    )  # fmt: skip


def test_roll_up_adds_up_every_affiliate(client_as, network_data):
    context = client_as("network").get(reverse("network_overview")).context
    assert context["affiliate_count"] == 3
    by_status = {v: n for v, _, n in context["by_status"]}
    assert (by_status["active"], by_status["planned"], by_status["completed"]) == (2, 1, 1)
    assert context["initiative_count"] == 4
    assert context["attendance"] == {"newcomers": 56, "receiving": 41, "unknown": 6, "events": 3}
    funding = {label: (p, r) for label, p, r in context["funding"]}
    assert funding["Local government"] == (Decimal("1100.00"), Decimal("500.25"))
    rows = [(r["state"], r["affiliates"], r["initiative_count"], r["active_count"]) for r in context["by_state"]]
    assert rows == [("NC", 2, 2, 1), ("OH", 1, 2, 1)]


def test_every_number_links_to_the_list_it_counts(client_as, network_data):
    client = client_as("network")
    html = client.get(reverse("network_overview")).content.decode()
    assert f"{reverse('network_initiatives')}?state=OH&amp;status=active" in html
    listed = client.get(reverse("network_initiatives"), {"state": "OH", "status": "active"}).context["object_list"]
    assert [i.title for i in listed] == ["City ID"]


def test_network_initiatives_filter_by_affiliate_and_export(client_as, network_data, other_organization):
    client = client_as("network")
    listed = client.get(reverse("network_initiatives"), {"organization": other_organization.pk}).context["object_list"]
    assert [i.title for i in listed] == ["Voter drive"]
    csv = b"".join(client.get(reverse("network_initiatives"), {"format": "csv"}).streaming_content).decode()
    assert "Voter drive" in csv and "City ID" in csv and "Lakeshore" in csv
    # The export follows the filters: exactly the rows the filtered list shows.
    filtered = client.get(reverse("network_initiatives"), {"state": "NC", "format": "csv"})
    lines = b"".join(filtered.streaming_content).decode("utf-8-sig").strip().splitlines()[1:]
    listed = client.get(reverse("network_initiatives"), {"state": "NC"}).context["object_list"]
    assert (
        sorted(line.split(",")[2] for line in lines)
        == sorted(i.title for i in listed)
        == ["Library cards", "Voter drive"]
    )


def test_the_network_office_itself_is_not_counted_as_an_affiliate(client_as, network_data, network_office):
    Initiative.objects.create(organization=network_office, title="Office project")
    listed = client_as("network").get(reverse("network_initiatives")).context["object_list"]
    assert "Office project" not in [i.title for i in listed]


@pytest.mark.parametrize("role", ["admin", "editor", "board", "outsider"])
def test_affiliates_cannot_see_the_roll_up(client_as, role, network_data):
    assert client_as(role).get(reverse("network_overview")).status_code == 404
    assert client_as(role).get(reverse("network_initiatives")).status_code == 404


def test_network_staff_in_their_own_office_see_it_too(network_user, network_office, network_data):
    assert client_for(network_user, network_office).get(reverse("network_overview")).status_code == 200


def test_roll_up_query_count_does_not_grow_with_affiliates(client_as, network_data, django_assert_max_num_queries):
    for i in range(20):
        org = OrganizationFactory(state=["TX", "CA", "NY"][i % 3])
        Initiative.objects.create(organization=org, title=f"I{i}", status="active")
    client = client_as("network")
    with django_assert_max_num_queries(16):
        client.get(reverse("network_overview"))
    with django_assert_max_num_queries(16):
        client.get(reverse("affiliate_list"))
    with django_assert_max_num_queries(16):
        client.get(reverse("network_initiatives"))


def test_network_office_staff_land_on_the_roll_up(network_user, network_office):
    response = client_for(network_user, network_office).get(reverse("home"))
    assert response.url == reverse("network_overview")


def test_affiliates_list_counts_reviews_on_time_and_overdue(client_as, organization, network_data):
    import datetime as dt

    from evaluations.models import EvaluationReview

    initiative = Initiative.objects.get(title="City ID")
    today = dt.date.today()
    past = today - dt.timedelta(days=30)
    EvaluationReview.objects.create(initiative=initiative, due_date=past, held_on=past, remind_from=past)
    EvaluationReview.objects.create(
        initiative=initiative, due_date=past, held_on=past + dt.timedelta(days=3), remind_from=past
    )
    EvaluationReview.objects.create(initiative=initiative, due_date=past, remind_from=past)
    EvaluationReview.objects.create(
        initiative=initiative, due_date=today + dt.timedelta(days=9), remind_from=today
    )  # not due yet
    affiliates = {a.pk: a for a in client_as("network").get(reverse("affiliate_list")).context["object_list"]}
    mine = affiliates[organization.pk]
    assert (mine.reviews_due, mine.reviews_on_time, mine.reviews_overdue) == (3, 1, 1)  # the one not due: not counted
    assert mine.active == 1 and mine.planned == 1


def test_state_filter_offers_any_state_once(client_as, network_data):
    html = client_as("network").get(reverse("network_initiatives")).content.decode()
    assert html.count(">Any state<") == 1


def test_affiliates_list_pages_searches_and_filters(client_as, network_data, settings):
    for i in range(30):
        OrganizationFactory(name=f"Affiliate {i:02}", slug=f"aff-{i:02}", city="Springfield", state="ZZ")
    client = client_as("network")
    first = client.get(reverse("affiliate_list")).context
    assert first["is_paginated"] and len(first["object_list"]) == settings.PAGE_SIZE
    assert first["paginator"].count == 33
    second = client.get(reverse("affiliate_list"), {"page": 2}).context["object_list"]
    seen = {o.pk for o in first["object_list"]} | {o.pk for o in second}
    assert len(seen) == 33  # no affiliate skipped or shown twice across pages
    found = client.get(reverse("affiliate_list"), {"q": "piedmont"}).context["object_list"]
    assert [o.name for o in found] == ["Piedmont Welcome Center"]
    nc = client.get(reverse("affiliate_list"), {"state": "NC"}).context["object_list"]
    assert {o.slug for o in nc} == {"piedmont", "lakeshore"}
    empty = client.get(reverse("affiliate_list"), {"q": "no such place"})
    assert "No affiliates match." in empty.content.decode()


def test_affiliates_list_exports_the_filtered_rows_with_their_figures(client_as, network_data, organization):
    response = client_as("network").get(reverse("affiliate_list"), {"state": "OH", "format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="network-affiliates-')
    lines = b"".join(response.streaming_content).decode().lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Affiliate,City,State,Members,Last login,Planned,Active,Completed")
    assert len(lines) == 2 and lines[1].startswith(f"{organization.name},")
    # planned, active, completed for the OH affiliate: one each of planned and active
    assert ",1,1,0," in lines[1]


def test_affiliates_list_is_for_network_staff_only(client_as, network_data):
    assert client_as("admin").get(reverse("affiliate_list")).status_code == 404
    assert client_as("admin").get(reverse("affiliate_list"), {"format": "csv"}).status_code == 404


def test_affiliates_state_filter_offers_any_state_once(client_as, network_data):
    html = client_as("network").get(reverse("affiliate_list")).content.decode()
    assert html.count(">Any state<") == 1 and ">NC<" in html and ">OH<" in html


def _main_nav(response):
    html = response.content.decode()
    start = html.index('<ul class="navbar-nav me-auto')
    return html[start : html.index("</ul>", start)]


def test_network_staff_navigation_is_the_networks_and_affiliates_keep_the_four_steps(
    network_user, network_office, organization, people
):
    office = _main_nav(client_for(network_user, network_office).get(reverse("network_overview")))
    for url in (reverse("network_overview"), reverse("affiliate_list"), reverse("network_initiatives")):
        assert f'href="{url}"' in office
    assert f'href="{reverse("initiatives:idea_list")}"' in office
    assert reverse("assessments:index") not in office and reverse("evaluations:index") not in office

    # Viewing an affiliate read-only, network staff see that affiliate's four steps.
    viewing = _main_nav(client_for(network_user, organization).get(reverse("initiatives:index")))
    assert reverse("assessments:index") in viewing and reverse("evaluations:index") in viewing
    staff = _main_nav(client_for(people["editor"], organization).get(reverse("initiatives:index")))
    assert reverse("assessments:index") in staff and reverse("network_overview") not in staff


def test_held_on_time_reads_the_same_on_the_affiliates_list_and_the_board_dashboard(
    client_as, organization, network_data
):
    import datetime as dt
    import re

    from evaluations.models import EvaluationReview

    initiative = Initiative.objects.get(title="City ID")
    today = dt.date.today()
    past, later = today - dt.timedelta(days=400), today + dt.timedelta(days=3 * 365)

    def review(due, held=None):
        EvaluationReview.objects.create(initiative=initiative, due_date=due, held_on=held, remind_from=due)

    review(past, past)  # on time
    review(past, past + dt.timedelta(days=3))  # late
    review(past)  # overdue
    review(later, today)  # held years early: on time, counted although its due date has not come
    review(today)  # due today, not held: not late yet, not counted
    review(later)  # not due yet

    listed = client_as("network").get(reverse("affiliate_list"))
    mine = {a.pk: a for a in listed.context["object_list"]}[organization.pk]
    board = client_as("board").get(reverse("evaluations:dashboard")).content.decode()
    held = re.search(r"(\d+) of (\d+) reviews held or past due", board)
    assert (int(held.group(1)), int(held.group(2))) == (2, 4)
    assert f"{mine.reviews_on_time} / {mine.reviews_due}" == "2 / 4"
    assert "2 / 4" in listed.content.decode()
    assert (mine.reviews_late, mine.reviews_overdue) == (1, 1)
    assert "On time means held on or before the due date" in board
    assert "On time means held on or before the due date" in listed.content.decode()


def _overview_row(html, state):
    row = re.search(rf'<th scope="row">{state}</th>\s*<td class="text-end">(\d+)</td>\s*<td[^>]*><a[^>]*>(\d+)</a></td>'
                    rf'\s*<td[^>]*><a[^>]*>(\d+)</a></td>', html)  # fmt: skip
    return tuple(int(n) for n in row.groups())


def _map_value(html, state):
    row = re.search(rf'<tr data-state="{state}">.*?data-value>([\d,]+)</td>.*?data-affiliates>(\d+)', html, re.S)
    return int(row[1].replace(",", "")), int(row[2])


def test_the_overview_by_state_shows_the_maps_figures(client_as, network_data, other_organization):
    # One more initiative of a fourth affiliate in Ohio, and a cancelled one: both pages count them alike.
    ohio = OrganizationFactory(name="Ñandú Newcomer Center", slug="nandu", city="Columbus", state="OH")
    Initiative.objects.create(organization=ohio, title="Welcome week", status="active")
    Initiative.objects.create(organization=ohio, title="Stopped", status="cancelled")
    client = client_as("network")
    overview = client.get(reverse("network_overview")).content.decode()
    for state, (affiliates, initiatives, active) in {"OH": (2, 4, 2), "NC": (2, 2, 1)}.items():
        assert _overview_row(overview, state) == (affiliates, initiatives, active)
        all_map = client.get(reverse("network_map"), {"measure": "initiatives"}).content.decode()
        active_map = client.get(reverse("network_map"), {"measure": "active"}).content.decode()
        assert _map_value(all_map, state) == (initiatives, affiliates)
        assert _map_value(active_map, state) == (active, affiliates)
