"""A pause point for the fault tests: stop a process right after a given SQL statement.

Owns: install_from_env(), PAUSE_SQL_VAR, PAUSE_COUNT_VAR, PAUSED_MARKER.
Entry points: the environment of a process started by a test. With PCMD_FAULT_PAUSE_SQL=REGEX
(and optionally PCMD_FAULT_PAUSE_COUNT=N, default 1), the N-th statement whose SQL matches
REGEX runs, then the process writes PAUSED_MARKER to stderr and waits, so that the test can send
it SIGKILL at a known point, usually inside an open transaction. The regex is matched against
the statement text only (never parameters).
Invariants: without the variable nothing is installed and no statement is touched; it is read
once at start-up (OpsConfig.ready), so only whoever sets a process's environment can use it.
A paused process exits by itself after PAUSE_LIMIT_SECONDS, so an aborted test leaves nothing.
Not here: the tests (pcmd/ops/tests/test_faults.py).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from typing import Any

from django.db.backends.signals import connection_created

PAUSE_SQL_VAR = "PCMD_FAULT_PAUSE_SQL"
PAUSE_COUNT_VAR = "PCMD_FAULT_PAUSE_COUNT"
PAUSED_MARKER = "PCMD-FAULT-PAUSED"
PAUSE_LIMIT_SECONDS = 120


class _Pause:
    def __init__(self, pattern: str, count: int) -> None:
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.count = max(1, count)
        self.seen = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if self.pattern.search(str(sql)):
            self.seen += 1
            if self.seen == self.count:
                sys.stderr.write(f"\n{PAUSED_MARKER} pid={os.getpid()}\n")
                sys.stderr.flush()
                threading.Event().wait(PAUSE_LIMIT_SECONDS)
                os._exit(3)
        return result


def install_from_env() -> None:
    pattern = os.environ.get(PAUSE_SQL_VAR)
    if not pattern:
        return
    pause = _Pause(pattern, int(os.environ.get(PAUSE_COUNT_VAR) or 1))

    def attach(sender: Any, connection: Any, **kwargs: Any) -> None:
        if pause not in connection.execute_wrappers:
            connection.execute_wrappers.append(pause)

    connection_created.connect(attach, weak=False)
