"""Reminders under poisoned rows and lost workers: each one ends sent, or visibly failed with
its reason (the admins told once, a Retry that works), never silently stuck or sent twice."""

import datetime as dt
import smtplib
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evaluations import services, tasks
from evaluations.models import Reminder
from evaluations.tests.factories import EvaluationReviewFactory, InitiativeFactory, ReviewScheduleFactory
from integration_hub.mail import email_subject
from integration_hub.models import Role
from integration_hub.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2031, 4, 15)
POISONED_TITLE = (
    "Noches cívicas\r\nBcc: everyone@example.org\x1b — " + "talleres de ciudadanía " * 6
)  # within the title's 200


@pytest.fixture
def schedule(organization, admin_user, editor_user):
    MembershipFactory(
        organization=organization, role=Role.ADMIN, user=UserFactory(email="second-admin@riverside.example")
    )
    initiative = InitiativeFactory(organization=organization, title="Civic nights")
    schedule = ReviewScheduleFactory(initiative=initiative, reminder_lead_days=7)
    schedule.reviewers.set([admin_user, editor_user])
    return schedule


@pytest.fixture
def review(schedule):
    return EvaluationReviewFactory(schedule=schedule, due_date=DUE)


def sweep(capture, *, today=DUE, now=None):
    with capture(execute=True):
        return tasks.sweep_and_send(today=today, now=now)


def alerts():
    return [m for m in mail.outbox if m.subject.startswith("A review reminder could not be sent")]


def reminders_to(email):
    return [m for m in mail.outbox if m.to == [email] and not m.subject.startswith("A review reminder")]


def test_subjects_are_one_line_without_control_characters_and_bounded():
    assert email_subject("Civic\r\nnights\tand\x00 more\u2028here") == "Civic nights and more here"
    long = email_subject("Review due today: " + "ciudadanía " * 40)
    assert len(long) <= 150 and long.endswith("…") and "\n" not in long
    assert email_subject("Short and fine") == "Short and fine"


def test_a_line_break_in_an_initiative_title_does_not_stop_its_reminders(
    review, schedule, django_capture_on_commit_callbacks
):
    schedule.initiative.title = POISONED_TITLE
    schedule.initiative.save()
    sweep(django_capture_on_commit_callbacks)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2 and len(mail.outbox) == 2
    subject = mail.outbox[0].subject
    assert subject.startswith("Review due today: Noches cívicas Bcc: everyone@example.org — talleres")
    assert "\n" not in subject and "\x1b" not in subject and len(subject) <= 150
    assert mail.outbox[0].message()["Bcc"] is None  # the title could not inject a header


def test_a_reminder_that_cannot_be_sent_fails_visibly_once_and_goes_out_after_the_fix_and_a_retry(
    review, editor_user, client_as, django_capture_on_commit_callbacks
):
    type(editor_user).objects.filter(pk=editor_user.pk).update(email="staff@riverside.example\nBcc: x@example.org")
    sweep(django_capture_on_commit_callbacks)
    poisoned = Reminder.objects.get(recipient=editor_user)
    assert poisoned.sent_at is None and poisoned.failed_at is not None and poisoned.attempts == 1
    assert "newlines" in poisoned.last_error  # the reason, as the mail library gave it
    assert [m.to for m in alerts()] == [["admin@riverside.example", "second-admin@riverside.example"]]
    assert "Civic nights" in alerts()[0].subject and "newlines" in alerts()[0].body
    assert "/evaluation/reminders/?state=failed" in alerts()[0].body
    assert len(reminders_to("admin@riverside.example")) == 1  # the other reviewer's went out

    # Later sweeps neither hammer it nor tell the admins again.
    for days in (0, 0, 1):
        sweep(django_capture_on_commit_callbacks, today=DUE, now=timezone.now() + dt.timedelta(days=days, hours=1))
    assert len(alerts()) == 1
    assert Reminder.objects.get(pk=poisoned.pk).attempts == 1

    admin = client_as("admin")
    page = admin.get(reverse("evaluations:reminder_log") + "?state=failed").content.decode()
    assert ">failed<" in page and "waiting for you" in page and "newlines" in page
    assert reverse("evaluations:reminder_retry", args=[poisoned.pk]) in page

    type(editor_user).objects.filter(pk=editor_user.pk).update(email="staff@riverside.example")
    assert admin.post(reverse("evaluations:reminder_retry", args=[poisoned.pk])).status_code == 302
    sweep(django_capture_on_commit_callbacks, now=timezone.now() + dt.timedelta(hours=2))
    assert Reminder.objects.get(pk=poisoned.pk).sent_at is not None
    assert len(reminders_to("staff@riverside.example")) == 1 and len(alerts()) == 1


