"""Writes for step 4: measurements, review schedules, holding reviews, reminders.

Reminders are never sent twice by construction, and never lost silently:
1. `reminder_sweep` writes one Reminder row per (review, kind, recipient,
   period) with bulk_create(ignore_conflicts=True) under a unique constraint,
   so two sweeps — one after the other or at the same time — write one row.
2. After the transaction commits it enqueues one send task per *pending* row,
   including rows left over from earlier sweeps (broker down, worker killed).
3. `reminder_send` claims the row with select_for_update(skip_locked=True),
   re-checks that it is still wanted, builds the email, connects to the mail
   server, and commits `handed_off_at`; only then sends, then stamps sent_at.
   A second task for the same row finds it locked, handed off or sent.
4. A reminder that cannot be sent (a permanent error, or its attempts used up)
   ends with `failed_at` and the reason, and the organisation's admins get an
   email, once; a Retry in the reminder log sends it again.
The one window left is a worker dying between the hand-off and sent_at: the
mail server may or may not have the message. The next sweep (after
REMINDER_REQUEUE_MINUTES) marks it "possibly sent" — failed, with that reason,
admins told — and does not send it again by itself.
"""

import contextlib
import logging
import os
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from evaluations import selectors
from evaluations.forms import parse_measurements
from evaluations.models import (
    CalendarFeed,
    EvaluationReview,
    Indicator,
    Measurement,
    Reminder,
    ReviewSchedule,
    SharedIndicator,
    SharedIndicatorVersion,
)
from initiatives.models import Initiative
from integration_hub import invalidation, jobs
from integration_hub.mail import email_subject, site_host, unsubscribe_link
from integration_hub.models import Membership, Role
from integration_hub.timezones import local_date

logger = logging.getLogger(__name__)

REVIEWS_AHEAD = 4
# After this many failed attempts a reminder shows as failed in the log and
# waits for an admin to retry it, instead of hammering a broken mail server.
MAX_SEND_ATTEMPTS = 25
SWEEP_BATCH = 2000
# Test-only, off unless set: park a worker at a named step of reminder_send (before-claim,
# claimed, smtp, stamped) so a test can kill it exactly there (evaluations/tests/test_worker_kills.py).
_PAUSE_AT = os.environ.get("IH_REMINDER_PAUSE_AT", "")


def _step(name: str) -> None:
    if name == _PAUSE_AT:
        with open(os.environ["IH_REMINDER_PAUSE_FILE"], "w") as flag:
            flag.write(name)
        time.sleep(3600)


# --- measurements -----------------------------------------------------------


@transaction.atomic
def measurement_create(*, indicator: Indicator, date: date, value: Decimal, note: str = "", entered_by) -> Measurement:
    return Measurement.objects.create(indicator=indicator, date=date, value=value, note=note, entered_by=entered_by)


@transaction.atomic
def measurements_record(*, rows: Iterable[tuple[Indicator, date, Decimal, str]], entered_by) -> list[Measurement]:
    """Store several measurements at once (quick entry, CSV import): all or nothing.
    bulk_create sends no signals, so the board dashboard's cache is told here."""
    saved = Measurement.objects.bulk_create(
        [Measurement(indicator=i, date=d, value=v, note=n, entered_by=entered_by) for i, d, v, n in rows]
    )
    invalidation.rows_written(saved)
    return saved


@transaction.atomic
def measurements_import(
    *, rows: Iterable[tuple[Indicator, date, Decimal, str | None]], entered_by
) -> tuple[int, int, int]:
    """Store imported values, all or nothing: a value for an indicator and date already stored
    updates it (the same file imported twice doubles nothing); the rest are added. A note of
    None (the file has no note column) keeps the stored note. Returns (added, updated, unchanged)."""
    rows = list(rows)
    stored: dict[tuple[int, date], Measurement] = {}
    indicator_ids = {indicator.pk for indicator, *_rest in rows}
    for measurement in Measurement.objects.select_for_update().filter(indicator_id__in=indicator_ids).order_by("pk"):
        stored[(measurement.indicator_id, measurement.date)] = measurement  # the latest of a day, if several
    new: list[Measurement] = []
    changed: list[Measurement] = []
    for indicator, day, value, note in rows:
        found = stored.get((indicator.pk, day))
        if found is None:
            new.append(Measurement(indicator=indicator, date=day, value=value, note=note or "", entered_by=entered_by))
        elif found.value != value or (note is not None and found.note != note):
            found.value, found.note = value, found.note if note is None else note
            found.save(update_fields=["value", "note"])  # one by one: History records each change
            changed.append(found)
    Measurement.objects.bulk_create(new)
    invalidation.rows_written(new)  # bulk_create sends no signals
    return len(new), len(changed), len(rows) - len(new) - len(changed)


