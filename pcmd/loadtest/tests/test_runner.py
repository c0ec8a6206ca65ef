"""pcmd.loadtest.runner: the refusals, the load-test accounts and the Locust command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import ROLES_REQUIRING_2FA
from pcmd.demo.synth import SYNTH_USERNAME
from pcmd.loadtest import runner
from pcmd.loadtest.runner import (
    LOAD_ROLES,
    LoadTestRefused,
    database_refusal,
    host_refusal,
    loadtest_accounts_close,
    loadtest_accounts_ensure,
)
from pcmd.orgunits.models import OrgUnit, OrgUnitLink
from pcmd.orgunits.tests.factories import unit
from pcmd.reports.models import Report


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_are_accepted(host: str) -> None:
    assert host_refusal(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.5", "192.168.1.2", "example.gov.vn", "::"])
def test_other_hosts_are_refused(host: str) -> None:
    message = host_refusal(host)
    assert message is not None and "vòng lặp" in message and host in message


def _demo_user() -> User:
    return User.objects.create(username="hoanghop", role="coordinator", is_demo=True,
                               org_unit=unit("15880"))  # fmt: skip


@pytest.mark.django_db
@override_settings(DEMO_MODE=False)
def test_refused_outside_demo_mode_even_on_demo_data() -> None:
    _demo_user()
    assert "PCMD_DEMO=1" in (database_refusal() or "")


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_refused_on_a_database_without_demo_or_synthetic_data() -> None:
    User.objects.create(username="canbo", role="coordinator", org_unit=unit("15880"))
    # Load-test accounts left by an earlier run do not make a database a demo one.
    User.objects.create(username="loadtest-inspector-15880", role="inspector", is_demo=True)
    assert "dữ liệu thật" in (database_refusal() or "")


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_accepted_on_demo_data_and_on_synthetic_data() -> None:
    _demo_user()
    assert database_refusal() is None
    User.objects.all().delete()
    User.objects.create(username=SYNTH_USERNAME, role="data_entry", is_active=False)
    assert database_refusal() is None


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_refused_on_a_database_of_another_host(monkeypatch: pytest.MonkeyPatch) -> None:
    _demo_user()
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.example.gov.vn")
    assert "db.example.gov.vn" in (database_refusal() or "")


def _village(commune: OrgUnit, name: str) -> OrgUnit:
    village = OrgUnit.objects.create(
        level=OrgUnit.Level.VILLAGE, kind=OrgUnit.Kind.VILLAGE, name=name, short_name=name,
        natural_key=f"test:{commune.pk}:{name}", source="test",
    )  # fmt: skip
    OrgUnitLink.objects.create(child=village, parent=commune)
    return village


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_accounts_cover_the_province_and_its_communes_with_villages() -> None:
    _demo_user()
    giang = unit("15880")
    _village(giang, "Thôn Thử 1")
    accounts = loadtest_accounts_ensure(password="bi-mat-ngau-nhien", provinces=2)
    users = {u.username: u for u in User.objects.filter(username__startswith="loadtest-")}
    assert len(accounts) == len(users) == 2 * len(LOAD_ROLES)  # Tỉnh Thanh Hóa and the commune
    assert {a["role"] for a in accounts} == set(LOAD_ROLES)
    assert not set(LOAD_ROLES) & ROLES_REQUIRING_2FA
    units = {u.org_unit.code for u in users.values()}
    assert units == {"38", "15880"}
    for user in users.values():
        assert user.is_demo and user.is_active and user.check_password("bi-mat-ngau-nhien")
    for account in accounts:
        assert account["params"]["commune"] == giang.pk  # province users record in a commune
        assert "plan" not in account["params"]  # no plan in this database
    created = AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="accounts.user",
        object_id__in=[str(u.pk) for u in users.values()],
    )  # fmt: skip
    assert created.count() == len(users)
    # Each unit's six-month report is rendered by the workload: a draft is made where none is.
    reports = {a["params"]["report"] for a in accounts}
    assert Report.objects.filter(pk__in=reports).count() == 2


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_accounts_are_reused_with_a_new_password_and_closed_after_the_run() -> None:
    _demo_user()
    _village(unit("15880"), "Thôn Thử 1")
    first = loadtest_accounts_ensure(password="mot", provinces=1, communes_per_province=1)
    loadtest_accounts_close(usernames=[a["username"] for a in first])
    assert not User.objects.filter(username__startswith="loadtest-", is_active=True).exists()
    second = loadtest_accounts_ensure(password="hai", provinces=1, communes_per_province=1)
    assert [a["username"] for a in second] == [a["username"] for a in first]
    user = User.objects.get(username=second[0]["username"])
    assert user.is_active and user.check_password("hai") and not user.check_password("mot")


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_a_real_account_with_a_load_test_name_is_never_taken_over() -> None:
    _demo_user()
    _village(unit("15880"), "Thôn Thử 1")
    User.objects.create(username="loadtest-coordinator-38", role="coordinator", org_unit=unit("38"))
    with pytest.raises(LoadTestRefused, match="không phải tài khoản kiểm thử"):
        loadtest_accounts_ensure(password="x", provinces=1)
    assert not User.objects.filter(username="loadtest-coordinator-15880").exists()  # atomic


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_no_commune_with_villages_is_refused() -> None:
    _demo_user()
    OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE).delete()
    with pytest.raises(LoadTestRefused, match="Không có xã nào có thôn"):
        loadtest_accounts_ensure(password="x")


def test_locust_command_is_headless_bounded_and_writes_csv(tmp_path: Path) -> None:
    command = runner.locust_command(
        locust="/venv/bin/locust", url="http://127.0.0.1:5999", users=50, spawn_rate=5,
        duration=60, csv_prefix=tmp_path / "stats",
    )  # fmt: skip
    joined = " ".join(command)
    assert command[0] == "/venv/bin/locust"
    assert f"-f {runner.LOCUSTFILE}" in joined and runner.LOCUSTFILE.exists()
    for part in (
        "--headless",
        "--users 50",
        "--spawn-rate 5",
        "--run-time 60s",
        "--host http://127.0.0.1:5999",
        f"--csv {tmp_path / 'stats'}",
        "--only-summary",
    ):
        assert part in joined  # fmt: skip
    assert "--reset-stats" not in command
    assert "--reset-stats" in runner.locust_command(
        locust="l", url="u", users=1, spawn_rate=1, duration=1, csv_prefix=tmp_path, steady=True
    )


def test_ipv6_loopback_urls_are_bracketed() -> None:
    assert runner.base_url("::1", 8000) == "http://[::1]:8000"
    assert runner.base_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"


def _stat(proc: Path, pid: int, comm: str, pgrp: int, utime: int, stime: int) -> None:
    (proc / str(pid)).mkdir()
    rest = ["S", "1", str(pgrp), str(pgrp), "0", "-1", "0", "0", "0", "0", "0", str(utime),
            str(stime), "0", "0", "20", "0"]  # fmt: skip
    (proc / str(pid) / "stat").write_text(f"{pid} ({comm}) {' '.join(rest)}\n")


def test_group_cpu_time_sums_the_server_group_only(tmp_path: Path) -> None:
    ticks = os.sysconf("SC_CLK_TCK")
    _stat(tmp_path, 100, "gunicorn: master", 100, 2 * ticks, ticks)
    _stat(tmp_path, 101, "gunicorn: worker (a) b", 100, 5 * ticks, 2 * ticks)  # ") " in comm
    _stat(tmp_path, 200, "postgres", 200, 50 * ticks, 0)
    assert runner.group_cpu_seconds(100, proc=tmp_path) == pytest.approx(10.0)
    assert runner.group_cpu_seconds(100, proc=tmp_path / "none") is None


def test_a_bounded_run_returns_its_output_and_code() -> None:
    done = runner.run_bounded(
        [sys.executable, "-c", "print('xin chào'); raise SystemExit(3)"],
        env=dict(os.environ), timeout=60,
    )  # fmt: skip
    assert done.returncode == 3 and "xin chào" in done.output


def test_a_run_past_its_bound_is_stopped() -> None:
    done = runner.run_bounded(
        [sys.executable, "-c", "import time; time.sleep(60)"], env=dict(os.environ), timeout=0.5
    )
    assert done.returncode != 0
