"""The audit trail: who changed which field when, read from django-simple-history.

A model joins the trail by declaring `history = HistoricalRecords()`. Survey
responses never do: a history copy would outlive retention and erasure.
"""

from dataclasses import dataclass, field
from datetime import datetime
from heapq import merge

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integration_hub.models import AuditEvent
from integration_hub.steps import OUR_APPS

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN_FIELDS = {"created_at", "updated_at", "password", "token_hash"}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    action: str
    model_name: str
    label: str
    history_url: str | None
    changes: list[Change] = field(default_factory=list)


def tracked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def model_label(model) -> str:
    return model._meta.label_lower


def history_url(obj) -> str | None:
    if type(obj) not in tracked_models():
        return None
    return reverse("object_history", kwargs={"model": model_label(type(obj)), "pk": obj.pk})


def _display(model, name, value):
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        return _("(another record)") if value is not None else "—"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return "—" if value in (None, "") else value


def _changes(model, record, previous) -> list[Change]:
    if previous is None or record.history_type != "~":
        return []
    delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
    return [
        Change(
            str(model._meta.get_field(c.field).verbose_name),
            _display(model, c.field, c.old),
            _display(model, c.field, c.new),
        )
        for c in delta.changes
    ]


def _label(record) -> str:
    # From the record's own columns: building record.instance would cost a query per row.
    for name in ("title", "name", "email"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{record.id}"


def _entry(model, record, previous=None) -> HistoryEntry:
    return HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        action=ACTIONS.get(record.history_type, record.history_type),
        model_name=str(model._meta.verbose_name),
        label=_label(record),
        history_url=reverse("object_history", kwargs={"model": model_label(model), "pk": record.id}),
        changes=_changes(model, record, previous),
    )


def object_history(obj) -> list[HistoryEntry]:
    """Every change of one object, newest first, each with its field-by-field diff (one query)."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = [_entry(model, record, records[i - 1] if i else None) for i, record in enumerate(records)]
    return entries[::-1]


def organization_activity(organization, limit: int = 100) -> list[HistoryEntry]:
    """The latest changes across every tracked model of an organisation (one query per model),
    with the audit events (exports, retention, erasure) among them."""

    events = AuditEvent.objects.filter(organization=organization).select_related("actor")[:limit]
    streams = [
        [
            HistoryEntry(
                when=e.created_at,
                who=e.actor,
                action=e.get_action_display(),
                model_name=str(_("audit")),
                label=e.summary,
                history_url=None,
            )  # fmt: skip
            for e in events
        ]
    ]
    for model in tracked_models():
        path = getattr(model, "tenant_path", "organization")
        historical = model.history.model
        records = (
            historical.objects.filter(**{path: organization.pk})
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        streams.append([_entry(model, record) for record in records])
    return list(merge(*streams, key=lambda e: e.when, reverse=True))[:limit]