MEASUREMENT_IMPORT_JOB = "evaluations.measurement_import"
MAX_REPORTED_ERRORS = 200


def _imported_summary(added: int, updated: int, unchanged: int, ignored: list[str]) -> str:
    counts = [
        ngettext("%(n)s measurement was added.", "%(n)s measurements were added.", added) % {"n": added},
        ngettext("%(n)s was updated.", "%(n)s were updated.", updated) % {"n": updated},
    ]
    if unchanged:
        counts.append(
            ngettext(
                "%(n)s was already stored with the same value.",
                "%(n)s were already stored with the same values.",
                unchanged,
            )
            % {"n": unchanged}
        )
    if ignored:
        counts.append(_("Columns ignored: %(names)s.") % {"names": ", ".join(f"“{c}”" for c in ignored)})
    return " ".join(counts)


def measurements_import_job(job, progress) -> jobs.JobOutcome:
    """The background job's run: every line checked, then all stored in the job's transaction, or
    nothing (JobRefused names each bad line)."""
    initiative = Initiative.objects.for_organization(job.organization).get(pk=job.params["initiative"])
    indicators = list(Indicator.objects.filter(initiative=initiative))
    text = bytes(job.upload).decode("utf-8-sig")
    rows, errors, ignored = parse_measurements(text, indicators, progress)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > len(shown):
            more = len(errors) - len(shown)
            shown.append(ngettext("…and %(n)d more problem.", "…and %(n)d more problems.", more) % {"n": more})
        raise jobs.JobRefused(shown, retry_url=reverse("evaluations:measurement_import", args=[initiative.pk]))
    added, updated, unchanged = measurements_import(rows=rows, entered_by=job.created_by)
    progress(len(rows), len(rows))
    return jobs.JobOutcome(
        summary=_imported_summary(added, updated, unchanged, ignored),
        link_url=reverse("evaluations:initiative_detail", args=[initiative.pk]),
        link_label=_("Back to %(title)s") % {"title": initiative.title},
    )


# --- schedules and reviews --------------------------------------------------


def review_due_dates(schedule: ReviewSchedule) -> Iterable[date]:
    """Every due date of the schedule, counted from the start date each time so
    month ends do not drift (31 Jan → 29 Feb → 31 Mar, not 29 Mar)."""
    step = 0
    while True:
        offset = (
            relativedelta(weeks=schedule.every * step)
            if schedule.period == ReviewSchedule.Period.WEEKS
            else relativedelta(months=schedule.every * step)
        )
        yield schedule.start_date + offset
        step += 1


@transaction.atomic
def schedule_generate_reviews(*, schedule: ReviewSchedule, today: date, ahead: int = REVIEWS_AHEAD) -> int:
    """Create reviews so the schedule has `ahead` open ones due today or later.

    Dates already generated, and dates in the past, are not created again.
    Returns how many were created.
    """
    existing = list(schedule.reviews.values_list("due_date", "held_on"))
    last = max((due for due, _ in existing), default=None)
    waiting = sum(1 for due, held in existing if held is None and due >= today)
    lead = timedelta(days=schedule.reminder_lead_days)
    new: list[EvaluationReview] = []
    for due in review_due_dates(schedule):
        if waiting + len(new) >= ahead:
            break
        if due < today or (last is not None and due <= last):
            continue
        new.append(
            EvaluationReview(
                initiative_id=schedule.initiative_id, schedule=schedule, due_date=due, remind_from=due - lead
            )
        )
    EvaluationReview.objects.bulk_create(new, ignore_conflicts=True)
    invalidation.rows_written(new)  # bulk_create sends no signals
    return len(new)


