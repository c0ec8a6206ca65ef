"""The anonymous public page: submission and receipt, status lookup and messages, wrong codes,
the rate limit, files, and what is (not) kept about the citizen."""

from __future__ import annotations

import hashlib
import re
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from pcmd.accounts.models import AuditEvent
from pcmd.accounts.tests.factories import HOANG_GIANG, THANH_HOA, unit
from pcmd.tips import services
from pcmd.tips.models import Tip, TipAttachment, TipMessage
from pcmd.tips.tests.factories import officer

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
UA = "TrinhDuyetRiengTu/9.9"
SUBMIT = "/to-giac/"
LOOKUP = "/to-giac/tra-cuu/"
CODE_RE = re.compile(r'id="receipt-code"><strong>([0-9-]+)</strong>')


def _client() -> Client:
    return Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=UA)


def _post(client: Client, **extra: object) -> object:
    data = {
        "tinh": unit(THANH_HOA).pk,
        "commune": unit(HOANG_GIANG).pk,
        "content": "Quán karaoke Giả Định có gái bán dâm sau 22 giờ.",
        **extra,
    }
    return client.post(SUBMIT, data)


def _jpeg_with_exif(secret: bytes) -> bytes:
    app1 = b"Exif\x00\x00" + secret
    return (
        b"\xff\xd8"
        + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
        + b"\xff\xfe" + struct.pack(">H", len(b"camera-owner") + 2) + b"camera-owner"
        + b"\xff\xdb" + struct.pack(">H", 3) + b"\x00"
        + b"\xff\xda" + struct.pack(">H", 2) + b"\x12\x34\xff\xd9"
    )  # fmt: skip


def test_the_page_works_in_two_steps_without_javascript() -> None:
    client = _client()
    first = client.get(SUBMIT)
    assert first.status_code == 200
    assert (
        'name="tinh"' in first.content.decode() and 'name="content"' not in first.content.decode()
    )
    second = client.get(SUBMIT, {"tinh": unit(THANH_HOA).pk})
    body = second.content.decode()
    assert 'name="content"' in body and "Hoằng Giang" in body


@pytest.mark.parametrize("path", [SUBMIT, LOOKUP])
def test_the_public_pages_load_nothing_from_another_host(path: str) -> None:
    body = _client().get(path, {"tinh": unit(THANH_HOA).pk}).content.decode()
    refs = re.findall(r'(?:src|href|action)=["\']([^"\']+)', body)
    assert refs
    assert [r for r in refs if re.match(r"^(https?:)?//", r)] == []


def test_submission_gives_a_receipt_once_and_stores_only_its_hash() -> None:
    police = officer(unit_code=HOANG_GIANG)
    response = _post(_client(), reporter_name="Người Dân Giả Định", reporter_phone="0911111111")
    assert response.status_code == 200  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    code = CODE_RE.search(body).group(1)  # type: ignore[union-attr]
    digits = code.replace("-", "")
    assert len(digits) == 24 and digits.isdigit()
    tip = Tip.objects.get()
    assert tip.channel == "public_page" and tip.org_unit == unit(HOANG_GIANG)
    assert tip.receipt_hash == hashlib.sha256(f"pcmd-receipt:{digits}".encode()).hexdigest()
    assert tip.receipt_hash in body  # the printable proof
    assert tip.reporter_name == "Người Dân Giả Định" and not tip.reporter_anonymous
    assert police.notifications.filter(key=f"tip:{tip.pk}:arrived").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tips_tip")
        raw = repr(cursor.fetchall())
    assert digits not in raw and code not in raw


