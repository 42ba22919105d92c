import datetime
import re

import pytest
from django.urls import reverse

from stakeholders import selectors
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import CommitmentFactory, EngagementFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def _stakeholders_with_history(organization, count, engagements_each=2):
    stakeholders = StakeholderFactory.create_batch(count, organization=organization)
    for stakeholder in stakeholders:
        for _ in range(engagements_each):
            EngagementFactory(organization=organization, stakeholders=[stakeholder])
        CommitmentFactory(stakeholder=stakeholder)
    return stakeholders


def test_stakeholder_list_query_count_does_not_grow_with_rows(client_as, organization, django_assert_max_num_queries):
    _stakeholders_with_history(organization, 25)
    client = client_as("board")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("stakeholders:index"))
    assert response.status_code == 200
    assert response.content.decode().count('class="fw-semibold" href="/stakeholders/') == 25


def test_stakeholder_list_shows_last_engagement_and_open_commitments(editor_client, organization):
    stakeholder = StakeholderFactory(organization=organization, name="Tom Brennan")
    EngagementFactory(organization=organization, stakeholders=[stakeholder], date=datetime.date(2026, 3, 9))
    EngagementFactory(organization=organization, stakeholders=[stakeholder], date=datetime.date(2026, 1, 2))
    CommitmentFactory(stakeholder=stakeholder)
    row = selectors.stakeholder_list(organization).get(pk=stakeholder.pk)
    assert row.last_engagement_date == datetime.date(2026, 3, 9)
    assert row.open_commitment_count == 1
    assert "9 Mar 2026" in editor_client.get(reverse("stakeholders:index")).content.decode()


def test_stakeholder_list_filters_by_sector_stance_influence_and_search(editor_client, organization):
    StakeholderFactory(organization=organization, name="Helen Park", sector="library", stance=1, influence=2)
    StakeholderFactory(organization=organization, name="Linda Yost", sector="bank", stance=4, influence=1)
    url = reverse("stakeholders:index")
    assert [s.name for s in editor_client.get(url, {"sector": "library"}).context["object_list"]] == ["Helen Park"]
    assert [s.name for s in editor_client.get(url, {"stance": "4"}).context["object_list"]] == ["Linda Yost"]
    assert [s.name for s in editor_client.get(url, {"influence": "1"}).context["object_list"]] == ["Linda Yost"]
    assert [s.name for s in editor_client.get(url, {"q": "yost"}).context["object_list"]] == ["Linda Yost"]


