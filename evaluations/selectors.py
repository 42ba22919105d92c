"""Reads for step 4. The home page calls step_summary and attention_items."""

from django.utils.translation import gettext_lazy as _

from integration_hub.dashboard import StepSummary

TITLE = _("Evaluation")
DESCRIPTION = _(
    "Measure progress against targets, hold regular reviews with feedback from both sides, and report to the board."
)


def step_summary(organization) -> StepSummary:
    return StepSummary(
        number=4,
        title=TITLE,
        url_name="evaluations:index",
        description=DESCRIPTION,
        figures=[
            (_("Indicators on track"), 0),
            (_("Reviews due in 14 days"), 0),
            (_("Overdue reviews"), 0),
        ],
    )


def attention_items(organization, today) -> list:
    return []
