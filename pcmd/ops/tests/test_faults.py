"""SIGKILL in the middle of an XLSX import, a plan import, a report submission and an indicator
rebuild: the database holds all of the operation or none of it, a job left "running" is failed
by recovery, and the next run completes. Each process is stopped at a known point by the pause
hook (pcmd.ops.faults: right after a given SQL statement, inside the operation's transaction),
never after a sleep."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest

from pcmd.ops.faults import PAUSE_COUNT_VAR, PAUSE_SQL_VAR, PAUSED_MARKER
from pcmd.ops.tests.conftest import Site
from pcmd.ops.tests.fault_setup import IMPORT_ROWS

pytestmark = pytest.mark.slow  # several PCMD processes per test, a few seconds each

PLAN = Path(__file__).resolve().parents[2] / "plans" / "fixtures" / "seeds" / "hoang_hop_2025.txt"
WORKER = ("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "default")


def _kill_when_paused(site: Site, args: tuple[str, ...], sql: str, count: int = 1) -> str:
    """Run `pcmd ARGS` until it pauses after the COUNT-th statement matching SQL, then SIGKILL
    it; the stderr it wrote."""
    proc = site.popen(*args, env={PAUSE_SQL_VAR: sql, PAUSE_COUNT_VAR: str(count)})
    paused = threading.Event()
    lines: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if PAUSED_MARKER in line:
                paused.set()
        paused.set()  # the process ended without pausing: the assertion below says so

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        paused.wait(timeout=240)
        assert proc.poll() is None, "".join(lines)[-3000:]
        assert any(PAUSED_MARKER in line for line in lines)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=10)
    return "".join(lines)


def _integrity(site: Site) -> None:
    if site.engine == "sqlite":
        assert site.one("PRAGMA integrity_check") == "ok"


def test_worker_killed_mid_import_leaves_no_row_and_the_job_runs_again(engine_site: Site) -> None:
    site = engine_site
    job_id = site.pcmd(
        "shell", "-v0", "-c",
        "from pcmd.ops.tests.fault_setup import enqueue_outreach_import as f; f()",
    ).stdout.split()[-1]  # fmt: skip
    hex_id = job_id.replace("-", "")
    # The worker stops right after writing the first batch of events, before the commit.
    _kill_when_paused(site, WORKER, r'INSERT INTO "outreach_outreachevent"')
    _integrity(site)
    assert site.one("SELECT COUNT(*) FROM outreach_outreachevent") == 0
    assert site.one("SELECT status FROM jobs_job WHERE id = %s", hex_id) == "running"

    recovered = site.pcmd("recover_jobs").stdout
    assert "1 tác vụ được đánh dấu thất bại" in recovered
    assert site.one("SELECT status FROM jobs_job WHERE id = %s", hex_id) == "failed"
    message = site.one("SELECT message FROM jobs_job WHERE id = %s", hex_id)
    assert "không còn hoạt động" in message and "Có thể chạy lại" in message
    assert site.one("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'RUNNING'") == 0  # fmt: skip

    again = site.pcmd(
        "shell", "-v0", "-c", f"from pcmd.ops.tests.fault_setup import retry; retry('{job_id}')"
    ).stdout.split()[-1]
    site.pcmd(*WORKER)
    assert site.one("SELECT status FROM jobs_job WHERE id = %s", again.replace("-", "")) == (
        "succeeded"
    )
    assert site.one("SELECT COUNT(*) FROM outreach_outreachevent") == IMPORT_ROWS


def test_plan_import_killed_midway_saves_nothing_and_the_next_run_completes(
    engine_site: Site,
) -> None:
    site = engine_site
    args = ("import_plan", str(PLAN), "--orgunit", "15919", "--accept-warnings")
    # Stopped with the plan, its sections and its first targets written, before the commit.
    _kill_when_paused(site, args, r'INSERT INTO "plans_target"', count=2)
    _integrity(site)
    for table in ("plans_plan", "plans_section", "plans_target", "plans_task"):
        assert site.one(f"SELECT COUNT(*) FROM {table}") == 0, table  # noqa: S608
    done = site.pcmd(*args)
    assert "Đã lưu kế hoạch" in done.stdout
    assert site.one("SELECT COUNT(*) FROM plans_plan") == 1
    assert site.one("SELECT COUNT(*) FROM plans_target") > 1


def test_rebuild_killed_midway_keeps_the_old_values_and_the_next_run_completes(
    engine_site: Site,
) -> None:
    site = engine_site
    args = ("rebuild_values", "--year", "2025", "--indicator", "outreach-events", "-v0")
    site.pcmd(*args)
    values = "SELECT indicator_id, org_unit_id, period, numerator, denominator, computed_at " \
        "FROM indicators_indicatorvalue"  # fmt: skip
    before = sorted(site.query(values))
    assert len(before) > 10_000
    # Stopped after the new values went in (SQLite: replacing the old ones in place) or the old
    # ones were deleted (PostgreSQL, before its COPY), before the commit.
    write = "INSERT INTO" if site.engine == "sqlite" else "DELETE FROM"
    _kill_when_paused(site, args, rf'{write} "indicators_indicatorvalue"')
    _integrity(site)
    assert sorted(site.query(values)) == before
    site.pcmd(*args)
    after = sorted(site.query(values))
    assert [r[:5] for r in after] == [r[:5] for r in before]
    assert {r[5] for r in after}.isdisjoint({r[5] for r in before})


def test_report_submission_killed_midway_leaves_the_draft_and_the_next_run_submits(
    engine_site: Site,
) -> None:
    site = engine_site
    setup = "from pcmd.ops.tests.fault_setup import make_draft_report as f; f()"
    report_id = site.pcmd("shell", "-v0", "-c", setup).stdout.split()[-1]
    code = f"from pcmd.ops.tests.fault_setup import submit_report as f; f('{report_id}')"
    submit = ("shell", "-v0", "-c", code)
    report = "SELECT status, version, content, submitted_at FROM reports_report WHERE id = %s"
    before = site.query(report, int(report_id))
    assert before[0][0] == "draft"
    events = "SELECT kind FROM reports_reportevent WHERE report_id = %s ORDER BY id"
    events_before = site.query(events, int(report_id))
    # Stopped with the frozen figures written and the "submitted" event inserted, before the commit.
    _kill_when_paused(site, submit, r'INSERT INTO "reports_reportevent"')
    _integrity(site)
    assert site.query(report, int(report_id)) == before
    assert site.query(events, int(report_id)) == events_before
    done = site.pcmd(*submit)
    assert done.stdout.split()[-1] == "submitted"
    status, version, content, submitted_at = site.query(report, int(report_id))[0]
    assert (status, version) == ("submitted", before[0][1] + 1)
    assert content and submitted_at is not None
    assert site.query(events, int(report_id))[-1] == ("submitted",)


def test_a_rebuild_on_several_connections_stores_what_one_connection_stores(
    engine_site: Site,
) -> None:
    site = engine_site
    if site.engine == "sqlite":
        pytest.skip("the rebuild runs on several connections on PostgreSQL only")
    site.pcmd("demo", "-v0")
    values = "SELECT indicator_id, org_unit_id, period, numerator, denominator, stale " \
        "FROM indicators_indicatorvalue"  # fmt: skip
    site.pcmd("rebuild_values", "--year", "2025", "--workers", "1", "-v0")
    serial = sorted(site.query(values))
    assert len(serial) > 10_000
    site.pcmd("rebuild_values", "--year", "2025", "--workers", "3", "-v0")
    assert sorted(site.query(values)) == serial
    refused = site.pcmd("rebuild_values", "--workers", "0", check=False)
    assert refused.returncode != 0 and "Số luồng phải từ 1 đến 16" in refused.stderr
