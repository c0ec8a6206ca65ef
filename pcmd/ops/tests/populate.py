"""A small populated site for the backup tests (run inside `pcmd shell` of a test's own site):
a tip with sealed fields, an uploaded file with every byte value, a user."""

from __future__ import annotations

from django.core.files.base import ContentFile

SECRET_NAME = "Nguyễn Thị Bí Mật"
SECRET_CONTENT = "Nhà nghỉ Hoa Hồng, phòng 12, chứa mại dâm (nội dung niêm phong)."
FILE_BYTES = bytes(range(256)) * 64


def populate() -> None:
    from pcmd.accounts.tests.factories import make_user
    from pcmd.tips.models import TipAttachment
    from pcmd.tips.tests.factories import make_tip

    make_user(username="canbo_saoluu")
    tip = make_tip(content=SECRET_CONTENT, reporter_name=SECRET_NAME, reporter_phone="0912345678")
    TipAttachment.objects.create(
        tip=tip,
        file=ContentFile(FILE_BYTES, name="anh-hien-truong.bin"),
        original_name="ảnh hiện trường.jpg",
        content_type="image/jpeg",
        size=len(FILE_BYTES),
    )
