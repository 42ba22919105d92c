"""The board dashboard below its header, cached per organisation as rendered HTML.

Building it for an affiliate with 125 indicators takes about 80 ms on a busy 2-core
machine (8 queries, the indicator rows' arithmetic, and above all rendering 125 table
rows); from the cache it is two cache reads. The printable report, for a chosen
period, is not cached as a page; the status counts and review timeliness it shows (about 120 ms
and 100 ms for a diocese-sized affiliate) are, under the same version (selectors._versioned), and
those entries are deleted with the others here.

The key holds the organisation, its version, the active language and the organisation's
local date ("today" decides which reviews are overdue, upcoming or late). The version is
`Organization.board_version`, a random token in the database, replaced in the same
transaction as every write of what the page shows, and read with the organisation that
every request loads anyway (no query of its own). So freshness cannot be lost with the
cache: a write while Redis is away still moves the version, and the next page after it
comes back misses the old entries. `organization_changed` replaces it, and every write of
what the page shows reaches it through integration_hub.invalidation (the one mechanism for every
cache of ours): `connect` watches the models in WATCHED, the links between initiatives and needs,
and the organisation itself (its settings, its deletion by erasure or seed_scale --reset); rows
written by bulk_create (services.measurements_record for quick entry and CSV import,
services.schedule_generate_reviews) go through `invalidation.rows_written`.
The entries stored under the version before are deleted too, now and after the commit
(best effort: unreachable anyway, and they expire after an hour), so an erased organisation's
figures do not sit in the cache. Entries also expire after an hour, which bounds what a
write outside the ORM (raw SQL, `QuerySet.update`) could leave stale, and how long a
deploy that changes these templates shows the old ones (clear the cache to skip that).

Without REDIS_URL the cache is per process: run a single process then (bin/serve does),
or every other process would keep its own copy until it expires. When the cache cannot
be reached, writes still go through and the page is built without it (both logged).
"""

import logging
import secrets
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from assessments.models import Need
from evaluations import selectors
from evaluations.models import EvaluationReview, Indicator, Measurement
from initiatives.models import Activity, Funding, Initiative
from integration_hub import invalidation
from integration_hub.models import Organization

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60
# What the page shows, model by model: indicator tables, chart and status figures
# (Initiative, Indicator, Measurement), reviews (EvaluationReview), needs covered (Need,
# Initiative and their links), both sides at events (Activity), funding (Funding).
WATCHED = (Initiative, Indicator, Measurement, EvaluationReview, Need, Activity, Funding)


def _stored_key(organization_id: int) -> str:
    """The version the cached entries were last stored under (to delete them once replaced)."""
    return f"evaluations:board:{organization_id}:stored"


def _key(organization_id: int, version: str, language: str, today: date) -> str:
    return f"evaluations:board:{organization_id}:{version}:{language}:{today.isoformat()}"


def _drop_entries(organization_id: int) -> None:
    try:
        cache.delete_many([selectors.versioned_key(organization_id, figure) for figure in selectors.VERSIONED_FIGURES])
    except Exception:
        logger.warning("The board figures of organisation %s could not be deleted.", organization_id)
    try:
        old = cache.get(_stored_key(organization_id))
        if old is not None:
            # Every time zone's date is within a day of UTC's.
            utc_today = timezone.now().date()
            days = [utc_today + timedelta(days=offset) for offset in (-1, 0, 1)]
            languages = [code for code, _name in settings.LANGUAGES]
            cache.delete_many([_key(organization_id, old, code, day) for code in languages for day in days])
    except Exception:
        # Unreachable under the new version anyway; they expire within the hour.
        logger.warning("The board dashboard entries of organisation %s could not be deleted.", organization_id)


def organization_changed(organization_id: int) -> None:
    """What the organisation's board dashboard shows may have changed: replace its version.

    In the writer's transaction, so the version moves exactly when the write commits
    (a page read before the commit stores the old figures under the old version); the
    entries under the old version are deleted now and again after the commit.
    """
    Organization.objects.filter(pk=organization_id).update(board_version=secrets.token_hex(8))
    _drop_entries(organization_id)
    transaction.on_commit(partial(_drop_entries, organization_id), robust=True)


def _forget(organization_id: int) -> None:
    _drop_entries(organization_id)  # the entries stored under its last version
    try:
        cache.delete(_stored_key(organization_id))
    except Exception:
        logger.exception("The board dashboard cache of organisation %s could not be dropped.", organization_id)


def organization_deleted(organization_id: int) -> None:
    """The organisation is gone (erasure): nothing of it stays in the cache, not even its version."""
    _forget(organization_id)
    transaction.on_commit(partial(_forget, organization_id), robust=True)


def dashboard_body(organization, today: date) -> SafeString:
    """The board dashboard below its header, from the cache when nothing it shows has
    changed since it was stored."""
    key = _key(organization.pk, organization.board_version, translation.get_language(), today)
    html = None
    try:
        html = cache.get(key)
    except Exception:
        logger.exception("The board dashboard cache could not be read; building the page without it.")
    if html is None:
        context = {**selectors.dashboard(organization, today), "today": today}
        html = str(render_to_string("evaluations/partials/dashboard_body.html", context))
        try:
            cache.set_many({key: html, _stored_key(organization.pk): organization.board_version}, TIMEOUT)
        except Exception:
            logger.exception("The board dashboard could not be stored in the cache.")
    # Rendered by our own template with autoescaping on, and stored as plain text.
    return mark_safe(html)  # noqa: S308


# --- what the page shows, watched (integration_hub.invalidation) ----------------------------


def _organization_id(instance) -> list[int]:
    """Follows the model's tenant path, through relations already loaded where it can."""
    *hops, last = getattr(type(instance), "tenant_path", "organization").split("__")
    for hop in hops:
        instance = getattr(instance, hop)
    return [getattr(instance, f"{last}_id")]


def connect() -> None:
    invalidation.watch(
        invalidation.Watch(
            name="board",
            models=WATCHED,
            owners=_organization_id,
            changed=lambda organization_id: organization_changed(organization_id),  # looked up when called
            links=(Initiative.needs.through,),  # an initiative, or a need (reverse side): both have organization_id
        )
    )
    # Its time zone decides "today"; and a save() writes the version it loaded, which may be older
    # than one a concurrent write just set: replace it again. Its deletion takes its entries with it.
    invalidation.watch(
        invalidation.Watch(
            name="board-organization",
            models=(Organization,),
            owners=lambda organization: [organization.pk],
            changed=lambda organization_id: organization_changed(organization_id),
            deleted=lambda organization_id: organization_deleted(organization_id),
        )
    )
