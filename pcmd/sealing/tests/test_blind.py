"""Blind index: the same person in any spelling finds the same hash; the key matters."""

import pytest
from django.test import override_settings

from pcmd.sealing.blind import blind_index, normalise_for_index


def test_index_is_64_hex_characters() -> None:
    value = blind_index("Nguyễn Văn An", purpose="name")
    assert len(value) == 64
    int(value, 16)


def test_name_ignores_case_diacritics_punctuation_and_spaces() -> None:
    expected = blind_index("Nguyễn Văn Đạt", purpose="name")
    for variant in ("nguyen van dat", "  NGUYỄN   VĂN  ĐẠT ", "Nguyễn-Văn Đạt.", "nguyễn văn đạt"):
        assert blind_index(variant, purpose="name") == expected
    assert blind_index("Nguyễn Văn Đức", purpose="name") != expected


def test_decomposed_unicode_matches_composed() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Trần Thị Hương")
    assert blind_index(decomposed, purpose="name") == blind_index("Trần Thị Hương", purpose="name")


def test_id_numbers_keep_only_digits() -> None:
    assert normalise_for_index("001 190-012.345", purpose="id_number") == "001190012345"
    assert blind_index("001 190-012.345", purpose="id_number") == blind_index(
        "001190012345", purpose="id_number"
    )


def test_phone_with_country_code_matches_national_form() -> None:
    assert blind_index("+84 912 345 678", purpose="phone") == blind_index(
        "0912345678", purpose="phone"
    )


def test_purpose_separates_indexes() -> None:
    assert blind_index("0912345678", purpose="phone") != blind_index(
        "0912345678", purpose="id_number"
    )


def test_empty_value_has_empty_index() -> None:
    assert blind_index("", purpose="name") == ""
    assert blind_index(" .- ", purpose="name") == ""
    assert blind_index("abc", purpose="id_number") == ""


def test_index_depends_on_the_blind_index_key() -> None:
    before = blind_index("Lê Thị Mai", purpose="name")
    with override_settings(BLIND_INDEX_KEY="another-blind-index-key-0123456789abcdef"):
        assert blind_index("Lê Thị Mai", purpose="name") != before


def test_malformed_purpose_is_refused() -> None:
    with pytest.raises(ValueError):
        blind_index("x", purpose="Tên người")
