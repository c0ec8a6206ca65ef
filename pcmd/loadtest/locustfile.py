"""The Locust file `pcmd loadtest` runs (`locust -f` in a subprocess, never imported by Django).

Owns: Officer, the simulated user: logs in through the login form (its CSRF token), then picks
an entry of pcmd.loadtest.workload.WORKLOAD at random by weight, waiting 1-3 s between pages.
Reads from the environment (set by the command): PCMD_LOADTEST_ACCOUNTS (JSON list of
{"username", "role", "capabilities", "params"}), PCMD_LOADTEST_PASSWORD, and
PCMD_LOADTEST_LOGIN_EACH ("1": every simulated user logs in through the form; otherwise the
first user of each account does and the others share its session, as an officer's several tabs
do — a password hash costs about as much CPU as ten pages, and 50 logins at once would measure
the hash, not the pages).
Invariants: no redirect is followed, so a page that sends the user back to the login form is a
failure, not a fast page; a record-entry POST succeeds only with its 302 to the new record.
Not here: the accounts, the server, the statistics (runner.py, stats.py).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date
from typing import Any

from gevent.event import Event
from locust import HttpUser, between, task

from pcmd.loadtest.workload import FORM, LOGIN, Entry, eligible_entries, entry_path

ACCOUNTS: list[dict[str, Any]] = json.loads(os.environ.get("PCMD_LOADTEST_ACCOUNTS", "[]"))
PASSWORD = os.environ.get("PCMD_LOADTEST_PASSWORD", "")
LOGIN_EACH = os.environ.get("PCMD_LOADTEST_LOGIN_EACH", "") == "1"
_sessions: dict[str, tuple[Event, dict[str, str]]] = {}  # username -> (logged in, cookies)
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_account = itertools.count()


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    return match[1] if match else ""


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        if not ACCOUNTS:
            raise RuntimeError("PCMD_LOADTEST_ACCOUNTS is empty")
        self.account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.entries = eligible_entries(self.account)
        self.weights = [e.weight for e in self.entries]
        username = self.account["username"]
        if LOGIN_EACH:
            self.login()
        elif username in _sessions:
            done, cookies = _sessions[username]
            done.wait()
            for name, value in cookies.items():
                self.client.cookies.set(name, value)
        else:
            done, cookies = _sessions[username] = (Event(), {})
            try:
                self.login()
                cookies.update(
                    {k: v for k, v in self.client.cookies.get_dict().items() if v is not None}
                )
            finally:
                done.set()

    def login(self) -> None:
        form = self.client.get(LOGIN, name="đăng nhập (biểu mẫu)", allow_redirects=False)
        data = {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "username": self.account["username"],
            "password": PASSWORD,
            "otp": "",
        }
        with self.client.post(
            LOGIN, data=data, name="đăng nhập", allow_redirects=False, catch_response=True
        ) as resp:
            if resp.status_code != 302 or LOGIN in resp.headers.get("Location", ""):
                resp.failure(f"đăng nhập không thành công: HTTP {resp.status_code}")

    @task
    def visit(self) -> None:
        entry = random.choices(self.entries, self.weights)[0]  # noqa: S311 (a workload mix)
        if entry.kind == FORM:
            self.submit(entry)
        else:
            self.page(entry)

    def page(self, entry: Entry) -> None:
        with self.client.get(
            entry_path(entry, self.account), name=entry.name, allow_redirects=False,
            catch_response=True,
        ) as resp:  # fmt: skip
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code} {resp.headers.get('Location', '')}")

    def submit(self, entry: Entry) -> None:
        path = entry_path(entry, self.account)
        form = self.client.get(path, name=f"{entry.name} (biểu mẫu)", allow_redirects=False)
        params = self.account.get("params", {})
        data = {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "date": date.today().isoformat(),
            "commune": params.get("commune", ""),
            "form": "meeting",
            "topic": "Họp dân tuyên truyền phòng, chống mại dâm (kiểm thử tải)",
            "participants": str(random.randint(10, 80)),  # noqa: S311
        }
        with self.client.post(
            path, data=data, name=entry.name, allow_redirects=False, catch_response=True
        ) as resp:
            if resp.status_code != 302 or LOGIN in resp.headers.get("Location", ""):
                resp.failure(f"không ghi được: HTTP {resp.status_code}")
