"""The board dashboard's cached body: fresh after every kind of write, never shared
between organisations or languages, kept per local date, and cheaper when warm.

Each test reads the dashboard once to fill the cache, writes the way a person would
(page, API, admin), and reads it again. The root conftest clears the cache before
every test.
"""

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Need
from evaluations import caching, selectors
from evaluations.models import Indicator, Measurement
from evaluations.tests.factories import (
    EvaluationReviewFactory,
    IndicatorFactory,
    InitiativeFactory,
    MeasurementFactory,
    ReviewScheduleFactory,
)
from integration_hub import invalidation
from integration_hub import services as hub_services
from integration_hub.models import Membership, Organization
from integration_hub.tests.factories import UserFactory
from integration_hub.tests.support import api_client_for, client_for, unreachable_cache

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("evaluations:dashboard")
START, TARGET_DATE = dt.date(2025, 1, 1), dt.date(2026, 1, 1)


@pytest.fixture
def civic(organization):
    """One initiative, two indicators from 0 to 100 over 2025, each measured once (40 and 10)."""
    initiative = InitiativeFactory(organization=organization, title="Civic nights")
    common = {"initiative": initiative, "baseline_date": START, "target_date": TARGET_DATE, "target_value": 100}
    bank = IndicatorFactory(name="Bank accounts", **common)
    cards = IndicatorFactory(name="ID cards", **common)
    MeasurementFactory(indicator=bank, date=dt.date(2025, 7, 1), value=40)
    MeasurementFactory(indicator=cards, date=dt.date(2025, 7, 1), value=10)
    return {"initiative": initiative, "bank": bank, "cards": cards}


@pytest.fixture
def board(client_as):
    return client_as("board")


