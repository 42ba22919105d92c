"""The JSON API: keys, the same tenancy and roles as the pages, and the schema.

Every router endpoint needs a case in its app's `tests/api_cases.py` (CASES keyed by
basename); the walk below proves anonymous → 401, another organisation's id → 404,
a board member's write → 403, and that the allowed member gets through.
"""

import html
from importlib import import_module, util

import pytest
from django.urls import reverse

from integration_hub.api_urls import router
from integration_hub.models import ApiToken, Membership
from integration_hub.steps import STEP_APPS
from integration_hub.tests.support import api_client_for

pytestmark = pytest.mark.django_db


def _collect():
    cases = {}
    for app in STEP_APPS:
        if util.find_spec(f"{app}.tests.api_cases"):
            cases.update(import_module(f"{app}.tests.api_cases").CASES)
    return cases


API_CASES = _collect()
BASENAMES = [basename for _, _, basename in router.registry]


@pytest.fixture
def api_as(people, organization, other_organization):
    def make(role):
        membership = Membership.objects.get(user=people[role])
        return api_client_for(membership)

    return make


def test_every_endpoint_has_an_api_case():
    assert set(BASENAMES) - set(API_CASES) == set(), "add these to their app's tests/api_cases.py"
    assert set(API_CASES) - set(BASENAMES) == set()


@pytest.mark.parametrize("basename", BASENAMES)
def test_api_walk(basename, api_as, organization, client):
    case = API_CASES[basename]
    pk = case.make(organization)
    list_url = reverse(f"api:{basename}-list")
    detail_url = reverse(f"api:{basename}-detail", args=[pk])

    assert client.get(list_url).status_code in (401, 403)
    assert api_as("outsider").get(detail_url).status_code == 404
    assert pk not in [row["id"] for row in api_as("outsider").get(list_url).json()["results"]]
    assert api_as("board").get(detail_url).status_code == 200
    if case.writable:
        assert api_as("board").post(list_url, case.post_data(organization), format="json").status_code == 403
        assert api_as("board").delete(detail_url).status_code == 403
        response = api_as("editor").post(list_url, case.post_data(organization), format="json")
        assert response.status_code == 201, response.content
    else:
        assert api_as("editor").post(list_url, {}, format="json").status_code == 405


def test_me_tells_whose_key_it_is(api_as, organization):
    response = api_as("board").get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json() == {
        "email": "board@riverside.example",
        "organization": organization.name,
        "organization_slug": "riverside",
        "role": "board",
    }


def test_no_key_or_a_wrong_key_is_401(client):
    assert client.get(reverse("api:me")).status_code == 401
    response = client.get(reverse("api:me"), HTTP_AUTHORIZATION="Token not-a-key")
    assert response.status_code == 401
    assert "Invalid or revoked" in response.json()["detail"]


def test_a_session_login_does_not_open_the_api(editor_client):
    assert editor_client.get(reverse("api:me")).status_code == 401


def test_member_creates_a_key_sees_it_once_and_revokes_it(editor_client, editor_user):
    response = editor_client.post(reverse("api_tokens"), {"name": "Reporting sheet"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    token = ApiToken.objects.get(membership__user=editor_user)
    assert token.token_hash != key and key not in token.token_hash
    assert key not in editor_client.get(reverse("api_tokens")).content.decode()

    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 200
    editor_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert api.get(reverse("api:me")).status_code == 401


def test_a_key_needs_a_name(editor_client):
    response = editor_client.post(reverse("api_tokens"), {"name": "  "}, follow=True)
    assert "Say what the key is for" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_members_key(client_as, board_user):
    from integration_hub import services

    token, _ = services.api_token_create(membership=Membership.objects.get(user=board_user), name="x")
    assert client_as("outsider").post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert client_as("editor").post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_network_viewers_get_no_key_for_an_affiliate(client_as):
    assert client_as("network").get(reverse("api_tokens")).status_code == 404


def test_anonymous_key_pages_go_to_login(client):
    assert client.get(reverse("api_tokens")).url.startswith(reverse("login"))
    assert client.post(reverse("api_token_revoke", args=[1])).url.startswith(reverse("login"))


def test_the_openapi_schema_and_its_docs_are_served_without_a_cdn(client):
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/me/" in schema.json()["paths"]
    docs = client.get(reverse("api:docs")).content.decode()
    assert "cdn" not in docs.lower() and "jsdelivr" not in docs.lower()
    # The docs page is made from the schema: every operation and every named schema is on it.
    for path, item in schema.json()["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                assert f'id="op-{item[method]["operationId"]}"' in docs, (method, path)
                assert f'<code class="api-path">{html.escape(path)}</code>' in docs
    for name in schema.json()["components"]["schemas"]:
        assert f'id="schema-{name}"' in docs


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/initiatives/",
        "/api/indicators/",
        "/api/measurements/",
        "/api/reviews/{id}/hold/",
        "/api/needs/",
    ):
        assert path in schema
