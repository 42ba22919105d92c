"""Who may do what: the one place where roles turn into permissions.

Every view states the level it needs (view, edit or admin); `require` turns a
missing level into 403. Which *objects* a user may reach is tenancy's job
(integration_hub.tenancy), so the two refusals stay apart: another
organisation's object is 404, a read-only role's write is 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from integration_hub.models import Membership, Organization

VIEW = "view"
EDIT = "edit"
ADMIN = "admin"
LEVELS = (VIEW, EDIT, ADMIN)

# Network-office staff looking at an affiliate: read-only, never a member there.
NETWORK_VIEWER = "network"

ROLE_LEVEL = {"admin": ADMIN, "editor": EDIT, "board": VIEW, NETWORK_VIEWER: VIEW}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Access:
    """The current user's standing in the organisation they are working in."""

    organization: Organization
    role: str
    membership: Membership | None = None
    # Every organisation the user belongs to (the navbar's switcher), read with the access.
    member_of: tuple = ()

    @property
    def level(self) -> str:
        return ROLE_LEVEL[self.role]

    def allows(self, level: str) -> bool:
        return LEVELS.index(self.level) >= LEVELS.index(level)

    @property
    def can_edit(self) -> bool:
        return self.allows(EDIT)

    @property
    def can_admin(self) -> bool:
        return self.allows(ADMIN)

    @property
    def is_network_viewer(self) -> bool:
        return self.role == NETWORK_VIEWER

    @property
    def role_label(self):
        if self.is_network_viewer:
            return _("Network office (read-only)")
        assert self.membership is not None  # noqa: S101 - every other role is a membership's
        return self.membership.get_role_display()


def is_network_staff(access: Access | None) -> bool:
    """A member of the network office, in it or viewing an affiliate read-only."""
    return access is not None and (access.is_network_viewer or access.organization.is_network)


def is_network_editor(access: Access | None) -> bool:
    """Staff (admin or editor) of the network office working in the network office: they curate
    what the network shares (the idea library). Viewing an affiliate read-only does not count."""
    return access is not None and access.organization.is_network and access.can_edit


def require_network_staff(access: Access | None) -> None:
    """The network roll-up pages: to anyone but network-office staff they do not exist (404)."""
    if not is_network_staff(access):
        raise Http404


def require_network_editor(access: Access | None) -> None:
    """Pages that change what the network shares: anyone but network editors gets 403."""
    if not is_network_editor(access):
        raise PermissionDenied(_("Only network-office staff curate the idea library."))


def require_membership(access: Access | None) -> None:
    """Pages about the user's own membership here (their calendar feed, their API keys).
    Network-office staff viewing an affiliate have none there, so for them it does not exist (404)."""
    if access is None or access.membership is None:
        raise Http404


def level_for(method: str, declared: str) -> str:
    """Unsafe methods need at least edit rights, whatever the view declares."""
    if method.upper() not in SAFE_METHODS and declared == VIEW:
        return EDIT
    return declared


def require(access: Access | None, level: str) -> None:
    if access is None or not access.allows(level):
        raise PermissionDenied(_("Your role in this organisation does not allow this."))


def accessible_organizations(user):
    """Organisations the user may switch to: their memberships, and for
    network-office members every affiliate (read-only)."""
    own = Organization.objects.filter(memberships__user=user).distinct()
    if own.filter(kind=Organization.Kind.NETWORK).exists():
        # By id, not by OR-ing the joins: that returns an affiliate once per member it has.
        return Organization.objects.filter(Q(kind=Organization.Kind.AFFILIATE) | Q(pk__in=own.values("pk")))
    return own


def resolve_access(user, organization_id) -> Access | None:
    """The Access for `organization_id`, or for the user's first organisation
    when that id is missing or not theirs. None when they belong nowhere."""
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    if not memberships:
        return None
    member_of = tuple(m.organization for m in memberships)
    for membership in memberships:
        if membership.organization_id == organization_id:
            return Access(membership.organization, membership.role, membership, member_of)
    if organization_id and any(m.organization.is_network for m in memberships):
        affiliate = Organization.objects.filter(pk=organization_id, kind=Organization.Kind.AFFILIATE).first()
        if affiliate:
            return Access(affiliate, NETWORK_VIEWER, member_of=member_of)
    first = memberships[0]
    return Access(first.organization, first.role, first, member_of)
