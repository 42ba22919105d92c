"""Initiatives in the JSON API: read and write, with the same rules as the forms."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from initiatives.models import Initiative
from integration_hub import permissions
from integration_hub.api import OrganizationModelSerializer, OrganizationViewSet


class InitiativeSerializer(OrganizationModelSerializer):
    class Meta:
        model = Initiative
        fields = [
            "id", "title", "category", "summary", "status", "start_date", "end_date", "lead", "idea",
            "goals", "objectives", "needs", "locations", "practice_status", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["practice_status", "created_at", "updated_at"]

    def validate(self, attrs):
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end date cannot be before the start date.")})
        return attrs


class InitiativeViewSet(OrganizationViewSet):
    queryset = Initiative.objects.all()
    serializer_class = InitiativeSerializer
    permission = permissions.VIEW
    filterset_fields = ["status", "category", "lead"]
    search_fields = ["title", "summary"]
    ordering_fields = ["title", "start_date", "created_at"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("needs").order_by("-created_at")


def register(router):
    router.register("initiatives", InitiativeViewSet, basename="initiative")
