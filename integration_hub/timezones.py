"""An organisation's own time zone: times are stored in UTC and shown (and "today" computed) in it."""

import zoneinfo
from datetime import date, datetime, tzinfo

from django.utils import timezone


def zone(name: str) -> tzinfo:
    """The named zone, or the site's default when the name is not one."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def local_date(time_zone: str, now: datetime | None = None) -> date:
    """Today's date in an organisation's time zone (for work done outside a request)."""
    return (now or timezone.now()).astimezone(zone(time_zone)).date()
