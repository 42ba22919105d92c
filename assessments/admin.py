from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from assessments import selectors, services
from assessments.models import Answer, Choice, Consultation, Need, NeedsAssessment, Question, Response, Survey

# The admin edits questions without the builder, but under its rules: once a question has answers
# its kind, number range and survey stay, chosen options stay, and it cannot be deleted here (the
# builder deletes it, after confirming the number of answers lost).


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["survey", "position", "kind", "text", "help_text", "required", "min_value", "max_value"]

    def clean(self):
        cleaned = super().clean()
        question = self.instance
        if question.pk:
            survey = cleaned.get("survey")
            try:
                services.question_check_change(
                    question=question,  # still as stored: the form's values reach it after clean()
                    kind=cleaned.get("kind", question.kind),
                    min_value=cleaned.get("min_value", question.min_value),
                    max_value=cleaned.get("max_value", question.max_value),
                    survey_id=survey.pk if survey else None,
                )
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return cleaned


class AnsweredRowsFormSet(forms.BaseInlineFormSet):
    """Refuses to delete a question or option that has answers (the kept ones too)."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if not (form.instance.pk and self.can_delete and self._should_delete_form(form)):
                continue
            if isinstance(form.instance, Choice):
                try:
                    services.choice_check_removal(choice=form.instance)
                except ValidationError as error:
                    raise forms.ValidationError(error.messages) from error
            elif n := selectors.question_answer_count(form.instance):
                raise forms.ValidationError(
                    ngettext(
                        "“%(question)s” has %(n)d answer, so it cannot be deleted here; delete it in the "
                        "survey builder, which asks to confirm the answers lost.",
                        "“%(question)s” has %(n)d answers, so it cannot be deleted here; delete it in the "
                        "survey builder, which asks to confirm the answers lost.",
                        n,
                    )
                    % {"question": form.instance, "n": n}
                )


class QuestionInline(admin.TabularInline):
    model = Question
    form = QuestionAdminForm
    formset = AnsweredRowsFormSet
    extra = 0
    fields = ["position", "kind", "text", "required"]


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "period_start", "period_end"]
    list_filter = ["status", "organization"]
    search_fields = ["title", "area_served"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assessment"]
    inlines = [QuestionInline]
    # The token is the public link's secret; admins reach it through the app.
    exclude = ["token"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Questions edited here skip the builder's services: prune as they do (the public page's
        # cached copy follows every write by itself, see AssessmentsConfig.ready).
        services.options_prune(survey_id=form.instance.pk)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = AnsweredRowsFormSet
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "survey", "kind", "position", "required"]
    list_filter = ["kind"]
    form = QuestionAdminForm
    inlines = [ChoiceInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and selectors.question_answer_count(obj):
            return ["survey", "kind", "min_value", "max_value"]
        return []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (
            obj is not None and selectors.question_answer_count(obj)
        )

    def get_actions(self, request):
        # The bulk delete would skip the per-question check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # Edits here skip the builder's services: prune as they do (see SurveyAdmin).
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        moved_from = form.initial.get("survey")  # a question moved to another survey changes both
        for survey_id in {form.instance.survey_id, moved_from} - {None}:
            services.options_prune(survey_id=survey_id)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["question", "choice", "number", "text"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: a response holds only the side and the date; there is no one to identify."""

    list_display = ["__str__", "survey", "side", "submitted_on"]
    list_filter = ["side"]
    readonly_fields = ["survey", "side", "submitted_on"]
    inlines = [AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "held_on", "newcomer_participants", "resident_participants"]
    list_filter = ["kind", "organization"]
    search_fields = ["title", "facilitator"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "category", "priority", "status"]
    list_filter = ["priority", "status", "category", "organization"]
    search_fields = ["title", "description"]
    filter_horizontal = ["evidence_questions", "evidence_consultations"]
