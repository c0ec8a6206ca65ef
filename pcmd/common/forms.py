"""Putting a service's refusal onto the form that asked for it.

Owns: form_errors_from(), form_save().
Invariants: a ValidationError naming fields goes beside those fields (renamed where a form
calls a field differently from the service); one naming no field, or a field the form does not
have, goes to the top of the form — nothing a service said is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError

from pcmd.common.records import StaleRecord

T = TypeVar("T")


def form_errors_from(
    exc: ValidationError, form: Any, rename: Mapping[str, str] | None = None
) -> None:
    """Add the errors of `exc` to `form`, each beside the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            field = (rename or {}).get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_save(form: Any, save: Callable[[], T]) -> tuple[T | None, Any]:
    """Validate `form` and run `save()` (a service call) if it is valid.

    Returns (what `save` returned, None) on success; (None, None) when the form or the service
    refused it — the service's reasons are on the form; (None, current row) when someone saved
    the record since the form was opened: what was typed is kept, the reason is on the form and
    its hidden version moves to the current row, so saving again is a deliberate overwrite.
    """
    if not form.is_valid():
        return None, None
    try:
        return save(), None
    except StaleRecord as exc:
        form.add_error(None, exc)
        data = form.data.copy()
        data["version"] = str(getattr(exc.current, "version", ""))
        form.data = data
        return None, exc.current
    except ValidationError as exc:
        form_errors_from(exc, form)
        return None, None
