"""Milestones and tasks: progress, overdue, quick add and toggle with and without htmx."""

import datetime

import pytest
from django.urls import reverse

from initiatives.models import Milestone, Task
from initiatives.selectors import Progress, decorate_milestones, milestones_with_tasks

from .factories import InitiativeFactory, MilestoneFactory, TaskFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = datetime.date(2026, 6, 15)


def test_progress_is_the_share_of_tasks_done(organization):
    milestone = MilestoneFactory(initiative__organization=organization, due_date=TODAY)
    TaskFactory.create_batch(2, milestone=milestone, done=True)
    TaskFactory(milestone=milestone, done=False)
    [decorated] = decorate_milestones(list(milestones_with_tasks(milestone.initiative)), TODAY)
    assert (decorated.progress.done, decorated.progress.total) == (2, 3)
    assert decorated.progress.percent == 67
    assert Progress(0, 0).percent is None


def test_an_unfinished_milestone_past_its_date_and_its_late_tasks_are_overdue(organization):
    initiative = InitiativeFactory(organization=organization)
    late = MilestoneFactory(initiative=initiative, due_date=TODAY - datetime.timedelta(days=1))
    TaskFactory(milestone=late, done=False, due_date=TODAY - datetime.timedelta(days=3))
    reached = MilestoneFactory(initiative=initiative, due_date=TODAY - datetime.timedelta(days=1))
    TaskFactory(milestone=reached, done=True, due_date=TODAY - datetime.timedelta(days=3))
    by_pk = {m.pk: m for m in decorate_milestones(list(milestones_with_tasks(initiative)), TODAY)}
    assert by_pk[late.pk].is_overdue and by_pk[late.pk].tasks.all()[0].is_overdue
    assert not by_pk[reached.pk].is_overdue and by_pk[reached.pk].is_complete


def test_overdue_milestone_is_highlighted_on_the_page(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization, due_date=datetime.date(2020, 1, 1))
    page = editor_client.get(milestone.initiative.get_absolute_url()).content.decode()
    assert "milestone is-overdue" in page


def test_toggle_with_htmx_returns_the_milestones_section(editor_client, organization):
    task = TaskFactory(milestone__initiative__organization=organization)
    response = editor_client.post(reverse("initiatives:task_toggle", args=[task.pk]), **HTMX)
    task.refresh_from_db()
    assert task.done
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<section")  # a fragment, not a page
    assert "1 of 1 task done (100%)" in response.content.decode()


def test_toggle_without_javascript_redirects_back_to_the_milestone(editor_client, organization):
    task = TaskFactory(milestone__initiative__organization=organization, done=True)
    response = editor_client.post(reverse("initiatives:task_toggle", args=[task.pk]))
    task.refresh_from_db()
    assert not task.done
    assert response.url.endswith(f"#milestone-{task.milestone_id}")


def test_quick_add_task_with_htmx(editor_client, organization, editor_user):
    milestone = MilestoneFactory(initiative__organization=organization)
    response = editor_client.post(
        reverse("initiatives:task_add", args=[milestone.pk]), {"title": "Book the room", "owner": editor_user.pk},
        **HTMX,
    )  # fmt: skip
    assert "Book the room" in response.content.decode()
    assert Task.objects.get(milestone=milestone).owner == editor_user


def test_quick_add_task_without_javascript_redirects(editor_client, organization):
    milestone = MilestoneFactory(initiative__organization=organization)
    response = editor_client.post(reverse("initiatives:task_add", args=[milestone.pk]), {"title": "Call"})
    assert response.status_code == 302 and response.url.endswith(f"#milestone-{milestone.pk}")


@pytest.mark.parametrize("htmx", [False, True])
def test_a_forged_task_owner_who_is_not_a_member_is_rejected(editor_client, organization, outsider, htmx):
    milestone = MilestoneFactory(initiative__organization=organization)
    response = editor_client.post(
        reverse("initiatives:task_add", args=[milestone.pk]), {"title": "Call", "owner": outsider.pk},
        **(HTMX if htmx else {}),
    )  # fmt: skip
    assert response.status_code == 200
    assert "The owner must be a member of your organisation." in response.content.decode()
    assert not Task.objects.exists()


def test_quick_add_milestone_with_htmx_shows_errors_in_the_fragment(editor_client, organization):
    initiative = InitiativeFactory(organization=organization)
    url = reverse("initiatives:milestone_add", args=[initiative.pk])
    response = editor_client.post(url, {"title": "Council vote"}, **HTMX)
    assert "This field is required." in response.content.decode()
    assert not Milestone.objects.exists()
    editor_client.post(url, {"title": "Council vote", "due_date": "2026-09-01"}, **HTMX)
    assert Milestone.objects.get().initiative == initiative


def test_a_task_cannot_be_added_to_another_organisations_milestone(editor_client, other_organization):
    milestone = MilestoneFactory(initiative__organization=other_organization)
    response = editor_client.post(reverse("initiatives:task_add", args=[milestone.pk]), {"title": "x"}, **HTMX)
    assert response.status_code == 404
    assert not Task.objects.exists()


def test_board_member_cannot_toggle_a_task(client_as, organization):
    task = TaskFactory(milestone__initiative__organization=organization)
    assert client_as("board").post(reverse("initiatives:task_toggle", args=[task.pk]), **HTMX).status_code == 403
    task.refresh_from_db()
    assert not task.done
