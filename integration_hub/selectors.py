"""Reads of the organisation's own records (members, invitations, erasure, API keys) for its pages."""

from django.contrib.auth import get_user_model

from integration_hub.models import ApiToken, ErasureRequest, Invitation, Membership, Organization


def organization(pk: int) -> Organization:
    """A fresh copy of the organisation, apart from the one the request carries."""
    return Organization.objects.get(pk=pk)


def members(organization):
    return Membership.objects.for_organization(organization).select_related("user")


def pending_invitations(organization):
    return Invitation.objects.for_organization(organization).pending().select_related("invited_by")


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.by_token(token).select_related("organization").first()


def has_account(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


def erasures(organization):
    return ErasureRequest.objects.filter(organization=organization)


def pending_erasure(organization) -> ErasureRequest | None:
    return ErasureRequest.objects.pending().filter(organization=organization).first()


def active_api_tokens(membership):
    return ApiToken.objects.filter(membership=membership).active()


def users_active_api_tokens(user):
    """Every live key of the user, whichever organisation it is for (they may revoke any)."""
    return ApiToken.objects.filter(membership__user=user).active()
