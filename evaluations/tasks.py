"""Celery tasks for step 4: thin wrappers around services."""

from celery import shared_task
from django.utils import timezone

from evaluations import services


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


@shared_task
def reminder_sweep() -> dict:
    """Beat runs this every REMINDER_SWEEP_MINUTES (settings.CELERY_BEAT_SCHEDULE); each
    organisation's reminders fall due by the date in its own time zone."""
    result = services.reminder_sweep()
    return {"created": result.created, "pending": len(result.pending), "enqueued": result.enqueued}


@shared_task
def schedules_top_up() -> int:
    """Beat runs this daily: keeps every schedule's next reviews generated."""
    return services.schedules_top_up(today=timezone.localdate())
