from django.db import migrations, models
from django.db.models.functions import Now

MAX_SEND_ATTEMPTS = 25  # evaluations.services.MAX_SEND_ATTEMPTS when this was written


def mark_exhausted_as_failed(apps, schema_editor):
    """Reminders that already used up their attempts were waiting silently; say they failed."""
    Reminder = apps.get_model("evaluations", "Reminder")
    Reminder.objects.filter(
        sent_at__isnull=True, skipped_at__isnull=True, attempts__gte=MAX_SEND_ATTEMPTS
    ).update(failed_at=Now())


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="failed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="reminder",
            name="handed_off_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_exhausted_as_failed, migrations.RunPython.noop),
    ]
