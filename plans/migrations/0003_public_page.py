from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_stories"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="is_public",
            field=models.BooleanField(default=False, editable=False, verbose_name="public page"),
        ),
        migrations.AddField(
            model_name="plan",
            name="public_slug",
            field=models.CharField(blank=True, editable=False, max_length=43, null=True, unique=True),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_public", False), ("public_slug__isnull", False), _connector="OR"),
                name="plan_public_page_has_a_slug",
            ),
        ),
    ]