def _read(client, **headers) -> tuple[dict, str]:
    """(chart data by indicator name, the indicator tables' HTML) as the board sees them."""
    response = client.get(DASHBOARD, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    chart = json.loads(re.search(r'id="dashboard-chart-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    tables = html[html.index('id="by-initiative-heading"') :]
    return {name: value for (name, _title), value in zip(chart["labels"], chart["values"], strict=True)}, tables


def _progress(client) -> dict:
    return _read(client)[0]


def _figures(client) -> dict:
    """The review figures at the top of the page."""
    html = client.get(DASHBOARD).content.decode()
    late = re.search(r'ev-figure">(\d+)</div>\s*<div class="ev-figure-label">reviews held late', html)
    overdue = re.search(r'ev-figure">(\d+)</div>\s*<div class="ev-figure-label">reviews overdue', html)
    on_time = re.search(r"(\d+ of \d+) reviews held or past due", html)
    return {"held_on_time": on_time.group(1), "late": late.group(1), "overdue": overdue.group(1)}


# --- every kind of write shows at once --------------------------------------------------


def test_quick_entry_shows_on_the_cached_dashboard(board, editor_client, civic):
    assert _progress(board) == {"Bank accounts": 40, "ID cards": 10}
    url = reverse("evaluations:measurement_quick_entry", args=[civic["initiative"].pk])
    data = {"date": "2025-08-01", f"indicator_{civic['bank'].pk}": "55", f"indicator_{civic['cards'].pk}": "20"}
    assert editor_client.post(url, data).status_code == 302
    assert _progress(board) == {"Bank accounts": 55, "ID cards": 20}


def test_the_measurement_form_shows_on_the_cached_dashboard(board, editor_client, civic):
    _progress(board)
    url = reverse("evaluations:measurement_create", args=[civic["bank"].pk])
    assert editor_client.post(url, {"date": "2025-08-01", "value": "70"}).status_code == 302
    assert _progress(board)["Bank accounts"] == 70


def test_a_csv_import_shows_on_the_cached_dashboard(board, editor_client, civic):
    _progress(board)
    text = "indicator,date,value,note\nBank accounts,2025-08-01,61,\nID cards,2025-08-01,33,\n"
    upload = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
    url = reverse("evaluations:measurement_import", args=[civic["initiative"].pk])
    assert editor_client.post(url, {"file": upload}).status_code == 302
    assert _progress(board) == {"Bank accounts": 61, "ID cards": 33}


def test_measurements_changed_and_deleted_through_the_api_show_on_the_cached_dashboard(
    board, editor_user, civic, organization
):
    api = api_client_for(Membership.objects.get(user=editor_user))
    measurement = Measurement.objects.get(indicator=civic["bank"])
    _progress(board)
    response = api.patch(reverse("api:measurement-detail", args=[measurement.pk]), {"value": "90"}, format="json")
    assert response.status_code == 200
    assert _progress(board)["Bank accounts"] == 90
    assert api.delete(reverse("api:measurement-detail", args=[measurement.pk])).status_code == 204
    assert _progress(board)["Bank accounts"] is None


def test_a_measurement_changed_in_the_admin_shows_on_the_cached_dashboard(board, civic):
    admin = client_for(UserFactory(is_staff=True, is_superuser=True))
    measurement = Measurement.objects.get(indicator=civic["bank"])
    _progress(board)
    url = reverse("admin:evaluations_measurement_change", args=[measurement.pk])
    data = {"indicator": civic["bank"].pk, "date": "2025-07-01", "value": "25", "note": "", "entered_by": ""}
    assert admin.post(url, data).status_code == 302
    assert _progress(board)["Bank accounts"] == 25


def test_indicators_added_edited_and_deleted_show_on_the_cached_dashboard(board, editor_client, civic):
    _progress(board)
    data = {
        "name": "Library cards", "unit": "count", "concerns": "newcomers", "direction": "increase",
        "baseline_value": "0", "baseline_date": "2025-01-01", "target_value": "50", "target_date": "2026-01-01",
    }  # fmt: skip
    assert (
        editor_client.post(reverse("evaluations:indicator_create", args=[civic["initiative"].pk]), data).status_code
        == 302
    )
    assert _progress(board) == {"Bank accounts": 40, "ID cards": 10, "Library cards": None}

    edit = {**data, "name": "Bank accounts opened", "target_value": "200"}
    url = reverse("evaluations:indicator_update", args=[civic["bank"].pk])
    assert editor_client.post(url, edit).status_code == 302
    progress, tables = _read(board)
    assert progress["Bank accounts opened"] == 20 and "Bank accounts opened" in tables

    assert editor_client.post(reverse("evaluations:indicator_delete", args=[civic["cards"].pk])).status_code == 302
    progress, tables = _read(board)
    assert "ID cards" not in progress and "ID cards" not in tables


def test_an_initiative_renamed_or_paused_shows_on_the_cached_dashboard(board, editor_user, civic):
    api = api_client_for(Membership.objects.get(user=editor_user))
    assert "Civic nights" in _read(board)[1]
    url = reverse("api:initiative-detail", args=[civic["initiative"].pk])
    assert api.patch(url, {"title": "Neighbour nights", "status": "paused"}, format="json").status_code == 200
    tables = _read(board)[1]
    assert "Neighbour nights" in tables and "Civic nights" not in tables
    assert "· Paused" in tables


def test_an_initiative_deleted_on_its_page_leaves_the_cached_dashboard(board, editor_client, civic, organization):
    other = InitiativeFactory(organization=organization, title="Market days")
    MeasurementFactory(indicator=IndicatorFactory(initiative=other, name="Stalls"), value=5)
    assert set(_progress(board)) == {"Bank accounts", "ID cards", "Stalls"}
    url = reverse("initiatives:delete", args=[civic["initiative"].pk])
    assert editor_client.post(url).status_code == 302
    progress, tables = _read(board)
    assert set(progress) == {"Stalls"} and "Civic nights" not in tables


def test_a_review_held_shows_on_the_cached_dashboard(board, editor_client, civic):
    # No schedule: holding it plans no further reviews, so only the save itself can tell the cache.
    review = EvaluationReviewFactory(schedule=None, initiative=civic["initiative"], due_date=dt.date(2025, 6, 1))
    assert _figures(board) == {"held_on_time": "0 of 1", "late": "0", "overdue": "1"}
    data = {"held_on": "2025-06-10", "findings": "More families came", "attendees": "", "feedback_newcomers": "",
            "feedback_receiving": "", "decisions": "", "next_steps": ""}  # fmt: skip
    assert editor_client.post(reverse("evaluations:review_hold", args=[review.pk]), data).status_code == 302
    assert _figures(board) == {"held_on_time": "0 of 1", "late": "1", "overdue": "0"}


def test_reviews_planned_by_a_new_schedule_show_on_the_cached_dashboard(board, editor_client, civic, editor_user):
    assert "No reviews planned." in board.get(DASHBOARD).content.decode()
    data = {"every": "3", "period": "months", "start_date": "2030-01-31", "reminder_lead_days": "7",
            "reviewers": [editor_user.pk]}  # fmt: skip
    assert (
        editor_client.post(reverse("evaluations:schedule_edit", args=[civic["initiative"].pk]), data).status_code == 302
    )
    page = board.get(DASHBOARD).content.decode()
    assert "No reviews planned." not in page and "due 31 Jan 2030" in page


def test_needs_activities_and_funding_show_on_the_cached_dashboard(board, editor_client, civic, organization):
    page = board.get(DASHBOARD).content.decode()
    assert "0 open needs are addressed by an initiative; 0 are not yet." in page
    need = {"title": "Evening English classes", "category": "education", "priority": "1", "status": "identified"}
    assert editor_client.post(reverse("assessments:need_create"), need).status_code == 302
    page = board.get(DASHBOARD).content.decode()
    assert "0 open needs are addressed by an initiative; 1 are not yet." in page and "Evening English classes" in page

    civic["initiative"].needs.add(Need.objects.get())  # the initiative now addresses it
    assert "1 open needs are addressed by an initiative; 0 are not yet." in board.get(DASHBOARD).content.decode()

    activity = {"date": "2025-03-01", "kind": "event", "title": "Potluck", "newcomers": "12", "receiving": "30",
                "unknown": "0", "volunteers": "0"}  # fmt: skip
    url = reverse("initiatives:activity_add", args=[civic["initiative"].pk])
    assert editor_client.post(url, activity).status_code == 302
    page = board.get(DASHBOARD).content.decode()
    assert re.search(r"Newcomers</span> 12 ·.*Receiving community</span> 30", page, re.S)

    funding = {"source_kind": "grant", "source_name": "Foundation", "pledged": "2500.00", "received": "0",
               "date": "2025-03-01"}  # fmt: skip
    assert (
        editor_client.post(reverse("initiatives:funding_add", args=[civic["initiative"].pk]), funding).status_code
        == 302
    )
    assert "$2,500.00" in board.get(DASHBOARD).content.decode()


def test_a_cascade_drops_the_cache_once_not_once_per_row(civic, monkeypatch):
    calls = []
    monkeypatch.setattr(caching, "organization_changed", calls.append)
    civic["initiative"].delete()  # two indicators and two measurements go with it
    assert calls == [civic["initiative"].organization_id]


def test_erasing_the_organization_deletes_its_cached_dashboard(board, civic, organization, admin_user):
    board.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")
    board.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="es")
    version = Organization.objects.get(pk=organization.pk).board_version
    today = timezone.localdate(timezone=ZoneInfo(organization.time_zone))
    stored = [caching._key(organization.pk, version, code, today) for code in ("en", "es")]
    assert all("Civic nights" in caching.cache.get(key) for key in stored)
    erasure = hub_services.erasure_request(
        organization=organization, requested_by=admin_user, typed_name=organization.name
    )
    hub_services.erasure_run_due(now=erasure.scheduled_for + dt.timedelta(minutes=1))
    assert not Organization.objects.filter(pk=organization.pk).exists()
    # Nothing of the organisation is left, not even the version its entries were stored under.
    assert caching.cache.get(caching._stored_key(organization.pk)) is None
    assert caching.cache.get_many(stored) == {}  # gone, not just out of reach


def test_the_version_moves_with_the_writers_transaction(organization, django_capture_on_commit_callbacks):
    before = Organization.objects.get(pk=organization.pk).board_version
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        caching.organization_changed(organization.pk)
        during = Organization.objects.get(pk=organization.pk).board_version
    assert during != before and len(callbacks) == 1  # the old entries are dropped again after commit
    with pytest.raises(RuntimeError), transaction.atomic():
        caching.organization_changed(organization.pk)
        raise RuntimeError("the write failed")
    assert Organization.objects.get(pk=organization.pk).board_version == during  # rolled back with it


def _figures_survive(board, editor_client, civic, settings, failing_cache):
    """Read (cache filled), write while the cache fails, cache back: the next page is fresh."""
    assert _progress(board)["Bank accounts"] == 40
    working = settings.CACHES
    settings.CACHES = failing_cache
    url = reverse("evaluations:measurement_create", args=[civic["bank"].pk])
    assert editor_client.post(url, {"date": "2025-08-01", "value": "62"}).status_code == 302
    settings.CACHES = working  # Redis is back, with the entry stored before the outage
    assert _progress(board)["Bank accounts"] == 62


@pytest.mark.parametrize("error", ["connection", "timeout"])
def test_a_write_while_the_cache_is_down_shows_once_it_is_back(board, editor_client, civic, settings, error):
    _figures_survive(board, editor_client, civic, settings, unreachable_cache(error))


class _Unreachable:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_cache_that_is_down_stops_neither_writes_nor_the_page(board, editor_client, civic, monkeypatch):
    monkeypatch.setattr(caching, "cache", _Unreachable())
    url = reverse("evaluations:measurement_create", args=[civic["bank"].pk])
    assert editor_client.post(url, {"date": "2025-08-01", "value": "70"}).status_code == 302
    assert _progress(board)["Bank accounts"] == 70


# --- never shared ---------------------------------------------------------------------


def test_another_organizations_cached_dashboard_never_shows(board, civic, other_organization, outsider):
    theirs = IndicatorFactory(organization=other_organization, name="Lakeshore clinics")
    MeasurementFactory(indicator=theirs, value=77)
    their_board = client_for(outsider)
    for _ in range(2):  # cold, then warm
        assert _progress(board) == {"Bank accounts": 40, "ID cards": 10}
        progress, tables = _read(their_board)
        assert progress == {"Lakeshore clinics": 77} and "Civic nights" not in tables


def test_spanish_and_english_are_cached_apart(board, civic):
    for _ in range(2):  # cold, then warm
        english = _read(board, HTTP_ACCEPT_LANGUAGE="en")[1]
        spanish = _read(board, HTTP_ACCEPT_LANGUAGE="es")[1]
        assert "Off track" in english and "Indicator" in english and "Desviado" not in english
        assert "Desviado" in spanish and "Indicador" in spanish and "Off track" not in spanish


def test_the_cached_body_is_kept_per_local_date(civic, organization, django_assert_num_queries):
    caching.dashboard_body(organization, dt.date(2025, 8, 1))
    with django_assert_num_queries(0):
        caching.dashboard_body(organization, dt.date(2025, 8, 1))
    with CaptureQueriesContext(connection) as next_day:
        caching.dashboard_body(organization, dt.date(2025, 8, 2))
    assert len(next_day) > 0  # built again


def test_a_review_becomes_overdue_when_the_local_date_passes_its_due_date(board, civic, monkeypatch):
    EvaluationReviewFactory(
        schedule=ReviewScheduleFactory(initiative=civic["initiative"]), due_date=dt.date(2025, 9, 1)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2025, 9, 1))
    page = board.get(DASHBOARD).content.decode()
    assert "due 1 Sep 2025" in page and "overdue since" not in page
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2025, 9, 2))
    assert "overdue since 1 Sep 2025" in board.get(DASHBOARD).content.decode()


