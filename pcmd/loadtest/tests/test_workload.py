"""pcmd.loadtest.workload: which entries an account runs, and the skipped placeholder."""

from __future__ import annotations

from pcmd.accounts.permissions import CAPABILITIES
from pcmd.loadtest.workload import (
    FORM,
    WORKLOAD,
    Entry,
    eligible_entries,
    entry_path,
    skipped_entries,
)


def _account(role: str, **params: int) -> dict[str, object]:
    return {"username": "u", "role": role, "capabilities": sorted(CAPABILITIES[role]),
            "params": params}  # fmt: skip


def _names(entries: list[Entry]) -> set[str]:
    return {e.name for e in entries}


def test_names_are_unique_and_weights_positive() -> None:
    assert len({e.name for e in WORKLOAD}) == len(WORKLOAD)
    assert all(e.weight > 0 for e in WORKLOAD)


def test_coordinator_with_a_plan_runs_every_page_it_may_see() -> None:
    names = _names(eligible_entries(_account("coordinator", plan=7, commune=3)))
    assert {
        "trang chủ / bảng điều khiển",
        "đánh giá kế hoạch",
        "ghi hoạt động tuyên truyền",
    } <= names
    assert "danh sách tin báo" not in names  # no tip.view for a coordinator


def test_inspector_neither_records_outreach_nor_reads_tips() -> None:
    names = _names(eligible_entries(_account("inspector", plan=7, commune=3)))
    assert "ghi hoạt động tuyên truyền" not in names
    assert "danh sách tin báo" not in names
    assert "danh sách kiểm tra" in names


def test_police_would_read_the_tips_list() -> None:
    assert "danh sách tin báo" in _names(eligible_entries(_account("police", commune=3)))


def test_an_entry_needing_a_plan_is_left_out_without_one() -> None:
    names = _names(eligible_entries(_account("data_entry", commune=3)))
    assert "đánh giá kế hoạch" not in names
    assert "danh sách kế hoạch" in names


def test_an_entry_without_a_path_is_skipped_with_its_note() -> None:
    assert skipped_entries() == []  # every page of the workload has its path now
    pending = Entry("trang mới", 2, None, note="chưa có địa chỉ")
    workload = (*WORKLOAD, pending)
    assert skipped_entries(workload) == [pending]
    assert pending not in eligible_entries(_account("coordinator", plan=1, commune=1), workload)


def test_the_report_rows_render_the_accounts_report() -> None:
    names = _names(eligible_entries(_account("coordinator", report=7, commune=1)))
    assert {"trang báo cáo", "tải báo cáo (.docx)"} <= set(names)
    entry = next(e for e in WORKLOAD if e.name == "tải báo cáo (.docx)")
    assert entry_path(entry, _account("coordinator", report=7)) == "/reports/7/file.docx"


def test_paths_are_filled_from_the_account() -> None:
    entry = next(e for e in WORKLOAD if e.name == "đánh giá kế hoạch")
    assert entry_path(entry, _account("coordinator", plan=42)) == "/indicators/plans/42/"
    assert all(e.kind != FORM or e.capability == "outreach.manage" for e in WORKLOAD)
