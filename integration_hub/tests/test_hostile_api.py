"""The hostile-input walk over the JSON API: every operation of its own OpenAPI schema, as an
editor's key, with hostile values in each query parameter (one at a time) and in each group of
body fields (dates, numbers, choices, text) of an otherwise valid body; a 30-digit id; invalid
UTF-8 and deeply nested JSON as the body. Never a 5xx; a refused write changes no row.
"""

import json

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from integration_hub.models import Membership
from integration_hub.tests import hostile
from integration_hub.tests.support import api_client_for, fill_with_demo_data
from integration_hub.tests.test_api import API_CASES

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = [(path, method) for path, item in SCHEMA["paths"].items() for method in item]
WRITES = ("post", "put", "patch")


def _schema(ref_or_schema):
    if "$ref" in ref_or_schema:
        return SCHEMA["components"]["schemas"][ref_or_schema["$ref"].rsplit("/", 1)[1]]
    return ref_or_schema


def _group(prop) -> str:
    prop = _schema(prop) if "$ref" in prop else prop
    if "enum" in prop or "allOf" in prop or "oneOf" in prop or prop.get("type") == "array":
        return "choice"
    if prop.get("format") == "date":
        return "date"
    if prop.get("type") in ("integer", "number") or prop.get("format") == "decimal":
        return "number"
    return "text"


def _sample(group):
    return {"date": timezone.localdate().isoformat(), "number": 1, "choice": None, "text": "Walk"}[group]


def _check(response, before=None):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if before is not None and response.status_code >= 400:
        assert hostile.row_counts() == before, "a refused request wrote rows"


@pytest.fixture
def api(editor_user, organization):
    return api_client_for(Membership.objects.get(user=editor_user))


def _basename(path):
    return resolve(path.replace("{id}", "1")).url_name.rsplit("-", 1)[0]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=lambda v: str(v))
def test_every_api_operation_takes_hostile_input_without_a_server_error(api, admin_user, organization, path, method):
    operation = SCHEMA["paths"][path][method]
    case = API_CASES.get(_basename(path))
    url = path.replace("{id}", str(case.make(organization))) if "{id}" in path else path
    send = getattr(api, method)

    # One parameter at a time: the filters answer 400 for the first invalid one, hiding the rest.
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    if names:  # searches and filters meet rows (SQLite only evaluates a LIKE against a row)
        fill_with_demo_data(organization, admin_user)
    values = [hostile.HOSTILE[label] for label in (*hostile.IN_QUERIES, "negative")] + list(hostile.EVERYWHERE.values())
    for name in names:
        for value in values:
            _check(api.get(f"{url}?{hostile.query({name: value})}"))
    if "{id}" in path:
        _check(send(path.replace("{id}", "9" * 30), {}, format="json"))

    if method not in WRITES:
        return
    body_schema = _schema(
        operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    )
    props = {name: prop for name, prop in body_schema.get("properties", {}).items() if not prop.get("readOnly")}
    groups: dict[str, list[str]] = {}
    for name, prop in props.items():
        groups.setdefault(_group(prop), []).append(name)
    base = case.post_data(organization) if method == "post" and case.post_data else {}
    for name in body_schema.get("required", []):
        if name in props and name not in base and _sample(_group(props[name])) is not None:
            base[name] = _sample(_group(props[name]))
    for group, fields in groups.items():
        for label in hostile.BY_GROUP[group]:
            value = hostile.HOSTILE[label]
            for body in ({**base, **dict.fromkeys(fields, value)}, {**base, **dict.fromkeys(fields, [value])}):
                before = hostile.row_counts()
                _check(send(url, body, format="json"), before)
    raw_bodies = [
        json.dumps({**base, **dict.fromkeys(props, hostile.EVERYWHERE["NUL"])}).encode(),
        json.dumps(base).encode().replace(b'"', b'"\xff\xfe', 1),
        hostile.NESTED_JSON.encode(),
        b'{"title": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    ]
    for raw in raw_bodies:
        before = hostile.row_counts()
        _check(send(url, raw, content_type="application/json"), before)
