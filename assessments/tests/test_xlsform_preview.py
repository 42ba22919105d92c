"""The XLSForm import's preview, then "Import" or "Cancel": reading the file (a background job)
adds nothing; the yes creates the import job once, however often it is sent; the no, a preview
that is gone, cancelled, too old, of another assessment or another affiliate, imports nothing and
says so, never a 500."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments import services, xlsform
from assessments.models import NeedsAssessment, Question
from assessments.tests.factories import AnswerFactory, NeedsAssessmentFactory, QuestionFactory, ResponseFactory
from assessments.tests.test_xlsform import workbook
from integration_hub import jobs
from integration_hub.models import BackgroundJob, Membership, Role
from integration_hub.tests.factories import MembershipFactory, UserFactory
from integration_hub.tests.support import client_for

pytestmark = pytest.mark.django_db

K = Question.Kind
LONG = 'Tell us "in your own words" what <script>alert("x")</script> you need — ' + "señales, " * 30
FORM = [
    ["type", "name", "label::English (en)", "label::Español (es)", "label::العربية (ar)", "relevant"],
    ["select_one yn", "rent", "Do you rent?", "¿Alquila?", "هل تستأجر؟", ""],
    ["text", "story", LONG, "Cuéntenos «todo»", "أخبرنا", ""],
    ["integer", "years", "Years here?", "¿Años aquí?", "كم سنة هنا؟", "${rent} = 'yes'"],
    ["geopoint", "where", "Where do you live?", "", "", ""],
    ["calculate", "total", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Español (es)", "label::العربية (ar)"],
    ["yn", "yes", "Yes", "Sí", "نعم"],
    ["yn", "no", "No", "No", "لا"],
]


@pytest.fixture
def affiliate(organization, admin_user, editor_user, board_user):
    """Riverside with several people: an admin, two editors, a board member."""
    MembershipFactory(organization=organization, role=Role.EDITOR, user=UserFactory(email="amal@riverside.example"))
    return organization


@pytest.fixture
def assessment(affiliate):
    assessment = NeedsAssessmentFactory(organization=affiliate, title='Año 2031: "¿qué falta?"')
    QuestionFactory(survey=services.survey_for(assessment), position=1, kind=K.SHORT_TEXT, text={"en": "Your name?"})
    return assessment


def upload(client, assessment, data=None):
    return client.post(
        reverse("assessments:survey_import", args=[assessment.pk]),
        {"file": SimpleUploadedFile("encuesta «2031».xlsx", data or workbook(FORM, CHOICES))},
    )


def choose(client, assessment, job_id, action):
    return client.post(reverse("assessments:survey_import_choice", args=[assessment.pk, job_id]), {"action": action})


def read_job():
    return BackgroundJob.objects.get(kind=xlsform.READ_JOB)


def texts(assessment):
    return [q.text["en"] for q in services.survey_for(assessment).questions.order_by("position")]


def test_upload_reads_the_form_and_previews_it_without_adding_anything(editor_client, assessment):
    response = upload(editor_client, assessment)
    job = read_job()
    assert response.url == reverse("job_detail", args=[job.pk]) and job.status == "done"
    assert texts(assessment) == ["Your name?"]  # 0 questions added
    plan = xlsform.Plan.from_dict(job.result["data"]["plan"])
    assert [q.kind for q in plan.questions] == [K.SINGLE, K.SHORT_TEXT, K.NUMBER]
    assert set(plan.languages) == {"en", "es", "ar"}

    html = editor_client.get(response.url).content.decode()
    assert "Ready to import" in html and "Done." not in html
    assert "1. Do you rent? (Single choice)" in html
    assert "3. Years here? (Number)" in html
    assert "<li>English</li><li>Español (Spanish)</li><li>العربية (Arabic)</li>" in html
    assert "Sheet “survey”, row 5 (geopoint)" in html and "Sheet “survey”, row 4 (integer)" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    choice_url = reverse("assessments:survey_import_choice", args=[assessment.pk, job.pk])
    assert f'action="{choice_url}"' in html and "csrfmiddlewaretoken" in html
    assert ">Import 3 questions</button>" in html and 'value="cancel"' in html


def test_confirm_adds_the_questions_once_and_a_second_click_reaches_the_same_import(client_as, assessment):
    upload(client_as("editor"), assessment)
    job = read_job()
    first = choose(client_as("editor"), assessment, job.pk, "confirm")
    # The admin had the same preview open in another tab.
    second = choose(client_as("admin"), assessment, job.pk, "confirm")
    import_job = BackgroundJob.objects.get(kind=xlsform.IMPORT_JOB)
    assert first.url == second.url == reverse("job_detail", args=[import_job.pk])
    assert texts(assessment) == ["Your name?", "Do you rent?", LONG[:500].strip(), "Years here?"]
    job.refresh_from_db()
    assert job.result["next_job"] == import_job.pk
    page = client_as("editor").get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "This was confirmed." in page and reverse("job_detail", args=[import_job.pk]) in page
    assert 'value="confirm"' not in page
    assert "3 questions were imported." in client_as("admin").get(first.url).content.decode()
    # Cancelling after the yes cancels nothing: it shows the import.
    late = choose(client_as("editor"), assessment, job.pk, "cancel")
    assert late.url == first.url and len(texts(assessment)) == 4


def test_the_import_uses_the_previewed_plan_not_a_new_reading(editor_client, assessment, monkeypatch):
    upload(editor_client, assessment)
    monkeypatch.setattr(xlsform, "read_xlsform", lambda data: pytest.fail("the file was read again"))
    choose(editor_client, assessment, read_job().pk, "confirm")
    assert len(texts(assessment)) == 4


def test_cancel_imports_nothing_and_a_later_confirm_is_refused_with_a_message(editor_client, assessment):
    upload(editor_client, assessment)
    job = read_job()
    response = choose(editor_client, assessment, job.pk, "cancel")
    assert response.url == reverse("assessments:survey_builder", args=[assessment.pk])
    assert "Nothing was imported." in editor_client.get(response.url).content.decode()
    job.refresh_from_db()
    assert job.result["cancelled"] is True and job.result["data"] == {}
    page = editor_client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "This was cancelled: nothing was imported." in page and 'value="confirm"' not in page

    confirm = choose(editor_client, assessment, job.pk, "confirm")
    html = confirm.content.decode()
    assert confirm.status_code == 400 and "This import was cancelled" in html and "upload the file again" in html
    assert f'action="{reverse("assessments:survey_import", args=[assessment.pk])}"' in html  # the upload form
    assert texts(assessment) == ["Your name?"]
    assert not BackgroundJob.objects.filter(kind=xlsform.IMPORT_JOB).exists()


def test_another_affiliates_read_job_is_404_and_starts_nothing(editor_client, assessment, other_organization, outsider):
    theirs = NeedsAssessmentFactory(organization=other_organization)
    upload(client_for(outsider), theirs)
    their_job = read_job()
    for pk in (assessment.pk, theirs.pk):
        response = choose(editor_client, assessment if pk == assessment.pk else theirs, their_job.pk, "confirm")
        assert response.status_code == 404
    assert editor_client.get(reverse("job_detail", args=[their_job.pk])).status_code == 404
    assert not BackgroundJob.objects.filter(kind=xlsform.IMPORT_JOB).exists()
    assert services.survey_for(theirs).questions.count() == 0


def test_board_member_cannot_confirm_until_made_an_editor(client_as, assessment, board_user):
    upload(client_as("editor"), assessment)
    job = read_job()
    assert choose(client_as("board"), assessment, job.pk, "confirm").status_code == 403
    assert choose(client_as("board"), assessment, job.pk, "cancel").status_code == 403
    assert client_as("board").get(reverse("job_detail", args=[job.pk])).status_code == 403
    assert not BackgroundJob.objects.filter(kind=xlsform.IMPORT_JOB).exists()
    job.refresh_from_db()
    assert "cancelled" not in job.result
    Membership.objects.filter(user=board_user).update(role=Role.EDITOR)
    assert choose(client_as("board"), assessment, job.pk, "confirm").status_code == 302
    assert len(texts(assessment)) == 4


def test_a_read_job_of_another_assessment_of_the_same_affiliate_is_refused(editor_client, assessment, affiliate):
    other = NeedsAssessmentFactory(organization=affiliate, title="Spring listening")
    upload(editor_client, other)
    response = choose(editor_client, assessment, read_job().pk, "confirm")
    assert (
        response.status_code == 404 and "no longer waiting to be imported; upload it again" in response.content.decode()
    )
    assert texts(assessment) == ["Your name?"] and services.survey_for(other).questions.count() == 0


def test_a_missing_or_old_preview_answers_a_message_not_an_error(editor_client, assessment):
    gone = choose(editor_client, assessment, 987654, "confirm")
    assert gone.status_code == 404 and "upload it again" in gone.content.decode()
    upload(editor_client, assessment)
    job = read_job()
    BackgroundJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=2))
    page = editor_client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "This preview is too old to confirm" in page and 'value="confirm"' not in page
    old = choose(editor_client, assessment, job.pk, "confirm")
    assert old.status_code == 400 and "more than 24 hours old" in old.content.decode()
    odd = choose(editor_client, assessment, job.pk, "<script>")
    assert odd.status_code == 400 and "Choose “Import” or “Cancel”" in odd.content.decode()
    assert texts(assessment) == ["Your name?"]


def test_a_preview_whose_reading_failed_cannot_be_confirmed(editor_client, assessment):
    upload(editor_client, assessment, workbook([["type", "name", "label"], ["geopoint", "g", "¿Dónde?"]]))
    job = read_job()
    assert job.status == "failed" and "confirm_url" not in job.result
    response = choose(editor_client, assessment, job.pk, "confirm")
    assert response.status_code == 400 and "upload it again" in response.content.decode()


def test_the_survey_may_change_and_close_between_preview_and_confirm(editor_client, assessment):
    upload(editor_client, assessment)
    job = read_job()
    survey = services.survey_for(assessment)
    # Meanwhile a colleague adds a question, answers come in and the assessment closes: the import
    # adds after whatever the survey then holds, as an import without a preview always did.
    QuestionFactory(survey=survey, position=2, kind=K.SHORT_TEXT, text={"en": "Added meanwhile"})
    AnswerFactory(response=ResponseFactory(survey=survey), question=survey.questions.get(position=1), text="Ana «Q»")
    services.assessment_set_status(assessment=assessment, status=NeedsAssessment.Status.CLOSED)
    services.survey_set_languages(survey=survey, codes=["fr"])
    choose(editor_client, assessment, job.pk, "confirm")
    survey.refresh_from_db()
    assert texts(assessment) == ["Your name?", "Added meanwhile", "Do you rent?", LONG[:500].strip(), "Years here?"]
    assert [q.position for q in survey.questions.order_by("position")] == [1, 2, 3, 4, 5]
    assert set(survey.languages) == {"en", "es", "fr", "ar"}
    assert survey.responses.count() == 1


def test_an_import_that_fails_part_way_adds_nothing(editor_client, assessment, monkeypatch):
    upload(editor_client, assessment)
    made = []
    create = services.question_create

    def fail_on_the_third(**kwargs):
        if len(made) == 2:
            raise RuntimeError("database went away")
        made.append(create(**kwargs))
        return made[-1]

    monkeypatch.setattr(services, "question_create", fail_on_the_third)
    response = choose(editor_client, assessment, read_job().pk, "confirm")
    import_job = BackgroundJob.objects.get(kind=xlsform.IMPORT_JOB)
    assert import_job.status == "failed" and len(made) == 2
    assert texts(assessment) == ["Your name?"]
    assert "nothing was saved" in editor_client.get(response.url).content.decode()
    assert jobs.job_run(import_job.pk) == "skipped"


def test_the_preview_speaks_spanish_to_a_spanish_speaker(editor_client, assessment):
    editor_client.cookies["django_language"] = "es"
    response = upload(editor_client, assessment)
    html = editor_client.get(response.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Listo para importar" in html and "Importar 3 preguntas" in html
    assert "1. ¿Alquila? (" in html  # the form's Spanish wording


@pytest.mark.postgres
def test_two_confirms_at_the_same_moment_start_one_import(transactional_db, assessment, editor_user, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    upload(client_for(editor_user), assessment)
    job = read_job()
    real_create = jobs.job_create

    def slow_create(**kwargs):
        time.sleep(0.1)  # widen the window in which both requests have read the preview
        return real_create(**kwargs)

    barrier, answers, errors = threading.Barrier(2), [], []

    def click(user):
        try:
            barrier.wait()
            answers.append(choose(client_for(user), assessment, job.pk, "confirm").url)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(jobs, "job_create", side_effect=slow_create):
        threads = [threading.Thread(target=click, args=[user]) for user in (editor_user, admin_user)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    import_job = BackgroundJob.objects.get(kind=xlsform.IMPORT_JOB)
    assert answers == [reverse("job_detail", args=[import_job.pk])] * 2
    assert len(texts(assessment)) == 4


def test_an_import_job_queued_before_previews_existed_still_reads_its_own_file(assessment, editor_user):
    job = jobs.job_create(
        organization=assessment.organization,
        kind=xlsform.IMPORT_JOB,
        created_by=editor_user,
        upload=workbook(FORM, CHOICES),
        upload_name="old.xlsx",
        params={"assessment": assessment.pk},
    )
    assert jobs.job_run(job.pk) == "done"
    assert len(texts(assessment)) == 4
