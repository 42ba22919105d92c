"""In a real browser: the indicator chart draws dates on a time axis, so gaps keep their length."""

import datetime as dt
from decimal import Decimal

import pytest

from .factories import IndicatorFactory, MeasurementFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_indicator_chart_spaces_dates_by_time_and_labels_months_in_the_page_language(
    page, live_server, client, editor_user, organization
):
    indicator = IndicatorFactory(
        organization=organization, baseline_date=dt.date(2025, 1, 1), target_date=dt.date(2027, 1, 1)
    )
    for day, value in ((dt.date(2025, 2, 1), 10), (dt.date(2025, 3, 1), 20), (dt.date(2026, 3, 1), 60)):
        MeasurementFactory(indicator=indicator, date=day, value=Decimal(value))
    client.force_login(editor_user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "es", "url": live_server.url},
        ]
    )
    page.goto(live_server.url + indicator.get_absolute_url())
    page.wait_for_function("window.Chart && Chart.getChart('indicator-chart')")
    chart = page.evaluate(
        """() => {
          const chart = Chart.getChart('indicator-chart');
          const points = chart.getDatasetMeta(0).data.map(p => p.x);
          return {type: chart.scales.x.type, points, labels: chart.scales.x.ticks.map(t => t.label)};
        }"""
    )
    assert chart["type"] == "time"
    one_month, twelve_months = chart["points"][1] - chart["points"][0], chart["points"][2] - chart["points"][1]
    assert 10 < twelve_months / one_month < 14  # twelve months are drawn about twelve times one month
    assert any("ene" in label or "mar" in label for label in chart["labels"])  # Spanish month names


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_printed_report_says_whose_it_is_and_the_phone_page_does_not_scroll_sideways(
    page, live_server, client, board_user, organization
):
    indicator = IndicatorFactory(organization=organization, name="Bank accounts opened by newcomers")
    MeasurementFactory(indicator=indicator, date=dt.date(2025, 7, 1), value=Decimal(40))
    client.force_login(board_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/evaluation/board/report/?start=2025-01-01&end=2025-12-31")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    header = page.locator(".report-page header")
    assert header.is_visible()
    assert (
        organization.name in header.inner_text() and "Period: 1 January 2025 – 31 December 2025" in header.inner_text()
    )
    assert not page.locator("body > header").is_visible()  # the site's navigation is not printed
