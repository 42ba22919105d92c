"""Run one reminder sweep now, in this process, and print what was sent.

Safe to run while workers are running too: every reminder row is claimed
before sending, so nothing goes out twice. A second run sends nothing new.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from evaluations import services
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
        summary = f"{today}: {len(sent)} reminder(s) sent, {skipped} skipped, {len(failed)} failed."
        self.stdout.write(self.style.SUCCESS(summary) if not failed else self.style.WARNING(summary))
        if not result.pending:
            self.stdout.write("Nothing was due.")
