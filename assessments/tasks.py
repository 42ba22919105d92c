from celery import shared_task
from django.utils import timezone

from assessments import services


@shared_task(acks_late=True)
def retention_run() -> list[dict]:
    """Beat runs this daily: deletes raw survey responses past their organisation's retention period."""
    return services.retention_run(today=timezone.localdate())
