"""Reads for step 2. The home page calls step_summary and attention_items."""

from django.utils.translation import gettext_lazy as _

from integration_hub.dashboard import StepSummary

TITLE = _("Stakeholder buy-in")
DESCRIPTION = _(
    "Win over officials, police, libraries, banks, faith leaders, civic clubs and newcomer leaders: where each stands, every conversation and every promise."
)


def step_summary(organization) -> StepSummary:
    return StepSummary(
        number=2,
        title=TITLE,
        url_name="stakeholders:index",
        description=DESCRIPTION,
        figures=[
            (_("Stakeholders"), 0),
            (_("Engagements in 90 days"), 0),
            (_("Open commitments"), 0),
        ],
    )


def attention_items(organization, today) -> list:
    return []
