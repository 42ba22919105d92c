"""The needs board shows which initiatives address each need and flags the ones none does."""

import pytest
from django.urls import reverse

from assessments.models import Need
from initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def test_board_lists_the_initiatives_addressing_each_need_and_flags_the_rest(
    editor_client, organization, django_assert_max_num_queries
):
    covered = Need.objects.create(organization=organization, title="ID for all", priority=Need.Priority.HIGH)
    Need.objects.create(organization=organization, title="Bank accounts", priority=Need.Priority.HIGH)
    city_id = Initiative.objects.create(organization=organization, title="Municipal ID", status="active")
    city_id.needs.add(covered)
    dropped = Initiative.objects.create(organization=organization, title="Old plan", status="cancelled")
    dropped.needs.add(covered)

    with django_assert_max_num_queries(12):
        response = editor_client.get(reverse("assessments:need_list"))

    html = response.content.decode()
    assert "Municipal ID" in html and "Old plan" not in html
    assert html.count("No initiative addresses this need yet") == 1


def test_need_page_lists_its_initiatives(editor_client, organization):
    need = Need.objects.create(organization=organization, title="ID for all")
    Initiative.objects.create(organization=organization, title="Municipal ID").needs.add(need)
    html = editor_client.get(need.get_absolute_url()).content.decode()
    assert "Municipal ID" in html
    assert "No initiative addresses this need yet." not in html


def test_a_need_with_many_initiatives_shows_the_first_few_its_total_and_a_link_to_the_rest(
    editor_client, organization, settings
):
    settings.SUMMARY_ROWS = 3
    need = Need.objects.create(organization=organization, title="Work permits explained", priority=Need.Priority.HIGH)
    for number in range(8):
        Initiative.objects.create(organization=organization, title=f"Clinic {number} – Zoë", status="active").needs.add(
            need
        )
    Initiative.objects.create(organization=organization, title="Clinic cancelled", status="cancelled").needs.add(need)
    html = editor_client.get(reverse("assessments:need_list")).content.decode()
    assert "8 initiatives" in html
    assert [f"Clinic {n} – Zoë" in html for n in range(5)] == [True, True, True, False, False]
    assert "and 5 more initiatives" in html and f'href="{need.get_absolute_url()}#initiatives-heading"' in html
    page = editor_client.get(need.get_absolute_url()).content.decode()
    assert all(f"Clinic {n} – Zoë" in page for n in range(8)) and "Clinic cancelled" not in page
