"""Progress and status arithmetic for indicators (pure functions, no queries).

progress = (latest − baseline) / (target − baseline), clamped to 0–100 %.
It works for both directions: for a decrease, target − baseline is negative and
so is a good change.

Status compares progress with the straight line from (baseline date, 0 %) to
(target date, 100 %), read at the date of the latest measurement:
- on track: progress ≥ 90 % of what the line expects by then;
- at risk: ≥ 60 %;
- off track: below 60 %;
- no data: nothing measured yet.
Before the line has started (expected 0 %), any measurement counts as on track.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ON_TRACK_SHARE = Decimal("0.9")
AT_RISK_SHARE = Decimal("0.6")

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on_track", "at_risk", "off_track", "no_data"
STATUS_LABELS = {ON_TRACK: _("On track"), AT_RISK: _("At risk"), OFF_TRACK: _("Off track"), NO_DATA: _("No data yet")}
# Bootstrap contextual colours; the status word is always printed next to the colour.
STATUS_COLOURS = {ON_TRACK: "success", AT_RISK: "warning", OFF_TRACK: "danger", NO_DATA: "secondary"}


def _clamp(value: Decimal) -> Decimal:
    return max(Decimal(0), min(Decimal(1), value))


def progress(baseline: Decimal, target: Decimal, latest: Decimal | None) -> Decimal | None:
    """Share of the way from baseline to target, 0..1; None without a measurement."""
    if latest is None or target == baseline:
        return None
    return _clamp((Decimal(latest) - baseline) / (target - baseline))


def expected(baseline_date: date, target_date: date, on: date) -> Decimal:
    """Share of the way the straight line has reached on `on`, 0..1."""
    span = (target_date - baseline_date).days
    if span <= 0:
        return Decimal(1)
    return _clamp(Decimal((on - baseline_date).days) / Decimal(span))


def status(progress_share: Decimal | None, expected_share: Decimal) -> str:
    if progress_share is None:
        return NO_DATA
    if expected_share <= 0:
        return ON_TRACK
    ratio = progress_share / expected_share
    if ratio >= ON_TRACK_SHARE:
        return ON_TRACK
    if ratio >= AT_RISK_SHARE:
        return AT_RISK
    return OFF_TRACK


@dataclass(frozen=True)
class Progress:
    latest_value: Decimal | None
    latest_date: date | None
    share: Decimal | None  # 0..1
    expected_share: Decimal | None
    status: str

    @property
    def percent(self) -> int | None:
        return None if self.share is None else int((self.share * 100).quantize(Decimal(1)))

    @property
    def expected_percent(self) -> int | None:
        return None if self.expected_share is None else int((self.expected_share * 100).quantize(Decimal(1)))

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def indicator_progress(indicator, latest_value: Decimal | None, latest_date: date | None) -> Progress:
    return progress_of(
        indicator.baseline_value,
        indicator.target_value,
        indicator.baseline_date,
        indicator.target_date,
        latest_value,
        latest_date,
    )


def progress_of(
    baseline_value: Decimal,
    target_value: Decimal,
    baseline_date: date,
    target_date: date,
    latest_value: Decimal | None,
    latest_date: date | None,
) -> Progress:
    """The one computation, from plain values (selectors.indicator_status_counts reads them without
    building an Indicator per row)."""
    share = progress(baseline_value, target_value, latest_value)
    if share is None or latest_date is None:
        return Progress(latest_value, latest_date, None, None, NO_DATA)
    exp = expected(baseline_date, target_date, latest_date)
    return Progress(latest_value, latest_date, share, exp, status(share, exp))