def test_the_dashboard_uses_the_organizations_local_date(board, civic, organization, monkeypatch):
    seen = []
    build = caching.dashboard_body
    monkeypatch.setattr(caching, "dashboard_body", lambda org, today: seen.append(today) or build(org, today))
    organization.time_zone = "Pacific/Kiritimati"  # UTC+14: a day ahead of UTC for 14 hours of it
    organization.save()
    board.get(DASHBOARD)
    assert seen == [timezone.localdate(timezone=ZoneInfo("Pacific/Kiritimati"))]


# --- cheaper when warm ----------------------------------------------------------------


def test_a_warm_cache_makes_fewer_queries(board, organization, django_assert_max_num_queries):
    for number in range(6):
        initiative = InitiativeFactory(organization=organization, title=f"Initiative {number}")
        for _ in range(4):
            indicator = IndicatorFactory(initiative=initiative, baseline_date=START, target_date=TARGET_DATE)
            MeasurementFactory(indicator=indicator, value=Decimal(number * 10))
    with CaptureQueriesContext(connection) as cold:
        assert board.get(DASHBOARD).status_code == 200
    # Warm: only what every page costs (session, user, membership, the organisation menu).
    with django_assert_max_num_queries(4):
        page = board.get(DASHBOARD).content.decode()
    assert len(cold) > 4
    assert page.count("ev-status") == 24 == Indicator.objects.count()


