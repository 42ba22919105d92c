"""Needs in the JSON API: read-only. Survey responses are never exposed through the API."""

from assessments.models import Need
from integration_hub.api import OrganizationModelSerializer, ReadOnlyOrganizationViewSet


class NeedSerializer(OrganizationModelSerializer):
    class Meta:
        model = Need
        fields = ["id", "title", "category", "description", "priority", "status", "created_at", "updated_at"]


class NeedViewSet(ReadOnlyOrganizationViewSet):
    queryset = Need.objects.all()
    serializer_class = NeedSerializer
    filterset_fields = ["category", "priority", "status"]
    search_fields = ["title", "description"]
    ordering_fields = ["priority", "title"]

    def get_queryset(self):
        return super().get_queryset().order_by("priority", "title")


def register(router):
    router.register("needs", NeedViewSet, basename="need")
