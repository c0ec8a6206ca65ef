"""Helpers for the parser tests: the seed documents as text and parsed (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pcmd.plans.parsing import ParsedDocument, parse_text

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def commune() -> ParsedDocument:
    return parse_text(seed_text("hoang_hop_2025.txt"))


@pytest.fixture(scope="session")
def province() -> ParsedDocument:
    return parse_text(seed_text("an_giang_1994_qd_ubnd_2016.txt"))