# --- the status counts, cached by board version (the report, overview and home read them) ---

REPORT = reverse("evaluations:report")
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}


def _report_line(client) -> str:
    html = client.get(REPORT, YEAR).content.decode()
    return re.search(r"\d+ of \d+ indicators on track, \d+ at risk, \d+ off track", html).group(0)


def test_a_changed_indicator_shows_on_the_report_at_once(board, editor_client, civic):
    # Mid-2025 both are behind the expected 50 %: bank at 40 % is at risk, cards at 10 % off track.
    before = _report_line(board)
    assert _report_line(board) == before  # the second read comes from the cache
    bank = civic["bank"]
    bank.target_value = 40  # 40 of 40: on track
    bank.save()
    assert _report_line(board) != before
    assert _report_line(board).startswith("1 of 2 indicators on track")


def test_a_new_measurement_and_a_deleted_indicator_show_on_the_report_at_once(board, civic):
    _report_line(board)
    MeasurementFactory(indicator=civic["cards"], date=dt.date(2025, 12, 1), value=100)
    assert _report_line(board).startswith("1 of 2 indicators on track")
    civic["bank"].delete()
    assert _report_line(board).startswith("1 of 1 indicators on track")


def test_a_bulk_import_shows_on_the_counts_at_once(civic, organization):
    assert selectors.indicator_status_counts(organization)["on_track"] == 0
    rows = Measurement.objects.bulk_create(
        [Measurement(indicator=civic["cards"], date=dt.date(2025, 12, 31), value=100, entered_by=None)]
    )
    invalidation.rows_written(rows)
    organization.refresh_from_db()
    assert selectors.indicator_status_counts(organization)["on_track"] == 1


