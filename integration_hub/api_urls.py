"""/api/: one router; each step app adds its endpoints in `<app>/api.py` with `register(router)`."""

from importlib import import_module, util

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from integration_hub.api_docs import ApiDocsView
from integration_hub.steps import STEP_APPS
from integration_hub.views_api import me, not_found

router = routers.DefaultRouter()
for app in STEP_APPS:
    if util.find_spec(f"{app}.api"):
        import_module(f"{app}.api").register(router)

app_name = "api"
urlpatterns = [
    path("me/", me, name="me"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    # Our own page made from the schema (integration_hub/api_docs.py), in place of Swagger UI.
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("", include(router.urls)),
    # Anything else under /api/ (e.g. /api/indicators/abc/) is a JSON 404, not the site's HTML page.
    re_path(r"^[\s\S]*$", not_found, name="not_found"),
]