def schedules_top_up(*, today: date) -> int:
    """Daily: give every schedule that has fewer than REVIEWS_AHEAD open reviews ahead its next
    ones, so a schedule whose reviews are never held still keeps reminding. Returns reviews created."""
    short = ReviewSchedule.objects.annotate(
        ahead=Count("reviews", filter=Q(reviews__held_on__isnull=True, reviews__due_date__gte=today))
    ).filter(ahead__lt=REVIEWS_AHEAD)
    return sum(schedule_generate_reviews(schedule=schedule, today=today) for schedule in short.iterator())


@transaction.atomic
def schedule_save(
    *,
    initiative: Initiative,
    every: int,
    period: str,
    start_date: date,
    reminder_lead_days: int,
    reviewers: Iterable,
    today: date,
) -> ReviewSchedule:
    """Create or change an initiative's review schedule and generate reviews ahead.

    When the rhythm (every, period, start) changes, open reviews from today on
    are replaced; held and overdue ones stay as the record.
    """
    schedule = ReviewSchedule.objects.select_for_update().filter(initiative=initiative).first()
    rhythm = (every, period, start_date)
    if schedule is None:
        schedule = ReviewSchedule(initiative=initiative)
    elif (schedule.every, schedule.period, schedule.start_date) != rhythm:
        schedule.reviews.open().filter(due_date__gte=today).delete()
    schedule.every, schedule.period, schedule.start_date = rhythm
    schedule.reminder_lead_days = reminder_lead_days
    schedule.save()
    schedule.reviewers.set(reviewers)
    lead = timedelta(days=reminder_lead_days)
    reviews = list(schedule.reviews.open())
    for review in reviews:
        review.remind_from = review.due_date - lead
    EvaluationReview.objects.bulk_update(reviews, ["remind_from"])
    schedule_generate_reviews(schedule=schedule, today=today)
    return schedule


def indicator_snapshot(*, initiative: Initiative, on: date) -> list[dict]:
    """The initiative's indicator values as they stood on `on` (JSON-ready)."""
    snapshot = []
    for indicator, progress in selectors.indicator_progress_rows(
        Indicator.objects.filter(initiative=initiative), as_of=on
    ):
        snapshot.append(
            {
                "indicator_id": indicator.pk,
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline": str(indicator.baseline_value),
                "target": str(indicator.target_value),
                "value": None if progress.latest_value is None else str(progress.latest_value),
                "measured_on": progress.latest_date.isoformat() if progress.latest_date else None,
                "progress_percent": progress.percent,
                "status": progress.status,
            }
        )
    return snapshot


@transaction.atomic
def review_hold(
    *,
    review: EvaluationReview,
    held_on: date,
    attendees: str,
    findings: str,
    feedback_newcomers: str,
    feedback_receiving: str,
    decisions: str,
    next_steps: str,
    held_by,
    today: date,
) -> EvaluationReview:
    """Record a review as held, with the indicator values of that day; pending
    reminders for it are closed and the schedule is topped up ahead."""
    review = EvaluationReview.objects.select_for_update().get(pk=review.pk)
    review.held_on = held_on
    review.attendees, review.findings, review.decisions, review.next_steps = attendees, findings, decisions, next_steps
    review.feedback_newcomers, review.feedback_receiving = feedback_newcomers, feedback_receiving
    review.held_by = held_by
    review.indicator_snapshot = indicator_snapshot(initiative=review.initiative, on=held_on)
    review.save()
    Reminder.objects.filter(review=review, sent_at__isnull=True, skipped_at__isnull=True).update(
        skipped_at=timezone.now(), last_error=_("The review was held before this reminder went out.")
    )
    if review.schedule is not None:
        schedule_generate_reviews(schedule=review.schedule, today=today)
    return review


# --- reminders --------------------------------------------------------------


def reminder_for(*, due_date: date, lead_days: int, today: date) -> tuple[str, date] | None:
    """(kind, period) of the reminder an open review needs on `today`, or None.

    upcoming: from `lead_days` before the due date (a sweep that missed the
    first day still sends it later in the window); due: on the due date;
    overdue: the day after, then every 7 days. `period` is the date the
    reminder is for, so each weekly overdue reminder is its own row.
    """
    if today < due_date - timedelta(days=lead_days):
        return None
    if today < due_date:
        return Reminder.Kind.UPCOMING, due_date - timedelta(days=lead_days)
    if today == due_date:
        return Reminder.Kind.DUE, due_date
    weeks = (today - due_date - timedelta(days=1)).days // 7
    return Reminder.Kind.OVERDUE, due_date + timedelta(days=1 + 7 * weeks)


