"""The API against its own OpenAPI schema.

Fast, in every run: each operation with a few bounded examples through the WSGI app, all of
schemathesis's response checks (status codes, content types and bodies as documented, never 5xx).
Full, in CI only (CI=true, .ci/run): the schemathesis CLI with every check and every phase
(examples, coverage, fuzzing, stateful) against a live server, which must report no failure."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from evaluations.models import Indicator
from initiatives.tests.factories import InitiativeFactory
from integration_hub import services
from integration_hub.models import Membership
from integration_hub.tests.support import api_client_for
from integration_hub.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
HERE = Path(__file__).parent


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


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_answer_is_documented(case, api_key):
    """Status code, content type and body of each answer as the schema documents them."""
    case.call_and_validate(
        headers={"Authorization": api_key},
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.status_code_conformance,
            schemathesis.checks.content_type_conformance,
            schemathesis.checks.response_schema_conformance,
        ],
    )


def test_the_schema_documents_errors_and_no_post_on_reviews():
    operations = schema.raw_schema["paths"]
    assert "post" not in operations["/api/reviews/"]  # it answers 405: not an operation
    listing = operations["/api/indicators/"]["get"]["responses"]
    assert {"400", "401", "403", "429"} <= set(listing)
    assert {"400", "401", "403", "404", "429"} <= set(operations["/api/indicators/{id}/"]["patch"]["responses"])
    page = next(p for p in operations["/api/indicators/"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="the full run takes minutes: CI only (.ci/run)")
@pytest.mark.django_db(transaction=True)
def test_a_full_schemathesis_run_reports_no_failure(live_server, editor_user, organization):
    _token, key = services.api_token_create(membership=Membership.objects.get(user=editor_user), name="st")
    initiative = InitiativeFactory(organization=organization, title="Library welcome desk")
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "integration_hub.tests.schemathesis_hooks",
        "IH_SCHEMATHESIS_INITIATIVE": str(initiative.pk),
        "PYTHONPATH": str(HERE.parent.parent),
    }
    command = [
        str(Path(sys.executable).with_name("st")), "--config-file", str(HERE / "schemathesis.toml"),
        "run", f"{live_server.url}/api/schema/?format=json",
        "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
        "-H", f"Authorization: Token {key}", "--max-examples", "20", "--seed", "1", "--no-color",
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    # The hooks' repaired bodies reach a 201, so the run covers creating (and then, in the
    # stateful phase, using) indicators; the run may delete some again, so count their creations.
    created = Indicator.history.filter(history_type="+", initiative_id=initiative.pk).count()
    assert created >= 1, output[-6000:]
