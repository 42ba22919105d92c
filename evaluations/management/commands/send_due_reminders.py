"""Run one reminder sweep now, in this process, and print what was sent.

Safe to run while workers are running too: every reminder row is claimed
before sending, so nothing goes out twice. A second run sends nothing new.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from evaluations import selectors, services
from evaluations.models import Reminder


class Command(BaseCommand):
    help = "Send the evaluation review reminders that are due now (one sweep, inline)."

    def handle(self, *args, **options):
        outcomes: dict[int, str] = {}
        today = timezone.localdate()
        # Record what is due (committed), then send the pending rows here instead of enqueueing.
        result = services.reminder_sweep(dispatch=lambda ids, result: None)  # each organisation's own date
        for reminder_id in result.pending:
            try:
                outcomes[reminder_id] = services.reminder_send(reminder_id=reminder_id)
            except Exception as error:  # recorded on the row; the next sweep retries it
                outcomes[reminder_id] = f"failed: {error}"
        sent = (
            Reminder.objects.filter(pk__in=[pk for pk, outcome in outcomes.items() if outcome == "sent"])
            .select_related("review__initiative", "recipient")
            .order_by("review__due_date", "recipient__email")
        )
        for reminder in sent:
            self.stdout.write(
                f"sent {reminder.get_kind_display().lower():<9} {reminder.recipient.email:<32} "
                f"{reminder.review.initiative.title} (due {reminder.review.due_date})"
            )
        failed = [pk for pk, outcome in outcomes.items() if outcome.startswith("failed")]
        skipped = sum(1 for outcome in outcomes.values() if outcome == "skipped")
        summary = ngettext(
            "%(today)s: %(n)d reminder sent, %(skipped)d skipped, %(failed)d failed.",
            "%(today)s: %(n)d reminders sent, %(skipped)d skipped, %(failed)d failed.",
            len(sent),
        ) % {"today": today, "n": len(sent), "skipped": skipped, "failed": len(failed)}
        self.stdout.write(self.style.SUCCESS(summary) if not failed else self.style.WARNING(summary))
        waiting = selectors.reminders_waiting(timezone.now())
        for reminder, retry_at in waiting:
            where = (
                f"with the mail server since {self._when(reminder.handed_off_at)}; "
                f"marked possibly sent at {self._when(retry_at)} unless confirmed"
                if reminder.handed_off_at
                else f"on a worker's queue since {self._when(reminder.enqueued_at)}; handed over again at "
                f"{self._when(retry_at)}"
            )
            self.stdout.write(
                f"waiting {reminder.get_kind_display().lower():<9} {reminder.recipient.email:<32} "
                f"{reminder.review.initiative.title} (due {reminder.review.due_date}): {where}"
            )
        if waiting:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "%(n)d reminder waiting (REMINDER_REQUEUE_MINUTES=%(minutes)s); it is retried at %(when)s.",
                        "%(n)d reminders waiting (REMINDER_REQUEUE_MINUTES=%(minutes)s); the first is retried at "
                        "%(when)s.",
                        len(waiting),
                    )
                    % {
                        "n": len(waiting),
                        "minutes": settings.REMINDER_REQUEUE_MINUTES,
                        "when": self._when(waiting[0][1]),
                    }
                )
            )
        given_up = Reminder.objects.filter(sent_at__isnull=True, failed_at__isnull=False).count()
        if given_up:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "%(n)d reminder failed and waits for an admin's Retry in the reminder log.",
                        "%(n)d reminders failed and wait for an admin's Retry in the reminder log.",
                        given_up,
                    )
                    % {"n": given_up}
                )
            )
        if not result.pending and not waiting and not given_up:
            self.stdout.write("Nothing was due.")

    @staticmethod
    def _when(moment) -> str:
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
