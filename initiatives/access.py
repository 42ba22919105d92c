"""Pages of the network-wide idea library that only network-office staff may change."""

from integration_hub import permissions
from integration_hub.permissions import is_network_editor
from integration_hub.tenancy import OrganizationMixin

__all__ = ["NetworkEditorMixin", "is_network_editor"]


class NetworkEditorMixin(OrganizationMixin):
    """Pages that change the network library: anonymous → login, anyone but network staff → 403
    (permissions.require_network_editor)."""

    permission = permissions.EDIT

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is not None:
            permissions.require_network_editor(request.access)
        return super().dispatch(request, *args, **kwargs)
