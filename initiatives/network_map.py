"""The network map (/network/initiatives/map/): a measure per US state, and the affiliates' cities.

It lives in step 3, not in the core, because its default measures count initiatives and the core
imports no step; the states and city coordinates it draws on are the core's (integration_hub.geo).

`network_map()` is the one read behind both the map and its table (one truth): the browser gets
exactly the rows the table prints, as JSON. Two queries whatever the number of affiliates: the
affiliates (name, city, state) and the measure grouped by state.

Measures are pluggable: `register_measure(key, label, by_state)` where `by_state(affiliates, filters)`
returns {state code: number} for an `affiliates` queryset and the page's filters (status,
category). A later step adds its own in its AppConfig.ready(), e.g. the shared indicators
(evaluations sits above initiatives, so it may import this module; this module never imports it):

    network_map.register_measure(f"shared-{s.pk}", s.name, lambda affiliates, filters: {
        state: row["value"] for state, row in shared_indicator_by_state(s, affiliates=affiliates).items()})
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from integration_hub import geo
from integration_hub.network import affiliates as all_affiliates

ByState = Callable[..., dict[str, float]]
BUCKETS = 5  # colour classes of the scale; static/css/initiatives.css defines .map-b1 … .map-b5


@dataclass(frozen=True)
class MapMeasure:
    key: str
    label: str | Promise
    by_state: ByState
    uses_initiative_filters: bool = True


MEASURES: dict[str, MapMeasure] = {}


def register_measure(key: str, label, by_state: ByState, *, uses_initiative_filters: bool = True) -> None:
    MEASURES[key] = MapMeasure(key, label, by_state, uses_initiative_filters)


def _initiatives(affiliates, filters: dict, **extra) -> dict[str, float]:
    rows = Initiative.objects.filter(organization__in=affiliates, **extra)
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("category"):
        rows = rows.filter(category=filters["category"])
    return dict(rows.order_by().values_list("organization__state").annotate(n=Count("pk")))


def _affiliates(affiliates, _filters: dict) -> dict[str, float]:
    return dict(affiliates.order_by().values_list("state").annotate(n=Count("pk")))


register_measure("initiatives", _("Initiatives"), _initiatives)
register_measure(
    "active", _("Active initiatives"), lambda a, f: _initiatives(a, {**f, "status": Initiative.Status.ACTIVE})
)
register_measure("affiliates", _("Affiliates"), _affiliates, uses_initiative_filters=False)


def breaks(maximum: float) -> list[tuple[float, float]]:
    """Up to BUCKETS classes (low, high) covering 1 … maximum in whole steps: 3 → (1,1) (2,2) (3,3)."""
    if maximum <= 0:
        return []
    step = max(1, math.ceil(maximum / BUCKETS))
    return [(low, min(low + step - 1, maximum)) for low in range(1, int(math.ceil(maximum)) + 1, step)]


def bucket(value: float, classes: list[tuple[float, float]]) -> int:
    """0 for nothing, else 1 … len(classes)."""
    for index, (_low, high) in enumerate(classes, start=1):
        if value <= high:
            return index if value > 0 else 0
    return len(classes) if value > 0 else 0


def network_map(measure: str = "initiatives", *, state: str = "", status: str = "", category: str = "") -> dict:
    """Everything the map page shows: per state its name, value, colour class and affiliate count
    (states with affiliates, and a "" row for affiliates without a state), the legend's classes,
    and one point per affiliate city ([lon, lat], or None: the map puts it at its state's centre)."""
    chosen = MEASURES.get(measure) or MEASURES["initiatives"]
    affiliates = all_affiliates()
    if state:
        affiliates = affiliates.filter(state=state)
    people = list(affiliates.order_by("state", "city", "name").values("pk", "name", "city", "state"))
    filters = {"status": status, "category": category} if chosen.uses_initiative_filters else {}
    values = chosen.by_state(affiliates, filters)
    counts: dict[str, int] = {}
    points: dict[tuple[str, str], dict] = {}
    for org in people:
        code = org["state"].upper()
        counts[code] = counts.get(code, 0) + 1
        if not code:
            continue
        city = " ".join(org["city"].split())
        key = (code, city.casefold())
        point = points.setdefault(
            key, {"city": city, "state": code, "coordinates": geo.place(city, code), "affiliates": []}
        )
        point["affiliates"].append(org["name"])
    classes = breaks(max([v for k, v in values.items() if k] or [0]))
    rows = []
    for code in sorted(counts, key=lambda c: (c == "", geo.STATES.get(c, ("", c))[1])):
        fips, name = geo.STATES.get(code, ("", code))
        value = values.get(code, 0) or 0
        rows.append({
            "state": code, "name": name, "fips": fips, "value": value, "affiliates": counts[code],
            "bucket": bucket(value, classes) if code else 0, "on_map": bool(fips),
        })  # fmt: skip
    return {
        "measure": chosen.key,
        "label": str(chosen.label),
        "rows": rows,
        "legend": [{"bucket": i, "low": low, "high": high} for i, (low, high) in enumerate(classes, start=1)],
        "points": list(points.values()),
        "placed": sum(len(p["affiliates"]) for p in points.values() if p["coordinates"]),
        "at_centre": sum(len(p["affiliates"]) for p in points.values() if not p["coordinates"]),
        "without_state": counts.get("", 0),
    }
