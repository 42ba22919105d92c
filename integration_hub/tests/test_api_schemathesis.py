"""Property-based run of every API operation against its own OpenAPI schema: whatever
schemathesis sends (bounded examples, on the test database), the API never answers 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from integration_hub.models import Membership
from integration_hub.tests.support import api_client_for
from integration_hub.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calling the WSGI app directly fires request_started/finished, whose close_old_connections
    would close the test's transaction-bound connection (Django's test client disconnects it too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(editor_user, organization):
    client = api_client_for(Membership.objects.get(user=editor_user))
    return client._credentials["HTTP_AUTHORIZATION"]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_never_answers_a_server_error(case, api_key):
    response = case.call(headers={"Authorization": api_key})
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:500])
