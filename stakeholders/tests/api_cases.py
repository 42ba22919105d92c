"""API walk cases (integration_hub/tests/test_api.py)."""

from integration_hub.tests.support import ApiCase
from stakeholders.models import Stakeholder

CASES = {
    "stakeholder": ApiCase(make=lambda org: Stakeholder.objects.create(organization=org, name="Mayor Lee").pk),
}
