"""Reads for step 1. The home page calls step_summary and attention_items."""

from django.utils.translation import gettext_lazy as _

from integration_hub.dashboard import StepSummary

TITLE = _("Needs assessment")
DESCRIPTION = _(
    "Ask newcomers and long-standing residents what the community needs: surveys through a public, anonymous link, focus groups and round tables, then a prioritised list of needs."
)


def step_summary(organization) -> StepSummary:
    return StepSummary(
        number=1,
        title=TITLE,
        url_name="assessments:index",
        description=DESCRIPTION,
        figures=[
            (_("Assessments"), 0),
            (_("Survey responses"), 0),
            (_("Needs identified"), 0),
        ],
    )


def attention_items(organization, today) -> list:
    return []
