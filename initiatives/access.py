"""Who may curate the network-wide idea library.

A candidate for integration_hub.permissions: the library is the first thing that
only the network office writes.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from integration_hub import permissions
from integration_hub.tenancy import OrganizationMixin


def is_network_editor(access) -> bool:
    """Staff (admin or editor) of the network office working in the network office.
    Network staff viewing an affiliate read-only do not count; neither does any affiliate."""
    return access is not None and access.organization.is_network and access.can_edit


class NetworkEditorMixin(OrganizationMixin):
    """Pages that change the network library: anonymous → login, anyone but network staff → 403."""

    permission = permissions.EDIT

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is not None and not is_network_editor(request.access):
            raise PermissionDenied(_("Only network-office staff curate the idea library."))
        return super().dispatch(request, *args, **kwargs)
