"""Access cases for this app's URLs (see integration_hub.tests.support.UrlCase)."""

from django.utils import timezone

from assessments import xlsform
from assessments.tests.factories import (
    ConsultationFactory,
    NeedFactory,
    NeedsAssessmentFactory,
    QuestionFactory,
    SurveyFactory,
    choice_question,
)
from integration_hub import permissions
from integration_hub.models import BackgroundJob
from integration_hub.tests.support import UrlCase


def _assessment(org):
    return {"pk": NeedsAssessmentFactory(organization=org).pk}


def _question(org):
    return {"pk": QuestionFactory(survey__assessment__organization=org).pk}


def _question_survey(org):
    """A collecting assessment whose survey has a question with options."""
    question = choice_question(SurveyFactory(assessment=NeedsAssessmentFactory(organization=org)))
    return {"pk": question.survey.assessment_id}


def _consultation(org):
    return {"pk": ConsultationFactory(organization=org).pk}


def _kiosk(org):
    from assessments import services
    from assessments.models import Kiosk

    survey = services.survey_for(NeedsAssessmentFactory(organization=org))
    kiosk = Kiosk.objects.create(survey=survey, languages=["en"], token_hash=services.kiosk_token_hash(str(org.pk)))
    return {"pk": kiosk.pk}


def _xlsform_preview(org):
    """An assessment and the finished reading of an XLSForm that waits for "Import" or "Cancel"."""
    assessment = NeedsAssessmentFactory(organization=org)
    job = BackgroundJob.objects.create(
        organization=org,
        kind=xlsform.READ_JOB,
        status=BackgroundJob.Status.DONE,
        params={"assessment": assessment.pk},
        finished_at=timezone.now(),
        result={
            "summary": "1 question can be imported.",
            "confirm_url": "/",
            "data": {
                "plan": {"questions": [{"row": 2, "type": "text", "kind": "short_text", "text": {"en": "Name?"}}]}
            },
        },
    )
    return {"pk": assessment.pk, "job_pk": job.pk}


def _need(org):
    return {"pk": NeedFactory(organization=org).pk}


EDIT = permissions.EDIT
FORM = ("GET", "POST")

CASES = {
    "assessments:index": UrlCase(),
    "assessments:assessment_create": UrlCase(
        permission=EDIT, methods=FORM, post_data={"title": "Spring listening survey", "status": "draft"}
    ),
    "assessments:assessment_detail": UrlCase(make=_assessment),
    "assessments:assessment_update": UrlCase(
        make=_assessment, permission=EDIT, methods=FORM, post_data={"title": "Renamed", "status": "draft"}
    ),
    "assessments:assessment_status": UrlCase(
        make=_assessment, permission=EDIT, methods=("POST",), post_data={"status": "closed"}
    ),
    "assessments:public_wording": UrlCase(
        permission=EDIT, methods=FORM, post_data={"lang": "ht", "submit": "Voye repons mwen yo"}
    ),
    "assessments:survey_builder": UrlCase(
        make=_assessment, permission=EDIT, methods=FORM, post_data={"title_en": "Our survey"}
    ),
    "assessments:survey_preview": UrlCase(
        make=_assessment, permission=EDIT, methods=FORM, post_data={"side": "prefer_not", "lang": "es"}
    ),
    "assessments:survey_import": UrlCase(
        make=_assessment, permission=EDIT, methods=FORM, post_data={"action": "cancel"}
    ),
    "assessments:survey_export": UrlCase(make=_assessment, permission=EDIT),
    "assessments:survey_import_choice": UrlCase(
        make=_xlsform_preview, permission=EDIT, methods=("POST",), post_data={"action": "cancel"}
    ),
    # No source chosen: refused with a message and a redirect, never a 500.
    "assessments:survey_copy": UrlCase(make=_assessment, permission=EDIT, methods=("POST",), post_data={"source": ""}),
    "assessments:question_create": UrlCase(
        make=_assessment,
        permission=EDIT,
        methods=FORM,
        post_data={
            "text_en": "How many years have you lived here?",
            "kind": "number",
            "required": "on",
            "min_value": "0",
            "max_value": "99",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
        },
    ),
    "assessments:question_update": UrlCase(
        make=_question,
        permission=EDIT,
        methods=FORM,
        post_data={
            "text_en": "What would help?",
            "kind": "long_text",
            "min_value": "0",
            "max_value": "100",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
        },
    ),
    "assessments:question_delete": UrlCase(make=_question, permission=EDIT, methods=FORM),
    "assessments:question_move": UrlCase(
        make=_question, permission=EDIT, methods=("POST",), post_data={"direction": "up"}
    ),
    "assessments:survey_paper": UrlCase(make=_question_survey),
    "assessments:survey_paper_pdf": UrlCase(make=_question_survey),
    "assessments:survey_flyer": UrlCase(make=_question_survey),
    # Everything optional on paper: a sheet with only its side filled in is saved.
    "assessments:paper_entry": UrlCase(
        make=_question_survey, permission=EDIT, methods=FORM, post_data={"side": "prefer_not", "lang": "en"}
    ),
    "assessments:results": UrlCase(make=_assessment),
    "assessments:results_csv": UrlCase(make=_assessment),
    "assessments:responses_csv": UrlCase(make=_assessment, permission=permissions.ADMIN),
    "assessments:text_answers": UrlCase(make=_assessment, permission=EDIT),
    # The assessment is a draft here: starting is refused with a message and a redirect.
    "assessments:kiosk_start": UrlCase(make=_assessment, permission=EDIT, methods=FORM, post_data={"languages": "en"}),
    "assessments:kiosk_end": UrlCase(make=_kiosk, permission=EDIT, methods=("POST",)),
    "assessments:consultation_list": UrlCase(),
    "assessments:consultation_create": UrlCase(
        permission=EDIT,
        methods=FORM,
        post_data={
            "title": "Coffee and chat at the library",
            "kind": "coffee_and_chat",
            "held_on": "2026-03-01",
            "newcomer_participants": "5",
            "resident_participants": "7",
        },
    ),
    "assessments:consultation_detail": UrlCase(make=_consultation),
    "assessments:consultation_update": UrlCase(
        make=_consultation,
        permission=EDIT,
        methods=FORM,
        post_data={
            "title": "Round table",
            "kind": "round_table",
            "held_on": "2026-03-01",
            "newcomer_participants": "5",
            "resident_participants": "7",
        },
    ),
    "assessments:consultation_delete": UrlCase(make=_consultation, permission=EDIT, methods=FORM),
    "assessments:need_list": UrlCase(),
    "assessments:need_create": UrlCase(
        permission=EDIT,
        methods=FORM,
        post_data={
            "title": "Evening English classes",
            "category": "education",
            "priority": "1",
            "status": "identified",
        },
    ),
    "assessments:need_detail": UrlCase(make=_need),
    "assessments:need_update": UrlCase(
        make=_need,
        permission=EDIT,
        methods=FORM,
        post_data={"title": "Evening English classes", "category": "education", "priority": "2", "status": "met"},
    ),
    "assessments:need_delete": UrlCase(make=_need, permission=EDIT, methods=FORM),
}

# The public survey needs no login: its own tests are in test_public_survey.py.
# Kiosk pages: test_kiosk.py; the short link printed on paper: test_paper.py.
PUBLIC = {
    "assessments:survey_respond",
    "assessments:survey_thanks",
    "assessments:survey_worker",
    "assessments:kiosk_respond",
    "assessments:kiosk_thanks",
    "assessments:kiosk_exit",
    "assessments:survey_short_link",
}
