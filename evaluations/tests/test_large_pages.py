"""The evaluation overview, board dashboard and report stay bounded for an affiliate larger than
their page sizes: a bounded number of rows, the totals of every row, and links to the rest."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from evaluations import selectors
from evaluations.tests.factories import (
    EvaluationReviewFactory,
    IndicatorFactory,
    InitiativeFactory,
    MeasurementFactory,
    ReviewScheduleFactory,
)

pytestmark = pytest.mark.django_db

COMMON = {"baseline_date": dt.date(2025, 1, 1), "target_date": dt.date(2026, 1, 1), "baseline_value": 0}


@pytest.fixture
def large(organization, settings):
    """9 initiatives (titles in a known order) with one indicator each: 4 on track, 5 off track;
    14 overdue reviews and 3 held ones; 3 rows per summary and 4 per page."""
    settings.SUMMARY_ROWS = 3
    settings.PAGE_SIZE = 4
    initiatives = []
    for number in range(9):
        initiative = InitiativeFactory(organization=organization, title=f"Initiative {number} — café «{number}»")
        indicator = IndicatorFactory(initiative=initiative, name=f"Measure {number}", target_value=100, **COMMON)
        MeasurementFactory(indicator=indicator, date=dt.date(2025, 7, 2), value=50 if number < 4 else 5)
        initiatives.append(initiative)
    InitiativeFactory(organization=organization, title="Zz without indicators")
    schedule = ReviewScheduleFactory(initiative=initiatives[0])
    for day in range(14):
        EvaluationReviewFactory(schedule=schedule, due_date=dt.date(2024, 1, 1) + dt.timedelta(days=day))
    for day in range(3):
        EvaluationReviewFactory(
            schedule=schedule, due_date=dt.date(2025, 3, 1 + day), held_on=dt.date(2025, 3, 1 + day)
        )
    return initiatives


def _sections(html):
    return re.findall(r'<h3 id="initiative-\d+"', html)


def test_dashboard_shows_the_first_initiatives_all_the_totals_and_links_to_the_rest(client_as, large):
    html = client_as("board").get(reverse("evaluations:dashboard")).content.decode()
    assert len(_sections(html)) == 3
    assert "Initiative 0" in html and "Initiative 2" in html and "Initiative 3" not in html
    assert "and 6 more initiatives with indicators: all 9 indicators are on the evaluation page" in html
    assert re.search(r'class="ev-figure">4 <span class="fs-6 text-body-secondary">/ 9</span>', html)
    assert "5 off track" in html
    assert "and 11 more overdue reviews" in html
    assert f'href="{reverse("evaluations:index")}#overdue-heading"' in html
    assert html.count("overdue since") == 3


def test_report_is_bounded_the_same_way(client_as, large, monkeypatch):
    monkeypatch.setattr(selectors, "HELD_REVIEWS_SHOWN", 2)
    response = client_as("board").get(reverse("evaluations:report"), {"start": "2025-01-01", "end": "2025-12-31"})
    html = response.content.decode()
    assert len(_sections(html)) == 3
    assert "4 of 9 indicators on track, 0 at risk, 5 off track" in html
    assert "and 6 more initiatives with indicators" in html
    assert len(response.context["held"]) == 2 and response.context["held_total"] == 3
    assert "The latest 2 of 3 reviews held in the period." in html


def test_overview_paginates_indicators_initiatives_and_overdue_reviews_each_on_its_own(client_as, large):
    client = client_as("board")
    url = reverse("evaluations:index")
    first = client.get(url)
    html = first.content.decode()
    assert len(first.context["rows"]) == 4
    assert first.context["counts"] == {"on_track": 4, "at_risk": 0, "off_track": 5, "no_data": 0}
    assert "Showing 1–4 of 9" in html  # indicators
    assert "Showing 1–4 of 10" in html  # initiatives, the one without indicators too
    assert "Showing 1–3 of 14" in html and "14 reviews are overdue" in html
    assert 'href="?page=2#indicators-heading"' in html
    assert 'href="?initiatives=2#initiatives-heading"' in html
    assert 'href="?overdue=2#overdue-heading"' in html

    last = client.get(url, {"page": 3, "overdue": 5, "initiatives": "x"})
    assert [i.name for i, _p in last.context["rows"]] == ["Measure 8"]
    assert len(last.context["overdue"].object_list) == 2  # 14 = 3 + 3 + 3 + 3 + 2
    assert [i.title for i in last.context["initiatives"].object_list][0].startswith("Initiative 0")
    # Turning one list keeps the others where they were.
    assert 'href="?page=3&amp;initiatives=x&amp;overdue=4#overdue-heading"' in last.content.decode()
    assert client.get(url, {"page": "9999"}).status_code == 200
