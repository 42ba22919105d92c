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


def test_a_sigkilled_worker_loses_no_task_and_a_waiting_retry_is_not_handed_out_twice():
    """acks_late + reject_on_worker_lost keep a killed worker's task on the broker; the Redis
    visibility timeout outlasts send_reminder's longest backoff (600 s plus jitter)."""
    from integration_hub.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] > 2 * 600
