"""API walk cases (integration_hub/tests/test_api.py)."""

from assessments.models import Need
from integration_hub.tests.support import ApiCase

CASES = {
    "need": ApiCase(make=lambda org: Need.objects.create(organization=org, title="ID for all residents").pk),
}
