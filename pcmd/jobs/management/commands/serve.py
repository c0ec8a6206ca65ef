"""`pcmd serve`: the web site and the background worker together, as one command.

Starts three child processes, `pcmd db_worker`, `pcmd runserver HOST:PORT` and `pcmd scheduler`
(which queues the scheduled jobs, pcmd.jobs.schedule), forwards SIGINT and SIGTERM to them, and
exits as soon as any of them exits (stopping the others), so a crashed worker never goes
unnoticed behind a live site.

runserver runs with --noreload by default: with the autoreloader, runserver restarts itself on a
code change while the worker would keep running the old code, and the reloader's extra process
layer makes signal forwarding less predictable. `--reload` turns autoreload on for both (handy
while developing). The children run in their own process group so that Ctrl-C reaches them once,
through us, and the worker finishes its current task instead of being killed twice over.
For production use gunicorn plus `pcmd db_worker` and `pcmd scheduler` under a process
supervisor.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = (
        "Chạy trang web (runserver) cùng tiến trình nền (db_worker); một bên dừng thì dừng cả hai."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Tự khởi động lại cả hai tiến trình khi mã nguồn thay đổi (khi phát triển).",
        )

    def handle(self, *args: Any, host: str, port: int, reload: bool, **options: Any) -> None:
        commands = self.commands(host=host, port=port, reload=reload)

        procs: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def forward(signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signum)

        # Our handlers go in before the children start: a handled signal is reset to its default
        # in a child at exec, whereas an ignored one (a shell's `cmd &` ignores SIGINT) would stay
        # ignored there and runserver would never stop.
        previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
        for name, cmd in commands.items():
            procs[name] = subprocess.Popen(cmd, process_group=0)  # noqa: S603
        self.stdout.write(
            f"PCMD: http://{host}:{port}/ (web pid {procs['web'].pid}, "
            f"worker pid {procs['worker'].pid}). Ctrl-C để dừng."
        )
        try:
            exited = self._wait_first(procs)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        code = procs[exited].returncode
        if not stopping:
            self.stderr.write(f"PCMD: tiến trình {exited} đã dừng (mã {code}); dừng phần còn lại.")
        # On our own signal the children already got it: give them time to finish cleanly
        # (the worker completes its current task) before anything harsher.
        self._stop_all(procs, already_signalled=stopping)
        if code not in (0, None) and not stopping:
            sys.exit(code if code > 0 else 1)

    @staticmethod
    def commands(*, host: str, port: int, reload: bool) -> dict[str, list[str]]:
        """The child command lines, by name (a separate method so tests can swap them)."""
        base = [sys.executable, "-m", "pcmd"]
        return {
            "worker": [
                *base,
                "db_worker",
                "--queue-name",
                "default",
                "--reload" if reload else "--no-reload",
            ],
            "web": [*base, "runserver", f"{host}:{port}", *([] if reload else ["--noreload"])],
            "scheduler": [*base, "scheduler"],
        }

    @staticmethod
    def _wait_first(procs: dict[str, subprocess.Popen[bytes]]) -> str:
        while True:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    return name
            time.sleep(0.3)

    @staticmethod
    def _stop_all(procs: dict[str, subprocess.Popen[bytes]], *, already_signalled: bool) -> None:
        if not already_signalled:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
        deadline = time.monotonic() + _GRACE_SECONDS * (6 if already_signalled else 1)
        for proc in procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
