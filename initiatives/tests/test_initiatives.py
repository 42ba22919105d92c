"""Initiative list, forms and detail page."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from initiatives.models import Initiative
from integration_hub.tests.factories import MembershipFactory

from .factories import (
    ActivityFactory,
    BudgetLineFactory,
    FundingFactory,
    InitiativeFactory,
    MilestoneFactory,
    NeedFactory,
    PartnerFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def _data(**overrides):
    return {"title": "Municipal ID", "status": "planned", **overrides}


def test_end_before_start_is_refused_with_a_clear_message(editor_client, organization):
    response = editor_client.post(reverse("initiatives:create"), _data(start_date="2026-05-01", end_date="2026-04-01"))
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date (April 1, 2026) is before the start date (May 1, 2026)."
    ]
    assert 'value="Municipal ID"' in response.content.decode()  # what was typed is kept
    assert not Initiative.objects.filter(organization=organization).exists()


def test_the_database_refuses_an_end_before_the_start(organization):
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeFactory(
            organization=organization, start_date=datetime.date(2026, 5, 1), end_date=datetime.date(2026, 4, 1)
        )


def test_initiative_links_needs_of_its_own_organisation(editor_client, organization):
    needs = NeedFactory.create_batch(2, organization=organization)
    response = editor_client.post(reverse("initiatives:create"), _data(needs=[n.pk for n in needs]))
    assert response.status_code == 302
    assert set(Initiative.objects.get(organization=organization).needs.all()) == set(needs)


def test_a_forged_need_of_another_organisation_is_rejected(editor_client, organization, other_organization):
    foreign = NeedFactory(organization=other_organization)
    response = editor_client.post(reverse("initiatives:create"), _data(needs=[foreign.pk]))
    assert response.status_code == 200
    assert "needs" in response.context["form"].errors
    assert not Initiative.objects.filter(organization=organization).exists()


def test_a_lead_who_is_not_a_member_is_rejected(editor_client, organization, outsider):
    response = editor_client.post(reverse("initiatives:create"), _data(lead=outsider.pk))
    assert response.context["form"].errors["lead"] == ["The lead must be a member of your organisation."]


def test_goals_are_an_ordered_list_of_lines(organization):
    initiative = InitiativeFactory(organization=organization, goals="First\n\n  Second  \nThird")
    assert initiative.goal_list == ["First", "Second", "Third"]


def test_list_searches_and_filters_by_status_category_and_lead(editor_client, organization, editor_user):
    InitiativeFactory(organization=organization, title="ID card", status="active", category="equitable_access",
                      lead=editor_user)  # fmt: skip
    InitiativeFactory(organization=organization, title="Day of kindness", status="planned")
    InitiativeFactory(title="ID card elsewhere")  # another organisation
    url = reverse("initiatives:index")

    def titles(**params):
        return [i.title for i in editor_client.get(url, params).context["page_obj"].object_list]

    assert titles(q="card") == ["ID card"]
    assert titles(status="planned") == ["Day of kindness"]
    assert titles(category="equitable_access") == ["ID card"]
    assert titles(lead=editor_user.pk) == ["ID card"]


def test_list_exports_the_filtered_rows_as_csv(editor_client, organization):
    initiative = InitiativeFactory(organization=organization, title="ID card", status="active")
    TaskFactory(milestone__initiative=initiative, done=True)
    TaskFactory(milestone__initiative=initiative, done=False)
    InitiativeFactory(organization=organization, title="Paused one", status="paused")
    response = editor_client.get(reverse("initiatives:index"), {"status": "active", "format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "ID card" in body and "Paused one" not in body
    assert body.splitlines()[1].endswith(",50")


def test_list_query_count_does_not_grow_with_tasks(editor_client, organization, django_assert_max_num_queries):
    for _ in range(12):
        milestone = MilestoneFactory(initiative=InitiativeFactory(organization=organization, lead=MembershipFactory(
            organization=organization).user))  # fmt: skip
        TaskFactory.create_batch(3, milestone=milestone)
    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("initiatives:index"))
    assert len(response.context["page_obj"].object_list) == 12


def _full_initiative(organization, size):
    initiative = InitiativeFactory(organization=organization)
    initiative.needs.set(NeedFactory.create_batch(size, organization=organization))
    PartnerFactory.create_batch(size, initiative=initiative)
    for _ in range(size):
        milestone = MilestoneFactory(initiative=initiative)
        TaskFactory.create_batch(size, milestone=milestone, owner=MembershipFactory(organization=organization).user)
        BudgetLineFactory(initiative=initiative)
        FundingFactory(initiative=initiative)
        ActivityFactory(initiative=initiative)
    return initiative


@pytest.mark.parametrize("size", [1, 6])
def test_detail_query_count_does_not_grow_with_milestones_tasks_events_or_funding(
    editor_client, organization, django_assert_max_num_queries, size
):
    initiative = _full_initiative(organization, size)
    with django_assert_max_num_queries(14):
        response = editor_client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["milestones"]) == size


def test_detail_shows_goals_needs_partners_money_and_events(editor_client, organization):
    initiative = _full_initiative(organization, 2)
    initiative.goals = "Every resident can prove who they are"
    initiative.save()
    page = editor_client.get(initiative.get_absolute_url()).content.decode()
    for text in ["Every resident can prove who they are", "Need ", "Stakeholder ", "Milestone ", "Task ",
                 "Printing", "Community Foundation", "Event ", 'id="attendance-data"']:  # fmt: skip
        assert text in page, text


def test_detail_escapes_user_text(editor_client, organization):
    initiative = InitiativeFactory(organization=organization, title="<script>alert(1)</script>")
    page = editor_client.get(initiative.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_board_member_sees_the_detail_without_edit_controls(client_as, organization):
    initiative = _full_initiative(organization, 1)
    page = client_as("board").get(initiative.get_absolute_url()).content.decode()
    assert "Add milestone" not in page and reverse("initiatives:edit", args=[initiative.pk]) not in page
