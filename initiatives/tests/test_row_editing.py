"""Fixing mistakes: edit and delete milestones, tasks, budget lines, funding and
activities from the initiative page, with the same validation as adding them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives.models import Activity, BudgetLine, Funding, Milestone, Task

from .factories import (
    ActivityFactory,
    BudgetLineFactory,
    FundingFactory,
    InitiativeFactory,
    MilestoneFactory,
    TaskFactory,
)
from .test_initiatives import _full_initiative

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- editing ------------------------------------------------------------------------


def test_editing_a_milestone_saves_it_and_returns_to_it(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization, title="Counsil vote")
    response = editor_client.post(
        reverse("initiatives:milestone_edit", args=[milestone.pk]), {"title": "Council vote", "due_date": "2030-03-04"}
    )
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("Council vote", datetime.date(2030, 3, 4))
    assert response.url == milestone.initiative.get_absolute_url() + f"#milestone-{milestone.pk}"
    assert _messages(response) == ["Your changes to Council vote were saved."]


def test_the_edit_page_says_save_and_links_to_delete(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization, title="Council vote")
    page = editor_client.get(reverse("initiatives:milestone_edit", args=[milestone.pk])).content.decode()
    assert 'value="Save"' in page and 'value="Add milestone"' not in page
    assert reverse("initiatives:milestone_delete", args=[milestone.pk]) in page
    assert f'href="{milestone.initiative.get_absolute_url()}#milestone-{milestone.pk}"' in page  # cancel


def test_a_milestone_needs_its_due_date_on_edit_too(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization, due_date=datetime.date(2030, 1, 1))
    response = editor_client.post(
        reverse("initiatives:milestone_edit", args=[milestone.pk]), {"title": "Council vote", "due_date": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.due_date == datetime.date(2030, 1, 1)


def test_editing_a_task_changes_owner_due_date_and_done(editor_client, organization, editor_user):
    task = TaskFactory(milestone__initiative__organization=organization, title="Book room")
    response = editor_client.post(
        reverse("initiatives:task_edit", args=[task.pk]),
        {"title": "Book the room", "milestone": task.milestone_id, "owner": editor_user.pk,
         "due_date": "2030-05-06", "done": "on"},
    )  # fmt: skip
    task.refresh_from_db()
    assert (task.title, task.owner, task.due_date, task.done) == (
        "Book the room", editor_user, datetime.date(2030, 5, 6), True,
    )  # fmt: skip
    assert response.url.endswith(f"#milestone-{task.milestone_id}")


def test_a_task_moves_to_another_milestone_of_the_same_initiative(editor_client, organization):
    task = TaskFactory(milestone__initiative__organization=organization)
    later = MilestoneFactory(initiative=task.milestone.initiative)
    response = editor_client.post(
        reverse("initiatives:task_edit", args=[task.pk]), {"title": task.title, "milestone": later.pk}
    )
    task.refresh_from_db()
    assert task.milestone == later
    assert response.url.endswith(f"#milestone-{later.pk}")


@pytest.mark.parametrize("where", ["other initiative", "other organisation"])
def test_a_task_cannot_move_to_a_milestone_of_another_initiative(
    editor_client, organization, other_organization, where
):
    task = TaskFactory(milestone__initiative__organization=organization)
    owner_org = organization if where == "other initiative" else other_organization
    elsewhere = MilestoneFactory(initiative__organization=owner_org)
    response = editor_client.post(
        reverse("initiatives:task_edit", args=[task.pk]), {"title": "Moved", "milestone": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "Choose one of this initiative&#x27;s milestones." in response.content.decode()
    task.refresh_from_db()
    assert task.title != "Moved"


def test_a_task_owner_who_is_not_a_member_is_refused_on_edit(editor_client, organization, outsider):
    task = TaskFactory(milestone__initiative__organization=organization, title="Call the mayor")
    response = editor_client.post(
        reverse("initiatives:task_edit", args=[task.pk]),
        {"title": "Call the mayor's office", "milestone": task.milestone_id, "owner": outsider.pk},
    )
    assert response.status_code == 200
    assert "The owner must be a member of your organisation." in response.content.decode()
    assert "nothing was saved yet" in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.owner) == ("Call the mayor", None)


def test_editing_a_budget_line_saves_and_returns_to_the_money_section(editor_client, organization):
    line = BudgetLineFactory(initiative__organization=organization, item="Venue", amount=Decimal("250.00"))
    response = editor_client.post(
        reverse("initiatives:budget_edit", args=[line.pk]), {"item": "Venue and chairs", "amount": "312.50"}
    )
    line.refresh_from_db()
    assert (line.item, line.amount) == ("Venue and chairs", Decimal("312.50"))
    assert response.url == line.initiative.get_absolute_url() + "#money"


def test_a_negative_budget_amount_is_refused_on_edit(editor_client, organization):
    line = BudgetLineFactory(initiative__organization=organization, amount=Decimal("250.00"))
    response = editor_client.post(reverse("initiatives:budget_edit", args=[line.pk]), {"item": "x", "amount": "-5"})
    assert response.status_code == 200
    assert "Amounts cannot be negative." in response.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("250.00")


def _funding_data(**overrides):
    data = {"source_kind": "local_government", "source_name": "City of Dayton", "pledged": "1000.00",
            "received": "400.00", "date": "2026-02-01"}  # fmt: skip
    return {**data, **overrides}


def test_editing_funding_saves_and_returns_to_the_money_section(editor_client, organization):
    entry = FundingFactory(initiative__organization=organization)
    response = editor_client.post(reverse("initiatives:funding_edit", args=[entry.pk]), _funding_data())
    entry.refresh_from_db()
    assert (entry.source_name, entry.pledged, entry.received) == (
        "City of Dayton", Decimal("1000.00"), Decimal("400.00"),
    )  # fmt: skip
    assert response.url.endswith("#money")


def test_negative_funding_is_refused_on_edit(editor_client, organization):
    entry = FundingFactory(initiative__organization=organization, pledged=Decimal("500.00"))
    response = editor_client.post(
        reverse("initiatives:funding_edit", args=[entry.pk]), _funding_data(pledged="-1", received="0")
    )
    assert "Amounts cannot be negative." in response.content.decode()
    entry.refresh_from_db()
    assert entry.pledged == Decimal("500.00")


def test_received_more_than_pledged_still_needs_a_confirmation_on_edit(editor_client, organization):
    entry = FundingFactory(initiative__organization=organization, pledged=Decimal("500.00"), received=Decimal("0"))
    url = reverse("initiatives:funding_edit", args=[entry.pk])
    response = editor_client.post(url, _funding_data(pledged="500.00", received="650.00"))
    assert response.status_code == 200
    assert "Received ($650.00) is more than pledged ($500.00)." in response.content.decode()
    entry.refresh_from_db()
    assert entry.received == Decimal("0")
    response = editor_client.post(url, _funding_data(pledged="500.00", received="650.00", confirm_over_pledge="on"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.received == Decimal("650.00")


def test_editing_an_activity_saves_and_returns_to_the_activities_section(editor_client, organization):
    activity = ActivityFactory(initiative__organization=organization, title="Potluk")
    response = editor_client.post(
        reverse("initiatives:activity_edit", args=[activity.pk]),
        {"date": "2026-03-01", "kind": "lunch_and_learn", "title": "Potluck", "newcomers": "12", "receiving": "15",
         "unknown": "0", "volunteers": "4"},
    )  # fmt: skip
    activity.refresh_from_db()
    assert (activity.title, activity.kind, activity.receiving) == ("Potluck", "lunch_and_learn", 15)
    assert response.url == activity.initiative.get_absolute_url() + "#activities"


def test_negative_attendance_is_refused_on_edit(editor_client, organization):
    activity = ActivityFactory(initiative__organization=organization, newcomers=10)
    response = editor_client.post(
        reverse("initiatives:activity_edit", args=[activity.pk]),
        {"date": "2026-03-01", "kind": "event", "title": "Potluck", "newcomers": "-3", "receiving": "1",
         "unknown": "0", "volunteers": "0"},
    )  # fmt: skip
    assert "Attendance cannot be negative." in response.content.decode()
    activity.refresh_from_db()
    assert activity.newcomers == 10


# --- deleting -----------------------------------------------------------------------


def test_deleting_a_milestone_says_its_tasks_go_too_and_deletes_only_them(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    doomed = MilestoneFactory(initiative=initiative, title="Launch party")
    TaskFactory.create_batch(2, milestone=doomed)
    kept = MilestoneFactory(initiative=initiative)
    kept_task = TaskFactory(milestone=kept)
    url = reverse("initiatives:milestone_delete", args=[doomed.pk])

    page = editor_client.get(url).content.decode()
    assert "Delete “Launch party”?" in page
    assert "Its 2 tasks are deleted with it." in page
    assert f'href="{initiative.get_absolute_url()}#milestones"' in page  # cancel

    response = editor_client.post(url)
    assert response.url == initiative.get_absolute_url() + "#milestones"
    assert list(Milestone.objects.all()) == [kept]
    assert list(Task.objects.all()) == [kept_task]
    assert _messages(response) == ["Launch party was deleted."]


def test_a_milestone_without_tasks_has_no_task_warning(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization)
    page = editor_client.get(reverse("initiatives:milestone_delete", args=[milestone.pk])).content.decode()
    assert "task is deleted with it" not in page and "tasks are deleted with it" not in page


def test_deleting_a_task_deletes_only_that_task(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization)
    doomed, kept = TaskFactory.create_batch(2, milestone=milestone)
    response = editor_client.post(reverse("initiatives:task_delete", args=[doomed.pk]))
    assert response.url.endswith(f"#milestone-{milestone.pk}")
    assert list(Task.objects.all()) == [kept]
    assert Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize(
    ("name", "factory", "model", "anchor"),
    [
        ("budget_delete", BudgetLineFactory, BudgetLine, "#money"),
        ("funding_delete", FundingFactory, Funding, "#money"),
        ("activity_delete", ActivityFactory, Activity, "#activities"),
    ],
)
def test_deleting_a_row_deletes_only_that_row(editor_client, organization, name, factory, model, anchor):
    initiative = InitiativeFactory(organization=organization)
    doomed, kept = factory.create_batch(2, initiative=initiative)
    elsewhere = factory(initiative__organization=organization)
    response = editor_client.post(reverse(f"initiatives:{name}", args=[doomed.pk]))
    assert response.url == initiative.get_absolute_url() + anchor
    assert set(model.objects.all()) == {kept, elsewhere}
    assert _messages(response) == [f"{doomed} was deleted."]


# --- tenancy and roles --------------------------------------------------------------

ROWS = {
    "milestone": lambda org: MilestoneFactory(initiative__organization=org),
    "task": lambda org: TaskFactory(milestone__initiative__organization=org),
    "budget": lambda org: BudgetLineFactory(initiative__organization=org),
    "funding": lambda org: FundingFactory(initiative__organization=org),
    "activity": lambda org: ActivityFactory(initiative__organization=org),
}


@pytest.mark.parametrize("row", list(ROWS))
def test_a_forged_id_of_another_organisations_row_answers_404_and_changes_nothing(
    editor_client, other_organization, row
):
    theirs = ROWS[row](other_organization)
    edit = editor_client.post(reverse(f"initiatives:{row}_edit", args=[theirs.pk]), {"title": "Mine now"})
    delete = editor_client.post(reverse(f"initiatives:{row}_delete", args=[theirs.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    assert type(theirs).objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("row", list(ROWS))
def test_board_member_cannot_delete_a_row(client_as, organization, row):
    mine = ROWS[row](organization)
    assert client_as("board").post(reverse(f"initiatives:{row}_delete", args=[mine.pk])).status_code == 403
    assert type(mine).objects.filter(pk=mine.pk).exists()


# --- the initiative page ------------------------------------------------------------


def test_every_row_on_the_initiative_page_has_named_edit_and_delete_links(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    milestone = MilestoneFactory(initiative=initiative, title="Banks sign on")
    rows = {
        "milestone": milestone,
        "task": TaskFactory(milestone=milestone, title="Visit the credit union"),
        "budget": BudgetLineFactory(initiative=initiative, item="Card printer"),
        "funding": FundingFactory(initiative=initiative, source_name="Rotary Club"),
        "activity": ActivityFactory(initiative=initiative, title="Enrolment day"),
    }
    page = editor_client.get(initiative.get_absolute_url()).content.decode()
    for row, obj in rows.items():
        name = obj.source_name if row == "funding" else str(obj)
        for action, word in (("edit", "Edit"), ("delete", "Delete")):
            link = reverse(f"initiatives:{row}_{action}", args=[obj.pk])
            assert f'href="{link}">{word}<span class="visually-hidden"> {name}</span></a>' in page, (row, action)


def test_board_member_sees_no_edit_or_delete_links_on_rows(client_as, organization):
    initiative = _full_initiative(organization, 1)
    page = client_as("board").get(initiative.get_absolute_url()).content.decode()
    assert "row-actions" not in page


def test_htmx_toggle_fragment_keeps_the_edit_and_delete_links(editor_client, organization):
    task = TaskFactory(milestone__initiative__organization=organization)
    response = editor_client.post(reverse("initiatives:task_toggle", args=[task.pk]), **HTMX)
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<section")
    assert reverse("initiatives:task_edit", args=[task.pk]) in fragment
    assert reverse("initiatives:milestone_delete", args=[task.milestone_id]) in fragment


def test_the_row_links_add_no_queries_per_row(editor_client, organization):
    def queries_for(size):
        initiative = _full_initiative(organization, size)
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.get(initiative.get_absolute_url())
        assert "row-actions" in response.content.decode()
        return len(captured)

    assert queries_for(2) == queries_for(6)


def test_a_partners_role_changes_without_removing_them(editor_client, organization):
    from initiatives.models import InitiativePartner
    from stakeholders.tests.factories import StakeholderFactory

    initiative = InitiativeFactory(organization=organization)
    stakeholder = StakeholderFactory(organization=organization, name="First Baptist Church")
    link = InitiativePartner.objects.create(initiative=initiative, stakeholder=stakeholder, role="supporter")
    detail = editor_client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("initiatives:partner_edit", args=[link.pk]) in detail

    form = editor_client.get(reverse("initiatives:partner_edit", args=[link.pk])).content.decode()
    assert (
        "role: First Baptist Church" in form and "(Supporter)</h1>" not in form and 'name="stakeholder"' not in form
    )  # the role only
    bad = editor_client.post(reverse("initiatives:partner_edit", args=[link.pk]), {"role": "sponsor"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    link.refresh_from_db()
    assert link.role == "supporter"

    response = editor_client.post(reverse("initiatives:partner_edit", args=[link.pk]), {"role": "host"})
    assert response.url == initiative.get_absolute_url() + "#partners"
    link.refresh_from_db()
    assert (link.role, link.stakeholder_id) == ("host", stakeholder.pk)
    assert any("First Baptist Church" in m for m in _messages(response))
