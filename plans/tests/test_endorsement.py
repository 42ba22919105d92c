"""Endorsement through private links: only hashes kept, recorded per version, a step-2
commitment, a later version asks again; a wrong link answers 404 and is throttled."""

import pytest
from django.urls import reverse

from integration_hub.tests.support import database_scan
from plans import services
from plans.models import Endorsement
from plans.tests.factories import PlanFactory
from stakeholders.models import Commitment
from stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(organization):
    plan = PlanFactory(organization=organization, title="Welcoming Riverside")
    return services.version_publish(plan=plan, published_by=None)


@pytest.fixture
def mayor(organization):
    return StakeholderFactory(organization=organization, name="Patricia Holloway", role_title="Mayor")


@pytest.fixture
def chief(organization):
    return StakeholderFactory(organization=organization, name="Raymond Ellis", role_title="Chief of Police")


def _links(client, version, stakeholders):
    response = client.post(
        reverse("plans:endorsement_request", args=[version.plan_id, version.number]),
        {"stakeholders": [s.pk for s in stakeholders]},
    )
    assert response.status_code == 200
    return {endorsement.stakeholder: link for endorsement, link in response.context["links"]}


def test_staff_get_one_private_link_each_and_only_a_hash_is_kept(client_as, version, mayor, chief):
    links = _links(client_as("editor"), version, [mayor, chief])
    assert set(links) == {mayor, chief}
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in links.values()]
    assert len(set(tokens)) == 2 and all(len(t) >= 40 for t in tokens)
    assert database_scan(texts=tokens) == set()  # the links cannot be read back from the database
    assert Endorsement.objects.filter(version=version).count() == 2


def test_two_stakeholders_endorse_and_it_shows_on_the_plan(client, client_as, version, mayor, chief):
    links = _links(client_as("editor"), version, [mayor, chief])
    page = client.get(links[mayor])
    assert page.status_code == 200 and "Welcoming Riverside" in page.content.decode()
    client.post(links[mayor], {"answer": "endorse", "signed_name": "Patricia Holloway", "signed_title": "Mayor",
                               "statement": "Proud to stand behind it."})  # fmt: skip
    client.post(links[chief] + "?lang=es", {"answer": "endorse", "signed_name": "Raymond Ellis", "lang": "es"})
    endorsed = Endorsement.objects.filter(decision=Endorsement.Decision.ENDORSED)
    assert endorsed.count() == 2
    commitment = Commitment.objects.get(stakeholder=mayor)
    assert commitment.status == Commitment.Status.KEPT
    assert commitment.promise == "Endorsed the plan “Welcoming Riverside” (version 1)"
    assert commitment.evidence == "Proud to stand behind it."
    # The chief read in Spanish; staff still read the commitment in the site's language.
    assert Commitment.objects.get(stakeholder=chief).promise.startswith("Endorsed the plan")
    plan_page = client_as("board").get(version.plan.get_absolute_url()).content.decode()
    assert "Proud to stand behind it." in plan_page and "2 endorsed, 0 declined, 0 not answered yet." in plan_page
    pdf = client_as("board").get(reverse("plans:version_pdf", args=[version.plan_id, version.number]))
    assert pdf.content.startswith(b"%PDF")


def test_declining_records_no_commitment_and_cannot_be_answered_twice(client, client_as, version, mayor):
    link = _links(client_as("editor"), version, [mayor])[mayor]
    client.post(link, {"answer": "decline"})
    again = client.post(link, {"answer": "endorse", "signed_name": "Someone else"})
    assert again.status_code == 400
    endorsement = Endorsement.objects.get()
    assert endorsement.decision == Endorsement.Decision.DECLINED and endorsement.signed_name == ""
    assert not Commitment.objects.exists()
    assert "You declined" in client.get(link).content.decode()


def test_endorsing_needs_a_name_and_loses_nothing(client, client_as, version, mayor):
    link = _links(client_as("editor"), version, [mayor])[mayor]
    response = client.post(link, {"answer": "endorse", "signed_name": " ", "statement": "Ready to help"})
    assert response.status_code == 400
    assert "Ready to help" in response.content.decode()
    assert Endorsement.objects.get().decision == ""


def test_a_later_version_asks_again(client_as, version, mayor):
    _links(client_as("editor"), version, [mayor])
    # The same version asks nobody twice: the mayor is no longer a choice.
    again = client_as("editor").post(
        reverse("plans:endorsement_request", args=[version.plan_id, version.number]), {"stakeholders": [mayor.pk]}
    )
    assert "stakeholders" in again.context["form"].errors
    second = services.version_publish(plan=version.plan, published_by=None)
    assert mayor in _links(client_as("editor"), second, [mayor])
    assert Endorsement.objects.filter(stakeholder=mayor).count() == 2


def test_another_organisations_stakeholder_cannot_be_asked(client_as, version, other_organization):
    theirs = StakeholderFactory(organization=other_organization)
    response = client_as("editor").post(
        reverse("plans:endorsement_request", args=[version.plan_id, version.number]), {"stakeholders": [theirs.pk]}
    )
    assert "stakeholders" in response.context["form"].errors
    assert not Endorsement.objects.exists()


def test_wrong_token_answers_404_for_anyone(client, version):
    response = client.get(reverse("plans:endorse", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert client.post(reverse("plans:endorse", args=["x" * 500]), {"answer": "endorse"}).status_code == 404


def test_many_wrong_tokens_from_one_address_are_throttled(client, client_as, settings, version, mayor):
    settings.ENDORSEMENT_WRONG_LINKS_PER_IP = 3
    link = _links(client_as("editor"), version, [mayor])[mayor]
    statuses = [client.get(reverse("plans:endorse", args=[f"guess-{i}"])).status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert client.get(link).status_code == 429  # even a right link waits: guessing gains nothing
