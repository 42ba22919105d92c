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
