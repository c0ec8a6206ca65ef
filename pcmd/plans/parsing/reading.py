"""Turn an uploaded file's bytes into text, or refuse it with a clear Vietnamese message.

Owns: DocumentUnreadable, read_document(), decode_text(), the size and shape limits.
Invariants: at most MAX_BYTES are accepted; a .docx is opened only after its zip directory has
been checked (entry count, total uncompressed size, compression ratio), so a zip bomb is refused
before anything is inflated; text files are tried as UTF-8 (with or without BOM), UTF-16 (BOM or
NUL-pattern) and then Windows-1258, and refused when the result looks binary.
Not here: what the text means (cleaning, structure ...); the .docx walk itself (docx_reader).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

MAX_BYTES = 10 * 1024 * 1024
MAX_LINE_CHARS = 100_000
_CONTROL_SHARE = 0.01
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls


class DocumentUnreadable(ValueError):
    """The file cannot be read as a document at all; the message is for the user, in Vietnamese."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def read_document(data: bytes, filename: str) -> str:
    """Text of a .txt or .docx file, paragraphs one per line, tables as " | " rows."""
    name = (filename or "").strip().lower()
    if len(data) > MAX_BYTES:
        raise DocumentUnreadable(
            f"Tệp {filename!r} quá lớn ({_mb(len(data))} MB); giới hạn là {_mb(MAX_BYTES)} MB."
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DocumentUnreadable(f"Tệp {filename!r} trống, không có nội dung để đọc.")
    if data.startswith(_OLE_MAGIC) or name.endswith(".doc"):
        raise DocumentUnreadable(
            "Tệp Word dạng cũ (.doc) chưa đọc được; hãy mở bằng Word và lưu lại dưới dạng .docx."
        )
    if name.endswith(".pdf") or data.startswith(b"%PDF"):
        raise DocumentUnreadable("Tệp PDF chưa đọc được; hãy tải lên bản .docx hoặc .txt.")
    if name.endswith(".docx") or data.startswith(_ZIP_MAGIC):
        from pcmd.plans.parsing.docx_reader import read_docx

        text = read_docx(data, filename)
    else:
        text = decode_text(data, filename)
    check_text_shape(text, filename)
    return text


def decode_text(data: bytes, filename: str = "") -> str:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 (BOM or NUL pattern), then Windows-1258."""
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        text = _try(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
    elif _looks_utf16(data):
        text = _try(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    if text is None and b"\x00" not in data:
        text = _try(data, "utf-8")
        if text is None:
            # Windows-1258 writes tone marks as combining characters; NFC recomposes them later.
            text = _try(data, "cp1258")
    if text is None:
        raise DocumentUnreadable(
            f"Tệp {filename!r} không phải văn bản đọc được (không giải mã được bằng UTF-8, "
            "UTF-16 hay Windows-1258); có thể đây là tệp nhị phân."
        )
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    if _control_share(text) > _CONTROL_SHARE:
        raise DocumentUnreadable(
            f"Tệp {filename!r} chứa dữ liệu nhị phân, không phải văn bản; "
            "hãy tải lên tệp .docx hoặc .txt của kế hoạch."
        )
    return text


def check_text_shape(text: str, filename: str) -> None:
    """Refuse text with no letters at all or with a line longer than any paragraph could be."""
    if not any(ch.isalpha() for ch in text):
        raise DocumentUnreadable(f"Tệp {filename!r} không có chữ nào để đọc.")
    longest = 0
    start = 0
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        longest = max(longest, stop - start)
        if end < 0:
            break
        start = end + 1
    if longest > MAX_LINE_CHARS:
        raise DocumentUnreadable(
            f"Tệp {filename!r} có một dòng dài {longest:,} ký tự (tối đa {MAX_LINE_CHARS:,}): "
            "không phải văn bản hành chính đọc được.".replace(",", ".")
        )


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > half * 0.3 and min(even_nuls, odd_nuls) < half * 0.05


_ALLOWED_CONTROLS = re.compile(r"[\t\n\r\f\v]")


def _control_share(text: str) -> float:
    sample = text[:200_000]
    if not sample:
        return 0.0
    controls = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and not _ALLOWED_CONTROLS.match(ch)
    )
    return controls / len(sample)
