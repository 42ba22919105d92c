"""The idea library: seeded content, browsing, start-from-idea, and who may curate it."""

import pytest
from django.urls import reverse

from initiatives.access import is_network_editor
from initiatives.models import Idea, Initiative
from integration_hub.models import Role
from integration_hub.tests.factories import MembershipFactory
from integration_hub.tests.support import client_for

from .factories import IdeaFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_client(network_user, network_office):
    return client_for(network_user, network_office)


def test_data_migration_ships_every_idea_of_the_guidance_with_its_welcoming_standard_tag():
    builtin = Idea.objects.filter(is_builtin=True)
    assert builtin.count() == 28
    assert builtin.filter(audience=Idea.Audience.LOCAL_GOVERNMENT).count() == 8
    assert builtin.filter(audience=Idea.Audience.AGENCY).count() == 8
    assert builtin.filter(audience=Idea.Audience.PROGRAM).count() == 12
    tags = dict(builtin.values_list("title", "welcoming_standard"))
    assert tags["Municipal ID card for all residents"] == "equitable_access"
    assert tags["Welcoming executive order"] == "government_leadership"
    assert tags["Focus groups and round tables"] == "civic_engagement"
    assert tags["Lunch and learn at workplaces"] == "connected_communities"
    assert tags["Leadership training for immigrants"] == "education"
    assert tags["Community fundraiser for integration programs"] == "economic_development"
    assert tags["Police and nonprofits welcome newcomers together"] == "safe_communities"
    assert not builtin.filter(description="").exists()


def test_library_filters_by_category_and_audience(client_as):
    client = client_as("board")
    response = client.get(reverse("initiatives:idea_list"), {"audience": "agency", "category": "planning"})
    titles = {idea.title for idea in response.context["page_obj"].object_list}
    assert titles == {"Integration goals in the strategic plan", "Align integration with the mission statement"}


def test_library_search_finds_words_in_the_description(client_as):
    response = client_as("editor").get(reverse("initiatives:idea_list"), {"q": "credit unions"})
    assert [i.title for i in response.context["page_obj"].object_list] == ["Municipal ID card for all residents"]


def test_board_member_sees_the_library_without_start_buttons(client_as):
    response = client_as("board").get(reverse("initiatives:idea_list"))
    assert response.status_code == 200
    assert "Start an initiative from this idea" not in response.content.decode()


def test_starting_from_an_idea_prefills_title_category_and_summary(editor_client):
    idea = Idea.objects.get(title="Municipal ID card for all residents")
    response = editor_client.get(reverse("initiatives:create"), {"idea": idea.pk})
    form = response.context["form"]
    assert form.initial["title"] == "Municipal ID card for all residents"
    assert form.initial["category"] == "equitable_access"
    assert form.initial["summary"] == idea.description
    assert form.initial["idea"] == idea
    assert "Start an initiative from" in response.content.decode()


def test_starting_from_an_idea_saves_the_link_to_it(editor_client, organization):
    idea = Idea.objects.get(title="Municipal ID card for all residents")
    response = editor_client.post(
        reverse("initiatives:create") + f"?idea={idea.pk}",
        {"title": idea.title, "idea": idea.pk, "category": "equitable_access", "status": "planned"},
    )
    initiative = Initiative.objects.get(organization=organization)
    assert response.url == initiative.get_absolute_url()
    assert initiative.idea == idea


def test_an_unknown_idea_id_just_opens_a_blank_form(editor_client):
    response = editor_client.get(reverse("initiatives:create"), {"idea": "999999"})
    assert response.status_code == 200
    assert "title" not in response.context["form"].initial


def test_network_staff_add_an_idea(network_client):
    response = network_client.post(
        reverse("initiatives:idea_create"),
        {
            "title": "Welcome week at the library", "category": "connected_communities",
            "welcoming_standard": "connected_communities", "audience": "program", "description": "A week of events.",
        },
    )  # fmt: skip
    idea = Idea.objects.get(title="Welcome week at the library")
    assert response.status_code == 302
    assert not idea.is_builtin and idea.credited_organization is None


def test_network_staff_edit_an_idea(network_client):
    idea = IdeaFactory()
    data = {
        "title": "Renamed idea", "category": idea.category, "welcoming_standard": idea.welcoming_standard,
        "audience": idea.audience, "description": "Better words.",
    }  # fmt: skip
    assert network_client.post(reverse("initiatives:idea_edit", args=[idea.pk]), data).status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Renamed idea"


LIBRARY_WRITES = [
    ("initiatives:idea_create", lambda: {}),
    ("initiatives:idea_edit", lambda: {"pk": IdeaFactory().pk}),
    ("initiatives:practice_queue", lambda: {}),
    ("initiatives:practice_publish", lambda: {"pk": _proposed().pk}),
]


def _proposed():
    return InitiativeFactory(practice_status=Initiative.PracticeStatus.PROPOSED)


@pytest.mark.parametrize(("name", "kwargs"), LIBRARY_WRITES, ids=[n for n, _ in LIBRARY_WRITES])
@pytest.mark.parametrize("role", ["admin", "editor", "board", "outsider", "network"])
def test_only_network_office_staff_reach_the_library_curation_pages(client_as, name, kwargs, role):
    """'network' here is network staff viewing an affiliate read-only: they must switch to the network office."""
    url = reverse(name, kwargs=kwargs())
    assert client_as(role).get(url).status_code == 403
    assert client_as(role).post(url, {"title": "x"}).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), LIBRARY_WRITES, ids=[n for n, _ in LIBRARY_WRITES])
def test_library_curation_pages_send_anonymous_visitors_to_login(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs()))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "kwargs"), LIBRARY_WRITES, ids=[n for n, _ in LIBRARY_WRITES])
def test_network_staff_in_the_network_office_reach_the_library_curation_pages(network_client, name, kwargs):
    assert network_client.get(reverse(name, kwargs=kwargs())).status_code == 200


def test_a_board_member_of_the_network_office_cannot_curate(network_office):
    board = MembershipFactory(organization=network_office, role=Role.BOARD).user
    response = client_for(board, network_office).get(reverse("initiatives:idea_create"))
    assert response.status_code == 403


def test_is_network_editor_grant_and_retry(network_office, network_user):
    """Refused as a board member of the network office; the same user as editor may."""
    from integration_hub.permissions import resolve_access

    membership = network_user.memberships.get()
    membership.role = Role.BOARD
    membership.save()
    assert not is_network_editor(resolve_access(network_user, network_office.pk))
    membership.role = Role.EDITOR
    membership.save()
    assert is_network_editor(resolve_access(network_user, network_office.pk))


def test_every_member_reads_an_idea_page(client_as):
    idea = IdeaFactory()
    for role in ("board", "outsider", "network"):
        assert client_as(role).get(reverse("initiatives:idea_detail", args=[idea.pk])).status_code == 200


def test_idea_page_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("initiatives:idea_detail", args=[IdeaFactory().pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
