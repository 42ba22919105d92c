"""The network map (/network/initiatives/map/): a measure per US state, and the affiliates' cities.

It lives in step 3, not in the core, because its default measures count initiatives and the core
imports no step; the states and city coordinates it draws on are the core's (integration_hub.geo).

`network_map()` is the one read behind both the map and its table (one truth): the browser gets
exactly the rows the table prints, as JSON. Two queries whatever the number of affiliates: the
affiliates (name, city, state) and the measure grouped by state.

Measures are pluggable: `register_measure(key, label, by_state)` where `by_state(affiliates, filters)`
returns {state code: number} for an `affiliates` queryset and the page's filters (status,
category). Measures that exist only as rows (one per shared indicator) come from a source
registered with `register_measures(source)`: `source()` gives MapMeasure rows at request time, so a
new shared indicator is offered at once and nothing reads the database at start-up. Step 4 registers
its shared indicators so in its AppConfig.ready() (evaluations sits above initiatives, so it may import
this module; this module never imports it).

`by_state(keys)` is the one by-state reading: the map's table and the network overview's "by state"
table both come from it.
"""

import math
from collections.abc import Callable, Iterable
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
    # A count is 0 where nothing is counted; a measured figure (a shared indicator's) is missing
    # (None, "no data") where no affiliate reports it.
    missing_is_zero: bool = True
    note: str | Promise = ""  # what the figure is, said above the legend


MEASURES: dict[str, MapMeasure] = {}
_SOURCES: list[Callable[[], Iterable[MapMeasure]]] = []


def register_measure(key: str, label, by_state: ByState, *, uses_initiative_filters: bool = True) -> None:
    MEASURES[key] = MapMeasure(key, label, by_state, uses_initiative_filters)


def register_measures(source: Callable[[], Iterable[MapMeasure]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def measures() -> dict[str, MapMeasure]:
    """Every measure the map offers: the registered ones, then those of each source (one query each)."""
    found = dict(MEASURES)
    for source in _SOURCES:
        found.update((m.key, m) for m in source())
    return found


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


def breaks(maximum: float, whole: bool = True) -> list[tuple[float, float]]:
    """Up to BUCKETS classes (low, high) covering 1 … maximum in whole steps: 3 → (1,1) (2,2) (3,3);
    for figures that are not whole numbers (a median score of 4.4), BUCKETS equal classes from 0."""
    if maximum <= 0:
        return []
    if not whole:
        step = maximum / BUCKETS
        return [(round(step * i, 2), round(step * (i + 1), 2)) for i in range(BUCKETS)]
    step = max(1, math.ceil(maximum / BUCKETS))
    return [(low, min(low + step - 1, maximum)) for low in range(1, int(math.ceil(maximum)) + 1, step)]


def bucket(value: float | None, classes: list[tuple[float, float]]) -> int:
    """0 for nothing (or no data), else 1 … len(classes)."""
    if value is None or value <= 0:
        return 0
    for index, (_low, high) in enumerate(classes, start=1):
        if value <= high:
            return index
    return len(classes)


def _number(value):
    """A whole number as int, else a float (Decimal figures would reach the page's JSON as text)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _chosen(keys, available) -> list[MapMeasure]:
    available = measures() if available is None else available
    return [available.get(key) or available["initiatives"] for key in keys]


def _state_rows(counts: dict[str, int], chosen: list[MapMeasure], affiliates, status: str, category: str):
    """Per state with affiliates (by name, then "" for those without): code, name, FIPS code,
    affiliates and each measure's value by key."""
    values = {}
    for measure in chosen:
        filters = {"status": status, "category": category} if measure.uses_initiative_filters else {}
        found = measure.by_state(affiliates, filters)
        missing = 0 if measure.missing_is_zero else None
        values[measure.key] = {code: _number(found[code]) if code in found else missing for code in counts}
    rows = []
    for code in sorted(counts, key=lambda c: (c == "", geo.STATES.get(c, ("", c))[1])):
        fips, name = geo.STATES.get(code, ("", code))
        rows.append({
            "state": code, "name": name, "fips": fips, "affiliates": counts[code], "on_map": bool(fips),
            "values": {key: values[key][code] for key in values},
        })  # fmt: skip
    return rows


def by_state(keys=("initiatives",), *, state="", status="", category="", available=None) -> list[dict]:
    """The one by-state reading (the map's table, the network overview's by-state table): per state
    with affiliates its name, affiliates and each measure's value ("values": {key: value}). One query
    for the affiliates and one per measure."""
    affiliates = all_affiliates()
    if state:
        affiliates = affiliates.filter(state=state)
    counts: dict[str, int] = {}
    for code, n in affiliates.order_by().values_list("state").annotate(n=Count("pk")).order_by():
        counts[code.upper()] = counts.get(code.upper(), 0) + n  # "oh" and "OH" are one state, as on the map
    return _state_rows(counts, _chosen(keys, available), affiliates, status, category)


def network_map(
    measure: str = "initiatives", *, state: str = "", status: str = "", category: str = "", available=None
) -> dict:
    """Everything the map page shows: per state its name, value, colour class and affiliate count
    (states with affiliates, and a "" row for affiliates without a state), the legend's classes,
    and one point per affiliate city ([lon, lat], or None: the map puts it at its state's centre)."""
    (chosen,) = _chosen([measure], available)
    affiliates = all_affiliates()
    if state:
        affiliates = affiliates.filter(state=state)
    people = list(affiliates.order_by("state", "city", "name").values("pk", "name", "city", "state"))
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
    rows = _state_rows(counts, [chosen], affiliates, status, category)
    shown = [row["values"][chosen.key] for row in rows if row["state"] and row["values"][chosen.key] is not None]
    classes = breaks(max(shown or [0]), whole=all(float(v).is_integer() for v in shown))
    for row in rows:
        row["value"] = row.pop("values")[chosen.key]
        row["bucket"] = bucket(row["value"], classes) if row["state"] else 0
    return {
        "measure": chosen.key,
        "label": str(chosen.label),
        "missing_is_zero": chosen.missing_is_zero,
        "note": str(chosen.note),
        "rows": rows,
        "legend": [{"bucket": i, "low": low, "high": high} for i, (low, high) in enumerate(classes, start=1)],
        "points": list(points.values()),
        "placed": sum(len(p["affiliates"]) for p in points.values() if p["coordinates"]),
        "at_centre": sum(len(p["affiliates"]) for p in points.values() if not p["coordinates"]),
        "without_state": counts.get("", 0),
    }
