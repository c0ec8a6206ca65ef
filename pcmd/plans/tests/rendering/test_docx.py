"""The DOCX export: the layout of Decree 30/2020 and a round trip through the parser."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from pcmd.common.tests.docx_checks import (
    assert_decree_font,
    assert_decree_page,
    assert_schema_order,
    is_borderless,
)
from pcmd.plans.parsing import parse_file, parse_text
from pcmd.plans.rendering.docx import plan_docx, section_label

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
SEED_FILES = {
    "hoang_hop_2025.txt": "Xã Hoằng Hợp",
    "an_giang_1994_qd_ubnd_2016.txt": "Tỉnh An Giang",
}


def _parsed(name: str) -> dict[str, Any]:
    return parse_text((SEEDS / name).read_text(encoding="utf-8")).to_dict()


def _target_key(target: dict[str, Any]) -> tuple[Any, ...]:
    return (
        " ".join(str(target["text"]).split()).rstrip(" .;"),
        target["comparator"],
        target["value"],
        target.get("value_max"),
        target["unit"],
        tuple((m["year"], m["value"]) for m in target.get("milestones") or []),
    )


def _task_key(task: dict[str, Any]) -> tuple[Any, ...]:
    timeframe = task.get("timeframe") or {}
    return (
        " ".join(str(task["title"]).split()).rstrip(" .;"),
        tuple(task.get("lead") or []),
        tuple(task.get("support") or []),
        timeframe.get("text"),
        timeframe.get("kind"),
    )


@pytest.mark.parametrize("seed", list(SEED_FILES))
def test_exported_seed_parses_back_to_the_same_targets_and_tasks(seed: str) -> None:
    parsed = _parsed(seed)
    assert parsed["targets"] and parsed["tasks"]
    data = plan_docx(parsed, org_unit_name=SEED_FILES[seed])
    again = parse_file(data, "ke-hoach.docx").to_dict()
    assert [_target_key(t) for t in again["targets"]] == [_target_key(t) for t in parsed["targets"]]
    assert [_task_key(t) for t in again["tasks"]] == [_task_key(t) for t in parsed["tasks"]]


def _document(parsed: dict[str, Any] | None = None) -> Any:
    parsed = parsed or _parsed("hoang_hop_2025.txt")
    return Document(io.BytesIO(plan_docx(parsed, org_unit_name="Xã Hoằng Hợp")))


def test_page_is_a4_with_the_decree_margins() -> None:
    assert_decree_page(_document().sections[0])


@pytest.mark.parametrize("seed", list(SEED_FILES))
def test_properties_follow_the_schema_order_word_requires(seed: str) -> None:
    assert_schema_order(plan_docx(_parsed(seed), org_unit_name=SEED_FILES[seed]))


def test_times_new_roman_13_to_14_pt() -> None:
    assert_decree_font(_document())


def test_header_table_is_borderless_with_issuer_number_motto_and_date() -> None:
    document = _document()
    header = document.tables[0]
    assert is_borderless(header)
    left = header.cell(0, 0).text
    right = header.cell(0, 1).text
    # The seed writes "UBND xã Hoàng Hợp" (sic): the document's own spelling is kept.
    assert "ỦY BAN NHÂN DÂN" in left and "XÃ HOÀNG HỢP" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert header.cell(1, 0).text.startswith("Số:")
    assert "/KH-UBND" in header.cell(1, 0).text
    dated = header.cell(1, 1).paragraphs[0]
    assert dated.text.startswith("Hoằng Hợp, ngày")
    assert "năm 2025" in dated.text
    assert all(run.italic for run in dated.runs)
    issuer_runs = [r for p in header.cell(0, 0).paragraphs for r in p.runs if r.text.strip()]
    assert all(r.bold for r in issuer_runs)


def test_title_is_bold_and_centred() -> None:
    document = _document()
    title = next(p for p in document.paragraphs if p.text == "KẾ HOẠCH")
    assert title.alignment == 1  # centre
    assert all(run.bold for run in title.runs)


def test_page_numbers_from_page_two() -> None:
    section = _document().sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(
        node.text or "" for node in section.header._element.iter(qn("w:instrText"))
    )
    assert not section.first_page_header._element.findall(".//" + qn("w:instrText"))


def test_recipients_and_signature_table() -> None:
    document = _document()
    closing = document.tables[-1]
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    first = left.paragraphs[0]
    assert first.text == "Nơi nhận:"
    assert first.runs[0].bold and first.runs[0].italic
    lines = [p.text for p in left.paragraphs[1:]]
    assert lines[0].startswith("- ") and lines[0].endswith(";")
    assert lines[-1].endswith(".")
    assert "CHỦ TỊCH" in right.text and "Lê Văn Phụng" in right.text


def test_decision_plan_names_its_decision_and_split_signer_title() -> None:
    document = _document(_parsed("an_giang_1994_qd_ubnd_2016.txt"))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("(Ban hành kèm theo Quyết định số 1994/QĐ-UBND") for t in texts)
    signer = document.tables[-1].cell(0, 1).text
    assert "PHÓ CHỦ TỊCH" in signer


@pytest.mark.parametrize(
    ("number", "label"),
    [
        ("II", "II."),
        ("II.1", "1."),
        ("II.1.2", "1.2."),
        ("II.1.2.a", "a)"),
        ("II.3.3.b.(1)", "(1)"),
    ],
)
def test_section_labels(number: str, label: str) -> None:
    assert section_label(number) == label


@pytest.mark.django_db
def test_saved_plan_exports_and_parses_back() -> None:
    from pcmd.plans import selectors, services
    from pcmd.plans.tests.factories import hoang_hop, make_agencies

    make_agencies()
    parsed = _parsed("hoang_hop_2025.txt")
    plan = services.plan_import(
        parsed=parsed, org_unit=hoang_hop(), acting_user=None, accept_warnings=True
    )
    exported = selectors.plan_as_parsed(plan=plan)
    again = parse_file(plan_docx(exported, org_unit_name=plan.org_unit.name), "x.docx").to_dict()
    assert [_target_key(t) for t in again["targets"]] == [_target_key(t) for t in parsed["targets"]]
    assert [_task_key(t) for t in again["tasks"]] == [_task_key(t) for t in parsed["tasks"]]
