"""Putting a service's refusal onto the form that asked for it.

Owns: form_errors_from().
Invariants: a ValidationError naming fields goes beside those fields (renamed where a form
calls a field differently from the service); one naming no field, or a field the form does not
have, goes to the top of the form — nothing a service said is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError


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
