"""One way to keep a cached copy fresh: a version on the row that owns what is cached.

A cache keys its entries by a version read with the row that owns them, so an entry stored before a
change is never read after it: the board dashboard by `Organization.board_version`
(evaluations/caching.py), the public survey's questions by `Survey.structure_version`
(assessments.selectors.published_questions). A step registers, in its AppConfig.ready(), what its
cache shows with `watch(Watch(...))`: the models, how to find the owner(s) of a row, and `changed`,
which moves the owner's version. Then every write through the ORM reaches it, in the writer's
transaction — pages, API, admin, demo seeds and cascades alike:
- each save and delete (a cascade once, by the receiver of the row whose deletion started it: an
  initiative taking 5 000 measurements with it moves the version once, not 5 000 times);
- each change of the many-to-many links named in `links`;
- for the models in `moves`, a save that moves a row to another owner changes both (the row's owner
  is read before the save: one query more per save, so only for models whose rows can move, like a
  question in the admin);
- `rows_written(rows)` for rows written without signals (bulk_create, bulk_update): each owner once.
A write outside all of these (raw SQL, `QuerySet.update`) must call `changed` itself.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save


@dataclass(frozen=True)
class Watch:
    name: str
    models: tuple[type[models.Model], ...]
    owners: Callable[[models.Model], Iterable[int]]  # the ids of the rows whose version the row's writes move
    changed: Callable[[int], None]
    # Called instead of `changed` for a deletion (when the rows watched are the owners themselves,
    # their version goes with them).
    deleted: Callable[[int], None] | None = None
    links: tuple[type[models.Model], ...] = field(default_factory=tuple)  # many-to-many `through` models
    moves: tuple[type[models.Model], ...] = field(default_factory=tuple)


_WATCHES: dict[str, Watch] = {}
_MOVED_FROM = "_invalidation_moved_from"


def _started_here(sender, instance, origin) -> bool:
    return origin is instance or (isinstance(origin, models.QuerySet) and origin.model is sender)


def watch(spec: Watch) -> None:
    _WATCHES[spec.name] = spec

    def saved(sender, instance, raw=False, **kwargs):
        if raw:  # fixtures: related rows may not be loaded yet
            return
        owners = set(spec.owners(instance)) | getattr(instance, _MOVED_FROM, set())
        for owner in owners:
            spec.changed(owner)

    def before_save(sender, instance, raw=False, **kwargs):
        if raw or instance.pk is None:
            return
        stored = sender._base_manager.filter(pk=instance.pk).first()
        setattr(instance, _MOVED_FROM, set(spec.owners(stored)) if stored is not None else set())

    def deleted(sender, instance, origin=None, **kwargs):
        if not _started_here(sender, instance, origin):
            return
        for owner in spec.owners(instance):
            (spec.deleted or spec.changed)(owner)

    def linked(sender, instance, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            for owner in spec.owners(instance):  # either side of the link
                spec.changed(owner)

    for model in spec.models:
        uid = f"invalidation-{spec.name}-{model._meta.label}"
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        if model in spec.moves:
            pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}-pre-save", weak=False)
    for through in spec.links:
        m2m_changed.connect(linked, sender=through, dispatch_uid=f"invalidation-{spec.name}-{through._meta.label}")


def rows_written(rows: Iterable[models.Model]) -> None:
    """For rows of a watched model written without signals (bulk_create, bulk_update): each of their
    owners once, looked up once per parent row (5 000 imported values of one initiative's indicators
    are one lookup per indicator at most)."""
    rows = list(rows)
    if not rows:
        return
    model = type(rows[0])
    for spec in _WATCHES.values():
        if model not in spec.models:
            continue
        # Rows of one parent share their owners: look them up through one row per parent.
        parent = getattr(model, "tenant_path", "organization").split("__")[0]
        one_per_parent: dict[object, models.Model] = {}
        for row in rows:
            one_per_parent.setdefault(getattr(row, f"{parent}_id", None) or id(row), row)
        for owner in {owner for row in one_per_parent.values() for owner in spec.owners(row)}:
            spec.changed(owner)
