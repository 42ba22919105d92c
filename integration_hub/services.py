"""Writes on organisations and memberships."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integration_hub.models import Invitation, Membership, Organization, Role


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
    context = {"invitation": invitation, "link": link, "inviter": invited_by}
    transaction.on_commit(
        lambda: send_mail(
            subject=_("You are invited to join %(org)s on Integration Hub") % {"org": organization.name},
            message=render_to_string("integration_hub/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


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
    elif user.email != invitation.email:
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
