"""API walk cases (integration_hub/tests/test_api.py)."""

from initiatives.models import Initiative
from integration_hub.tests.support import ApiCase

CASES = {
    "initiative": ApiCase(
        make=lambda org: Initiative.objects.create(organization=org, title="Municipal ID").pk,
        writable=True,
        post_data=lambda org: {"title": "Library card drive", "status": "planned"},
    ),
}
