"""A plan's budget lines in XLSX: the plan's template, the all-or-nothing import with its checks
(year in the plan period, whole non-negative amounts in đồng, components of this plan), bad
files, the export, and who may do it."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.plans import services
from pcmd.plans.models import BudgetLine, Plan, Section, Task
from pcmd.plans.services.budget_xlsx import budget_columns, parse_vnd

pytestmark = pytest.mark.django_db

HEADER = [c.label for c in budget_columns()]


def make_plan(**fields: Any) -> Plan:
    values: dict[str, Any] = {
        "org_unit": unit(HOANG_HOP), "title": "Kế hoạch PCMD 2025-2026", "period_start": 2025,
        "period_end": 2026,
    }  # fmt: skip
    values.update(fields)
    plan = Plan.objects.create(**values)
    section = Section.objects.create(plan=plan, number="II.1", title="Tuyên truyền", order=1)
    Task.objects.create(plan=plan, section=section, number="II.1.2.a", title="Loa", order=2)
    Task.objects.create(plan=plan, number="II.3.2.b", title="Kiểm tra lần 1", order=3)
    Task.objects.create(plan=plan, number="II.3.2.b", title="Kiểm tra lần 2", order=4)
    return plan


def row(**values: Any) -> list[Any]:
    base: dict[str, Any] = {
        "year": 2025,
        "component": "II.1.2.a",
        "source": "Ngân sách nhà nước",
        "text": "Loa truyền thanh",
        "allocated": 15_000_000,
        "spent": "9.800.000",
    }
    base.update(values)
    return [base[c.key] for c in budget_columns()]


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header or HEADER)
    for values in rows:
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def texts(result: Any) -> list[str]:
    return [str(e) for e in result.errors]


def upload(data: bytes) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = "kinh-phi.xlsx"
    return buffer


@pytest.mark.parametrize(
    ("cell", "amount"),
    [(15_000_000, 15_000_000), ("15.000.000", 15_000_000), ("15 000 000 đ", 15_000_000),
     (1.5e7, 15_000_000), ("0", 0), ("", None)],
)  # fmt: skip
def test_amounts_are_whole_dong(cell: Any, amount: int | None) -> None:
    from pcmd.records.xlsx import _text

    value, message = parse_vnd(_text(cell))
    assert message == "" and value == (None if amount is None else Decimal(amount))


@pytest.mark.parametrize("cell", ["1500000.5", "1,5", "15.00", "-5", "mười triệu", "1" * 17])
def test_fractions_negative_and_words_are_refused_never_rounded(cell: str) -> None:
    value, message = parse_vnd(cell)
    assert value is None and message


def test_a_good_file_adds_lines_to_the_plan_with_one_import_audit() -> None:
    plan = make_plan()
    user = make_user()
    data = xlsx_bytes(
        [
            row(),
            row(year=2026, component="II.1", source="Nguồn hợp pháp khác", allocated="5.000.000",
                spent=None),
            row(component="II.3.2.b#2", text="Đoàn kiểm tra", allocated=None, spent=0),
            row(component=None, text="Kinh phí chung"),
            row(component="II.1.2.a — Loa"),
        ]
    )  # fmt: skip
    result = services.budgetlines_import(plan=plan, data=data, acting_user=user)
    assert result.ok and result.created == 5, texts(result)
    lines = list(BudgetLine.objects.filter(plan=plan).order_by("id"))
    assert lines[0].task and lines[0].task.title == "Loa"
    assert (lines[0].allocated, lines[0].spent, lines[0].version) == (15_000_000, 9_800_000, 1)
    assert lines[1].section and lines[1].section.number == "II.1" and lines[1].task is None
    assert lines[1].source == "other" and lines[1].year == 2026 and lines[1].spent is None
    assert lines[2].task and lines[2].task.title == "Kiểm tra lần 2" and lines[2].spent == 0
    assert lines[3].task is None and lines[3].section is None
    assert lines[4].task == lines[0].task
    audits = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT)
    assert audits.count() == 1 and audits.get().detail["budget_lines"] == 5


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_written() -> None:
    plan = make_plan()
    other_task = Task.objects.create(plan=make_plan(), number="IX.9", title="Của kế hoạch khác")
    data = xlsx_bytes(
        [
            row(),
            row(year=2024),
            row(spent="-1"),
            row(allocated="1500000,5"),
            row(component=other_task.number),
            row(component="II.3.2.b"),
            row(year=2030, allocated=-7),
        ]
    )
    result = services.budgetlines_import(plan=plan, data=data, acting_user=make_user())
    found = texts(result)
    assert not result.ok and result.created == 0
    expected = [
        "Dòng 3, cột “Năm”: Năm phải nằm trong thời kỳ của kế hoạch (2025–2026).",
        "Dòng 4, cột “Đã chi (đồng)”: Số tiền không được âm.",
        "Dòng 5, cột “Dự toán (đồng)”",
        "Dòng 6, cột “Mục hoặc nhiệm vụ”: kế hoạch này không có mục hoặc nhiệm vụ số “IX.9”.",
        "Dòng 7, cột “Mục hoặc nhiệm vụ”: có nhiều nhiệm vụ cùng số “II.3.2.b”",
        "Dòng 8, cột “Dự toán (đồng)”: Số tiền không được âm.",
    ]
    for start in expected:
        assert any(t.startswith(start) for t in found), (start, found)
    assert not any(t.startswith("Dòng 2") for t in found)
    assert BudgetLine.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ([*HEADER, "Ghi chú lạ"], "cột “Ghi chú lạ” không có trong mẫu"),
        (HEADER[1:], "thiếu cột bắt buộc: Năm"),
        ([HEADER[0], HEADER[0], *HEADER[2:]], "cột bị lặp lại"),
    ],
)
def test_wrong_columns_are_refused(header: list[str], message: str) -> None:
    plan = make_plan()
    data = xlsx_bytes([row()[: len(header)]], header=header)
    result = services.budgetlines_import(plan=plan, data=data, acting_user=None)
    assert any(message in t for t in texts(result)), texts(result)
    assert BudgetLine.objects.count() == 0


def test_merged_cells_and_formulas_are_refused_never_evaluated() -> None:
    plan = make_plan()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(row())
    ws.append(row())
    ws.merge_cells("A2:A3")
    buffer = io.BytesIO()
    wb.save(buffer)
    merged = services.budgetlines_import(plan=plan, data=buffer.getvalue(), acting_user=None)
    assert any("ô gộp (A2:A3)" in t for t in texts(merged)), texts(merged)
    formula = xlsx_bytes([row(allocated="=1000000*15"), row(spent="=SUM(E2:E2)")])
    result = services.budgetlines_import(plan=plan, data=formula, acting_user=None)
    assert [t.split(":")[0] for t in texts(result)] == [
        "Dòng 2, cột “Dự toán (đồng)”",
        "Dòng 3, cột “Đã chi (đồng)”",
    ]
    assert BudgetLine.objects.count() == 0


def test_ten_thousand_bad_rows_are_all_listed_and_nothing_is_written() -> None:
    plan = make_plan()
    data = xlsx_bytes([row(year=2031)] * 10_000)
    result = services.budgetlines_import(plan=plan, data=data, acting_user=None)
    assert len(result.errors) == 10_000
    assert {e.row for e in result.errors} == set(range(2, 10_002))
    assert BudgetLine.objects.count() == 0


def test_a_file_above_the_row_limit_is_refused_as_a_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pcmd.plans.services import budget_xlsx

    monkeypatch.setattr(budget_xlsx, "BUDGET_MAX_ROWS", 2)
    result = services.budgetlines_import(
        plan=make_plan(), data=xlsx_bytes([row()] * 3), acting_user=None
    )
    assert texts(result) == ["Tệp có quá nhiều dòng (tối đa 2 dòng)."]


def test_only_budget_managers_of_the_plan_unit_import() -> None:
    plan = make_plan()
    with pytest.raises(PermissionDenied):
        services.budgetlines_import(
            plan=plan, data=xlsx_bytes([row()]), acting_user=make_user(role=User.Role.POLICE)
        )
    assert BudgetLine.objects.count() == 0


def test_the_plan_template_offers_its_components_and_the_page_imports(client: Client) -> None:
    plan = make_plan()
    client.force_login(make_user())
    template = client.get(reverse("plans:budget-import-template", args=[plan.pk]))
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADER
    choices = [c.value for c in book["Danh mục"]["A"] if c.value]
    assert "II.1.2.a — Loa" in choices and "II.3.2.b#2 — Kiểm tra lần 2" in choices
    assert "II.1 — Tuyên truyền" in choices
    url = reverse("plans:budget-import", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": upload(xlsx_bytes([row(component="II.1.2.a — Loa")]))})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:budget", args=[plan.pk])
    assert BudgetLine.objects.get().task is not None
    page = client.get(reverse("plans:budget", args=[plan.pk])).content.decode()
    assert url in page and reverse("plans:budget-export", args=[plan.pk]) in page


def test_a_bad_file_on_the_page_lists_every_error(client: Client) -> None:
    plan = make_plan()
    client.force_login(make_user())
    response = client.post(
        reverse("plans:budget-import", args=[plan.pk]),
        {"file": upload(xlsx_bytes([row(year=2024), row(spent="-3")]))},
    )
    assert response.status_code == 422
    assert len(response.context["errors"]) == 2
    assert "Dòng 3, cột “Đã chi (đồng)”" in response.content.decode()
    assert BudgetLine.objects.count() == 0


def test_readers_cannot_import_or_download_the_template(client: Client) -> None:
    plan = make_plan()
    client.force_login(make_user(role=User.Role.LEADER))
    for name in ("plans:budget-import", "plans:budget-import-template"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 403
    response = client.post(
        reverse("plans:budget-import", args=[plan.pk]), {"file": upload(xlsx_bytes([row()]))}
    )
    assert response.status_code == 403 and BudgetLine.objects.count() == 0
    assert client.get(reverse("plans:budget-export", args=[plan.pk])).status_code == 200


def test_export_round_trips_through_the_import_and_escapes_formulas(client: Client) -> None:
    plan = make_plan()
    task = Task.objects.get(plan=plan, title="Kiểm tra lần 2")
    services.budgetline_create(
        plan=plan, acting_user=None, year=2025, source="state", task=task,
        text="=HYPERLINK(\"http://x\")", allocated=Decimal(7_000_000), spent=Decimal(1_000),
    )  # fmt: skip
    services.budgetline_create(plan=plan, acting_user=None, year=2026, source="other")
    client.force_login(make_user())
    response = client.get(reverse("plans:budget-export", args=[plan.pk]), {"year": "2025"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = list(ws.iter_rows(min_row=1, values_only=True))
    assert list(values[0]) == HEADER and len(values) == 2
    assert values[1] == (2025, "II.3.2.b#2", "Ngân sách nhà nước", '\'=HYPERLINK("http://x")',
                         7_000_000, 1_000)  # fmt: skip
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    again = services.budgetlines_import(plan=plan, data=response.content, acting_user=None)
    assert again.ok, texts(again)
    copy = BudgetLine.objects.order_by("-id").first()
    assert copy is not None and copy.task == task and copy.allocated == 7_000_000
