"""Reporting periods written as DHIS2-style ids, shared by plans, records, indicators, reports.

Owns: Period (with kind, months(), last_year()), PeriodError, period_parse(),
period_containing(), PERIOD_KINDS.
Entry points: period_parse("2025" | "2025S1" | "2025Q1" | "202503" | "2016-2020"),
period_containing(day, "half") -> the six months that hold `day`.
Invariants: a Period covers whole days, start <= end, both inclusive; the label is Vietnamese.
Not here: which periods a report uses (reports), filtering querysets (records.filters).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})S([12])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """The text is not a period id PCMD knows."""


@dataclass(frozen=True)
class Period:
    """Days `start` to `end` (inclusive); `id` is the canonical id, `label` the Vietnamese name."""

    id: str
    start: date
    end: date
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def kind(self) -> str:
        """ "year", "half", "quarter", "month" or "range" (a programme period)."""
        if "-" in self.id:
            return "range"
        if "S" in self.id:
            return "half"
        if "Q" in self.id:
            return "quarter"
        return "month" if len(self.id) == 6 else "year"

    def months(self) -> list[Period]:
        """The months of the period, in order (what "at least once a month" counts over)."""
        out = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(period_parse(f"{y}{m:02d}"))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def last_year(self) -> Period:
        """The same period one year earlier (a programme period moves as a whole)."""
        if self.kind == "range":
            return period_parse(f"{self.start.year - 1}-{self.end.year - 1}")
        year = self.start.year
        return period_parse(str(year - 1) + self.id[4:])


PERIOD_KINDS = ("year", "half", "quarter", "month")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_ok(year: int) -> int:
    if not 1900 <= year <= 2200:
        raise PeriodError(_("Năm %(y)d nằm ngoài khoảng cho phép.") % {"y": year})
    return year


def period_parse(text: str) -> Period:
    """The period named by `text` ("2025", "2025S1", "2025Q1", "202503", "2016-2020").

    Raises PeriodError with a Vietnamese message for anything else.
    """
    raw = (text or "").strip().upper()
    if m := _YEAR.match(raw):
        y = _year_ok(int(m[1]))
        return Period(raw, date(y, 1, 1), date(y, 12, 31), _("Năm %(y)d") % {"y": y})
    if m := _HALF.match(raw):
        y, h = _year_ok(int(m[1])), int(m[2])
        start, end = (date(y, 1, 1), date(y, 6, 30)) if h == 1 else (date(y, 7, 1), date(y, 12, 31))
        label = _("6 tháng đầu năm %(y)d") if h == 1 else _("6 tháng cuối năm %(y)d")
        return Period(raw, start, end, label % {"y": y})
    if m := _QUARTER.match(raw):
        y, q = _year_ok(int(m[1])), int(m[2])
        first = 3 * (q - 1) + 1
        return Period(
            raw,
            date(y, first, 1),
            _month_end(y, first + 2),
            _("Quý %(q)s/%(y)d") % {"q": _ROMAN[q], "y": y},
        )
    if m := _MONTH.match(raw):
        y, month = _year_ok(int(m[1])), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(_("Tháng %(m)d không hợp lệ.") % {"m": month})
        return Period(
            raw,
            date(y, month, 1),
            _month_end(y, month),
            _("Tháng %(m)02d/%(y)d") % {"m": month, "y": y},
        )
    if m := _RANGE.match(raw):
        a, b = _year_ok(int(m[1])), _year_ok(int(m[2]))
        if b < a:
            raise PeriodError(_("Kỳ không hợp lệ: năm kết thúc phải sau năm bắt đầu."))
        return Period(
            f"{a}-{b}",
            date(a, 1, 1),
            date(b, 12, 31),
            _("Giai đoạn %(a)d-%(b)d") % {"a": a, "b": b},
        )
    raise PeriodError(
        _("“%(text)s” không phải là kỳ hợp lệ; ví dụ: 2025, 2025S1, 2025Q1, 202503, 2016-2020.")
        % {"text": text}
    )


def period_containing(day: date, kind: str) -> Period:
    """The period of `kind` ("year", "half", "quarter", "month") that holds `day`."""
    y, m = day.year, day.month
    if kind == "year":
        return period_parse(str(y))
    if kind == "half":
        return period_parse(f"{y}S{1 if m <= 6 else 2}")
    if kind == "quarter":
        return period_parse(f"{y}Q{(m - 1) // 3 + 1}")
    if kind == "month":
        return period_parse(f"{y}{m:02d}")
    raise PeriodError(_("Loại kỳ “%(kind)s” không hợp lệ.") % {"kind": kind})
