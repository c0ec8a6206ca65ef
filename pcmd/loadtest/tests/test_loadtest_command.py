"""`pcmd loadtest`: argument checks, refusals, and the printed figures (Locust and the server
replaced by fakes that write Locust's CSV files, so no process is started and no time is spent).
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from pcmd.accounts.models import User
from pcmd.loadtest import runner
from pcmd.loadtest.tests.test_runner import _demo_user, _village
from pcmd.loadtest.tests.test_stats import FAILURES, STATS
from pcmd.orgunits.tests.factories import unit


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"users": 0}, "--users"),
        ({"users": 100_000}, "--users"),
        ({"duration": 0}, "--duration"),
        ({"duration": 86_400}, "--duration"),
        ({"spawn_rate": 0}, "--spawn-rate"),
        ({"workers": 0}, "--workers"),
        ({"port": 70_000}, "--port"),
        ({"communes": 0}, "--communes"),
        ({"host": "0.0.0.0"}, "vòng lặp"),
        ({"host": "203.0.113.7"}, "203.0.113.7"),
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(
    options: dict[str, Any], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(**kw: Any) -> None:
        raise AssertionError("no server may start")

    monkeypatch.setattr(runner, "server_start", never)
    with pytest.raises(CommandError, match=message):
        call_command("loadtest", **options)


@pytest.mark.django_db
@override_settings(DEMO_MODE=False)
def test_refused_outside_demo_mode() -> None:
    _demo_user()
    with pytest.raises(CommandError, match="PCMD_DEMO=1"):
        call_command("loadtest", duration=5)
    assert not User.objects.filter(username__startswith="loadtest-").exists()


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_refused_on_a_production_like_database() -> None:
    User.objects.create(username="canbo", role="coordinator", org_unit=unit("15880"))
    with pytest.raises(CommandError, match="dữ liệu thật"):
        call_command("loadtest", duration=5)
    assert not User.objects.filter(username__startswith="loadtest-").exists()


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_without_locust_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _demo_user()
    monkeypatch.setattr(runner, "locust_executable", lambda: None)
    with pytest.raises(CommandError, match=r"\[load\]"):
        call_command("loadtest", duration=5)


class _Process:
    pid = 4242

    def poll(self) -> None:
        return None


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_a_run_prints_each_page_and_ends_with_one_json_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _demo_user()
    _village(unit("15880"), "Thôn Thử 1")
    seen: dict[str, Any] = {"stopped": 0}

    def server_start(**kw: Any) -> _Process:
        seen["server"] = kw
        return _Process()

    def run_bounded(command: list[str], *, env: dict[str, str], timeout: float) -> Any:
        seen["command"], seen["env"], seen["timeout"] = command, env, timeout
        prefix = command[command.index("--csv") + 1]
        Path(f"{prefix}_stats.csv").write_text(STATS, encoding="utf-8")
        Path(f"{prefix}_failures.csv").write_text(FAILURES, encoding="utf-8")
        return runner.Finished(1, "")

    def process_stop(process: Any, timeout: float = 0) -> None:
        seen["stopped"] += 1

    monkeypatch.setattr(runner, "locust_executable", lambda: "/fake/locust")
    monkeypatch.setattr(runner, "server_start", server_start)
    monkeypatch.setattr(runner, "scheduler_start", lambda **kw: _Process())
    monkeypatch.setattr(runner, "server_wait", lambda url, process: True)
    monkeypatch.setattr(runner, "server_warm", lambda url, requests: None)
    cpu = iter([10.0, 14.73])  # the server's CPU seconds before and after Locust
    monkeypatch.setattr(runner, "group_cpu_seconds", lambda pgid: next(cpu))
    monkeypatch.setattr(runner, "run_bounded", run_bounded)
    monkeypatch.setattr(runner, "process_stop", process_stop)
    out = StringIO()
    call_command("loadtest", users=7, duration=12, port=5999, stdout=out)

    assert seen["server"]["host"] == "127.0.0.1" and seen["server"]["port"] == 5999
    assert seen["server"]["workers"] == 3
    assert seen["server"]["env"]["PCMD_DEMO"] == "1"
    assert "PCMD_LOADTEST_PASSWORD" not in seen["server"]["env"]
    assert seen["stopped"] == 2  # the server and the scheduler
    assert "--users" in seen["command"] and "7" in seen["command"]
    assert "http://127.0.0.1:5999" in seen["command"]
    accounts = json.loads(seen["env"]["PCMD_LOADTEST_ACCOUNTS"])
    password = seen["env"]["PCMD_LOADTEST_PASSWORD"]
    assert len(password) >= 24
    assert seen["env"]["PCMD_LOADTEST_LOGIN_EACH"] == ""  # one login per account by default
    user = User.objects.get(username=accounts[0]["username"])
    assert user.check_password(password)
    assert not user.is_active  # closed after the run

    text = out.getvalue()
    lines = text.strip().splitlines()
    assert "trang chủ / bảng điều khiển" in text and "Bỏ qua" not in text
    assert "HTTP 422 × 2" in text
    assert password not in text
    summary = json.loads(lines[-1])
    assert summary["users"] == 7 and summary["duration_s"] == 12
    assert summary["errors"] == 2 and summary["requests"] == 473
    assert summary["pages"]["trang chủ / bảng điều khiển"]["p95_ms"] == 84
    assert summary["skipped"] == []
    assert all("report" in account["params"] for account in accounts)
    assert summary["accounts"] == len(accounts)
    assert summary["server_cpu_s"] == 4.7
    assert summary["server_cpu_ms_per_request"] == 10.0  # 4.73 s / 473 requests
    assert "10,0 ms" in text or "10.0 ms" in text
