"""Writes for plans: the plan with its picks, publishing a version, asking for and recording
endorsements (which become step-2 commitments)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from stakeholders import services as stakeholder_services
from stakeholders.models import Commitment

from . import selectors
from .models import Endorsement, Plan, PlanVersion, Story

PICKS = ("needs", "initiatives", "indicators", "partners", "stories")
STATEMENT_MAX = 2000


def _check_picks(organization, picks: dict) -> None:
    """Every pick must be a row of the plan's own organisation (the forms scope their choices
    too; this is the rule for any other caller)."""
    allowed = selectors.pickable(organization)
    for name, rows in picks.items():
        ids = {row.pk for row in rows}
        if ids and allowed[name].filter(pk__in=ids).count() != len(ids):
            raise ValidationError({name: _("Pick only your own organisation's rows.")})


@transaction.atomic
def plan_save(*, plan: Plan, picks: dict) -> Plan:
    """Create or update a plan and set its picks (needs, initiatives, indicators, partners)."""
    _check_picks(plan.organization, picks)
    plan.full_clean()
    plan.save()
    for name in PICKS:
        if name in picks:
            getattr(plan, name).set(picks[name])
    return plan


@transaction.atomic
def version_publish(*, plan: Plan, published_by, today=None) -> PlanVersion:
    """Freeze what the plan shows now, in every language, as the next version."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # two publishers get 2 and 3, not 2 twice
    last = plan.versions.aggregate(n=Max("number"))["n"] or 0
    return PlanVersion.objects.create(
        plan=plan,
        number=last + 1,
        snapshot=selectors.plan_snapshot(plan, today),
        published_by=published_by,
    )


@transaction.atomic
def public_page_set(*, plan: Plan, public: bool) -> Plan:
    """Turn the plan's public progress page on or off. Off answers 404 at once: the page is read
    on every request and never cached. The slug is made once, random and unguessable."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if public and not plan.versions.exists():
        raise ValidationError(_("Publish a version first: the public page shows the latest published version."))
    if public and not plan.public_slug:
        plan.public_slug = secrets.token_urlsafe(24)
    plan.is_public = public
    plan.save(update_fields=["is_public", "public_slug", "updated_at"])
    return plan


@transaction.atomic
def endorsements_request(*, version: PlanVersion, stakeholders) -> list[tuple[Endorsement, str]]:
    """Ask each stakeholder (once per version) to endorse it. Returns (endorsement, token) pairs:
    the token is the private link's secret and is not kept, only its hash."""
    organization = version.plan.organization
    asked = []
    for stakeholder in stakeholders:
        if stakeholder.organization_id != organization.pk:
            raise ValidationError(_("Ask only your own organisation's stakeholders."))
        if Endorsement.objects.filter(version=version, stakeholder=stakeholder).exists():
            continue
        token = secrets.token_urlsafe(32)
        endorsement = Endorsement.objects.create(
            version=version, stakeholder=stakeholder, token_hash=selectors.hash_token(token)
        )
        asked.append((endorsement, token))
    return asked


@transaction.atomic
def endorsement_answer(
    *, endorsement: Endorsement, endorse: bool, name: str = "", title: str = "", statement: str = ""
) -> Endorsement:
    """Record the answer once. An endorsement also becomes a kept commitment in step 2."""
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.decision:
        raise ValidationError(_("This request was already answered."))
    name, title, statement = name.strip(), title.strip(), statement.strip()
    if endorse and not name:
        raise ValidationError({"signed_name": _("Write your name to endorse the plan.")})
    if len(statement) > STATEMENT_MAX:
        raise ValidationError({"statement": _("Keep the statement under 2000 characters.")})
    endorsement.decision = Endorsement.Decision.ENDORSED if endorse else Endorsement.Decision.DECLINED
    endorsement.answered_at = timezone.now()
    endorsement.signed_name, endorsement.signed_title, endorsement.statement = name, title, statement
    if endorse:
        version = endorsement.version
        # Staff read the commitment in the site's language, whatever language the signer read in.
        with override(settings.LANGUAGE_CODE):
            promise = _("Endorsed the plan “%(plan)s” (version %(number)s)") % {
                "plan": version.plan.title,
                "number": version.number,
            }
        endorsement.commitment = stakeholder_services.commitment_create(
            stakeholder=endorsement.stakeholder,
            promise=promise[:300],
            made_on=timezone.localdate(),
            status=Commitment.Status.KEPT,
            evidence=statement,
        )
    endorsement.full_clean()
    endorsement.save()
    return endorsement


def story_save(*, story: Story) -> Story:
    if story.initiative.organization_id != story.organization_id:
        raise ValidationError({"initiative": _("Pick one of your own initiatives.")})
    story.full_clean()
    story.save()
    return story


@transaction.atomic
def story_withdraw(*, story: Story) -> None:
    """Consent withdrawn: the story is deleted, so it leaves the plan, its versions (which read
    stories live) and every other page at once. Nothing of it is kept."""
    story.delete()
