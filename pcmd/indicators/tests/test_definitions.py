"""Indicator definitions: the built-ins pass, a bad definition is refused with every problem."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pcmd.indicators.catalogue import BUILTIN
from pcmd.indicators.definitions import definition_check
from pcmd.indicators.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "kind", "definition"), [(b[0], b[4], b[5]) for b in BUILTIN])
def test_every_builtin_definition_passes(code: str, kind: str, definition: dict) -> None:  # type: ignore[type-arg]
    definition_check(kind, definition)


def test_builtins_are_in_the_catalogue_after_migrate() -> None:
    codes = set(Indicator.objects.filter(is_builtin=True).values_list("code", flat=True))
    assert codes == {b[0] for b in BUILTIN}


def _problems(kind: str, definition: object) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        definition_check(kind, definition)
    return exc.value.messages


def test_unknown_source_field_value_and_key_are_all_listed() -> None:
    problems = _problems(
        "count",
        {"source": "outreach.events", "filter": {"form": ["radio"], "topic": "x"}, "where": 1},
    )
    assert len(problems) == 3
    assert any("không có khóa “where”" in p for p in problems)
    assert any("“radio” không phải giá trị của “form”" in p for p in problems)
    assert any("không lọc được theo trường “topic”" in p for p in problems)
    assert any(
        "nguồn “people” không tồn tại" in p for p in _problems("count", {"source": "people"})
    )


def test_kind_specific_rules() -> None:
    assert _problems("coverage", {"source": "outreach.events", "level": "hamlet", "min": 0}) == [
        "“level” phải là một cấp đơn vị: national, province, district, commune, village.",
        "“min” phải là số nguyên từ 1 trở lên.",
    ]
    assert "Chỉ số tỷ lệ cần “denominator”." in _problems(
        "ratio", {"numerator": {"source": "enforcement.inspections"}}
    )
    assert "“baseline” là “last_year” hoặc một năm (ví dụ 2024)." in _problems(
        "change", {"base": {"source": "enforcement.cases"}, "baseline": "2024"}
    )
    assert "Chỉ số loại tổng cần khóa “sum” (trường được cộng)." in _problems(
        "sum", {"source": "outreach.events"}
    )
    assert _problems("magic", {}) == ["Loại chỉ số “magic” không hợp lệ."]
    assert _problems("count", "select * from users") == ["Định nghĩa phải là một đối tượng JSON."]


def test_a_bad_definition_is_not_saved_through_clean() -> None:
    indicator = Indicator(
        code="x", name="X", unit="lần", kind="count", definition={"source": "nowhere"}
    )
    with pytest.raises(ValidationError):
        indicator.full_clean()
    assert not Indicator.objects.filter(code="x").exists()
