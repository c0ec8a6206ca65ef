"""Blind index: a keyed hash that finds a person by name or ID number without a plaintext copy.

Owns: blind_index(), normalise_for_index().
Invariants: 64 lowercase hex characters (HMAC-SHA256 keyed by settings.BLIND_INDEX_KEY, never a
seal key) of the purpose and the normalised value; "" for a value that normalises to nothing;
the same person typed with or without diacritics, in any case or spacing gets the same index.
Not here: the keys (keys.py); storing the index (a plain CharField(max_length=64,
db_index=True, blank=True) next to the sealed field in the owning app).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from pcmd.sealing.keys import blind_index_key

# Purposes whose values are numbers: only the digits count ("001 090-123 456" = "001090123456").
DIGIT_PURPOSES = frozenset({"id_number", "phone"})
_PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_NON_WORD_RE = re.compile(r"[^\w]+|_+")
_SPACES_RE = re.compile(r"\s+")


def normalise_for_index(value: str, *, purpose: str) -> str:
    """NFC, case-folded, diacritics (and đ) and punctuation stripped, spaces collapsed."""
    text = unicodedata.normalize("NFC", value or "")
    if purpose in DIGIT_PURPOSES:
        digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
        if purpose == "phone" and digits.startswith("84") and len(digits) in (11, 12):
            digits = "0" + digits[2:]  # +84 912 345 678 is 0912 345 678
        return digits
    text = text.casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _NON_WORD_RE.sub(" ", text)
    return _SPACES_RE.sub(" ", text).strip()


def blind_index(value: str, *, purpose: str) -> str:
    """The keyed hash of `value` for `purpose` ("name", "id_number", "phone", ...)."""
    if not _PURPOSE_RE.match(purpose):
        raise ValueError(f"blind_index purpose must be a short snake_case word, not {purpose!r}")
    normalised = normalise_for_index(value, purpose=purpose)
    if not normalised:
        return ""
    message = f"{purpose}\x00{normalised}".encode()
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()
