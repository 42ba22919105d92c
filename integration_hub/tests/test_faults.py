"""PostgreSQL going away under a kept connection: a server of the test's own
(integration_hub/tests/servers.py), restarted between two requests."""

import pytest
from django.conf import settings
from django.core import signals
from django.db import OperationalError, connections

pytestmark = pytest.mark.real_services


@pytest.fixture
def kept_connection(own_postgres, django_db_blocker):
    """A connection configured like the project's own (CONN_MAX_AGE, CONN_HEALTH_CHECKS),
    to the test's own server; Django's request signals manage it as they do `default`."""
    project = settings.DATABASES["default"]
    connections.settings["restartable"] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(own_postgres.port),
        "CONN_MAX_AGE": project["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": project.get("CONN_HEALTH_CHECKS", False),
        "TEST": {},
    }
    try:
        with django_db_blocker.unblock():  # only this server is used, never the test database
            yield connections["restartable"]
    finally:
        connections["restartable"].close()
        del connections["restartable"]
        del connections.settings["restartable"]


def request_on(connection) -> int:
    """What one request of a gunicorn thread does with its kept connection."""
    signals.request_started.send(sender=None)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 + 1")
            return cursor.fetchone()[0]
    finally:
        signals.request_finished.send(sender=None)


def test_after_a_quick_postgresql_restart_the_next_request_on_a_kept_connection_succeeds(kept_connection, own_postgres):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections are kept between requests
    assert request_on(kept_connection) == 2
    before = kept_connection.connection
    assert before is not None  # kept open after the request
    own_postgres.restart()
    assert request_on(kept_connection) == 2  # checked, found dead, reconnected: no 500
    assert kept_connection.connection is not before
    assert request_on(kept_connection) == 2


def test_without_the_health_check_that_request_would_fail(kept_connection, own_postgres):
    """The check is what saves the request above (this is what 8 of 16 threads saw)."""
    kept_connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    assert request_on(kept_connection) == 2
    own_postgres.restart()
    with pytest.raises(OperationalError):
        request_on(kept_connection)
