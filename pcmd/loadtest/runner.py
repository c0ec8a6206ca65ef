"""What `pcmd loadtest` does around Locust: refuse, set up accounts, serve, run, stop.

Owns: LoadTestRefused, LOAD_ROLES, host_refusal(), database_refusal(), loadtest_accounts_ensure(),
loadtest_accounts_close(), free_port(), server_start(), scheduler_start(), server_wait(),
server_warm(), group_cpu_seconds(), process_stop(), locust_command(), locust_executable(),
run_bounded().
Invariants:
- only loopback: the server binds a loopback address and Locust talks to it; a database on
  another host is refused too (a remote database is someone's real one);
- only a demo or synthetic database, with PCMD_DEMO on: the database holds the marks of
  `pcmd demo` (demo users) or `pcmd synth` (its user and villages). The load-test accounts are
  demo accounts (is_demo), so they cannot log in at all outside demo mode, and get a fresh
  random password every run (passed to Locust in its environment, never printed or stored);
- the load-test roles need no second factor (ROLES_REQUIRING_2FA), so Locust logs in with the
  plain login form.
Not here: the workload (workload.py), the Locust user (locustfile.py), the CSV (stats.py).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.accounts.permissions import CAPABILITIES, ROLES_REQUIRING_2FA
from pcmd.demo.synth import synth_exists
from pcmd.orgunits.models import OrgUnit, OrgUnitLink
from pcmd.plans.models import Plan

LOAD_ROLES = ("coordinator", "data_entry", "inspector")
USERNAME_PREFIX = "loadtest-"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
assert not set(LOAD_ROLES) & ROLES_REQUIRING_2FA


class LoadTestRefused(Exception):
    """The run would not be against loopback, or not against a demo/synthetic database."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_refusal(host: str) -> str | None:
    """Why the server may not bind `host` (None: it may)."""
    if not _is_loopback(host):
        return _(
            "pcmd loadtest chỉ chạy trên địa chỉ vòng lặp (127.0.0.1, ::1, localhost), "
            "không chạy với “%(host)s”."
        ) % {"host": host}
    return None


def database_refusal() -> str | None:
    """Why the current database may not be load-tested (None: it may)."""
    db_host = str(connection.settings_dict.get("HOST") or "")
    if db_host and not db_host.startswith("/") and not _is_loopback(db_host):
        return _(
            "Cơ sở dữ liệu ở máy “%(host)s”, không phải máy này: pcmd loadtest chỉ chạy với cơ "
            "sở dữ liệu trên máy này."
        ) % {"host": db_host}
    if not settings.DEMO_MODE:
        return _(
            "pcmd loadtest chỉ chạy ở chế độ trình diễn (PCMD_DEMO=1), trên cơ sở dữ liệu "
            "trình diễn hoặc tổng hợp, không bao giờ trên dữ liệu thật."
        )
    if not (synth_exists() or User.objects.filter(is_demo=True).exclude(
        username__startswith=USERNAME_PREFIX
    ).exists()):  # fmt: skip
        return _(
            "Cơ sở dữ liệu không có dữ liệu trình diễn (pcmd demo) hay dữ liệu tổng hợp "
            "(pcmd synth): pcmd loadtest không chạy trên dữ liệu thật."
        )
    return None


def _current_children(parent_ids: Any, level: str) -> Any:
    return OrgUnitLink.objects.filter(
        parent_id__in=parent_ids,
        valid_to__isnull=True,
        child__level=level,
        child__valid_to__isnull=True,
    )


def _units(provinces: int, communes_per_province: int) -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """Today's provinces and communes that hold villages (where demo or synth put records)."""
    with_villages = (
        OrgUnitLink.objects.filter(
            valid_to__isnull=True,
            child__level=OrgUnit.Level.VILLAGE,
            parent__level=OrgUnit.Level.COMMUNE,
            parent__valid_to__isnull=True,
        )
        .values("parent_id")
        .distinct()
    )
    links = (
        OrgUnitLink.objects.filter(
            child_id__in=with_villages,
            valid_to__isnull=True,
            parent__level=OrgUnit.Level.PROVINCE,
            parent__valid_to__isnull=True,
        )
        .select_related("parent", "child")
        .order_by("parent_id", "child_id")
    )
    chosen: dict[int, tuple[OrgUnit, list[OrgUnit]]] = {}
    for link in links:
        if link.parent_id not in chosen:
            if len(chosen) == provinces:
                continue
            chosen[link.parent_id] = (link.parent, [])
        communes = chosen[link.parent_id][1]
        if len(communes) < communes_per_province:
            communes.append(link.child)
    return list(chosen.values())


def _plan_of(unit: OrgUnit) -> int | None:
    return (
        Plan.objects.filter(org_unit=unit)
        .order_by("-period_start", "-id")
        .values_list("pk", flat=True)
        .first()
    )


def _report_of(unit: OrgUnit) -> int:
    """The unit's report of the last six months (a draft made for the run if it has none): the
    page and the DOCX that the report rows of the workload render."""
    from pcmd.common.periods import period_containing
    from pcmd.reports.models import Report
    from pcmd.reports.services import report_create

    period = period_containing(date.today(), "half").last_year()
    found = (
        Report.objects.filter(org_unit=unit, period=period.id).values_list("pk", flat=True).first()
    )
    if found is not None:
        return int(found)
    return report_create(acting_user=None, unit=unit, period=period.id).pk


