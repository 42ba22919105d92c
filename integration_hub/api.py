"""Base viewsets for the JSON API: rows of the token's organisation only."""

from rest_framework import viewsets

from integration_hub import permissions


class OrganizationViewSet(viewsets.ModelViewSet):
    """Rows of the token's organisation only; another organisation's id is a 404."""

    permission = permissions.VIEW

    def get_queryset(self):
        return self.queryset.model.objects.for_organization(self.request._request.organization)

    def perform_create(self, serializer):
        serializer.save(organization=self.request._request.organization)


class ReadOnlyOrganizationViewSet(OrganizationViewSet):
    http_method_names = ["get", "head", "options"]
