"""The app's URLs, plus an Initiative changelist in the Django admin when the app
does not register one: the baseline bench/list_throughput.py measures against.
Same rows and columns as the initiative list, 25 a page, lead and idea joined."""

from django.contrib import admin

from initiatives.models import Initiative


class InitiativeChangelist(admin.ModelAdmin):
    list_display = ["title", "category", "status", "lead", "start_date", "end_date", "idea"]
    list_select_related = ["lead", "idea"]
    list_per_page = 25
    search_fields = ["title", "summary", "locations"]


# Before the URLs are imported: admin.site.urls lists the models registered at that moment.
if not admin.site.is_registered(Initiative):
    admin.site.register(Initiative, InitiativeChangelist)

from integration_hub.urls import urlpatterns  # noqa: E402

__all__ = ["urlpatterns"]
