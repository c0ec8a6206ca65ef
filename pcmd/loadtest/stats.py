"""Locust's CSV statistics (`--csv PREFIX`) read back as per-page figures.

Owns: PageStats, LoadResult, stats_read(), failures_read().
Invariants: percentiles are Locust's (its response times are kept rounded: exact below 100 ms,
to 10 ms below 1 s, to 100 ms below 10 s), in milliseconds; a page Locust never timed has no
percentile (None), not 0; the "Aggregated" row is the total, never a page.
Not here: running Locust (runner.py), printing (the command).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

AGGREGATED = "Aggregated"


class StatsUnreadable(Exception):
    """The CSV is missing or lacks the columns Locust writes."""


@dataclass(frozen=True)
class PageStats:
    name: str
    method: str
    requests: int
    failures: int
    p50_ms: int | None
    p95_ms: int | None
    p99_ms: int | None
    max_ms: int | None


@dataclass(frozen=True)
class Failure:
    method: str
    name: str
    error: str
    occurrences: int


@dataclass
class LoadResult:
    pages: list[PageStats]
    total: PageStats
    failures: list[Failure] = field(default_factory=list)
    server_cpu_s: float | None = None  # the application server's CPU time during the run

    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_s is None or not self.total.requests:
            return None
        return 1000 * self.server_cpu_s / self.total.requests

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.total.requests,
            "errors": self.total.failures,
            "pages": {p.name: {k: v for k, v in asdict(p).items() if k != "name"}
                      for p in self.pages},
        }  # fmt: skip


def _ms(value: str) -> int | None:
    value = (value or "").strip()
    if value in ("", "N/A"):
        return None
    return round(float(value))


def _rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = required - set(reader.fieldnames or ())
            if missing:
                raise StatsUnreadable(
                    f"{path.name}: thiếu cột {', '.join(sorted(missing))} trong tệp của Locust."
                )
            return list(reader)
    except FileNotFoundError as exc:
        raise StatsUnreadable(f"Locust không ghi tệp thống kê {path}.") from exc


_STATS_COLUMNS = {"Type", "Name", "Request Count", "Failure Count", "50%", "95%", "99%", "100%"}


def stats_read(prefix: Path) -> LoadResult:
    """The pages of `<prefix>_stats.csv` (and the failures of `<prefix>_failures.csv`)."""
    pages: list[PageStats] = []
    total: PageStats | None = None
    for row in _rows(Path(f"{prefix}_stats.csv"), _STATS_COLUMNS):
        stats = PageStats(
            name=row["Name"],
            method=row["Type"],
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            p50_ms=_ms(row["50%"]),
            p95_ms=_ms(row["95%"]),
            p99_ms=_ms(row["99%"]),
            max_ms=_ms(row["100%"]),
        )
        if row["Name"] == AGGREGATED and not row["Type"]:
            total = stats
        else:
            pages.append(stats)
    if total is None:
        raise StatsUnreadable(f"{prefix}_stats.csv: không có dòng tổng (Aggregated).")
    failures_path = Path(f"{prefix}_failures.csv")
    failures = failures_read(failures_path) if failures_path.exists() else []
    return LoadResult(pages=pages, total=total, failures=failures)


def failures_read(path: Path) -> list[Failure]:
    return [
        Failure(
            method=row["Method"],
            name=row["Name"],
            error=row["Error"],
            occurrences=int(row["Occurrences"]),
        )
        for row in _rows(path, {"Method", "Name", "Error", "Occurrences"})
    ]
