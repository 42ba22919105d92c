"""Background jobs: the registry of job kinds and the service that enqueues, claims, runs and
finishes them (the model is integration_hub.models.BackgroundJob, the task tasks.run_job).

The core knows no step: each step registers its kinds in its AppConfig.ready(), as it does
for network.py, with `register(JobKind(...))`. A kind's `run(job, progress)` reads
`job.upload` / `job.params`, calls `progress(done, total)` now and then, and returns a
`JobOutcome`, or raises `JobRefused(errors)` to import nothing and show the errors.

A job can end by asking the person a question (a preview, then "Import" or "Cancel"): its
outcome's `confirm_url` is where the page's two buttons post, and `data` keeps what the next
step needs (the plan read from the file). The step's view answers with `job_confirm` (which
starts the next job once, however often it is asked) or `job_cancel`.

Guarantees (as for the evaluation reminders):
- claimed with `select_for_update(skip_locked=True)` from "queued" to "running": a job
  delivered twice runs once;
- the run, its writes and the "done" stamp commit in one transaction that holds the job's row
  lock: a worker killed mid-run leaves nothing written and the job "running", and the sweep
  (beat, every JOB_SWEEP_MINUTES) puts a job running longer than JOB_STALE_MINUTES whose row
  is not locked back in the queue (a live run holds the lock, so it is skipped);
- a queued job never handed to a worker (broker down) is handed over again by the sweep;
- made files (exports) are cleared JOB_OUTPUT_HOURS after the job ends; the upload is cleared
  as soon as the job ends, done or failed.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integration_hub.models import BackgroundJob

logger = logging.getLogger(__name__)

Status = BackgroundJob.Status
Progress = Callable[[int, int], None]
MAX_ATTEMPTS = 3


@dataclass
class JobOutcome:
    summary: str
    details: list[dict] = field(default_factory=list)  # [{"title": str, "items": [str]}]
    link_url: str = ""
    link_label: str = ""
    output: bytes = b""
    output_name: str = ""
    output_type: str = ""
    # A job that waits for the person's choice: the page posts action=confirm|cancel here.
    confirm_url: str = ""
    confirm_label: str = ""
    data: dict = field(default_factory=dict)  # kept in result["data"] for the confirmed step


class JobRefused(Exception):  # noqa: N818 - an outcome, not a fault
    """The file was refused as a whole: nothing was written; `errors` say why, by row."""

    def __init__(self, errors: list[str], details: list[dict] | None = None, retry_url: str = ""):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors
        self.details = details or []
        self.retry_url = retry_url


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Callable[[], str]  # e.g. gettext_lazy("Stakeholder import")
    run: Callable[[BackgroundJob, Progress], JobOutcome]
    permission: str  # permissions.VIEW / EDIT / ADMIN: who may see the job and its file
    back_url: Callable[[BackgroundJob], str] = lambda job: ""
    # An export: its page and file are the person's who asked for it (404 for anyone else), and
    # the page speaks of making a file rather than of importing one.
    makes_file: bool = False


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    _KINDS[kind.name] = kind


def kind_of(job: BackgroundJob) -> JobKind | None:
    return _KINDS.get(job.kind)


def kinds_allowed(access) -> list[str]:
    return [name for name, kind in _KINDS.items() if access.allows(kind.permission)]


# --- progress: in the cache while the run's transaction is open, on the row at the end ---------


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def progress_of(job: BackgroundJob) -> tuple[int, int]:
    if job.status == Status.RUNNING:
        cached = cache.get(_progress_key(job.pk))
        if cached:
            return tuple(cached)
    return job.progress_done, job.progress_total


def _reporter(job: BackgroundJob) -> Progress:
    def report(done: int, total: int) -> None:
        try:
            cache.set(_progress_key(job.pk), (done, total), timeout=3600)
        except Exception:  # noqa: BLE001 - progress is a courtesy; the run goes on without it
            logger.warning("Job %s: progress not recorded.", job.pk)

    return report


# --- the service ---------------------------------------------------------------------------------


def job_create(*, organization, kind: str, created_by, upload: bytes = b"", upload_name: str = "", params=None):
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    return BackgroundJob.objects.create(
        organization=organization,
        kind=kind,
        created_by=created_by,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        upload=upload,
        upload_name=upload_name[:255],
        params=params or {},
    )


def job_enqueued(job_ids: list[int], now=None) -> None:
    BackgroundJob.objects.filter(pk__in=job_ids, status=Status.QUEUED).update(enqueued_at=now or timezone.now())


def job_claim(job_id: int) -> BackgroundJob | None:
    """queued → running, under a row lock; None when another worker has it or it is over."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update(skip_locked=True).filter(pk=job_id, status=Status.QUEUED).first()
        if job is None:
            return None
        job.status, job.started_at, job.attempts = Status.RUNNING, timezone.now(), job.attempts + 1
        job.save(update_fields=["status", "started_at", "attempts"])
        return job


def _finish_failed(job_id: int, error: str, result: dict) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, error=error, result=result, upload=b"", finished_at=timezone.now()
    )


