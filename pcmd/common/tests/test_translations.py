"""The English catalog is complete and compiled: every interface string has a translation."""

import ast
import gettext
from pathlib import Path

import pcmd

LOCALE = Path(pcmd.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _po_entries() -> tuple[dict[str, str], list[str]]:
    """msgid -> msgstr of django.po (plural forms keyed by their singular), and fuzzy ids."""
    entries: dict[str, str] = {}
    fuzzy: list[str] = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln and not ln.startswith("#~")]
        parts: dict[str, str] = {}
        key = None
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" ")
            if line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
            else:
                key = head
                parts[key] = ast.literal_eval(rest)
        if "msgid" in parts and parts["msgid"]:
            msgstr = parts.get("msgstr", parts.get("msgstr[0]", ""))
            entries[parts["msgid"]] = msgstr
            if any(ln.startswith("#,") and "fuzzy" in ln for ln in lines):
                fuzzy.append(parts["msgid"])
    return entries, fuzzy


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    entries, fuzzy = _po_entries()
    assert len(entries) > 100
    assert [m for m, s in entries.items() if not s] == []
    assert fuzzy == []


def test_compiled_catalog_matches_the_po_file() -> None:
    entries, _ = _po_entries()
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [m for m, s in entries.items() if "%(" not in m and compiled.gettext(m) != s]
    assert stale == [], "run compilemessages (see docs/decisions.md)"
