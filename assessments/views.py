"""Step 1 pages. Class-based throughout: staff pages over the foundation's
OrganizationMixin, the public survey over plain View (no login, no session)."""

import copy
import hashlib
import hmac
import itertools
import json
import secrets
import time
import uuid

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import DetailView, TemplateView

from assessments import paper, selectors, services, xlsform
from assessments.forms import (
    AssessmentForm,
    ChoiceFormSet,
    ConsultationForm,
    NeedForm,
    PublicWordingForm,
    QuestionForm,
    SurveyLanguagesForm,
    SurveyTextForm,
    XLSFormUploadForm,
)
from assessments.languages import (
    LANGUAGE_CODES,
    LANGUAGES,
    catalogue_words,
    choose_language,
    language_info,
    normalise_language,
    survey_languages,
)
from assessments.models import (
    Channel,
    Consultation,
    Kiosk,
    Need,
    NeedsAssessment,
    PublicWording,
    Question,
    RespondentSide,
    Survey,
    default_survey_languages,
)
from assessments.public import SIDE_FIELD, about_survey, field_name, page_words, parse_submission, survey_words
from integration_hub import cache as counters
from integration_hub import jobs as job_services
from integration_hub import permissions, tasks, throttling
from integration_hub.crud import (
    OrganizationCreateView,
    OrganizationDeleteView,
    OrganizationDetailView,
    OrganizationUpdateView,
)
from integration_hub.inputs import clean_search_term, parse_id
from integration_hub.listing import OrganizationFilterSet, OrganizationListView, csv_response
from integration_hub.models import AuditEvent
from integration_hub.services import audit_record
from integration_hub.tenancy import OrganizationMixin

# --- Assessments -------------------------------------------------------------------------------


class AssessmentFilter(OrganizationFilterSet):
    status = django_filters.ChoiceFilter(choices=NeedsAssessment.Status.choices, empty_label=gettext_lazy("Any status"))

    class Meta:
        model = NeedsAssessment
        fields = ["status"]


