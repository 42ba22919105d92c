"""The board dashboard below its header, cached per organisation as rendered HTML.

Building it for an affiliate with 125 indicators takes about 80 ms on a busy 2-core
machine (8 queries, the indicator rows' arithmetic, and above all rendering 125 table
rows); from the cache it is two cache reads. The printable report, for a chosen
period, is not cached.

The key holds the organisation, its version, the active language and the organisation's
local date ("today" decides which reviews are overdue, upcoming or late). The version is
a random token kept in the cache, and replacing it is the only invalidation there is:
`organization_changed` does it, and every write of what the page shows reaches it —
- the receivers below, for each save and delete through the ORM (pages, API, admin,
  cascades) of the models in WATCHED, for links between initiatives and needs, and for
  a deleted organisation (erasure, seed_scale --reset);
- `rows_written`, for bulk_create, which sends no signals: services.measurements_record
  (quick entry, CSV import) and services.schedule_generate_reviews.
A token rather than a counter: if the cache drops it, the next one cannot match entries
written under an earlier one. Entries also expire after an hour, which bounds what a
write outside the ORM (raw SQL, `QuerySet.update`) could leave stale, and how long a
deploy that changes these templates shows the old ones (clear the cache to skip that).

Without REDIS_URL the cache is per process: run a single process then (bin/serve does),
or every other process would keep its own copy until it expires. When the cache cannot
be reached, writes still go through and the page is built without it (both logged);
what the cache held before the outage can then be up to an hour old.
"""

import logging
import secrets
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from assessments.models import Need
from evaluations import selectors
from evaluations.models import EvaluationReview, Indicator, Measurement
from initiatives.models import Activity, Funding, Initiative
from integration_hub.models import Organization

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60
# What the page shows, model by model: indicator tables, chart and status figures
# (Initiative, Indicator, Measurement), reviews (EvaluationReview), needs covered (Need,
# Initiative and their links), both sides at events (Activity), funding (Funding).
WATCHED = (Initiative, Indicator, Measurement, EvaluationReview, Need, Activity, Funding)


def _version_key(organization_id: int) -> str:
    return f"evaluations:board:{organization_id}:version"


def _key(organization_id: int, version: str, language: str, today: date) -> str:
    return f"evaluations:board:{organization_id}:{version}:{language}:{today.isoformat()}"


def _new_version(organization_id: int) -> None:
    try:
        old = cache.get(_version_key(organization_id))
        cache.set(_version_key(organization_id), secrets.token_hex(8), timeout=None)
        if old is not None:
            # Unreachable now; delete them anyway, so an erased organisation's figures do not
            # sit in the cache until they expire. Every time zone's date is within a day of UTC's.
            utc_today = timezone.now().date()
            days = [utc_today + timedelta(days=offset) for offset in (-1, 0, 1)]
            languages = [code for code, _name in settings.LANGUAGES]
            cache.delete_many([_key(organization_id, old, code, day) for code in languages for day in days])
    except Exception:
        # A cache that is down must not stop anyone saving their work; what it holds expires.
        logger.exception("The board dashboard cache of organisation %s could not be dropped.", organization_id)


def organization_changed(organization_id: int) -> None:
    """What the organisation's board dashboard shows may have changed: drop its cached copy.

    Now, so the next page (and a test inside a transaction) sees the change; and again
    after commit, because a page read between now and the commit could have stored the
    old figures under the new version.
    """
    _new_version(organization_id)
    transaction.on_commit(partial(_new_version, organization_id), robust=True)


def _forget(organization_id: int) -> None:
    _new_version(organization_id)  # deletes the entries stored under the current version
    try:
        cache.delete(_version_key(organization_id))
    except Exception:
        logger.exception("The board dashboard cache of organisation %s could not be dropped.", organization_id)


def organization_deleted(organization_id: int) -> None:
    """The organisation is gone (erasure): nothing of it stays in the cache, not even its version."""
    _forget(organization_id)
    transaction.on_commit(partial(_forget, organization_id), robust=True)


def rows_written(rows) -> None:
    """For rows of a WATCHED model written without signals (bulk_create): each of their
    organisations once, looked up once per parent row (5 000 imported values of one
    initiative's indicators are one lookup per indicator at most)."""
    one_per_parent = {}
    for row in rows:
        parent = getattr(type(row), "tenant_path", "organization").split("__")[0]
        one_per_parent.setdefault(getattr(row, f"{parent}_id"), row)
    for organization_id in {_organization_id(row) for row in one_per_parent.values()}:
        organization_changed(organization_id)


def dashboard_body(organization, today: date) -> SafeString:
    """The board dashboard below its header, from the cache when nothing it shows has
    changed since it was stored."""
    key = html = None
    try:
        version = cache.get_or_set(_version_key(organization.pk), lambda: secrets.token_hex(8), timeout=None)
        key = _key(organization.pk, version, translation.get_language(), today)
        html = cache.get(key)
    except Exception:
        logger.exception("The board dashboard cache could not be read; building the page without it.")
    if html is None:
        context = {**selectors.dashboard(organization, today), "today": today}
        html = str(render_to_string("evaluations/partials/dashboard_body.html", context))
        if key is not None:
            try:
                cache.set(key, html, TIMEOUT)
            except Exception:
                logger.exception("The board dashboard could not be stored in the cache.")
    # Rendered by our own template with autoescaping on, and stored as plain text.
    return mark_safe(html)  # noqa: S308


# --- receivers: every ORM write of what the page shows -----------------------------------


def _organization_id(instance) -> int:
    """Follows the model's tenant path, through relations already loaded where it can."""
    *hops, last = getattr(type(instance), "tenant_path", "organization").split("__")
    for hop in hops:
        instance = getattr(instance, hop)
    return getattr(instance, f"{last}_id")


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures: related rows may not be loaded yet
        organization_changed(_organization_id(instance))


def _deleted(sender, instance, origin=None, **kwargs):
    # A cascade (an initiative taking its indicators, measurements and reviews with it)
    # is handled once, by the receiver of the row whose deletion started it.
    started_here = origin is instance or (isinstance(origin, models.QuerySet) and origin.model is sender)
    if started_here and sender is Organization:
        organization_deleted(instance.pk)
    elif started_here:
        organization_changed(_organization_id(instance))


def _needs_linked(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        organization_changed(instance.organization_id)  # an initiative, or a need (reverse side)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_saved, sender=model, dispatch_uid=f"board-cache-save-{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"board-cache-delete-{model._meta.label}")
    post_delete.connect(_deleted, sender=Organization, dispatch_uid="board-cache-delete-organization")
    m2m_changed.connect(_needs_linked, sender=Initiative.needs.through, dispatch_uid="board-cache-needs")
