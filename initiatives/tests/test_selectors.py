"""Needs coverage for the needs board, the home strip and the attention list, and the demo."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from initiatives import demo, selectors
from initiatives.models import Initiative
from integration_hub.models import Role

from .factories import InitiativeFactory, MilestoneFactory, NeedFactory, StakeholderFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_initiatives_by_need_maps_each_need_to_the_initiatives_addressing_it(
    organization, other_organization, django_assert_num_queries
):
    housing, language, orphan = NeedFactory.create_batch(3, organization=organization)
    card = InitiativeFactory(organization=organization, title="A card")
    classes = InitiativeFactory(organization=organization, title="B classes")
    dropped = InitiativeFactory(organization=organization, status=Initiative.Status.CANCELLED)
    card.needs.set([housing, language])
    classes.needs.set([language])
    dropped.needs.set([orphan])
    elsewhere = InitiativeFactory(organization=other_organization)
    elsewhere.needs.set([NeedFactory(organization=other_organization)])

    with django_assert_num_queries(1):
        coverage = selectors.initiatives_by_need(organization)
        titles = {need_id: [i.title for i in initiatives] for need_id, initiatives in coverage.items()}

    assert titles == {housing.pk: ["A card"], language.pk: ["A card", "B classes"]}
    assert orphan.pk not in coverage  # only a cancelled initiative: the board flags it


def test_step_summary_counts_active_initiatives_milestones_due_soon_and_overdue_tasks(organization):
    today = timezone.localdate()
    active = InitiativeFactory(organization=organization, status=Initiative.Status.ACTIVE)
    InitiativeFactory(organization=organization, status=Initiative.Status.PLANNED)
    soon = MilestoneFactory(initiative=active, due_date=today + datetime.timedelta(days=10))
    MilestoneFactory(initiative=active, due_date=today + datetime.timedelta(days=40))
    TaskFactory(milestone=soon, due_date=today - datetime.timedelta(days=2), done=False)
    TaskFactory(milestone=soon, due_date=today - datetime.timedelta(days=2), done=True)
    TaskFactory(milestone__initiative__organization=organization, due_date=today - datetime.timedelta(days=1),
                milestone__initiative__status=Initiative.Status.CANCELLED)  # fmt: skip
    figures = [value for _, value in selectors.step_summary(organization).figures]
    assert figures == [1, 1, 1]


def test_attention_lists_overdue_tasks_and_milestones_as_danger(organization, django_assert_max_num_queries):
    today = datetime.date(2026, 6, 15)
    initiative = InitiativeFactory(organization=organization, title="ID card")
    late = MilestoneFactory(initiative=initiative, title="Council vote", due_date=today - datetime.timedelta(days=5))
    TaskFactory(milestone=late, title="Draft letter", due_date=today - datetime.timedelta(days=7))
    MilestoneFactory(initiative=initiative, title="Launch", due_date=today + datetime.timedelta(days=7))
    # 3: milestones, tasks, and the count of unaddressed high-priority needs, which moved here
    # from assessments.attention_items (a need is addressed by initiatives, step 3).
    with django_assert_max_num_queries(3):
        items = selectors.attention_items(organization, today)
    by_text = {item.text: item for item in items}
    assert by_text["Milestone “Council vote” of ID card"].severity == "danger"
    assert by_text["Task “Draft letter” of ID card"].severity == "danger"
    assert by_text["Milestone “Launch” of ID card"].severity == "warning"
    assert by_text["Task “Draft letter” of ID card"].url.endswith(f"#milestone-{late.pk}")


def test_demo_seeds_eight_initiatives_from_ideas_once(organization, admin_user, editor_user, board_user):
    StakeholderFactory.create_batch(4, organization=organization)
    NeedFactory.create_batch(3, organization=organization)
    people = {Role.ADMIN: admin_user, Role.EDITOR: editor_user, Role.BOARD: board_user}
    today = timezone.localdate()
    demo.seed(organization, people, today)
    demo.seed(organization, people, today)
    initiatives = Initiative.objects.for_organization(organization)
    assert initiatives.count() == 8
    assert not initiatives.filter(idea__isnull=True).exists()
    first = initiatives.get(title="Municipal ID card for all residents")
    assert first.partner_links.count() == 3 and first.needs.exists()
    assert first.milestones.exists() and first.funding.exists() and first.activities.exists()
    oldest = min(a.date for i in initiatives for a in i.activities.all())
    assert (today - oldest).days <= 18 * 31
    assert all(a.date <= today for i in initiatives for a in i.activities.all())


def test_attendance_chart_months_are_written_in_the_active_language():
    visits = [SimpleNamespace(date=datetime.date(2026, 1, 9), newcomers=3, receiving=2, unknown=0)]
    with translation.override("es"):
        assert selectors.attendance_by_month(visits)["labels"] == ["Ene 2026"]
    with translation.override("en"):
        assert selectors.attendance_by_month(visits)["labels"] == ["Jan 2026"]
