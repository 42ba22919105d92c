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