@dataclass
class SweepResult:
    created: int = 0
    pending: list[int] = field(default_factory=list)
    enqueued: int = 0
    enqueue_failed: bool = False
    sent: list[Reminder] = field(default_factory=list)
    unconfirmed: list[int] = field(default_factory=list)  # handed off long ago, never stamped sent


def reminders_enqueued(reminder_ids: list[int], now: datetime) -> None:
    """Stamp the reminders whose send task made it to the broker (tasks.enqueue_sends)."""
    Reminder.objects.filter(pk__in=reminder_ids).update(enqueued_at=now)


def reminder_sweep(
    *,
    today: date | None = None,
    now: datetime | None = None,
    dispatch: Callable[[list[int], SweepResult], None],
) -> SweepResult:
    """Record every reminder due now and hand pending rows to `dispatch`.

    Reminders fall due by the date in each organisation's own time zone; `today`
    fixes one date for every organisation instead (tests, benches, by hand).
    Work is proportional to what is due: open reviews whose `remind_from` has
    come (partial index), and pending reminders (partial index). `dispatch` runs
    after the commit: tasks.sweep_and_send's enqueues the send tasks.
    """
    now = now or timezone.now()
    # No zone is ahead of UTC by more than 14 hours: no later date can be "today" anywhere.
    latest_today = today or (now + timedelta(hours=14)).date()
    result = SweepResult()
    with transaction.atomic():
        due_reviews = selectors.reviews_due_for_reminders(latest_today)
        needed: list[tuple[int, int, str, date]] = []  # (review, schedule, kind, period)
        for review_id, schedule_id, due_date, lead_days, time_zone in due_reviews.values_list(
            "pk", "schedule_id", "due_date", "schedule__reminder_lead_days", "initiative__organization__time_zone"
        ):
            local_today = today or local_date(time_zone, now)
            reminder = reminder_for(due_date=due_date, lead_days=lead_days, today=local_today)
            if reminder is not None:
                needed.append((review_id, schedule_id, *reminder))
        recipients: dict[int, list[int]] = {}
        existing: set[tuple[int, str, int, date]] = set()
        if needed:
            through = ReviewSchedule.reviewers.through
            # Opted-in, active, and still a member of the initiative's organisation.
            for schedule_id, user_id in through.objects.filter(
                reviewschedule_id__in={n[1] for n in needed},
                user__reminder_emails=True,
                user__is_active=True,
                user__memberships__organization=F("reviewschedule__initiative__organization"),
            ).values_list("reviewschedule_id", "user_id"):
                recipients.setdefault(schedule_id, []).append(user_id)
            # Rows an earlier sweep today already recorded: skipping them here makes a
            # repeated sweep nearly free (the unique constraint still guards races).
            existing = set(
                Reminder.objects.filter(review__in=due_reviews, period__in={n[3] for n in needed}).values_list(
                    "review_id", "kind", "recipient_id", "period"
                )
            )
        rows = [
            Reminder(review_id=review_id, kind=kind, recipient_id=user_id, period=period)
            for review_id, schedule_id, kind, period in needed
            for user_id in recipients.get(schedule_id, ())
            if (review_id, kind, user_id, period) not in existing
        ]
        if rows:
            Reminder.objects.bulk_create(rows, ignore_conflicts=True)
        result.created = len(rows)
        stale = now - timedelta(minutes=settings.REMINDER_REQUEUE_MINUTES)
        for reminder_id, handed_off_at in (
            Reminder.objects.filter(sent_at__isnull=True, skipped_at__isnull=True, failed_at__isnull=True)
            # a hand-off on the last attempt must still be reconciled
            .filter(Q(attempts__lt=MAX_SEND_ATTEMPTS) | Q(handed_off_at__isnull=False))
            .exclude(enqueued_at__gte=stale, handed_off_at__isnull=True)
            .order_by("created_at")
            .values_list("pk", "handed_off_at")[:SWEEP_BATCH]
        ):
            if handed_off_at is None:
                result.pending.append(reminder_id)
            elif handed_off_at < stale:  # a send still under way is younger than that
                result.unconfirmed.append(reminder_id)
        if result.pending:
            transaction.on_commit(lambda: dispatch(result.pending, result))
    if result.unconfirmed:
        with translation.override(settings.LANGUAGE_CODE):
            reason = _(_UNCONFIRMED)
        for reminder_id in result.unconfirmed:
            _mark_failed(reminder_id, reason)
    return result