def test_a_mail_server_refusing_the_recipient_for_good_fails_at_once_but_a_busy_one_is_retried(review, editor_user):
    reminder = Reminder.objects.create(review=review, kind="due", recipient=editor_user, period=DUE)
    busy = smtplib.SMTPRecipientsRefused({editor_user.email: (451, b"4.3.0 try again later")})
    with mock.patch.object(services, "_deliver", side_effect=busy), pytest.raises(smtplib.SMTPRecipientsRefused):
        services.reminder_send(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert reminder.failed_at is None and reminder.handed_off_at is None and reminder.attempts == 1
    assert alerts() == []

    refused = smtplib.SMTPRecipientsRefused({editor_user.email: (550, b"5.1.1 no such user")})
    with mock.patch.object(services, "_deliver", side_effect=refused):
        assert services.reminder_send(reminder_id=reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert reminder.failed_at is not None and "no such user" in reminder.last_error and reminder.attempts == 2
    assert len(alerts()) == 1


def test_the_last_allowed_attempt_marks_the_reminder_failed_and_tells_the_admins(review, editor_user):
    reminder = Reminder.objects.create(
        review=review, kind="due", recipient=editor_user, period=DUE, attempts=services.MAX_SEND_ATTEMPTS - 1
    )
    with mock.patch.object(services, "_deliver", side_effect=ConnectionError("SMTP server went away")):
        assert services.reminder_send(reminder_id=reminder.pk) == "failed"
    reminder.refresh_from_db()
    assert reminder.failed_at is not None and "went away" in reminder.last_error
    assert len(alerts()) == 1 and "went away" in alerts()[0].body


def test_a_reminder_handed_off_but_never_recorded_sent_is_not_sent_again_and_shows_as_possibly_sent(
    review, editor_user, client_as, django_capture_on_commit_callbacks, settings
):
    now = timezone.now()
    lost = Reminder.objects.create(
        review=review, kind="due", recipient=editor_user, period=DUE, attempts=1,
        enqueued_at=now - dt.timedelta(hours=1), handed_off_at=now - dt.timedelta(hours=1),
    )  # fmt: skip
    in_flight = Reminder.objects.create(
        review=review, kind="upcoming", recipient=editor_user, period=DUE - dt.timedelta(days=7), attempts=1,
        enqueued_at=now - dt.timedelta(hours=1), handed_off_at=now - dt.timedelta(seconds=30),
    )  # fmt: skip
    result = sweep(django_capture_on_commit_callbacks, now=now)
    assert result.unconfirmed == [lost.pk]
    assert lost.pk not in result.pending and in_flight.pk not in result.pending
    assert reminders_to("staff@riverside.example") == []  # neither is sent again
    lost.refresh_from_db()
    assert lost.state == "unconfirmed" and "may or may not have arrived" in lost.last_error
    assert len(alerts()) == 1 and "may or may not have arrived" in alerts()[0].body
    sweep(django_capture_on_commit_callbacks, now=now + dt.timedelta(hours=1))
    assert len(alerts()) == 2  # the in-flight one, once it is old enough; the first is not told twice
    page = client_as("admin").get(reverse("evaluations:reminder_log")).content.decode()
    assert page.count(">possibly sent<") == 2

    services.reminder_retry(reminder=lost)  # the admin asked the reviewer: it never came
    sweep(django_capture_on_commit_callbacks, now=now + dt.timedelta(hours=2))
    assert len(reminders_to("staff@riverside.example")) == 1
    assert Reminder.objects.get(pk=lost.pk).sent_at is not None


def test_send_due_reminders_says_what_is_waiting_and_when_it_will_be_retried(review, editor_user, settings):
    now = timezone.now()
    Reminder.objects.create(
        review=review, kind="due", recipient=editor_user, period=DUE, enqueued_at=now - dt.timedelta(minutes=5)
    )
    out = StringIO()
    call_command("send_due_reminders", stdout=out)
    text = out.getvalue()
    assert "Nothing was due" not in text
    retry_at = timezone.localtime(
        now - dt.timedelta(minutes=5) + dt.timedelta(minutes=settings.REMINDER_REQUEUE_MINUTES)
    )
    assert "1 reminder waiting" in text and "staff@riverside.example" in text
    assert f"handed over again at {retry_at:%Y-%m-%d %H:%M}" in text


def test_a_hand_off_on_the_last_attempt_is_still_reconciled(review, editor_user, django_capture_on_commit_callbacks):
    handed = timezone.now() - dt.timedelta(hours=1)
    lost = Reminder.objects.create(
        review=review, kind="due", recipient=editor_user, period=DUE, attempts=services.MAX_SEND_ATTEMPTS,
        enqueued_at=handed, handed_off_at=handed,
    )  # fmt: skip
    assert sweep(django_capture_on_commit_callbacks).unconfirmed == [lost.pk]
    assert Reminder.objects.get(pk=lost.pk).state == "unconfirmed" and len(alerts()) == 1
