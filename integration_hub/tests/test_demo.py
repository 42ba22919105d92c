"""The demo data tells two plausible, different stories that hang together across the four steps."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments import demo as assessments_demo
from evaluations import demo as evaluations_demo
from evaluations.models import Indicator
from initiatives import demo as initiatives_demo
from initiatives.models import Initiative
from integration_hub.models import Organization


def test_every_profile_names_needs_and_initiatives_that_exist():
    assert set(initiatives_demo.PLANS) == set(assessments_demo.PROFILES) == set(evaluations_demo.INDICATORS)
    for slug, plans in initiatives_demo.PLANS.items():
        need_titles = {need[0] for need in assessments_demo.PROFILES[slug]["needs"]}
        for plan in plans:
            assert set(plan[-1]) <= need_titles, (slug, plan[0])
        assert set(evaluations_demo.INDICATORS[slug]) <= {plan[0] for plan in plans}, slug


def _demo():
    call_command("seed_demo", stdout=StringIO())
    return {o.slug: o for o in Organization.objects.filter(kind=Organization.Kind.AFFILIATE)}


@pytest.mark.django_db
def test_the_two_demo_affiliates_run_different_work_that_hangs_together():
    affiliates = _demo()
    titles = {
        slug: set(Initiative.objects.for_organization(org).values_list("title", flat=True))
        for slug, org in affiliates.items()
    }
    assert len(titles["riverside"] & titles["lakeshore"]) <= 1
    assert titles["riverside"] and titles["lakeshore"]
    # Each initiative addresses the needs its plan names, and nothing dates after a finished one.
    for slug, org in affiliates.items():
        plans = {plan[0]: plan for plan in initiatives_demo.PLANS[slug]}
        for initiative in Initiative.objects.for_organization(org).prefetch_related("needs"):
            assert {need.title for need in initiative.needs.all()} == set(plans[initiative.title][-1])
            assert all(need.organization_id == org.pk for need in initiative.needs.all())
            if initiative.status == Initiative.Status.COMPLETED:
                assert all(a.date <= initiative.end_date for a in initiative.activities.all())
                assert all(m.due_date <= initiative.end_date for m in initiative.milestones.all())
        for indicator in Indicator.objects.for_organization(org).select_related("initiative"):
            assert indicator.name in {row[0] for row in evaluations_demo.INDICATORS[slug][indicator.initiative.title]}
            if indicator.initiative.status == Initiative.Status.COMPLETED:
                assert indicator.target_date <= indicator.initiative.end_date
                assert all(m.date <= indicator.target_date for m in indicator.measurements.all())
