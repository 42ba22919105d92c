"""Evaluation in the JSON API: indicators and measurements read/write, reviews read and held.

Validation runs through the same forms as the pages (integration_hub.api.validate_with_form).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from evaluations import services
from evaluations.forms import IndicatorForm, MeasurementForm, ReviewHoldForm
from evaluations.models import EvaluationReview, Indicator, Measurement
from integration_hub.api import OrganizationModelSerializer, OrganizationViewSet, raise_form_errors, validate_with_form
from integration_hub.inputs import InputRulesSerializerMixin

TEXTAREA = {"base_template": "textarea.html"}  # several lines allowed (integration_hub.inputs)


class IndicatorSerializer(OrganizationModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id", "initiative", "name", "unit", "concerns", "direction", "baseline_value", "baseline_date",
            "target_value", "target_date", "data_source", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs):
        return validate_with_form(IndicatorForm, self, attrs)


class MeasurementSerializer(OrganizationModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "indicator", "date", "value", "note", "entered_by", "created_at"]
        read_only_fields = ["entered_by", "created_at"]

    def validate(self, attrs):
        indicator = attrs.get("indicator") or self.instance.indicator
        return validate_with_form(MeasurementForm, self, attrs, indicator=indicator)


class EvaluationReviewSerializer(OrganizationModelSerializer):
    class Meta:
        model = EvaluationReview
        fields = [
            "id", "initiative", "schedule", "due_date", "held_on", "attendees", "findings", "feedback_newcomers",
            "feedback_receiving", "decisions", "next_steps", "indicator_snapshot",
        ]  # fmt: skip
        read_only_fields = fields


class ReviewHoldSerializer(InputRulesSerializerMixin, serializers.Serializer):
    held_on = serializers.DateField()
    attendees = serializers.CharField(required=False, allow_blank=True, default="", style=TEXTAREA)
    findings = serializers.CharField(style=TEXTAREA)
    feedback_newcomers = serializers.CharField(required=False, allow_blank=True, default="", style=TEXTAREA)
    feedback_receiving = serializers.CharField(required=False, allow_blank=True, default="", style=TEXTAREA)
    decisions = serializers.CharField(required=False, allow_blank=True, default="", style=TEXTAREA)
    next_steps = serializers.CharField(required=False, allow_blank=True, default="", style=TEXTAREA)


class IndicatorViewSet(OrganizationViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_fields = ["initiative", "unit", "concerns", "direction"]
    search_fields = ["name", "data_source"]
    ordering_fields = ["name", "target_date"]

    def get_queryset(self):
        return super().get_queryset().order_by("initiative_id", "name")


class MeasurementViewSet(OrganizationViewSet):
    queryset = Measurement.objects.all()
    serializer_class = MeasurementSerializer
    filterset_fields = ["indicator"]
    ordering_fields = ["date"]

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "-pk")

    def perform_create(self, serializer):
        serializer.save(entered_by=self.request.user)


class EvaluationReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reviews come from schedules; the API reads them and records one as held.

    No create: POST /reviews/ is then no operation (schema, Allow header) and answers 405."""

    queryset = EvaluationReview.objects.all()
    serializer_class = EvaluationReviewSerializer
    http_method_names = ["get", "head", "options", "post"]
    permission = OrganizationViewSet.permission
    lookup_value_regex = OrganizationViewSet.lookup_value_regex
    filterset_fields = ["initiative", "held_on"]
    ordering_fields = ["due_date"]

    def get_queryset(self):
        organization = self.request._request.organization
        return EvaluationReview.objects.for_organization(organization).order_by("due_date", "pk")

    def http_method_not_allowed(self, request, *args, **kwargs):
        if request.method == "POST":
            raise exceptions.MethodNotAllowed("POST", detail=_("Reviews are created by review schedules."))
        return super().http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(request=ReviewHoldSerializer, responses=EvaluationReviewSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Record the review as held (findings, both sides' feedback, decisions), as on the review page."""
        review = self.get_object()
        body = ReviewHoldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        form = ReviewHoldForm(data=request.data, instance=review, organization=request._request.organization)
        raise_form_errors(form)
        review = services.review_hold(
            review=review, held_by=request.user, today=timezone.localdate(), **form.cleaned_data
        )
        return Response(EvaluationReviewSerializer(review, context=self.get_serializer_context()).data)


def register(router):
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("measurements", MeasurementViewSet, basename="measurement")
    router.register("reviews", EvaluationReviewViewSet, basename="review")
