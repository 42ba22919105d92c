"""Tenancy's view gates: the one mechanism that keeps each organisation's pages its own.

`OrganizationMixin` (class-based views) and `organization_view` (function views) send
anonymous users to login, check the role level (403) and hand the view a scoped queryset
(querysets.TenantQuerySet), so another organisation's id answers 404. Who the organisation
is comes from middleware.CurrentOrganizationMiddleware.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from integration_hub import permissions
from integration_hub.forms import OrganizationFormMixin
from integration_hub.middleware import SESSION_KEY


def switch_organization(request, organization) -> None:
    request.session[SESSION_KEY] = organization.pk


def _gate(request, level):
    """None when the request may go on, else the response that stops it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.access is None:
        return redirect("no_organization")
    permissions.require(request.access, permissions.level_for(request.method, level))
    return None


def organization_view(permission=permissions.VIEW):
    """Decorator for function views: login, current organisation, role level."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            refusal = _gate(request, permission)
            return refusal or view(request, *args, **kwargs)

        return wrapper

    return decorator


class OrganizationMixin:
    """For class-based views. Set `permission` to EDIT or ADMIN for pages that
    change data; any POST needs at least EDIT anyway."""

    permission = permissions.VIEW

    def dispatch(self, request, *args, **kwargs):
        refusal = _gate(request, self.permission)
        return refusal or super().dispatch(request, *args, **kwargs)

    @property
    def organization(self):
        return self.request.organization

    def get_queryset(self):
        return self.model.objects.for_organization(self.organization)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Only our forms take it; e.g. DeleteView's plain Form does not.
        if issubclass(self.get_form_class(), OrganizationFormMixin):
            kwargs["organization"] = self.organization
        return kwargs
