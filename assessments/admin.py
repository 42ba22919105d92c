from django.contrib import admin

from assessments import services
from assessments.models import Answer, Choice, Consultation, Need, NeedsAssessment, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
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
        # Questions edited here skip the builder's services: record the change as they do,
        # so the public page stops using its cached copy.
        services.survey_structure_changed(survey_id=form.instance.pk)


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "survey", "kind", "position", "required"]
    list_filter = ["kind"]
    inlines = [ChoiceInline]

    # Edits here skip the builder's services: record each change as they do (see SurveyAdmin).
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        moved_from = form.initial.get("survey")  # a question moved to another survey changes both
        for survey_id in {form.instance.survey_id, moved_from} - {None}:
            services.survey_structure_changed(survey_id=survey_id)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.survey_structure_changed(survey_id=obj.survey_id)

    def delete_queryset(self, request, queryset):
        surveys = set(queryset.values_list("survey_id", flat=True))
        super().delete_queryset(request, queryset)
        for survey_id in surveys:
            services.survey_structure_changed(survey_id=survey_id)


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
