"""Template filters of plans: a target's level as people write it ("≥ 80%", "3-5%"),
milestones ("2017: 75% · 2020: 100%"), Vietnamese decimal commas.

Owns: num, target_level, milestone_list, agency_names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_COMPARATORS = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<"}
_PER = {"month": "tháng", "quarter": "quý", "year": "năm"}


@register.filter
def num(value: Any) -> str:
    """75 -> "75", 2.5 -> "2,5", 5300 -> "5.300" (Vietnamese separators, no trailing zeros)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    number = number.normalize()
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _dot, frac = f"{number:f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + frac


def _unit(value: Any, unit: str) -> str:
    if unit == "%":
        return f"{num(value)}%"
    if unit == "times":
        return _("%(n)s lần") % {"n": num(value)}
    return num(value)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


@register.filter
def target_level(target: Any) -> str:
    """The level a target asks for: "≥ 80%", "3-5%", "≥ 1 lần / tháng"."""
    comparator = _get(target, "comparator") or ""
    unit = _get(target, "unit") or ""
    value = _get(target, "value")
    if value is None:
        return "—"
    if comparator == "between":
        text = f"{num(value)}-{_unit(_get(target, 'value_max'), unit)}"
    else:
        text = f"{_COMPARATORS.get(comparator, comparator)} {_unit(value, unit)}".strip()
    per = _get(target, "per")
    if per:
        text += f" / {_PER.get(per, per)}"
    return text


@register.filter
def milestone_list(target: Any) -> str:
    """ "2017: 75% · 2020: 100%" from a saved target (prefetched) or a parsed one."""
    unit = _get(target, "unit") or ""
    raw = _get(target, "milestones")
    items = list(raw.all()) if hasattr(raw, "all") else list(raw or [])
    parts = [f"{_get(m, 'year')}: {_unit(_get(m, 'value'), unit)}" for m in items]
    return " · ".join(parts)


@register.filter
def by_role(assignments: Any, role: str) -> list[Any]:
    """The assignments of one role, in order (from a prefetched list)."""
    return [a for a in assignments if a.role == role]
