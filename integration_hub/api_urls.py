"""/api/: one router; each step app adds its endpoints in `<app>/api.py` with `register(router)`."""

from importlib import import_module, util

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from integration_hub.dashboard import STEP_APPS
from integration_hub.views_api import me, not_found

router = routers.DefaultRouter()
for app in STEP_APPS:
    if util.find_spec(f"{app}.api"):
        import_module(f"{app}.api").register(router)

app_name = "api"
urlpatterns = [
    path("me/", me, name="me"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    # The split view serves Swagger UI's start-up script as its own response (?script), so the
    # page has no inline script for the CSP to refuse. ReDoc is not offered: it injects inline styles.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema",
            template_name="integration_hub/api_docs.html",
            permission_classes=[],
            authentication_classes=[],
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    # Anything else under /api/ (e.g. /api/indicators/abc/) is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", not_found, name="not_found"),
]
