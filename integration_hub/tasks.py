from celery import shared_task
from django.db import connection

from integration_hub.services import erasure_run_due, personal_data_purge


@shared_task
def health_check() -> dict:
    """Proves a worker can run a task and reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"status": "ok", "database": one == 1}


@shared_task(acks_late=True)
def run_due_erasures() -> list[dict]:
    """Daily: delete the organisations whose erasure grace period is over."""
    return [{"organization": e.organization_name, "deleted": e.deleted_counts} for e in erasure_run_due()]


@shared_task(acks_late=True)
def purge_personal_data() -> dict:
    """Daily: delete the history of long-deleted records, expired sessions and login attempts."""
    return personal_data_purge()
