"""Pages of the network-wide idea library that only network-office staff may change."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from integration_hub import permissions
from integration_hub.permissions import is_network_editor
from integration_hub.tenancy import OrganizationMixin


class NetworkEditorMixin(OrganizationMixin):
    """Pages that change the network library: anonymous → login, anyone but network staff → 403."""

    permission = permissions.EDIT

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.access is not None and not is_network_editor(request.access):
            raise PermissionDenied(_("Only network-office staff curate the idea library."))
        return super().dispatch(request, *args, **kwargs)
