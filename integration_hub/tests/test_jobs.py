"""Background jobs (integration_hub/jobs.py): claimed once, run with their writes in one
transaction, stuck ones queued again by the sweep, files gone when the job ends and with the
organisation's erasure; job pages are scoped to the organisation and the kind's role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integration_hub import jobs, services, tasks
from integration_hub.models import BackgroundJob, ErasureRequest
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

Status = BackgroundJob.Status
GOOD = b"name,affiliation\nHelen Park,Dayton Metro Library\nLinda Yost,Heritage Savings Bank\n"


def _job(organization, user=None, upload=GOOD, **fields):
    return BackgroundJob.objects.create(
        organization=organization, kind="stakeholders.import", created_by=user, upload=upload, **fields
    )


def test_a_job_runs_once_however_often_it_is_delivered(organization, editor_user):
    job = _job(organization, editor_user)
    assert jobs.job_run(job.pk) == "done"
    assert jobs.job_run(job.pk) == "skipped"  # a second delivery
    job.refresh_from_db()
    assert job.status == Status.DONE and job.attempts == 1
    assert bytes(job.upload) == b""  # the uploaded file is gone once the job ends
    assert "2 stakeholders were imported." in job.result["summary"]
    assert Stakeholder.objects.for_organization(organization).count() == 2


def test_a_claimed_job_is_not_claimed_again(organization, editor_user):
    job = _job(organization, editor_user)
    assert jobs.job_claim(job.pk) is not None
    assert jobs.job_claim(job.pk) is None
    assert jobs.job_run(job.pk) == "skipped"
    assert not Stakeholder.objects.exists()


def test_a_refused_file_keeps_its_errors_and_imports_nothing(organization, editor_user):
    job = _job(organization, editor_user, upload=b"name,email\nHelen Park,hp@x.example\nTom,not-an-email\n")
    assert jobs.job_run(job.pk) == "refused"
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == "Nothing was imported."
    assert job.result["errors"] == ["line 3: “not-an-email” is not an email address."]
    assert bytes(job.upload) == b""
    assert not Stakeholder.objects.exists()


def test_a_crash_mid_run_rolls_back_every_row(organization, editor_user, monkeypatch):
    from stakeholders import services as stakeholder_services

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stakeholder_services.StanceChange.objects, "bulk_create", boom)
    job = _job(organization, editor_user)
    assert jobs.job_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == Status.FAILED and "nothing was saved" in job.error
    assert not Stakeholder.objects.exists()


def test_the_sweep_queues_a_stuck_job_again_and_it_then_runs_once(organization, editor_user, settings):
    job = _job(organization, editor_user)
    jobs.job_claim(job.pk)  # then the worker is killed: the row stays "running"
    assert jobs.job_sweep().requeued == []  # not stuck yet
    later = timezone.now() + timedelta(minutes=settings.JOB_STALE_MINUTES + 1)
    result = jobs.job_sweep(now=later)
    assert result.requeued == [job.pk] and result.handed_over == [job.pk]
    assert jobs.job_run(job.pk) == "done"
    assert Stakeholder.objects.count() == 2
    assert jobs.job_sweep(now=later).requeued == []


def test_a_job_that_keeps_dying_fails_with_a_message(organization, editor_user, settings):
    job = _job(organization, editor_user, attempts=jobs.MAX_ATTEMPTS - 1)
    jobs.job_claim(job.pk)
    jobs.job_sweep(now=timezone.now() + timedelta(minutes=settings.JOB_STALE_MINUTES + 1))
    job.refresh_from_db()
    assert job.status == Status.FAILED and "stopped 3 times" in job.error


def test_the_beat_task_hands_over_a_job_the_broker_never_got(organization, editor_user):
    job = _job(organization, editor_user)  # queued, never enqueued (broker was down)
    assert tasks.job_sweep()["handed_over"] == 1
    job.refresh_from_db()
    assert job.status == Status.DONE


def test_made_files_are_cleared_a_day_after_and_old_jobs_purged(organization, editor_user):
    job = _job(organization, editor_user, status=Status.DONE, output=b"a,b\n", finished_at=timezone.now())
    assert jobs.job_sweep().outputs_cleared == 0
    assert jobs.job_sweep(now=timezone.now() + timedelta(hours=25)).outputs_cleared == 1
    job.refresh_from_db()
    assert bytes(job.output) == b""
    counts = services.personal_data_purge(now=timezone.now() + timedelta(days=31))
    assert counts["integration_hub.BackgroundJob"] == 1


def test_erasure_deletes_the_jobs_and_their_files(organization, other_organization, editor_user):
    _job(organization, editor_user)
    kept = _job(other_organization)
    ErasureRequest.objects.create(
        organization=organization, organization_name=organization.name, scheduled_for=timezone.now()
    )
    services.erasure_run_due(now=timezone.now() + timedelta(seconds=1))
    assert list(BackgroundJob.objects.values_list("pk", flat=True)) == [kept.pk]


def test_job_pages_are_the_organisations_and_the_kinds_role(client_as, organization, other_organization):
    mine = _job(organization, status=Status.DONE, result={"summary": "Imported 2."})
    theirs = _job(other_organization)
    editor = client_as("editor")
    assert editor.get(reverse("job_detail", args=[mine.pk])).status_code == 200
    assert editor.get(reverse("job_detail", args=[theirs.pk])).status_code == 404
    assert editor.get(reverse("job_status", args=[theirs.pk])).status_code == 404
    assert client_as("board").get(reverse("job_detail", args=[mine.pk])).status_code == 403
    status = editor.get(reverse("job_status", args=[mine.pk])).json()
    assert status["finished"] is True and status["status"] == "done"


# --- a job that waits for the person's choice (the XLSForm preview is the step that uses it) -------


def _waiting(organization, **result):
    return BackgroundJob.objects.create(
        organization=organization,
        kind="stakeholders.import",
        status=Status.DONE,
        finished_at=timezone.now(),
        result={"summary": "2 rows can be imported.", "confirm_url": "/somewhere/", "data": {"rows": 2}, **result},
    )


def test_a_confirmed_job_starts_its_next_job_once(organization, editor_user):
    job = _waiting(organization)
    assert jobs.job_awaits_choice(job)
    started = []

    def start_next(locked):
        assert locked.result["data"] == {"rows": 2}  # what the next step needs is handed over
        started.append(_job(organization, editor_user))
        return started[-1]

    first = jobs.job_confirm(job=job, start_next=start_next)
    again = jobs.job_confirm(job=job, start_next=start_next)
    assert first == (started[0].pk, True) and again == (started[0].pk, False) and len(started) == 1
    job.refresh_from_db()
    assert not jobs.job_awaits_choice(job)
    assert jobs.job_cancel(job=job) == started[0].pk  # the yes came first: nothing is cancelled
    assert "cancelled" not in job.result


def test_a_cancelled_old_or_unfinished_job_cannot_be_confirmed(organization, editor_user):
    def never(locked):
        raise AssertionError("no next job may start")

    cancelled = _waiting(organization)
    assert jobs.job_cancel(job=cancelled) is None
    cancelled.refresh_from_db()
    assert cancelled.result["cancelled"] and cancelled.result["data"] == {}
    old = _waiting(organization)
    BackgroundJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    running = _job(organization, editor_user, status=Status.RUNNING)
    plain = BackgroundJob.objects.create(organization=organization, kind="stakeholders.import", status=Status.DONE)
    for job, reason in ((cancelled, "cancelled"), (old, "expired"), (running, "unfinished"), (plain, "failed")):
        job.refresh_from_db()
        assert not jobs.job_awaits_choice(job)
        with pytest.raises(jobs.NotAwaiting) as refused:
            jobs.job_confirm(job=job, start_next=never)
        assert refused.value.reason == reason
    with pytest.raises(jobs.NotAwaiting):
        jobs.job_cancel(job=running)
