"""Re-encrypt every sealed value with the first key of settings.SEAL_KEYS.

Owns: sealed_models(), seal_keys_rotate().
Invariants: every model with a sealed field is found by field class (no list to keep up to
date); rows are read and rewritten in pk order, one transaction and one row lock per batch;
a token is rotated only if the first key does not already open it, and MultiFernet.rotate
keeps its original timestamp; no plaintext leaves this module, and nothing is written on a dry
run. A token no listed key opens stops the run (SealedValueError) before that batch is written.
Not here: reading the keys (keys.py); the command line (management/commands/rotate_seal_keys).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from pcmd.sealing.fields import Ciphertext, SealedValueError, sealed_field_names
from pcmd.sealing.keys import multi_fernet, primary_fernet

DEFAULT_BATCH_SIZE = 500


@dataclass
class RotationResult:
    model: str
    rows: int = 0
    values: int = 0
    rotated: int = 0
    by_field: dict[str, int] = field(default_factory=dict)


def sealed_models() -> list[type[models.Model]]:
    """Every concrete model with at least one sealed field, in a stable order."""
    found = [
        model
        for model in apps.get_models()
        if not model._meta.abstract and not model._meta.proxy and sealed_field_names(model)
    ]
    return sorted(found, key=lambda model: model._meta.label_lower)


def _needs_rotation(token: str) -> bool:
    try:
        primary_fernet().decrypt(token.encode("ascii"))
    except InvalidToken:
        return True
    return False


def _rotate_token(token: str) -> str:
    try:
        return multi_fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise SealedValueError(
            "A sealed value cannot be decrypted with PCMD_SEAL_KEYS: keep the old key in the "
            "list (after the new one) until the rotation has finished."
        ) from exc


def _rotate_model(
    model: type[models.Model],
    *,
    batch_size: int,
    dry_run: bool,
    progress: Callable[[RotationResult, int], None],
) -> RotationResult:
    names = sealed_field_names(model)
    raw = {f"_sealed_raw_{name}": Cast(name, models.TextField()) for name in names}
    manager = model._base_manager
    result = RotationResult(model=model._meta.label_lower, by_field=dict.fromkeys(names, 0))
    total = manager.count()
    last_pk = None
    while True:
        with transaction.atomic():
            qs = manager.order_by("pk").annotate(**raw)
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            if not dry_run:
                qs = qs.select_for_update()
            rows = list(qs.values_list("pk", *raw)[:batch_size])
            if not rows:
                break
            for pk, *tokens in rows:
                changes: dict[str, Ciphertext] = {}
                for name, token in zip(names, tokens, strict=True):
                    if token in (None, ""):
                        continue
                    result.values += 1
                    if _needs_rotation(token):
                        changes[name] = Ciphertext(_rotate_token(token))
                        result.by_field[name] += 1
                if changes:
                    result.rotated += len(changes)
                    if not dry_run:
                        manager.filter(pk=pk).update(**changes)
            result.rows += len(rows)
            last_pk = rows[-1][0]
        progress(result, total)
    return result


def seal_keys_rotate(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    progress: Callable[[RotationResult, int], None] | None = None,
) -> list[RotationResult]:
    """Rotate every sealed value of every model; returns what was (or would be) rotated."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = progress or (lambda result, total: None)
    return [
        _rotate_model(model, batch_size=batch_size, dry_run=dry_run, progress=report)
        for model in sealed_models()
    ]
