"""bench_render(): the figures `pcmd bench` prints for the report documents (never timed here)."""

from __future__ import annotations

import pytest

from pcmd.reports.bench import bench_render


def test_bench_render_reports_every_figure_with_its_baseline() -> None:
    figures = bench_render(children=3, repeat=1)
    assert figures["report_children"] == 3
    for kind in ("docx", "xlsx"):
        assert figures[f"report_{kind}_ms"] > 0
        assert figures[f"report_{kind}_baseline_ms"] > 0
        assert figures[f"report_{kind}_bytes"] > 5_000


@pytest.mark.parametrize("children", [0, 1])
def test_bench_render_handles_small_units(children: int) -> None:
    assert bench_render(children=children, repeat=1)["report_docx_bytes"] > 0
