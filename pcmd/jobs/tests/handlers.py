"""Job handlers used only by the tests (registered in the allow-list per test)."""

from __future__ import annotations

from typing import Any

from pcmd.jobs.tasks import JobFailure


def count_to_ten(job: Any, progress: Any) -> dict[str, Any]:
    for i in range(1, 11):
        progress(i, 10, f"Bước {i}")
    return {"counted": 10, "param": job.params.get("x")}


def crash(job: Any, progress: Any) -> None:
    progress(1, 4, "Bắt đầu")
    raise RuntimeError("secret internal detail /srv/pcmd/file.py line 42")


def refuse(job: Any, progress: Any) -> None:
    raise JobFailure("Tệp không đọc được.")
