"""Which indicator measures a target: read from the target's population word and wording.

Owns: RULES, target_guess(), target_map(), plan_map(), targets_remap_unmapped().
Invariants: the population word decides what is counted — an org-unit level (thôn or địa bàn in
a commune plan -> village, xã -> commune, huyện -> district) or a record population (tin báo ->
tips, cơ sở kinh doanh -> establishments, người bán dâm -> beneficiaries, cán bộ -> staff, đơn
vị -> agencies); a target nothing matches keeps no indicator and a Vietnamese warning until
someone maps it; a mapping made by hand (is_manual) is never overwritten by a re-import.
Not here: the indicators themselves (catalogue.py), computing (compute.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from pcmd.common.text import search_key
from pcmd.indicators.models import Indicator, TargetMeasure
from pcmd.plans.models import Plan, Target


@dataclass(frozen=True)
class Rule:
    """All `words` (diacritics-free, lower case) in the population or the wording -> code."""

    code: str
    words: tuple[str, ...]
    population: tuple[str, ...] = ()  # words the population itself must hold
    level: str = ""


# First match wins: rules on the population word first, then wording alone.
RULES: list[Rule] = [
    Rule("tips-handled-in-time", (), population=("tin bao",)),
    Rule("tips-handled-in-time", (), population=("to giac",)),
    Rule("support-reached", (), population=("nguoi ban dam",)),
    Rule("cases-handled-change", ("so voi",), population=("toi pham",)),
    Rule("cases-handled", (), population=("toi pham",)),
    Rule("establishments-inspected", ("kiem tra",), population=("co so kinh doanh",)),
    Rule("staff-trained", (), population=("can bo",)),
    Rule("district-integrated-plans", ("ke hoach long ghep",), population=("huyen",),
         level="district"),
    Rule("district-harm-reduction", ("giam tac hai",), population=("huyen",), level="district"),
    Rule("district-support-models", ("dich vu ho tro",), population=("huyen",), level="district"),
    Rule("models-peer-groups", ("nang luc",), population=("mo hinh",)),
    Rule("village-pilot-models", ("mo hinh",), population=("dia ban",), level="village"),
    Rule("village-pilot-models", ("mo hinh",), population=("thon",), level="village"),
    Rule("agencies-active", (), population=("don vi",)),
    Rule("outreach-village-coverage", ("tuyen truyen",), population=("thon",), level="village"),
    Rule("outreach-village-coverage", ("tuyen truyen",), population=("dia ban",), level="village"),
    Rule("outreach-commune-coverage", ("tuyen truyen",), population=("xa",), level="commune"),
    Rule("models-workers-rights", ("quyen cua nguoi lao dong",)),
    Rule("web-posts-monthly", ("trang thong tin dien tu",)),
    Rule("media-monthly", ("phuong tien thong tin dai chung",)),
]  # fmt: skip


def target_guess(target: Target) -> tuple[str, str]:
    """(indicator code, level) for a target, or ("", "") when nothing matches."""
    population = f" {search_key(target.population or '')} "
    text = f" {search_key(target.text or '')} "
    for rule in RULES:  # whole words only: "xa" is not in "xay dung"
        if rule.population and not all(f" {w} " in population for w in rule.population):
            continue
        if all(f" {w} " in text or f" {w} " in population for w in rule.words):
            return rule.code, rule.level
    return "", ""


def target_map(target: Target) -> TargetMeasure:
    """Map `target` to its indicator (kept when mapped by hand); a warning when none fits."""
    measure, _created = TargetMeasure.objects.get_or_create(target=target)
    if measure.is_manual:
        return measure
    code, level = target_guess(target)
    indicator = Indicator.objects.filter(code=code, is_active=True).first() if code else None
    measure.indicator = indicator
    measure.level = level
    if indicator is None:
        measure.warning = _(
            "Chưa xác định được chỉ số đo chỉ tiêu này (đối tượng: “%(p)s”); hãy chọn chỉ số."
        ) % {"p": target.population or "—"}
    else:
        measure.warning = ""
    measure.save()
    return measure


def plan_map(plan: Plan) -> list[TargetMeasure]:
    """Map every target of `plan` (called when a plan is imported or its targets change)."""
    return [target_map(t) for t in plan.targets.all()]


def targets_remap_unmapped() -> int:
    """Map again every target left without an indicator (or never mapped) and not mapped by
    hand — after the catalogue gains indicators, e.g. on upgrade. Returns how many now map."""
    pending = Target.objects.exclude(measure__is_manual=True).filter(
        models.Q(measure__isnull=True) | models.Q(measure__indicator__isnull=True)
    )
    return sum(1 for target in pending if target_map(target).indicator_id is not None)
