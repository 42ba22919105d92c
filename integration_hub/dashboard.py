"""The home page's four-step strip and "needs attention" list.

Each step app's `selectors` module provides `step_summary(organization)` and
`attention_items(organization, today)`; this module only gathers them, so the
home page learns about a new figure when its app does.
"""

from dataclasses import dataclass, field
from datetime import date
from importlib import import_module

from django.utils import timezone

from integration_hub.neighbours import Text
from integration_hub.steps import STEP_APPS


@dataclass
class StepSummary:
    number: int
    title: Text
    url_name: str
    description: Text
    # A count, or how it is shown when small counts are hidden ("fewer than 5").
    figures: list[tuple[Text, int | str]] = field(default_factory=list)

    @property
    def started(self) -> bool:
        return any(value for _, value in self.figures)


@dataclass
class AttentionItem:
    text: Text
    url: str
    due: date | None = None
    severity: str = "warning"  # "danger" when overdue


def home_overview(organization, today: date | None = None):
    today = today or timezone.localdate()
    steps, attention = [], []
    for app in STEP_APPS:
        selectors = import_module(f"{app}.selectors")
        steps.append(selectors.step_summary(organization))
        attention.extend(selectors.attention_items(organization, today))
    attention.sort(key=lambda item: (item.severity != "danger", item.due or today))
    return steps, attention
