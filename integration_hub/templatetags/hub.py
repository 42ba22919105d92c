from django import template
from django.conf import settings

from integration_hub.history import history_url as _history_url
from integration_hub.history import is_restorable
from integration_hub.neighbours import for_object as neighbours_for_object

register = template.Library()


@register.filter
def history_url(obj):
    """{{ object|history_url }}: the object's History page, or None when it is not tracked."""
    return _history_url(obj)


@register.inclusion_tag("partials/neighbours.html", takes_context=True)
def neighbours(context, obj):
    """{% neighbours object %}: a card per step that holds something about `obj` (integration_hub.neighbours)."""
    return {"groups": neighbours_for_object(context["request"].organization, obj)}


@register.inclusion_tag("partials/deletion_note.html")
def deletion_note(obj):
    """{% deletion_note object %}: on a delete page, where the deleted object can be restored, or
    that it cannot be."""
    return {"restorable": is_restorable(type(obj)), "days": settings.DELETED_HISTORY_DAYS}
