from django.contrib import admin

from evaluations.models import CalendarFeed, EvaluationReview, Indicator, Measurement, Reminder, ReviewSchedule


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "initiative", "unit", "baseline_value", "target_value", "target_date", "concerns"]
    list_filter = ["unit", "concerns", "initiative__organization"]
    search_fields = ["name", "initiative__title"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "date", "value", "entered_by"]
    list_select_related = ["indicator", "entered_by"]
    raw_id_fields = ["indicator"]


@admin.register(ReviewSchedule)
class ReviewScheduleAdmin(admin.ModelAdmin):
    list_display = ["initiative", "every", "period", "start_date", "reminder_lead_days"]
    filter_horizontal = ["reviewers"]


@admin.register(EvaluationReview)
class EvaluationReviewAdmin(admin.ModelAdmin):
    list_display = ["initiative", "due_date", "held_on"]
    list_filter = ["initiative__organization"]
    date_hierarchy = "due_date"


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["review", "kind", "recipient", "period", "sent_at", "skipped_at", "attempts"]
    list_filter = ["kind"]
    readonly_fields = ["created_at", "sent_at", "skipped_at", "enqueued_at", "attempts", "last_error"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "created_at"]
    readonly_fields = ["token_hash"]
