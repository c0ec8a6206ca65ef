"""The XLSX reader under hostile input: zip bombs (honest and lying sizes), truncated and random
files, and every kind of nasty text (Hypothesis), read back verbatim or refused in Vietnamese.

Memory is measured in a child process (ru_maxrss), because the sheet reader is compiled code that
tracemalloc does not see; the child also runs under an address-space limit, so a regression
fails the test instead of the machine.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from pcmd.common.text import nfc
from pcmd.records.xlsx import Column, cell_safe, xlsx_count_rows, xlsx_export, xlsx_read_rows

pytestmark = pytest.mark.fuzz

COLUMNS = [
    Column("name", "Tên", required=True, max_length=5000),
    Column("people", "Số người", kind="int"),
]
FUZZ = settings(
    max_examples=int(os.environ.get("PCMD_FUZZ_PARSER_EXAMPLES", "40")),
    deadline=None,
    derandomize=not os.environ.get("PCMD_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Texts people paste, and texts attackers paste: formulas, markup, SQL, bidi and zero-width.
NASTY = [
    '=HYPERLINK("http://x.example/","bấm")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE outreach_outreachevent; --",
    "1 OR 1=1",
    "\u202eNgười báo\u202c",  # right-to-left override
    "Hoằng\u200bHợp\u200d\ufeff",  # zero-width space, joiner, BOM
    "שלום مرحبا",
    "Nguyễn Văn A",
    "a" * 4000,
]


def _book_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([c.label for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_bomb(path: Path, inflated_mb: int) -> None:
    """A valid workbook whose first sheet inflates to `inflated_mb` MB (one row per KB)."""
    good = zipfile.ZipFile(io.BytesIO(_book_bytes([["x", 1]])))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in good.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, good.read(info.filename))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            cell = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"
            chunk = cell * 1024  # ~1 MB
            for _ in range(inflated_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")


def _lie_about_sizes(path: Path, name: str, declared: int) -> None:
    """Rewrite the uncompressed size of `name` in the local header and central directory."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    data[local + 22 : local + 26] = struct.pack("<I", declared)
    central = data.rfind(b"PK\x01\x02" + data[local + 4 : local + 6], 0)
    start = 0
    while True:  # the central record that points at our local header
        central = data.find(b"PK\x01\x02", start)
        assert central >= 0
        if struct.unpack("<I", data[central + 42 : central + 46])[0] == local:
            break
        start = central + 4
    data[central + 24 : central + 28] = struct.pack("<I", declared)
    path.write_bytes(bytes(data))


_CHILD = r"""
import json, os, resource, sys
import django
django.setup()
from pcmd.common.text import nfc
from pcmd.records.xlsx import Column, xlsx_count_rows, xlsx_read_rows
data = open(sys.argv[1], "rb").read()
columns = [Column("name", "Tên", required=True)]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rows, errors = xlsx_read_rows(data=data, columns=columns)
counted = xlsx_count_rows(data)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"rows": len(rows), "errors": [str(e) for e in errors], "counted": counted,
                  "grew_kb": after - before}))
"""


def _read_in_child(path: Path) -> dict[str, Any]:
    limit = 2 * 1024**3  # address space: a run-away inflate fails the child, not the machine

    def _limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pcmd.config.settings", "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=_limit,  # noqa: PLW1509 - only sets a resource limit
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sheet_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _sheet_bomb(path, inflated_mb=300)
    assert path.stat().st_size < 5 * 1024 * 1024  # small on disk, 300 MB inflated
    result = _read_in_child(path)
    assert result["rows"] == 0 and result["counted"] == 0
    assert any("giải nén" in e for e in result["errors"]), result["errors"]
    assert result["grew_kb"] < 100 * 1024, result


def test_bomb_that_lies_about_its_size_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "liar.xlsx"
    _sheet_bomb(path, inflated_mb=200)
    _lie_about_sizes(path, "xl/worksheets/sheet1.xml", declared=20_000)
    result = _read_in_child(path)
    assert result["rows"] == 0 and result["counted"] == 0
    assert result["errors"] and all("hỏng" in e or "giải nén" in e for e in result["errors"]), (
        result
    )
    assert result["grew_kb"] < 100 * 1024, result


