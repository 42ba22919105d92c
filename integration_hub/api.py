"""Base viewsets for the JSON API: rows of the token's organisation only."""

from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets

from integration_hub import permissions
from integration_hub.inputs import InputRulesSerializerMixin


class OrganizationModelSerializer(InputRulesSerializerMixin, serializers.ModelSerializer):
    """Related ids must name rows of the key's organisation (or its members), as in the forms.
    Fields the endpoint does not have are refused, so a typo is not silently ignored."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is unknown or read-only.")] for name in unknown}
                )
            # The schema says text: a JSON number or true/false for a text field is a mistake to
            # name (DRF would quietly store "0"), not a value to coerce.
            not_text = sorted(
                name
                for name, value in data.items()
                if isinstance(self.fields.get(name), serializers.CharField)
                and not isinstance(self.fields[name], serializers.ChoiceField)
                and value is not None
                and not isinstance(value, str)
            )
            if not_text:
                raise serializers.ValidationError({name: [_("Send text, in quotes.")] for name in not_text})
            not_list = sorted(
                name
                for name, value in data.items()
                if isinstance(self.fields.get(name), serializers.ManyRelatedField)
                and isinstance(value, dict)  # a form's repeated field is a list; a JSON object is not one
            )
            if not_list:
                raise serializers.ValidationError({name: [_("Send a list of ids.")] for name in not_list})
        return super().to_internal_value(data)

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
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, never a lookup error

    def get_queryset(self):
        return self.queryset.model.objects.for_organization(self.request._request.organization)

    def perform_create(self, serializer):
        model = self.queryset.model
        if any(f.name == "organization" for f in model._meta.fields):
            serializer.save(organization=self.request._request.organization)
        else:  # a child row: its parent (already scoped by the serializer) carries the organisation
            serializer.save()


class ReadOnlyOrganizationViewSet(OrganizationViewSet):
    http_method_names = ["get", "head", "options"]


def validate_with_form(form_class, serializer, attrs, **form_kwargs) -> dict:
    """Run the page's Django form over the request so the API and the pages share one set of rules.

    For a partial update the instance's current values fill in what the request leaves out.
    """

    instance = serializer.instance
    data = model_to_dict(instance) if instance is not None else {}
    data.update(serializer.initial_data.items())
    request = serializer.context["request"]
    form = form_class(data=data, instance=instance, organization=request._request.organization, **form_kwargs)
    raise_form_errors(form)
    return attrs


def raise_form_errors(form) -> None:
    """A Django form's errors as a DRF 400, field by field, in the same words as on the pages."""
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise serializers.ValidationError({field: [e["message"] for e in items] for field, items in errors.items()})
