"""Numbers, dates and document numbers as Vietnamese documents write them.

Owns: parse_number() ("5.300", "2,5", "03", "một"), find_dates() ("ngày 15 tháng 7 năm 2016",
"ngày 17/02/2025", "04/8/2016"), parse_date(), DOC_NUMBER (the "39/KH-UBND" pattern), roman().
Invariants: "." is a thousands separator and "," the decimal mark; an impossible date (31/02)
yields nothing rather than a wrong date.
Not here: what a number measures (targets), timeframes (tasks).
"""

from __future__ import annotations

import re
from datetime import date

Number = int | float

WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "tư": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
WORD_PATTERN = "|".join(sorted(WORDS, key=len, reverse=True))

# "5.300", "60.000", "2,5", "03", "100"
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"

# "39/KH-UBND", "1994/QĐ-UBND", "95/2013/NĐ-CP", "5994/BLĐTBXH-CPCTNXH", "1432/TTr-SLĐTBXH"
DOC_NUMBER = re.compile(
    r"\b(\d{1,5}[a-z]?)\s*/\s*((?:\d{4}\s*/\s*)?[A-ZĐ][A-Za-zĐđ0-9]*(?:\s*-\s*[A-ZĐ][A-Za-zĐđ0-9]*)*)"
)

_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_SLASH = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])")


def parse_number(text: str) -> Number | None:
    """A number written the Vietnamese way, or a number word; None when it is neither."""
    text = text.strip().lower()
    if text in WORDS:
        return WORDS[text]
    if not re.fullmatch(NUMBER, text):
        return None
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text):
        text = text.replace(".", "")
    if "," in text:
        value = float(text.replace(",", "."))
        return int(value) if value.is_integer() else value
    return int(text)


def tidy(value: Number) -> Number:
    """75.0 -> 75, 66.6666 -> 66.67."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 2)
    return value


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, date]]:
    """Every date in the text with its position, in order."""
    found: list[tuple[int, date]] = []
    for match in _DATE_WORDS.finditer(text):
        value = make_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if value:
            found.append((match.start(), value))
    for match in _DATE_SLASH.finditer(text):
        value = make_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if value and not any(abs(pos - match.start()) < 5 for pos, _ in found):
            found.append((match.start(), value))
    return sorted(found, key=lambda item: item[0])


def parse_date(text: str) -> date | None:
    """The first date in the text, in any of the written forms."""
    dates = find_dates(text)
    return dates[0][1] if dates else None


def normalise_doc_number(number: str, symbol: str) -> str:
    compact = re.sub(r"\s+", "", symbol)
    return f"{number}/{compact}"


def find_doc_number(text: str) -> tuple[int, str] | None:
    match = DOC_NUMBER.search(text)
    if not match:
        return None
    return match.start(), normalise_doc_number(match.group(1), match.group(2))


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman(text: str) -> int | None:
    """Value of a Roman numeral ("IV" -> 4), None when it is not one."""
    text = text.upper()
    if not text or any(ch not in _ROMAN_VALUES for ch in text):
        return None
    total = 0
    for index, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total
