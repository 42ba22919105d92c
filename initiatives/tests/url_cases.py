"""Access cases for this app's URLs (see integration_hub.tests.support.UrlCase).

The network library's pages are not tenant rows: every organisation reads the
same ideas and only network-office staff write them, so they sit in PUBLIC and
test_library.py walks them (anonymous, affiliate roles, network viewer, network staff).
"""

from integration_hub import permissions
from integration_hub.tests.support import UrlCase

from .factories import (
    ActivityFactory,
    BudgetLineFactory,
    FundingFactory,
    InitiativeFactory,
    MilestoneFactory,
    PartnerFactory,
    TaskFactory,
)


def _initiative(org):
    return {"pk": InitiativeFactory(organization=org).pk}


def _milestone(org):
    return {"pk": MilestoneFactory(initiative__organization=org).pk}


def _task(org):
    return {"pk": TaskFactory(milestone__initiative__organization=org).pk}


def _partner(org):
    return {"pk": PartnerFactory(initiative__organization=org).pk}


def _budget_line(org):
    return {"pk": BudgetLineFactory(initiative__organization=org).pk}


def _funding(org):
    return {"pk": FundingFactory(initiative__organization=org).pk}


def _activity(org):
    return {"pk": ActivityFactory(initiative__organization=org).pk}


EDIT = {"permission": permissions.EDIT, "methods": ("GET", "POST")}

CASES = {
    "initiatives:index": UrlCase(),
    "initiatives:create": UrlCase(**EDIT, post_data={"title": "Day of kindness", "status": "planned"}),
    "initiatives:detail": UrlCase(make=_initiative),
    "initiatives:edit": UrlCase(make=_initiative, **EDIT, post_data={"title": "Renamed", "status": "active"}),
    "initiatives:delete": UrlCase(make=_initiative, **EDIT),
    "initiatives:partner_add": UrlCase(make=_initiative, **EDIT, post_data={"role": "host"}),
    "initiatives:partner_edit": UrlCase(make=_partner, **EDIT, post_data={"role": "funder"}),
    "initiatives:partner_remove": UrlCase(make=_partner, permission=permissions.EDIT, methods=("POST",)),
    "initiatives:milestone_add": UrlCase(
        make=_initiative, **EDIT, post_data={"title": "Council vote", "due_date": "2030-01-15"}
    ),
    "initiatives:task_add": UrlCase(make=_milestone, **EDIT, post_data={"title": "Draft the letter"}),
    "initiatives:task_toggle": UrlCase(make=_task, permission=permissions.EDIT, methods=("POST",)),
    "initiatives:budget_add": UrlCase(make=_initiative, **EDIT, post_data={"item": "Venue", "amount": "250.00"}),
    "initiatives:funding_add": UrlCase(
        make=_initiative,
        **EDIT,
        post_data={
            "source_kind": "grant",
            "source_name": "Foundation",
            "pledged": "100",
            "received": "0",
            "date": "2026-01-10",
        },
    ),  # fmt: skip
    "initiatives:activity_add": UrlCase(
        make=_initiative, **EDIT, post_data={"date": "2026-01-10", "kind": "event", "title": "Potluck"}
    ),
    "initiatives:milestone_edit": UrlCase(
        make=_milestone, **EDIT, post_data={"title": "Council vote moved", "due_date": "2030-02-01"}
    ),
    "initiatives:milestone_delete": UrlCase(make=_milestone, **EDIT),
    "initiatives:task_edit": UrlCase(make=_task, **EDIT, post_data={"title": "Draft the letter again"}),
    "initiatives:task_delete": UrlCase(make=_task, **EDIT),
    "initiatives:budget_edit": UrlCase(make=_budget_line, **EDIT, post_data={"item": "Venue", "amount": "300.00"}),
    "initiatives:budget_delete": UrlCase(make=_budget_line, **EDIT),
    "initiatives:funding_edit": UrlCase(
        make=_funding,
        **EDIT,
        post_data={
            "source_kind": "grant",
            "source_name": "Foundation",
            "pledged": "200",
            "received": "50",
            "date": "2026-01-10",
        },
    ),  # fmt: skip
    "initiatives:funding_delete": UrlCase(make=_funding, **EDIT),
    "initiatives:activity_edit": UrlCase(
        make=_activity, **EDIT, post_data={"date": "2026-01-10", "kind": "class", "title": "English class"}
    ),
    "initiatives:activity_delete": UrlCase(make=_activity, **EDIT),
    "initiatives:propose_practice": UrlCase(
        make=_initiative, **EDIT, post_data={"practice_note": "Both sides came back."}
    ),
    "initiatives:idea_list": UrlCase(),
}

PUBLIC = {
    "initiatives:idea_detail",
    "initiatives:idea_create",
    "initiatives:idea_edit",
    "initiatives:practice_queue",
    "initiatives:practice_publish",
}