def test_a_truncated_workbook_is_refused_at_every_cut() -> None:
    data = _book_bytes([["Nguyễn Văn A", 3]])
    for cut in range(0, len(data), max(1, len(data) // 40)):
        rows, errors = xlsx_read_rows(data=data[:cut], columns=COLUMNS)
        assert rows == [] and errors, cut
        assert all(str(e).strip() for e in errors)
        assert xlsx_count_rows(data[:cut]) in (0, 1)


@FUZZ
@given(noise=st.binary(max_size=3000))
def test_random_bytes_that_claim_to_be_a_zip_are_refused(noise: bytes) -> None:
    rows, errors = xlsx_read_rows(data=b"PK\x03\x04" + noise, columns=COLUMNS)
    assert rows == [] and errors and all(str(e).strip() for e in errors)


# Text a cell can hold: XML 1.0 characters only (a workbook cannot carry the others).
_cell_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="".join(chr(c) for c in range(32) if c not in (9, 10, 13))
        + "\ufffe\uffff",
    ),
    min_size=1,
    max_size=300,
)


def _stored(text: str) -> str:
    """What the reader keeps of a cell's text: pcmd.common.text.nfc (NFC, runs of spaces and
    line breaks folded to one space, trimmed); every other character verbatim."""
    return nfc(text)


@FUZZ
@given(texts=st.lists(st.one_of(st.sampled_from(NASTY), _cell_text), min_size=1, max_size=5))
def test_any_text_is_read_verbatim_and_exported_without_formulas(texts: list[str]) -> None:
    data = _book_bytes([[text, None] for text in texts])
    rows, errors = xlsx_read_rows(data=data, columns=COLUMNS)
    kept = [_stored(t) for t in texts]
    if not any(kept):
        assert [e.message for e in errors] == ["Tệp không có dòng dữ liệu nào."]
        return
    if errors:
        # Only a formula-looking cell (which openpyxl stores as a formula), a blank required
        # cell or a text that is blank after stripping may be refused, each with its row.
        assert all(e.row >= 2 and e.message for e in errors)
        for e in errors:
            text = texts[e.row - 2]
            assert text.startswith("=") or not kept[e.row - 2], (text, str(e))
        return
    assert [r["name"] for r in rows] == [k for k in kept if k]
    exported = xlsx_export(columns=COLUMNS, rows=rows)
    sheet = load_workbook(io.BytesIO(exported)).active
    assert sheet is not None
    for row, expected in zip(sheet.iter_rows(min_row=2), rows, strict=True):
        cell = row[0]
        assert cell.data_type == "s", cell.value  # a string, never a formula
        assert cell.value == cell_safe(expected["name"])
        assert not str(cell.value).startswith(("=", "+", "-", "@"))


def test_formulas_in_a_file_are_refused_never_evaluated() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên", "Số người"])
    ws.append(["Nguyễn Văn A", "=1+1"])
    ws.append(['=HYPERLINK("http://x.example/","bấm")', 2])
    buffer = io.BytesIO()
    wb.save(buffer)
    rows, errors = xlsx_read_rows(data=buffer.getvalue(), columns=COLUMNS)
    assert rows == []
    assert sorted((e.row, e.column) for e in errors) == [(2, "Số người"), (3, "Tên")]
    assert all("công thức" in e.message for e in errors)


def test_a_row_holding_only_formulas_is_refused_not_skipped() -> None:
    """Regression: a formula has no cached value in a file written by a program, so the row
    read as blank and was skipped silently, in the middle of the sheet and at its end."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên", "Số người"])
    ws.append(["=A3", None])
    ws.append(["Nguyễn Văn A", 2])
    ws.append(['=HYPERLINK("http://x.example/","bấm")', "=1+1"])
    buffer = io.BytesIO()
    wb.save(buffer)
    rows, errors = xlsx_read_rows(data=buffer.getvalue(), columns=COLUMNS)
    assert rows == []
    assert sorted((e.row, e.column) for e in errors) == [
        (2, "Tên"),
        (4, "Số người"),
        (4, "Tên"),
    ]
