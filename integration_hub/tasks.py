import logging

from celery import shared_task
from django.db import connection
from kombu.exceptions import OperationalError as BrokerUnreachable

from integration_hub import jobs
from integration_hub.services import erasure_run_due, personal_data_purge

logger = logging.getLogger(__name__)


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


@shared_task(acks_late=True)
def run_job(job_id: int) -> str:
    """Idempotent: a second delivery of the same id finds the job claimed or over."""
    return jobs.job_run(job_id)


def enqueue_job(job_id: int) -> None:
    """Hand one job to a worker (in eager mode: run it now). A broker that cannot be reached
    leaves it queued, unstamped: the sweep hands it over again."""
    try:
        run_job.delay(job_id)
    except BrokerUnreachable:
        logger.warning("Broker unreachable; job %s stays queued.", job_id)
        return
    jobs.job_enqueued([job_id])


@shared_task(acks_late=True)
def job_sweep() -> dict:
    """Beat, every 5 minutes: stuck jobs back in the queue, queued ones handed over, old files gone."""
    result = jobs.job_sweep()
    for job_id in result.handed_over:
        enqueue_job(job_id)
    return {
        "requeued": len(result.requeued),
        "handed_over": len(result.handed_over),
        "given_up": result.given_up,
        "outputs_cleared": result.outputs_cleared,
    }
