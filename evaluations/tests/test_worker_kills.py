"""A real Celery worker killed (SIGKILL) at each step of sending a reminder, then the next
sweep and a fresh worker: the outcome README's "Reminders" promises, step by step.

The worker runs in its own process on the test database and Redis, writes its emails to
files (the SMTP sink here), and is parked at a named step by the test-only
IH_REMINDER_PAUSE_AT hook (evaluations/services.py) so the kill lands exactly there.
"""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from evaluations import services, tasks
from evaluations.models import Reminder
from evaluations.tasks import send_reminder
from evaluations.tests.factories import EvaluationReviewFactory, ReviewScheduleFactory

pytestmark = [
    pytest.mark.real_services,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis broker)"),
]

DUE = dt.date(2031, 4, 15)
ROOT = Path(__file__).resolve().parents[2]


class Workers:
    def __init__(self, directory: Path):
        self.directory, self.queue, self.processes = directory, f"kill-test-{uuid.uuid4().hex[:8]}", []
        self.mailbox = directory / "mail"
        self.mailbox.mkdir()
        self.flag = directory / "parked"

    def start(self, *, pause_at: str = "") -> subprocess.Popen:
        db = connection.settings_dict
        env = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": f"filemail:///{self.mailbox}",
            "SITE_URL": settings.SITE_URL,
            "IH_REMINDER_PAUSE_AT": pause_at,
            "IH_REMINDER_PAUSE_FILE": str(self.flag),
        }
        command = [sys.executable, "-m", "celery", "-A", "integration_hub", "worker", "--pool=solo", "-Q", self.queue]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
        self.log = self.directory / f"worker-{len(self.processes)}.log"
        with open(self.log, "w") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def enqueue(self):
        """The sweep's own enqueueing, onto this test's queue."""
        return mock.patch.object(send_reminder, "delay", lambda pk: send_reminder.apply_async((pk,), queue=self.queue))

    def wait_until_parked(self, process) -> None:
        deadline = time.monotonic() + 180  # a worker starting on a busy 2-core machine
        while not self.flag.exists():
            assert process.poll() is None, f"the worker died before its step: {self.log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"the worker never reached its step: {self.log.read_text()[-2000:]}"
            time.sleep(0.1)

    def sent_copies(self, reminder_id: int) -> int:
        header = re.compile(rf"^Message-ID: <reminder-{reminder_id}@", re.M)
        return sum(len(header.findall(path.read_text())) for path in self.mailbox.iterdir())

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def workers(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database on PostgreSQL")
    from integration_hub.celery import app

    app.conf.task_always_eager = False
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()


@pytest.fixture
def reminder_due(organization, admin_user, editor_user):
    schedule = ReviewScheduleFactory(organization=organization, reminder_lead_days=7)
    schedule.reviewers.set([editor_user])
    EvaluationReviewFactory(schedule=schedule, due_date=DUE)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def unlocked(reminder_id: int) -> bool:
    """The dead worker's transaction is gone (PostgreSQL rolled it back) once the row is free."""
    with transaction.atomic():
        return Reminder.objects.select_for_update(skip_locked=True).filter(pk=reminder_id).exists()


def kill_at(workers: Workers, step: str) -> Reminder:
    parked = workers.start(pause_at=step)
    with workers.enqueue():
        result = tasks.sweep_and_send(today=DUE)
    assert result.enqueued == 1
    workers.wait_until_parked(parked)
    parked.kill()  # SIGKILL: no cleanup, no ack
    parked.wait(30)
    reminder = Reminder.objects.get()
    wait_for(lambda: unlocked(reminder.pk), "PostgreSQL to notice the dead worker")
    return reminder


def next_sweep(workers: Workers) -> services.SweepResult:
    """The sweep once the dead worker's task is surely over (REMINDER_REQUEUE_MINUTES later)."""
    later = timezone.now() + dt.timedelta(minutes=settings.REMINDER_REQUEUE_MINUTES + 1)
    with workers.enqueue():
        return tasks.sweep_and_send(today=DUE, now=later)


@pytest.mark.parametrize("step", ["before-claim", "claimed"])
def test_a_worker_killed_before_the_hand_off_leaves_the_reminder_to_be_sent_once_by_the_next_sweep(
    workers, reminder_due, step
):
    reminder = kill_at(workers, step)
    reminder.refresh_from_db()
    assert reminder.handed_off_at is None and reminder.sent_at is None  # the claim died with its worker
    assert workers.sent_copies(reminder.pk) == 0

    workers.start()
    soon = services.reminder_sweep(today=DUE, dispatch=lambda ids, result: None)
    assert soon.pending == []  # not piled on while its task may still be running
    assert next_sweep(workers).pending == [reminder.pk]
    wait_for(lambda: Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=False).exists(), "the resend")
    assert workers.sent_copies(reminder.pk) == 1
    assert mail.outbox == []  # nothing failed, nobody alerted


def test_a_worker_killed_after_the_mail_server_took_the_reminder_does_not_make_it_go_twice(workers, reminder_due):
    reminder = kill_at(workers, "smtp")
    assert workers.sent_copies(reminder.pk) == 1
    workers.start()
    result = next_sweep(workers)
    assert result.pending == [] and result.unconfirmed == [reminder.pk]
    reminder.refresh_from_db()
    assert reminder.state == "unconfirmed" and reminder.failed_at is not None
    # The admins hear of it once, and a further sweep changes nothing.
    assert [m.to for m in mail.outbox] == [["admin@riverside.example"]]
    assert next_sweep(workers).unconfirmed == []
    assert len(mail.outbox) == 1
    assert workers.sent_copies(reminder.pk) == 1


def test_a_worker_killed_after_recording_the_send_leaves_nothing_to_do(workers, reminder_due):
    reminder = kill_at(workers, "stamped")
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.failed_at is None
    workers.start()
    result = next_sweep(workers)
    assert result.pending == [] and result.unconfirmed == []
    assert workers.sent_copies(reminder.pk) == 1 and mail.outbox == []
