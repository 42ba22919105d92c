"""Stakeholders in the JSON API: read-only."""

from integration_hub.api import OrganizationModelSerializer, ReadOnlyOrganizationViewSet
from stakeholders.models import Stakeholder


class StakeholderSerializer(OrganizationModelSerializer):
    class Meta:
        model = Stakeholder
        fields = [
            "id", "name", "role_title", "affiliation", "sector", "influence", "stance", "speaks_for",
            "email", "phone", "tags", "notes", "created_at", "updated_at",
        ]  # fmt: skip


class StakeholderViewSet(ReadOnlyOrganizationViewSet):
    queryset = Stakeholder.objects.all()
    serializer_class = StakeholderSerializer
    filterset_fields = ["sector", "stance", "influence", "speaks_for"]
    search_fields = ["name", "affiliation", "role_title", "tags"]
    ordering_fields = ["name", "stance", "influence"]

    def get_queryset(self):
        return super().get_queryset().order_by("name")


def register(router):
    router.register("stakeholders", StakeholderViewSet, basename="stakeholder")
