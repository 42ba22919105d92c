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
