"""Measurements out and back in: the indicator page's CSV imports as it is, twice doubles nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Measurement
from evaluations.tests.factories import IndicatorFactory, MeasurementFactory
from initiatives.tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(organization):
    return InitiativeFactory(organization=organization, title="Library welcome desk")


def _export(client, indicator, language="en"):
    client.cookies["django_language"] = language
    response = client.get(reverse("evaluations:measurement_export", args=[indicator.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content)


def _import(client, initiative, body: bytes):
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("values.csv", body, content_type="text/csv")
    return client.post(reverse("evaluations:measurement_import", args=[initiative.pk]), {"file": upload}, follow=True)


def _values():
    return sorted(Measurement.objects.values_list("indicator__name", "date", "value", "note"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_indicator_export_imports_back_as_it_is(editor_client, initiative, language):
    cards = IndicatorFactory(initiative=initiative, name="ID cards issued, Dayton")
    MeasurementFactory(indicator=cards, date=dt.date(2025, 2, 1), value=Decimal("12"), note="=SUM(A1:A9)")
    MeasurementFactory(indicator=cards, date=dt.date(2025, 12, 31), value=Decimal("-5.25"), note="-5")
    MeasurementFactory(indicator=cards, date=dt.date(2025, 3, 1), value=Decimal("1020.5"), note="+1 555 0100 said so")
    before = _values()
    export = _export(editor_client, cards, language)
    header = export.decode("utf-8-sig").splitlines()[0]
    assert header == ("indicador,fecha,valor,nota" if language == "es" else "indicator,date,value,note")
    Measurement.objects.all().delete()
    response = _import(editor_client, initiative, export)
    assert response.redirect_chain[0][1] == 302, response.content.decode()[-3000:]
    assert _values() == before
    # The same file again updates (here: changes nothing), it never doubles.
    response = _import(editor_client, initiative, export)
    assert _values() == before
    text = response.content.decode()
    assert "0 measurements were added. 0 were updated. 3 were already stored with the same values." in text


def test_a_stored_indicator_and_date_is_updated_and_the_counts_say_so(editor_client, initiative, editor_user):
    cards = IndicatorFactory(initiative=initiative, name="ID cards issued")
    kept = MeasurementFactory(indicator=cards, date=dt.date(2025, 2, 1), value=Decimal("12"), note="first count")
    text = (
        "Entered by,Value,Date,Indicator\n"  # any order, any case, an unknown column
        "Someone,15,2025-02-01,ID cards issued\n"
        "Someone,20,2025-03-01,id cards issued\n"
    )
    response = _import(editor_client, initiative, text.encode())
    assert _values() == [
        ("ID cards issued", dt.date(2025, 2, 1), Decimal("15.00"), "first count"),  # no note column: note kept
        ("ID cards issued", dt.date(2025, 3, 1), Decimal("20.00"), ""),
    ]
    kept.refresh_from_db()
    assert kept.value == 15
    assert "1 measurement was added. 1 was updated. Columns ignored: “Entered by”." in response.content.decode()


def test_the_same_indicator_and_date_twice_in_one_file_is_refused_naming_both_lines(editor_client, initiative):
    IndicatorFactory(initiative=initiative, name="ID cards issued")
    text = "indicator,date,value\nID cards issued,2025-02-01,12\nID cards issued,2025-03-01,3\nID cards issued,2025-02-01,14\n"
    response = _import(editor_client, initiative, text.encode())
    assert "Nothing was imported." in response.content.decode()
    assert "Line 4: ID cards issued on 2025-02-01 is already on line 2." in response.content.decode()
    assert not Measurement.objects.exists()


def test_another_organisations_indicator_export_is_not_found(editor_client, other_organization):
    theirs = IndicatorFactory(organization=other_organization)
    MeasurementFactory(indicator=theirs)
    assert editor_client.get(reverse("evaluations:measurement_export", args=[theirs.pk])).status_code == 404