def _still_wanted(reminder: Reminder) -> str | None:
    """Why the reminder must not go out any more, or None."""
    review = reminder.review
    if review.held_on is not None:
        return _("The review was held before this reminder went out.")
    if not reminder.recipient.reminder_emails:
        return _("The recipient turned reminder emails off.")
    if not reminder.recipient.is_active:
        return _("The recipient's account is inactive.")
    if not reminder.recipient.memberships.filter(organization_id=review.initiative.organization_id).exists():
        return _("The recipient is no longer a member of the organisation.")
    return None


def reminder_message_id(reminder_id: int) -> str:
    return f"<reminder-{reminder_id}@{site_host()}>"


def _reminder_email(reminder: Reminder) -> EmailMultiAlternatives:
    review = reminder.review
    link = settings.SITE_URL.rstrip("/") + reverse("evaluations:review_detail", args=[review.pk])
    profile_link = settings.SITE_URL.rstrip("/") + reverse("profile")
    context = {
        "reminder": reminder,
        "review": review,
        "initiative": review.initiative,
        "organization": review.initiative.organization,
        "recipient": reminder.recipient,
        "link": link,
        "profile_link": profile_link,
        "unsubscribe_link": unsubscribe_link(reminder.recipient),
    }
    subjects = {
        Reminder.Kind.UPCOMING: _("Review coming up: %(initiative)s on %(date)s"),
        Reminder.Kind.DUE: _("Review due today: %(initiative)s"),
        Reminder.Kind.OVERDUE: _("Review overdue since %(date)s: %(initiative)s"),
    }
    subject = subjects[Reminder.Kind(reminder.kind)] % {
        "initiative": review.initiative.title,
        "date": review.due_date.isoformat(),
    }
    message = EmailMultiAlternatives(
        subject=email_subject(subject),  # a title with a line break must not stop its reminders
        body=render_to_string("evaluations/email/reminder.txt", context),
        to=[reminder.recipient.email],
        # One Message-ID per reminder row: if a send is ever repeated, mail systems can
        # recognise the copy.
        headers={
            "Message-ID": reminder_message_id(reminder.pk),
            # One-click opt-out (RFC 8058): mail programs show an "Unsubscribe" button that POSTs
            # to the link; Auto-Submitted stops vacation replies to a machine-sent email.
            "List-Unsubscribe": f"<{context['unsubscribe_link']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("evaluations/email/reminder.html", context), "text/html")
    message.message()  # every header and address checked now, before the hand-off, not after
    return message


def _deliver(reminder: Reminder, message: EmailMultiAlternatives, connection) -> None:
    """The one step after the hand-off: give the message to the open mail connection."""
    connection.send_messages([message])


def _transient(error: Exception) -> bool:
    """Worth trying again later: the mail server or the database away or busy (not the message)."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _text in error.recipients.values())
    return isinstance(error, OSError | DatabaseError)  # refused, reset, timed out, server gone


_UNCONFIRMED = gettext_noop(
    "Handed to the mail server, but the worker stopped before it recorded that the email was sent: it may or "
    "may not have arrived, so it is not sent again by itself. Ask the recipient, then press Retry if it did not."
)


def reminder_send(*, reminder_id: int) -> str:
    """Send one reminder if it is still pending. Returns "sent", "skipped", "failed" or
    "not claimed" (already sent or handed off, or another worker holds it right now).

    A transient failure (mail server or database away) is recorded and re-raised, so the
    task retries with backoff and the next sweep after that; a permanent one, or the last
    attempt, marks the reminder failed and tells the organisation's admins.
    """
    _step("before-claim")
    connection = None
    handed_off = delivered = False
    try:
        # The site's language for the reason and the email, whatever a previous job left
        # active in this thread.
        with translation.override(settings.LANGUAGE_CODE):
            with transaction.atomic():
                reminder = (
                    Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("review__initiative__organization", "recipient")
                    .filter(pk=reminder_id, sent_at__isnull=True, skipped_at__isnull=True)
                    .filter(failed_at__isnull=True, handed_off_at__isnull=True)
                    .first()
                )
                if reminder is None:
                    return "not claimed"
                reason = _still_wanted(reminder)
                if reason:
                    reminder.skipped_at, reminder.last_error = timezone.now(), reason
                    reminder.save(update_fields=["skipped_at", "last_error"])
                    return "skipped"
                with translation.override(reminder.recipient.language_in(reminder.review.initiative.organization)):
                    message = _reminder_email(reminder)
                # Connected (and logged in) before the hand-off: a mail server that is down
                # leaves the reminder pending, not "possibly sent".
                connection = get_connection()
                connection.open()
                _step("claimed")
                reminder.handed_off_at = timezone.now()
                reminder.attempts += 1
                reminder.save(update_fields=["handed_off_at", "attempts"])
            handed_off = True
            _deliver(reminder, message, connection)
            delivered = True
            _step("smtp")
            Reminder.objects.filter(pk=reminder_id).update(sent_at=timezone.now())
            _step("stamped")
            return "sent"
    except Exception as error:
        if delivered:
            raise  # the mail server has it; the next sweep marks it possibly sent, never resends
        return _send_failed(reminder_id, error, handed_off=handed_off)
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()


def _send_failed(reminder_id: int, error: Exception, *, handed_off: bool) -> str:
    """Record a failed attempt (the mail server did not take the email); re-raise it while
    another attempt may succeed, otherwise mark the reminder failed."""
    text = f"{type(error).__name__}: {error}"[:2000]
    pending = Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True, failed_at__isnull=True)
    if handed_off:  # refused, not taken: it can go again (the hand-off counted the attempt)
        pending.update(handed_off_at=None, last_error=text)
    else:
        pending.filter(handed_off_at__isnull=True).update(attempts=F("attempts") + 1, last_error=text)
    attempts = pending.values_list("attempts", flat=True).first()
    if attempts is None:
        return "failed"  # sent, failed or deleted meanwhile: nothing more to record
    if _transient(error) and attempts < MAX_SEND_ATTEMPTS:
        raise error
    _mark_failed(reminder_id, text)
    return "failed"


def _mark_failed(reminder_id: int, reason: str) -> None:
    """The reminder will not be tried again by itself: say why, and tell the admins once."""
    if Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True, failed_at__isnull=True).update(
        failed_at=timezone.now(), last_error=reason
    ):
        _alert_admins(reminder_id)


def _alert_admins(reminder_id: int) -> None:
    reminder = Reminder.objects.select_related("review__initiative__organization", "recipient").get(pk=reminder_id)
    organization = reminder.review.initiative.organization
    admins = list(
        Membership.objects.filter(organization=organization, role=Role.ADMIN, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    if not admins:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "reminder": reminder,
            "review": reminder.review,
            "organization": organization,
            "reason": reminder.last_error,
            "log_link": settings.SITE_URL.rstrip("/") + reverse("evaluations:reminder_log") + "?state=failed",
        }
        subject = _("A review reminder could not be sent: %(initiative)s") % {
            "initiative": reminder.review.initiative.title
        }
        try:
            EmailMultiAlternatives(
                subject=email_subject(subject),
                body=render_to_string("evaluations/email/reminder_failed.txt", context),
                to=admins,
                headers={"Auto-Submitted": "auto-generated"},
            ).send()
        except Exception:
            # The reminder log shows the failure whatever happens to this email.
            logger.exception(
                "The admins of organisation %s could not be told about reminder %s.", organization.pk, reminder_id
            )


@transaction.atomic
def reminder_retry(*, reminder: Reminder) -> Reminder:
    """An admin gives a failed reminder a fresh set of attempts; the next sweep sends it."""
    Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
        attempts=0, enqueued_at=None, skipped_at=None, failed_at=None, handed_off_at=None
    )
    reminder.refresh_from_db()
    return reminder


# --- calendar feed ----------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, organization, user) -> str:
    """Give the member a new secret feed address (the old one stops working).
    Returns the token; only its hash is stored."""
    token, token_hash = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(organization=organization, user=user, defaults={"token_hash": token_hash})
    return token


# --- shared indicators ---------------------------------------------------------------------------


def _definition(values: dict) -> dict:
    return {name: values[name] for name in SharedIndicator.DEFINITION_FIELDS}


def _adopted_fields(definition: dict) -> dict:
    """What an adopting indicator takes from the shared definition (not editable there)."""
    return {name: definition[name] for name in ("name", "unit", "direction", "concerns")}


@transaction.atomic
def shared_indicator_create(*, created_by, valid_from: date, **definition) -> SharedIndicator:
    """A new shared indicator with its version 1, in force from `valid_from`."""
    shared = SharedIndicator.objects.create(**_definition(definition))
    version = SharedIndicatorVersion.objects.create(
        shared_indicator=shared, number=1, valid_from=valid_from, created_by=created_by, **_definition(definition)
    )
    shared.current_version = version
    shared.save(update_fields=["current_version", "updated_at"])
    return shared


@transaction.atomic
def shared_indicator_update(
    *, shared_indicator: SharedIndicator, created_by, valid_from: date, **definition
) -> SharedIndicatorVersion | None:
    """Change the definition: a new version in force from `valid_from` (the one before stays, and keeps
    the measurements dated before it). Adopting indicators take the new name, unit, direction and side.
    Nothing changed: no version, None."""
    shared = SharedIndicator.objects.select_for_update().get(pk=shared_indicator.pk)
    if shared.is_retired:
        raise ValueError("A retired shared indicator cannot be changed.")
    new = _definition(definition)
    if all(getattr(shared, name) == value for name, value in new.items()):
        return None
    current = shared.current_version
    if current is None:  # every shared indicator is made with its first version
        raise ValueError("A shared indicator without a version cannot be changed.")
    if valid_from < current.valid_from:
        raise ValueError("A new version cannot come into force before the one it replaces.")
    version = SharedIndicatorVersion.objects.create(
        shared_indicator=shared, number=current.number + 1, valid_from=valid_from, created_by=created_by, **new
    )
    for name, value in new.items():
        setattr(shared, name, value)
    shared.current_version = version
    shared.save()
    # Each adopting indicator saved on its own: its history and the boards' caches follow it.
    for indicator in Indicator.objects.filter(shared_indicator=shared).select_related("initiative"):
        for name, value in _adopted_fields(new).items():
            setattr(indicator, name, value)
        indicator.save()
    shared_indicator.__dict__.update(shared.__dict__)
    return version


@transaction.atomic
def shared_indicator_retire(*, shared_indicator: SharedIndicator, on: date) -> SharedIndicator:
    """No more adoptions; measurements dated after `on` count under no version. History stays."""
    SharedIndicator.objects.filter(pk=shared_indicator.pk, retired_on__isnull=True).update(
        retired_on=on, updated_at=timezone.now()
    )
    shared_indicator.refresh_from_db()
    return shared_indicator


@transaction.atomic
def indicator_adopt(
    *,
    initiative: Initiative,
    shared_indicator: SharedIndicator,
    baseline_value: Decimal,
    baseline_date: date,
    target_value: Decimal,
    target_date: date,
    data_source: str = "",
) -> Indicator:
    """The affiliate measures a shared indicator on one of its initiatives: an indicator whose name,
    unit, direction and side are the shared definition's, with its own baseline and target. One
    adoption per affiliate (its figures count once in the roll-up)."""
    shared = SharedIndicator.objects.select_for_update().get(pk=shared_indicator.pk)
    if shared.is_retired:
        raise ValueError("A retired shared indicator cannot be adopted.")
    if selectors.shared_indicators_adopted_by(initiative.organization_id).filter(pk=shared.pk).exists():
        raise ValueError("This affiliate has adopted this shared indicator already.")
    return Indicator.objects.create(
        initiative=initiative,
        shared_indicator=shared,
        baseline_value=baseline_value,
        baseline_date=baseline_date,
        target_value=target_value,
        target_date=target_date,
        data_source=data_source,
        **_adopted_fields(_definition(shared.__dict__)),
    )
