"""Test helpers every app's tests share: role clients and URL access cases."""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module, util

from django.apps import apps
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import Client
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.test import APIClient

from integration_hub import permissions, services
from integration_hub.middleware import SESSION_KEY
from integration_hub.models import Organization, Role
from integration_hub.steps import STEP_APPS, TOP_APPS
from integration_hub.tests.factories import MembershipFactory


@dataclass
class UrlCase:
    """How to reach one URL pattern in the access walk (integration_hub/tests/test_url_access.py).

    make: builds an object of `organization` and returns the URL kwargs; None for
      URLs without an object id.
    permission: level the page needs (permissions.VIEW/EDIT/ADMIN).
    methods: the HTTP methods the URL answers.
    allowed_role: the role used to prove the URL works for someone allowed
      (defaults to the weakest role that has `permission`).
    """

    make: Callable | None = None
    permission: str = permissions.VIEW
    methods: tuple[str, ...] = ("GET",)
    allowed_role: str | None = None
    post_data: dict = field(default_factory=dict)

    @property
    def role_for_success(self) -> str:
        if self.allowed_role:
            return self.allowed_role
        return {permissions.VIEW: "board", permissions.EDIT: "editor", permissions.ADMIN: "admin"}[self.permission]


@dataclass
class ApiCase:
    """How to reach one API endpoint (a router basename) in the API walk (integration_hub/tests/test_api.py).

    make: builds an object of `organization` and returns its pk.
    writable: the endpoint accepts POST/PATCH/DELETE for editors.
    post_data: callable(organization) -> a valid body for POST, when writable.
    """

    make: Callable
    writable: bool = False
    post_data: Callable | None = None


def api_client_for(membership):
    """A DRF client authenticated with a fresh key of `membership`."""
    _token, key = services.api_token_create(membership=membership, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def client_for(user, organization=None) -> Client:
    client = Client()
    client.force_login(user)
    if organization is not None:
        session = client.session
        session[SESSION_KEY] = organization.pk
        session.save()
    return client


def fill_with_demo_data(organization, admin):
    """Every step app's demo data for `organization`, so generic tests cover models added later."""
    people = {
        Role.ADMIN: admin,
        Role.EDITOR: MembershipFactory(organization=organization, role=Role.EDITOR).user,
        Role.BOARD: MembershipFactory(organization=organization, role=Role.BOARD).user,
    }
    for app in (*STEP_APPS, *TOP_APPS):
        if util.find_spec(f"{app}.demo"):
            import_module(f"{app}.demo").seed(organization, people, timezone.localdate())


def _organization_columns() -> dict[str, set[str]]:
    """{table: columns} that refer to an organisation: by foreign key (declared in the database or
    only in a model, as history tables do), by name, and the id of an organisation's own rows."""
    columns = {}
    for model in apps.get_models(include_auto_created=True):
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model is Organization:
                columns.setdefault(model._meta.db_table, set()).add(model_field.column)
        if model is Organization or getattr(model, "instance_type", None) is Organization:
            columns.setdefault(model._meta.db_table, set()).add("id")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for description in connection.introspection.get_table_description(cursor, table):
                if description.name == "organization_id" or description.name.endswith("_organization_id"):
                    columns.setdefault(table, set()).add(description.name)
            for column, (_ref_column, ref_table) in connection.introspection.get_relations(cursor, table).items():
                if ref_table == Organization._meta.db_table:
                    columns.setdefault(table, set()).add(column)
    return columns


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def database_scan(*, texts=(), organization_id=None) -> set[tuple[str, str, str]]:
    """Every (table, column, what) in the whole database, every table and column, where a value
    contains one of `texts` (case-insensitive) or a column referring to organisations holds
    `organization_id`. A privacy promise tested over the models one remembers misses the next one."""
    needles = [text.casefold() for text in texts]
    organization_columns = _organization_columns() if organization_id is not None else {}
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            names = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    if value is None:
                        continue
                    if name in organization_columns.get(table, ()) and value == organization_id:
                        found.add((table, name, f"organization {organization_id}"))
                    text = _as_text(value).casefold()
                    found.update((table, name, texts[i]) for i, needle in enumerate(needles) if needle in text)
    return found


class UnreachableCache(BaseCache):
    """A cache backend whose every call fails the way redis-py does when Redis is down
    (OPTIONS {"error": "connection"}) or hung past the socket timeout ({"error": "timeout"})."""

    def __init__(self, location, params):
        super().__init__(params)
        kind = params.get("OPTIONS", {}).get("error", "connection")
        self.error = {"connection": RedisConnectionError, "timeout": RedisTimeoutError}[kind]

    def _fail(self, *args, **kwargs):
        raise self.error("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = clear = incr = count = get_many = set_many = delete_many = _fail
    get_or_set = has_key = _fail


def unreachable_cache(error: str = "connection") -> dict:
    """A CACHES setting for UnreachableCache."""
    return {"default": {"BACKEND": "integration_hub.tests.support.UnreachableCache", "OPTIONS": {"error": error}}}
