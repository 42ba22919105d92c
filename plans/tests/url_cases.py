"""Access cases for this app's URLs (see integration_hub.tests.support.UrlCase)."""

from integration_hub import permissions
from integration_hub.tests.support import UrlCase
from plans import services
from plans.tests.factories import PlanFactory, StoryFactory
from stakeholders.tests.factories import StakeholderFactory

EDIT = permissions.EDIT
ADMIN = permissions.ADMIN
FORM = ("GET", "POST")
PLAN_POST = {
    "title": "Welcoming Riverside 2026–2028",
    "community": "City of Riverside",
    "period_start": "2026-01-01",
    "period_end": "2028-12-31",
}


def _plan(org):
    return {"pk": PlanFactory(organization=org).pk}


def _story(org):
    return {"pk": StoryFactory(organization=org).pk}


def _published_plan(org):
    plan = PlanFactory(organization=org)
    services.version_publish(plan=plan, published_by=None)
    return {"pk": plan.pk}


def _version(org):
    plan = PlanFactory(organization=org)
    StakeholderFactory(organization=org)  # someone to ask
    version = services.version_publish(plan=plan, published_by=None)
    return {"pk": plan.pk, "number": version.number}


CASES = {
    "plans:index": UrlCase(),
    "plans:create": UrlCase(permission=EDIT, methods=FORM, post_data=PLAN_POST),
    "plans:detail": UrlCase(make=_plan),
    "plans:update": UrlCase(make=_plan, permission=EDIT, methods=FORM, post_data=PLAN_POST),
    "plans:delete": UrlCase(make=_plan, permission=EDIT, methods=FORM),
    "plans:publish": UrlCase(make=_plan, permission=EDIT, methods=("POST",)),
    "plans:public_toggle": UrlCase(
        make=_published_plan, permission=ADMIN, methods=("POST",), post_data={"public": "on"}
    ),
    "plans:version": UrlCase(make=_version),
    "plans:version_pdf": UrlCase(make=_version),
    "plans:endorsement_request": UrlCase(make=_version, permission=EDIT, methods=FORM),
    "plans:story_list": UrlCase(),
    "plans:story_create": UrlCase(permission=EDIT, methods=FORM),
    "plans:story_update": UrlCase(make=_story, permission=EDIT, methods=FORM),
    "plans:story_withdraw": UrlCase(make=_story, permission=EDIT, methods=FORM),
}

# The stakeholder's private link and the public progress page (and its embed) need no login:
# their own tests are in test_endorsement.py and test_public_page.py (a wrong or unpublished
# link answers 404, too many wrong ones 429); the hostile walk reaches them with hostile slugs.
PUBLIC = {"plans:endorse", "plans:public", "plans:public_embed"}
