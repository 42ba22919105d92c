"""Access cases for this app's URLs (see integration_hub.tests.support.UrlCase)."""

from integration_hub import permissions
from integration_hub.tests.support import UrlCase
from stakeholders.models import Commitment, Stakeholder
from stakeholders.tests.factories import CommitmentFactory, EngagementFactory, StakeholderFactory


def _stakeholder(org, **kwargs):
    return {"pk": StakeholderFactory(organization=org, **kwargs).pk}


def _engagement(org):
    return {"pk": EngagementFactory(organization=org, stakeholders=[StakeholderFactory(organization=org)]).pk}


def _commitment(org, **kwargs):
    return {"pk": CommitmentFactory(stakeholder=StakeholderFactory(organization=org), **kwargs).pk}


STAKEHOLDER_POST = {
    "name": "Rev. Alma Castillo",
    "affiliation": "First Methodist Church",
    "sector": "faith",
    "influence": "2",
    "stance": "2",
    "speaks_for": "both",
}

CASES = {
    "stakeholders:index": UrlCase(),
    "stakeholders:create": UrlCase(permission=permissions.EDIT, methods=("GET", "POST"), post_data=STAKEHOLDER_POST),
    "stakeholders:grid": UrlCase(),
    "stakeholders:import": UrlCase(permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:import_template": UrlCase(),
    "stakeholders:detail": UrlCase(make=_stakeholder),
    "stakeholders:update": UrlCase(
        make=_stakeholder, permission=permissions.EDIT, methods=("GET", "POST"), post_data=STAKEHOLDER_POST
    ),
    "stakeholders:delete": UrlCase(make=_stakeholder, permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:thank_you": UrlCase(make=lambda org: _stakeholder(org, stance=Stakeholder.Stance.CHAMPION)),
    "stakeholders:engagement_list": UrlCase(),
    "stakeholders:engagement_create": UrlCase(permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:engagement_update": UrlCase(make=_engagement, permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:engagement_delete": UrlCase(make=_engagement, permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:commitment_list": UrlCase(),
    "stakeholders:commitment_create": UrlCase(permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:commitment_update": UrlCase(make=_commitment, permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:commitment_delete": UrlCase(make=_commitment, permission=permissions.EDIT, methods=("GET", "POST")),
    "stakeholders:commitment_status": UrlCase(
        make=_commitment, permission=permissions.EDIT, methods=("POST",), post_data={"status": "kept"}
    ),
    "stakeholders:commitment_thank_you": UrlCase(make=lambda org: _commitment(org, status=Commitment.Status.KEPT)),
}
