"""Budget, funding and attendance arithmetic, and bad input."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from initiatives.models import Activity, BudgetLine, Funding
from initiatives.selectors import attendance_summary, funding_summary

from .factories import ActivityFactory, BudgetLineFactory, FundingFactory, InitiativeFactory

pytestmark = pytest.mark.django_db
K = Funding.SourceKind


def test_budget_funded_received_and_shares_on_known_data(organization):
    initiative = InitiativeFactory(organization=organization)
    BudgetLineFactory(initiative=initiative, amount=Decimal("1200.00"))
    BudgetLineFactory(initiative=initiative, amount=Decimal("800.10"))
    FundingFactory(initiative=initiative, source_kind=K.LOCAL_GOVERNMENT, pledged=Decimal("1000.00"),
                   received=Decimal("500.00"))  # fmt: skip
    FundingFactory(initiative=initiative, source_kind=K.COMMUNITY_FUNDRAISER, pledged=Decimal("300.05"),
                   received=Decimal("300.05"))  # fmt: skip
    FundingFactory(initiative=initiative, source_kind=K.IN_KIND, pledged=Decimal("200.00"), received=Decimal("0"))
    FundingFactory(initiative=initiative, source_kind=K.GRANT, pledged=Decimal("100.00"), received=Decimal("100"))
    money = funding_summary(initiative.budget_lines.all(), initiative.funding.all())
    assert money.budget == Decimal("2000.10")
    assert money.pledged == Decimal("1600.05")
    assert money.received == Decimal("900.05")
    assert money.gap == Decimal("400.05")
    assert money.local_government_share == Decimal("62.5")  # 1000 / 1600.05
    assert money.community_share == Decimal("31.3")  # 500.05 / 1600.05
    assert money.other_share == Decimal("6.2")
    assert all(isinstance(v, Decimal) for v in (money.budget, money.pledged, money.received, money.gap))


def test_no_budget_and_no_funding_gives_no_percentages():
    money = funding_summary([], [])
    assert money.budget == Decimal("0") and money.pledged_percent is None and money.local_government_share is None


def test_two_sided_participation_ratio_on_known_data(organization):
    initiative = InitiativeFactory(organization=organization)
    ActivityFactory(initiative=initiative, newcomers=30, receiving=20, unknown=4, volunteers=3)
    ActivityFactory(initiative=initiative, newcomers=10, receiving=25, unknown=1, volunteers=2)
    attendance = attendance_summary(list(initiative.activities.all()))
    assert (attendance.newcomers, attendance.receiving, attendance.unknown, attendance.total) == (40, 45, 5, 90)
    assert attendance.ratio == Decimal("1.13")  # 45 residents for 40 newcomers
    assert attendance.newcomers_share == Decimal("47.1")
    assert attendance.volunteers == 5
    assert attendance_summary([]).ratio is None


def _funding(**overrides):
    return {"source_kind": "grant", "source_name": "Foundation", "pledged": "100.00", "received": "0",
            "date": "2026-03-01", **overrides}  # fmt: skip


def test_negative_money_is_refused_with_a_clear_message(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    response = editor_client.post(reverse("initiatives:funding_add", args=[initiative.pk]), _funding(pledged="-5"))
    assert response.context["form"].errors["pledged"] == ["Amounts cannot be negative."]
    response = editor_client.post(
        reverse("initiatives:budget_add", args=[initiative.pk]), {"item": "Venue", "amount": "-1"}
    )
    assert response.context["form"].errors["amount"] == ["Amounts cannot be negative."]
    assert not Funding.objects.exists() and not BudgetLine.objects.exists()


def test_the_database_refuses_negative_money(organization):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingFactory(initiative__organization=organization, received=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLineFactory(initiative__organization=organization, amount=Decimal("-0.01"))


def test_received_more_than_pledged_needs_a_confirmation(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    url = reverse("initiatives:funding_add", args=[initiative.pk])
    response = editor_client.post(url, _funding(pledged="100", received="150"))
    assert response.context["form"].errors["confirm_over_pledge"] == [
        "Received ($150) is more than pledged ($100). Check the amounts, or tick this box if the source really gave more."
    ]
    assert not Funding.objects.exists()
    response = editor_client.post(url, _funding(pledged="100", received="150", confirm_over_pledge="on"))
    assert response.status_code == 302
    assert Funding.objects.get().received == Decimal("150.00")


def test_negative_attendance_is_refused_with_a_clear_message(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    response = editor_client.post(
        reverse("initiatives:activity_add", args=[initiative.pk]),
        {"date": "2026-03-01", "kind": "event", "title": "Potluck", "newcomers": "-3", "receiving": "5",
         "unknown": "0", "volunteers": "0"},
    )  # fmt: skip
    assert response.context["form"].errors["newcomers"] == ["Attendance cannot be negative."]
    assert not Activity.objects.exists()


def test_attendance_chart_has_every_month_between_the_first_and_last_activity(organization):
    import datetime

    from initiatives.selectors import attendance_by_month

    initiative = InitiativeFactory(organization=organization)
    ActivityFactory(initiative=initiative, date=datetime.date(2025, 11, 3), newcomers=4, receiving=2, unknown=1)
    ActivityFactory(initiative=initiative, date=datetime.date(2026, 2, 9), newcomers=5, receiving=6, unknown=0)
    ActivityFactory(initiative=initiative, date=datetime.date(2026, 2, 20), newcomers=1, receiving=1, unknown=0)
    chart = attendance_by_month(list(initiative.activities.all()))
    assert chart["labels"] == ["Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026"]
    assert chart["newcomers"] == [4, 0, 0, 6]
    assert chart["receiving"] == [2, 0, 0, 7]
    assert chart["unknown"] == [1, 0, 0, 0]