@transaction.atomic
def loadtest_accounts_ensure(
    *, password: str, provinces: int = 2, communes_per_province: int = 3
) -> list[dict[str, Any]]:
    """Create or reuse one account per load-test role in each chosen province and commune.

    Every account gets `password` (a fresh random one each run). Returns what the Locust file
    needs per account: username, role, capabilities, params (plan, commune).
    LoadTestRefused when the hierarchy holds no commune with villages.
    """
    refusal = database_refusal()
    if refusal:
        raise LoadTestRefused(refusal)
    units = _units(provinces, communes_per_province)
    if not units:
        raise LoadTestRefused(
            _("Không có xã nào có thôn: chạy pcmd load_orgunits rồi pcmd demo hoặc pcmd synth.")
        )
    accounts: list[dict[str, Any]] = []
    for province, communes in units:
        for unit in [province, *communes]:
            commune = unit if unit.level == OrgUnit.Level.COMMUNE else communes[0]
            params: dict[str, Any] = {"commune": commune.pk}
            plan = _plan_of(unit)
            if plan is not None:
                params["plan"] = plan
            params["report"] = _report_of(unit)
            for role in LOAD_ROLES:
                user = _account(unit=unit, role=role, password=password)
                accounts.append(
                    {
                        "username": user.username,
                        "role": role,
                        "capabilities": sorted(CAPABILITIES[role]),
                        "params": params,
                    }
                )
    return accounts


def _account(*, unit: OrgUnit, role: str, password: str) -> User:
    username = f"{USERNAME_PREFIX}{role.replace('_', '-')}-{unit.code or unit.pk}"
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(
            username=username,
            role=role,
            org_unit=unit,
            is_demo=True,
            is_active=True,
            last_name="Kiểm thử",
            first_name="tải",
        )
    elif not (user.is_demo and user.role == role and user.org_unit_id == unit.pk):
        raise LoadTestRefused(
            _("Tài khoản “%(u)s” đã có nhưng không phải tài khoản kiểm thử tải.") % {"u": username}
        )
    user.set_password(password)
    user.is_active = True
    user.save()
    audit_record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=user,
        org_unit=unit,
        detail={"source": "pcmd loadtest"},
    )
    return user


def free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def base_url(host: str, port: int) -> str:
    return f"http://{_url_host(host)}:{port}"


def server_start(
    *, host: str, port: int, workers: int, env: Mapping[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """gunicorn pcmd.config.wsgi on host:port (the environment passed through), logging to log."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "pcmd.config.wsgi",
        "--bind",
        f"{_url_host(host)}:{port}",
        "--workers",
        str(workers),
    ]
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
            command, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def scheduler_start(*, env: Mapping[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`pcmd scheduler`: what refreshes the stored values the workload's writes mark stale."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pcmd", "scheduler"],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def server_wait(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> bool:
    """True once `url` answers 200; False if the process died or `timeout` passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 (loopback only)
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    return False


def server_warm(url: str, requests: int) -> None:
    """A few sequential requests, so that each worker has loaded its templates and URLs before
    Locust measures anything (the first page of a cold worker took seconds)."""
    for _i in range(requests):
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 (loopback only)
                resp.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return


def group_cpu_seconds(pgid: int, proc: Path = Path("/proc")) -> float | None:
    """CPU time (user + system) of the live processes of group `pgid`: gunicorn's master and
    workers. None where there is no /proc (not Linux). Unlike response times, it hardly moves
    with what else the machine runs, so it is the figure to compare between runs."""
    if not proc.is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        # After "pid (comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt
        # cmajflt utime stime ...
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def process_stop(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """SIGTERM the process's own group (gunicorn and its workers), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)
    except ProcessLookupError:
        pass


def locust_executable() -> str | None:
    beside = Path(sys.executable).with_name("locust")
    if beside.exists():
        return str(beside)
    return shutil.which("locust")


def locust_command(
    *, locust: str, url: str, users: int, spawn_rate: float, duration: int, csv_prefix: Path,
    steady: bool = False,
) -> Sequence[str]:  # fmt: skip
    command = [
        locust,
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        f"{spawn_rate:g}",
        "--run-time",
        f"{duration}s",
        "--host",
        url,
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    if steady:
        command.append("--reset-stats")
    return command


@dataclass(frozen=True)
class Finished:
    returncode: int
    output: str


def run_bounded(command: Sequence[str], *, env: Mapping[str, str], timeout: float) -> Finished:
    """Run `command` to its end, killed (its whole group) if it outlives `timeout` seconds."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(  # noqa: S603 (the locust command built here)
            list(command),
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process_stop(process, timeout=10)
        except BaseException:  # Ctrl-C: its own session would outlive us
            process_stop(process, timeout=10)
            raise
        out.seek(0)
        return Finished(process.returncode, out.read().decode(errors="replace"))


@transaction.atomic
def loadtest_accounts_close(*, usernames: Sequence[str]) -> int:
    """Deactivate the load-test accounts after a run (their random password is gone anyway)."""
    users = list(
        User.objects.filter(
            username__in=usernames,
            username__startswith=USERNAME_PREFIX,
            is_demo=True,
            is_active=True,
        )
    )
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditEvent.Action.UPDATE,
            obj=user,
            org_unit=user.org_unit_id and user.org_unit,
            detail={"source": "pcmd loadtest", "is_active": False},
        )
    return len(users)
