"""Choosing among many stakeholders: a search field, not a checkbox per row (integration_hub.choosers)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_hub import choosers
from stakeholders.models import Engagement, Stakeholder
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

MANY = choosers.THRESHOLD + 150
SEARCH = reverse("chooser_search")
FIRST_NAMES = ("José", "Anh", "O'Brien", "Fatima", "Łukasz")


def _many_stakeholders(organization, count=MANY):
    """A diocese-sized list: names with accents, apostrophes and a long affiliation."""
    rows = [
        Stakeholder(
            organization=organization,
            name=f"{FIRST_NAMES[i % 5]} Member {i:04d}",
            affiliation="Parish of Saint Mary of the Immaculate Conception, Northern Deanery" if i % 3 else "",
            role_title="Volunteer coordinator",
        )
        for i in range(count)
    ]
    return Stakeholder.objects.bulk_create(rows)


def _options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return re.findall(r'<option value="(\d+)"', select.group(1)), select.group(0)


def test_a_short_list_stays_a_plain_checkbox_list(editor_client, organization):
    StakeholderFactory.create_batch(4, organization=organization)
    html = editor_client.get(reverse("stakeholders:engagement_create")).content.decode()
    assert html.count('name="stakeholders"') == 4  # one checkbox each
    assert "data-chooser" not in html


def test_a_long_list_becomes_a_search_field_with_the_first_rows_only(editor_client, organization):
    _many_stakeholders(organization)
    response = editor_client.get(reverse("stakeholders:engagement_create"))
    html = response.content.decode()
    values, select = _options(html, "stakeholders")
    assert len(values) == choosers.FALLBACK  # not one per stakeholder
    assert f"{SEARCH}?kind=stakeholders.stakeholder" in select
    assert "multiple" in select
    assert "Type a few letters to search" in html


def test_a_stakeholder_beyond_the_first_rows_can_be_chosen_and_stays_chosen_on_error(editor_client, organization):
    rows = _many_stakeholders(organization)
    last = rows[-1]
    data = {"date": "", "kind": Engagement.Kind.MEETING, "stakeholders": [last.pk], "summary": "Parish hall visit"}
    html = editor_client.post(reverse("stakeholders:engagement_create"), data).content.decode()
    values, _ = _options(html, "stakeholders")
    assert str(last.pk) in values  # the choice is kept while the date is fixed
    assert re.search(rf'<option value="{last.pk}" selected>', html)

    data["date"] = timezone.localdate().isoformat()
    response = editor_client.post(reverse("stakeholders:engagement_create"), data)
    assert response.status_code == 302
    assert list(Engagement.objects.get().stakeholders.all()) == [last]


def test_another_affiliates_stakeholder_cannot_be_chosen(editor_client, organization, other_organization):
    _many_stakeholders(organization)
    theirs = StakeholderFactory(organization=other_organization, name="José Member 0000")
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": Engagement.Kind.MEETING,
        "stakeholders": [theirs.pk],
        "summary": "Forged",
    }
    response = editor_client.post(reverse("stakeholders:engagement_create"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Engagement.objects.exists()


def test_search_answers_with_the_organisations_rows_matching_every_word(client_as, organization, other_organization):
    _many_stakeholders(organization)
    StakeholderFactory(organization=other_organization, name="José Member 9999", affiliation="Parish of Saint Mary")
    editor = client_as("editor")
    answer = editor.get(SEARCH, {"kind": "stakeholders.stakeholder", "q": "josé parish"}).json()
    expected = Stakeholder.objects.filter(
        organization=organization, name__startswith="José", affiliation__icontains="parish"
    ).order_by("name", "pk")
    assert [r["value"] for r in answer["results"]] == [str(s.pk) for s in expected[: choosers.PAGE]]
    assert all("José" in r["text"] and "Parish" in r["text"] for r in answer["results"])
    assert answer["more"] is (expected.count() > choosers.PAGE)

    second = editor.get(SEARCH, {"kind": "stakeholders.stakeholder", "q": "josé parish", "page": "2"}).json()
    assert [r["value"] for r in second["results"]] == [str(s.pk) for s in expected[choosers.PAGE : 2 * choosers.PAGE]]
    apostrophe = editor.get(SEARCH, {"kind": "stakeholders.stakeholder", "q": "o'brien 0002"}).json()
    assert [r["text"] for r in apostrophe["results"]] == [str(Stakeholder.objects.get(name="O'Brien Member 0002"))]


def test_search_refuses_unknown_kinds_and_read_only_roles(client_as, organization):
    StakeholderFactory(organization=organization)
    editor = client_as("editor")
    assert editor.get(SEARCH, {"kind": "assessments.response", "q": "a"}).status_code == 404
    assert editor.get(SEARCH, {"kind": "no.such", "q": "a"}).status_code == 404
    assert editor.get(SEARCH, {"kind": "stakeholders.stakeholder", "q": "x" * 5000, "page": "²"}).status_code == 200
    assert client_as("board").get(SEARCH, {"kind": "stakeholders.stakeholder", "q": "a"}).status_code == 403


def test_members_are_searched_among_the_organisations_members_only(client_as, organization, admin_user, outsider):
    answer = client_as("editor").get(SEARCH, {"kind": "integration_hub.user", "q": "example"}).json()
    values = {r["value"] for r in answer["results"]}
    assert str(admin_user.pk) in values
    assert str(outsider.pk) not in values
