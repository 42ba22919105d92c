"""Content-Security-Policy on every page, and nothing in the templates that needs 'unsafe-inline'.

The browser check (no violation fired on real pages) is e2e/test_csp_browser.py.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from integration_hub.tests.test_url_access import CASES, _request, _url

POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def _assert_policy(response):
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']} ({response.status_code})"
    directives = {part.strip() for part in header.split(";")}
    assert set(POLICY) <= directives, header
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.fixture(autouse=True)
def _production_error_pages(settings):
    # django-csp leaves DEBUG's 404/500 pages alone; production's carry the policy like any other.
    settings.DEBUG = False


@pytest.mark.parametrize(("name", "method"), [(n, m) for n, c in CASES.items() for m in c.methods])
def test_every_page_of_the_access_walk_carries_the_policy(client_as, client, organization, name, method):
    case = CASES[name]
    url = _url(name, organization)
    for visitor in (client_as(case.role_for_success), client_as("outsider"), client_as("board"), client):
        _assert_policy(_request(visitor, method, url, case))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("login"),
        reverse("password_reset"),
        reverse("privacy"),
        reverse("api:docs"),
        reverse("api:schema"),
        "/needs/s/no-such-survey/",
        "/no/such/page/",
    ],
)
def test_public_pages_and_errors_carry_the_policy(client, url):
    _assert_policy(client.get(url))


@pytest.mark.django_db
def test_the_two_factor_pages_carry_the_policy(editor_client, editor_user):
    _assert_policy(editor_client.get(reverse("two_factor")))
    _assert_policy(editor_client.get(reverse("two_factor_verify")))


@pytest.mark.django_db
def test_the_api_docs_page_needs_no_script_of_its_own(client):
    """It is made from the schema on the server (Swagger UI, replaced, ran a start-up script)."""
    page = client.get(reverse("api:docs")).content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert "swagger" not in page.lower()
    assert 'id="op-indicators_create"' in page


TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + [
    path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in path.parts
]
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def _page_templates():
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "email" not in path.relative_to(directory).parts:  # emails are not pages
                yield path


def test_no_template_has_inline_script_or_style():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {what}"
        for path in _page_templates()
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []


def test_htmx_is_told_not_to_inject_its_indicator_style(editor_client):
    page = editor_client.get(reverse("home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in page
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    assert ".htmx-request .htmx-indicator" in css
