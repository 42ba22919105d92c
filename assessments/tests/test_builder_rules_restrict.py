import pytest
from django.db.models import RestrictedError

from assessments.models import Answer, Choice, NeedsAssessment

pytestmark = pytest.mark.django_db


def test_a_chosen_option_cannot_be_deleted_on_its_own_but_its_assessment_can(organization, admin_user):
    from integration_hub.tests.support import fill_with_demo_data

    fill_with_demo_data(organization, admin_user)
    chosen = Choice.objects.filter(answers__isnull=False).first()
    with pytest.raises(RestrictedError):
        chosen.delete()
    NeedsAssessment.objects.filter(organization=organization).delete()
    assert not Answer.objects.exists()
