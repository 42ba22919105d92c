import pytest
from django.urls import reverse

from integration_hub.history import tracked_models
from integration_hub.models import Invitation, Membership, Organization
from integration_hub.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _history_url(obj):
    return reverse("object_history", kwargs={"model": obj._meta.label_lower, "pk": obj.pk})


def test_a_role_change_shows_who_changed_which_field(client_as, board_user, admin_user):
    membership = Membership.objects.get(user=board_user)
    client = client_as("admin")
    client.post(reverse("member_change_role", args=[membership.pk]), {"role": "editor"})

    response = client.get(_history_url(membership))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.action for e in entries] == ["Changed", "Created"]
    assert entries[0].who == admin_user
    change = entries[0].changes[0]
    assert (change.field, change.old, change.new) == ("role", "Board member (read-only)", "Staff (editor)")


def test_activity_log_lists_changes_across_models_newest_first(client_as, organization, board_user):
    membership = Membership.objects.get(user=board_user)
    client = client_as("admin")
    client.post(reverse("member_change_role", args=[membership.pk]), {"role": "editor"})
    client.post(
        reverse("organization_settings"),
        {"name": "Riverside IS", "time_zone": "America/Chicago", "retention_months": 24},
    )

    entries = client.get(reverse("activity")).context["entries"]

    assert entries[0].model_name == "organisation" and entries[0].action == "Changed"
    assert entries[1].model_name == "membership"
    assert all(a.when >= b.when for a, b in zip(entries, entries[1:], strict=False))


def test_activity_log_never_shows_another_organizations_changes(client_as, other_organization):
    MembershipFactory(organization=other_organization)
    entries = client_as("admin").get(reverse("activity")).context["entries"]
    assert other_organization.name not in {e.label for e in entries}
    assert all(e.model_name != "membership" or "lakeshore" not in e.label for e in entries)


def test_activity_log_query_count_does_not_grow_with_changes(client_as, organization, django_assert_max_num_queries):
    for _ in range(30):
        MembershipFactory(organization=organization)
    client = client_as("admin")
    with django_assert_max_num_queries(6 + len(tracked_models()) + 2):
        response = client.get(reverse("activity"))
    assert len(response.context["entries"]) >= 30


@pytest.mark.parametrize("model", ["integration_hub.invitation", "auth.group", "nope.nothing", "bad"])
def test_history_of_an_untracked_or_unknown_model_is_404(client_as, organization, model):
    assert client_as("admin").get(reverse("object_history", kwargs={"model": model, "pk": 1})).status_code == 404


def test_survey_responses_and_secrets_are_never_tracked():
    labels = {m._meta.label for m in tracked_models()}
    assert Invitation._meta.label not in labels
    assert "integration_hub.User" not in labels
    assert not any(label.endswith(("Response", "Answer")) for label in labels)
    assert Organization._meta.label in labels


def test_editing_an_initiative_shows_up_in_its_history_and_the_activity_log(client_as, organization, editor_user):
    from initiatives.models import Initiative

    initiative = Initiative.objects.create(organization=organization, title="City ID", status="planned")
    initiative.status = "active"
    initiative._change_reason = "test"
    initiative.save()

    detail = client_as("editor").get(reverse("initiatives:detail", args=[initiative.pk])).content.decode()
    assert _history_url(initiative) in detail
    entries = client_as("editor").get(_history_url(initiative)).context["entries"]
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [("status", "Planned", "Active")]
    feed = client_as("admin").get(reverse("activity")).context["entries"]
    assert any(e.model_name == "initiative" and e.label == "City ID" for e in feed)


def test_history_of_a_child_row_reaches_its_organization_through_its_parent(
    client_as, organization, other_organization
):
    from initiatives.models import Initiative, Milestone

    mine = Milestone.objects.create(
        initiative=Initiative.objects.create(organization=organization, title="A"), title="M", due_date="2026-12-01"
    )
    theirs = Milestone.objects.create(
        initiative=Initiative.objects.create(organization=other_organization, title="B"),
        title="N",
        due_date="2026-12-01",
    )
    assert client_as("editor").get(_history_url(mine)).status_code == 200
    assert client_as("editor").get(_history_url(theirs)).status_code == 404


def _activity(client, **params):
    return client.get(reverse("activity"), params).context


def test_activity_log_pages_past_fifty_changes_without_a_cap(client_as, organization):
    from initiatives.tests.factories import InitiativeFactory

    for n in range(130):
        InitiativeFactory(organization=organization, title=f"Initiative number {n:03d}")
    client = client_as("admin")
    first, third = _activity(client), _activity(client, page=3)

    assert len(first["entries"]) == 50 and first["has_next"]
    assert first["entries"][0].label == "Initiative number 129"
    assert not third["has_next"] and len(third["entries"]) >= 30
    assert "Initiative number 000" in {e.label for e in third["entries"]}


def test_activity_log_filters_by_person_kind_and_dates(client_as, organization, admin_user, editor_user):
    from datetime import timedelta

    from django.utils import timezone

    from initiatives.models import Funding
    from initiatives.tests.factories import FundingFactory, InitiativeFactory, MilestoneFactory

    client = client_as("editor")
    initiative = InitiativeFactory(organization=organization, title="Evening English")
    milestone = MilestoneFactory(initiative=initiative, title="Book the library room")
    client.post(reverse("initiatives:milestone_delete", args=[milestone.pk]))
    funding = FundingFactory(initiative=initiative, source_name="Riverside Community Foundation")
    old = timezone.now() - timedelta(days=400)
    Funding.history.filter(id=funding.pk).update(history_date=old, history_user=admin_user)
    admin = client_as("admin")

    by_editor = _activity(admin, person=editor_user.pk)["entries"]
    assert [(e.action, e.label) for e in by_editor] == [("Deleted", "Book the library room")]
    funding_only = _activity(admin, kind="initiatives.funding")["entries"]
    assert [e.label for e in funding_only] == ["Riverside Community Foundation (Grant)"]
    assert [e.model_name for e in funding_only] == ["funding"]
    recent = _activity(admin, **{"from": timezone.localdate().isoformat()})["entries"]
    assert "Riverside Community Foundation (Grant)" not in {e.label for e in recent}
    long_ago = _activity(admin, to=(timezone.localdate() - timedelta(days=300)).isoformat())["entries"]
    assert [e.label for e in long_ago] == ["Riverside Community Foundation (Grant)"]
    # Nonsense in the filters is ignored, never a 500.
    assert (
        admin.get(
            reverse("activity"), {"person": "x", "kind": "auth.user", "from": "2026-13-40", "page": "-1"}
        ).status_code
        == 200
    )


def test_activity_log_names_objects_and_their_kind_in_spanish(client_as, organization):
    from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
    from initiatives.tests.factories import BudgetLineFactory, InitiativeFactory

    initiative = InitiativeFactory(organization=organization, title="Municipal ID")
    BudgetLineFactory(initiative=initiative, item="Printing of forms")
    MeasurementFactory(indicator=IndicatorFactory(initiative=initiative, name="Cards issued"), value=12)
    client = client_as("admin")
    client.cookies["django_language"] = "es"

    response = client.get(reverse("activity"), HTTP_ACCEPT_LANGUAGE="es")

    page = response.content.decode()
    assert "Printing of forms" in page and "Cards issued: 12" in page
    assert "Línea de presupuesto" in page and "Budget line" not in page
    assert "#" not in {e.label[:1] for e in response.context["entries"]}
