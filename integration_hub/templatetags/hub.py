from django import template

from integration_hub.history import history_url as _history_url

register = template.Library()


@register.filter
def history_url(obj):
    """{{ object|history_url }}: the object's History page, or None when it is not tracked."""
    return _history_url(obj)
