"""Seed the catalogues kept as data: business types (DOMAIN.md §6.1), legal bases for
administrative sanctions, and the Criminal Code offences related to prostitution.

Facts marked [K] in DOMAIN.md are seeded with a note asking for legal review; an admin corrects
them in the Django admin, never in code.
"""

from datetime import date

from django.db import migrations

REVIEW = "Cần cán bộ pháp chế rà soát, đối chiếu văn bản gốc trước khi dùng làm căn cứ."

# code, name, default risk, security-conditional (NĐ 96/2016, [K] partly), note
BUSINESS_TYPES = [
    ("LUU_TRU_KS", "Khách sạn, nhà khách", "medium", True, ""),
    ("LUU_TRU_NN", "Nhà nghỉ", "high", True, ""),
    ("LUU_TRU_NT", "Nhà trọ, phòng trọ, căn hộ cho thuê", "medium", True, ""),
    ("VU_TRUONG", "Vũ trường, câu lạc bộ khiêu vũ", "high", True, ""),
    ("BAR", "Quán bar", "high", False, REVIEW),
    ("KARAOKE", "Karaoke", "high", True, ""),
    ("MASSAGE", "Xoa bóp (massage), tẩm quất, bấm huyệt; spa", "high", True, ""),
    ("TOC_GOI", "Cắt tóc, gội đầu thư giãn", "medium", False, ""),
    ("CAFE_DM", "Quán cà phê (đèn mờ, trá hình)", "medium", False, ""),
    ("TAM_KHOANG", "Tắm khoáng nóng, xông hơi", "medium", False, ""),
    ("NHA_HANG", "Nhà hàng có dịch vụ giải trí", "low", False, ""),
    ("SU_KIEN", "Công ty tổ chức sự kiện, dịch vụ trá hình; môi giới qua mạng", "medium", False, ""),
    ("DU_LICH", "Biệt thự, căn hộ kinh doanh du lịch; cơ sở du lịch", "medium", True, REVIEW),
    ("KHAC", "Loại hình khác", "low", False, ""),
]

LEGAL_BASES = [
    (
        "ND-144-2021",
        "144/2021/NĐ-CP",
        "Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực an ninh, trật tự, an toàn xã "
        "hội; phòng, chống tệ nạn xã hội; phòng cháy, chữa cháy; cứu nạn, cứu hộ; phòng, chống bạo "
        "lực gia đình",
        date(2022, 1, 1),
        date(2025, 12, 14),
        REVIEW + " Ngày hiệu lực 01/01/2022 chưa được đối chiếu.",
    ),
    (
        "ND-282-2025",
        "282/2025/NĐ-CP",
        "Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực an ninh, trật tự, an toàn xã "
        "hội; phòng, chống tệ nạn xã hội (thay thế Nghị định 144/2021/NĐ-CP)",
        date(2025, 12, 15),
        None,
        REVIEW + " Điều 32: mua dâm (theo báo chí); các điều khác chưa đối chiếu.",
    ),
]

# code, article, name, note
OFFENCES = [
    ("BLHS-327", 327, "Tội chứa mại dâm", ""),
    ("BLHS-328", 328, "Tội môi giới mại dâm", ""),
    ("BLHS-329", 329, "Tội mua dâm người dưới 18 tuổi", ""),
    ("BLHS-150", 150, "Tội mua bán người", REVIEW),
    ("BLHS-151", 151, "Tội mua bán người dưới 16 tuổi", REVIEW),
    ("BLHS-148", 148, "Tội lây truyền HIV cho người khác", REVIEW),
]


def seed(apps, schema_editor):
    BusinessType = apps.get_model("enforcement", "BusinessType")
    LegalBasis = apps.get_model("enforcement", "LegalBasis")
    Offence = apps.get_model("enforcement", "Offence")
    for order, (code, name, risk, conditional, note) in enumerate(BUSINESS_TYPES, start=1):
        BusinessType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "default_risk": risk,
                "security_conditional": conditional,
                "order": order,
                "note": note,
            },
        )
    for code, number, title, valid_from, valid_to, note in LEGAL_BASES:
        LegalBasis.objects.update_or_create(
            code=code,
            defaults={
                "number": number,
                "title": title,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "note": note,
            },
        )
    for order, (code, article, name, note) in enumerate(OFFENCES, start=1):
        Offence.objects.update_or_create(
            code=code, defaults={"article": article, "name": name, "order": order, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
