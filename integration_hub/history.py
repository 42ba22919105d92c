"""The audit trail: who changed which field when, read from django-simple-history.

A model joins the trail by declaring `history = HistoricalRecords()`. Survey
responses never do: a history copy would outlive retention and erasure.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from heapq import merge
from uuid import uuid4

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
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
    model: type | None = None
    record: object = None


def tracked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def history_model(model):
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


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
    # From the record's own columns, when the object's own name cannot be had.
    for name in ("title", "name", "item", "source_name", "email"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{record.id}"


# The relations some objects' names are made of ("City ID: 12 (2026-03-01)"): read once per page.
LABEL_RELATIONS = {
    "evaluations.measurement": ("indicator",),
    "evaluations.evaluationreview": ("initiative",),
    "evaluations.reviewschedule": ("initiative",),
    "initiatives.initiativepartner": ("stakeholder",),
    "integration_hub.membership": ("user",),
}


def record_labels(pairs) -> list[str]:
    """Each (model, history row)'s name as the object would give it (its str), with the related rows
    those names need read in one query per relation; "#id"-like names fall back to the row's columns."""
    wanted = {}
    for model, record in pairs:
        for name in LABEL_RELATIONS.get(model_label(model), ()):
            key = (model._meta.get_field(name).related_model, name)
            wanted.setdefault(key, set()).add(getattr(record, f"{name}_id"))
    found = {key: key[0]._base_manager.in_bulk([i for i in ids if i is not None]) for key, ids in wanted.items()}
    labels = []
    for model, record in pairs:
        instance = record.instance
        names = LABEL_RELATIONS.get(model_label(model), ())
        try:
            for name in names:
                related = found[(model._meta.get_field(name).related_model, name)].get(getattr(record, f"{name}_id"))
                if related is None:
                    raise ObjectDoesNotExist  # deleted too: its name cannot be had
                model._meta.get_field(name).set_cached_value(instance, related)
            label = str(instance.user) if model_label(model) == "integration_hub.membership" else str(instance)
        except ObjectDoesNotExist:
            label = _label(record)
        if not label or label == f"{model.__name__} object ({record.id})":
            label = _label(record)
        labels.append(label)
    return labels


def _action(record) -> str:
    if record.history_type == "+" and record.history_change_reason == RESTORED:
        return str(_("Restored"))
    return ACTIONS.get(record.history_type, record.history_type)


def _entry(model, record, previous=None) -> HistoryEntry:
    return HistoryEntry(
        when=record.history_date,
        who=record.history_user,
        action=_action(record),
        model_name=str(model._meta.verbose_name),
        label="",
        history_url=reverse("object_history", kwargs={"model": model_label(model), "pk": record.id}),
        changes=_changes(model, record, previous),
        model=model,
        record=record,
    )


