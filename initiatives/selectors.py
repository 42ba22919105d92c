"""Reads for step 3. The home page calls step_summary and attention_items."""

from django.utils.translation import gettext_lazy as _

from integration_hub.dashboard import StepSummary

TITLE = _("Implementation")
DESCRIPTION = _(
    "Run initiatives from the idea library: goals, the needs they address, milestones and tasks, partners, funding and events with attendance from both sides."
)


def step_summary(organization) -> StepSummary:
    return StepSummary(
        number=3,
        title=TITLE,
        url_name="initiatives:index",
        description=DESCRIPTION,
        figures=[
            (_("Active initiatives"), 0),
            (_("Milestones due in 14 days"), 0),
            (_("Overdue tasks"), 0),
        ],
    )


def attention_items(organization, today) -> list:
    return []
