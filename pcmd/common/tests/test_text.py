import unicodedata

from pcmd.common.text import nfc, search_key


def test_nfc_composes_decomposed_vietnamese_and_folds_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Hoằng  Hợp\u00a0xã")
    assert nfc(decomposed) == "Hoằng Hợp xã"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_search_key_ignores_case_diacritics_and_punctuation() -> None:
    assert search_key("Xã Hoằng Hợp") == "xa hoang hop"
    assert search_key("HOÀNG HỢP") == "hoang hop"
    assert search_key("Đà Nẵng") == "da nang"
    assert search_key("Bà Rịa - Vũng Tàu") == "ba ria vung tau"
