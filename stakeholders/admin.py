from django.contrib import admin

from stakeholders.models import Commitment, Engagement, Stakeholder, StanceChange


class StanceChangeInline(admin.TabularInline):
    model = StanceChange
    extra = 0
    readonly_fields = ["old_stance", "new_stance", "changed_at", "changed_by"]
    can_delete = False


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["promise", "made_on", "due_date", "status"]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "sector", "influence", "stance", "organization"]
    list_filter = ["organization", "sector", "influence", "stance"]
    search_fields = ["name", "affiliation", "role_title", "tags"]
    inlines = [StanceChangeInline, CommitmentInline]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "organization", "follow_up_date"]
    list_filter = ["organization", "kind"]
    date_hierarchy = "date"
    search_fields = ["summary", "feedback", "stakeholders__name"]
    filter_horizontal = ["stakeholders", "staff"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["promise", "stakeholder", "made_on", "due_date", "status"]
    list_filter = ["status", "stakeholder__organization"]
    search_fields = ["promise", "stakeholder__name"]
    list_select_related = ["stakeholder"]
    raw_id_fields = ["stakeholder"]


@admin.register(StanceChange)
class StanceChangeAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "old_stance", "new_stance", "changed_at", "changed_by"]
    list_select_related = ["stakeholder", "changed_by"]
    raw_id_fields = ["stakeholder"]
