"""Writes on organisations and memberships."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integration_hub import jobs, purge
from integration_hub.inputs import one_line
from integration_hub.mail import email_subject, site_host
from integration_hub.models import (
    ApiToken,
    AuditEvent,
    DeletedLinks,
    ErasureRequest,
    Invitation,
    Membership,
    Organization,
    Role,
)


@transaction.atomic
def invitation_create(*, organization: Organization, email: str, role: str, invited_by) -> Invitation:
    """Record an invitation and email its link (sent after the transaction commits).

    Earlier pending invitations of the same address to the same organisation are
    withdrawn, so only the newest link works.
    """
    email = email.lower()
    Invitation.objects.pending().filter(organization=organization, email=email).update(expires_at=timezone.now())
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", args=[token])
    message = _invitation_email(invitation, link, invited_by)
    # robust: a mail failure is logged, never a 500 after the invitation was committed.
    transaction.on_commit(message.send, robust=True)
    return invitation


def invitation_language(invitation: Invitation) -> str:
    """The invitee's own language when they already have an account and chose one, else the
    organisation's."""
    invitee = get_user_model().objects.filter(email=invitation.email).first()
    if invitee and invitee.language:
        return invitee.language
    return invitation.organization.language or settings.LANGUAGE_CODE


def _invitation_email(invitation: Invitation, link: str, inviter) -> EmailMultiAlternatives:
    context = {"invitation": invitation, "link": link, "inviter": inviter}
    with translation.override(invitation_language(invitation)):
        # The name goes into a header: a line break in it (older rows, the admin site) would make
        # the send fail after the invitation was committed.
        subject = _("You are invited to join %(org)s on Integration Hub") % {
            "org": one_line(invitation.organization.name)
        }
        message = EmailMultiAlternatives(
            subject=email_subject(subject),
            body=render_to_string("integration_hub/email/invitation.txt", context),
            to=[invitation.email],
            headers={"Message-ID": make_msgid("invitation", domain=site_host())},
        )
        message.attach_alternative(render_to_string("integration_hub/email/invitation.html", context), "text/html")
    return message


# --- one-click opt-out of reminder emails (RFC 8058; the link is made in integration_hub.mail) ---


def reminders_unsubscribe(*, user) -> None:
    type(user).objects.filter(pk=user.pk).update(reminder_emails=False)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user=None, first_name: str = "", last_name: str = "", password=None):
    """Join the invitation's organisation; creates the account when `user` is None.

    Returns the user. Raises ValidationError when the invitation is used or expired.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation has expired or was already used. Ask for a new one."))
    if user is None:
        user = get_user_model().objects.create_user(
            email=invitation.email, password=password, first_name=first_name, last_name=last_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation was sent to another email address."))
    Membership.objects.update_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def _lock_admins(organization):
    # Locking the admin rows serialises concurrent demotions, so two admins
    # demoting each other at once cannot leave the organisation with none.
    return list(Membership.objects.select_for_update().filter(organization=organization, role=Role.ADMIN))


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    admins = _lock_admins(membership.organization)
    if membership.role == Role.ADMIN and role != Role.ADMIN and len(admins) <= 1:
        raise ValidationError(_("An organisation needs at least one admin. Make someone else admin first."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    admins = _lock_admins(membership.organization)
    if membership.role == Role.ADMIN and len(admins) <= 1:
        raise ValidationError(_("You cannot remove the last admin. Make someone else admin first."))
    membership.delete()


def audit_record(*, organization: Organization, action: str, actor=None, summary: str = "", detail=None) -> AuditEvent:
    """Write one line of the audit log (counts and names of things, never the data itself)."""
    return AuditEvent.objects.create(
        organization=organization, action=action, actor=actor, summary=summary[:300], detail=detail or {}
    )


@transaction.atomic
def erasure_request(*, organization: Organization, requested_by, typed_name: str) -> ErasureRequest:
    """Schedule the deletion of all of `organization`'s data after the grace period."""
    if typed_name.strip() != organization.name:
        raise ValidationError(_("Type the organisation's name exactly as shown to confirm."))
    Organization.objects.select_for_update().get(pk=organization.pk)
    if ErasureRequest.objects.pending().filter(organization=organization).exists():
        raise ValidationError(_("An erasure is already scheduled. Cancel it first if you want to start again."))
    erasure = ErasureRequest.objects.create(
        organization=organization,
        organization_name=organization.name,
        requested_by=requested_by,
        scheduled_for=timezone.now() + ErasureRequest.GRACE_PERIOD,
    )
    audit_record(
        organization=organization,
        action=AuditEvent.Action.ERASURE_REQUESTED,
        actor=requested_by,
        summary=_("Everything will be deleted on %(date)s unless cancelled.") % {"date": erasure.scheduled_for.date()},
    )
    return erasure


