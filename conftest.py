"""Fixtures for every app: an organisation, one person per role, an outsider."""

import importlib
import shutil

import pytest

from integration_hub.models import Organization, Role
from integration_hub.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from integration_hub.tests.support import client_for

# own_redis, own_postgres: servers of a test's own, to stop and restart mid-test.
pytest_plugins = ["integration_hub.tests.servers"]


@pytest.fixture(autouse=True)
def _isolated_cache_and_eager_celery(settings):
    from django.core.cache import cache
    from django.utils import translation

    from assessments.selectors import published_questions_clear
    from integration_hub.cache import local_counts_clear
    from integration_hub.celery import app

    cache.clear()
    local_counts_clear()  # the counts kept in the process while the cache is unreachable
    published_questions_clear()  # the public survey's in-process copies of questions
    # LocaleMiddleware leaves a request's language active in the thread after the test client
    # returns: a Spanish page in one test must not turn the next test's messages Spanish.
    translation.activate(settings.LANGUAGE_CODE)
    # Real hashing costs ~0.3 s per user; tests check behaviour, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests run tasks inline unless they start a real worker (real_services).
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(autouse=True)
def _idea_library(request):
    """The built-in ideas come from a data migration; a transactional test's flush (or anything
    else that empties the table) must not leave a later test without them."""
    wants_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not wants_db:
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from initiatives.models import Idea

    if not Idea.objects.filter(is_builtin=True).exists():
        importlib.import_module("initiatives.migrations.0003_seed_idea_library").seed(apps, None)


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Riverside Immigrant Services", slug="riverside")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Lakeshore Legal Aid", slug="lakeshore")


@pytest.fixture
def network_office(db):
    return OrganizationFactory(name="National Network", slug="network", kind=Organization.Kind.NETWORK)


def _member(organization, role, email):
    return MembershipFactory(organization=organization, role=role, user=UserFactory(email=email)).user


@pytest.fixture
def admin_user(organization):
    return _member(organization, Role.ADMIN, "admin@riverside.example")


@pytest.fixture
def editor_user(organization):
    return _member(organization, Role.EDITOR, "staff@riverside.example")


@pytest.fixture
def board_user(organization):
    return _member(organization, Role.BOARD, "board@riverside.example")


@pytest.fixture
def outsider(other_organization):
    """An admin of another affiliate: any refusal they get comes from tenancy, not role."""
    return _member(other_organization, Role.ADMIN, "admin@lakeshore.example")


@pytest.fixture
def network_user(network_office):
    return _member(network_office, Role.ADMIN, "staff@network.example")


@pytest.fixture
def people(admin_user, editor_user, board_user, outsider, network_user):
    return {
        "admin": admin_user,
        "editor": editor_user,
        "board": board_user,
        "outsider": outsider,
        "network": network_user,
    }


@pytest.fixture
def client_as(people, organization):
    """client_as("editor") → a logged-in client working in `organization`."""

    def make(role):
        user = people[role]
        # Network staff open the affiliate read-only; the outsider stays in their own.
        return client_for(user, organization if role == "network" else None)

    return make


@pytest.fixture
def editor_client(client_as):
    return client_as("editor")


# Browser tests: Debian's Chromium, never a downloaded browser.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }


def pytest_sessionstart(session):
    from integration_hub.i18n import compile_catalogues

    compile_catalogues()


# The longest single tests, started first so that xdist's workers do not end on them one core idle.
SLOW_FIRST = (
    "test_axe_every_page.py::test_every_page_kind",
    "test_api_schemathesis.py::test_a_full_schemathesis_run",
    "test_html_valid.py::",
)


def pytest_collection_modifyitems(config, items):
    items.sort(
        key=lambda item: not any(name in item.nodeid for name in SLOW_FIRST)
    )  # stable: the rest keep their order
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="no system Chromium (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