def test_csv_export_follows_the_filters(editor_client, organization):
    StakeholderFactory(organization=organization, name="Helen Park", sector="library")
    StakeholderFactory(organization=organization, name="Linda Yost", sector="bank")
    response = editor_client.get(reverse("stakeholders:index"), {"sector": "bank", "format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "Linda Yost" in body
    assert "Helen Park" not in body


def test_stakeholder_list_paginates(editor_client, organization, settings):
    StakeholderFactory.create_batch(settings.PAGE_SIZE + 3, organization=organization)
    response = editor_client.get(reverse("stakeholders:index"), {"page": 2})
    assert len(response.context["object_list"]) == 3


def test_another_organizations_stakeholders_are_not_listed(editor_client, organization, other_organization):
    StakeholderFactory(organization=other_organization, name="Someone Elsewhere")
    assert "Someone Elsewhere" not in editor_client.get(reverse("stakeholders:index")).content.decode()


@pytest.mark.parametrize("engagements", [2, 30])
def test_stakeholder_page_query_count_does_not_grow_with_engagements(
    client_as, organization, editor_user, django_assert_max_num_queries, engagements
):
    stakeholder = StakeholderFactory(organization=organization)
    other = StakeholderFactory(organization=organization)
    for number in range(engagements):
        EngagementFactory(organization=organization, stakeholders=[stakeholder, other], staff=[editor_user])
        if number % 5 == 0:
            CommitmentFactory(stakeholder=stakeholder)
    client = client_as("editor")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stakeholders:detail", args=[stakeholder.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('id="engagement-') == engagements


def test_engagement_and_commitment_lists_have_bounded_queries(
    client_as, organization, editor_user, django_assert_max_num_queries
):
    _stakeholders_with_history(organization, 15)
    client = client_as("editor")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("stakeholders:engagement_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("stakeholders:commitment_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("stakeholders:grid")).status_code == 200


def _cell(html, influence, stance):
    match = re.search(
        rf'<td class="([^"]*)" data-influence="{influence}" data-stance="{stance}">(.*?)</td>', html, re.S
    )
    assert match, (influence, stance)
    return match.group(1), match.group(2)


def test_grid_places_each_stakeholder_in_the_cell_of_their_influence_and_stance(editor_client, organization):
    StakeholderFactory(organization=organization, name="Wayne Pruitt", influence=1, stance=5)
    StakeholderFactory(organization=organization, name="Rosa Delgado", influence=1, stance=1)
    StakeholderFactory(organization=organization, name="Angela Foster", influence=3, stance=1)
    html = editor_client.get(reverse("stakeholders:grid")).content.decode()

    classes, content = _cell(html, 1, 5)
    assert "Wayne Pruitt" in content and "win-over" in classes
    classes, content = _cell(html, 1, 1)
    assert "Rosa Delgado" in content and "win-over" not in classes
    classes, content = _cell(html, 3, 1)
    assert "Angela Foster" in content and "win-over" not in classes
    assert "Wayne Pruitt" not in _cell(html, 3, 5)[1]


def test_win_over_cells_are_high_influence_and_not_yet_supportive(organization):
    rows = selectors.stance_grid(organization)
    flagged = {(cell.influence, cell.stance) for _row, cells in rows for cell in cells if cell.win_over}
    assert flagged == {
        (Stakeholder.Influence.HIGH, Stakeholder.Stance.NEUTRAL),
        (Stakeholder.Influence.HIGH, Stakeholder.Stance.SKEPTICAL),
        (Stakeholder.Influence.HIGH, Stakeholder.Stance.OPPOSED),
    }


def test_board_member_sees_no_edit_buttons(client_as, organization):
    stakeholder = StakeholderFactory(organization=organization)
    html = client_as("board").get(reverse("stakeholders:detail", args=[stakeholder.pk])).content.decode()
    assert reverse("stakeholders:update", args=[stakeholder.pk]) not in html
    assert "Log an engagement" not in html


def test_a_name_and_organisation_already_listed_is_refused(editor_client, organization):
    StakeholderFactory(organization=organization, name="Linda Yost", affiliation="Heritage Savings Bank")
    response = editor_client.post(
        reverse("stakeholders:create"),
        {"name": " linda yost", "affiliation": "HERITAGE SAVINGS BANK", "sector": "bank", "influence": "1",
         "stance": "3", "speaks_for": "both"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "is already in your list" in response.content.decode()
    assert Stakeholder.objects.count() == 1


def test_tags_are_tidied(editor_client, organization):
    editor_client.post(
        reverse("stakeholders:create"),
        {"name": "Jeff Morrow", "tags": " workforce,, Workforce , city  ID", "sector": "business",
         "influence": "1", "stance": "3", "speaks_for": "both"},
    )  # fmt: skip
    assert Stakeholder.objects.get().tag_list == ["workforce", "city ID"]


def test_a_large_grid_names_a_few_per_cell_with_the_count_and_a_link_to_the_rest(editor_client, organization, settings):
    settings.STANCE_GRID_NAMES = 5
    for number in range(60):
        StakeholderFactory(organization=organization, name=f"Skeptic {number:02d} Ñúñez", influence=1, stance=4)
    StakeholderFactory(organization=organization, name="Only Champion", influence=3, stance=1)
    html = editor_client.get(reverse("stakeholders:grid")).content.decode()

    _classes, content = _cell(html, 1, 4)
    assert content.count('class="chip"') == 5
    assert [f"Skeptic {n:02d}" in content for n in range(7)] == [True] * 5 + [False] * 2  # alphabetical
    assert "60 stakeholders" in content and "and 55 more" in content
    assert 'href="/stakeholders/?influence=1&amp;stance=4"' in content
    _classes, content = _cell(html, 3, 1)
    assert "Only Champion" in content and "1 stakeholder" in content and "more" not in content
    # The win-over strip: the first three, and a link to the other 57 skeptical ones.
    strip = html.split('id="win-over-heading"')[1].split("</section>")[0]
    assert strip.count('class="chip"') == 3 and "and 57 more skeptical" in strip
    assert "61 stakeholders in all" in html
    # The link lists exactly that cell.
    listed = editor_client.get(reverse("stakeholders:index"), {"influence": 1, "stance": 4})
    assert listed.context["paginator"].count == 60


def test_a_small_grid_names_everyone(editor_client, organization):
    StakeholderFactory.create_batch(8, organization=organization, influence=2, stance=3)
    html = editor_client.get(reverse("stakeholders:grid")).content.decode()
    assert _cell(html, 2, 3)[1].count('class="chip"') == 8
    assert "more" not in _cell(html, 2, 3)[1] and "in all" not in html
