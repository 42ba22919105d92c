"""Authentication, the permission rule, pagination and the JSON parser of the JSON API (imported by DRF's
settings, so this module must not import views or viewsets).

A token belongs to one membership, so an API request works in exactly one
organisation with that member's role — the same tenancy and permissions as the pages.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import authentication, exceptions, filters, pagination, parsers, serializers
from rest_framework import permissions as drf_permissions

from integration_hub import permissions, throttling
from integration_hub.inputs import clean_search_term, parse_id
from integration_hub.models import ApiToken


class MemberTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        address = throttling.client_address(request._request)
        # Guessing keys: once an address has used up its failures, even a right key waits.
        if throttling.API_KEY_FAILURES.exceeded(address):
            raise exceptions.Throttled(wait=throttling.API_KEY_FAILURES.retry_after())
        if len(header) != 2:
            self._failed(address)
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Token <key>."))
        token = (
            ApiToken.objects.active()
            .select_related("membership__user", "membership__organization")
            .filter(token_hash=ApiToken.hash(header[1].decode(errors="ignore")))
            .first()
        )
        if token is None or not token.membership.user.is_active:
            self._failed(address)
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        membership = token.membership
        # Same Access object the pages use; the API never switches organisation.
        request._request.access = permissions.Access(membership.organization, membership.role, membership)
        request._request.organization = membership.organization
        if token.last_used_at is None or timezone.now() - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return membership.user, token

    @staticmethod
    def _failed(address: str) -> None:
        if not throttling.API_KEY_FAILURES.hit(address):
            raise exceptions.Throttled(wait=throttling.API_KEY_FAILURES.retry_after())

    def authenticate_header(self, request):
        return self.keyword


class MemberTokenScheme(OpenApiAuthenticationExtension):
    target_class = MemberTokenAuthentication
    name = "memberToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token <key>"}


class RoleLevel(drf_permissions.BasePermission):
    """Reads need a role in the organisation; writes need the editor level (403 for board members)."""

    def has_permission(self, request, view):
        # Only a key opens the API; a browser session's access (set by the middleware) does not.
        if not isinstance(request.auth, ApiToken):
            return False
        access = request._request.access
        return access.allows(permissions.level_for(request.method, getattr(view, "permission", permissions.VIEW)))


class PageNumberPagination(pagination.PageNumberPagination):
    """?page_size= up to MAX; asking for more is a clear 400, not a silently smaller page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    django_paginator_class = None  # set below: _Paginator

    def paginate_queryset(self, queryset, request, view=None):
        """?page= is a whole number from 1: 0, -1 or "x" is a 400 that says so (DRF's default is a
        bare 404, as if the list did not exist); a page past the end is an empty page with the
        count, as for any page of a list that shrank."""
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and (parse_id(raw) or 0) < 1:
            raise serializers.ValidationError({self.page_query_param: [_("Ask for page 1 or a later one.")]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not 1 <= (parse_id(raw) or 0) <= self.max_page_size:
            raise serializers.ValidationError(
                {"page_size": [_("Ask for between 1 and %(max)s rows per page.") % {"max": self.max_page_size}]}
            )
        return super().get_page_size(request)


class _Paginator(Paginator):
    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) > 1:
                return int(number)  # past the end: page() gives an empty page
            raise

    def page(self, number):
        number = self.validate_number(number)
        if number > self.num_pages:
            return self._get_page([], number, self)
        return super().page(number)


PageNumberPagination.django_paginator_class = _Paginator


class JSONParser(parsers.JSONParser):
    """Deeply nested JSON exhausts Python's recursion limit: a 400, not a server error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error - the document is nested too deeply.")) from None


class SearchFilter(filters.SearchFilter):
    """?search= cleaned like the pages' search box (integration_hub.inputs.clean_search_term)."""

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)
        return [term for term in (clean_search_term(t) for t in terms[:10]) if term]


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """?initiative=<id>: a whole number, matched as it is. An id that names no row of the key's
    organisation (0, gone, another organisation's) gives an empty list, the same answer for each,
    so nothing tells another organisation's ids from unused ones; "x" is a 400."""

    field_class = forms.IntegerField
    LARGEST = 2**63 - 1  # what the id column holds: a larger number names no row either

    def filter(self, qs, value):
        if value is not None and not 0 < value <= self.LARGEST:
            return qs.none()
        return super().filter(qs, value)


class IdFilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet

    """django-filter, but a filter named with no value (?concerns=) is a 400 rather than no filter
    at all: someone who sent it meant something, and getting every row back would mislead."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [
                name
                for name in filterset.filters
                if name in request.query_params and not request.query_params.get(name, "").strip()
            ]
            if empty:
                raise serializers.ValidationError(
                    {name: [_("Give a value, or leave this filter out.")] for name in empty}
                )
        return filterset
