"""In a real browser: quick add and toggle-done swap the milestones section without a reload."""

import pytest

from .factories import InitiativeFactory, MilestoneFactory, TaskFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_task_toggle_and_quick_add_work_without_a_page_reload(page, live_server, client, editor_user, organization):
    initiative = InitiativeFactory(organization=organization, title="Municipal ID")
    milestone = MilestoneFactory(initiative=initiative, title="Council vote")
    TaskFactory(milestone=milestone, title="Draft the letter")
    client.force_login(editor_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + initiative.get_absolute_url())
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Mark as done: Draft the letter").click()
    page.get_by_text("1 of 1 task done (100%)").wait_for()

    page.get_by_text("Add a task").click()
    page.get_by_label("New task").fill("Book the council chamber")
    page.get_by_role("button", name="Add task").click()
    page.get_by_role("button", name="Mark as done: Book the council chamber").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_text("1 of 2 tasks done (50%)").is_visible()
