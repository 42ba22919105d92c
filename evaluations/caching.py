"""The indicator part of the board dashboard, cached per organisation.

What is cached: the rendered "Indicators by initiative" tables, the chart's data and the
status figures. They cost about 70 ms for an affiliate with 125 indicators (8 ms of
queries and arithmetic, the rest rendering); reviews and steps 1 to 3 are a few cheap
queries and stay live.

The key holds the organisation, its version, the active language and the organisation's
local date. The version is a random token kept in the cache, and replacing it is the
only invalidation there is: `organization_changed` does it, and every writer reaches it —
- the receivers below, for each save and delete through the ORM of an initiative, an
  indicator or a measurement (pages, API, admin, cascades), and for a deleted
  organisation (erasure, seed_scale --reset);
- `measurements_written`, for bulk_create (quick entry, CSV import), which sends no signals.
A token rather than a counter: if the cache drops it, the next one cannot match entries
written under an earlier one. Entries also expire after an hour, which bounds what a
write outside the ORM (raw SQL, `QuerySet.update`) could leave stale.

Without REDIS_URL the cache is per process: run a single process then (bin/serve does),
or every other process would keep its own copy until it expires.
"""

import secrets
from datetime import date
from functools import partial

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from evaluations import selectors
from evaluations.models import Indicator, Measurement
from initiatives.models import Initiative
from integration_hub.models import Organization

TIMEOUT = 60 * 60
# Raise when the cached payload's shape changes, so a deploy never reads the old one.
FORMAT = 1
WATCHED = (Initiative, Indicator, Measurement)


def _version_key(organization_id: int) -> str:
    return f"evaluations:board:{organization_id}:version"


def _new_version(organization_id: int) -> None:
    cache.set(_version_key(organization_id), secrets.token_hex(8), timeout=None)


def organization_changed(organization_id: int) -> None:
    """What the organisation's board dashboard shows may have changed: drop its cached part.

    Now, so the next page (and a test inside a transaction) sees the change; and again
    after commit, because a page read between now and the commit could have stored the
    old figures under the new version.
    """
    _new_version(organization_id)
    transaction.on_commit(partial(_new_version, organization_id), robust=True)


def measurements_written(measurements) -> None:
    """For measurements written without signals (bulk_create)."""
    indicator_ids = {m.indicator_id for m in measurements}
    if not indicator_ids:
        return
    organization_ids = Initiative.objects.filter(indicators__in=indicator_ids).values_list("organization_id", flat=True)
    for organization_id in set(organization_ids):
        organization_changed(organization_id)


def dashboard_indicators(organization, today: date) -> dict:
    """`status_counts`, `indicator_count`, `chart` and `indicator_tables` (HTML) for the
    board dashboard, from the cache when nothing has changed since they were stored."""
    version = cache.get_or_set(_version_key(organization.pk), lambda: secrets.token_hex(8), timeout=None)
    key = f"evaluations:board:{organization.pk}:{version}:{translation.get_language()}:{today.isoformat()}:{FORMAT}"
    part = cache.get(key)
    if part is None:
        part = _indicator_part(organization)
        cache.set(key, part, TIMEOUT)
    # Rendered by our own template with autoescaping on, then stored as plain text.
    return {**part, "indicator_tables": mark_safe(part["indicator_tables"])}  # noqa: S308


def _indicator_part(organization) -> dict:
    overview = selectors.indicator_overview(selectors.organization_indicators(organization))
    tables = render_to_string("evaluations/partials/initiative_tables.html", {"initiatives": overview["initiatives"]})
    # Plain values only (no model instances, no lazy strings): what is pickled is what is shown.
    return {
        "indicator_tables": str(tables),
        "status_counts": overview["status_counts"],
        "indicator_count": overview["indicator_count"],
        "chart": overview["chart"],
    }


# --- receivers: every ORM write of what the cached part shows -----------------------------


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
    # A cascade (an initiative taking its indicators and their measurements with it) is
    # handled once, by the receiver of the row whose deletion started it.
    started_here = origin is instance or (isinstance(origin, models.QuerySet) and origin.model is sender)
    if started_here:
        organization_changed(instance.pk if sender is Organization else _organization_id(instance))


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_saved, sender=model, dispatch_uid=f"board-cache-save-{model._meta.label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"board-cache-delete-{model._meta.label}")
    post_delete.connect(_deleted, sender=Organization, dispatch_uid="board-cache-delete-organization")
