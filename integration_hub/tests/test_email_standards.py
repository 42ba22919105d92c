"""The emails as a mail program reads them: parsed from the bytes that are sent (issue 18)."""

import datetime as dt
import email
from email import policy

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from evaluations import services as evaluation_services
from evaluations.models import Reminder
from evaluations.tests.factories import EvaluationReviewFactory, InitiativeFactory, ReviewScheduleFactory
from integration_hub import services
from integration_hub.mail import unsubscribe_token
from integration_hub.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://hub.riverside.example"


def _parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def _parts(parsed):
    return {part.get_content_type(): part.get_content() for part in parsed.walk() if not part.is_multipart()}


def _invite(organization, admin_user, address, capture):
    with capture(execute=True):
        services.invitation_create(organization=organization, email=address, role="editor", invited_by=admin_user)
    return _parsed(mail.outbox[-1])


@override_settings(SITE_URL=SITE)
def test_an_invitation_has_an_html_part_and_a_message_id_of_the_site(
    organization, admin_user, django_capture_on_commit_callbacks
):
    parsed = _invite(organization, admin_user, "Nadia.Haddad@Example.org", django_capture_on_commit_callbacks)
    assert parsed["Message-ID"].endswith("@hub.riverside.example>")
    parts = _parts(parsed)
    assert set(parts) == {"text/plain", "text/html"}
    link = SITE + "/invitation/"
    assert link in parts["text/plain"] and link in parts["text/html"]
    assert '<html lang="en">' in parts["text/html"]
    assert parsed["Subject"] == "You are invited to join Riverside Immigrant Services on Integration Hub"


@override_settings(SITE_URL=SITE)
def test_an_invitation_is_in_the_invitees_language_else_the_organisations(
    organization, admin_user, django_capture_on_commit_callbacks
):
    UserFactory(email="luis@example.org", language="es")
    parts = _parts(_invite(organization, admin_user, "luis@example.org", django_capture_on_commit_callbacks))
    assert '<html lang="es">' in parts["text/html"]
    assert "Abra este enlace" in parts["text/plain"] or "enlace" in parts["text/plain"]
    assert " de 20" in parts["text/plain"]  # "15 de diciembre de 2026", not "15 diciembre 2026"

    # Someone without an account (or without a chosen language) gets the organisation's.
    UserFactory(email="no.choice@example.org", language="")
    organization.language = "es"
    organization.save()
    for address in ("stranger@example.org", "no.choice@example.org"):
        parsed = _invite(organization, admin_user, address, django_capture_on_commit_callbacks)
        assert parsed["Subject"].startswith("Le invitamos") or "Integration Hub" in parsed["Subject"]
        assert '<html lang="es">' in _parts(parsed)["text/html"]
    organization.language = "en"
    organization.save()
    english = _parts(_invite(organization, admin_user, "stranger2@example.org", django_capture_on_commit_callbacks))
    assert '<html lang="en">' in english["text/html"]


def _reminder(organization, recipient):
    initiative = InitiativeFactory(organization=organization, title="Civic nights")
    schedule = ReviewScheduleFactory(initiative=initiative)
    review = EvaluationReviewFactory(schedule=schedule, initiative=initiative, due_date=dt.date(2026, 3, 2))
    return Reminder.objects.create(
        review=review, recipient=recipient, kind=Reminder.Kind.OVERDUE, period=dt.date(2026, 3, 3)
    )


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_reminder_has_one_click_unsubscribe_and_is_in_the_recipients_language(
    organization, editor_user, client, language
):
    editor_user.language = language
    editor_user.save()
    reminder = _reminder(organization, editor_user)
    assert evaluation_services.reminder_send(reminder_id=reminder.pk) == "sent"
    parsed = _parsed(mail.outbox[-1])
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Message-ID"] == f"<reminder-{reminder.pk}@hub.riverside.example>"
    unsubscribe = str(parsed["List-Unsubscribe"]).strip()  # a long header may be folded
    assert unsubscribe.startswith(f"<{SITE}/unsubscribe/") and unsubscribe.endswith(">")
    parts = _parts(parsed)
    assert f'<html lang="{language}">' in parts["text/html"]
    hello = {"en": "Hello", "es": "Hola"}[language]
    assert parts["text/plain"].startswith(hello) and hello in parts["text/html"]
    assert unsubscribe[1:-1] in parts["text/plain"]

    # The mail program's one-click POST: no login, no CSRF token, no form.
    path = unsubscribe[1 + len(SITE) : -1]
    client.handler.enforce_csrf_checks = True
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    editor_user.refresh_from_db()
    assert editor_user.reminder_emails is False


def test_the_unsubscribe_link_asks_first_and_refuses_a_forged_token(client, editor_user, board_user):
    url = reverse("unsubscribe", args=[unsubscribe_token(editor_user)])
    response = client.get(url)  # a link scanner's GET changes nothing
    assert response.status_code == 200 and "staff@riverside.example" in response.content.decode()
    editor_user.refresh_from_db()
    assert editor_user.reminder_emails is True
    forged = unsubscribe_token(editor_user).replace(str(editor_user.pk), str(board_user.pk), 1)
    assert client.post(reverse("unsubscribe", args=[forged])).status_code == 404
    assert client.post(reverse("unsubscribe", args=["nonsense"])).status_code == 404
    board_user.refresh_from_db()
    assert board_user.reminder_emails is True


def test_the_profile_page_sets_the_language(client_as, editor_user):
    client = client_as("editor")
    response = client.post(
        reverse("profile"), {"first_name": "Nadia", "last_name": "", "language": "es", "reminder_emails": "on"}
    )
    assert response.status_code == 302
    editor_user.refresh_from_db()
    assert editor_user.language == "es"
