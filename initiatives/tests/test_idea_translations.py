"""The built-in idea library reads in Spanish too (issue 17); what network staff type stays as typed."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from initiatives.idea_texts import TEXTS
from initiatives.models import Idea
from initiatives.tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db


def test_every_builtin_idea_has_a_spanish_title_and_description():
    builtin = list(Idea.objects.filter(is_builtin=True))
    assert len(builtin) == 28
    english = {text for idea in builtin for text in (idea.title, idea.description)}
    assert english == set(TEXTS)
    with translation.override("es"):
        untranslated = [i.title for i in builtin if i.shown_title == i.title or i.shown_description == i.description]
    assert untranslated == []


def test_the_library_page_shows_ideas_in_the_readers_language(client_as):
    IdeaFactory(title="Soccer league for newcomers and locals", description="Typed by network staff.")
    client = client_as("editor")
    client.cookies["django_language"] = "es"

    page = client.get(reverse("initiatives:idea_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Tarjeta de identificación municipal para todos los residentes" in page
    assert "Municipal ID card for all residents" not in page
    assert "Soccer league for newcomers and locals" in page


def test_the_invitation_email_date_reads_as_spanish_is_written(organization):
    from datetime import UTC, datetime

    from integration_hub.models import Invitation

    invitation = Invitation(organization=organization, email="a@example.org", role="editor")
    invitation.expires_at = datetime(2026, 12, 15, 15, 0, tzinfo=UTC)
    context = {"invitation": invitation, "organization": organization, "link": "https://x/invitation/t/"}
    with translation.override("es"):
        body = render_to_string("integration_hub/email/invitation.txt", context)
    assert "15 de diciembre de 2026" in body


@pytest.mark.parametrize(("language", "expected"), [("en", "0.89"), ("es", "0.89")])
def test_the_ratio_sentence_writes_both_numbers_one_way(language, expected):
    with translation.override(language):
        sentence = render_to_string("initiatives/partials/ratio.html", {"ratio": Decimal("0.888")})
    assert expected in sentence and "1.00" in sentence and "1,00" not in sentence
