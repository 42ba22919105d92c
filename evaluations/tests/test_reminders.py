"""Reminders: timing, exactly-once sending, failures, outages and concurrency.

Each reliability test fails if its mechanism is removed: the unique Reminder
row (sweep twice), the claim with skip_locked (two sweeps at once), pending
rows re-enqueued by the next sweep (failed send, broker down).
"""

import datetime as dt
import threading
import time
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from evaluations import services, tasks
from evaluations.models import Reminder
from evaluations.tests.factories import EvaluationReviewFactory, ReviewScheduleFactory
from integration_hub.models import Membership, Role
from integration_hub.tests.factories import MembershipFactory

DUE = dt.date(2025, 4, 15)


@pytest.fixture
def schedule(organization, admin_user, editor_user):
    schedule = ReviewScheduleFactory(organization=organization, reminder_lead_days=7)
    schedule.reviewers.set([admin_user, editor_user])
    return schedule


@pytest.fixture
def review(schedule):
    return EvaluationReviewFactory(schedule=schedule, due_date=DUE)


def sweep(capture, today, **kwargs):
    """The sweep as beat runs it (sending), or with the dispatcher given."""
    with capture(execute=True):
        if "dispatch" in kwargs:
            return services.reminder_sweep(today=today, **kwargs)
        return tasks.sweep_and_send(today=today, **kwargs)


# --- when -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - dt.timedelta(days=8), None),
        (DUE - dt.timedelta(days=7), ("upcoming", DUE - dt.timedelta(days=7))),
        (DUE - dt.timedelta(days=3), ("upcoming", DUE - dt.timedelta(days=7))),  # a missed day is caught up
        (DUE, ("due", DUE)),
        (DUE + dt.timedelta(days=1), ("overdue", DUE + dt.timedelta(days=1))),
        (DUE + dt.timedelta(days=7), ("overdue", DUE + dt.timedelta(days=1))),
        (DUE + dt.timedelta(days=8), ("overdue", DUE + dt.timedelta(days=8))),
        (DUE + dt.timedelta(days=15), ("overdue", DUE + dt.timedelta(days=15))),
    ],
)
def test_reminder_kind_and_period_follow_the_due_date(today, expected):
    assert services.reminder_for(due_date=DUE, lead_days=7, today=today) == expected


def test_no_upcoming_reminder_when_lead_time_is_zero():
    assert services.reminder_for(due_date=DUE, lead_days=0, today=DUE - dt.timedelta(days=1)) is None


def test_each_reviewer_gets_an_upcoming_reminder_with_a_link(review, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://hub.example.org"
    sweep(django_capture_on_commit_callbacks, DUE - dt.timedelta(days=7))
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@riverside.example", "staff@riverside.example"]
    message = mail.outbox[0]
    link = f"https://hub.example.org/evaluation/reviews/{review.pk}/"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and link in html
    assert "coming up" in message.subject.lower()
    assert Reminder.objects.filter(sent_at__isnull=False, kind="upcoming").count() == 2


def test_overdue_reminders_repeat_weekly_and_not_daily(review, django_capture_on_commit_callbacks):
    for offset in range(1, 16):  # a sweep every day for two weeks after the due date
        sweep(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=offset))
    periods = sorted(set(Reminder.objects.filter(kind="overdue").values_list("period", flat=True)))
    assert periods == [DUE + dt.timedelta(days=d) for d in (1, 8, 15)]
    assert len(mail.outbox) == 3 * 2


def test_a_held_review_gets_no_reminder(review, django_capture_on_commit_callbacks):
    review.held_on = DUE - dt.timedelta(days=1)
    review.save()
    sweep(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=1))
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_reviewer_who_opted_out_gets_no_reminder(review, editor_user, django_capture_on_commit_callbacks):
    editor_user.reminder_emails = False
    editor_user.save()
    sweep(django_capture_on_commit_callbacks, DUE)
    assert [m.to[0] for m in mail.outbox] == ["admin@riverside.example"]


def test_opting_out_after_the_row_was_written_still_stops_the_email(review, editor_user):
    reminder = Reminder.objects.create(review=review, kind="due", recipient=editor_user, period=DUE)
    editor_user.reminder_emails = False
    editor_user.save()
    assert services.reminder_send(reminder_id=reminder.pk) == "skipped"
    reminder.refresh_from_db()
    assert mail.outbox == [] and reminder.skipped_at and "turned reminder emails off" in reminder.last_error


def test_a_reviewer_who_left_the_organisation_gets_no_reminder(
    review, editor_user, organization, django_capture_on_commit_callbacks
):
    Membership.objects.filter(user=editor_user, organization=organization).delete()
    MembershipFactory(user=editor_user, role=Role.ADMIN)  # still a member elsewhere
    sweep(django_capture_on_commit_callbacks, DUE)
    assert [m.to[0] for m in mail.outbox] == ["admin@riverside.example"]


# --- exactly once -----------------------------------------------------------


