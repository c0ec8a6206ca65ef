"""The mixed workload of `pcmd loadtest`: one row per page, weighted; no Django, no Locust here.

Owns: Entry, WORKLOAD, LOGIN, RECORD_FORM, eligible_entries(), entry_path().
Invariants: adding a page is one line in WORKLOAD; an entry whose `path` is None is skipped
with its `note` (printed by the command); an entry that needs a capability runs only for the
accounts whose role has it (the command passes each account's capabilities), one that names a
parameter (``{plan}``) only for the accounts that have it. Names are the rows of the results.
Not here: the HTTP calls (locustfile.py), the accounts (runner.py).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GET = "GET"
FORM = "FORM"  # GET the form (its CSRF token), then POST it; the POST is the measured entry


@dataclass(frozen=True)
class Entry:
    name: str
    weight: int
    path: str | None
    kind: str = GET
    capability: str = ""
    note: str = ""

    def parameters(self) -> set[str]:
        if self.path is None:
            return set()
        return {f for _, f, _, _ in string.Formatter().parse(self.path) if f}


LOGIN = "/accounts/login/"
RECORD_FORM = "/outreach/new/"  # the form the record-entry rows GET for their CSRF token

WORKLOAD: tuple[Entry, ...] = (
    Entry("trang chủ / bảng điều khiển", 10, "/"),
    Entry("danh sách hoạt động tuyên truyền", 5, "/outreach/", capability="outreach.view"),
    Entry("danh sách kiểm tra", 4, "/enforcement/inspections/", capability="enforcement.view"),
    Entry("danh sách cơ sở", 4, "/enforcement/establishments/", capability="enforcement.view"),
    Entry("danh sách kế hoạch", 3, "/plans/", capability="plan.view"),
    Entry("đánh giá kế hoạch", 3, "/indicators/plans/{plan}/", capability="plan.view"),
    Entry("danh sách tin báo", 2, "/tips/", capability="tip.view"),
    Entry("ghi hoạt động tuyên truyền", 3, RECORD_FORM, kind=FORM, capability="outreach.manage"),
    Entry("trang báo cáo", 2, "/reports/{report}/", capability="report.view"),
    Entry("tải báo cáo (.docx)", 1, "/reports/{report}/file.docx", capability="report.view"),
)


def entry_path(entry: Entry, account: Mapping[str, Any]) -> str:
    assert entry.path is not None
    return entry.path.format(**account.get("params", {}))


def eligible_entries(
    account: Mapping[str, Any], workload: Sequence[Entry] = WORKLOAD
) -> list[Entry]:
    """The entries `account` (capabilities, params) can run: path set, capability held."""
    caps = set(account.get("capabilities", ()))
    params = set(account.get("params", {}))
    return [
        e
        for e in workload
        if e.path is not None
        and (not e.capability or e.capability in caps)
        and e.parameters() <= params
    ]


def skipped_entries(workload: Sequence[Entry] = WORKLOAD) -> list[Entry]:
    return [e for e in workload if e.path is None]
