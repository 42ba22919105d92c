import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_privacy_page_is_public_and_says_what_is_never_kept(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "We never keep" in html and "IP" in html
    assert "immigration or legal status" in html


def test_privacy_page_in_spanish(client):
    html = client.get(reverse("privacy"), {"lang": "es"}).content.decode()
    assert 'lang="es"' in html
    assert "Nunca guardamos" in html
    assert "situación migratoria" in html


def test_privacy_page_follows_the_browser_language(client):
    html = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert "Nunca preguntamos" in html


def test_footer_links_to_the_privacy_page(client):
    assert reverse("privacy") in client.get(reverse("login")).content.decode()


def test_privacy_page_says_what_is_kept_where_and_for_how_long(client):
    html = client.get(reverse("privacy")).content.decode()
    for statement in (
        "Answers are never copied into a history",
        "(24 months unless it changes this)",
        "is kept for 30 days, so a mistake can be noticed, and then deleted by a daily task",
        "the record of their membership is deleted, and its history after 30 days",
        "expires 14 days after you logged in",
        "The record counts for 15 minutes",
        "Nothing is deleted for 7 days",
        "All that remains is the record that the erasure happened",
        "Database backups made by whoever hosts Integration Hub keep deleted data",
    ):
        assert statement in html


def test_privacy_page_says_the_same_in_spanish(client):
    html = client.get(reverse("privacy"), {"lang": "es"}).content.decode()
    for statement in (
        "Las respuestas nunca se copian a un historial",
        "(24 meses si no lo cambia)",
        "se guarda 30 días, para poder notar un error, y después lo borra una tarea diaria",
        "se borra el registro de su membresía, y su historial a los 30 días",
        "vence 14 días después de iniciarla",
        "El registro cuenta durante 15 minutos",
        "Durante 7 días no se borra nada",
        "Solo queda constancia de que el borrado se hizo",
        "Las copias de seguridad de la base de datos",
    ):
        assert statement in html


@pytest.mark.parametrize(("lang", "session"), [("en", "expires 3 days after"), ("es", "vence 3 días después")])
def test_the_periods_on_the_privacy_page_are_the_ones_the_app_enforces(client, settings, lang, session):
    settings.DELETED_HISTORY_DAYS = 45
    settings.SESSION_COOKIE_AGE = 3 * 24 * 60 * 60
    html = client.get(reverse("privacy"), {"lang": lang}).content.decode()
    assert html.count("45 d") == 4 and "30 d" not in html
    assert session in html


@pytest.mark.parametrize(
    ("lang", "promises"),
    [
        ("en", ["one minute under a code made from the address", "Two-factor sign-in", "at most an hour"]),
        ("es", ["durante un minuto con un código", "Verificación en dos pasos", "una hora como máximo"]),
    ],
)
def test_privacy_page_states_the_short_lived_counters_and_two_factor_data(client, lang, promises):
    html = client.get(reverse("privacy"), {"lang": lang}).content.decode()
    for promise in promises:
        assert promise in html