@transaction.atomic
def erasure_cancel(*, erasure: ErasureRequest, cancelled_by) -> ErasureRequest:
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    # An erasure whose organisation is gone has run: nothing is pending any more.
    if not erasure.is_pending or erasure.organization is None:
        raise ValidationError(_("This erasure is no longer pending."))
    erasure.cancelled_at = timezone.now()
    erasure.cancelled_by = cancelled_by
    erasure.save(update_fields=["cancelled_at", "cancelled_by"])
    audit_record(organization=erasure.organization, action=AuditEvent.Action.ERASURE_CANCELLED, actor=cancelled_by)
    return erasure


def erasure_run_due(*, now=None) -> list[ErasureRequest]:
    """Carry out every erasure whose grace period is over. Safe to run twice at once."""
    done = []
    for erasure_id in ErasureRequest.objects.due(now).values_list("pk", flat=True):
        erasure = _erasure_run(erasure_id)
        if erasure:
            done.append(erasure)
    return done


@transaction.atomic
def _erasure_run(erasure_id: int) -> ErasureRequest | None:
    # skip_locked: a second worker skips a request the first is deleting.
    erasure = ErasureRequest.objects.select_for_update(skip_locked=True).filter(pk=erasure_id).pending().first()
    if erasure is None or erasure.organization_id is None:
        return None
    organization, organization_id = erasure.organization, erasure.organization_id
    # People whose only organisation this was leave with it; staff accounts stay.
    User = get_user_model()
    only_here = (
        User.objects.filter(memberships__organization=organization, is_staff=False, is_superuser=False)
        .exclude(memberships__organization__in=Organization.objects.exclude(pk=organization.pk))
        .distinct()
    )
    users = dict(only_here.values_list("pk", "email"))
    # Found before the delete: afterwards nothing links a history row to the organisation.
    owned = purge.owned_rows({Organization: {organization.pk}, User: set(users)})
    counts = {"admin.LogEntry": purge.admin_log_delete(owned)}
    _, deleted = organization.delete()
    counts.update(deleted)
    if users:
        _, user_counts = User.objects.filter(pk__in=users).delete()
        for label, count in user_counts.items():
            counts[label] = counts.get(label, 0) + count
    # After the delete, which wrote a "-" history row for every row it took.
    counts.update(purge.history_delete(owned))
    counts["sessions.Session"] = purge.sessions_forget(user_ids=users, organization_id=organization_id)
    counts.update(purge.login_attempts_delete(usernames=users.values()))
    erasure.organization = None  # already NULL in the database (SET_NULL)
    erasure.deleted_counts = {label: count for label, count in sorted(counts.items()) if count}
    erasure.completed_at = timezone.now()
    erasure.save(update_fields=["organization", "deleted_counts", "completed_at"])
    return erasure


def personal_data_purge(*, now=None) -> dict[str, int]:
    """Daily: delete what is kept only for a while (privacy page): the history of records deleted
    more than DELETED_HISTORY_DAYS ago, admin-log lines and used or expired invitations as old,
    expired sessions and expired failed-login records. Idempotent: a second run finds nothing."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.DELETED_HISTORY_DAYS)
    counts = purge.deleted_history_delete(before=before)
    counts["integration_hub.DeletedLinks"] = DeletedLinks.objects.filter(created_at__lt=before).delete()[0]
    counts["admin.LogEntry"] = purge.admin_log_expired_delete(before=before)
    # An invitation keeps the address it was sent to; once used or expired it is only a record of that.
    counts["integration_hub.Invitation"] = Invitation.objects.filter(
        Q(accepted_at__lt=before) | Q(accepted_at__isnull=True, expires_at__lt=before)
    ).delete()[0]
    counts["integration_hub.BackgroundJob"] = jobs.jobs_expired_delete(before=before)
    counts["sessions.Session"] = purge.sessions_expired_delete(now=now)
    counts["axes.AccessAttempt"] = purge.login_attempts_expired_delete(now=now)
    return {label: count for label, count in sorted(counts.items()) if count}


def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is not stored and cannot be shown again."""

    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(membership=membership, name=name, token_hash=ApiToken.hash(key), prefix=key[:8])
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
