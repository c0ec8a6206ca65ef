"""Check the files that come with a tip, and strip the metadata of those from the public page.

Owns: PUBLIC_TYPES, MAX_BYTES, attachment_check() (officer intake: the evidence types of
pcmd.plans), public_attachment_clean() (public page: JPEG, PNG and plain text only).
Invariants: a file is refused (ValidationError, Vietnamese) when it is empty, larger than
MAX_BYTES, of a type not listed, or when its content does not match its extension — an
executable renamed .jpg is refused. A public file is stored only after cleaning: JPEG loses every
APPn and COM segment (EXIF, GPS, XMP, camera serials, comments), PNG keeps only its critical
chunks and colour information (text, time and EXIF chunks go), text is re-encoded as UTF-8.
Types that cannot be cleaned here (PDF, Office documents) are refused on the public page: they
carry author names and edit history that only a full re-render would remove (Pillow is not
installed; JPEG/PNG cleaning is done at the byte level instead).
Not here: storing the file (services.py).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pcmd.plans.services.progress import evidence_check

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


@dataclass(frozen=True)
class CleanFile:
    name: str
    content_type: str
    data: bytes


PUBLIC_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain",
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks kept: the image itself and how to show its colours; everything else goes.
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT"}


def attachment_check(upload: Any) -> str:
    """The content type of an acceptable file from an officer; ValidationError otherwise."""
    _ext, content_type = evidence_check(upload)
    return content_type


def _name(upload: Any) -> str:
    return str(getattr(upload, "name", "") or "tep")


def _read(upload: Any) -> bytes:
    upload.seek(0)
    data = bytes(upload.read(MAX_BYTES + 1))
    upload.seek(0)
    return data


def _bad(name: str) -> ValidationError:
    return ValidationError(
        _("Tệp “%(name)s” bị hỏng hoặc không đúng loại, nên không được nhận.") % {"name": name}
    )


def strip_jpeg(data: bytes, name: str = "") -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise _bad(name)
    out, i = bytearray(b"\xff\xd8"), 2
    while i < len(data):
        if data[i] != 0xFF:
            raise _bad(name)
        marker = data[i + 1] if i + 1 < len(data) else 0
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[i:]
            return bytes(out)
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            out += data[i : i + 2]
            i += 2
            continue
        if i + 4 > len(data):
            raise _bad(name)
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        segment = data[i : i + 2 + length]
        if len(segment) < 2 + length or length < 2:
            raise _bad(name)
        # APP0..APP15 (E0-EF: JFIF, EXIF, XMP, ICC, Photoshop) and COM (FE) carry metadata.
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            out += segment
        i += 2 + length
    raise _bad(name)


def strip_png(data: bytes, name: str = "") -> bytes:
    if not data.startswith(PNG_SIGNATURE):
        raise _bad(name)
    out, i = bytearray(PNG_SIGNATURE), len(PNG_SIGNATURE)
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise _bad(name)
        if kind in PNG_KEEP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise _bad(name)


def public_attachment_clean(upload: Any) -> CleanFile:
    """A public file checked and stripped of metadata; ValidationError when refused."""
    name = _name(upload)
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in PUBLIC_TYPES:
        raise ValidationError(
            _("Tệp “%(name)s”: chỉ nhận ảnh JPG, PNG hoặc tệp văn bản TXT.") % {"name": name}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_BYTES:
        raise ValidationError(_("Tệp “%(name)s” lớn hơn giới hạn 10 MB.") % {"name": name})
    data = _read(upload)
    if not data:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Tệp “%(name)s” lớn hơn giới hạn 10 MB.") % {"name": name})
    content_type = PUBLIC_TYPES[ext]
    if content_type == "image/jpeg":
        cleaned = strip_jpeg(data, name)
    elif content_type == "image/png":
        cleaned = strip_png(data, name)
    else:
        if b"\x00" in data or data.startswith(b"MZ") or data.startswith(b"\x7fELF"):
            raise _bad(name)
        try:
            cleaned = data.decode("utf-8-sig").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _("Tệp “%(name)s” không phải văn bản UTF-8.") % {"name": name}
            ) from exc
    stem = "anh" if content_type.startswith("image/") else "van-ban"
    # The original file name may name the reporter or their device: it is not kept.
    return CleanFile(name=f"{stem}.{'jpg' if ext == 'jpeg' else ext}", content_type=content_type,
                     data=cleaned)  # fmt: skip
