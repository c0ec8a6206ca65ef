"""Seed the retention periods of closed support case files (defaults marked for legal review)."""

from typing import Any

from django.db import migrations

BASIS = (
    "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15: dữ liệu chỉ được lưu trong thời gian phù hợp "
    "với mục đích xử lý"
)
RULES = [
    ("sex_worker", 5, "Mặc định: 5 năm sau khi đóng hồ sơ (đủ cho rà soát, tái hòa nhập)."),
    (
        "trafficking_victim",
        10,
        "Mặc định: 10 năm sau khi đóng hồ sơ (có thể cần cho tố tụng, bồi thường về sau).",
    ),
    ("high_risk", 2, "Mặc định: 2 năm sau khi đóng hồ sơ."),
]


def seed(apps: Any, schema_editor: Any) -> None:
    RetentionRule = apps.get_model("support", "RetentionRule")
    for group, years, note in RULES:
        RetentionRule.objects.get_or_create(
            group=group,
            defaults={
                "years_after_closure": years,
                "legal_basis": BASIS,
                "needs_legal_review": True,
                "note": note,
            },
        )


def unseed(apps: Any, schema_editor: Any) -> None:
    apps.get_model("support", "RetentionRule").objects.filter(
        group__in=[g for g, _, _ in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0002_casefiles")]

    operations = [migrations.RunPython(seed, unseed)]
