"""Numbers typed into a query string or a form field, read strictly.

Owns: MAX_ID, parse_id(), parse_year().
Invariants: only ASCII digits make a number ("²".isdigit() is true, yet int("²") fails); an id
fits a BigAutoField (0 .. 2**63 - 1), so a filter on a foreign key never overflows the
database's integer (SQLite raises OverflowError, PostgreSQL "out of range"); a year is four
digits from 0001 to 9999 (date() has no year 0). None means "not a number": the caller decides
whether that is an error (API: 400 with a message) or no filter (pages).
Not here: what the id names and whether it is in the user's scope (accounts.permissions).
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """The id written in `raw`, or None when it is not one (blank, not digits, too large)."""
    text = "" if raw is None else str(raw).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def parse_year(raw: object) -> int | None:
    """The year written in `raw` as four digits (0001-9999), or None."""
    text = "" if raw is None else str(raw).strip()
    if len(text) != 4 or not (text.isascii() and text.isdigit()) or text == "0000":
        return None
    return int(text)
