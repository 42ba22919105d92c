"""Stories are shown only within their consent, read live by every version, and withdrawing
consent removes them everywhere."""

import pytest
from django.urls import reverse

from initiatives.tests.factories import InitiativeFactory, PartnerFactory
from integration_hub.tests.support import database_scan
from plans import selectors, services
from plans.models import Story
from plans.tests.factories import PlanFactory, StoryFactory
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(organization):
    return PlanFactory(organization=organization, title="Welcoming Riverside")


def test_a_plan_shows_only_stories_whose_consent_reaches_officials(client_as, organization, plan):
    public = StoryFactory(organization=organization, title="Tomatoes over the fence", scope=Story.Scope.PUBLIC)
    officials = StoryFactory(organization=organization, title="A ride to the clinic", scope=Story.Scope.OFFICIALS)
    internal = StoryFactory(organization=organization, title="First day at work", scope=Story.Scope.INTERNAL)
    plan.stories.set([public, officials, internal])  # even if set directly, internal never shows
    page = client_as("board").get(plan.get_absolute_url()).content.decode()
    assert "Tomatoes over the fence" in page and "A ride to the clinic" in page
    assert "First day at work" not in page


def test_the_plan_form_offers_no_internal_story(client_as, organization):
    internal = StoryFactory(organization=organization, scope=Story.Scope.INTERNAL)
    response = client_as("editor").post(
        reverse("plans:create"),
        {"title": "Plan", "community": "Town", "period_start": "2026-01-01", "period_end": "2027-01-01",
         "stories": [internal.pk]},
    )  # fmt: skip
    assert "stories" in response.context["form"].errors


def test_withdrawing_consent_removes_the_story_from_every_version(client, client_as, organization, plan):
    story = StoryFactory(organization=organization, title="Tomatoes over the fence", text="Shared a garden, 2026.")
    plan.stories.add(story)
    version = services.version_publish(plan=plan, published_by=None)
    [(_endorsement, token)] = services.endorsements_request(
        version=version, stakeholders=[StakeholderFactory(organization=organization)]
    )
    endorse_url = reverse("plans:endorse", args=[token])
    assert "Tomatoes over the fence" in client_as("board").get(version.get_absolute_url()).content.decode()
    assert "Tomatoes over the fence" in client.get(endorse_url).content.decode()

    response = client_as("editor").post(reverse("plans:story_withdraw", args=[story.pk]), follow=True)
    assert "removed everywhere" in response.content.decode()
    assert not Story.objects.exists()
    for url in (plan.get_absolute_url(), version.get_absolute_url()):
        assert "Tomatoes over the fence" not in client_as("board").get(url).content.decode()
    assert "Tomatoes over the fence" not in client.get(endorse_url).content.decode()
    assert database_scan(texts=["Shared a garden, 2026."]) == set()


def test_narrowing_consent_takes_the_story_out_at_once(organization, plan):
    story = StoryFactory(organization=organization, scope=Story.Scope.PUBLIC)
    plan.stories.add(story)
    assert selectors.plan_stories(plan) == [story]
    story.scope = Story.Scope.INTERNAL
    story.save()
    assert selectors.plan_stories(plan) == []


def test_a_story_must_belong_to_ones_own_initiative(client_as, organization, other_organization):
    theirs = InitiativeFactory(organization=other_organization)
    response = client_as("editor").post(
        reverse("plans:story_create"),
        {"title": "A ride", "text": "Rides to the clinic.", "pseudonym": "A neighbour", "initiative": theirs.pk,
         "consent_by": "both", "consent_on": "2026-05-01", "scope": "3"},
    )  # fmt: skip
    assert "initiative" in response.context["form"].errors
    assert not Story.objects.exists()


def test_story_bank_lists_searches_and_has_an_empty_state(client_as, organization):
    assert "No stories yet" in client_as("board").get(reverse("plans:story_list")).content.decode()
    StoryFactory(organization=organization, title="Tomatoes over the fence")
    StoryFactory(organization=organization, title="A ride to the clinic")
    page = client_as("board").get(reverse("plans:story_list"), {"q": "clinic"}).content.decode()
    assert "A ride to the clinic" in page and "Tomatoes over the fence" not in page


def test_the_privacy_page_says_how_stories_and_endorsement_links_are_kept(client):
    english = client.get(reverse("privacy")).content.decode()
    assert "When consent is withdrawn the story is deleted" in english
    assert "only a one-way fingerprint of it is stored" in english
    spanish = client.get(reverse("privacy"), {"lang": "es"}).content.decode()
    assert "Cuando se retira el consentimiento, la historia se elimina" in spanish


# --- Thank-you letters ----------------------------------------------------------------------


def test_a_thank_you_letter_tells_only_stories_shared_with_officials_the_stakeholders_own_first(
    client_as, organization, other_organization
):
    champion = StakeholderFactory(organization=organization, name="Mayor Ana Ruiz", stance=1)
    library = InitiativeFactory(organization=organization, title="Library conversation circles")
    PartnerFactory(initiative=library, stakeholder=champion)
    StoryFactory(organization=organization, title="Newest", scope=Story.Scope.PUBLIC, consent_on="2026-11-01")
    own = StoryFactory(
        organization=organization,
        initiative=library,
        title="Two grandmothers",
        text='Two grandmothers — one from Kabul, one born here — now run the circle. Costs $0 & "nothing" <b>',
        pseudonym="A volunteer",
        scope=Story.Scope.OFFICIALS,
        consent_on="2025-01-01",
    )
    StoryFactory(organization=organization, title="Kept inside", scope=Story.Scope.INTERNAL)
    StoryFactory(organization=other_organization, title="Another affiliate's", scope=Story.Scope.PUBLIC)

    response = client_as("editor").get(reverse("stakeholders:thank_you", args=[champion.pk]))
    page = response.content.decode()
    letter = response.context["letter"]
    # The draft tells the stakeholder's own initiative's story, not the placeholder.
    assert "now run the circle" in letter and "Library conversation circles" in letter
    assert "[Share one short client story" not in letter
    titles = [story.title for story, _paragraph in response.context["stories"]]
    assert titles == ["Two grandmothers", "Newest"]
    assert "Kept inside" not in page and "Another affiliate" not in page
    assert "<b>" not in page and "&lt;b&gt;" in page  # the story is escaped in the page
    assert 'data-story-insert="#letter"' in page

    services.story_withdraw(story=own)
    letter = client_as("editor").get(reverse("stakeholders:thank_you", args=[champion.pk])).context["letter"]
    assert "now run the circle" not in letter and "share a garden" in letter  # the next one is told instead


def test_without_a_story_to_share_the_letter_keeps_its_placeholder_and_points_to_the_story_bank(
    client_as, organization
):
    champion = StakeholderFactory(organization=organization, stance=1)
    StoryFactory(organization=organization, scope=Story.Scope.INTERNAL)
    response = client_as("editor").get(reverse("stakeholders:thank_you", args=[champion.pk]))
    assert "[Share one short client story" in response.context["letter"]
    assert reverse("plans:story_list") in response.content.decode()
