"""`pcmd parse_plan FILE [--json]`: no database, exit 0 for readable documents, clear errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import SEEDS

EXPECTED_KEYS = [
    "kind", "number", "issued_on", "place", "issuer", "title", "plan_title", "period", "basis",
    "sections", "targets", "tasks", "responsibilities", "reporting", "signer", "recipients",
    "warnings",
]  # fmt: skip


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("parse_plan", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_contract() -> None:
    # No django_db mark: pytest-django fails any query, so this also proves no database use.
    data = json.loads(_run(str(SEEDS / "an_giang_1994_qd_ubnd_2016.txt"), "--json"))
    assert list(data) == EXPECTED_KEYS
    assert data["kind"] == "decision" and data["number"] == "1994/QĐ-UBND"
    assert len(data["targets"]) == 8 and len(data["responsibilities"]) == 15


def test_json_keeps_vietnamese_letters_unescaped() -> None:
    text = _run(str(SEEDS / "hoang_hop_2025.txt"), "--json")
    assert "Công chức văn hoá xã hội" in text and "\\u" not in text
    assert text.startswith("{\n  ")


def test_outline_is_readable_vietnamese() -> None:
    text = _run(str(SEEDS / "hoang_hop_2025.txt"))
    assert text.startswith("Kế hoạch: Phòng, chống mại dâm")
    assert "Chỉ tiêu (9):" in text and "Nhiệm vụ (11):" in text
    assert "[II.3.1] between 3-5% — tội phạm liên quan đến hoạt động mại dâm" in text
    assert "Người ký: Lê Văn Phụng (CHỦ TỊCH)" in text
    assert "Cảnh báo (2):" in text


def test_letter_is_readable_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "cong_van.txt"
    path.write_text(
        "Số: 12/UBND-VX\nV/v phòng, chống mại dâm\nKính gửi: Công an tỉnh\nĐề nghị kiểm tra."
    )
    data = json.loads(_run(str(path), "--json"))
    assert data["kind"] == "letter" and data["targets"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "trống"), (bytes(range(256)) * 50, "nhị phân"), (b"PK\x03\x04broken", "hỏng")],
)
def test_unreadable_file_is_a_command_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / ("plan.docx" if content.startswith(b"PK") else "plan.txt")
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run(str(path))


def test_missing_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Không mở được tệp"):
        _run(str(tmp_path / "khong_co.txt"))


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    with pytest.raises(CommandError, match="quá lớn"):
        _run(str(path))


def test_exit_codes_from_the_console(tmp_path: Path) -> None:
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "pcmd.config.settings"}
    ok = subprocess.run(
        [sys.executable, "-m", "pcmd", "parse_plan", str(SEEDS / "hoang_hop_2025.txt"), "--json"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["kind"] == "plan"
    bad = tmp_path / "rac.txt"
    bad.write_bytes(bytes(range(256)) * 50)
    failed = subprocess.run(
        [sys.executable, "-m", "pcmd", "parse_plan", str(bad)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert failed.returncode != 0
    assert "nhị phân" in failed.stderr.decode("utf-8")
