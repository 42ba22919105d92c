"""XLSForm import and export (issue 21): pyxform's own sample forms, a multilingual form written
here, hostile files, and the round trip through pyxform."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook
from pyxform.xls2xform import convert

from assessments import services, xlsform
from assessments.models import Question
from assessments.tests.factories import NeedsAssessmentFactory, QuestionFactory, SurveyFactory, choice_question
from assessments.xlsform import XLSFormError, language_code, read_xlsform
from integration_hub import jobs, tasks
from integration_hub.models import BackgroundJob

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "xlsform_samples"
K = Question.Kind


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def workbook(survey_rows, choice_rows=None, settings_rows=None, extra=None) -> bytes:
    book = Workbook()
    book.active.title = "survey"
    for row in survey_rows:
        book.active.append(row)
    for title, rows in (("choices", choice_rows), ("settings", settings_rows), *(extra or {}).items()):
        if rows is not None:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shape(plan):
    return [(q.row, q.kind, q.text.get("en"), [c["label"].get("en") for c in q.choices]) for q in plan.questions]


def notices(plan):
    return {(n.row, n.type) for n in plan.notices}


# --- pyxform's samples ---------------------------------------------------------------------------


def test_text_and_integer_sample():
    plan = read_xlsform(sample("text_and_integer.xlsx"))  # label:english
    assert shape(plan) == [
        (2, K.SHORT_TEXT, "What is your name?", []),
        (3, K.NUMBER, "How many years old are you?", []),
    ]
    assert plan.notices == [] and plan.languages == ["en"]
    assert not any(q.required for q in plan.questions)  # XLSForm questions are optional unless marked


def test_yes_or_no_sample_reads_select_one_from():
    plan = read_xlsform(sample("yes_or_no_question.xlsx"))
    assert shape(plan) == [(2, K.SINGLE, "have you had a good day today?", ["yes", "no"])]


def test_group_sample_becomes_a_section_and_lists_the_phone_number():
    plan = read_xlsform(sample("group.xlsx"))  # label:English (en)
    assert shape(plan) == [
        (2, K.SHORT_TEXT, "What's your family name?", []),
        (3, K.SECTION, "Father", []),
        (5, K.NUMBER, "How old is your father?", []),
    ]
    assert notices(plan) == {(4, "phone number")}


def test_specify_other_sample_adds_other_and_a_follow_up():
    plan = read_xlsform(sample("specify_other.xlsx"))
    assert shape(plan) == [
        (2, K.SINGLE, "What sex are you?", ["Male", "Female", "Other"]),
        (2, K.SHORT_TEXT, "If you chose “Other”, which?", []),
    ]
    assert plan.questions[1].required is False
    assert notices(plan) == {(2, "select one from sexes or specify other")}


def test_case_insensitive_sample_upper_case_sheets_and_columns():
    plan = read_xlsform(sample("case_insensitivity.xlsx"))  # SURVEY, TYPE, LABEL::EN, DEFAULT_LANGUAGE EN
    assert shape(plan) == [(2, K.SINGLE, "Are you good?", ["l1-c", "l2-c"])]
    listed = notices(plan)
    assert {(3, "select_one_external c1"), (4, "osm c1")} <= listed
    assert {(1, "EXTERNAL_CHOICES"), (1, "ENTITIES"), (1, "OSM")} <= listed


def test_extra_columns_sample_with_thousands_of_empty_columns():
    plan = read_xlsform(sample("extra_columns.xlsx"))
    assert shape(plan) == [(2, K.SHORT_TEXT, "A", [])]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_every_sample_imports_and_exports_through_pyxform(name):
    survey = SurveyFactory(assessment=NeedsAssessmentFactory())
    plan, created = xlsform.import_file(survey=survey, data=sample(name))
    assert len(created) == len(plan.questions) > 0
    assert [q.kind for q in survey.questions.order_by("position")] == [q.kind for q in plan.questions]
    result = convert(xlsform=io.BytesIO(xlsform.export_xlsform(survey)), file_type=".xlsx")
    assert "<h:html" in result.xform


# --- A multilingual form with what the survey holds and what it cannot ---------------------------

FORM = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Español (es)",
        "label::Klingon (tlh)",
        "hint::English (en)",
        "hint::es",
        "required",
        "relevant",
        "constraint",
        "parameters",
        "appearance",
    ],  # fmt: skip
    ["note", "welcome", "Thank you for taking part", "Gracias por participar", "nuqneH", "", "", "", "", "", "", ""],
    ["begin_group", "home", "Your home", "Su hogar", "", "", "", "", "", "", "", ""],
    ["select_one yn", "rent", "Do you rent?", "¿Alquila?", "", "Your own words", "Sus palabras", "yes", "", "", "", ""],
    [
        "select_multiple needs or_other",
        "needs",
        "What do you need?",
        "¿Qué necesita?",
        "",
        "",
        "",
        "true()",
        "",
        "",
        "",
        "",
    ],  # fmt: skip
    ["integer", "years", "Years here?", "¿Años aquí?", "", "", "", "yes", "", ". >= 0 and . <= 80", "", ""],
    ["end_group", "", "", "", "", "", "", "", "", "", "", ""],
    ["decimal", "rent_amount", "Monthly rent?", "", "", "", "", "", "${rent} = 'yes'", "", "", ""],
    ["date", "arrived", "When did you arrive?", "", "", "", "", "no", "", "", "", ""],
    ["range", "trust", "Trust in the city?", "", "", "", "", "", "", "", "start=1 end=5 step=1", ""],
    ["range", "km", "How far?", "", "", "", "", "", "", "", "start=0;end=20;step=2", ""],
    ["text", "story", "Tell us more", "Cuéntenos", "", "", "", "", "", "", "", "multiline"],
    ["calculate", "total", "", "", "", "", "", "", "", "", "", ""],
    ["geopoint", "where", "Where do you live?", "", "", "", "", "", "", "", "", ""],
    ["image", "photo", "A photo", "", "", "", "", "", "", "", "", ""],
    ["begin repeat", "children", "Each child", "", "", "", "", "", "", "", "", ""],
    ["integer", "child_age", "Age?", "", "", "", "", "", "", "", "", ""],
    ["end repeat", "", "", "", "", "", "", "", "", "", "", ""],
    ["text", "rent", "Duplicate name", "", "", "", "", "", "", "", "", ""],
    ["start", "started", "", "", "", "", "", "", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Español (es)"],
    ["yn", "yes", "Yes", "Sí"],
    ["yn", "no", "No", "No"],
    ["needs", "jobs", "Work", "Trabajo"],
    ["needs", "english", "English classes", "Clases de inglés"],
    ["needs", "jobs", "Work again", "Trabajo otra vez"],
]


def test_multilingual_form_maps_each_kind_language_and_rule():
    plan = read_xlsform(workbook(FORM, CHOICES))
    assert shape(plan) == [
        (2, K.NOTE, "Thank you for taking part", []),
        (3, K.SECTION, "Your home", []),
        (4, K.SINGLE, "Do you rent?", ["Yes", "No"]),
        (5, K.MULTIPLE, "What do you need?", ["Work", "English classes", "Other"]),
        (5, K.SHORT_TEXT, "If you chose “Other”, which?", []),
        (6, K.NUMBER, "Years here?", []),
        (8, K.DECIMAL, "Monthly rent?", []),
        (9, K.DATE, "When did you arrive?", []),
        (10, K.SCALE, "Trust in the city?", []),
        (11, K.NUMBER, "How far?", []),
        (12, K.LONG_TEXT, "Tell us more", []),
    ]
    by_row = {}
    for question in plan.questions:
        by_row.setdefault(question.row, question)
    assert by_row[4].text == {"en": "Do you rent?", "es": "¿Alquila?"}  # Klingon is not a survey language
    assert by_row[4].help_text == {"en": "Your own words", "es": "Sus palabras"}
    assert by_row[4].choices[0]["label"] == {"en": "Yes", "es": "Sí"}
    assert by_row[5].choices[2]["label"] == {"en": "Other", "es": "Otro"}
    assert [by_row[r].required for r in (4, 5, 6, 8, 9)] == [True, True, True, False, False]
    assert (by_row[6].min_value, by_row[6].max_value) == (0, 80)  # the constraint's bounds are kept
    assert (by_row[11].min_value, by_row[11].max_value) == (0, 20)
    assert plan.languages == ["en", "es"]
    listed = notices(plan)
    assert {
        (1, "label"),  # Klingon
        (5, "select_multiple needs or_other"),
        (8, "decimal"),  # relevant
        (11, "range"),  # step 2
        (13, "calculate"),
        (14, "geopoint"),
        (15, "image"),
        (16, "begin repeat"),
        (17, "integer"),
        (19, "text"),  # duplicate name
        (20, "start"),
    } <= listed
    assert (6, "integer") not in listed  # its constraint became the number range
    assert any(n.sheet == "choices" and n.row == 6 for n in plan.notices)  # duplicate option name
    assert "Klingon" in next(n.reason for n in plan.notices if n.row == 1 and n.type == "label")


def test_an_imported_form_adds_its_languages_to_the_survey():
    survey = SurveyFactory(assessment=NeedsAssessmentFactory())
    services.survey_set_languages(survey=survey, codes=["ar"])
    form = [["type", "name", "label::English (en)", "label::Kreyòl ayisyen (ht)"], ["text", "n", "Name?", "Non?"]]
    xlsform.import_file(survey=survey, data=workbook(form))
    survey.refresh_from_db()
    assert survey.languages == ["en", "ht", "ar"]  # the list's order, English first
    assert survey.questions.get().text == {"en": "Name?", "ht": "Non?"}


def test_nothing_is_saved_before_the_import_is_confirmed():
    survey = SurveyFactory(assessment=NeedsAssessmentFactory())
    read_xlsform(workbook(FORM, CHOICES))
    assert not survey.questions.exists()


@pytest.mark.parametrize(
    "spec, code",
    [("English (en)", "en"), ("english", "en"), ("EN", "en"), ("Español (es)", "es"), ("Spanish", "es"),
     ("spanish (es)", "es"), ("es", "es"), ("Français (fr)", "fr"), ("", None), ("Klingon", None)],
)  # fmt: skip
def test_language_spellings(spec, code):
    assert language_code(spec) == code


def test_every_listed_language_is_understood_by_code_own_name_and_english_name():
    assert [language_code(s) for s in ("العربية (ar)", "Arabic", "AR")] == ["ar"] * 3
    assert [language_code(s) for s in ("Haitian Creole (ht)", "haitian creole", "Kreyòl ayisyen", "HT")] == ["ht"] * 4


def test_a_form_without_english_lends_its_first_language():
    plan = read_xlsform(workbook([["type", "name", "label::Español (es)"], ["text", "n", "¿Nombre del barrio?"]]))
    assert plan.questions[0].text == {"en": "¿Nombre del barrio?", "es": "¿Nombre del barrio?"}


# --- Hostile files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"type,name,label\ntext,a,A\n", "not an .xlsx"),
        (b"PK\x03\x04" + b"\x00" * 100, "not an .xlsx"),
        (b"x" * (xlsform.MAX_FILE_BYTES + 1), "limit is 5 MB"),
    ],
)
def test_files_that_are_no_workbook(data, message):
    with pytest.raises(XLSFormError, match=message):
        read_xlsform(data)


def test_a_zip_that_is_no_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(XLSFormError, match="could not be read"):
        read_xlsform(out.getvalue())


def test_workbooks_that_are_no_xlsform():
    with pytest.raises(XLSFormError, match="no sheet named “survey”"):
        book = Workbook()
        book.active.title = "Sheet1"
        out = io.BytesIO()
        book.save(out)
        read_xlsform(out.getvalue())
    with pytest.raises(XLSFormError, match="has no questions"):
        read_xlsform(workbook([["type", "name", "label"]]))
    with pytest.raises(XLSFormError, match="survey sheet is empty"):
        read_xlsform(workbook([]))
    with pytest.raises(XLSFormError, match="“type” column"):
        read_xlsform(workbook([["name", "label"], ["a", "A"]]))


def test_long_text_is_cut_and_columns_far_right_are_ignored():
    header = ["type", "name", "label", *[None] * 300, "relevant"]
    plan = read_xlsform(workbook([header, ["text", "story", "Tell us " + "more " * 2000, *[None] * 300, "${x}"]]))
    assert len(plan.questions[0].text["en"]) == xlsform.TEXT_MAX
    assert plan.notices == []  # a column past the 200th is never read


def test_a_formula_cell_is_no_label():
    plan = read_xlsform(workbook([["type", "name", "label"], ["text", "a", "=CONCAT(B2, B2)"], ["text", "b", "B?"]]))
    assert [q.text["en"] for q in plan.questions] == ["B?"]
    assert notices(plan) == {(2, "text")}


def test_too_many_rows():
    rows = [["type", "name", "label"]] + [["text", f"q{i}", f"Q{i}"] for i in range(xlsform.MAX_SURVEY_ROWS + 1)]
    with pytest.raises(XLSFormError, match="more than 2000 rows"):
        read_xlsform(workbook(rows))


def test_a_select_without_its_list_or_with_one_option_is_listed():
    plan = read_xlsform(
        workbook(
            [["type", "name", "label"], ["select_one missing", "a", "A?"], ["select_one one", "b", "B?"]],
            [["list_name", "name", "label"], ["one", "x", "X"]],
        )
    )
    assert plan.questions == [] and notices(plan) == {(2, "select_one missing"), (3, "select_one one")}


# --- Export -------------------------------------------------------------------------------------


def test_export_of_every_kind_converts_with_pyxform_and_reads_back():
    survey = SurveyFactory(assessment=NeedsAssessmentFactory(title="Spring 2031 listening survey"))
    QuestionFactory(survey=survey, position=1, kind=K.SECTION, text={"en": "About you", "es": "Sobre usted"})
    choice_question(survey, labels=("Library", "Clinic ${x}"), position=2, text={"en": "Where?", "es": "¿Dónde?"})
    choice_question(survey, labels=("Jobs", "Housing", "Health"), position=3, kind=K.MULTIPLE)
    QuestionFactory(survey=survey, position=4, kind=K.SCALE)
    QuestionFactory(survey=survey, position=5, kind=K.NUMBER, min_value=-5, max_value=120)
    QuestionFactory(survey=survey, position=6, kind=K.SHORT_TEXT, required=False)
    QuestionFactory(survey=survey, position=7, kind=K.SECTION, text={"en": "Your plans"})
    QuestionFactory(survey=survey, position=8, kind=K.LONG_TEXT, help_text={"en": "Anything", "es": "Lo que sea"})
    QuestionFactory(survey=survey, position=9, kind=K.DECIMAL)
    QuestionFactory(survey=survey, position=10, kind=K.DATE)
    QuestionFactory(survey=survey, position=11, kind=K.NOTE, required=False, text={"en": "Thanks\x0b — ${name} <b>&"})
    data = xlsform.export_xlsform(survey)

    result = convert(xlsform=io.BytesIO(data), file_type=".xlsx")
    assert "Spring 2031 listening survey" in result.xform and "¿Dónde?" in result.xform
    assert "Thanks — $ {name} &lt;b&gt;&amp;" in result.xform

    again = SurveyFactory(assessment=NeedsAssessmentFactory())
    plan, _created = xlsform.import_file(survey=again, data=data)
    original = list(survey.questions.order_by("position"))
    copied = list(again.questions.order_by("position"))
    assert [q.kind for q in copied] == [q.kind for q in original]
    assert [q.text for q in copied[:5]] == [q.text for q in original[:5]]
    assert [q.required for q in copied if not q.is_display] == [q.required for q in original if not q.is_display]
    assert (copied[4].min_value, copied[4].max_value) == (-5, 120)
    assert [c.label for c in copied[1].choices.all()][0] == {"en": "Library", "es": "Library (es)"}
    assert copied[7].help_text == {"en": "Anything", "es": "Lo que sea"}
    assert plan.notices == []


# --- Management commands ------------------------------------------------------------------------


def test_import_command_prints_both_lists_and_fails_on_nothing(tmp_path, capsys):
    assessment = NeedsAssessmentFactory()
    path = tmp_path / "form.xlsx"
    path.write_bytes(sample("group.xlsx"))
    call_command("import_xlsform", str(path), "--assessment", str(assessment.pk))
    out = capsys.readouterr().out
    assert "3 questions imported" in out and "row 4" in out and "phone number" in out
    assert assessment.survey.questions.count() == 3

    path.write_bytes(workbook([["type", "name", "label"], ["geopoint", "g", "Where?"]]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_xlsform", str(path), "--assessment", str(assessment.pk))
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="not an .xlsx"):
        call_command("import_xlsform", str(path), "--assessment", str(assessment.pk))
    with pytest.raises(CommandError, match="No assessment"):
        call_command("import_xlsform", str(path), "--assessment", "999999")


def test_export_command_writes_a_form_pyxform_converts(tmp_path):
    question = choice_question(labels=("Yes", "No"))
    path = tmp_path / "out.xlsx"
    call_command("export_xlsform", str(question.survey.assessment_id), str(path))
    assert "select1" in convert(xlsform=str(path)).xform
    with pytest.raises(CommandError, match="No such file"):
        call_command("export_xlsform", str(question.survey.assessment_id), str(tmp_path / "missing" / "out.xlsx"))


# --- From the survey builder --------------------------------------------------------------------


def upload(client, assessment, data: bytes, name="form.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("assessments:survey_import", args=[assessment.pk]),
        {"action": "upload", "file": SimpleUploadedFile(name, data)},
    )


def choose(client, read_job, action):
    return client.post(
        reverse("assessments:survey_import_choice", args=[read_job.params["assessment"], read_job.pk]),
        {"action": action},
    )


def test_builder_upload_previews_then_imports_through_jobs_on_confirm(editor_client, organization):
    assessment = NeedsAssessmentFactory(organization=organization)
    existing = QuestionFactory(survey=SurveyFactory(assessment=assessment), position=1, kind=K.SHORT_TEXT)
    builder = editor_client.get(reverse("assessments:survey_builder", args=[assessment.pk])).content.decode()
    assert reverse("assessments:survey_import", args=[assessment.pk]) in builder
    assert reverse("assessments:survey_export", args=[assessment.pk]) in builder

    response = upload(editor_client, assessment, workbook(FORM, CHOICES))
    read_job = BackgroundJob.objects.get()
    assert read_job.kind == xlsform.READ_JOB
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[read_job.pk])
    html = editor_client.get(response.url).content.decode()
    assert "Ready to import" in html and "Done." not in html, html[html.find("<main") :][:3000]
    assert "geopoint" in html and "a calculation cannot be held" in html and "Do you rent?" in html
    assert "Import 11 questions" in html
    assert list(assessment.survey.questions.all()) == [existing]  # nothing added before the choice

    confirmed = choose(editor_client, read_job, "confirm")
    import_job = BackgroundJob.objects.get(kind=xlsform.IMPORT_JOB)
    assert confirmed.status_code == 302 and confirmed.url == reverse("job_detail", args=[import_job.pk])
    assert import_job.params == {"assessment": assessment.pk, "read_job": read_job.pk}
    html = editor_client.get(confirmed.url).content.decode()
    assert "11 questions were imported." in html and "a calculation cannot be held" in html
    assert reverse("assessments:survey_builder", args=[assessment.pk]) in html
    questions = list(assessment.survey.questions.order_by("position"))
    assert questions[0] == existing and len(questions) == 1 + 11
    assert [q.kind for q in questions[1:4]] == [K.NOTE, K.SECTION, K.SINGLE]
    assert questions[3].text == {"en": "Do you rent?", "es": "¿Alquila?"}
    import_job.refresh_from_db()
    assert import_job.status == "done"
    # Each job runs once: a second delivery reads or imports nothing more.
    assert jobs.job_run(read_job.pk) == "skipped" and jobs.job_run(import_job.pk) == "skipped"
    assert assessment.survey.questions.count() == 12


def test_builder_upload_is_only_queued_when_a_worker_runs_it(editor_client, organization, monkeypatch):
    handed = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda job_id: handed.append(job_id))
    assessment = NeedsAssessmentFactory(organization=organization)
    response = upload(editor_client, assessment, sample("group.xlsx"))
    job = BackgroundJob.objects.get()
    assert handed == [job.pk] and job.status == "queued" and job.params == {"assessment": assessment.pk}
    assert "Waiting to start…" in editor_client.get(response.url).content.decode()
    # Before the reading is done there is nothing to confirm.
    early = choose(editor_client, job, "confirm")
    assert early.status_code == 400 and "still being read" in early.content.decode()
    assert jobs.job_run(job.pk) == "done"
    assert not services.survey_for(assessment).questions.exists()  # reading adds nothing
    choose(editor_client, job, "confirm")
    import_job = BackgroundJob.objects.get(kind=xlsform.IMPORT_JOB)
    assert handed == [job.pk, import_job.pk] and not services.survey_for(assessment).questions.exists()
    assert jobs.job_run(import_job.pk) == "done"
    assert services.survey_for(assessment).questions.count() == 3


def test_a_workbook_whose_sheets_cannot_be_read_saves_nothing_and_says_why(editor_client, organization):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a zip, but no workbook: found by the job
        archive.writestr("notes.txt", "Año 2031 «encuesta»")
    assessment = NeedsAssessmentFactory(organization=organization)
    response = upload(editor_client, assessment, buffer.getvalue())
    html = editor_client.get(response.url).content.decode()
    assert "Nothing was imported." in html and "could not be read as an .xlsx workbook" in html
    assert not services.survey_for(assessment).questions.exists()
    assert reverse("assessments:survey_import", args=[assessment.pk]) in html


def test_another_affiliate_cannot_import_into_an_assessment_or_see_the_job(
    editor_client, organization, other_organization, client_as
):
    theirs = NeedsAssessmentFactory(organization=other_organization)
    assert upload(editor_client, theirs, sample("group.xlsx")).status_code == 404
    assert (
        upload(client_as("board"), NeedsAssessmentFactory(organization=organization), sample("group.xlsx")).status_code
        == 403
    )
    assert not BackgroundJob.objects.exists()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"type,name,label\ntext,a,A\n", "form.csv", "Please upload an .xlsx file"),
        (b"type,name,label\ntext,a,A\n", "form.xlsx", "This is not an .xlsx file"),
        (b"", "form.xlsx", "empty"),
        (b"PK" + b"x" * xlsform.MAX_FILE_BYTES, "form.xlsx", "the limit is 5 MB"),
    ],
    ids=["csv", "csv-named-xlsx", "empty", "huge"],
)
def test_builder_refuses_hostile_files_with_a_message(editor_client, organization, data, name, message):
    assessment = NeedsAssessmentFactory(organization=organization)
    response = upload(editor_client, assessment, data, name)
    assert response.status_code == 400 and message in response.content.decode()
    assert not services.survey_for(assessment).questions.exists()


def test_builder_upload_of_a_form_with_nothing_to_hold(editor_client, organization):
    assessment = NeedsAssessmentFactory(organization=organization)
    rows = [["type", "name", "label"], ["geopoint", "g", "¿Dónde vive «usted»?"]]
    response = upload(editor_client, assessment, workbook(rows))
    html = editor_client.get(response.url).content.decode()
    assert "Nothing was imported." in html
    assert "None of its rows can be held by the survey, so there is nothing to import." in html
    assert "Sheet “survey”, row 2 (geopoint)" in html
    assert not services.survey_for(assessment).questions.exists()
    assert BackgroundJob.objects.get().status == "failed"


def test_builder_export_downloads_a_form_pyxform_converts(editor_client, organization):
    question = choice_question(
        SurveyFactory(assessment=NeedsAssessmentFactory(organization=organization, title="Año 2031: ¿qué falta?"))
    )
    response = editor_client.get(reverse("assessments:survey_export", args=[question.survey.assessment_id]))
    assert response.status_code == 200 and "xlsform.xlsx" in response["Content-Disposition"]
    assert "select1" in convert(xlsform=io.BytesIO(response.content), file_type=".xlsx").xform
