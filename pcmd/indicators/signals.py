"""Record writes reach the stored values: every model a source reads (and every model such a
model reaches by a foreign key) marks stale, in the writing transaction, what it counts in.

Owns: connect_record_signals().
Invariants: connected once at startup for every model of sources.SOURCES; raw saves (fixture
loading) are ignored — `pcmd rebuild_values` follows them. Writes that bypass signals
(bulk_create in importers, QuerySet.update) call store.records_imported() themselves.
Not here: what is marked (store.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save


def _before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        instance._pcmd_before = None
        return
    instance._pcmd_before = sender._default_manager.filter(pk=instance.pk).first()


def _after(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from pcmd.indicators.store import record_written

    record_written(getattr(instance, "_pcmd_before", None), instance)
    instance._pcmd_before = None


def _before_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Facts reached through relations must be read while the rows still exist.
    from pcmd.indicators.store import _facts

    instance._pcmd_facts = _facts(instance)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from pcmd.indicators.store import facts_written

    facts_written(getattr(instance, "_pcmd_facts", None) or [])


def _m2m(sender: Any, instance: Any, action: str, pk_set: Any, model: Any, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    from pcmd.indicators.store import _facts, facts_written

    facts = _facts(instance)
    related = model._default_manager.filter(pk__in=pk_set) if pk_set else []
    if action == "pre_clear":
        field = next(
            (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), None
        )
        related = getattr(instance, field).all() if field else []
    for other in related:
        facts += _facts(other)
    facts_written(facts)


def connect_record_signals() -> None:
    from pcmd.indicators.sources import SOURCES
    from pcmd.indicators.store import related_model

    models = set()
    for source in SOURCES.values():
        model = source.model_class()
        if model._meta.auto_created:  # a many-to-many table: its changes come as m2m_changed
            m2m_changed.connect(_m2m, sender=model, dispatch_uid=f"values-m2m-{model._meta.label}")
            for field in model._meta.get_fields():
                if field.is_relation and field.related_model is not None:
                    models.add(field.related_model)
            continue
        models.add(model)
        for path in (source.unit_field, *source.dates):
            if "__" in path:
                related = related_model(model, path.split("__", 1)[0])
                if related is not None:
                    models.add(related)
    for model in models:
        uid = model._meta.label
        pre_save.connect(_before, sender=model, dispatch_uid=f"values-pre-{uid}")
        post_save.connect(_after, sender=model, dispatch_uid=f"values-post-{uid}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"values-pdel-{uid}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"values-del-{uid}")
