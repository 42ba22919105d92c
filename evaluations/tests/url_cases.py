"""Access cases for this app's URLs (see integration_hub.tests.support.UrlCase)."""

from evaluations.tests.factories import (
    EvaluationReviewFactory,
    IndicatorFactory,
    InitiativeFactory,
    MeasurementFactory,
    ReminderFactory,
    SharedIndicatorFactory,
)
from integration_hub import permissions
from integration_hub.tests.support import UrlCase


def _initiative(org):
    return {"pk": InitiativeFactory(organization=org).pk}


def _indicator(org):
    return {"pk": IndicatorFactory(organization=org).pk}


def _measurement(org):
    return {"pk": MeasurementFactory(indicator=IndicatorFactory(organization=org)).pk}


def _review(org):
    return {"pk": EvaluationReviewFactory(organization=org).pk}


def _failed_reminder(org):
    return {"pk": ReminderFactory(review=EvaluationReviewFactory(organization=org), last_error="SMTP down").pk}


def _shared_indicator(org):
    return {"pk": SharedIndicatorFactory().pk}


EDIT = permissions.EDIT
CASES = {
    "evaluations:index": UrlCase(),
    "evaluations:dashboard": UrlCase(),
    "evaluations:report": UrlCase(),
    "evaluations:initiative_detail": UrlCase(make=_initiative),
    "evaluations:indicator_create": UrlCase(make=_initiative, permission=EDIT, methods=("GET", "POST")),
    "evaluations:measurement_quick_entry": UrlCase(make=_initiative, permission=EDIT, methods=("GET", "POST")),
    "evaluations:measurement_import": UrlCase(make=_initiative, permission=EDIT, methods=("GET", "POST")),
    "evaluations:schedule_edit": UrlCase(make=_initiative, permission=EDIT, methods=("GET", "POST")),
    "evaluations:indicator_detail": UrlCase(make=_indicator),
    "evaluations:measurement_export": UrlCase(make=_indicator),
    "evaluations:indicator_update": UrlCase(make=_indicator, permission=EDIT, methods=("GET", "POST")),
    "evaluations:indicator_delete": UrlCase(make=_indicator, permission=EDIT, methods=("GET", "POST")),
    "evaluations:measurement_create": UrlCase(make=_indicator, permission=EDIT, methods=("GET", "POST")),
    "evaluations:measurement_update": UrlCase(
        make=_measurement, permission=EDIT, methods=("GET", "POST"), post_data={"date": "2025-06-01", "value": "7"}
    ),
    "evaluations:measurement_delete": UrlCase(make=_measurement, permission=EDIT, methods=("GET", "POST")),
    "evaluations:review_detail": UrlCase(make=_review),
    "evaluations:review_hold": UrlCase(make=_review, permission=EDIT, methods=("GET", "POST")),
    "evaluations:indicator_adopt": UrlCase(make=_initiative, permission=EDIT, methods=("GET", "POST")),
    "evaluations:reminder_log": UrlCase(permission=permissions.ADMIN),
    # The network's step-4 pages (evaluations/network_urls.py): network-office staff only, read-only.
    "network_evaluation": UrlCase(allowed_role="network"),
    "network_indicators": UrlCase(allowed_role="network"),
    "shared_indicator_list": UrlCase(allowed_role="network"),
    "shared_indicator_detail": UrlCase(make=_shared_indicator, allowed_role="network"),
    "evaluations:reminder_retry": UrlCase(make=_failed_reminder, permission=permissions.ADMIN, methods=("POST",)),
}

# Each has its own tests in test_calendar.py; the shared indicators' writes (network editors only,
# who work in the network office, not in an affiliate) in test_shared_indicators.py.
PUBLIC = {
    "shared_indicator_create",
    "shared_indicator_update",
    "shared_indicator_retire",
    "evaluations:calendar",  # a member's own feed address: any role, never another's
    "evaluations:calendar_feed",  # secret-token iCalendar feed, no login
}
