"""Seed the deadline rules (DOMAIN.md §3.6). An admin corrects them in the Django admin; rows
marked needs_legal_review are defaults chosen by the developers, not verified law."""

from datetime import date

from django.db import migrations

RULES = [
    # Criminal procedure code 2003, Điều 103: 20 days, up to 2 months when complex, no extension.
    *[
        {
            "applies_to": nature,
            "legal_basis": "BLTTHS 2003, Điều 103",
            "valid_from": date(2004, 7, 1),
            "valid_to": date(2017, 12, 31),
            "days": 20,
            "complex_months": 2,
            "max_extension_months": 0,
            "needs_legal_review": True,
            "note": "Theo hiểu biết chung, chưa đối chiếu văn bản gốc.",
        }
        for nature in ("crime_denunciation", "crime_report", "prosecution_rec")
    ],
    # Criminal procedure code 2015, Điều 147: 20 days, up to 2 months when complex, one
    # extension of up to 2 more months by the procuracy.
    *[
        {
            "applies_to": nature,
            "legal_basis": "BLTTHS 2015, Điều 147",
            "valid_from": date(2018, 1, 1),
            "valid_to": None,
            "days": 20,
            "complex_months": 2,
            "max_extension_months": 2,
            "needs_legal_review": False,
            "note": "Luật 99/2025/QH15 sửa đổi BLTTHS: chưa kiểm tra thời hạn có thay đổi không.",
        }
        for nature in ("crime_denunciation", "crime_report", "prosecution_rec")
    ],
    {
        "applies_to": "commune_pass_on",
        "legal_basis": "TTLT 01/2017/TTLT-BCA-BQP-BTC-BNN&PTNT-VKSNDTC",
        "valid_from": date(2018, 3, 1),
        "valid_to": None,
        "hours": 24,
        "remote_hours": 48,
        "needs_legal_review": False,
        "note": "Công an xã chuyển tin báo, tài liệu cho Cơ quan điều tra trong 24 giờ "
        "(48 giờ ở vùng sâu, vùng xa, hải đảo).",
    },
    {
        "applies_to": "admin_violation",
        "legal_basis": "Luật Xử lý vi phạm hành chính 2012 (mặc định của hệ thống)",
        "valid_from": date(2013, 7, 1),
        "valid_to": None,
        "days": 30,
        "max_extension_months": 1,
        "needs_legal_review": True,
        "note": "Mặc định 30 ngày, gia hạn một lần tối đa 1 tháng: cần rà soát pháp lý.",
    },
    {
        "applies_to": "complaint",
        "legal_basis": "Luật Khiếu nại 2011, Điều 28 (mặc định của hệ thống)",
        "valid_from": date(2012, 7, 1),
        "valid_to": None,
        "days": 30,
        "max_extension_months": 0,
        "needs_legal_review": True,
        "note": "30 ngày kể từ ngày thụ lý (45 ngày nếu phức tạp; vùng sâu, vùng xa 45/60 "
        "ngày) — hệ thống chỉ áp dụng 30 ngày: cần rà soát pháp lý.",
    },
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("tips", "DeadlineRule")
    for row in RULES:
        DeadlineRule.objects.get_or_create(
            applies_to=row["applies_to"], valid_from=row["valid_from"], defaults=row
        )


class Migration(migrations.Migration):
    dependencies = [("tips", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
