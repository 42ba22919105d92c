"""What is kept only for a while goes daily: the history of deleted records after DELETED_HISTORY_DAYS
(a deleted stakeholder's name, email, phone and notes in every old version), expired sessions and
expired failed-login records."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from integration_hub import services
from integration_hub.models import Invitation, Membership, Role, User
from integration_hub.tasks import purge_personal_data
from integration_hub.tests.factories import MembershipFactory
from integration_hub.tests.support import database_scan
from stakeholders import services as stakeholder_services
from stakeholders.models import Commitment, Stakeholder

pytestmark = pytest.mark.django_db

PERSONAL = [
    "Dr. Amaranta Oyelowo-Brandt",
    "amaranta.ob@clinic-qv.example",
    "+1 513 555 0199",
    "Speaks Yoruba and Tigrinya",
]


def _stakeholder(organization, editor, name, email, phone, notes):
    stakeholder = stakeholder_services.stakeholder_create(
        organization=organization, created_by=editor, name=name, email=email, phone=phone, notes="First note"
    )
    stakeholder_services.stakeholder_update(stakeholder=stakeholder, changed_by=editor, notes=notes, stance=2)
    Commitment.objects.create(stakeholder=stakeholder, promise=f"{name} will host a session", made_on="2026-01-10")
    return stakeholder


@pytest.fixture
def deleted_and_kept(organization, editor_user, editor_client):
    deleted = _stakeholder(organization, editor_user, *PERSONAL)
    kept = _stakeholder(organization, editor_user, "Chief Okafor", "okafor@police.example", "555-0100", "Ally")
    response = editor_client.post(reverse("stakeholders:delete", args=[deleted.pk]))
    assert response.status_code == 302 and not Stakeholder.objects.filter(pk=deleted.pk).exists()
    assert Stakeholder.history.filter(id=deleted.pk, history_type="-").exists()
    Session.objects.all().delete()  # the editor's, which would expire (and be purged) within the month
    return deleted.pk, kept


def _days_later(days):
    return timezone.now() + timedelta(days=days)


def test_a_deleted_stakeholders_history_is_kept_for_30_days(deleted_and_kept):
    deleted_id, _ = deleted_and_kept
    assert settings.DELETED_HISTORY_DAYS == 30
    assert services.personal_data_purge(now=_days_later(29)) == {}
    assert Stakeholder.history.filter(id=deleted_id).count() == 3
    assert database_scan(texts=PERSONAL)


def test_then_every_version_of_it_and_of_what_went_with_it_is_deleted(deleted_and_kept):
    deleted_id, kept = deleted_and_kept
    kept_versions = kept.history.count()

    counts = services.personal_data_purge(now=_days_later(31))

    assert counts == {"stakeholders.HistoricalCommitment": 2, "stakeholders.HistoricalStakeholder": 3}
    assert not Stakeholder.history.filter(id=deleted_id).exists()
    assert database_scan(texts=PERSONAL) == set()
    # A stakeholder who still exists keeps every version, the changes included.
    assert kept.history.count() == kept_versions and kept.history.filter(history_type="~").exists()
    assert services.personal_data_purge(now=_days_later(31)) == {}


def test_the_number_of_days_is_a_setting(deleted_and_kept, settings):
    settings.DELETED_HISTORY_DAYS = 7
    assert services.personal_data_purge(now=_days_later(8))["stakeholders.HistoricalStakeholder"] == 3


def test_a_record_restored_under_its_old_id_keeps_its_history(deleted_and_kept, organization):
    deleted_id, _ = deleted_and_kept
    Stakeholder.objects.create(pk=deleted_id, organization=organization, name=PERSONAL[0])
    services.personal_data_purge(now=_days_later(31))
    assert Stakeholder.history.filter(id=deleted_id, history_type="-").exists()


def test_a_removed_members_membership_history_goes_after_30_days_their_account_stays(
    client_as, organization, other_organization
):
    leaver = MembershipFactory(organization=organization, role=Role.EDITOR)
    MembershipFactory(organization=other_organization, user=leaver.user)
    assert client_as("admin").post(reverse("member_remove", args=[leaver.pk])).status_code == 302
    assert Membership.history.filter(id=leaver.pk).count() == 2
    Session.objects.all().delete()

    assert services.personal_data_purge(now=_days_later(29)) == {}
    assert services.personal_data_purge(now=_days_later(31)) == {"integration_hub.HistoricalMembership": 2}
    assert not Membership.history.filter(id=leaver.pk).exists()
    assert User.objects.filter(pk=leaver.user_id).exists()
    assert Membership.history.filter(user=leaver.user, organization=other_organization).exists()


def test_expired_sessions_and_failed_logins_are_deleted(admin_user):
    expired, live = SessionStore(), SessionStore()
    for session, expiry in ((expired, -60), (live, 60 * 60)):
        session["_auth_user_id"] = str(admin_user.pk)
        session.set_expiry(expiry)
        session.save()
    old = AccessAttempt.objects.create(
        username="admin@riverside.example", ip_address="203.0.113.9", failures_since_start=2
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    recent = AccessAttempt.objects.create(
        username="staff@riverside.example", ip_address="203.0.113.7", failures_since_start=1
    )

    counts = services.personal_data_purge()

    assert counts == {"axes.AccessAttempt": 1, "sessions.Session": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(AccessAttempt.objects.all()) == [recent]


def test_admin_log_lines_are_kept_for_the_same_30_days(deleted_and_kept, admin_user):
    deleted_id, kept = deleted_and_kept
    for object_id, name in ((deleted_id, PERSONAL[0]), (kept.pk, kept.name)):
        LogEntry.objects.create(
            user=admin_user, content_type=ContentType.objects.get_for_model(Stakeholder), object_id=str(object_id),
            object_repr=name, action_flag=CHANGE,
        )  # fmt: skip
    assert "admin.LogEntry" not in services.personal_data_purge(now=_days_later(29))
    assert services.personal_data_purge(now=_days_later(31))["admin.LogEntry"] == 2
    assert not LogEntry.objects.exists()


def test_used_and_expired_invitations_go_after_30_days_pending_ones_stay(organization, admin_user):
    def invite(email):
        return services.invitation_create(
            organization=organization, email=email, role=Role.BOARD, invited_by=admin_user
        )

    accepted, expired, pending = invite("yes@example.org"), invite("late@example.org"), invite("soon@example.org")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    assert "integration_hub.Invitation" not in services.personal_data_purge(now=_days_later(29))
    # 31 days on, the pending one has expired too, but only 17 days ago.
    assert services.personal_data_purge(now=_days_later(31))["integration_hub.Invitation"] == 2
    assert list(Invitation.objects.all()) == [pending]


def test_beat_runs_the_purge_daily_through_a_thin_task(deleted_and_kept):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert entry["task"] == "integration_hub.tasks.purge_personal_data"
    assert purge_personal_data.delay().get() == {}  # nothing is 30 days old yet
