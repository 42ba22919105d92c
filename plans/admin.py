from django.contrib import admin

from .models import Endorsement, Plan, PlanVersion


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "period_start", "period_end")
    list_filter = ("organization",)
    search_fields = ("title", "community")


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "published_at")
    readonly_fields = ("plan", "number", "published_at", "published_by")
    exclude = ("snapshot",)

    def has_change_permission(self, request, obj=None):
        return False  # published versions never change


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ("stakeholder", "version", "decision", "answered_at")
    list_filter = ("decision",)
    readonly_fields = ("token_hash", "commitment")
