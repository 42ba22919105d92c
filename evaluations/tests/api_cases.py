"""API walk cases (integration_hub/tests/test_api.py)."""

import datetime as dt

from evaluations.tests.factories import EvaluationReviewFactory, IndicatorFactory, MeasurementFactory
from initiatives.models import Initiative
from integration_hub.tests.support import ApiCase


def _indicator_body(org):
    initiative = Initiative.objects.create(organization=org, title="Bank access")
    return {
        "initiative": initiative.pk, "name": "Accounts opened", "unit": "count", "concerns": "newcomers",
        "direction": "increase", "baseline_value": "0", "baseline_date": "2026-01-01",
        "target_value": "100", "target_date": "2026-12-31",
    }  # fmt: skip


def _measurement_body(org):
    indicator = IndicatorFactory(organization=org, baseline_date=dt.date(2026, 1, 1), target_date=dt.date(2027, 1, 1))
    return {"indicator": indicator.pk, "date": "2026-03-01", "value": "12"}


CASES = {
    "indicator": ApiCase(
        make=lambda org: IndicatorFactory(organization=org).pk, writable=True, post_data=_indicator_body
    ),
    "measurement": ApiCase(
        make=lambda org: MeasurementFactory(indicator=IndicatorFactory(organization=org)).pk,
        writable=True,
        post_data=_measurement_body,
    ),
    "review": ApiCase(make=lambda org: EvaluationReviewFactory(organization=org).pk),
}
