"""Finding and deleting personal data wherever Django keeps a copy of it.

Erasure deletes an organisation's rows; these helpers reach the copies the cascade does not:
django-simple-history's tables (a row per version, and a "-" row written by the delete itself),
the admin log, sessions and django-axes' login-attempt records. Models are found from the app
registry, never listed by hand, so a model added later is covered without a change here.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.module_loading import import_string

from integration_hub.middleware import SESSION_KEY

# Well under SQLite's limit on the number of variables in one statement.
CHUNK = 500


def _chunks(ids) -> Iterable[list]:
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def history_model(model) -> type[models.Model] | None:
    """The simple-history table of `model`, or None when it keeps no history."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, manager).model if manager else None


def _base_models() -> list[type[models.Model]]:
    # The historical models themselves are not walked: they are found through their base model.
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and not hasattr(model, "instance_type") and model._meta.managed
    ]


def _cascade_edges() -> dict[type[models.Model], list[tuple[type[models.Model], str]]]:
    """{parent model: [(child model, the child's column pointing at it)]} for every CASCADE link."""
    edges = defaultdict(list)
    for model in _base_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.remote_field.on_delete is models.CASCADE:
                edges[field.related_model._meta.concrete_model].append((model, field.attname))
    return edges


def _ids_pointing_at(model, column: str, parent_ids) -> set:
    """Ids of `model`'s rows, live or kept only in its history, whose `column` is one of `parent_ids`."""
    pk = model._meta.pk.attname
    found = set()
    tables = [model._base_manager, *([history_model(model).objects] if history_model(model) else [])]
    for chunk in _chunks(parent_ids):
        for manager in tables:
            found.update(manager.filter(**{f"{column}__in": chunk}).values_list(pk, flat=True).distinct())
    return found


def owned_rows(roots: dict[type[models.Model], set]) -> dict[type[models.Model], set]:
    """Every row that a delete of `roots` takes with it (CASCADE, followed to the end), by model,
    including rows deleted earlier that live on only in a history table (a stakeholder deleted
    last year, with its commitments), so their history can go too."""
    edges = _cascade_edges()
    owned = defaultdict(set)
    frontier = {}
    for model, ids in roots.items():
        owned[model] |= set(ids)
        frontier[model] = set(ids)
    while frontier:
        found_now = defaultdict(set)
        for parent, parent_ids in frontier.items():
            for child, column in edges.get(parent, ()):
                new = _ids_pointing_at(child, column, parent_ids) - owned[child]
                owned[child] |= new
                found_now[child] |= new
        frontier = {model: ids for model, ids in found_now.items() if ids}
    return dict(owned)


def history_delete(owned: dict[type[models.Model], set]) -> dict[str, int]:
    """Delete every history row of the `owned` objects, whoever wrote it. Counts by history model."""
    counts = {}
    for model, ids in owned.items():
        historical = history_model(model)
        if historical is None or not ids:
            continue
        deleted = 0
        for chunk in _chunks(ids):
            deleted += historical.objects.filter(**{f"{model._meta.pk.attname}__in": chunk}).delete()[0]
        counts[historical._meta.label] = deleted
    return counts


def admin_log_delete(owned: dict[type[models.Model], set]) -> int:
    """The Django admin's log names the objects it changed (object_repr): those lines go with them."""
    deleted = 0
    for model, ids in owned.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        for chunk in _chunks(ids):
            deleted += LogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(i) for i in chunk]
            ).delete()[0]
    return deleted


def _session_model():
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    # Sessions kept only in the cache or a signed cookie cannot be listed; they expire on their own.
    return store, store.get_model_class() if hasattr(store, "get_model_class") else None


def sessions_forget(*, user_ids: Iterable, organization_id: int) -> int:
    """Delete the sessions of deleted accounts; in everyone else's, forget the erased organisation
    as the one they were working in. Returns the number of sessions deleted."""
    store, session_model = _session_model()
    if session_model is None:
        return 0
    user_ids = {str(user_id) for user_id in user_ids}
    deleted = 0
    for session in session_model.objects.iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") in user_ids:
            session.delete()
            deleted += 1
        elif data.get(SESSION_KEY) == organization_id:
            del data[SESSION_KEY]
            session.session_data = store().encode(data)
            session.save(update_fields=["session_data"])
    return deleted


def login_attempts_delete(*, usernames: Iterable[str]) -> dict[str, int]:
    """django-axes records failed logins (and, if enabled, every login) by the username typed."""

    usernames = list(usernames)
    counts = defaultdict(int)
    for start in range(0, len(usernames), CHUNK):
        typed = Q()
        for username in usernames[start : start + CHUNK]:
            typed |= Q(username__iexact=username)
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            counts[model._meta.label] += model.objects.filter(typed).delete()[0]
    return dict(counts)


def deleted_history_delete(*, before: datetime) -> dict[str, int]:
    """Delete the history of every object that no longer exists and whose last history row (its
    deletion, normally) is older than `before`. An object restored under its old id is live
    again, so its history stays. Counts by history model."""
    counts = {}
    for model in _base_models():
        historical = history_model(model)
        if historical is None:
            continue
        pk = model._meta.pk.attname
        gone = (
            historical.objects.filter(~Exists(model._base_manager.filter(pk=OuterRef(pk))))
            .values(pk)
            .annotate(last=Max("history_date"))
            .filter(last__lt=before)
            .values_list(pk, flat=True)
        )
        deleted = 0
        for chunk in _chunks(set(gone)):
            deleted += historical.objects.filter(**{f"{pk}__in": chunk}).delete()[0]
        if deleted:
            counts[historical._meta.label] = deleted
    return counts


def sessions_expired_delete(*, now: datetime) -> int:
    _store, session_model = _session_model()
    if session_model is None:
        return 0
    return session_model.objects.filter(expire_date__lt=now).delete()[0]


def login_attempts_expired_delete(*, now: datetime) -> int:
    """axes deletes expired attempts only when someone next tries to log in; this does it daily."""

    return AccessAttempt.objects.filter(attempt_time__lte=now - settings.AXES_COOLOFF_TIME).delete()[0]


def admin_log_expired_delete(*, before: datetime) -> int:
    """The admin log names the records it changed, deleted ones too: it keeps no line past `before`."""
    return LogEntry.objects.filter(action_time__lt=before).delete()[0]
