"""Surveys in the community's languages (issue 19): chosen per survey, worded per language in the
builder, the public page's own words from the catalogues (or the organisation's corrections),
right to left for Arabic, Dari and Pashto, and results read in any of the survey's languages."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from assessments import services
from assessments.languages import LANGUAGES, catalogue_words, choose_language, survey_languages
from assessments.models import NeedsAssessment, PublicWording, Question, Response, Survey
from assessments.tests.factories import NeedsAssessmentFactory, SurveyFactory

pytestmark = pytest.mark.django_db

ARABIC_QUESTION = "ما الخدمات التي يصعب الوصول إليها؟"
CREOLE_QUESTION = "Ki sèvis ki difisil pou jwenn?"


def builder(name, pk):
    return reverse(f"assessments:{name}", kwargs={"pk": pk})


def public(survey, lang=""):
    base = reverse("assessments:survey_respond", kwargs={"token": survey.token})
    return f"{base}?lang={lang}" if lang else base


@pytest.fixture
def assessment(organization):
    return NeedsAssessmentFactory(organization=organization, status=NeedsAssessment.Status.COLLECTING)


def build_arabic_and_creole_survey(editor_client, assessment):
    """Through the builder, as an author would: languages, then a choice and a free-text question."""
    response = editor_client.post(
        builder("survey_builder", assessment.pk), {"action": "languages", "languages": ["ar", "ht"]}
    )
    assert response.status_code == 302
    choice = {
        "kind": "single",
        "required": "on",
        "min_value": "0",
        "max_value": "100",
        "text_en": "Which services are hard to reach?",
        "text_ar": ARABIC_QUESTION,
        "text_ht": CREOLE_QUESTION,
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-0-label_en": "Health care",
        "choices-0-label_ar": "الرعاية الصحية",
        "choices-0-label_ht": "Swen sante",
        "choices-1-label_en": "Housing",
        "choices-1-label_ar": "السكن",
        # No Creole for "Housing": the builder says it is missing, the page shows the English.
    }
    assert editor_client.post(builder("question_create", assessment.pk), choice).status_code == 302
    text = {
        "kind": "long_text",
        "min_value": "0",
        "max_value": "100",
        "text_en": "Anything else?",
        "text_ar": "هل من شيء آخر؟",
        "text_ht": "Lòt bagay?",
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
    }
    assert editor_client.post(builder("question_create", assessment.pk), text).status_code == 302
    return Survey.objects.get(assessment=assessment)


def answer(client, survey, lang, side, choice_label, text, **headers):
    single, long = survey.questions.order_by("position")
    choice = next(c for c in single.choices.all() if c.label["en"] == choice_label)
    data = {"side": side, f"q{single.pk}": str(choice.pk), f"q{long.pk}": text}
    response = client.post(public(survey, lang), data, **headers)
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_survey_in_arabic_and_creole_is_built_answered_and_read_beside_english(client, editor_client, assessment):
    survey = build_arabic_and_creole_survey(editor_client, assessment)
    assert survey.language_codes == ["en", "ht", "ar"]  # in the list's order, English first

    builder_html = editor_client.get(builder("survey_builder", assessment.pk)).content.decode()
    assert "Wording missing in: Haitian Creole" in builder_html  # the Creole for "Housing"
    assert builder_html.count("Wording missing in:") == 1

    arabic = client.get(public(survey, "ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "bootstrap.rtl.min.css" in arabic and "bootstrap.min.css" not in arabic
    assert ARABIC_QUESTION in arabic and "السكن" in arabic
    assert catalogue_words("ar")["submit"] in arabic and catalogue_words("ar")["privacy_text"] in arabic
    # The switch names each language in itself, and offers only the survey's.
    assert 'lang="ht" dir="ltr" hreflang="ht">Kreyòl ayisyen</a>' in arabic
    assert ">English</a>" in arabic and "Español" not in arabic

    creole = client.get(public(survey, "ht")).content.decode()
    assert '<html lang="ht" dir="ltr">' in creole and "bootstrap.rtl.min.css" not in creole
    assert CREOLE_QUESTION in creole and "Swen sante" in creole and "Housing" in creole  # English where missing
    assert "Voye repons mwen yo" in creole

    for n in range(5):
        answer(client, survey, "ar", "newcomer", "Health care", f"نحتاج إلى مترجمين في العيادة {n}")
        answer(client, survey, "en", "resident", "Housing", f"More bus routes to the clinic {n}")
    answer(client, survey, "ht", "newcomer", "Health care", "Nou bezwen entèprèt nan klinik la")
    assert sorted(Response.objects.values_list("language", flat=True)) == ["ar"] * 5 + ["en"] * 5 + ["ht"]

    results = editor_client.get(builder("results", assessment.pk) + "?lang=ar").content.decode()
    assert ARABIC_QUESTION in results and "الرعاية الصحية" in results
    assert 'id="results-lang"' in results and '<option value="ht"' in results
    english = editor_client.get(builder("results", assessment.pk)).content.decode()
    assert "Health care" in english and "الرعاية الصحية" not in english

    texts = editor_client.get(builder("text_answers", assessment.pk)).content.decode()
    assert 'lang="ar" dir="auto">نحتاج إلى مترجمين في العيادة 4' in texts
    assert 'lang="ht" dir="auto">Nou bezwen entèprèt nan klinik la' in texts
    assert 'lang="en" dir="auto">More bus routes to the clinic 4' in texts
    assert "Arabic</span>" in texts and "Haitian Creole</span>" in texts

    export = editor_client.get(builder("results_csv", assessment.pk) + "?lang=ht")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == CREOLE_QUESTION
    health = next(r for r in rows if r[1] == "Swen sante")
    assert health[2:4] == ["6", "100.0"]  # six newcomers chose it, in Arabic or Creole
    assert next(r for r in rows if r[1] == "Housing")[4] == "5"  # no Creole label: the English


def test_accept_language_picks_among_the_survey_languages_only(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization), languages=["en", "ar", "prs"])
    factory = RequestFactory()

    def pick(query="", accept=""):
        return choose_language(factory.get(f"/?{query}", HTTP_ACCEPT_LANGUAGE=accept), survey.language_codes)

    assert pick(accept="fr-CA,ar-EG;q=0.8,en;q=0.5") == "ar"  # French is not offered: the next choice
    assert pick(accept="fa-AF,en;q=0.5") == "prs"  # a Persian browser in Afghanistan reads Dari
    assert pick(accept="es-MX,es;q=0.9") == "en"  # Spanish is not among this survey's languages
    assert pick("lang=prs", accept="ar") == "prs"  # ?lang= wins
    assert pick("lang=ko", accept="ar") == "ar"  # a language the survey lacks is ignored
    assert pick("lang=<script>", accept="") == "en"
    assert choose_language(factory.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW"), ["en", "zh-hans"]) == "en"
    assert choose_language(factory.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN"), ["en", "zh-hans"]) == "zh-hans"


def test_the_public_page_follows_the_browser_and_says_it_varies(client, organization):
    assessment = NeedsAssessmentFactory(organization=organization, status=NeedsAssessment.Status.COLLECTING)
    survey = SurveyFactory(assessment=assessment)
    services.survey_set_languages(survey=survey, codes=["ps", "uk"])
    response = client.get(public(survey), HTTP_ACCEPT_LANGUAGE="ps-AF,en;q=0.3")
    html = response.content.decode()
    assert '<html lang="ps" dir="rtl">' in html and catalogue_words("ps")["side_legend"] in html
    assert "Accept-Language" in response["Vary"]
    assert '<html lang="uk" dir="ltr">' in client.get(public(survey, "uk")).content.decode()


def test_adding_a_language_needs_no_migration_and_english_stays():
    assert [language.code for language in survey_languages(["sw"])] == ["en", "sw"]
    assert [language.code for language in survey_languages([])] == ["en"]
    assert {language.code for language in LANGUAGES if language.rtl} == {"ar", "prs", "ps"}


def test_an_unknown_language_is_refused_with_a_message(organization):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization))
    with pytest.raises(ValidationError):
        services.survey_set_languages(survey=survey, codes=["ar", "xx"])
    survey.refresh_from_db()
    assert survey.language_codes == ["en", "es"]


def test_an_organisation_corrects_the_public_page_in_its_own_surveys_only(
    client, editor_client, organization, other_organization
):
    mine = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization, status=NeedsAssessment.Status.COLLECTING),
        languages=["en", "ht"],
    )
    theirs = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=other_organization, status=NeedsAssessment.Status.COLLECTING),
        languages=["en", "ht"],
    )
    url = reverse("assessments:public_wording") + "?lang=ht"
    page = editor_client.get(url).content.decode()
    assert "Voye repons mwen yo" in page  # the catalogue's words, to correct

    bad = editor_client.post(url, {"lang": "ht", "err_range": "Tanpri ekri yon nonb jiska {max}."})
    assert bad.status_code == 400 and "{max}, {min}" in bad.content.decode()
    assert not PublicWording.objects.exists()

    saved = editor_client.post(url, {"lang": "ht", "submit": "Voye repons yo", "thanks_title": "Mèsi anpil"})
    assert saved.status_code == 302
    assert dict(PublicWording.objects.values_list("key", "text")) == {
        "submit": "Voye repons yo",
        "thanks_title": "Mèsi anpil",
    }

    assert "Voye repons yo</button>" in client.get(public(mine, "ht")).content.decode()
    assert "Voye repons mwen yo</button>" in client.get(public(theirs, "ht")).content.decode()
    assert "Send my answers</button>" in client.get(public(mine, "en")).content.decode()

    # Emptying a line gives the catalogue's words back.
    assert editor_client.post(url, {"lang": "ht", "submit": "", "thanks_title": "Mèsi anpil"}).status_code == 302
    assert "Voye repons mwen yo</button>" in client.get(public(mine, "ht")).content.decode()


def test_the_question_editor_has_a_field_per_survey_language_in_its_direction(editor_client, organization):
    assessment = NeedsAssessmentFactory(organization=organization)
    survey = SurveyFactory(assessment=assessment, languages=["en", "prs", "zh-hans"])
    html = editor_client.get(builder("question_create", assessment.pk)).content.decode()
    assert 'name="text_prs"' in html and 'name="text_zh_hans"' in html and 'name="text_es"' not in html
    assert 'lang="prs" dir="rtl"' in html and 'lang="zh-Hans" dir="ltr"' in html
    assert 'name="choices-0-label_prs"' in html
    data = {
        "kind": "scale",
        "min_value": "0",
        "max_value": "100",
        "text_en": "How welcome do you feel?",
        "text_zh_hans": "您觉得受欢迎吗？",
        "scale_low_prs": "هیچ",
        "choices-TOTAL_FORMS": "0",
        "choices-INITIAL_FORMS": "0",
    }
    assert editor_client.post(builder("question_create", assessment.pk), data).status_code == 302
    question = Question.objects.get(survey=survey)
    assert question.text == {"en": "How welcome do you feel?", "zh-hans": "您觉得受欢迎吗？"}
    assert question.scale_low == {"prs": "هیچ"}