def test_status_counts_are_kept_per_date_and_read_from_the_cache(civic, organization, django_assert_num_queries):
    organization.refresh_from_db()
    mid, end = dt.date(2025, 7, 1), dt.date(2025, 12, 31)
    assert selectors.indicator_status_counts(organization, mid) == selectors.indicator_status_counts(organization, end)
    before_any = selectors.indicator_status_counts(organization, dt.date(2024, 12, 31))
    assert before_any["no_data"] == 2
    with django_assert_num_queries(0):
        assert selectors.indicator_status_counts(organization, dt.date(2024, 12, 31)) == before_any
        selectors.indicator_status_counts(organization, mid)


def test_status_counts_under_another_version_are_never_read(civic, organization):
    organization.refresh_from_db()
    cache.set(
        selectors.versioned_key(organization.pk, "status-counts"),
        {"version": "old", "entries": {"latest": {"on_track": 99}}},
    )
    assert selectors.indicator_status_counts(organization)["on_track"] == 0


def test_status_counts_are_counted_when_the_cache_is_down(civic, organization, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(selectors.cache, "get", broken)
    monkeypatch.setattr(selectors.cache, "set", broken)
    assert sum(selectors.indicator_status_counts(organization).values()) == 2


def test_review_timeliness_is_read_from_the_cache_per_day_and_period(civic, organization, django_assert_num_queries):
    EvaluationReviewFactory(schedule=None, initiative=civic["initiative"], due_date=dt.date(2025, 6, 1))
    organization.refresh_from_db()
    today, year = dt.date(2025, 12, 1), (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    first = selectors.review_timeliness(organization, today, *year)
    assert (first.due, first.overdue) == (1, 1)
    with django_assert_num_queries(0):
        assert selectors.review_timeliness(organization, today, *year) == first
    # Another day or another period is its own entry: before the due date nothing counts yet.
    assert selectors.review_timeliness(organization, dt.date(2025, 5, 1), *year).due == 0
    assert selectors.review_timeliness(organization, today, dt.date(2024, 1, 1), dt.date(2024, 12, 31)).due == 0


def test_a_review_held_shows_on_the_report_at_once(board, editor_client, civic, organization):
    review = EvaluationReviewFactory(schedule=None, initiative=civic["initiative"], due_date=dt.date(2025, 6, 1))
    report = reverse("evaluations:report") + "?start=2025-01-01&end=2025-12-31"
    assert board.get(report).status_code == 200  # fills the cache
    organization.refresh_from_db()
    today = timezone.localdate()
    assert selectors.review_timeliness(organization, today, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).overdue == 1
    data = {"held_on": "2025-05-30", "findings": "Held early", "attendees": "", "feedback_newcomers": "",
            "feedback_receiving": "", "decisions": "", "next_steps": ""}  # fmt: skip
    assert editor_client.post(reverse("evaluations:review_hold", args=[review.pk]), data).status_code == 302
    organization.refresh_from_db()
    held = selectors.review_timeliness(organization, today, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (held.on_time, held.overdue) == (1, 0)


def test_review_timeliness_under_another_version_is_never_read(civic, organization):
    organization.refresh_from_db()
    today = dt.date(2025, 12, 1)
    cache.set(
        selectors.versioned_key(organization.pk, "review-timeliness"),
        {"version": "old", "entries": {f"{today}:None:None": {"due": 9, "on_time": 9, "late": 0, "overdue": 0}}},
    )
    assert selectors.review_timeliness(organization, today).due == 0
