"""A real Celery worker on the real Redis (CI sets REDIS_URL; skipped otherwise)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from integration_hub.celery import app
from integration_hub.tasks import health_check

pytestmark = [
    pytest.mark.real_services,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis broker)"),
]


@pytest.fixture
def celery_worker(transactional_db):
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


def test_a_task_travels_through_redis_to_a_worker_and_back(celery_worker):
    result = health_check.delay()
    assert result.get(timeout=30) == {"status": "ok", "database": True}
    assert result.state == "SUCCESS"
