"""Regression tests of the fuzzing finds: superscript digits, ids past the database's integer
and year 0000 crashed filters with a server error."""

from __future__ import annotations

import pytest

from pcmd.common.params import MAX_ID, parse_id, parse_year


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 7 ", 7), ("0", 0), (str(MAX_ID), MAX_ID), (15, 15)],
)
def test_ids_are_read(raw: object, expected: int) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", None, "²", "١٢", "４２", "-1", "1.5", "1e3", str(MAX_ID + 1), "9" * 40, "0x10"]
)
def test_what_is_not_an_id_is_none(raw: object) -> None:
    assert parse_id(raw) is None


@pytest.mark.parametrize(("raw", "expected"), [("2025", 2025), ("0001", 1), ("9999", 9999)])
def test_years_are_read(raw: str, expected: int) -> None:
    assert parse_year(raw) == expected


@pytest.mark.parametrize("raw", ["0000", "²⁰²⁵", "202", "20250", "", "abcd", "-202"])
def test_what_is_not_a_year_is_none(raw: str) -> None:
    assert parse_year(raw) is None
