"""Celery tasks for step 4: thin wrappers around services."""

import logging
from datetime import date, datetime

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from evaluations import services

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=4,
)
def send_reminder(self, reminder_id: int) -> str:
    """Idempotent: a second delivery of the same id finds the row sent or claimed."""
    return services.reminder_send(reminder_id=reminder_id)


def enqueue_sends(reminder_ids: list[int], result: services.SweepResult, now: datetime) -> None:
    """Put one send task per id on the broker; stamp what made it there.

    An unreachable broker stops the loop cleanly: the rows stay pending and
    unstamped, so the next sweep enqueues them again.
    """
    enqueued = []
    for reminder_id in reminder_ids:
        try:
            send_reminder.delay(reminder_id)
        except BrokerUnreachable:
            logger.warning("Broker unreachable; %s reminders stay pending.", len(reminder_ids) - len(enqueued))
            result.enqueue_failed = True
            break
        except Exception:
            # Only eager mode (no broker) gets here: the task failed inline and
            # recorded its error; carry on with the others.
            logger.exception("Reminder %s failed to send.", reminder_id)
        enqueued.append(reminder_id)
    services.reminders_enqueued(enqueued, now)
    result.enqueued = len(enqueued)


def sweep_and_send(*, today: date | None = None, now: datetime | None = None) -> services.SweepResult:
    """services.reminder_sweep, handing each pending reminder to a send task after the commit."""
    now = now or timezone.now()
    return services.reminder_sweep(today=today, now=now, dispatch=lambda ids, result: enqueue_sends(ids, result, now))


@shared_task
def reminder_sweep() -> dict:
    """Beat runs this every REMINDER_SWEEP_MINUTES (settings.CELERY_BEAT_SCHEDULE); each
    organisation's reminders fall due by the date in its own time zone."""
    result = sweep_and_send()
    return {"created": result.created, "pending": len(result.pending), "enqueued": result.enqueued}


@shared_task
def schedules_top_up() -> int:
    """Beat runs this daily: keeps every schedule's next reviews generated."""
    return services.schedules_top_up(today=timezone.localdate())