def test_sweeping_twice_sends_each_reminder_once(review, django_capture_on_commit_callbacks):
    assert sweep(django_capture_on_commit_callbacks, DUE).created == 2
    assert sweep(django_capture_on_commit_callbacks, DUE).created == 0  # already recorded: nothing built
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_each_reminder_has_its_own_stable_message_id(review, editor_user, admin_user, settings):
    settings.SITE_URL = "https://hub.example.org"
    first = Reminder.objects.create(review=review, kind="due", recipient=editor_user, period=DUE)
    second = Reminder.objects.create(review=review, kind="due", recipient=admin_user, period=DUE)
    services.reminder_send(reminder_id=first.pk)
    services.reminder_send(reminder_id=second.pk)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids == [f"<reminder-{first.pk}@hub.example.org>", f"<reminder-{second.pk}@hub.example.org>"]
    assert mail.outbox[0].message()["Message-ID"] == ids[0]  # the header really goes out


def test_a_second_send_task_for_the_same_row_does_nothing(review, editor_user):
    reminder = Reminder.objects.create(review=review, kind="due", recipient=editor_user, period=DUE)
    assert services.reminder_send(reminder_id=reminder.pk) == "sent"
    assert services.reminder_send(reminder_id=reminder.pk) == "not claimed"
    assert len(mail.outbox) == 1


def test_a_send_that_fails_mid_batch_is_retried_and_every_reminder_goes_out_once(
    organization, django_capture_on_commit_callbacks
):
    schedule = ReviewScheduleFactory(organization=organization)
    people = [MembershipFactory(organization=organization).user for _ in range(3)]
    schedule.reviewers.set(people)
    EvaluationReviewFactory(schedule=schedule, due_date=DUE)
    real_deliver = services._deliver
    unlucky = people[1].pk

    def flaky(reminder, *message_and_connection):
        if reminder.recipient_id == unlucky:
            raise ConnectionError("SMTP server went away")
        real_deliver(reminder, *message_and_connection)

    now = timezone.now()
    with mock.patch.object(services, "_deliver", side_effect=flaky):
        sweep(django_capture_on_commit_callbacks, DUE, now=now)
    failed = Reminder.objects.get(recipient_id=unlucky)
    assert failed.sent_at is None
    assert failed.attempts >= 1  # eager mode stops at the first Retry; a worker retries with backoff
    assert "SMTP server went away" in failed.last_error
    assert len(mail.outbox) == 2

    # The mail server is back; the next sweep soon after does not pile on,
    sweep(django_capture_on_commit_callbacks, DUE, now=now + dt.timedelta(minutes=5))
    assert len(mail.outbox) == 2
    # and once the task's own retries are surely over, a sweep sends the rest.
    sweep(
        django_capture_on_commit_callbacks, DUE, now=now + dt.timedelta(minutes=settings.REMINDER_REQUEUE_MINUTES + 1)
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


def test_a_sweep_while_the_broker_is_down_fails_cleanly_and_the_next_one_sends_everything(
    review, django_capture_on_commit_callbacks
):
    from evaluations.tasks import send_reminder

    with mock.patch.object(send_reminder, "delay", side_effect=OperationalError("Connection refused")):
        result = sweep(django_capture_on_commit_callbacks, DUE)
    assert result.enqueue_failed and result.enqueued == 0
    assert mail.outbox == []
    assert Reminder.objects.filter(sent_at__isnull=True, enqueued_at__isnull=True).count() == 2

    result = sweep(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=1))
    # The due-day reminders were not lost: they go out, together with the first overdue ones.
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        ("admin@riverside.example", "Review due today"),
        ("admin@riverside.example", "Review overdue since 2025-04-15"),
        ("staff@riverside.example", "Review due today"),
        ("staff@riverside.example", "Review overdue since 2025-04-15"),
    ]


def test_failed_reminders_stop_being_retried_after_the_limit_until_an_admin_retries(
    review, editor_user, django_capture_on_commit_callbacks
):
    reminder = Reminder.objects.create(
        review=review,
        kind="due",
        recipient=editor_user,
        period=DUE,
        attempts=services.MAX_SEND_ATTEMPTS,
        last_error="x",
    )
    result = sweep(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=30), dispatch=lambda ids, r: None)
    assert reminder.pk not in result.pending
    services.reminder_retry(reminder=reminder)
    result = sweep(django_capture_on_commit_callbacks, DUE + dt.timedelta(days=30), dispatch=lambda ids, r: None)
    assert reminder.pk in result.pending


def test_sweep_query_count_does_not_grow_with_reviews_that_are_not_due(schedule, organization):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            services.reminder_sweep(today=DUE, dispatch=lambda ids, r: None)
        return len(queries)

    EvaluationReviewFactory(schedule=schedule, due_date=DUE)
    first = count_queries()  # records the due review's reminders
    few = count_queries()  # a repeated sweep finds them recorded and inserts nothing
    assert few == first - 1
    for day in range(60):  # not due yet, and already held
        EvaluationReviewFactory(schedule=schedule, due_date=DUE + dt.timedelta(days=30 + day))
        EvaluationReviewFactory(schedule=schedule, due_date=DUE - dt.timedelta(days=30 + day), held_on=DUE)
    assert count_queries() == few
    assert few <= 6


