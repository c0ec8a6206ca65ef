"""Timeframes of tasks ("Thời gian thực hiện: …") resolved to dates within the plan's period.

Owns: read_timeframe(text, period) -> Timeframe.
Invariants: kinds are ongoing ("Thường xuyên", "Hằng năm"), year ("Cả năm", "Năm 2025"), quarter
("Quý I/2025"), half ("6 tháng đầu năm"), range ("từ ngày … đến ngày …", "tháng 3/2025",
"2016 - 2020") and deadline ("trước ngày 30/6/2025"); a timeframe without a year takes the plan's
first year; "ongoing" and "Cả năm" in a multi-year plan span the whole period; a text that fits
none keeps kind None (the caller warns).
Not here: reading the assignment line itself (tasks).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from pcmd.common.text import search_key
from pcmd.plans.parsing.model import Timeframe
from pcmd.plans.parsing.numbers import find_dates, make_date, roman

_QUARTER = re.compile(r"quý\s+([IV]{1,3}|[1-4])\b(?:\s*(?:/|năm)\s*(\d{4}))?", re.IGNORECASE)
_HALF = re.compile(r"6\s+tháng\s+(đầu|cuối)(?:\s+năm)?(?:\s*(\d{4}))?", re.IGNORECASE)
_MONTH = re.compile(r"tháng\s+(\d{1,2})(?:\s*(?:/|năm)\s*(\d{4}))?", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"(\d{4})\s*(?:-|đến(?:\s+hết)?(?:\s+năm)?)\s*(\d{4})")
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(trước|chậm nhất|hạn chót|không quá|hoàn thành trong)\b", re.I)


def _year_bounds(start_year: int, end_year: int) -> tuple[date, date]:
    return date(start_year, 1, 1), date(end_year, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def read_timeframe(text: str, period: tuple[int, int] | None) -> Timeframe:
    """The timeframe of a task, with dates where the text and the plan's period give them."""
    text = text.strip().rstrip(".;")
    key = search_key(text)
    first = period[0] if period else None
    frame = Timeframe(text=text, kind=None)
    dates = [value for _, value in find_dates(text)]
    if len(dates) >= 2:
        frame.kind, frame.start, frame.end = "range", dates[0], dates[-1]
        return frame
    if dates:
        if _DEADLINE.search(text):
            frame.kind, frame.end = "deadline", dates[0]
            frame.start = date(first, 1, 1) if first and first <= dates[0].year else None
        else:
            frame.kind, frame.start, frame.end = "range", dates[0], dates[0]
        return frame
    quarter = _QUARTER.search(text)
    if quarter:
        number = roman(quarter.group(1)) or int(quarter.group(1))
        year = int(quarter.group(2)) if quarter.group(2) else first
        frame.kind = "quarter"
        if year and 1 <= number <= 4:
            frame.start = date(year, 3 * number - 2, 1)
            frame.end = _month_end(year, 3 * number)
        return frame
    half = _HALF.search(text)
    if half:
        year = int(half.group(2)) if half.group(2) else first
        frame.kind = "half"
        if year:
            early = half.group(1).lower() == "đầu"
            frame.start = date(year, 1 if early else 7, 1)
            frame.end = date(year, 6, 30) if early else date(year, 12, 31)
        return frame
    span = _YEAR_RANGE.search(text)
    if span:
        frame.kind = "range"
        frame.start, frame.end = _year_bounds(int(span.group(1)), int(span.group(2)))
        return frame
    months = list(_MONTH.finditer(text))
    if months:
        year = next((int(m.group(2)) for m in reversed(months) if m.group(2)), first)
        if year:
            start_month, end_month = int(months[0].group(1)), int(months[-1].group(1))
            start = make_date(year, start_month, 1) if 1 <= start_month <= 12 else None
            end = _month_end(year, end_month) if 1 <= end_month <= 12 else None
            if _DEADLINE.search(text) and start:
                frame.kind, frame.start = "deadline", date(first or year, 1, 1)
                frame.end = make_date(year, start_month, 1)
                return frame
            frame.kind, frame.start, frame.end = "range", start, end
        return frame
    if key.startswith(
        ("thuong xuyen", "hang nam", "hang nam", "lien tuc", "hang thang", "hang quy")
    ):
        frame.kind = "ongoing"
        if period:
            frame.start, frame.end = _year_bounds(*period)
        return frame
    year_match = _YEAR.search(text)
    if year_match:
        year = int(year_match.group(1))
        frame.kind = "year"
        frame.start, frame.end = _year_bounds(year, year)
        return frame
    if key.startswith(("ca nam", "trong nam", "nam ")) or key == "nam":
        frame.kind = "year"
        if period:
            frame.start, frame.end = _year_bounds(*period)
        return frame
    return frame
