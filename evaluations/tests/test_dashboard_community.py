"""The board dashboard's step-1 to step-3 sections, on hand-computed data."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Need
from initiatives.models import Activity, Funding, Initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def community_data(organization, other_organization):
    covered = Need.objects.create(organization=organization, title="ID for all", priority=1)
    Need.objects.create(organization=organization, title="Bank accounts", priority=1)
    Need.objects.create(organization=organization, title="Met already", status=Need.Status.MET)
    city_id = Initiative.objects.create(organization=organization, title="Municipal ID", status="active")
    city_id.needs.add(covered)
    Activity.objects.create(initiative=city_id, date=date(2026, 3, 5), title="Fair", newcomers=30, receiving=20)
    Activity.objects.create(
        initiative=city_id, date=date(2026, 3, 25), title="Class", newcomers=10, receiving=5, unknown=2
    )
    Activity.objects.create(initiative=city_id, date=date(2026, 5, 2), title="Day", newcomers=4, receiving=15)
    Funding.objects.create(
        initiative=city_id, source_kind="local_government", source_name="City", pledged=Decimal("1200.00"),
        received=Decimal("600.50"), date=date(2026, 1, 1),
    )  # fmt: skip
    Funding.objects.create(
        initiative=city_id, source_kind="community_fundraiser", source_name="Gala", pledged=Decimal("300.25"),
        received=Decimal("300.25"), date=date(2026, 2, 1),
    )  # fmt: skip
    theirs = Initiative.objects.create(organization=other_organization, title="Theirs")
    Activity.objects.create(initiative=theirs, date=date(2026, 3, 5), title="Other", newcomers=999, receiving=999)


def test_dashboard_shows_needs_participation_and_funding(client_as, community_data):
    context = client_as("board").get(reverse("evaluations:dashboard")).context
    assert [n.title for n in context["needs"]["covered"]] == ["ID for all"]
    assert [n.title for n in context["needs"]["uncovered"]] == ["Bank accounts"]
    chart = context["participation"]["chart"]
    assert chart["labels"] == ["Mar 2026", "Apr 2026", "May 2026"]
    assert chart["newcomers"] == [40, 0, 4] and chart["receiving"] == [25, 0, 15] and chart["unknown"] == [2, 0, 0]
    totals = context["participation"]["totals"]
    assert (totals.newcomers, totals.receiving, totals.ratio) == (44, 40, Decimal("0.91"))
    funding = {label: (p, r) for label, p, r in context["funding"]}
    assert funding["Local government"] == (Decimal("1200.00"), Decimal("600.50"))
    assert funding["Community fundraiser"] == (Decimal("300.25"), Decimal("300.25"))
    assert funding["Grant"] == (Decimal("0"), Decimal("0"))


def test_report_period_limits_participation(client_as, community_data):
    context = (
        client_as("board").get(reverse("evaluations:report"), {"start": "2026-04-01", "end": "2026-12-31"}).context
    )
    assert context["participation"]["chart"]["newcomers"] == [4]


def test_dashboard_sections_cost_the_same_queries_with_more_events(
    client_as, community_data, organization, django_assert_max_num_queries
):
    client = client_as("board")
    initiative = Initiative.objects.get(title="Municipal ID")
    with django_assert_max_num_queries(40) as baseline:
        client.get(reverse("evaluations:dashboard"))
    before = len(baseline.captured_queries)
    for day in range(1, 28):
        Activity.objects.create(initiative=initiative, date=date(2026, 6, day), title="More", newcomers=1)
        Funding.objects.create(
            initiative=initiative,
            source_kind="grant",
            source_name=f"G{day}",
            pledged=1,
            received=1,
            date=date(2026, 6, day),
        )
    with django_assert_max_num_queries(before):
        client.get(reverse("evaluations:dashboard"))
