from django.contrib import admin

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


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "survey", "kind", "position", "required"]
    list_filter = ["kind"]
    inlines = [ChoiceInline]


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
