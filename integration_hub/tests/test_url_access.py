"""The access walk: every URL of the project, every kind of visitor.

Each app lists its URLs in `<app>/tests/url_cases.py` (CASES, and PUBLIC for
the few that need no organisation). A URL pattern without a case fails
`test_every_url_has_an_access_case`, so a new page cannot skip these checks.
"""

from importlib import import_module, util

import pytest
from django.urls import URLResolver, get_resolver, reverse

from integration_hub import permissions
from integration_hub.steps import STEP_APPS, TOP_APPS

AUTH_URLS = {
    "login", "logout", "password_change", "password_change_done", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete",
}  # fmt: skip


def _collect():
    cases, public = {}, set()
    for app in ("integration_hub", *STEP_APPS, *TOP_APPS):
        if util.find_spec(f"{app}.tests.url_cases"):
            module = import_module(f"{app}.tests.url_cases")
            cases.update(module.CASES)
            public |= getattr(module, "PUBLIC", set())
    return cases, public


CASES, PUBLIC = _collect()


def _url_names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):  # the API has its own walk: test_api.py
                continue
            yield from _url_names(
                pattern.url_patterns, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            )
        elif pattern.name:
            yield prefix + pattern.name


def _url(name, organization):
    case = CASES[name]
    return reverse(name, kwargs=case.make(organization) if case.make else None)


def _request(client, method, url, case):
    return client.post(url, case.post_data) if method == "POST" else client.get(url)


def test_every_url_has_an_access_case():
    names = set(_url_names(get_resolver().url_patterns)) - AUTH_URLS
    assert names - set(CASES) - PUBLIC == set(), "add these URLs to their app's tests/url_cases.py"
    assert set(CASES) - names == set(), "these cases name URLs that no longer exist"


@pytest.mark.parametrize(
    ("name", "method"), [(n, m) for n, c in CASES.items() for m in c.methods], ids=lambda v: str(v)
)
def test_anonymous_visitor_is_sent_to_login(client, organization, name, method):
    url = _url(name, organization)
    response = _request(client, method, url, CASES[name])
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.make])
def test_another_organizations_object_answers_404(client_as, organization, name):
    case = CASES[name]
    url = _url(name, organization)
    # The outsider is an admin of their own affiliate, so only tenancy can refuse.
    response = _request(client_as("outsider"), case.methods[0], url, case)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["board", "network"])
@pytest.mark.parametrize("name", [n for n, c in CASES.items() if "POST" in c.methods])
def test_read_only_roles_cannot_write(client_as, organization, name, role):
    case = CASES[name]
    response = _request(client_as(role), "POST", _url(name, organization), case)
    assert response.status_code == 403


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.permission != permissions.VIEW])
def test_role_below_the_pages_level_gets_403(client_as, organization, name):
    case = CASES[name]
    weaker = {permissions.EDIT: "board", permissions.ADMIN: "editor"}[case.permission]
    response = _request(client_as(weaker), case.methods[0], _url(name, organization), case)
    assert response.status_code == 403


@pytest.mark.parametrize("name", list(CASES))
def test_allowed_role_reaches_the_page(client_as, organization, name):
    """Proves each case is real: the refusals above come from access rules, not a broken URL."""
    case = CASES[name]
    response = _request(client_as(case.role_for_success), case.methods[0], _url(name, organization), case)
    assert response.status_code in (200, 302), response.status_code
