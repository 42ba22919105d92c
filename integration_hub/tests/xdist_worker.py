"""Loaded with `-p` (pytest.ini) before Django reads its settings: under pytest-xdist
(`bin/test` runs `-n auto`), each worker gets a Redis database of its own.

The tests clear the cache, count throttles and send Celery messages, so two workers must not
share one Redis database: worker gwN uses the database REDIS_URL names plus N (REDIS_URL
…/14 with two workers → 14 and 15). The database each worker's tests run on needs nothing here:
pytest-django gives every worker its own (test_<name>_gw0, …; SQLite in memory).
Without xdist, or without REDIS_URL, this does nothing.
"""

import os
import re

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_url = os.environ.get("REDIS_URL", "")
if _worker.startswith("gw") and _url:
    _number = int(_worker.removeprefix("gw"))
    _match = re.fullmatch(r"(redis://[^/]*)(?:/(\d*))?", _url)
    if _match is None:
        raise RuntimeError(f"REDIS_URL {_url!r}: give it as redis://host:port/db to run under pytest-xdist")
    _database = int(_match.group(2) or 0) + _number
    if _database > 15:
        raise RuntimeError(f"xdist worker {_worker} would need Redis database {_database}; lower REDIS_URL's")
    os.environ["REDIS_URL"] = f"{_match.group(1)}/{_database}"
