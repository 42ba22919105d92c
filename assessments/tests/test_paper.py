"""Paper surveys (issue 20): the printed questionnaire and flyer, typing sheets in, results by channel."""

import csv
import io
import re
import shutil
import subprocess

import pytest
import segno
from django.apps import apps
from django.db import connection
from django.urls import reverse

from assessments import paper, selectors
from assessments.languages import catalogue_words
from assessments.models import Answer, Channel, Question, RespondentSide, Response, Survey
from assessments.tests.factories import (
    ChoiceFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

LONG = "How often do you use the public library, the community centre or the parish hall on weekdays — " * 2
AR = {
    "single": "هل تشعر بالترحيب في هذه المدينة؟",
    "yes": "نعم، كثيراً",
    "no": "لا، ليس بعد",
}


@pytest.fixture
def survey(organization):
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization, title="Eastside listening survey 2031"),
        languages=["en", "es", "ar"],
        title={"en": "Eastside listening survey", "es": "Encuesta del Eastside", "ar": "استطلاع الاستماع"},
    )
    kinds = [
        (Question.Kind.SECTION, {"en": "Part one: daily life", "es": "Parte uno", "ar": "الجزء الأول"}),
        (Question.Kind.NOTE, {"en": "Take your time; skip anything.", "es": "Tómese su tiempo.", "ar": "خذ وقتك"}),
        (
            Question.Kind.SINGLE,
            {"en": "Do you feel welcome in this town?", "es": "¿Se siente bienvenido?", "ar": AR["single"]},
        ),
        (Question.Kind.MULTIPLE, {"en": LONG, "es": "¿Qué lugares usa?", "ar": "ما الأماكن التي تستخدمها؟"}),
        (
            Question.Kind.SCALE,
            {"en": "How safe do you feel at night?", "es": "¿Qué tan seguro?", "ar": "ما مدى الأمان؟"},
        ),
        (Question.Kind.NUMBER, {"en": "How many years have you lived here?", "es": "¿Cuántos años?", "ar": "كم سنة؟"}),
        (Question.Kind.DECIMAL, {"en": "Kilometres to the nearest clinic?", "es": "¿Kilómetros?", "ar": "كم كيلومتر؟"}),
        (Question.Kind.DATE, {"en": "When did you last visit city hall?", "es": "¿Cuándo?", "ar": "متى؟"}),
        (Question.Kind.SHORT_TEXT, {"en": "One word for this town", "es": "Una palabra", "ar": "كلمة واحدة"}),
        (
            Question.Kind.LONG_TEXT,
            {"en": "What would help you most?", "es": "¿Qué le ayudaría?", "ar": "ما الذي يساعدك؟"},
        ),
    ]
    survey.q = {}
    for position, (kind, text) in enumerate(kinds):
        survey.q[kind] = QuestionFactory(survey=survey, position=position, kind=kind, text=text, max_value=99)
    single, multiple = survey.q[Question.Kind.SINGLE], survey.q[Question.Kind.MULTIPLE]
    ChoiceFactory(question=single, position=0, label={"en": "Yes, very much", "es": "Sí, mucho", "ar": AR["yes"]})
    ChoiceFactory(question=single, position=1, label={"en": "Not yet", "es": "Todavía no", "ar": AR["no"]})
    for i, (en, ar) in enumerate([("Library (Ñuñoa branch)", "المكتبة"), ("Parish hall", "قاعة الرعية")]):
        ChoiceFactory(question=multiple, position=i, label={"en": en, "es": en, "ar": ar})
    return survey


