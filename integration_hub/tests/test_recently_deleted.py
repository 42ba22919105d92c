"""Deletions of user-entered records can be undone for DELETED_HISTORY_DAYS (issue 17)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Indicator, Measurement
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
from initiatives.models import Initiative, Milestone, Task
from initiatives.tests.factories import InitiativeFactory, MilestoneFactory, NeedFactory, TaskFactory
from integration_hub import services
from integration_hub.history import history_model
from integration_hub.models import DeletedLinks
from stakeholders.models import Engagement, Stakeholder
from stakeholders.tests.factories import EngagementFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def _restore_url(obj_or_model, pk=None):
    model = obj_or_model if pk is not None else type(obj_or_model)
    return reverse("deleted_restore", kwargs={"model": model._meta.label_lower, "pk": pk or obj_or_model.pk})


@pytest.fixture
def initiative(organization):
    initiative = InitiativeFactory(organization=organization, title="Municipal ID card drive — “Ñandú” edition")
    initiative.needs.set([NeedFactory(organization=organization, title="ID for everyone")])
    milestone = MilestoneFactory(initiative=initiative, title="Print the forms")
    TaskFactory(milestone=milestone, title="Call the printer")
    indicator = IndicatorFactory(initiative=initiative, name="Cards issued")
    MeasurementFactory(indicator=indicator, value=12)
    MeasurementFactory(indicator=indicator, value=30)
    return initiative


def test_an_initiative_comes_back_with_its_children_and_linked_needs(client_as, organization, initiative):
    client = client_as("editor")
    pk = initiative.pk
    page = client.get(reverse("initiatives:delete", args=[pk])).content.decode()
    assert "cannot be undone" not in page and reverse("recently_deleted") in page

    client.post(reverse("initiatives:delete", args=[pk]))
    assert not Initiative.objects.filter(pk=pk).exists() and not Measurement.objects.exists()
    listed = client.get(reverse("recently_deleted")).context["items"]
    # Only the initiative: its milestone, task, indicator and values come back with it.
    assert [(i.model, i.record.id) for i in listed] == [(Initiative, pk)]
    assert listed[0].label == initiative.title

    response = client.post(_restore_url(Initiative, pk))

    restored = Initiative.objects.get(pk=pk)
    assert response.status_code == 302 and response.url == restored.get_absolute_url()
    assert [n.title for n in restored.needs.all()] == ["ID for everyone"]
    assert Milestone.objects.get(initiative=restored).title == "Print the forms"
    assert Task.objects.get(milestone__initiative=restored).title == "Call the printer"
    assert sorted(Measurement.objects.filter(indicator__initiative=restored).values_list("value", flat=True)) == [
        12,
        30,
    ]
    assert client.get(reverse("recently_deleted")).context["items"] == []
    assert not DeletedLinks.objects.exists()
    entries = client.get(reverse("object_history", kwargs={"model": "initiatives.initiative", "pk": pk}))
    assert entries.context["entries"][0].action == "Restored"


def test_a_child_deleted_on_its_own_earlier_stays_deleted(client_as, initiative):
    client = client_as("editor")
    milestone = initiative.milestones.get()
    client.post(reverse("initiatives:milestone_delete", args=[milestone.pk]))
    client.post(reverse("initiatives:delete", args=[initiative.pk]))

    client.post(_restore_url(Initiative, initiative.pk))

    assert Initiative.objects.filter(pk=initiative.pk).exists()
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    # Its parent is back, so now it is listed on its own.
    listed = client.get(reverse("recently_deleted")).context["items"]
    assert [(i.model, i.record.id) for i in listed] == [(Milestone, milestone.pk)]


def test_a_child_whose_parent_is_gone_is_refused_clearly(client_as, initiative):
    client = client_as("admin")
    indicator = initiative.indicators.get()
    client.post(reverse("evaluations:indicator_delete", args=[indicator.pk]))
    Initiative.objects.filter(pk=initiative.pk).delete()  # outside a request: no restore of this one here

    response = client.post(_restore_url(Indicator, indicator.pk), follow=True)

    # Its parent is gone, so it is not listed; its history page's button says why it cannot come back.
    assert "the initiative it belonged to was deleted. Restore that first." in response.content.decode()
    assert [(i.model, i.record.id) for i in response.context["items"]] == [(Initiative, initiative.pk)]
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_restore_refuses_a_unique_clash_and_keeps_the_record_restorable(client_as, organization):
    from initiatives.models import InitiativePartner
    from initiatives.tests.factories import PartnerFactory

    partner = PartnerFactory(initiative__organization=organization)
    initiative, stakeholder = partner.initiative, partner.stakeholder
    client = client_as("admin")
    pk = partner.pk
    partner.delete()
    history_model(InitiativePartner).objects.filter(id=pk).update(history_user=None)
    InitiativePartner.objects.create(initiative=initiative, stakeholder=stakeholder, role=partner.role)

    response = client.post(_restore_url(InitiativePartner, pk), follow=True)

    assert "cannot be restored" in response.content.decode()
    assert InitiativePartner.objects.filter(initiative=initiative).count() == 1
    assert [i.record.id for i in response.context["items"]] == [pk]


def test_an_engagement_comes_back_with_its_stakeholders(client_as, organization):
    council = StakeholderFactory(organization=organization, name="City council")
    library = StakeholderFactory(organization=organization, name="Public library")
    engagement = EngagementFactory(organization=organization, stakeholders=[council, library])
    client = client_as("editor")
    client.post(reverse("stakeholders:engagement_delete", args=[engagement.pk]))
    council.delete()  # gone since: the link to it cannot come back

    client.post(_restore_url(Engagement, engagement.pk))

    assert list(Engagement.objects.get(pk=engagement.pk).stakeholders.all()) == [library]


def test_staff_see_and_restore_only_what_they_deleted_admins_everything(client_as, organization):
    mine = StakeholderFactory(organization=organization, name="Mine")
    theirs = StakeholderFactory(organization=organization, name="Theirs")
    client_as("editor").post(reverse("stakeholders:delete", args=[mine.pk]))
    client_as("admin").post(reverse("stakeholders:delete", args=[theirs.pk]))

    editor = client_as("editor")
    assert [i.record.name for i in editor.get(reverse("recently_deleted")).context["items"]] == ["Mine"]
    assert editor.post(_restore_url(Stakeholder, theirs.pk)).status_code == 403
    assert {i.record.name for i in client_as("admin").get(reverse("recently_deleted")).context["items"]} == {
        "Mine",
        "Theirs",
    }
    assert client_as("board").get(reverse("recently_deleted")).status_code == 403
    assert client_as("board").post(_restore_url(Stakeholder, mine.pk)).status_code == 403
    assert editor.post(_restore_url(Stakeholder, mine.pk)).status_code == 302
    assert Stakeholder.objects.filter(pk=mine.pk).exists()


def test_another_affiliates_deleted_record_is_404(client_as, organization, other_organization):
    stakeholder = StakeholderFactory(organization=other_organization, name="Lakeshore partner")
    client_as("outsider").post(reverse("stakeholders:delete", args=[stakeholder.pk]))
    history = reverse("object_history", kwargs={"model": "stakeholders.stakeholder", "pk": stakeholder.pk})

    admin = client_as("admin")
    assert admin.get(history).status_code == 404
    assert admin.post(_restore_url(Stakeholder, stakeholder.pk)).status_code == 404
    assert admin.get(reverse("recently_deleted")).context["items"] == []
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()


def test_a_deleted_objects_history_page_shows_its_history_and_a_restore_button(client_as, organization):
    stakeholder = StakeholderFactory(organization=organization, name="Old name")
    stakeholder.name = "New name"
    stakeholder.save()
    client = client_as("editor")
    client.post(reverse("stakeholders:delete", args=[stakeholder.pk]))
    url = reverse("object_history", kwargs={"model": "stakeholders.stakeholder", "pk": stakeholder.pk})

    response = client.get(url)

    assert response.status_code == 200
    assert [e.action for e in response.context["entries"]] == ["Deleted", "Changed", "Created"]
    assert response.context["can_restore"] and _restore_url(Stakeholder, stakeholder.pk) in response.content.decode()
    board = client_as("board").get(url)
    assert board.status_code == 200 and not board.context["can_restore"]


def test_after_the_kept_days_a_deletion_is_purged_and_no_longer_listed(client_as, organization, settings):
    stakeholder = StakeholderFactory(organization=organization, name="Purged")
    client = client_as("admin")
    client.post(reverse("stakeholders:delete", args=[stakeholder.pk]))
    old = timezone.now() - timedelta(days=settings.DELETED_HISTORY_DAYS + 1)
    history_model(Stakeholder).objects.filter(id=stakeholder.pk).update(history_date=old)
    assert client.get(reverse("recently_deleted")).context["items"] == []

    services.personal_data_purge()

    assert not history_model(Stakeholder).objects.filter(id=stakeholder.pk).exists()
    assert client.post(_restore_url(Stakeholder, stakeholder.pk)).status_code == 404


def test_records_without_a_way_back_still_say_so(client_as, organization):
    from assessments.tests.factories import QuestionFactory

    question = QuestionFactory(survey__assessment__organization=organization)
    page = client_as("editor").get(reverse("assessments:question_delete", args=[question.pk])).content.decode()
    assert "cannot be undone" in page


def test_a_deleted_record_without_a_way_back_shows_its_history_but_offers_no_restore(client_as, organization):
    from integration_hub.models import Membership
    from integration_hub.tests.factories import MembershipFactory

    membership = MembershipFactory(organization=organization)
    pk = membership.pk
    membership.delete()

    response = client_as("admin").get(
        reverse("object_history", kwargs={"model": "integration_hub.membership", "pk": pk})
    )

    assert response.status_code == 200 and not response.context["can_restore"]
    assert "Recently deleted" not in response.content.decode().split("</nav>", 1)[-1]
    assert client_as("admin").post(_restore_url(Membership, pk)).status_code == 404
