"""Benchmarks of the report documents, for `pcmd bench` (figures printed, never asserted).

Owns: bench_render() -> report_docx_ms, report_xlsx_ms and their baselines.
Measures report_docx() and report_xlsx() on a province's consolidated report over `children`
communes (rendering.sample: eight domains, three targets, four tasks, every child with every
figure), best of `repeat` runs, against baselines measured in the same run: python-docx
writing an empty document of the same page set-up (what any DOCX costs), and openpyxl writing
the same cell values without styles, merges or checks (what any XLSX of that size costs).
Invariants: touches no database; the content is built once, outside the timings.
Not here: what the renderers write (rendering/).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

from pcmd.common.docx import document_new
from pcmd.reports.content import ReportDocument
from pcmd.reports.rendering.docx import report_docx
from pcmd.reports.rendering.sample import sample_document
from pcmd.reports.rendering.xlsx import report_xlsx


def _best_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1), result


def _empty_docx() -> bytes:
    out = io.BytesIO()
    document_new().save(out)
    return out.getvalue()


def _plain_xlsx(document: ReportDocument) -> bytes:
    """The same values, one sheet per domain, written without any formatting."""
    from openpyxl import Workbook

    content = document.content
    wb = Workbook(write_only=True)
    for group in [*content.situation, *content.results]:
        ws = wb.create_sheet()
        ws.append(["TT", "Đơn vị", *(f.label for f in group.figures)])
        for index, child in enumerate(content.children, start=1):
            values = [child.figures.get(f.key) for f in group.figures]
            row = [v.shown if v else "" for v in values]
            ws.append([index, child.unit_name, *row])
            ws.append(["", "", *(v.last_year_shown if v else "" for v in values)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bench_render(*, children: int = 100, repeat: int = 3) -> dict[str, Any]:
    """Milliseconds to render a province's report over `children` communes, with baselines."""
    document = sample_document(
        children=children,
        unit_name="Tỉnh Thanh Hóa",
        unit_code="38",
        unit_level="province",
        period="2025",
        period_label="Năm 2025",
    )
    docx_ms, docx = _best_ms(lambda: report_docx(document), repeat)
    empty_ms, _empty = _best_ms(_empty_docx, repeat)
    xlsx_ms, xlsx = _best_ms(lambda: report_xlsx(document), repeat)
    plain_ms, _plain = _best_ms(lambda: _plain_xlsx(document), repeat)
    return {
        "report_children": children,
        "report_docx_ms": docx_ms,
        "report_docx_baseline_ms": empty_ms,
        "report_docx_bytes": len(docx),
        "report_xlsx_ms": xlsx_ms,
        "report_xlsx_baseline_ms": plain_ms,
        "report_xlsx_bytes": len(xlsx),
    }
