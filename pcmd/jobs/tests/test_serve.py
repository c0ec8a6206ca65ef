"""`pcmd serve` stops everything when one of its two processes dies."""

from __future__ import annotations

import sys
import time

import pytest
from django.core.management import call_command

from pcmd.jobs.management.commands.serve import Command


def test_serve_exits_when_a_child_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_commands(**_: object) -> dict[str, list[str]]:
        return {
            "worker": [sys.executable, "-c", "import time; time.sleep(60)"],
            "web": [sys.executable, "-c", "raise SystemExit(3)"],
        }

    monkeypatch.setattr(Command, "commands", staticmethod(fake_commands))
    started = time.monotonic()
    with pytest.raises(SystemExit) as exc:
        call_command("serve", "--port", "8999")
    assert exc.value.code == 3
    assert time.monotonic() - started < 15


def test_real_command_lines() -> None:
    cmds = Command.commands(host="127.0.0.1", port=8011, reload=False)
    assert cmds["worker"][1:] == [
        "-m",
        "pcmd",
        "db_worker",
        "--queue-name",
        "default",
        "--no-reload",
    ]
    assert cmds["web"][1:] == ["-m", "pcmd", "runserver", "127.0.0.1:8011", "--noreload"]
    assert cmds["scheduler"][1:] == ["-m", "pcmd", "scheduler"]
