"""Issue 26: respondents know who is asking, why and for how long, and what happens next; staff
preview the public page exactly as respondents see it, in each of the survey's languages."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import NeedsAssessment, Question, RespondentSide, Response, Survey
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question

pytestmark = pytest.mark.django_db

PURPOSE = {
    "en": "To decide which evening classes & clinics to offer — with our partners — next year.",
    "es": "Para decidir qué clases nocturnas y clínicas ofrecer con nuestros socios el próximo año.",
}
CONTACT = {"en": "Call María José at (555) 010-2000.", "es": "Llame a María José al (555) 010-2000."}
RESULTS = {
    "en": "At the community meeting in the Ñuñoa Street library, June 2027.",
    "es": "En la reunión comunitaria de la biblioteca de la calle Ñuñoa, junio de 2027.",
}


@pytest.fixture
def survey(organization):
    assessment = NeedsAssessmentFactory(
        organization=organization, period_start=dt.date(2027, 3, 1), period_end=dt.date(2031, 9, 30)
    )
    survey = SurveyFactory(assessment=assessment, purpose=PURPOSE, contact=CONTACT, results_shared=RESULTS)
    survey.single = choice_question(survey, labels=("Library", "Clinic"), text={"en": "Where?", "es": "¿Dónde?"})
    return survey


def public(survey, lang="en"):
    return reverse("assessments:survey_respond", kwargs={"token": survey.token}) + f"?lang={lang}"


def thanks(survey, lang="en"):
    return reverse("assessments:survey_thanks", kwargs={"token": survey.token}) + f"?lang={lang}"


def preview(survey, lang="en"):
    return reverse("assessments:survey_preview", kwargs={"pk": survey.assessment_id}) + f"?lang={lang}"


def header(html):
    return re.search(r"<header.*?</header>", html, re.S).group(0)


def test_the_public_page_says_who_asks_why_for_how_long_and_how_to_reach_them_first(client, survey):
    html = client.get(public(survey)).content.decode()
    assert "Riverside Immigrant Services" in header(html) and ">Survey<" not in header(html)
    first_question = html.index('name="side"')
    for text in (
        "Who is asking",
        "Riverside Immigrant Services",
        "Why we ask",
        "To decide which evening classes &amp; clinics to offer — with our partners — next year.",
        "Answers are collected from March 1, 2027 to Sept. 30, 2031.",
        "Contact",
        "Call María José at (555) 010-2000.",
    ):
        assert 0 < html.index(text) < first_question, text


def test_the_spanish_page_says_it_in_spanish_with_spanish_dates(client, survey):
    html = client.get(public(survey, "es")).content.decode()
    assert "Riverside Immigrant Services" in header(html) and ">Encuesta<" not in header(html)
    for text in ("Quién pregunta", "Por qué preguntamos", PURPOSE["es"], CONTACT["es"]):
        assert text in html
    assert "Recibimos respuestas del 1 de marzo de 2027 al 30 de septiembre de 2031." in html


def test_a_survey_without_the_optional_texts_still_names_who_asks(client, organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    QuestionFactory(survey=survey, kind=Question.Kind.SHORT_TEXT)
    html = client.get(public(survey)).content.decode()
    assert "Who is asking" in html and "Riverside Immigrant Services" in html
    assert "Why we ask" not in html and "Answers are collected" not in html and ">Contact<" not in html
    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(period_end=dt.date(2030, 1, 31))
    assert "Answers are collected until Jan. 31, 2030." in client.get(public(survey)).content.decode()
    html = client.get(public(survey, "es")).content.decode()
    assert "Recibimos respuestas hasta el 31 de enero de 2030." in html


def test_what_the_organisation_writes_is_escaped(client, survey):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>' + "ü" * 500
    Survey.objects.filter(pk=survey.pk).update(
        purpose={"en": hostile}, contact={"en": hostile[:200]}, results_shared={"en": hostile[:300]}
    )
    survey.assessment.organization.__class__.objects.filter(pk=survey.assessment.organization_id).update(
        name="<b>Riverside</b> & Co"
    )
    for page in (public(survey), thanks(survey)):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Riverside" not in html
        assert "&lt;b&gt;Riverside&lt;/b&gt; &amp; Co" in html


def test_the_thank_you_page_keeps_the_language_switch_and_says_what_happens_next(client, survey):
    response = client.post(public(survey, "es"), {"side": RespondentSide.NEWCOMER, f"q{survey.single.pk}": "x"})
    assert response.status_code == 400  # an unknown option: nothing sent yet
    option = str(survey.single.choices.first().pk)
    response = client.post(public(survey, "es"), {"side": RespondentSide.NEWCOMER, f"q{survey.single.pk}": option})
    assert response.status_code == 302
    page = client.get(response.url)
    html = page.content.decode()
    assert not page.cookies
    assert "Riverside Immigrant Services" in header(html)
    assert 'href="?lang=en"' in header(html) and 'aria-current="true" lang="es"' in header(html)
    assert "Qué pasa después" in html and RESULTS["es"] in html
    assert "Los resultados solo muestran grupos de cinco personas o más" in html

    html = client.get(thanks(survey, "en")).content.decode()
    assert "What happens next" in html and RESULTS["en"] in html and "groups of five or more people" in html
    assert 'href="?lang=es"' in header(html)


def test_the_closed_page_keeps_the_language_switch(client, survey):
    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(status=NeedsAssessment.Status.DRAFT)
    html = client.get(public(survey, "es")).content.decode()
    assert "Esta encuesta no está abierta" in html and 'href="?lang=en"' in header(html)


def test_the_builder_saves_what_respondents_read(editor_client, survey):
    url = reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id})
    data = {
        "title_en": "What does our community need?",
        "purpose_en": "To plan next year.",
        "purpose_es": "Para planificar el próximo año.",
        "contact_en": "Questions? Front desk, Monday to Friday.",
        "results_en": "At the library in June.",
        "results_es": "En la biblioteca en junio.",
    }
    assert editor_client.post(url, data).status_code == 302
    survey.refresh_from_db()
    assert survey.purpose == {"en": "To plan next year.", "es": "Para planificar el próximo año."}
    assert survey.contact == {"en": "Questions? Front desk, Monday to Friday."}
    assert survey.results_shared == {"en": "At the library in June.", "es": "En la biblioteca en junio."}
    assert survey.title == {"en": "What does our community need?"}

    too_long = editor_client.post(url, data | {"contact_en": "x" * 201})
    assert too_long.status_code == 400
    survey.refresh_from_db()
    assert survey.contact == {"en": "Questions? Front desk, Monday to Friday."}


# --- The preview ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [NeedsAssessment.Status.DRAFT, NeedsAssessment.Status.CLOSED])
def test_staff_preview_the_public_page_before_it_opens_in_each_language(editor_client, client, survey, status):
    NeedsAssessment.objects.filter(pk=survey.assessment_id).update(status=status)
    assert client.get(public(survey)).status_code == 404

    html = editor_client.get(preview(survey)).content.decode()
    assert "Preview — answers are not saved" in html and "The public link is not open yet" in html
    assert "Where?" in html and "Who is asking" in html and PURPOSE["en"].replace("&", "&amp;") in html
    assert '<html lang="en" dir="ltr">' in html

    html = editor_client.get(preview(survey, "es")).content.decode()
    assert "Preview — answers are not saved" in html
    assert (
        "¿Dónde?" in html and "Library (es)" in html and PURPOSE["es"] in html and '<html lang="es" dir="ltr">' in html
    )
    assert 'href="?lang=en"' in header(html)


def test_the_builder_links_to_the_preview_in_each_language(editor_client, survey):
    html = editor_client.get(reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id})).content
    for code in ("en", "es"):
        assert preview(survey, code) in html.decode()


def test_sending_the_preview_stores_nothing_and_shows_the_thank_you_page(editor_user, survey):
    # A browser's round trip, CSRF checked: the preview's form carries the staff page's token.
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(editor_user)
    html = editor.get(preview(survey, "es")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    action = re.search(r'<form method="post" action="([^"]*)"', html).group(1)
    assert action == "?lang=es"
    option = str(survey.single.choices.last().pk)
    data = {"csrfmiddlewaretoken": token, "lang": "es", "side": "resident", f"q{survey.single.pk}": option}
    response = editor.post(preview(survey, "es"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — answers are not saved" in html and "Gracias" in html and RESULTS["es"] in html
    assert f'href="{preview(survey, "es")}"' in html  # "answer again" stays in the preview
    assert not Response.objects.exists()


def test_the_public_page_carries_no_csrf_token(client, survey):
    assert "csrfmiddlewaretoken" not in client.get(public(survey)).content.decode()


def test_an_invalid_preview_submission_shows_the_errors_in_the_respondents_language(editor_client, survey):
    response = editor_client.post(preview(survey, "es"), {"lang": "es"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Preview — answers are not saved" in html and "Por favor, responda esta pregunta." in html
    assert not Response.objects.exists()
