import pytest

from integration_hub.tests.support import fill_with_demo_data
from plans.models import Endorsement, Plan
from stakeholders.models import Commitment

pytestmark = pytest.mark.django_db


def test_the_demo_affiliate_gets_one_published_endorsed_plan(organization, admin_user, other_organization):
    fill_with_demo_data(organization, admin_user)
    fill_with_demo_data(organization, admin_user)  # idempotent
    fill_with_demo_data(other_organization, admin_user)
    plan = Plan.objects.get()
    assert plan.organization == organization
    assert plan.needs.exists() and plan.initiatives.exists() and plan.indicators.exists() and plan.partners.exists()
    version = plan.versions.get()
    contents = version.contents("es")
    assert contents["categories"] and contents["needs"][0]["surveys"]
    endorsed = Endorsement.objects.filter(version=version, decision=Endorsement.Decision.ENDORSED)
    assert endorsed.count() == 2
    assert Commitment.objects.filter(endorsement__in=endorsed, status=Commitment.Status.KEPT).count() == 2
