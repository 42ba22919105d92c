"""A measurement entered wrongly can be corrected or deleted from its indicator's page."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from evaluations.models import Measurement
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory


def _measurement(organization, **fields):
    indicator = IndicatorFactory(organization=organization, name="Bank accounts opened by newcomers")
    return MeasurementFactory(indicator=indicator, date=dt.date(2025, 7, 1), value=Decimal("50"), **fields)


def test_the_indicator_page_links_each_measurement_to_its_edit_and_delete_pages(client_as, organization):
    measurement = _measurement(organization)
    html = client_as("editor").get(measurement.indicator.get_absolute_url()).content.decode()
    assert reverse("evaluations:measurement_update", args=[measurement.pk]) in html
    assert reverse("evaluations:measurement_delete", args=[measurement.pk]) in html
    board = client_as("board").get(measurement.indicator.get_absolute_url()).content.decode()
    assert reverse("evaluations:measurement_update", args=[measurement.pk]) not in board


def test_an_editor_corrects_a_measurement_and_returns_to_its_indicator(client_as, organization):
    measurement = _measurement(organization, note="typed 500 by mistake")
    client = client_as("editor")
    url = reverse("evaluations:measurement_update", args=[measurement.pk])
    assert "Edit the measurement of 1 Jul 2025: Bank accounts opened by newcomers" in client.get(url).content.decode()
    response = client.post(url, {"date": "2025-07-02", "value": "55.5", "note": "corrected"}, follow=True)
    assert response.redirect_chain[-1][0] == measurement.indicator.get_absolute_url()
    measurement.refresh_from_db()
    assert (measurement.date, measurement.value, measurement.note) == (
        dt.date(2025, 7, 2),
        Decimal("55.5"),
        "corrected",
    )
    assert "The measurement of Bank accounts opened by newcomers was saved." in response.content.decode()


def test_a_correction_goes_through_the_same_checks_and_loses_nothing(client_as, organization):
    measurement = _measurement(organization)
    client = client_as("editor")
    url = reverse("evaluations:measurement_update", args=[measurement.pk])
    response = client.post(url, {"date": "2024-01-01", "value": "61", "note": "before the baseline"})
    assert response.status_code == 200
    assert 'value="61"' in response.content.decode()  # what was typed is kept
    measurement.refresh_from_db()
    assert measurement.value == Decimal("50")


def test_deleting_a_measurement_asks_first_and_leaves_the_others(client_as, organization):
    measurement = _measurement(organization)
    kept = MeasurementFactory(indicator=measurement.indicator, date=dt.date(2025, 8, 1))
    client = client_as("editor")
    url = reverse("evaluations:measurement_delete", args=[measurement.pk])
    page = client.get(url).content.decode()
    assert measurement.indicator.get_absolute_url() in page  # cancel leads back
    response = client.post(url)
    assert response.url == measurement.indicator.get_absolute_url()
    assert list(Measurement.objects.filter(indicator=measurement.indicator)) == [kept]


def test_the_board_dashboard_shows_a_corrected_value_at_once(client_as, organization):
    measurement = _measurement(organization)
    client_as("board").get(reverse("evaluations:dashboard"))  # warm the cached body
    client_as("editor").post(
        reverse("evaluations:measurement_update", args=[measurement.pk]), {"date": "2025-07-01", "value": "93"}
    )
    dashboard = client_as("board").get(reverse("evaluations:dashboard")).content.decode()
    assert "93" in dashboard
