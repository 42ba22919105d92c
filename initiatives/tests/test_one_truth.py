"""One truth per fact (issue 17): a figure shown on two pages comes from one selector, so the
pages agree — read here from the pages themselves."""

import re

import pytest
from django.urls import reverse

from assessments.models import Need
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db

UNADDRESSED = "No initiative addresses this need yet"


def _home_attention(client) -> str:
    return " ".join(item.text for item in client.get(reverse("home")).context["attention"])


def _board_not_yet(client) -> int:
    html = client.get(reverse("evaluations:dashboard")).content.decode()
    return int(re.search(r"(\d+) are not yet", html).group(1))


def _flagged_on_needs_board(client) -> int:
    return client.get(reverse("assessments:need_list")).content.decode().count(UNADDRESSED)


def test_a_need_linked_to_an_initiative_is_addressed_on_home_board_and_needs_board_alike(client_as, organization):
    editor, board = client_as("editor"), client_as("board")
    # Status still "identified", as most needs stay: coverage is the link, not the field.
    housing = Need.objects.create(
        organization=organization,
        title="Vivienda asequible — affordable housing for families arriving after 2031",
        priority=Need.Priority.HIGH,
        status=Need.Status.IDENTIFIED,
    )
    Need.objects.create(organization=organization, title="Met already", priority=Need.Priority.HIGH, status="met")
    plan = Initiative.objects.create(organization=organization, title="Tenant rights clinic", status="active")

    assert "1 high-priority need is not addressed" in _home_attention(editor)
    assert _board_not_yet(board) == 1
    assert _flagged_on_needs_board(editor) == 1

    plan.needs.add(housing)  # linking one clears it everywhere, the cached dashboard included
    assert "high-priority need" not in _home_attention(editor)
    assert _board_not_yet(board) == 0
    assert _flagged_on_needs_board(editor) == 0

    plan.status = Initiative.Status.CANCELLED  # a cancelled initiative addresses nothing
    plan.save()
    assert "1 high-priority need is not addressed" in _home_attention(editor)
    assert _board_not_yet(board) == 1
    assert _flagged_on_needs_board(editor) == 1

    plan.status = Initiative.Status.ACTIVE
    plan.save()
    plan.needs.remove(housing)  # unlinking brings it back
    assert "1 high-priority need is not addressed" in _home_attention(editor)
    assert _board_not_yet(board) == 1
    assert _flagged_on_needs_board(editor) == 1


def test_the_ratio_sentence_states_the_value_and_reads_the_same_on_initiative_and_dashboard(client_as, organization):
    from datetime import date

    from initiatives.models import Activity

    plan = Initiative.objects.create(organization=organization, title="Welcome dinners", status="active")
    potluck = Activity.objects.create(initiative=plan, date=date(2031, 3, 1), title="Potluck", newcomers=5, receiving=4)
    sentence = "The ratio is 0.80 residents per newcomer (1.00 would mean equal numbers)."
    page = client_as("editor").get(plan.get_absolute_url()).content.decode()
    assert sentence in page
    assert "1.00 residents per newcomer means" not in page
    assert "of the 9 people whose side was noted, 55.6% newcomers and 44.4% receiving community." in page
    board = client_as("board").get(reverse("evaluations:dashboard")).content.decode()
    assert sentence in board

    # No resident came: the ratio is 0.00 on both pages (the dashboard used to leave it out).
    potluck.receiving = 0
    potluck.save()
    zero = "The ratio is 0.00 residents per newcomer"
    assert zero in client_as("editor").get(plan.get_absolute_url()).content.decode()
    assert zero in client_as("board").get(reverse("evaluations:dashboard")).content.decode()


def test_task_progress_is_rounded_the_same_on_the_list_its_csv_and_the_initiative_page(client_as, organization):
    import csv
    import io
    from datetime import date

    from initiatives.tests.factories import MilestoneFactory, TaskFactory

    plan = Initiative.objects.create(organization=organization, title="English conversation circles", status="active")
    milestone = MilestoneFactory(initiative=plan, due_date=date(2033, 1, 31))
    for i in range(8):  # 1 of 8 = 12.5 %: the list rounded it to 12, the page to 13
        TaskFactory(milestone=milestone, title=f"Círculo nº {i + 1}", done=i == 0)
    editor = client_as("editor")
    page = editor.get(plan.get_absolute_url()).content.decode()
    assert "1 of 8 tasks done (13%)" in page
    listed = editor.get(reverse("initiatives:index")).content.decode()
    assert 'value="1" aria-label="Tasks done">13%</progress>' in listed
    body = b"".join(editor.get(reverse("initiatives:index"), {"format": "csv"}).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][0] == "English conversation circles" and rows[1][-1] == "13"


def test_the_dashboard_attendance_totals_are_the_initiative_pages_volunteers_included(organization):
    from datetime import date

    from initiatives import selectors
    from initiatives.models import Activity

    plan = Initiative.objects.create(organization=organization, title="Soccer in the park", status="active")
    for day, volunteers in ((date(2030, 5, 4), 3), (date(2034, 9, 9), 4)):
        Activity.objects.create(
            initiative=plan, date=day, title="Match", newcomers=7, receiving=9, unknown=1, volunteers=volunteers
        )
    plan = selectors.initiative_detail(organization, plan.pk)
    page = selectors.initiative_overview(plan, date(2035, 1, 1))["attendance"]
    dashboard = selectors.participation_by_month(organization)["totals"]
    assert dashboard == page
    assert (dashboard.newcomers, dashboard.volunteers) == (14, 7)
