"""`pcmd loadtest`: the mixed workload of pcmd.loadtest against a server this command starts.

Starts gunicorn (pcmd.config.wsgi, `--workers` workers, loopback only, this environment) and
`pcmd scheduler`, waits until the login page answers, runs Locust headless in a subprocess for
`--duration` seconds with `--users` simulated officers (1-3 s between pages), stops both, and
prints p50/p95/p99 per page, the request counts and the errors; the last line is one JSON
object. Refused on anything but loopback, outside demo mode (PCMD_DEMO=1) and on a database
without demo or synthetic data. The run writes: awareness events by the load-test accounts
(user "loadtest-…", topic "… (kiểm thử tải)"), and those accounts (demo accounts, deactivated
after each run). Needs the `load` extra (`pip install -e '.[load]'`).
The work: pcmd.loadtest.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from pcmd.loadtest import runner
from pcmd.loadtest.stats import LoadResult, StatsUnreadable, stats_read
from pcmd.loadtest.workload import skipped_entries

MAX_USERS = 1000
MAX_DURATION = 3600


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _ms(value: int | None) -> str:
    return "—" if value is None else str(value)


class Command(BaseCommand):
    help = _(
        "Đo tải: chạy máy chủ ứng dụng trên địa chỉ vòng lặp và Locust với nhiều người dùng "
        "đồng thời (trang chủ, danh sách, ghi hồ sơ), in p50/p95/p99 từng trang và số lỗi. "
        "Chỉ trên dữ liệu trình diễn hoặc tổng hợp."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50, help=_("Số người dùng đồng thời."))
        parser.add_argument(
            "--spawn-rate",
            type=float,
            default=5.0,
            help=_("Số người dùng bắt đầu mỗi giây."),
        )
        parser.add_argument(
            "--duration", type=int, default=60, help=_("Thời gian chạy Locust (giây).")
        )
        parser.add_argument("--workers", type=int, default=3, help=_("Số tiến trình gunicorn."))
        parser.add_argument(
            "--host", default="127.0.0.1", help=_("Địa chỉ vòng lặp máy chủ lắng nghe.")
        )
        parser.add_argument(
            "--port", type=int, default=0, help=_("Cổng (mặc định: một cổng trống).")
        )
        parser.add_argument(
            "--provinces",
            type=int,
            default=2,
            help=_("Số tỉnh có tài khoản kiểm thử (mỗi tỉnh và vài xã của tỉnh)."),
        )
        parser.add_argument(
            "--communes", type=int, default=3, help=_("Số xã mỗi tỉnh có tài khoản kiểm thử.")
        )
        parser.add_argument(
            "--steady",
            action="store_true",
            help=_(
                "Tính lại số liệu từ lúc mọi người dùng đã khởi động (Locust --reset-stats); "
                "lần đăng nhập nào chưa xong lúc đó vẫn được tính."
            ),
        )
        parser.add_argument(
            "--login-each",
            action="store_true",
            help=_(
                "Mỗi người dùng mô phỏng tự đăng nhập (mặc định: mỗi tài khoản đăng nhập một "
                "lần, các người dùng cùng tài khoản dùng chung phiên)."
            ),
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help=_("Không chạy pcmd scheduler cùng máy chủ."),
        )

    def check_options(self, options: dict[str, Any]) -> None:
        """CommandError with a Vietnamese message for any argument out of bounds."""
        if not 1 <= options["users"] <= MAX_USERS:
            raise CommandError(_("--users phải từ 1 đến %(n)d.") % {"n": MAX_USERS})
        if not 1 <= options["duration"] <= MAX_DURATION:
            raise CommandError(_("--duration phải từ 1 đến %(n)d giây.") % {"n": MAX_DURATION})
        if options["spawn_rate"] <= 0:
            raise CommandError(_("--spawn-rate phải lớn hơn 0."))
        if not 1 <= options["workers"] <= 32:
            raise CommandError(_("--workers phải từ 1 đến 32."))
        if not 0 <= options["port"] <= 65535:
            raise CommandError(_("--port phải từ 0 đến 65535."))
        if options["provinces"] < 1 or options["communes"] < 1:
            raise CommandError(_("--provinces và --communes phải từ 1 trở lên."))
        refusal = runner.host_refusal(options["host"])
        if refusal:
            raise CommandError(refusal)

    def handle(self, *args: Any, **options: Any) -> None:
        self.check_options(options)
        refusal = runner.database_refusal()
        if refusal:
            raise CommandError(refusal)
        locust = runner.locust_executable()
        if locust is None:
            raise CommandError(
                _("Chưa cài Locust: pip install -e '.[load]' (phần phụ thêm “load”).")
            )
        password = secrets.token_urlsafe(24)
        try:
            accounts = runner.loadtest_accounts_ensure(
                password=password,
                provinces=options["provinces"],
                communes_per_province=options["communes"],
            )
        except runner.LoadTestRefused as exc:
            raise CommandError(str(exc)) from exc
        host = options["host"]
        port = options["port"] or runner.free_port(host)
        url = runner.base_url(host, port)
        load_before = os.getloadavg()
        try:
            with tempfile.TemporaryDirectory(prefix="pcmd-loadtest-") as tmp:
                result = self._run(options, accounts, password, url, port, Path(tmp))
        finally:
            runner.loadtest_accounts_close(usernames=[a["username"] for a in accounts])
        self._print(result, options, accounts, load_before)

    def _run(
        self, options: dict[str, Any], accounts: list[dict[str, Any]], password: str,
        url: str, port: int, tmp: Path,
    ) -> LoadResult:  # fmt: skip
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pcmd.config.settings", "PCMD_DEMO": "1"}
        log = tmp / "server.log"
        server = runner.server_start(
            host=options["host"], port=port, workers=options["workers"], env=env, log=log
        )
        scheduler = None if options["no_scheduler"] else runner.scheduler_start(env=env, log=log)
        try:
            if not runner.server_wait(f"{url}/accounts/login/", server):
                raise CommandError(
                    _("Máy chủ ứng dụng không trả lời. Nhật ký:\n%(log)s")
                    % {"log": log.read_text(errors="replace")[-4000:]}
                )
            runner.server_warm(f"{url}/accounts/login/", requests=4 * options["workers"])
            self.stdout.write(
                _("Máy chủ %(url)s sẵn sàng; Locust: %(u)d người dùng, %(d)d giây.")
                % {"url": url, "u": options["users"], "d": options["duration"]}
            )
            command = runner.locust_command(
                locust=runner.locust_executable() or "locust",
                url=url,
                users=options["users"],
                spawn_rate=options["spawn_rate"],
                duration=options["duration"],
                csv_prefix=tmp / "stats",
                steady=options["steady"],
            )
            locust_env = {
                **os.environ,
                "PCMD_LOADTEST_ACCOUNTS": json.dumps(accounts),
                "PCMD_LOADTEST_PASSWORD": password,
                "PCMD_LOADTEST_LOGIN_EACH": "1" if options["login_each"] else "",
            }
            cpu_before = runner.group_cpu_seconds(server.pid)
            done = runner.run_bounded(command, env=locust_env, timeout=options["duration"] + 60)
            cpu_after = runner.group_cpu_seconds(server.pid)
            try:
                result = stats_read(tmp / "stats")
            except StatsUnreadable as exc:
                raise CommandError(f"{exc}\n{done.output[-4000:]}") from exc
            if cpu_before is not None and cpu_after is not None:
                result.server_cpu_s = cpu_after - cpu_before
            return result
        finally:
            if scheduler is not None:
                runner.process_stop(scheduler)
            runner.process_stop(server)

    def _print(
        self, result: LoadResult, options: dict[str, Any], accounts: list[dict[str, Any]],
        load_before: tuple[float, float, float],
    ) -> None:  # fmt: skip
        width = max([len(p.name) for p in result.pages] + [12])
        self.stdout.write(
            f"{_('trang'):<{width}}  {_('yêu cầu'):>8}  {_('lỗi'):>5}  "
            f"{'p50':>6}  {'p95':>6}  {'p99':>6}  (ms)"
        )
        for p in [*result.pages, result.total]:
            name = _("Tổng") if p is result.total else p.name
            line = (
                f"{name:<{width}}  {p.requests:>8}  {p.failures:>5}  "
                f"{_ms(p.p50_ms):>6}  {_ms(p.p95_ms):>6}  {_ms(p.p99_ms):>6}"
            )
            self.stdout.write(self.style.SUCCESS(line) if p is result.total else line)
        per_request = result.cpu_ms_per_request()
        if per_request is not None:
            self.stdout.write(
                _("CPU của máy chủ ứng dụng: %(ms).1f ms mỗi yêu cầu.") % {"ms": per_request}
            )
        for entry in skipped_entries():
            self.stdout.write(_("Bỏ qua “%(n)s”: %(why)s.") % {"n": entry.name, "why": entry.note})
        for f in result.failures:
            self.stdout.write(
                self.style.ERROR(f"{_('Lỗi')} {f.method} {f.name}: {f.error} × {f.occurrences}")
            )
        summary = {
            "users": options["users"],
            "duration_s": options["duration"],
            "spawn_rate": options["spawn_rate"],
            "steady": options["steady"],
            "login_each": options["login_each"],
            "workers": options["workers"],
            "accounts": len(accounts),
            "engine": connection.vendor,
            "debug": settings.DEBUG,
            "cpus": os.cpu_count(),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "server_cpu_s": _round(result.server_cpu_s, 1),
            "server_cpu_ms_per_request": _round(result.cpu_ms_per_request(), 1),
            **result.as_json(),
            "skipped": [e.name for e in skipped_entries()],
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