def job_run(job_id: int) -> str:
    """Claim and run one job; idempotent (a second call finds it claimed or over)."""
    job = job_claim(job_id)
    if job is None:
        return "skipped"
    kind = kind_of(job)
    with translation.override(job.language):
        if kind is None:
            _finish_failed(job.pk, _("This kind of job is no longer known; nothing was done."), {})
            return "failed"
        try:
            with transaction.atomic():
                # Held until the commit: the sweep skips a job whose run is alive.
                BackgroundJob.objects.select_for_update().filter(pk=job.pk).first()
                outcome = kind.run(job, _reporter(job))
                BackgroundJob.objects.filter(pk=job.pk).update(
                    status=Status.DONE,
                    upload=b"",
                    output=outcome.output,
                    output_name=outcome.output_name,
                    output_type=outcome.output_type,
                    result={
                        "summary": str(outcome.summary),
                        "details": outcome.details,
                        "link_url": outcome.link_url,
                        "link_label": str(outcome.link_label),
                        "confirm_url": outcome.confirm_url,
                        "confirm_label": str(outcome.confirm_label),
                        "data": outcome.data,
                    },
                    progress_done=cache.get(_progress_key(job.pk), (0, 0))[1] or job.progress_total,
                    finished_at=timezone.now(),
                )
        except JobRefused as refused:
            _finish_failed(
                job.pk,
                _("No file was made.") if kind.makes_file else _("Nothing was imported."),
                {
                    "errors": [str(e) for e in refused.errors],
                    "details": refused.details,
                    "retry_url": refused.retry_url,
                },
            )
            return "refused"
        except Exception:
            logger.exception("Job %s (%s) failed.", job.pk, job.kind)
            _finish_failed(job.pk, _("Something went wrong while running this job; nothing was saved."), {})
            return "failed"
        finally:
            cache.delete(_progress_key(job.pk))
    return "done"


# --- a job that waits for the person's choice ------------------------------------------------------


class NotAwaiting(Exception):  # noqa: N818 - an answer, not a fault
    """The job asks nothing (any more): `reason` is "unfinished", "failed", "cancelled" or "expired"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _waiting_since_limit(now=None):
    # What a preview showed may no longer hold a day later (the survey changed): ask again.
    return (now or timezone.now()) - timedelta(hours=settings.JOB_OUTPUT_HOURS)


def _check_awaiting(job: BackgroundJob, now=None) -> None:
    if job.status in (Status.QUEUED, Status.RUNNING):
        raise NotAwaiting("unfinished")
    if job.status == Status.FAILED or not job.result.get("confirm_url"):
        raise NotAwaiting("failed")
    if job.result.get("cancelled"):
        raise NotAwaiting("cancelled")
    if job.finished_at and job.finished_at < _waiting_since_limit(now):
        raise NotAwaiting("expired")


def job_awaits_choice(job: BackgroundJob, now=None) -> bool:
    """Done, asking "confirm or cancel?", and neither chosen yet nor too old."""
    try:
        _check_awaiting(job, now)
    except NotAwaiting:
        return False
    return not job.result.get("next_job")


@transaction.atomic
def job_confirm(*, job: BackgroundJob, start_next: Callable[[BackgroundJob], BackgroundJob]) -> tuple[int, bool]:
    """The person's yes: `start_next(job)` creates the job that does the work, once. Under the
    job's row lock, so a double click or a second tab finds the first one's job and starts
    nothing. Returns (the next job's id, whether it was created now); raises NotAwaiting. The
    caller enqueues a created job after this commits."""
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.result.get("next_job"):
        return locked.result["next_job"], False
    _check_awaiting(locked)
    following = start_next(locked)
    locked.result = {**locked.result, "next_job": following.pk}
    locked.save(update_fields=["result"])
    return following.pk, True


@transaction.atomic
def job_cancel(*, job: BackgroundJob) -> int | None:
    """The person's no; the job's data is dropped. Returns the next job's id when the yes came
    first (nothing is cancelled then); raises NotAwaiting("unfinished") for a job still running."""
    locked = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if locked.result.get("next_job"):
        return locked.result["next_job"]
    if locked.status in (Status.QUEUED, Status.RUNNING):
        raise NotAwaiting("unfinished")
    locked.result = {**locked.result, "cancelled": True, "data": {}}
    locked.save(update_fields=["result"])
    return None


@dataclass
class SweepResult:
    requeued: list[int] = field(default_factory=list)  # stuck running → queued
    handed_over: list[int] = field(default_factory=list)  # queued, to hand to a worker
    given_up: int = 0
    outputs_cleared: int = 0


def job_sweep(*, now=None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    stale_before = now - timedelta(minutes=settings.JOB_STALE_MINUTES)
    with transaction.atomic():
        stuck = list(
            BackgroundJob.objects.select_for_update(skip_locked=True).filter(
                status=Status.RUNNING, started_at__lt=stale_before
            )
        )
        for job in stuck:
            if job.attempts >= MAX_ATTEMPTS:
                with translation.override(job.language):
                    error = _("This job stopped %(n)d times before it finished; nothing was saved.") % {
                        "n": job.attempts
                    }
                _finish_failed(job.pk, error, {})
                result.given_up += 1
            else:
                BackgroundJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, enqueued_at=None)
                result.requeued.append(job.pk)
    requeue_before = now - timedelta(minutes=settings.JOB_STALE_MINUTES)
    result.handed_over = list(
        BackgroundJob.objects.filter(status=Status.QUEUED)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_before))
        .values_list("pk", flat=True)
    )
    result.outputs_cleared = (
        BackgroundJob.objects.filter(finished_at__lt=now - timedelta(hours=settings.JOB_OUTPUT_HOURS))
        .exclude(output=b"")
        .update(output=b"")
    )
    return result


def jobs_expired_delete(*, before) -> int:
    """Finished jobs are kept DELETED_HISTORY_DAYS (their messages may name people)."""
    return BackgroundJob.objects.filter(finished_at__lt=before).delete()[0]
