"""The small definition format of indicators, and its checker. No eval, no SQL, no code.

Owns: definition_check(), PART_KEYS, KIND_KEYS.
A definition is a JSON object. Its building block, a *part*, names what to count:
    {"source": "enforcement.inspections",        # a key of sources.SOURCES
     "filter": {"mode": ["surprise", "announced"]},  # fields of the source: a value or a list
     "date": "inspected_on",                     # optional: which date puts a flow in a period
     "distinct": "establishment",                # optional: count distinct keys, not rows
     "sum": "participants",                      # optional: add up an amount instead
     "own": true}                                # optional: the unit's own records only
Kinds: count / sum = a part; coverage = a part + "level" (+ "min", default 1); ratio =
{"numerator": part or [parts, whose distinct keys are united], "denominator": part};
frequency = a part + "per": "month"; change = {"base": part, "baseline": "last_year" | year};
cumulative = {"base": part, "since": year (default: the programme's first year)}; measure =
a part + "measure": a name its source lists (a share the records app computes itself, e.g.
tips handled in time).
Any kind may say "accumulates": true/false (does the value grow through the period? — what the
expected-by-now figure of a target is pro-rated by).
Invariants: definition_check raises one ValidationError listing every problem, in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pcmd.indicators.sources import SOURCES, filter_choices
from pcmd.orgunits.models import OrgUnit

PART_KEYS = {"source", "filter", "date", "distinct", "sum", "own"}
KIND_KEYS: dict[str, set[str]] = {
    "count": PART_KEYS,
    "sum": PART_KEYS,
    "coverage": PART_KEYS | {"level", "min"},
    "ratio": {"numerator", "denominator"},
    "frequency": PART_KEYS | {"per"},
    "change": {"base", "baseline"},
    "cumulative": {"base", "since"},
    "measure": PART_KEYS | {"measure"},
}
COMMON_KEYS = {"accumulates"}


def _check_part(part: Any, where: str, errors: list[str], *, keys: set[str] = PART_KEYS) -> None:
    if not isinstance(part, dict):
        errors.append(_("%(w)s: phải là một đối tượng JSON.") % {"w": where})
        return
    for key in sorted(set(part) - keys):
        errors.append(_("%(w)s: không có khóa “%(k)s”.") % {"w": where, "k": key})
    source = SOURCES.get(str(part.get("source", "")))
    if source is None:
        errors.append(
            _("%(w)s: nguồn “%(s)s” không tồn tại; các nguồn: %(all)s.")
            % {"w": where, "s": part.get("source", ""), "all": ", ".join(sorted(SOURCES))}
        )
        return
    filters = part.get("filter", {})
    if not isinstance(filters, dict):
        errors.append(_("%(w)s: “filter” phải là một đối tượng JSON.") % {"w": where})
        filters = {}
    for name, value in filters.items():
        if name not in source.filters:
            errors.append(
                _("%(w)s: nguồn “%(s)s” không lọc được theo trường “%(f)s”; được dùng: %(all)s.")
                % {"w": where, "s": source.key, "f": name, "all": ", ".join(source.filters) or "—"}
            )
            continue
        values = value if isinstance(value, list) else [value]
        kind = source.filters[name]
        if kind == "bool" and not all(isinstance(v, bool) for v in values):
            errors.append(_("%(w)s: “%(f)s” nhận true hoặc false.") % {"w": where, "f": name})
        elif kind == "id" and not all(isinstance(v, int) for v in values):
            errors.append(_("%(w)s: “%(f)s” nhận mã số (số nguyên).") % {"w": where, "f": name})
        elif kind == "choices":
            allowed = filter_choices(source, name) or []
            for v in values:
                if str(v) not in allowed:
                    errors.append(
                        _("%(w)s: “%(v)s” không phải giá trị của “%(f)s”; được dùng: %(all)s.")
                        % {"w": where, "v": v, "f": name, "all": ", ".join(allowed)}
                    )
    if "date" in part and part["date"] not in source.dates:
        errors.append(
            _("%(w)s: nguồn “%(s)s” không có trường ngày “%(d)s”; được dùng: %(all)s.")
            % {
                "w": where,
                "s": source.key,
                "d": part["date"],
                "all": ", ".join(source.dates) or "—",
            }
        )
    if "distinct" in part and part["distinct"] not in source.distincts:
        errors.append(
            _("%(w)s: nguồn “%(s)s” không đếm riêng được theo “%(d)s”; được dùng: %(all)s.")
            % {
                "w": where,
                "s": source.key,
                "d": part["distinct"],
                "all": ", ".join(source.distincts) or "—",
            }
        )
    if "sum" in part and part["sum"] not in source.sums:
        errors.append(
            _("%(w)s: nguồn “%(s)s” không cộng được trường “%(f)s”; được dùng: %(all)s.")
            % {"w": where, "s": source.key, "f": part["sum"], "all": ", ".join(source.sums) or "—"}
        )
    if "own" in part and not isinstance(part["own"], bool):
        errors.append(_("%(w)s: “own” nhận true hoặc false.") % {"w": where})


def definition_check(kind: str, definition: Any) -> None:
    """Raise ValidationError listing every problem of `definition` for an indicator of `kind`."""
    errors: list[str] = []
    if kind not in KIND_KEYS:
        raise ValidationError(_("Loại chỉ số “%(k)s” không hợp lệ.") % {"k": kind})
    if not isinstance(definition, dict):
        raise ValidationError(_("Định nghĩa phải là một đối tượng JSON."))
    for key in sorted(set(definition) - KIND_KEYS[kind] - COMMON_KEYS):
        errors.append(_("Định nghĩa loại “%(t)s” không có khóa “%(k)s”.") % {"t": kind, "k": key})
    if "accumulates" in definition and not isinstance(definition["accumulates"], bool):
        errors.append(_("“accumulates” nhận true hoặc false."))
    if kind in ("count", "sum", "coverage", "frequency", "measure"):
        own = {k: v for k, v in definition.items() if k in PART_KEYS}
        _check_part(own, _("định nghĩa"), errors)
    if kind == "measure":
        source = SOURCES.get(str(definition.get("source", "")))
        if source is not None and definition.get("measure") not in source.measures:
            errors.append(
                _("Nguồn “%(s)s” không có phép đo “%(m)s”; được dùng: %(all)s.")
                % {
                    "s": source.key,
                    "m": definition.get("measure", ""),
                    "all": ", ".join(source.measures) or "—",
                }
            )
    if kind == "sum" and "sum" not in definition:
        errors.append(_("Chỉ số loại tổng cần khóa “sum” (trường được cộng)."))
    if kind == "coverage":
        levels = [value for value, _label in OrgUnit.Level.choices]
        if definition.get("level") not in levels:
            errors.append(
                _("“level” phải là một cấp đơn vị: %(all)s.") % {"all": ", ".join(levels)}
            )
        minimum = definition.get("min", 1)
        if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
            errors.append(_("“min” phải là số nguyên từ 1 trở lên."))
    if kind == "frequency" and definition.get("per", "month") != "month":
        errors.append(_("Tần suất hiện chỉ tính theo tháng (“per”: “month”)."))
    if kind == "ratio":
        numerator = definition.get("numerator")
        parts = numerator if isinstance(numerator, list) else [numerator]
        if not parts or numerator is None:
            errors.append(_("Chỉ số tỷ lệ cần “numerator”."))
        for i, part in enumerate(parts, start=1):
            _check_part(part, _("tử số %(i)d") % {"i": i}, errors)
        if len(parts) > 1 and not all(isinstance(p, dict) and p.get("distinct") for p in parts):
            errors.append(_("Tử số gồm nhiều nguồn phải đếm riêng (“distinct”) ở mỗi nguồn."))
        if definition.get("denominator") is None:
            errors.append(_("Chỉ số tỷ lệ cần “denominator”."))
        else:
            _check_part(definition["denominator"], _("mẫu số"), errors)
    if kind in ("change", "cumulative"):
        if definition.get("base") is None:
            errors.append(_("Chỉ số loại này cần “base” (cái được đếm)."))
        else:
            _check_part(definition["base"], _("base"), errors)
    if kind == "change":
        baseline = definition.get("baseline", "last_year")
        if baseline != "last_year" and not (
            isinstance(baseline, int) and not isinstance(baseline, bool) and 1900 < baseline < 2200
        ):
            errors.append(_("“baseline” là “last_year” hoặc một năm (ví dụ 2024)."))
    if kind == "cumulative" and "since" in definition:
        since = definition["since"]
        if not (isinstance(since, int) and not isinstance(since, bool) and 1900 < since < 2200):
            errors.append(_("“since” phải là một năm (ví dụ 2016)."))
    if errors:
        raise ValidationError(errors)
