"""Demo reports: written, submitted and approved through the services by the demo accounts.

Owns: demo_reports_load(), LABELS.
Entry points: `pcmd demo` (pcmd.demo), after the plans and the records.
Invariants: idempotent — a report that exists (unit, period, kind) is left alone, so a second run
creates nothing; every step goes through services.py (so it is audited and in the history) with
the demo account whose role may take it: the unit's coordinator writes and submits, the leader
of the unit above approves. The narrative text is ILLUSTRATIVE.
Sections: Xã Hoằng Hợp 2025S1, submitted and approved by Huyện Hoằng Hóa; Xã Hoằng Giang 2025,
submitted; Tỉnh An Giang (old, 89) 2016-2019 approved by the national leader, 2020 in draft,
and the five-year review 2016-2020 submitted.
Not here: the records the figures come from (pcmd.demo.records).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from django.db import transaction

from pcmd.accounts.models import User
from pcmd.common.periods import period_parse
from pcmd.orgunits.selectors import orgunit_get_by_code
from pcmd.plans.models import Plan
from pcmd.reports import services
from pcmd.reports.models import Report, kind_for_period

LABELS = {"reports": "báo cáo định kỳ"}

_HOANG_HOP = {
    "strengths": (
        "Ban Chỉ đạo xã đã chỉ đạo các ban, ngành, đoàn thể và các thôn triển khai đồng bộ kế "
        "hoạch phòng, chống mại dâm năm 2025; công tác tuyên truyền được lồng ghép trong các "
        "buổi họp thôn, sinh hoạt chi hội, thu hút đông đảo nhân dân tham gia. Công an xã phối "
        "hợp kiểm tra các cơ sở kinh doanh lưu trú, karaoke trên địa bàn, không để phát sinh "
        "tụ điểm phức tạp."
    ),
    "shortcomings": (
        "Một số thôn tổ chức tuyên truyền chưa thường xuyên; việc cập nhật tin, bài lên trang "
        "thông tin điện tử của xã còn gián đoạn trong tháng 4; một số cơ sở kinh doanh dịch vụ "
        "chưa thực hiện đầy đủ việc khai báo lưu trú."
    ),
    "causes": (
        "Cán bộ phụ trách kiêm nhiệm nhiều việc; kinh phí cho công tác phòng, chống mại dâm còn "
        "hạn hẹp; một bộ phận chủ cơ sở kinh doanh chưa nhận thức đầy đủ trách nhiệm."
    ),
    "lessons": (
        "Cần sự vào cuộc của cả hệ thống chính trị, phát huy vai trò của trưởng thôn và các "
        "đoàn thể trong việc nắm tình hình tại cơ sở."
    ),
    "next_tasks": (
        "Tiếp tục tuyên truyền tại 100% thôn; duy trì đăng tin, bài hằng tháng; kiểm tra ít "
        "nhất một lần các cơ sở kinh doanh lưu trú, karaoke; chuẩn bị bàn giao hồ sơ, số liệu "
        "khi sắp xếp đơn vị hành chính cấp xã."
    ),
    "recommendations": (
        "Đề nghị UBND huyện hỗ trợ tài liệu tuyên truyền và tổ chức tập huấn nghiệp vụ cho "
        "cán bộ làm công tác phòng, chống mại dâm cấp xã."
    ),
}

_HOANG_GIANG = {
    "strengths": (
        "Sau khi sắp xếp đơn vị hành chính từ ngày 01/7/2025, UBND xã Hoằng Giang đã tiếp nhận "
        "đầy đủ hồ sơ, số liệu của các xã cũ, kiện toàn Ban Chỉ đạo và duy trì công tác kiểm tra "
        "các cơ sở kinh doanh dịch vụ trên địa bàn mới."
    ),
    "shortcomings": (
        "Địa bàn rộng hơn, lực lượng mỏng; một số thôn mới sáp nhập chưa tổ chức tuyên truyền "
        "trong 6 tháng cuối năm."
    ),
    "causes": "Thời gian đầu sau sắp xếp bộ máy còn nhiều việc phải ổn định.",
    "lessons": "Giao nhiệm vụ cụ thể cho từng thôn, từng cán bộ phụ trách địa bàn.",
    "next_tasks": (
        "Năm 2026: xây dựng kế hoạch phòng, chống mại dâm của xã mới; tuyên truyền tại tất cả "
        "các thôn; kiểm tra định kỳ các cơ sở lưu trú, karaoke, massage."
    ),
    "recommendations": (
        "Đề nghị Sở Y tế hướng dẫn chế độ báo cáo và bộ chỉ tiêu áp dụng cho chính quyền địa "
        "phương hai cấp."
    ),
}


def _an_giang(year: int) -> dict[str, str]:
    return {
        "strengths": (
            f"Năm {year}, các sở, ban, ngành và UBND các huyện, thị xã, thành phố đã triển khai "
            "kế hoạch thực hiện Chương trình phòng, chống mại dâm giai đoạn 2016-2020; Đội kiểm "
            "tra liên ngành 178 các cấp kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi dụng, xử "
            "lý nghiêm các vi phạm; mô hình hỗ trợ người bán dâm tại cộng đồng được duy trì."
        ),
        "shortcomings": (
            "Hoạt động mại dâm trá hình qua mạng xã hội và tại các cơ sở massage, karaoke diễn "
            "biến phức tạp, khó phát hiện; công tác hỗ trợ hòa nhập cộng đồng còn hạn chế."
        ),
        "causes": (
            "Khách quan: tỉnh biên giới, lượng khách qua lại lớn. Chủ quan: sự phối hợp giữa "
            "các ngành có lúc chưa chặt chẽ; kinh phí bố trí chưa đáp ứng yêu cầu."
        ),
        "lessons": (
            "Gắn công tác phòng, chống mại dâm với phong trào toàn dân bảo vệ an ninh Tổ quốc."
        ),
        "next_tasks": (
            f"Năm {year + 1}: tiếp tục tuyên truyền, kiểm tra, xử lý vi phạm; nhân rộng mô hình "
            "hỗ trợ; nâng cao năng lực cho đội ngũ cán bộ làm công tác phòng, chống mại dâm."
        ),
        "recommendations": (
            "Đề nghị Bộ Lao động - Thương binh và Xã hội tăng cường tập huấn và hỗ trợ kinh phí "
            "triển khai mô hình can thiệp giảm hại."
        ),
    }


_REVIEW = {
    **_an_giang(2020),
    "strengths": (
        "Sau 05 năm thực hiện Kế hoạch giai đoạn 2016-2020, nhận thức của cán bộ và nhân dân về "
        "phòng, chống mại dâm được nâng lên; các chỉ tiêu về tuyên truyền, kiểm tra và xây dựng "
        "mô hình cơ bản đạt kế hoạch; không để hình thành tụ điểm phức tạp kéo dài."
    ),
    "next_tasks": (
        "Giai đoạn 2021-2025: xây dựng kế hoạch thực hiện Chương trình theo Quyết định số "
        "1629/QĐ-TTg; tập trung phòng ngừa, hỗ trợ xã hội và bảo đảm quyền con người."
    ),
}


@dataclass
class _Step:
    unit_code: str
    level: str
    on: date
    period: str
    writer: str
    narrative: dict[str, str]
    submit_on: date | None = None  # the day it was submitted (builds the figures of that day)
    approver: str = ""
    plan_seed: str = ""
    extra: dict[str, str] = field(default_factory=dict)


STEPS = [
    _Step("15919", "commune", date(2025, 1, 1), "2025S1", "hoanghop", _HOANG_HOP,
          date(2025, 7, 8), "hoanghoa", "hoang_hop_2025.txt"),
    _Step("15880", "commune", date(2026, 1, 1), "2025", "hoanggiang", _HOANG_GIANG,
          date(2026, 1, 10)),
    *[
        _Step("89", "province", date(2020, 1, 1), str(y), "angiang", _an_giang(y),
              date(y + 1, 1, 12), "quocgia.lanhdao", "an_giang_1994_qd_ubnd_2016.txt")
        for y in range(2016, 2020)
    ],
    _Step("89", "province", date(2020, 1, 1), "2020", "angiang", _an_giang(2020), None, "",
          "an_giang_1994_qd_ubnd_2016.txt", {"recommendations": ""}),
    _Step("89", "province", date(2020, 1, 1), "2016-2020", "angiang", _REVIEW,
          date(2021, 1, 20), "", "an_giang_1994_qd_ubnd_2016.txt"),
]  # fmt: skip


def _run(step: _Step) -> bool:
    unit = orgunit_get_by_code(step.unit_code, on=step.on, level=step.level)
    kind = kind_for_period(period_parse(step.period))
    if Report.objects.filter(org_unit=unit, period=step.period, kind=kind).exists():
        return False
    writer = User.objects.get(username=step.writer)
    plan = (
        Plan.objects.filter(org_unit=unit, source_name=step.plan_seed).first()
        if step.plan_seed
        else None
    )
    report = services.report_create(acting_user=writer, unit=unit, period=step.period, plan=plan)
    data = {**step.narrative, **step.extra}
    report = services.report_save_narrative(
        acting_user=writer, report=report, data=data, expected_version=report.version
    )
    if step.submit_on is not None:
        report = services.report_submit(acting_user=writer, report=report, today=step.submit_on)
    if step.approver:
        services.report_approve(acting_user=User.objects.get(username=step.approver), report=report)
    return True


@transaction.atomic
def demo_reports_load(*, stdout: TextIO | None = None) -> dict[str, int]:
    made = 0
    for step in STEPS:
        if _run(step):
            made += 1
            if stdout is not None:
                stdout.write(f"  báo cáo {step.period} của đơn vị {step.unit_code}\n")
    return {"reports": made} if made else {}
