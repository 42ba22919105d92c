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