def test_the_sweep_reads_only_open_reviews_whose_reminder_window_has_opened(schedule, django_assert_max_num_queries):
    due_now = EvaluationReviewFactory(schedule=schedule, due_date=DUE)
    later = EvaluationReviewFactory(schedule=schedule, due_date=DUE + dt.timedelta(days=60))
    with CaptureQueriesContext(connection) as queries:
        services.reminder_sweep(today=DUE, dispatch=lambda ids, r: None)
    review_query = next(q["sql"] for q in queries if 'FROM "evaluations_evaluationreview"' in q["sql"])
    assert '"remind_from" <=' in review_query and '"held_on" IS NULL' in review_query
    assert set(Reminder.objects.values_list("review_id", flat=True)) == {due_now.pk}
    assert later.pk


# --- the command ------------------------------------------------------------


def test_send_due_reminders_prints_what_it_sent_and_a_second_run_sends_nothing(review):
    first, second = StringIO(), StringIO()
    midday = dt.datetime.combine(DUE, dt.time(16), tzinfo=dt.UTC)  # the due date in New York too
    with mock.patch("django.utils.timezone.now", return_value=midday):
        call_command("send_due_reminders", stdout=first)
        call_command("send_due_reminders", stdout=second)
    assert "sent due" in first.getvalue() and "staff@riverside.example" in first.getvalue()
    assert "2 reminders sent" in first.getvalue()
    assert "0 reminders sent" in second.getvalue()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("time_zone", "kind"),
    [
        ("Pacific/Honolulu", "upcoming"),  # 03:00 UTC on the due date is still the day before there
        ("America/New_York", "upcoming"),
        ("UTC", "due"),
    ],
)
def test_reminders_fall_due_by_the_date_in_the_organisations_time_zone(review, organization, time_zone, kind):
    organization.time_zone = time_zone
    organization.save()
    early = dt.datetime.combine(DUE, dt.time(3), tzinfo=dt.UTC)
    services.reminder_sweep(now=early, dispatch=lambda ids, r: None)
    assert set(Reminder.objects.values_list("kind", flat=True)) == {kind}


def test_a_reminder_due_tomorrow_in_utc_is_not_sent_early_where_it_is_still_today(review, organization):
    organization.time_zone = "America/Los_Angeles"
    organization.save()
    # 23:30 on the day before in Los Angeles (UTC−7 in April); already the due date in UTC.
    evening = dt.datetime.combine(DUE, dt.time(6, 30), tzinfo=dt.UTC)
    services.reminder_sweep(now=evening, dispatch=lambda ids, r: None)
    assert not Reminder.objects.filter(kind="due").exists()
    services.reminder_sweep(now=evening + dt.timedelta(hours=1), dispatch=lambda ids, r: None)
    assert Reminder.objects.filter(kind="due", period=DUE).count() == 2


# --- PostgreSQL: two sweeps at the same time ----------------------------------


@pytest.mark.postgres
def test_two_sweeps_at_once_send_each_reminder_once(transactional_db, organization):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    schedule = ReviewScheduleFactory(organization=organization)
    people = [MembershipFactory(organization=organization).user for _ in range(4)]
    schedule.reviewers.set(people)
    for offset in range(3):
        EvaluationReviewFactory(schedule=schedule, due_date=DUE - dt.timedelta(days=offset * 30))
    real_deliver = services._deliver

    def slow(reminder, *message_and_connection):
        time.sleep(0.05)  # widen the window in which both workers hold the same ids
        real_deliver(reminder, *message_and_connection)

    barrier, errors = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            tasks.sweep_and_send(today=DUE)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(services, "_deliver", side_effect=slow):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert Reminder.objects.count() == 3 * 4
    assert len(mail.outbox) == 3 * 4
    assert len({(tuple(m.to), m.subject) for m in mail.outbox}) == 3 * 4


# --- a real worker on the real Redis -----------------------------------------


@pytest.mark.real_services
def test_a_real_worker_delivers_reminders_through_redis(transactional_db, settings, organization, editor_user):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (a real Redis broker)")
    from celery.contrib.testing.worker import start_worker

    from integration_hub.celery import app

    schedule = ReviewScheduleFactory(organization=organization)
    schedule.reviewers.set([editor_user])
    review = EvaluationReviewFactory(schedule=schedule, due_date=DUE)
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = tasks.sweep_and_send(today=DUE)
        assert result.enqueued == 1 and not result.enqueue_failed
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not Reminder.objects.filter(sent_at__isnull=False).exists():
            time.sleep(0.2)
    reminder = Reminder.objects.get(review=review)
    assert reminder.sent_at is not None
    assert [m.to[0] for m in mail.outbox] == ["staff@riverside.example"]


def test_a_reminder_goes_out_in_the_sites_language_whatever_the_thread_was_doing(review, editor_user):
    from django.utils import translation

    reminder = Reminder.objects.create(review=review, kind="due", recipient=editor_user, period=DUE)
    translation.activate("es")  # e.g. left behind by a Spanish page served in this thread
    try:
        services.reminder_send(reminder_id=reminder.pk)
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert mail.outbox[0].subject.startswith("Review due today:")
