"""Base viewsets for the JSON API: rows of the token's organisation only."""

from django.contrib.auth import get_user_model
from rest_framework import serializers, viewsets

from integration_hub import permissions


class OrganizationModelSerializer(serializers.ModelSerializer):
    """Related ids must name rows of the key's organisation (or its members), as in the forms."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        organization = getattr(getattr(request, "_request", None), "organization", None)
        User = get_user_model()
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is None:
                continue
            if hasattr(queryset, "for_organization"):
                relation.queryset = queryset.for_organization(organization)
            elif queryset.model is User:
                relation.queryset = queryset.filter(memberships__organization=organization).distinct()
        return fields


class OrganizationViewSet(viewsets.ModelViewSet):
    """Rows of the token's organisation only; another organisation's id is a 404."""

    permission = permissions.VIEW

    def get_queryset(self):
        return self.queryset.model.objects.for_organization(self.request._request.organization)

    def perform_create(self, serializer):
        serializer.save(organization=self.request._request.organization)


class ReadOnlyOrganizationViewSet(OrganizationViewSet):
    http_method_names = ["get", "head", "options"]
