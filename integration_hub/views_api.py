from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "email": serializers.EmailField(),
            "organization": serializers.CharField(),
            "organization_slug": serializers.CharField(),
            "role": serializers.CharField(),
        },
    )
)
@api_view(["GET"])
def me(request):
    """Who the key belongs to: the member, their organisation and role."""
    access = request._request.access
    return Response(
        {
            "email": request.user.email,
            "organization": access.organization.name,
            "organization_slug": access.organization.slug,
            "role": access.role,
        }
    )


@csrf_exempt  # a 404 for any method: no form to protect, and the API has no session
def not_found(request, *args, **kwargs):
    """Any /api/ address no endpoint answers: JSON like the rest of the API (a plain view, so it is
    no operation of the schema)."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404)