def test_nothing_about_the_client_is_kept() -> None:
    client = _client()
    response = _post(client)
    assert "sessionid" not in response.cookies  # type: ignore[attr-defined]
    tip = Tip.objects.get()
    dumps = []
    with connection.cursor() as cursor:
        for table in ("tips_tip", "tips_tipevent", "tips_tipattachment", "accounts_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            dumps.append(repr(cursor.fetchall()))
    assert all(IP not in d and UA not in d for d in dumps)
    assert AuditEvent.objects.get(object_id=str(tip.pk)).ip_address is None


def test_the_receipt_round_trip_status_and_messages() -> None:
    police = officer(unit_code=HOANG_GIANG)
    client = _client()
    code = CODE_RE.search(_post(client).content.decode()).group(1)  # type: ignore[union-attr, attr-defined]
    tip = Tip.objects.get()
    services.tip_verify(tip=tip, acting_user=police)
    services.tip_message_officer(tip=tip, acting_user=police, body="Xin cho biết thêm giờ giấc.")
    status = client.post(LOOKUP, {"code": code.replace("-", " ")})
    assert status.status_code == 200
    page = status.content.decode()
    assert "Đang xác minh" in page and "Xin cho biết thêm giờ giấc." in page
    reply = client.post(
        "/to-giac/tra-cuu/tin-nhan/", {"code": code, "body": "Sau 22 giờ hằng đêm."}
    )
    assert reply.status_code == 200 and "Sau 22 giờ hằng đêm." in reply.content.decode()
    assert TipMessage.objects.filter(tip=tip, from_reporter=True).count() == 1
    assert police.notifications.filter(key__startswith=f"tip:{tip.pk}:message:").exists()


def test_the_receipt_follows_a_transfer() -> None:
    police = officer(unit_code=HOANG_GIANG)
    client = _client()
    code = CODE_RE.search(_post(client).content.decode()).group(1)  # type: ignore[union-attr, attr-defined]
    arrived = services.tip_transfer(
        tip=Tip.objects.get(), acting_user=police, to_unit=unit(THANH_HOA)
    )
    assert services.tip_by_receipt(code) == arrived


def test_a_guessed_or_mistyped_code_reveals_nothing() -> None:
    client = _client()
    code = CODE_RE.search(_post(client).content.decode()).group(1)  # type: ignore[union-attr, attr-defined]
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    answers = [client.post(LOOKUP, {"code": c}) for c in (wrong, "1234", "0" * 24)]
    assert {a.status_code for a in answers} == {404}
    texts = {re.sub(r"[A-Za-z0-9]{64}", "", a.content.decode()) for a in answers}  # CSRF tokens
    assert len(texts) == 1
    message = client.post("/to-giac/tra-cuu/tin-nhan/", {"code": wrong, "body": "xin chào"})
    assert message.status_code == 404
    assert not TipMessage.objects.exists()


def test_submissions_are_rate_limited_per_client() -> None:
    client = _client()
    for _ in range(5):
        assert _post(client).status_code == 200  # type: ignore[attr-defined]
    assert _post(client).status_code == 429  # type: ignore[attr-defined]
    assert Tip.objects.count() == 5
    assert _post(Client(REMOTE_ADDR="198.51.100.9")).status_code == 200  # type: ignore[attr-defined]


def test_lookups_are_rate_limited() -> None:
    client = _client()
    for _ in range(20):
        client.post(LOOKUP, {"code": "0" * 24})
    assert client.post(LOOKUP, {"code": "0" * 24}).status_code == 429


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("to.jpg", b"\xff\xd8" + b"\x00" * (10 * 1024 * 1024), "10 MB"),
        ("anh.jpg", b"MZ\x90\x00" + b"\x00" * 100, "không đúng loại"),
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận"),
        ("tai-lieu.pdf", b"%PDF-1.4 tac gia", "chỉ nhận"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(name: str, data: bytes, message: str) -> None:
    response = _post(_client(), attachments=SimpleUploadedFile(name, data))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert message in response.content.decode()  # type: ignore[attr-defined]
    assert not Tip.objects.exists() and not TipAttachment.objects.exists()


def test_image_metadata_is_stripped(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    photo = SimpleUploadedFile("IMG_Nguyen_Van_A.jpg", _jpeg_with_exif(b"GPS 21.0N 105.8E"))
    assert _post(_client(), attachments=photo).status_code == 200  # type: ignore[attr-defined]
    att = TipAttachment.objects.get()
    stored = att.file.read()
    assert b"GPS" not in stored and b"camera-owner" not in stored and b"Exif" not in stored
    assert stored.startswith(b"\xff\xd8") and stored.endswith(b"\xff\xd9")
    assert att.original_name == "anh.jpg"
