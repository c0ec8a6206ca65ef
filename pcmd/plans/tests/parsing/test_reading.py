"""Reading files: encodings, .docx (built here with python-docx), and every kind of bad input."""

from __future__ import annotations

import io
import time
import tracemalloc
import unicodedata
import zipfile

import docx
import pytest

from pcmd.plans.parsing import MAX_BYTES, DocumentUnreadable, parse_file
from pcmd.plans.parsing.docx_reader import read_docx
from pcmd.plans.parsing.reading import decode_text, read_document

from .conftest import seed_text

SAMPLE = "KẾ HOẠCH\nPhòng, chống mại dâm trên địa bàn xã Hoằng Hợp năm 2025\n"
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """Windows-1258 writes tone marks as combining characters after the (modified) vowel."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in _TONES)
        out.append(
            unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES)) + tones
        )
    return "".join(out).encode("cp1258")


def _docx(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),
        SAMPLE.encode("utf-16-le"),
        _cp1258(SAMPLE),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-le-no-bom", "cp1258"],
)
def test_text_encodings(data: bytes) -> None:
    assert decode_text(data) == SAMPLE


def test_commune_seed_as_docx_gives_the_same_targets_and_tasks() -> None:
    text = seed_text("hoang_hop_2025.txt")

    def build(document: docx.document.Document) -> None:
        for line in text.splitlines():
            if line.strip():
                document.add_paragraph(line)

    from pcmd.plans.parsing import parse_text

    expected = parse_text(text).to_dict()
    parsed = parse_file(_docx(build), "hoang_hop_2025.docx").to_dict()
    assert len(parsed["targets"]) == 9 and len(parsed["tasks"]) == 11
    assert parsed["targets"] == expected["targets"]
    assert parsed["tasks"] == expected["tasks"]
    assert parsed["responsibilities"] == expected["responsibilities"]
    assert parsed["signer"] == {"name": "Lê Văn Phụng", "title": "CHỦ TỊCH"}


def test_docx_header_table_and_automatic_numbering() -> None:
    def build(document: docx.document.Document) -> None:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HỢP"
        table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
        table.cell(1, 0).text = "Số: 15/KH-UBND"
        table.cell(1, 1).text = "Hoằng Hợp, ngày 20 tháng 02 năm 2025"
        document.add_paragraph("KẾ HOẠCH")
        document.add_paragraph("Phòng, chống mại dâm năm 2025")
        document.add_paragraph("I. CHỈ TIÊU")
        document.add_paragraph("Ít nhất 80% số thôn tổ chức tuyên truyền.", style="List Bullet")
        document.add_paragraph("II. NHIỆM VỤ VÀ GIẢI PHÁP")
        document.add_paragraph("Tổ chức tuyên truyền trên loa truyền thanh.", style="List Number")
        document.add_paragraph("Kiểm tra các cơ sở kinh doanh dịch vụ.", style="List Number")

    data = _docx(build)
    text = read_docx(data, "plan.docx")
    assert "1. Tổ chức tuyên truyền trên loa truyền thanh." in text
    assert "- Ít nhất 80% số thôn tổ chức tuyên truyền." in text
    parsed = parse_file(data, "plan.docx")
    assert (parsed.kind, parsed.number, parsed.issuer) == (
        "plan",
        "15/KH-UBND",
        "UBND xã Hoằng Hợp",
    )
    assert parsed.place == "Hoằng Hợp" and parsed.issued_on is not None
    assert len(parsed.targets) == 1
    assert [t.section for t in parsed.tasks] == ["II.1", "II.2"]


def test_empty_file() -> None:
    with pytest.raises(DocumentUnreadable, match="trống"):
        read_document(b"", "plan.txt")
    with pytest.raises(DocumentUnreadable, match="trống"):
        read_document(b"  \r\n\n ", "plan.txt")


def test_binary_bytes() -> None:
    with pytest.raises(DocumentUnreadable, match="nhị phân"):
        read_document(bytes(range(256)) * 40, "plan.txt")
    with pytest.raises(DocumentUnreadable):
        read_document(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "anh.png")


def test_corrupt_docx() -> None:
    with pytest.raises(DocumentUnreadable, match="hỏng"):
        read_document(b"PK\x03\x04 this is not really a zip", "plan.docx")
    good = _docx(lambda document: document.add_paragraph("KẾ HOẠCH"))
    with pytest.raises(DocumentUnreadable, match="hỏng"):
        read_document(good[: len(good) // 2], "plan.docx")


def test_zip_that_is_not_a_word_document() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(DocumentUnreadable, match="không phải tài liệu Word"):
        read_document(buffer.getvalue(), "plan.docx")


def test_zip_bomb_is_refused_before_inflating() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < MAX_BYTES
    tracemalloc.start()
    with pytest.raises(DocumentUnreadable, match="nén"):
        read_document(data, "bomb.docx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_legacy_doc_and_pdf_get_a_clear_message() -> None:
    with pytest.raises(DocumentUnreadable, match=r"\.doc"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "plan.doc")
    with pytest.raises(DocumentUnreadable, match="PDF"):
        read_document(b"%PDF-1.4 ...", "plan.pdf")


def test_file_over_the_size_limit() -> None:
    with pytest.raises(DocumentUnreadable, match="quá lớn"):
        read_document(b"a" * (MAX_BYTES + 1), "plan.txt")


def test_single_ten_megabyte_line_is_refused_with_bounded_memory_and_time() -> None:
    data = b"a" * (MAX_BYTES - 10)
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(DocumentUnreadable, match="dòng dài"):
        parse_file(data, "plan.txt")
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 5
    assert peak < 8 * MAX_BYTES


def test_long_but_reasonable_text_parses_in_bounded_time() -> None:
    line = "- Ít nhất 80% số thôn tổ chức tuyên truyền về phòng, chống mại dâm.\n"
    data = (SAMPLE + "I. CHỈ TIÊU\n" + line * 20_000).encode("utf-8")
    started = time.monotonic()
    parsed = parse_file(data, "plan.txt")
    assert len(parsed.targets) == 20_000
    assert time.monotonic() - started < 30