def _labelled(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    tracked = [e for e in entries if e.record is not None]
    for entry, label in zip(tracked, record_labels([(e.model, e.record) for e in tracked]), strict=True):
        entry.label = label
    return entries


def history_of(model, pk) -> list[HistoryEntry]:
    """Every change of one object, live or deleted, newest first, each with its field-by-field diff."""
    records = list(
        history_model(model).objects.filter(id=pk).select_related("history_user").order_by("history_date", "history_id")
    )
    entries = [_entry(model, record, records[i - 1] if i else None) for i, record in enumerate(records)]
    return _labelled(entries[::-1])


def object_history(obj) -> list[HistoryEntry]:
    return history_of(type(obj), obj.pk)


AUDIT = "audit"


@dataclass
class ActivityFilter:
    """What the activity log shows: a person's changes, one kind of object (a model label or
    AUDIT), from and to a date (inclusive, in the organisation's time zone)."""

    user_id: int | None = None
    kind: str | None = None
    date_from: object = None
    date_to: object = None

    def when(self, column: str) -> dict:
        zone = timezone.get_current_timezone()
        bounds = {}
        if self.date_from:
            bounds[f"{column}__gte"] = datetime.combine(self.date_from, datetime.min.time(), zone)
        if self.date_to:
            bounds[f"{column}__lt"] = datetime.combine(self.date_to + timedelta(days=1), datetime.min.time(), zone)
        return bounds


def activity_kinds() -> list[tuple[str, str]]:
    """The kinds of object the log can be filtered by, named in the user's language."""
    kinds = [(model_label(m), str(m._meta.verbose_name_plural).capitalize()) for m in tracked_models()]
    return sorted(kinds, key=lambda kind: kind[1]) + [(AUDIT, str(_("Exports, retention and erasure")))]


def organization_activity(organization, filters: ActivityFilter | None = None, *, offset: int = 0, limit: int = 50):
    """One page of the changes across every tracked model of an organisation (one query per model),
    with the audit events (exports, retention, erasure) among them, newest first. Returns the page's
    entries and whether older ones follow."""

    filters = filters or ActivityFilter()
    wanted = offset + limit + 1
    streams = []
    if filters.kind in (None, AUDIT):
        events = AuditEvent.objects.filter(organization=organization, **filters.when("created_at"))
        if filters.user_id:
            events = events.filter(actor_id=filters.user_id)
        streams.append(
            [
                HistoryEntry(
                    when=e.created_at,
                    who=e.actor,
                    action=e.get_action_display(),
                    model_name=str(_("audit")),
                    label=e.summary,
                    history_url=None,
                )  # fmt: skip
                for e in events.select_related("actor").order_by("-created_at")[:wanted]
            ]
        )
    for model in tracked_models():
        if filters.kind not in (None, model_label(model)):
            continue
        path = getattr(model, "tenant_path", "organization")
        records = model.history.model.objects.filter(**{path: organization.pk}, **filters.when("history_date"))
        if filters.user_id:
            records = records.filter(history_user_id=filters.user_id)
        records = records.select_related("history_user").order_by("-history_date", "-history_id")[:wanted]
        streams.append([_entry(model, record) for record in records])
    entries = list(merge(*streams, key=lambda e: e.when, reverse=True))
    return _labelled(entries[offset : offset + limit]), len(entries) > offset + limit


# --- Recently deleted: a deletion can be undone for DELETED_HISTORY_DAYS -----------------------
#
# simple-history writes a "-" row for every tracked row a delete takes with it. Rows deleted in
# one request share a batch mark in that row's change reason, so a restore brings back exactly the
# children deleted in the same cascade, not a milestone deleted on its own the day before.

RESTORED = "restored"
BATCH_PREFIX = "deleted:"

# What a user enters and may delete. Not the organisation or memberships (they have their own
# pages), not assessments or questions (their survey, options and answers keep no history, and
# survey responses are never restored).
RESTORABLE = {
    "assessments.consultation",
    "assessments.need",
    "stakeholders.stakeholder",
    "stakeholders.engagement",
    "stakeholders.commitment",
    "initiatives.initiative",
    "initiatives.initiativepartner",
    "initiatives.milestone",
    "initiatives.task",
    "initiatives.budgetline",
    "initiatives.funding",
    "initiatives.activity",
    "evaluations.indicator",
    "evaluations.measurement",
    "evaluations.reviewschedule",
    "evaluations.evaluationreview",
}


class RestoreRefused(Exception):
    """A restore that cannot be done; the message says why, in the user's words."""


def is_restorable(model) -> bool:
    return model_label(model) in RESTORABLE


def restorable_models() -> list[type[models.Model]]:
    return [m for m in tracked_models() if is_restorable(m)]


def _request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


def _batch() -> str | None:
    request = _request()
    if request is None:
        return None
    if not hasattr(request, "_deletion_batch"):
        request._deletion_batch = uuid4().hex
    return request._deletion_batch


def mark_deletion(sender, history_instance, **kwargs):
    """pre_create_historical_record: mark a "-" row with the request's batch."""
    if history_instance.history_type == "-" and not history_instance.history_change_reason:
        batch = _batch()
        if batch:
            history_instance.history_change_reason = BATCH_PREFIX + batch


def keep_links(sender, instance, **kwargs):
    """pre_delete: the many-to-many links are gone by the time simple-history writes its "-" row."""
    from integration_hub.models import DeletedLinks

    if not is_restorable(type(instance)):
        return
    fields = list(type(instance)._meta.many_to_many)
    request, batch = _request(), _batch()
    organization = getattr(request, "organization", None) if request else None
    if not fields or batch is None or organization is None:
        return
    links = {f.name: list(getattr(instance, f.name).values_list("pk", flat=True)) for f in fields}
    if any(links.values()):
        DeletedLinks.objects.create(
            organization=organization,
            model=model_label(type(instance)),
            object_id=instance.pk,
            batch=batch,
            links=links,
        )


def connect_signals() -> None:
    from django.db.models.signals import pre_delete
    from simple_history.signals import pre_create_historical_record

    pre_create_historical_record.connect(mark_deletion, dispatch_uid="history_mark_deletion")
    pre_delete.connect(keep_links, dispatch_uid="history_keep_links")


def _since():
    return timezone.now() - timedelta(days=settings.DELETED_HISTORY_DAYS)


def _live(model, pk) -> bool:
    return model._base_manager.filter(pk=pk).exists()


def _latest(model, pk):
    return model.history.model.objects.filter(id=pk).order_by("-history_date", "-history_id").first()


def organization_id_of(model, record) -> int | None:
    """The organisation a (possibly deleted) record belonged to, following its tenant path through
    live rows or, where they were deleted too, their history."""
    path = getattr(model, "tenant_path", "organization")
    if path == "id":
        return record.id
    if path == "organization":
        return record.organization_id
    first, rest = path.split("__", 1)
    parent_model = model._meta.get_field(first).related_model
    parent_id = getattr(record, f"{first}_id")
    live = parent_model._base_manager.filter(pk=parent_id).values_list(rest, flat=True).first()
    if live is not None:
        return live
    parent = _latest(parent_model, parent_id) if history_model(parent_model) else None
    return organization_id_of(parent_model, parent) if parent is not None else None


def deleted_record(model, pk, organization):
    """The "-" row of a deleted object of `organization` (the latest), or None: live objects,
    other organisations' and purged ones have none."""
    if _live(model, pk):
        return None
    record = _latest(model, pk)
    if record is None or record.history_type != "-":
        return None
    return record if organization_id_of(model, record) == organization.pk else None


def may_restore(access, record) -> bool:
    """An admin, or the member who deleted it while they may still edit."""
    if access is None or not access.can_edit:
        return False
    return access.can_admin or (access.membership is not None and record.history_user_id == access.membership.user_id)


@dataclass
class Deleted:
    record: object
    model: type
    label: str
    model_name: str
    when: datetime
    who: object
    history_url: str
    restore_url: str


def recently_deleted(organization, *, user=None) -> list[Deleted]:
    """Deleted objects of `organization` that can still be restored, newest first: those whose
    parent is live (a milestone deleted with its initiative comes back with the initiative).
    With `user`, only what that person deleted."""
    items = []
    for model in restorable_models():
        historical = model.history.model
        path = getattr(model, "tenant_path", "organization")
        records = (
            historical.objects.filter(history_type="-", history_date__gte=_since(), **{path: organization.pk})
            .filter(~Exists(model._base_manager.filter(pk=OuterRef("id"))))
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        if user is not None:
            records = records.filter(history_user=user)
        seen = set()
        for record in records:
            if record.id in seen:
                continue  # deleted, restored and deleted again: the latest deletion counts
            seen.add(record.id)
            items.append(_deleted(model, record))
    for item, label in zip(items, record_labels([(item.model, item.record) for item in items]), strict=True):
        item.label = label
    return sorted(items, key=lambda item: item.when, reverse=True)


def _deleted(model, record) -> Deleted:
    kwargs = {"model": model_label(model), "pk": record.id}
    return Deleted(
        record=record,
        model=model,
        label=_label(record),
        model_name=str(model._meta.verbose_name),
        when=record.history_date,
        who=record.history_user,
        history_url=reverse("object_history", kwargs=kwargs),
        restore_url=reverse("deleted_restore", kwargs=kwargs),
    )


def _cascade_children(model) -> list[tuple[type, str]]:
    """(child model, its column) for every tracked model that a delete of `model` cascades to."""
    children = []
    for child in tracked_models():
        for f in child._meta.concrete_fields:
            if f.is_relation and f.related_model is model and f.remote_field.on_delete is models.CASCADE:
                children.append((child, f.attname))
    return children


def _same_deletion(root, historical):
    """Rows deleted with `root`: its batch, or (deleted outside a request, with no batch) by the
    same person in the few seconds before it."""
    rows = historical.objects.filter(history_type="-")
    if root.history_change_reason and root.history_change_reason.startswith(BATCH_PREFIX):
        return rows.filter(history_change_reason=root.history_change_reason)
    return rows.filter(
        history_user_id=root.history_user_id,
        history_date__gte=root.history_date - timedelta(seconds=10),
        history_date__lte=root.history_date,
    )


def deleted_with(model, root) -> list[tuple[type, object]]:
    """The root's "-" row and those of its children deleted in the same cascade, parents first."""
    found = [(model, root)]
    frontier = [(model, root)]
    while frontier:
        next_frontier = []
        for parent_model, parent in frontier:
            for child, column in _cascade_children(parent_model):
                rows = _same_deletion(root, child.history.model).filter(**{column: parent.id})
                for row in rows.exclude(id__in=child._base_manager.values("pk")).order_by("-history_date"):
                    if any(m is child and r.id == row.id for m, r in found):
                        continue
                    found.append((child, row))
                    next_frontier.append((child, row))
        frontier = next_frontier
    return found


def _instance(model, record):
    """The row as it was, its links to rows that are gone since set to empty where allowed."""
    instance = record.instance
    for f in model._meta.concrete_fields:
        if not f.is_relation:
            continue
        value = getattr(instance, f.attname)
        if value is None or f.related_model._base_manager.filter(pk=value).exists():
            continue
        if f.null:
            setattr(instance, f.attname, None)
        else:
            raise RestoreRefused(
                _("“%(object)s” cannot be restored: the %(parent)s it belonged to was deleted. Restore that first.")
                % {"object": _label(record), "parent": f.related_model._meta.verbose_name}
            )
    return instance


def restore(model, record, *, user=None) -> int:
    """Restore a deleted object with the children deleted with it, in one transaction, with their
    many-to-many links. Returns how many rows came back. RestoreRefused says why not."""
    from integration_hub.models import DeletedLinks

    rows = deleted_with(model, record)
    batch = (record.history_change_reason or "").removeprefix(BATCH_PREFIX)
    try:
        with transaction.atomic():
            for row_model, row in rows:
                instance = _instance(row_model, row)
                try:
                    instance.validate_unique()
                    instance.validate_constraints()
                except ValidationError as error:
                    raise RestoreRefused(
                        _("“%(object)s” cannot be restored: %(reason)s")
                        % {"object": _label(row), "reason": " ".join(error.messages)}
                    ) from None
                instance._change_reason = RESTORED
                if user is not None:
                    instance._history_user = user
                instance.save(force_insert=True)
                for kept in DeletedLinks.objects.filter(model=model_label(row_model), object_id=row.id, batch=batch):
                    for name, ids in kept.links.items():
                        target = row_model._meta.get_field(name).related_model
                        getattr(instance, name).set(target._base_manager.filter(pk__in=ids))
                    kept.delete()
    except IntegrityError:
        raise RestoreRefused(
            _("“%(object)s” cannot be restored: it would clash with a record that exists now.")
            % {"object": _label(record)}
        ) from None
    return len(rows)


def restore_url(model, pk) -> str:
    return reverse("deleted_restore", kwargs={"model": model_label(model), "pk": pk})
