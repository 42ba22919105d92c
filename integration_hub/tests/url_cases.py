"""Access cases for the core URLs (see integration_hub.tests.support.UrlCase)."""

from django.utils import timezone

from integration_hub import permissions
from integration_hub.models import BackgroundJob, ErasureRequest, Role
from integration_hub.tests.factories import MembershipFactory
from integration_hub.tests.support import UrlCase


def _membership(organization):
    return {"pk": MembershipFactory(organization=organization, role=Role.EDITOR).pk}


def _erasure(organization):
    erasure = ErasureRequest.objects.create(
        organization=organization, organization_name=organization.name, scheduled_for=timezone.now()
    )
    return {"pk": erasure.pk}


def _deleted_stakeholder(organization):
    from stakeholders.tests.factories import StakeholderFactory

    stakeholder = StakeholderFactory(organization=organization)
    pk = stakeholder.pk
    stakeholder.delete()
    return {"model": "stakeholders.stakeholder", "pk": pk}


def _membership_history(organization):
    return {"model": "integration_hub.membership", "pk": _membership(organization)["pk"]}


def _job(organization):
    # An import job (edit level, registered by stakeholders) that has finished with a file to download.
    job = BackgroundJob.objects.create(
        organization=organization,
        kind="stakeholders.import",
        status=BackgroundJob.Status.DONE,
        output=b"name\nHelen Park\n",
        output_name="stakeholders.csv",
        output_type="text/csv",
        result={"summary": "1 stakeholder was imported."},
    )
    return {"pk": job.pk}


CASES = {
    "job_detail": UrlCase(make=_job, permission=permissions.EDIT),
    "job_status": UrlCase(make=_job, permission=permissions.EDIT),
    "job_download": UrlCase(make=_job, permission=permissions.EDIT),
    "object_history": UrlCase(make=_membership_history),
    "activity": UrlCase(permission=permissions.ADMIN),
    "recently_deleted": UrlCase(permission=permissions.EDIT),
    "deleted_restore": UrlCase(make=_deleted_stakeholder, permission=permissions.ADMIN, methods=("POST",)),
    "organization_export": UrlCase(permission=permissions.ADMIN),
    "home": UrlCase(),
    "affiliate_list": UrlCase(allowed_role="network"),
    "network_overview": UrlCase(allowed_role="network"),
    "network_initiatives": UrlCase(allowed_role="network"),
    "network_map": UrlCase(allowed_role="network"),
    "organization_settings": UrlCase(
        permission=permissions.ADMIN,
        methods=("GET", "POST"),
        post_data={"name": "Renamed", "time_zone": "America/Chicago", "language": "en", "retention_months": 24},
    ),
    "organization_erasure": UrlCase(
        permission=permissions.ADMIN, methods=("GET", "POST"), post_data={"typed_name": "x"}
    ),
    "organization_erasure_cancel": UrlCase(make=_erasure, permission=permissions.ADMIN, methods=("POST",)),
    "member_list": UrlCase(permission=permissions.ADMIN, methods=("GET", "POST")),
    "member_change_role": UrlCase(
        make=_membership, permission=permissions.ADMIN, methods=("POST",), post_data={"role": "board"}
    ),
    "member_remove": UrlCase(make=_membership, permission=permissions.ADMIN, methods=("POST",)),
    # Scoped by its queryset, not by an id in the URL: test_choosers.py shows another's rows never appear.
    "chooser_search": UrlCase(permission=permissions.EDIT),
}

# Reachable without an organisation: each has its own tests.
PUBLIC = {
    "no_organization",  # any logged-in user; test_organizations.py
    "organization_switch",  # checks the target itself; test_organizations.py
    "invitation_accept",  # token link; test_invitations.py
    "profile",  # the user's own record; test_organizations.py
    "privacy",  # public page; test_privacy_page.py
    "unsubscribe",  # signed-token one-click opt-out, no login; test_email_standards.py
    "set_language",  # Django's language switch; test_i18n.py
    "api_tokens",  # the member's own keys; test_api.py
    "api_token_revoke",  # the member's own keys; test_api.py
    "two_factor",  # the user's own sign-in; test_two_factor.py
    "two_factor_verify",  # the code step after the password; test_two_factor.py
}
