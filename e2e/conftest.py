"""Browser journeys: a fresh page with short timeouts, an Inspector per journey, the idea library."""

import importlib

import pytest

from e2e.helpers import DESKTOP, Inspector


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"e2e_{report.when}", report)
    return report


@pytest.fixture
def page(page, request):
    """pytest-playwright's page at desktop size, failing within seconds, not 30 s; on failure, say where it was."""
    page.set_default_timeout(5_000)
    page.set_viewport_size(DESKTOP)
    yield page
    report = getattr(request.node, "e2e_call", None)
    if report is not None and report.failed and not page.is_closed():
        try:
            where = page.url
            tree = page.locator("main").aria_snapshot(timeout=2_000) if page.locator("main").count() else ""
        except Exception as error:  # noqa: BLE001 - best effort, the test already failed
            where, tree = page.url, f"(no snapshot: {error})"
        report.sections.append(("page at failure", f"{where}\n{tree[:6000]}"))


@pytest.fixture
def inspector(request):
    return Inspector(journey=request.node.name.removeprefix("test_")[:40])


@pytest.fixture
def idea_library(db):
    """The built-in ideas: a data migration adds them, but a transactional test's flush removes them."""
    from django.apps import apps

    migration = importlib.import_module("initiatives.migrations.0003_seed_idea_library")
    migration.seed(apps, None)
