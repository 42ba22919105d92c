"""Tenant scoping: the one mechanism that keeps each organisation's data its own.

- `TenantQuerySet.for_organization(org)` is the only way views reach tenant rows.
  A model whose organisation sits behind a relation sets `tenant_path`
  (e.g. ``tenant_path = "initiative__organization"``).
- `CurrentOrganizationMiddleware` puts `request.access` (permissions.Access) and
  `request.organization` on every request.
- `OrganizationMixin` (class-based views) and `organization_view` (function
  views) send anonymous users to login, check the role level (403) and hand the
  view a scoped queryset, so another organisation's id answers 404.
"""

import zoneinfo
from functools import wraps

from django.db import models
from django.shortcuts import redirect
from django.utils import timezone

from integration_hub import permissions

SESSION_KEY = "current_organization_id"


class TenantQuerySet(models.QuerySet):
    def for_organization(self, organization):
        path = getattr(self.model, "tenant_path", "organization")
        return self.filter(**{path: organization})


class CurrentOrganizationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.access = None
        if request.user.is_authenticated:
            request.access = permissions.resolve_access(request.user, request.session.get(SESSION_KEY))
        request.organization = request.access.organization if request.access else None
        if request.organization is None:
            return self.get_response(request)
        # Times are stored in UTC and shown (and "today" computed) in the organisation's zone.
        with timezone.override(_zone(request.organization.time_zone)):
            return self.get_response(request)


def local_date(time_zone: str, now=None):
    """Today's date in an organisation's time zone (for work done outside a request)."""
    return (now or timezone.now()).astimezone(_zone(time_zone)).date()


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def switch_organization(request, organization) -> None:
    request.session[SESSION_KEY] = organization.pk


def _gate(request, level):
    """None when the request may go on, else the response that stops it."""
    if not request.user.is_authenticated:
        # Imported here: auth views load the user model, which imports this module.
        from django.contrib.auth.views import redirect_to_login

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
        from integration_hub.forms import OrganizationFormMixin

        kwargs = super().get_form_kwargs()
        # Only our forms take it; e.g. DeleteView's plain Form does not.
        if issubclass(self.get_form_class(), OrganizationFormMixin):
            kwargs["organization"] = self.organization
        return kwargs