def pdf_text(data: bytes) -> str:
    run = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(run.stdout.decode().split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_pdf_has_every_question_and_option_in_the_chosen_language(client_as, survey, language):
    url = reverse("assessments:survey_paper_pdf", args=[survey.assessment_id])
    response = client_as("board").get(url, {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    if language != "ar":  # pdftotext reorders right-to-left runs; the Arabic is checked below
        for question in survey.questions.all():
            assert flat(question.text_in(language))[:60] in text
            for choice in question.choices.all():
                assert flat(choice.label_in(language)) in text
    assert survey.title_in(language) in text or language == "ar"
    # Nothing that identifies the respondent: no name line, no sheet number.
    assert "Name:" not in text and "Nombre:" not in text


def test_the_arabic_sheet_is_right_to_left_with_its_words(client_as, survey):
    page = client_as("board").get(reverse("assessments:survey_paper", args=[survey.assessment_id]), {"lang": "ar"})
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    for words in AR.values():
        assert words in html
    assert catalogue_words("ar")["side_legend"] in html  # the side question first, in Arabic
    assert html.index(catalogue_words("ar")["side_legend"]) < html.index(AR["single"])
    data = client_as("board").get(reverse("assessments:survey_paper_pdf", args=[survey.assessment_id]), {"lang": "ar"})
    text = pdf_text(data.content)
    assert "الترحيب" in text or "بيحرتلا" in text  # pdftotext may give the run in either order


def test_the_qr_code_is_the_public_link_in_the_sheets_language(client_as, survey):
    page = client_as("board").get(reverse("assessments:survey_paper", args=[survey.assessment_id]), {"lang": "es"})
    url = f"http://testserver{survey.get_public_url()}?lang=es"
    assert page.context["public_url"] == url
    short = f"http://testserver/needs/l/{survey.token[:10]}/"
    assert short in page.content.decode()  # printed in words, short enough to type
    expected = segno.make(url, error="m")
    assert str(page.context["qr"]) == str(paper.qr_svg(url, scale=3))
    assert paper.qr_code(url).matrix == expected.matrix
    assert segno.make("http://testserver/other/", error="m").matrix != expected.matrix


@pytest.mark.parametrize("size", ["a4", "letter"])
def test_the_flyer_is_one_page_in_two_languages(client_as, survey, size):
    url = reverse("assessments:survey_flyer", args=[survey.assessment_id])
    response = client_as("board").get(url, {"lang": "en", "lang2": "es", "size": size})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Eastside listening survey" in text and "Encuesta del Eastside" in text
    assert f"/needs/l/{survey.token[:10]}/" in text
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert ("595" in info) == (size == "a4")


def entry(client, survey, data, language="en"):
    url = reverse("assessments:paper_entry", args=[survey.assessment_id])
    return client.post(url, {"lang": language, **data})


def test_a_typed_sheet_is_stored_as_paper_and_names_nobody(client_as, survey, editor_user):
    editor_user.first_name, editor_user.last_name = "Zoë", "Okonkwo-Ñandú"
    editor_user.save()
    q = survey.q
    yes = q[Question.Kind.SINGLE].choices.first()
    data = {
        "side": "newcomer",
        f"q{q[Question.Kind.SINGLE].pk}": str(yes.pk),
        f"q{q[Question.Kind.SCALE].pk}": "4",
        f"q{q[Question.Kind.DECIMAL].pk}": "2,5",
        f"q{q[Question.Kind.LONG_TEXT].pk}": "مكتبة أكبر",
        "entered": "11",
    }
    client = client_as("editor")
    response = entry(client, survey, data, "ar")
    assert response.status_code == 302
    assert "entered=12" in response.url and "lang=ar" in response.url
    stored = Response.objects.get(survey=survey)
    assert (stored.channel, stored.side, stored.language) == (Channel.PAPER, "newcomer", "ar")
    assert Answer.objects.get(response=stored, question=q[Question.Kind.DECIMAL]).text == "2.5"
    page = client.get(response.url)
    assert "Paper response 12 saved — next one." in page.content.decode()
    assert page.context["entered"] == 12
    assert "مكتبة أكبر" not in page.content.decode()  # a fresh, empty form
    # Nothing anywhere in the response, answer, audit or history tables names the staff member.
    needles = [editor_user.email, editor_user.first_name, editor_user.last_name, f'user_id": {editor_user.pk}']
    tables = [m for m in apps.get_models() if m._meta.db_table.startswith(("assessments_", "integration_hub_audit"))]
    tables += [m for m in apps.get_models() if "historical" in m._meta.db_table]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            dump = repr(cursor.fetchall())
            for needle in needles:
                assert needle not in dump, (model._meta.db_table, needle)
    columns = {f.name for f in Response._meta.get_fields()}
    assert not columns & {"user", "entered_by", "created_by", "staff"}


def test_a_sheet_sent_twice_is_stored_once(client_as, survey):
    page = client_as("editor").get(reverse("assessments:paper_entry", args=[survey.assessment_id]))
    key = str(page.context["submission_key"])
    for _ in range(2):
        entry(client_as("editor"), survey, {"side": "resident", "submission_key": key})
    assert Response.objects.filter(survey=survey, channel=Channel.PAPER).count() == 1


def test_wrong_answers_are_shown_again_and_nothing_is_stored(client_as, survey):
    number = survey.q[Question.Kind.NUMBER]
    response = entry(client_as("editor"), survey, {"side": "newcomer", f"q{number.pk}": "140"})
    assert response.status_code == 400
    assert "from 0 to 99" in response.content.decode()
    assert 'value="140"' in response.content.decode()
    assert not Response.objects.exists()


def test_a_closed_survey_refuses_paper_sheets(client_as, survey):
    survey.assessment.status = "closed"
    survey.assessment.save()
    client = client_as("editor")
    page = client.get(reverse("assessments:paper_entry", args=[survey.assessment_id]))
    assert "not collecting answers" in page.content.decode()
    assert entry(client, survey, {"side": "newcomer"}).status_code == 409
    assert not Response.objects.exists()


def test_board_cannot_type_in_and_another_affiliate_gets_404(client_as, survey):
    url = reverse("assessments:paper_entry", args=[survey.assessment_id])
    assert client_as("board").get(url).status_code == 403
    assert entry(client_as("board"), survey, {"side": "newcomer"}).status_code == 403
    assert client_as("outsider").get(url).status_code == 404
    assert (
        client_as("outsider").get(reverse("assessments:survey_paper_pdf", args=[survey.assessment_id])).status_code
        == 404
    )
    assert not Response.objects.exists()


def test_results_by_channel_add_up_and_hide_small_cells(client_as, survey):
    for side, channel, n in [
        (RespondentSide.NEWCOMER, Channel.ONLINE, 12),
        (RespondentSide.RESIDENT, Channel.ONLINE, 9),
        (RespondentSide.NEWCOMER, Channel.PAPER, 7),
        (RespondentSide.RESIDENT, Channel.PAPER, 2),
        (RespondentSide.PREFER_NOT, Channel.KIOSK, 6),
    ]:
        ResponseFactory.create_batch(n, survey=survey, side=side, channel=channel)
    split = {row.channel: row.cells for row in selectors.channel_split(survey)}
    assert split[Channel.ONLINE]["newcomer"].count == 12
    assert split[Channel.PAPER]["resident"].display == "fewer than 5"
    # Paper's 2 residents could be had from paper's "all" (9) minus its 7 newcomers: withheld too.
    assert split[Channel.PAPER]["all"].suppressed or split[Channel.PAPER]["newcomer"].suppressed
    totals = selectors.survey_totals(selectors.survey_tallies(survey))
    for col in ("newcomer", "resident", "all"):
        assert sum(cells[col].count for cells in split.values()) == totals[col].count
    page = client_as("board").get(reverse("assessments:results", args=[survey.assessment_id]))
    html = page.content.decode()
    assert "How the answers came" in html and "fewer than 5" in html
    csv_page = client_as("board").get(reverse("assessments:results_csv", args=[survey.assessment_id]))
    rows = list(csv.reader(io.StringIO(b"".join(csv_page.streaming_content).decode("utf-8-sig"))))
    channel_rows = [r for r in rows if r[0] == "(respondents by channel)"]
    assert [r[1] for r in channel_rows] == [str(label) for _v, label in Channel.choices]
    assert channel_rows[0][2] == split[Channel.ONLINE]["newcomer"].display
    shown = [cell.display for cells in split.values() for cell in cells.values()]
    assert sorted(v for r in channel_rows for v in r[2::2]) == sorted(shown)


def test_the_short_link_leads_to_the_survey_and_a_wrong_one_nowhere(client, survey):
    code = survey.token[:10]
    response = client.get(f"/needs/l/{code}/", {"lang": "ar"})
    assert response.status_code == 302
    assert response.url == f"{survey.get_public_url()}?lang=ar"
    assert client.get(f"/needs/l/{code}/", {"lang": "<x>"}).url == survey.get_public_url()
    other = code.swapcase() if code.swapcase() != code else code[:-1] + ("A" if code[-1] != "A" else "B")
    assert client.get(f"/needs/l/{other}/").status_code == 404  # letter case counts
    assert client.get(f"/needs/l/{code[:9]}/").status_code == 404
    assert client.get(f"/needs/l/{survey.token}/").status_code == 404


def test_two_surveys_whose_tokens_start_alike_never_lead_to_the_wrong_one(client, organization):
    def survey_with(token):
        return SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization), token=token)

    # The same ten characters but for letter case: each short code leads to its own survey
    # (SQLite's LIKE ignores case; the exact comparison decides).
    upper, lower = survey_with("AbCdEfGhIj" + "x" * 22), survey_with("abcdefghij" + "y" * 22)
    assert client.get("/needs/l/AbCdEfGhIj/").url == upper.get_public_url()
    assert client.get("/needs/l/abcdefghij/").url == lower.get_public_url()
    # A real clash (60 random bits make it all but impossible): neither is guessed, both still
    # answer at their full link, and a third survey is not disturbed.
    first, second = survey_with("Kk-_0123zz" + "a" * 22), survey_with("Kk-_0123zz" + "b" * 22)
    third = survey_with("Kk-_0123zY" + "c" * 22)
    assert client.get("/needs/l/Kk-_0123zz/").status_code == 404
    assert client.get(first.get_public_url()).status_code == 200
    assert client.get(second.get_public_url()).status_code == 200
    assert client.get("/needs/l/Kk-_0123zY/").url == third.get_public_url()
    # LIKE's wildcards in a code are letters like any other, never a pattern.
    for code in ("Kk-_0123z_", "Kk-_0123z%", "%%%%%%%%%%", "__________"):
        assert client.get(f"/needs/l/{code}/").status_code == 404, code


@pytest.mark.postgres
def test_the_short_link_lookup_uses_an_index_on_postgresql(survey):
    """Django gives a unique varchar on PostgreSQL a second index with varchar_pattern_ops (for LIKE
    'abc%' in any collation); the short link's token__startswith must use it, not read every row."""
    if connection.vendor != "postgresql":
        pytest.skip("the query plan is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Survey._meta.db_table, "%varchar_pattern_ops%"],
        )
        assert [row[0] for row in cursor.fetchall() if "(token " in row[0]], "no pattern index on the token"
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would be read whole anyway
    plan = Survey.objects.filter(token__startswith=survey.token[: paper.SHORT_CODE_LENGTH]).explain()
    assert "Index" in plan and "Seq Scan" not in plan, plan
    assert paper.survey_for_short_code(survey.token[: paper.SHORT_CODE_LENGTH]) == survey


CJK = {
    "zh-hans": ("4e2d", "您在这个城市感到受欢迎吗？", "是的，很受欢迎"),
    "ko": ("d55c", "이 도시에서 환영받는다고 느끼십니까?", "네, 아주 많이"),
}


def fonts_with(codepoint: str) -> set[str]:
    """The installed font families that have the character U+`codepoint`, squeezed (no spaces, lower case)."""
    if not shutil.which("fc-list"):
        return set()
    listed = subprocess.run(["fc-list", f":charset={codepoint}", "family"], capture_output=True, text=True).stdout
    return {name.replace(" ", "").lower() for line in listed.splitlines() for name in line.split(",") if name}


@pytest.mark.parametrize("language", sorted(CJK))
def test_a_chinese_or_korean_sheet_embeds_a_font_that_has_its_characters(client_as, organization, tmp_path, language):
    codepoint, question, answer = CJK[language]
    families = fonts_with(codepoint)
    if not families:
        pytest.skip(f"no font with {language} characters installed (apt-get install fonts-wqy-microhei)")
    survey = SurveyFactory(
        assessment=NeedsAssessmentFactory(organization=organization),
        languages=["en", language],
        title={"en": "Eastside listening survey", language: question[:4]},
    )
    single = QuestionFactory(
        survey=survey, position=1, kind=Question.Kind.SINGLE, text={"en": "Welcome?", language: question}
    )
    ChoiceFactory(question=single, position=0, label={"en": "Yes", language: answer})
    response = client_as("board").get(
        reverse("assessments:survey_paper_pdf", args=[survey.assessment_id]), {"lang": language}
    )
    assert response.status_code == 200
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    # name  type  encoding  emb  sub  uni  object ID; the name is "ABCDEF+PostScriptName".
    rows = [line.split() for line in listing.splitlines()[2:]]
    embedded = {re.sub(r"[^a-z0-9]", "", row[0].split("+")[-1].lower()) for row in rows if row[-5:-4] == ["yes"]}
    assert any(name.startswith(family) for name in embedded for family in families), (embedded, families)
    text = pdf_text(response.content)
    assert question.replace(" ", "") in text.replace(" ", "") and answer.replace(" ", "") in text.replace(" ", "")
