"""pcmd.loadtest.stats: Locust's CSV files read back as per-page percentiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcmd.loadtest.stats import StatsUnreadable, failures_read, stats_read

# As Locust 2.47 writes them (--csv): one row per (method, name), the total last with an empty
# Type; a page never answered has N/A percentiles.
FIXTURES = Path(__file__).with_name("fixtures")
STATS = (FIXTURES / "locust_stats.csv").read_text(encoding="utf-8")
FAILURES = (FIXTURES / "locust_failures.csv").read_text(encoding="utf-8")


def _write(tmp_path: Path, stats: str = STATS, failures: str | None = FAILURES) -> Path:
    prefix = tmp_path / "stats"
    Path(f"{prefix}_stats.csv").write_text(stats, encoding="utf-8")
    if failures is not None:
        Path(f"{prefix}_failures.csv").write_text(failures, encoding="utf-8")
    return prefix


def test_pages_and_total_are_read_with_their_percentiles(tmp_path: Path) -> None:
    result = stats_read(_write(tmp_path))
    home, entry, report = result.pages
    assert (home.name, home.method, home.requests, home.failures) == (
        "trang chủ / bảng điều khiển", "GET", 412, 0,
    )  # fmt: skip
    assert (home.p50_ms, home.p95_ms, home.p99_ms, home.max_ms) == (38, 84, 150, 310)
    assert (entry.method, entry.failures, entry.p95_ms, entry.p99_ms) == ("POST", 2, 210, 700)
    assert (report.requests, report.p50_ms, report.p95_ms, report.p99_ms) == (0, None, None, None)
    assert result.total.name == "Aggregated"
    assert (result.total.requests, result.total.failures, result.total.p95_ms) == (473, 2, 130)


def test_failures_are_read(tmp_path: Path) -> None:
    result = stats_read(_write(tmp_path))
    [failure] = result.failures
    assert (failure.method, failure.name, failure.occurrences) == (
        "POST", "ghi hoạt động tuyên truyền", 2,
    )  # fmt: skip
    assert failure.error == "không ghi được: HTTP 422"


def test_no_failures_file_means_no_failures(tmp_path: Path) -> None:
    assert stats_read(_write(tmp_path, failures=None)).failures == []


def test_json_summary_has_every_page_and_the_error_count(tmp_path: Path) -> None:
    summary = stats_read(_write(tmp_path)).as_json()
    assert summary["requests"] == 473
    assert summary["errors"] == 2
    assert set(summary["pages"]) == {
        "trang chủ / bảng điều khiển", "ghi hoạt động tuyên truyền", "hiển thị báo cáo",
    }  # fmt: skip
    assert summary["pages"]["trang chủ / bảng điều khiển"]["p95_ms"] == 84
    assert summary["pages"]["hiển thị báo cáo"]["p99_ms"] is None


def test_missing_file_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(StatsUnreadable, match="Locust không ghi"):
        stats_read(tmp_path / "nothing")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    prefix = _write(tmp_path, stats="Type,Name,Request Count\nGET,/,3\n")
    with pytest.raises(StatsUnreadable, match="thiếu cột .*95%"):
        stats_read(prefix)


def test_a_file_without_the_total_row_is_refused(tmp_path: Path) -> None:
    rows = STATS.splitlines()
    prefix = _write(tmp_path, stats="\n".join(rows[:-1]) + "\n")
    with pytest.raises(StatsUnreadable, match="Aggregated"):
        stats_read(prefix)


def test_failures_file_without_its_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("Method,Name\nGET,/\n", encoding="utf-8")
    with pytest.raises(StatsUnreadable, match="Occurrences"):
        failures_read(path)
