"""Text keys for Vietnamese names: NFC normalisation and diacritics-free search keys.

Entry points: nfc(), search_key(), strip_kind_prefix().
Invariants: search_key() maps every spelling of a name that differs only in case, diacritics,
spacing or punctuation to the same key ("Hoàng Hợp", "HOẰNG HỢP", "hoang hop" -> "hoang hop").
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]")


def nfc(text: str) -> str:
    """NFC form, non-breaking and odd spaces folded to one plain space, trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def search_key(text: str) -> str:
    """Lower-case ASCII key without diacritics or punctuation ("Xã Hoằng Hợp" -> "xa hoang hop")."""
    text = nfc(text).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    ascii_text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    ascii_text = _NON_WORD.sub(" ", ascii_text)
    return _SPACES.sub(" ", ascii_text).strip()
