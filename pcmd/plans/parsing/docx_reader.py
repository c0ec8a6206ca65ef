"""Read a .docx plan with python-docx: paragraphs and tables in document order.

Owns: read_docx().
Invariants: the zip directory is checked before python-docx inflates anything (entry count,
total uncompressed size, compression ratio, then every part streamed against its declared size
and CRC), so a zip bomb, honest or lying about its sizes, or a non-Word zip is refused with
DocumentUnreadable; Word's automatic numbering ("1.", "a)", bullets) is written out as text so
that the structure reader sees the same markers as in a typed plan; header and signature tables
are laid out column by column (cleaning.layout_table).
Not here: decoding text files (reading), meaning (the other modules).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from pcmd.plans.parsing.cleaning import layout_table
from pcmd.plans.parsing.reading import DocumentUnreadable

MAX_ENTRIES = 2000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def read_docx(data: bytes, filename: str) -> str:
    """Text of a Word document, one paragraph per line, tables laid out as lines."""
    _check_zip(data, filename)
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document, qn)
        lines: list[str] = []
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                lines.extend(layout_table(_table_rows(block)))
            else:
                lines.append(numbering.label(block) + block.text)
    except DocumentUnreadable:
        raise
    except Exception as exc:  # python-docx raises many kinds of errors on a damaged file
        raise DocumentUnreadable(
            f"Tệp {filename!r} là .docx bị hỏng hoặc không phải tài liệu Word "
            f"({type(exc).__name__})."
        ) from exc
    return "\n".join(lines)


def _check_zip(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentUnreadable(
            f"Tệp {filename!r} là .docx bị hỏng (không mở được như tệp nén của Word)."
        ) from exc
    if len(infos) > MAX_ENTRIES:
        raise DocumentUnreadable(f"Tệp {filename!r} có quá nhiều thành phần ({len(infos)}).")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise DocumentUnreadable(
            f"Tệp {filename!r} khi giải nén quá lớn; có thể là tệp nén độc hại, không đọc."
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocumentUnreadable(
                f"Tệp {filename!r} có tỷ lệ nén bất thường; có thể là tệp nén độc hại, không đọc."
            )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise DocumentUnreadable(f"Tệp {filename!r} không phải tài liệu Word (.docx).")
    # The sizes above are what the archive declares. Inflate each part once in 1 MB steps:
    # zipfile stops at the declared size and checks the CRC, so a part that inflates to more
    # than it declares is refused here with bounded memory, before python-docx reads it whole
    # (zipfile's read() of a whole part inflates the entire stream in one call).
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in infos:
                with archive.open(info) as part:
                    while part.read(1024 * 1024):
                        pass
    except Exception as exc:  # BadZipFile (bad CRC), zlib.error, EOFError
        raise DocumentUnreadable(
            f"Tệp {filename!r} là .docx bị hỏng (không mở được như tệp nén của Word)."
        ) from exc


def _table_rows(table: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(_cell_lines(cell)))
        rows.append(cells)
    return rows


def _cell_lines(cell: Any) -> Iterator[str]:
    for block in cell.iter_inner_content():
        if hasattr(block, "rows"):
            for row in _table_rows(block):
                yield " | ".join(text.replace("\n", " ") for text in row)
        else:
            yield block.text


class _Numbering:
    """Write out Word's automatic list numbers (numbering.xml) as text labels."""

    def __init__(self, document: Any, qn: Any) -> None:
        self._qn = qn
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, list[int]] = {}
        try:
            from docx.opc.constants import RELATIONSHIP_TYPE as RT

            root = document.part.part_related_by(RT.NUMBERING).element
        except (KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    self._val(lvl, "w:numFmt", "decimal"),
                    self._val(lvl, "w:lvlText", ""),
                    int(self._val(lvl, "w:start", "1") or 1),
                )
            abstract[node.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self._levels[num.get(qn("w:numId"), "")] = abstract.get(ref.get(qn("w:val")), {})

    def _val(self, node: Any, tag: str, default: str) -> str:
        child = node.find(self._qn(tag))
        return child.get(self._qn("w:val"), default) if child is not None else default

    def label(self, paragraph: Any) -> str:
        if not self._levels:
            return ""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [0] * 9)
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        if fmt == "bullet":
            return "- " if ilvl == 0 else "+ "
        if fmt == "none":
            return ""
        label = text
        for level in range(ilvl + 1):
            lfmt, _, lstart = levels.get(level, ("decimal", "", 1))
            value = counters[level] or lstart
            label = label.replace(f"%{level + 1}", _format(value, lfmt))
        return label.strip() + " " if label.strip() else ""

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        qn = self._qn
        for ppr in (paragraph._p.pPr, _style_ppr(paragraph)):
            if ppr is None:
                continue
            num_pr = ppr.find(qn("w:numPr"))
            if num_pr is None:
                continue
            num_id = num_pr.find(qn("w:numId"))
            ilvl = num_pr.find(qn("w:ilvl"))
            if num_id is None or num_id.get(qn("w:val")) == "0":
                return None
            return num_id.get(qn("w:val"), ""), int(
                ilvl.get(qn("w:val"), "0") if ilvl is not None else 0
            )
        return None


def _style_ppr(paragraph: Any) -> Any:
    try:
        style = paragraph.style
        return style.element.pPr if style is not None else None
    except (AttributeError, KeyError):
        return None


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ""
        for amount, numeral in _ROMAN:
            while value >= amount:
                roman += numeral
                value -= amount
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)
