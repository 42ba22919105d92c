"""Tenancy's request side: `CurrentOrganizationMiddleware` puts `request.access`
(permissions.Access) and `request.organization` on every request, and runs it in the
organisation's time zone. The organisation chosen is kept in the session under SESSION_KEY."""

from django.utils import timezone

from integration_hub import permissions
from integration_hub.timezones import zone

SESSION_KEY = "current_organization_id"


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
        with timezone.override(zone(request.organization.time_zone)):
            return self.get_response(request)
