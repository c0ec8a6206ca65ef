"""Words and text of the report documents, shared by the DOCX and the XLSX writers.

Owns: clean(), one_line(), paragraphs(), with_unit(), figure_line(), next_period_label(),
period_year(), REPORT_STATUS_LABELS.
Invariants: whatever comes out is NFC and holds no character an OOXML part refuses (C0/C1
control characters, lone surrogates, U+FFFE/U+FFFF), so text typed on a phone — a pasted
vertical tab, a stray NUL — can never break the document's XML. Nothing is HTML-escaped: the
writers put text into the XML through their libraries, which escape it.
Not here: the documents themselves (docx.py, xlsx.py).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from functools import lru_cache

from pcmd.common.periods import PeriodError, period_containing, period_parse
from pcmd.reports.content import Figure

# Everything XML 1.0 refuses, plus C1 controls and DEL, which Word shows as boxes.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_YEAR = re.compile(r"(\d{4})(?!.*\d{4})")

REPORT_STATUS_LABELS = {
    "not_started": "Chưa lập",
    "draft": "Đang soạn",
    "submitted": "Đã gửi",
    "approved": "Đã duyệt",
    "returned": "Bị trả lại",
}


def clean(text: object) -> str:
    """NFC text without characters the XML cannot hold; line breaks kept as "\\n"."""
    return _clean("" if text is None else str(text))


@lru_cache(maxsize=8192)  # a province's annex repeats each unit name and value many times
def _clean(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    value = value.replace("\x0c", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    value = _ILLEGAL.sub("", unicodedata.normalize("NFC", value))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n")).strip()


def one_line(text: object) -> str:
    """clean() on a single line: line breaks become spaces."""
    return " ".join(clean(text).split())


def paragraphs(text: object) -> list[str]:
    """The non-empty lines of a narrative text, each one paragraph of the document."""
    return [line for line in clean(text).split("\n") if line]


def with_unit(shown: str, unit: str) -> str:
    """ "12" + "buổi" -> "12 buổi"; shares ("45,5%"), dashes and units "%" stay bare."""
    shown, unit = one_line(shown), one_line(unit)
    numeric = shown[:1].isdigit() or shown.startswith("<")
    if not numeric or not unit or unit == "%" or shown.endswith("%"):
        return shown
    return f"{shown} {unit}"


def figure_line(figure: Figure) -> str:
    """ "Số buổi tuyên truyền: 12 buổi (cùng kỳ năm trước: 9 buổi)" — the printed values only."""
    text = f"{one_line(figure.label)}: {with_unit(figure.shown, figure.unit)}"
    if figure.last_year_shown and figure.last_year_shown.strip() not in ("", "—"):
        text += f" (cùng kỳ năm trước: {with_unit(figure.last_year_shown, figure.unit)})"
    return text


def period_year(period: str) -> str:
    """The last year a period id names ("2025S1" -> "2025", "2016-2020" -> "2020"), or ""."""
    match = _YEAR.search(period or "")
    return match.group(1) if match else ""


def next_period_label(period: str) -> str:
    """What section IV plans for: "6 tháng cuối năm 2025" after 2025S1, "năm 2026" after 2025,
    "giai đoạn 2021-2025" after 2016-2020; "" when the id is not a period."""
    try:
        current = period_parse(period)
    except PeriodError:
        return ""
    if current.kind == "range":
        span = current.end.year - current.start.year
        start = current.end.year + 1
        label = period_parse(f"{start}-{start + span}").label
    else:
        label = period_containing(current.end + timedelta(days=1), current.kind).label
    return label[:1].lower() + label[1:]
