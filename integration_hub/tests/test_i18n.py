import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_language_switch_turns_the_interface_spanish(editor_client):
    response = editor_client.post(reverse("set_language"), {"language": "es", "next": reverse("home")}, follow=True)
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Los cuatro pasos" in html
    assert "Cerrar sesión" in html


def test_login_page_follows_the_browser_language(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Iniciar sesión en Integration Hub" in html


def test_the_switch_is_on_public_pages(client):
    html = client.get(reverse("login")).content.decode()
    assert reverse("set_language") in html
    assert 'value="es"' in html


def test_every_core_message_has_a_spanish_translation():
    from pathlib import Path

    from babel.messages.pofile import read_po
    from django.conf import settings

    with (Path(settings.BASE_DIR) / "locale/es/LC_MESSAGES/django.po").open("rb") as source:
        catalog = read_po(source)
    untranslated = [
        m.id
        for m in catalog
        if m.id
        and not m.string
        and m.locations[0][0].startswith(
            (
                "integration_hub",
                "templates/base",
                "templates/registration",
                "templates/integration_hub",
                "templates/partials",
            )
        )
    ]
    assert untranslated == []


def test_spanish_numbers_are_written_the_us_way_and_dates_in_spanish():
    import datetime

    from django.utils import formats, translation

    with translation.override("es"):
        assert formats.number_format(4300.5, 2, force_grouping=True) == "4,300.50"
        assert formats.date_format(datetime.date(2026, 12, 2), "j M Y") == "2 Dic 2026"


def test_a_spanish_page_shows_translated_strings_and_no_english_badges(editor_client, organization):
    from evaluations.tests.factories import IndicatorFactory, MeasurementFactory

    indicator = IndicatorFactory(organization=organization)
    MeasurementFactory(indicator=indicator)
    html = editor_client.get(reverse("evaluations:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Paso 4: Evaluación" in html
    assert "Calendario de revisiones" in html
    assert "En camino" in html
    for english in ("On track", "At risk", "Off track", "No data yet", "Review schedule"):
        assert english not in html