class AssessmentListView(OrganizationListView):
    """The step's landing page: assessments, with links to the needs board and consultations."""

    model = NeedsAssessment
    template_name = "assessments/assessment_list.html"
    search_fields = ("title", "area_served", "description")
    filterset_class = AssessmentFilter
    csv_columns = (
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Area served"), "area_served"),
        (gettext_lazy("Start"), "period_start"),
        (gettext_lazy("End"), "period_end"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Owner"), lambda a: a.owner.get_full_name() if a.owner else ""),
        (gettext_lazy("Responses"), "responses_shown"),
    )

    def get_queryset(self):
        return selectors.with_response_counts(super().get_queryset())

    def decorate(self, objects):
        return selectors.attach_response_figures(objects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["step"] = selectors.step_summary(self.organization)
        return context


class AssessmentScopedMixin(OrganizationMixin):
    model = NeedsAssessment

    def get_queryset(self):
        return NeedsAssessment.objects.for_organization(self.organization).select_related("owner")


class AssessmentDetailView(AssessmentScopedMixin, OrganizationDetailView):
    template_name = "assessments/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.object
        survey = services.survey_for(assessment)
        context.update(
            survey=survey,
            overview=selectors.assessment_overview(assessment, survey),
            consultations=assessment.consultations.all()[:10],
            needs=assessment.needs.all()[:10],
            statuses=NeedsAssessment.Status,
        )
        return context


class AssessmentCreateView(OrganizationCreateView):
    model = NeedsAssessment
    form_class = AssessmentForm
    page_title = gettext_lazy("New needs assessment")
    intro = gettext_lazy("An assessment holds one survey, its consultations and the needs you identify from them.")

    def get_initial(self):
        return {"owner": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(intro=self.intro, cancel_url=reverse("assessments:index"))
        return context

    def form_valid(self, form):
        self.object = services.assessment_create(organization=self.organization, **form.cleaned_data)
        messages.success(
            self.request, _("%(object)s was created. Now add the survey's questions.") % {"object": self.object}
        )
        return redirect("assessments:survey_builder", pk=self.object.pk)


class AssessmentUpdateView(AssessmentScopedMixin, OrganizationUpdateView):
    form_class = AssessmentForm


class AssessmentStatusView(AssessmentScopedMixin, View):
    """Open, pause or close an assessment (and with it the public link)."""

    permission = permissions.EDIT
    http_method_names = ["post"]

    def post(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.assessment_set_status(assessment=assessment, status=request.POST.get("status", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s” is now: %(status)s.")
                % {"title": assessment.title, "status": assessment.get_status_display()},
            )
        return redirect(assessment)


# --- Survey builder ----------------------------------------------------------------------------


class SurveyBuilderView(AssessmentScopedMixin, DetailView):
    """The assessment's questions, in order, with edit / move / delete, and the public texts."""

    permission = permissions.EDIT
    template_name = "assessments/survey_builder.html"

    def post(self, request, pk):
        self.object = self.get_object()
        survey = services.survey_for(self.object)
        if request.POST.get("action") == "languages":
            languages_form = SurveyLanguagesForm(request.POST, survey=survey)
            if languages_form.is_valid():
                services.survey_set_languages(survey=survey, codes=languages_form.cleaned_data["languages"])
                messages.success(request, _("The survey's languages were saved."))
                return redirect("assessments:survey_builder", pk=self.object.pk)
            return self.render_to_response(self.get_context_data(languages_form=languages_form), status=400)
        form = SurveyTextForm(request.POST, survey=survey)
        if form.is_valid():
            services.survey_update(survey=survey, **form.texts())
            messages.success(request, _("What respondents read was saved."))
            return redirect("assessments:survey_builder", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(text_form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = services.survey_for(self.object)
        questions = selectors.builder_questions(survey)
        languages = survey.language_list
        for question in questions:
            question.missing_languages = selectors.question_missing_languages(question, languages)
            # The wording in the survey's other languages, shown under the English.
            question.translations = [
                (language, question.text[language.code])
                for language in languages
                if language.code != "en" and question.text.get(language.code)
            ]
        context.update(
            survey=survey,
            questions=questions,
            response_count=survey.responses.count(),
            missing=selectors.missing_wording(survey, questions),
            public_url=self.request.build_absolute_uri(survey.get_public_url()),
            survey_languages=languages,
            # Offered only where a copy can land: a draft whose survey is still empty.
            copy_sources=(
                selectors.copy_sources(self.organization, exclude=self.object)
                if not questions and self.object.status == NeedsAssessment.Status.DRAFT
                else []
            ),
        )
        context.setdefault("text_form", SurveyTextForm(survey=survey))
        context.setdefault("languages_form", SurveyLanguagesForm(survey=survey))
        return context


class SurveyCopyView(AssessmentScopedMixin, View):
    """Copy the questions of one of the organisation's earlier assessments into this draft's empty survey."""

    permission = permissions.EDIT
    http_method_names = ["post"]

    def post(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        source_id = parse_id(request.POST.get("source", ""))
        if source_id is None:
            messages.error(request, _("Choose the assessment to copy the questions from."))
            return redirect("assessments:survey_builder", pk=assessment.pk)
        source = get_object_or_404(self.get_queryset(), pk=source_id)
        try:
            copies = services.survey_copy_questions(
                source=services.survey_for(source), target=services.survey_for(assessment)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d question was copied from “%(title)s”. Check the wording fits this assessment.",
                    "%(n)d questions were copied from “%(title)s”. Check the wording fits this assessment.",
                    len(copies),
                )
                % {"n": len(copies), "title": source.title},
            )
        return redirect("assessments:survey_builder", pk=assessment.pk)


class SurveyImportView(AssessmentScopedMixin, View):
    """Upload an XLSForm: its shape is checked here (cheap), then it is read in the background
    and the user is sent to the job's page, which shows what would be imported and what cannot
    be held, with "Import" and "Cancel" (SurveyImportChoiceView). Nothing is added before that."""

    permission = permissions.EDIT

    def get(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        return self.render_page(assessment, XLSFormUploadForm())

    def post(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        form = XLSFormUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(assessment, form, status=400)
        job = job_services.job_create(
            organization=self.organization,
            kind=xlsform.READ_JOB,
            created_by=request.user,
            upload=form.cleaned_data["data"],
            upload_name=form.cleaned_data["file"].name,
            params={"assessment": assessment.pk},
        )
        tasks.enqueue_job(job.pk)
        return redirect("job_detail", pk=job.pk)

    def render_page(self, assessment, form, *, error="", status=200):
        return _import_page(self.request, assessment, form, error=error, status=status)


def _import_page(request, assessment, form, *, error="", status=200):
    """The upload page, for the upload itself and for a preview's choice that was refused."""
    context = {"object": assessment, "form": form, "error": error}
    return render(request, "assessments/survey_import.html", context, status=status)


def _not_awaiting_message(reason: str) -> str:
    if reason == "unfinished":
        return _("The file is still being read; wait for its preview on the job’s page, then choose.")
    if reason == "cancelled":
        return _("This import was cancelled, so nothing was imported; upload the file again to import it.")
    if reason == "expired":
        hours = settings.JOB_OUTPUT_HOURS
        return ngettext(
            "This preview is more than %(n)d hour old and the survey may have changed since; upload the file again.",
            "This preview is more than %(n)d hours old and the survey may have changed since; upload the file again.",
            hours,
        ) % {"n": hours}
    return _("This file is no longer waiting to be imported; upload it again.")


class SurveyImportChoiceView(AssessmentScopedMixin, View):
    """The preview's two buttons. "Import" creates the import job once (a double click or a
    second tab is sent to the same job); "Cancel" drops the preview. A preview that is gone,
    cancelled, too old or of another assessment gets the upload page with a message."""

    permission = permissions.EDIT

    def post(self, request, pk, job_pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        read_job = xlsform.read_job_for(assessment, job_pk)
        if read_job is None:
            return self.refuse(assessment, _not_awaiting_message("missing"), status=404)
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                import_id, created = xlsform.xlsform_import_confirm(
                    assessment=assessment, read_job=read_job, user=request.user
                )
                if created:
                    tasks.enqueue_job(import_id)
                return redirect("job_detail", pk=import_id)
            if action == "cancel":
                import_id = job_services.job_cancel(job=read_job)
                if import_id is not None:
                    messages.info(request, _("This file had already been confirmed; here is its import."))
                    return redirect("job_detail", pk=import_id)
                messages.info(request, _("Nothing was imported."))
                return redirect("assessments:survey_builder", pk=assessment.pk)
        except job_services.NotAwaiting as refused:
            return self.refuse(assessment, _not_awaiting_message(refused.reason))
        return self.refuse(assessment, _("Choose “Import” or “Cancel” on the file’s preview."))

    def refuse(self, assessment, error, *, status=400):
        return _import_page(self.request, assessment, XLSFormUploadForm(), error=error, status=status)


class SurveyExportView(AssessmentScopedMixin, View):
    """The survey as an XLSForm for ODK, KoBoToolbox or Enketo (paper and offline collection)."""

    permission = permissions.EDIT

    def get(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        data = xlsform.export_xlsform(services.survey_for(assessment))
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = slugify(assessment.title) or "survey"
        response["Content-Disposition"] = f'attachment; filename="{name}-xlsform.xlsx"'
        return response


CHOICE_PREFIX = "choices"


def unchecked(form):
    """A bound form or formset shown again as typed, without its errors: asking for another
    option row is not a save, so "This field is required" would be noise."""
    if isinstance(form, BaseFormSet):
        form._non_form_errors = form.error_class()
        form._errors = []
        for row in form.forms:
            unchecked(row)
            form._errors.append(row._errors)
    else:
        form._errors = ErrorDict()
    return form


class QuestionEditorMixin(OrganizationMixin):
    permission = permissions.EDIT
    template_name = "assessments/question_form.html"

    def render_editor(self, form, formset, *, assessment, question=None, status=200):
        context = {
            "form": form,
            "formset": formset,
            "assessment": assessment,
            "question": question,
            "choice_kinds": list(Question.CHOICE_KINDS),
        }
        return render(self.request, self.template_name, context, status=status)

    def add_option_row(self, data):
        """The "Add another option" button without JavaScript: the same entries with one more
        empty row, nothing checked or saved yet (the ChoiceFormSet's max_num is the limit)."""
        data = data.copy()
        key = f"{CHOICE_PREFIX}-TOTAL_FORMS"
        rows = parse_id(data.get(key, "")) or 0
        data[key] = str(min(rows + 1, ChoiceFormSet.max_num))
        return data

    def save(self, form, formset, *, assessment, question=None):
        if "add_option" in self.request.POST:
            return self.render_editor(unchecked(form), unchecked(formset), assessment=assessment, question=question)
        valid = form.is_valid() & formset.is_valid()  # both, so every error shows at once
        if valid:
            try:
                data = form.question_data(formset.choice_edits())
                if question is None:
                    services.question_create(survey=services.survey_for(assessment), data=data)
                else:
                    services.question_update(question=question, data=data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(self.request, _("The question was saved."))
                return redirect("assessments:survey_builder", pk=assessment.pk)
        return self.render_editor(form, formset, assessment=assessment, question=question, status=400)


class QuestionCreateView(QuestionEditorMixin, View):
    def get_assessment(self, pk):
        return get_object_or_404(NeedsAssessment.objects.for_organization(self.organization), pk=pk)

    def get(self, request, pk):
        assessment = self.get_assessment(pk)
        languages = services.survey_for(assessment).language_list
        form = QuestionForm(initial={"required": True}, languages=languages)
        formset = ChoiceFormSet(prefix=CHOICE_PREFIX, languages=languages)
        return self.render_editor(form, formset, assessment=assessment)

    def post(self, request, pk):
        assessment = self.get_assessment(pk)
        languages = services.survey_for(assessment).language_list
        data = self.add_option_row(request.POST) if "add_option" in request.POST else request.POST
        form = QuestionForm(data, languages=languages)
        formset = ChoiceFormSet(data, prefix=CHOICE_PREFIX, languages=languages)
        return self.save(form, formset, assessment=assessment)


class QuestionScopedMixin(QuestionEditorMixin):
    def get_question(self, pk):
        queryset = Question.objects.for_organization(self.organization).select_related("survey__assessment")
        question = get_object_or_404(selectors.with_answer_counts(queryset), pk=pk)
        return selectors.add_kept_counts([question], question.survey.kept_tallies)[0]


class QuestionUpdateView(QuestionScopedMixin, View):
    def get(self, request, pk):
        question = self.get_question(pk)
        languages = question.survey.language_list
        form = QuestionForm(instance=question, languages=languages)
        formset = ChoiceFormSet(prefix=CHOICE_PREFIX, question=question, languages=languages)
        return self.render_editor(form, formset, assessment=question.survey.assessment, question=question)

    def post(self, request, pk):
        question = self.get_question(pk)
        languages = question.survey.language_list
        data = self.add_option_row(request.POST) if "add_option" in request.POST else request.POST
        form = QuestionForm(data, instance=question, languages=languages)
        formset = ChoiceFormSet(data, prefix=CHOICE_PREFIX, question=question, languages=languages)
        return self.save(form, formset, assessment=question.survey.assessment, question=question)


class QuestionDeleteView(QuestionScopedMixin, View):
    template_name = "assessments/question_confirm_delete.html"

    def get(self, request, pk):
        question = self.get_question(pk)
        return render(request, self.template_name, {"question": question, "assessment": question.survey.assessment})

    def post(self, request, pk):
        question = self.get_question(pk)
        assessment = question.survey.assessment
        try:
            confirmed = int(request.POST.get("answers_confirmed", "0"))
        except ValueError:
            confirmed = 0
        try:
            deleted = services.question_delete(question=question, answers_confirmed=confirmed)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessments:question_delete", pk=question.pk)
        if deleted:
            messages.success(
                request,
                ngettext(
                    "The question and its %(n)d answer were deleted.",
                    "The question and its %(n)d answers were deleted.",
                    deleted,
                )
                % {"n": deleted},
            )
        else:
            messages.success(request, _("The question was deleted."))
        return redirect("assessments:survey_builder", pk=assessment.pk)


class QuestionMoveView(QuestionScopedMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        question = self.get_question(pk)
        services.question_move(question=question, direction=request.POST.get("direction", ""))
        url = reverse("assessments:survey_builder", kwargs={"pk": question.survey.assessment_id})
        return HttpResponseRedirect(f"{url}#question-{question.pk}")


# --- Results -----------------------------------------------------------------------------------


def results_language(request, survey):
    """The language results show options and questions in (?lang=, one of the survey's; else English)."""
    return language_info(normalise_language(request.GET.get("lang"), survey.language_codes))


class ResultsView(AssessmentScopedMixin, DetailView):
    template_name = "assessments/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = services.survey_for(self.object)
        language = results_language(self.request, survey)
        results = selectors.survey_results(survey, language=language.code)
        columns = results.columns
        context.update(
            survey=survey,
            results_language=language,
            survey_languages=survey.language_list,
            results=results,
            min_cell=selectors.MIN_CELL,
            totals=[(col, label, results.totals[col]) for col, label in columns],
            question_rows=[
                {
                    "question": item.question,
                    "text": item.question.text_in(language.code),
                    "chart": item.chart,
                    "respondents": [(col, label, item.respondents[col]) for col, label in columns],
                    "rows": [(row.label, [row.cells[col] for col, _l in columns]) for row in item.rows],
                    "means": [(item.means[col], item.mean_display(col)) for col, _l in columns] if item.means else [],
                }
                for item in results.questions
            ],
            charts=results.charts,
            channels=[(row.label, [row.cells[col] for col, _l in columns]) for row in selectors.channel_split(survey)],
        )
        return context


class ResultsSummaryCsvView(AssessmentScopedMixin, View):
    def get(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        survey = services.survey_for(assessment)
        language = results_language(request, survey).code
        results = selectors.survey_results(survey, language=language)
        header = [_("Question"), _("Answer")]
        for _col, label in selectors.COLUMNS:
            header += [f"{label}: {_('count')}", f"{label}: %"]
        name = slugify(f"{assessment.title} summary")
        rows = itertools.chain(
            selectors.summary_rows(results, language), selectors.channel_rows(selectors.channel_split(survey))
        )
        return csv_response(name, header, rows)


class ResponsesCsvView(AssessmentScopedMixin, View):
    """Raw responses: admins only (issue 9); one row per response, one column per question."""

    permission = permissions.ADMIN

    def get(self, request, pk):
        assessment = get_object_or_404(self.get_queryset(), pk=pk)
        survey = services.survey_for(assessment)
        questions = selectors.answered_questions(survey)
        language = results_language(request, survey).code
        header = [_("Response"), _("Side"), _("Date"), _("Language of the page")]
        header += [q.text_in(language) for q in questions]
        name = slugify(f"{assessment.title} responses")
        audit_record(
            organization=self.organization,
            action=AuditEvent.Action.RAW_RESPONSES_EXPORTED,
            actor=request.user,
            summary=assessment.title,
            detail={"assessment_id": assessment.pk},
        )
        return csv_response(name, header, selectors.response_rows(survey, questions, language))


class TextAnswersView(AssessmentScopedMixin, DetailView):
    """Free-text answers: admins and editors only, never board members or the network."""

    permission = permissions.EDIT
    template_name = "assessments/text_answers.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = services.survey_for(self.object)
        questions = [q for q in selectors.survey_questions(survey) if q.is_text]
        question_id = parse_id(self.request.GET.get("question")) or 0
        search = clean_search_term(self.request.GET.get("q"))
        answers = selectors.text_answers(survey, question_id=question_id, search=search)
        page = Paginator(answers, self.paginate_by).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        for answer in page.object_list:  # written answers keep the language of the page they were given on
            answer.page_language = language_info(answer.response.language)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            text_questions=questions,
            question_id=question_id,
            search_term=search,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            querystring=query.urlencode(),
        )
        return context


# --- Public survey (no login) ------------------------------------------------------------------


def _link_is_busy(token: str) -> bool:
    """Counts one valid submission against the link's per-minute limit (never who sent it);
    True once the limit is passed. Invalid posts never reach this count."""
    limit = settings.SURVEY_SUBMISSIONS_PER_MINUTE
    return counters.count(f"survey-rate:{token}:{int(time.time() // 60)}", window=120) > limit


_salts: dict[int, bytes] = {}


def _minute_salt(minute: int) -> bytes:
    """A random salt per minute, shared by the processes through the cache and gone with it."""
    salt = _salts.get(minute)
    if salt is None:
        fresh = secrets.token_hex(16)
        try:
            cache.add(f"survey-invalid-salt:{minute}", fresh, timeout=60)
            salt = (cache.get(f"survey-invalid-salt:{minute}") or fresh).encode()
        except Exception:  # the cache is down: counts are per process then, and so is the salt
            salt = fresh.encode()
        _salts.clear()  # only the current minute's is ever needed
        _salts[minute] = salt
    return salt


def _invalid_flood(request) -> bool:
    """Counts one invalid post from this address in the current minute; True past the limit.

    The count sits under an HMAC of the address with that minute's salt and expires with the
    minute, so no address (nor anything that links two minutes' posts) is kept longer."""
    minute = int(time.time() // 60)
    digest = hmac.new(_minute_salt(minute), throttling.client_address(request).encode(), hashlib.sha256).hexdigest()[
        :32
    ]
    return counters.count(f"survey-invalid:{digest}", window=60) > settings.SURVEY_INVALID_POSTS_PER_MINUTE


def submission_key(value) -> uuid.UUID | None:
    """The form's random submission key, or None for anything that is not a UUID (no key, no 500)."""
    try:
        return uuid.UUID(str(value or "").strip()) if value else None
    except ValueError:
        return None


def _closed_page(request):
    """ "This survey is not open" (404), with no cookie: a link that leads to no open survey."""
    # No survey to offer languages: any listed language the visitor asks for or reads.
    language = choose_language(request, LANGUAGE_CODES)
    # The switch offers English, Spanish and the language asked for (the survey's are unknown).
    context = {
        **public_page_context(language, page_words(language)),
        "languages": survey_languages(default_survey_languages() + [language]),
    }
    return render(request, "assessments/public/closed.html", context, status=404)


def _wants_json(request) -> bool:
    """The device's queue-sender asks for JSON first; a browser's form post asks for HTML (and */*)."""
    first = request.META.get("HTTP_ACCEPT", "").split(",")[0]
    return first.split(";")[0].strip().lower() == "application/json"


# The respondent's browser gets no cookie at all: no session, no CSRF cookie. A forged
# cross-site post could only add an answer anyone can add; the rate limit caps abuse.
@method_decorator([csrf_exempt, never_cache], name="dispatch")
class SurveyRespondView(View):
    template_name = "assessments/public/respond.html"

    channel = Channel.ONLINE

    def find_survey(self, token):
        return selectors.public_survey(token)

    def choose_language(self, request):
        return choose_language(request, self.survey.language_codes)

    def thanks_url(self, token) -> str:
        return f"{reverse('assessments:survey_thanks', kwargs={'token': token})}?lang={self.language}"

    def page_context(self) -> dict:
        return {}

    def dispatch(self, request, token):
        self.survey = self.find_survey(token)
        if self.survey is None and _wants_json(request):
            response = JsonResponse({"status": "closed", "errors": {}}, status=404)
        elif self.survey is None:
            response = _closed_page(request)
        else:
            self.language = self.choose_language(request)
            self.words = survey_words(self.survey, self.language)
            response = super().dispatch(request, token)
        patch_vary_headers(response, ["Accept-Language", "Accept"])
        return response

    def get(self, request, token):
        return self.render_page(values={}, errors={})

    def post(self, request, token):
        questions = selectors.published_questions(self.survey)
        submission = parse_submission(questions, request.POST, self.language, self.words)
        key = submission_key(request.POST.get("submission_key"))
        as_json = _wants_json(request)
        # Only accepted answers count against the link, so a flood of invalid posts cannot
        # close it to everyone; that flood meets its own per-address limit instead.
        if not submission.is_valid and not _invalid_flood(request):
            if as_json:
                return JsonResponse({"status": "invalid", "errors": submission.errors}, status=400)
            return self.render_page(
                values=submission.values, errors=submission.errors, questions=questions, status=400, key=key
            )
        if not submission.is_valid or _link_is_busy(token):
            if as_json:  # the device keeps the answers and tries again later
                return JsonResponse({"status": "busy", "errors": {}}, status=429, headers={"Retry-After": "60"})
            # Keep what they typed; nothing is stored.
            return self.render_page(
                values=submission.values, errors={}, questions=questions, status=429, busy=True, key=key
            )
        # A repeated key (a double tap, a retry after a lost answer, a device's queue sent twice)
        # stores nothing new and gets the same thanks page.
        services.response_submit(
            survey=self.survey,
            side=submission.side,
            answers=submission.answers,
            language=self.language,
            submission_key=key,
            channel=self.channel,
        )
        thanks = self.thanks_url(token)
        if as_json:
            return JsonResponse({"status": "stored", "errors": {}, "thanks_url": thanks})
        return redirect(thanks)

    def render_page(self, *, values, errors, questions=None, status=200, busy=False, key=None):
        questions = questions if questions is not None else selectors.published_questions(self.survey)
        context = respond_context(
            self.survey, self.language, questions, values=values, errors=errors, busy=busy, words=self.words
        )
        # The form's random key (the page's script puts a fresh one in each time it is used): a
        # page sent again after an error keeps its key, so a retry is still one response.
        context["submission_key"] = key or uuid.uuid4()
        context.update(self.page_context())
        return render(self.request, self.template_name, context, status=status)


def respond_context(survey, language, questions, *, values, errors, busy=False, words=None) -> dict:
    """The public page's context, shared with the staff preview so that it shows the same page."""
    words = words if words is not None else survey_words(survey, language)
    items = []
    number = 0
    for question in questions:
        # Notes and section headings are read, not answered: they take no number.
        number += 0 if question.is_display else 1
        name = field_name(question)
        chosen = values.get(name, [])
        low, high = question.bounds
        scale_low, scale_high = question.scale_ends_in(language)
        items.append(
            {
                "number": number,
                "question": question,
                "name": name,
                "text": question.text_in(language),
                "help": question.help_in(language),
                "options": [(str(c.pk), c.label_in(language), str(c.pk) in chosen) for c in question.choices.all()],
                "scale": [(str(v), str(v) in chosen) for v in range(1, 6)],
                "scale_low": f"1 = {scale_low}" if scale_low else words["scale_low"],
                "scale_high": f"5 = {scale_high}" if scale_high else words["scale_high"],
                "value": chosen[0] if chosen else "",
                "error": errors.get(name),
                "min": low,
                "max": high,
                "number_hint": words["number_hint"].format(min=low, max=high),
                "max_chars_hint": words["max_chars"].format(max=question.text_max_length),
            }
        )
    side_value = (values.get(SIDE_FIELD) or [""])[0]
    sides = [
        (RespondentSide.NEWCOMER, words["side_newcomer"]),
        (RespondentSide.RESIDENT, words["side_resident"]),
        (RespondentSide.PREFER_NOT, words["side_prefer_not"]),
    ]
    summary = []
    if errors.get(SIDE_FIELD):
        summary.append(("field-side", words["side_legend"], errors[SIDE_FIELD]))
    summary += [(f"field-{i['name']}", i["text"], i["error"]) for i in items if i["error"]]
    return {
        **thanks_context(survey, language, words),
        "intro": survey.intro_in(language),
        "items": items,
        "sides": [(value, label, value == side_value) for value, label in sides],
        "side_error": errors.get(SIDE_FIELD),
        "error_summary": summary,
        "busy": busy,
    }


def public_page_context(language, words) -> dict:
    """lang, dir and the words of every public page, survey or not."""
    return {"lang": language, "language": language_info(language), "t": words}


def thanks_context(survey, language, words=None) -> dict:
    """What every public page of a survey shows: its title, who asks and why, the language switch."""
    words = words if words is not None else survey_words(survey, language)
    return {
        **public_page_context(language, words),
        "survey": survey,
        "languages": survey.language_list,
        "title": survey.title_in(language),
        "about": about_survey(survey, language, words),
    }


@method_decorator(never_cache, name="dispatch")
class SurveyThanksView(View):
    def get(self, request, token):
        survey = Survey.objects.select_related("assessment__organization").filter(token=token).first()
        if survey is None:
            raise Http404
        language = choose_language(request, survey.language_codes)
        response = render(request, "assessments/public/thanks.html", thanks_context(survey, language))
        patch_vary_headers(response, ["Accept-Language"])
        return response


class SurveyPreviewView(AssessmentScopedMixin, View):
    """The public page exactly as respondents see it, in any status and language, for staff; what is
    sent here is checked as on the public page and then shown the thank-you page, never stored."""

    permission = permissions.EDIT

    def dispatch(self, request, pk):
        self.language = "en"  # chosen among the survey's languages once the survey is known
        return super().dispatch(request, pk)

    def get_survey(self, pk):
        assessment = get_object_or_404(self.get_queryset().select_related("organization"), pk=pk)
        survey = services.survey_for(assessment)
        survey.assessment = assessment
        self.language = choose_language(self.request, survey.language_codes)
        return survey

    def get(self, request, pk):
        survey = self.get_survey(pk)
        page = respond_context(survey, self.language, selectors.published_questions(survey), values={}, errors={})
        return self.render_preview("assessments/public/respond.html", survey, page)

    def post(self, request, pk):
        survey = self.get_survey(pk)
        questions = selectors.published_questions(survey)
        submission = parse_submission(questions, request.POST, self.language)
        if submission.is_valid:  # nothing is stored: the respondent's thank-you page, as it would be
            return self.render_preview("assessments/public/thanks.html", survey, thanks_context(survey, self.language))
        page = respond_context(survey, self.language, questions, values=submission.values, errors=submission.errors)
        return self.render_preview("assessments/public/respond.html", survey, page, status=400)

    def render_preview(self, template, survey, context, status=200):
        context["preview"] = {
            "url": reverse("assessments:survey_preview", kwargs={"pk": survey.assessment_id}),
            "builder_url": reverse("assessments:survey_builder", kwargs={"pk": survey.assessment_id}),
            "is_open": survey.assessment.is_collecting,
        }
        return render(self.request, template, context, status=status)


class PublicWordingView(OrganizationMixin, TemplateView):
    """The public survey page's own words in one language, with the organisation's corrections
    (shown on its surveys in place of the catalogue's)."""

    permission = permissions.EDIT
    template_name = "assessments/public_wording.html"

    def dispatch(self, request, *args, **kwargs):
        self.language = language_info(normalise_language(request.GET.get("lang") or request.POST.get("lang")))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None):
        current = dict(
            PublicWording.objects.for_organization(self.organization)
            .filter(language=self.language.code)
            .values_list("key", "text")
        )
        return PublicWordingForm(
            data,
            language=self.language,
            catalogue=catalogue_words(self.language.code),
            english=catalogue_words("en"),
            current=current,
        )

    def post(self, request):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                count = services.public_wording_save(
                    organization=self.organization, language=self.language.code, words=form.cleaned_data
                )
            except ValidationError as error:
                for key, messages_ in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, messages_)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Saved: %(n)d of the page's texts uses your words in this language.",
                        "Saved: %(n)d of the page's texts use your words in this language.",
                        count,
                    )
                    % {"n": count},
                )
                return redirect(f"{reverse('assessments:public_wording')}?lang={self.language.code}")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context.update(language=self.language, languages=LANGUAGES)
        return context


# --- Consultations -----------------------------------------------------------------------------


class ConsultationFilter(OrganizationFilterSet):
    kind = django_filters.ChoiceFilter(choices=Consultation.Kind.choices, empty_label=gettext_lazy("Any kind"))

    class Meta:
        model = Consultation
        fields = ["kind", "assessment"]


class ConsultationListView(OrganizationListView):
    model = Consultation
    template_name = "assessments/consultation_list.html"
    search_fields = ("title", "facilitator", "key_points", "languages")
    filterset_class = ConsultationFilter
    csv_columns = (
        (gettext_lazy("Title"), "title"),
        (gettext_lazy("Date"), "held_on"),
        (gettext_lazy("Kind"), "get_kind_display"),
        (gettext_lazy("Assessment"), "assessment.title"),
        (gettext_lazy("Facilitator"), "facilitator"),
        (gettext_lazy("Newcomers"), "newcomer_participants"),
        (gettext_lazy("Long-standing residents"), "resident_participants"),
        (gettext_lazy("Languages"), "languages"),
        (gettext_lazy("Key points"), "key_points"),
    )

    def get_queryset(self):
        return super().get_queryset().select_related("assessment")


class ConsultationDetailView(OrganizationDetailView):
    model = Consultation
    template_name = "assessments/consultation_detail.html"

    def get_queryset(self):
        return selectors.consultation_list(self.organization).prefetch_related("needs")


class ConsultationCreateView(OrganizationCreateView):
    model = Consultation
    form_class = ConsultationForm
    page_title = gettext_lazy("Record a consultation")

    def get_initial(self):
        pk = parse_id(self.request.GET.get("assessment"))
        assessment = NeedsAssessment.objects.for_organization(self.organization).filter(pk=pk).first() if pk else None
        return {"assessment": assessment}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cancel_url=reverse("assessments:consultation_list"),
            intro=_("Count participants by side; do not record names or anything that identifies a participant."),
        )
        return context


class ConsultationUpdateView(OrganizationUpdateView):
    model = Consultation
    form_class = ConsultationForm


class ConsultationDeleteView(OrganizationDeleteView):
    model = Consultation

    def get_success_url(self):
        return reverse("assessments:consultation_list")


# --- Needs -------------------------------------------------------------------------------------


class NeedListView(OrganizationMixin, TemplateView):
    """The needs board: needs by priority, with evidence and how many initiatives address each."""

    template_name = "assessments/need_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = selectors.need_board(self.organization)
        context["total"] = sum(len(needs) for _p, needs in context["board"])
        return context


class NeedDetailView(OrganizationDetailView):
    model = Need
    template_name = "assessments/need_detail.html"

    def get_queryset(self):
        return (
            Need.objects.for_organization(self.organization)
            .select_related("assessment")
            .prefetch_related("evidence_questions__survey__assessment", "evidence_consultations")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["initiatives"] = selectors.initiatives_for_need(self.organization, self.object)
        return context


class NeedCreateView(OrganizationCreateView):
    model = Need
    form_class = NeedForm
    page_title = gettext_lazy("New need")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("assessments:need_list")
        return context


class NeedUpdateView(OrganizationUpdateView):
    model = Need
    form_class = NeedForm


class NeedDeleteView(OrganizationDeleteView):
    model = Need

    def get_success_url(self):
        return reverse("assessments:need_list")


# --- Kiosk and offline -------------------------------------------------------------------------


# The files a survey page needs, kept on the device by the service worker.
SURVEY_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.rtl.min.css",
    "css/app.css",
    "css/assessments.css",
    "img/favicon.svg",
    "js/survey-queue.js",
    "js/survey-offline.js",
    "js/survey-kiosk.js",
)


@method_decorator(never_cache, name="dispatch")
class SurveyWorkerView(View):
    """The service worker, served under /needs/s/ so that its scope is the public survey pages
    (static/ would not cover them). Its text names the files' current (hashed) addresses, so a
    release changes it and browsers take the new one."""

    http_method_names = ["get"]

    def get(self, request):
        files = [static(name) for name in SURVEY_FILES]
        version = hashlib.sha256("\n".join(files).encode()).hexdigest()[:12]
        scope = reverse("assessments:survey_worker").rsplit("/", 1)[0] + "/"
        response = render(
            request,
            "assessments/public/sw.js",
            {"files": json.dumps(files), "version": version, "scope": scope},
            content_type="text/javascript; charset=utf-8",
        )
        response["Service-Worker-Allowed"] = scope
        return response


class KioskStartView(AssessmentScopedMixin, View):
    """Start kiosk mode for the assessment's survey on this device, in the languages chosen.

    Starting signs this device out: a respondent who leaves the kiosk page (Back, the address
    bar) finds the sign-in page, never the staff member's session. The kiosk then runs on its own
    random link. It ends only by a staff member: the password of the one who started it on the
    kiosk's exit page (checked by authenticate(), so wrong guesses meet the login lockout), or
    "End" here from any signed-in device (a tablet left behind, a forgotten password), or by
    itself after selectors.KIOSK_HOURS. A password alone never signs anyone in from the kiosk
    (two-factor sign-in stays whole): ending only stops the kiosk."""

    permission = permissions.EDIT
    template_name = "assessments/kiosk_start.html"

    def get_survey(self, pk):
        self.assessment = get_object_or_404(self.get_queryset(), pk=pk)
        survey = services.survey_for(self.assessment)
        survey.assessment = self.assessment
        return survey

    def get(self, request, pk):
        return self.render_page(self.get_survey(pk))

    def post(self, request, pk):
        survey = self.get_survey(pk)
        if not self.assessment.is_collecting:
            messages.error(request, _("Open the assessment for answers before starting a kiosk."))
            return redirect(self.assessment)
        try:
            _kiosk, token = services.kiosk_start(
                survey=survey, languages=request.POST.getlist("languages"), started_by=request.user
            )
        except ValidationError as error:
            return self.render_page(survey, error=" ".join(error.messages), status=400)
        logout(request)
        return redirect(reverse("assessments:kiosk_respond", kwargs={"token": token}))

    def render_page(self, survey, *, error="", status=200):
        context = {
            "object": self.assessment,
            "survey": survey,
            "languages": survey.language_list,
            "kiosks": selectors.running_kiosks(survey),
            "error": error,
        }
        return render(self.request, self.template_name, context, status=status)


class KioskEndView(OrganizationMixin, View):
    """End a running kiosk from a signed-in session (any editor of the organisation)."""

    permission = permissions.EDIT
    http_method_names = ["post"]

    def post(self, request, pk):
        kiosk = get_object_or_404(Kiosk.objects.for_organization(self.organization).select_related("survey"), pk=pk)
        services.kiosk_end(kiosk=kiosk)
        messages.success(request, _("The kiosk was ended: its page no longer takes answers."))
        return redirect("assessments:kiosk_start", pk=kiosk.survey.assessment_id)


class KioskMixin:
    """The kiosk's pages: the running kiosk behind the link, its languages, its own links."""

    def find_survey(self, token):
        self.kiosk = selectors.active_kiosk(token)
        self.token = token
        return selectors.public_survey(self.kiosk.survey.token) if self.kiosk else None

    def offered(self):
        return [code for code in self.kiosk.languages if code in self.survey.language_codes] or ["en"]

    def choose_language(self, request):
        # ?lang= among the kiosk's languages, else its first: the next person starts there.
        asked = request.GET.get("lang") or request.POST.get("lang") or ""
        return asked if asked in self.offered() else self.offered()[0]

    def page_context(self) -> dict:
        return {
            "languages": [language_info(code) for code in self.offered()],
            "kiosk": {
                "form_url": reverse("assessments:kiosk_respond", kwargs={"token": self.token}),
                "exit_url": reverse("assessments:kiosk_exit", kwargs={"token": self.token}),
                "seconds": max(1, settings.SURVEY_KIOSK_COUNTDOWN_SECONDS),
            },
        }


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class KioskRespondView(KioskMixin, SurveyRespondView):
    """The public form at a kiosk: answers are stored with channel kiosk."""

    channel = Channel.KIOSK

    def thanks_url(self, token) -> str:
        return f"{reverse('assessments:kiosk_thanks', kwargs={'token': token})}?lang={self.language}"


@method_decorator(never_cache, name="dispatch")
class KioskThanksView(KioskMixin, View):
    """Thank you, then a fresh form for the next person after a few seconds."""

    def get(self, request, token):
        self.survey = self.find_survey(token)
        if self.survey is None:
            return _closed_page(request)
        self.language = self.choose_language(request)
        context = {**thanks_context(self.survey, self.language), **self.page_context()}
        context["countdown_text"] = context["t"]["kiosk_next"].format(n=context["kiosk"]["seconds"])
        return render(request, "assessments/public/thanks.html", context)


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class KioskExitView(KioskMixin, View):
    """A staff member ends the kiosk with the password of the one who started it. No session is
    made (no cookie): the kiosk stops and the page points to the sign-in page."""

    template_name = "assessments/public/kiosk_exit.html"

    def dispatch(self, request, token):
        self.survey = self.find_survey(token)
        if self.kiosk is None:
            return _closed_page(request)
        if self.survey is None:  # the assessment closed: the kiosk has nothing left to show
            self.survey = self.kiosk.survey
        # Staff pages, in the staff's language (the app's words), not the kiosk's: an Arabic kiosk's
        # exit would otherwise set English sentences right to left.
        self.language = normalise_language(translation.get_language())
        return super().dispatch(request, token)

    def get(self, request, token):
        return self.render_page()

    def post(self, request, token):
        starter = self.kiosk.started_by
        password = request.POST.get("password", "")
        user = None
        if starter is not None and password and "\x00" not in password:
            user = authenticate(request, username=starter.email, password=password)
        if user is None or user.pk != starter.pk:
            return self.render_page(
                error=_("That is not the password of the staff member who started this kiosk."), status=400
            )
        services.kiosk_end(kiosk=self.kiosk)
        return render(request, "assessments/public/kiosk_ended.html", {**self.context(), "kiosk": None})

    def context(self):
        return {**thanks_context(self.survey, self.language), **self.page_context(), "languages": []}

    def render_page(self, *, error="", status=200):
        context = {**self.context(), "error": error, "has_starter": self.kiosk.started_by_id is not None}
        return render(self.request, self.template_name, context, status=status)


# --- Paper -------------------------------------------------------------------------------------


class PaperMixin(AssessmentScopedMixin):
    """The assessment's survey, in one of its languages (?lang=)."""

    def get_survey(self, pk):
        assessment = get_object_or_404(self.get_queryset().select_related("organization"), pk=pk)
        survey = services.survey_for(assessment)
        survey.assessment = assessment
        return survey

    def public_url(self, survey, language=None) -> str:
        url = self.request.build_absolute_uri(survey.get_public_url())
        return f"{url}?lang={language}" if language else url

    def short_url(self, survey) -> str:
        return self.request.build_absolute_uri(paper.short_link(survey))


def paper_context(survey, language, public_url, short_url) -> dict:
    """The printed questionnaire: the online form's questions, side question first, as boxes."""
    page = respond_context(survey, language, selectors.published_questions(survey), values={}, errors={})
    page.update(public_url=public_url, short_url=short_url, qr=paper.qr_svg(public_url, scale=3))
    return page


class SurveyPaperView(PaperMixin, View):
    """The questionnaire to print, in one of the survey's languages: the page (the browser prints
    it with the print stylesheet) or, at survey_paper_pdf, the same page as a PDF."""

    pdf = False

    def get(self, request, pk):
        survey = self.get_survey(pk)
        language = normalise_language(request.GET.get("lang"), survey.language_codes)
        context = paper_context(survey, language, self.public_url(survey, language), self.short_url(survey))
        name = slugify(f"{survey.assessment.title} paper {language}") or "survey"
        if self.pdf:
            data = paper.render_pdf("assessments/paper/survey.html", context, language)
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        context.update(
            toolbar=True,
            assessment=survey.assessment,
            pdf_url=f"{reverse('assessments:survey_paper_pdf', kwargs={'pk': pk})}?lang={language}",
        )
        return render(request, "assessments/paper/survey.html", context)


class SurveyFlyerView(PaperMixin, View):
    """A poster for a parish board or a waiting room: the QR code and the link, in two languages."""

    def get(self, request, pk):
        survey = self.get_survey(pk)
        codes = survey.language_codes
        first = normalise_language(request.GET.get("lang"), codes)
        second = normalise_language(request.GET.get("lang2") or ("es" if "es" in codes else first), codes)
        size = paper.PAGE_SIZES.get(request.GET.get("size", ""), "Letter")
        url = self.public_url(survey)  # no ?lang=: the phone's language picks, the page can switch
        sides = []
        for code in dict.fromkeys([first, second]):
            words = survey_words(survey, code)
            sides.append({**thanks_context(survey, code, words), "code": code})
        context = {
            "sides": sides,
            "public_url": url,
            "short_url": self.short_url(survey),
            "qr": paper.qr_svg(url, scale=8),
            "lang": first,
        }
        context.update(public_page_context(first, survey_words(survey, first)))
        data = paper.render_pdf("assessments/paper/flyer.html", context, first, page_size=size)
        response = HttpResponse(data, content_type="application/pdf")
        name = slugify(f"{survey.assessment.title} flyer {first} {second}") or "flyer"
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response


def _optional(questions):
    """Copies of the questions, none required: a paper sheet may leave any question blank, and
    staff type what is on it, never an answer that is not."""
    copies = []
    for question in questions:
        twin = copy.copy(question)
        twin.required = False
        copies.append(twin)
    return copies


class PaperEntryView(PaperMixin, View):
    """Staff type paper questionnaires through the public page's own checks (public.parse_submission),
    stored with channel=paper and nothing about who typed them: no name, no id, no audit line."""

    permission = permissions.EDIT
    template_name = "assessments/paper/entry.html"

    def get(self, request, pk):
        survey = self.get_survey(pk)
        return self.render_page(survey, values={}, errors={})

    def post(self, request, pk):
        survey = self.get_survey(pk)
        if not survey.assessment.is_collecting:
            return self.render_page(survey, values={}, errors={}, status=409)
        language = normalise_language(request.POST.get("lang"), survey.language_codes)
        questions = _optional(selectors.published_questions(survey))
        # The checks' messages in the staff member's language; the answers in the sheet's.
        words = page_words(translation.get_language() or "en")
        submission = parse_submission(questions, request.POST, language, words)
        if not submission.is_valid:
            return self.render_page(survey, values=submission.values, errors=submission.errors, status=400)
        key = _submission_key(request.POST.get("submission_key", ""))
        services.response_submit(
            survey=survey,
            side=submission.side,
            answers=submission.answers,
            language=language,
            channel=Channel.PAPER,
            submission_key=key,
        )
        entered = (parse_id(request.POST.get("entered", "")) or 0) + 1
        messages.success(request, _("Paper response %(n)d saved — next one.") % {"n": entered})
        url = reverse("assessments:paper_entry", kwargs={"pk": pk})
        return redirect(f"{url}?lang={language}&entered={entered}")

    def render_page(self, survey, *, values, errors, status=200):
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        language = normalise_language(source.get("lang"), survey.language_codes)
        page = respond_context(survey, language, selectors.published_questions(survey), values=values, errors=errors)
        english = {q.pk: q for q in selectors.published_questions(survey)}
        for item in page["items"]:
            item["english"] = english[item["question"].pk].text_in("en") if language != "en" else ""
        context = {
            **page,
            "object": survey.assessment,
            "is_open": survey.assessment.is_collecting,
            "sheet_language": language_info(language),
            "survey_languages": survey.language_list,
            "entered": parse_id(source.get("entered", "")) or 0,
            # A fresh random key per empty form: a double submit stores the sheet once.
            "submission_key": values.get("submission_key") or uuid.uuid4(),
            "has_errors": bool(errors),
        }
        if status == 400:
            context["submission_key"] = _submission_key(self.request.POST.get("submission_key", "")) or uuid.uuid4()
        return render(self.request, self.template_name, context, status=status)


def _submission_key(value: str):
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return None


@method_decorator(never_cache, name="dispatch")
class SurveyShortLinkView(View):
    """/needs/l/<code>/, the link printed in words on paper: the start of the survey's token, short
    enough to type (60 random bits, so still not guessable), sent on to the public page."""

    def get(self, request, code):
        survey = paper.survey_for_short_code(code)
        if survey is None:
            raise Http404
        url = survey.get_public_url()
        language = request.GET.get("lang", "")
        return redirect(f"{url}?lang={language}" if language in LANGUAGE_CODES else url)
