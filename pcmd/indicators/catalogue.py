"""The built-in indicators: one for every target family of both seed plans and DOMAIN.md §1.6.

Owns: BUILTIN, catalogue_sync().
Invariants: every definition here passes definitions.definition_check (a test runs them all);
catalogue_sync creates missing built-ins and refreshes their definitions, never touches an
indicator an admin created, and never deletes one (a target may point at it). Definitions are
data: an admin can copy one and change it without code.
Not here: computing (compute.py), mapping targets (mapping.py).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

_OUTREACH = {"source": "outreach.events"}
_MEDIA_FORMS = ["press", "broadcast", "website", "social_media"]

# (code, Vietnamese name, English name, unit, kind, definition)
BUILTIN: list[tuple[str, str, str, str, str, dict[str, Any]]] = [
    ("outreach-village-coverage",
     "Tỷ lệ thôn, tổ dân phố tổ chức ít nhất một hình thức tuyên truyền",
     "Villages holding at least one awareness activity", "%", "coverage",
     {**_OUTREACH, "level": "village"}),
    ("outreach-commune-coverage",
     "Tỷ lệ xã, phường tổ chức ít nhất một hình thức tuyên truyền",
     "Communes holding at least one awareness activity", "%", "coverage",
     {**_OUTREACH, "level": "commune"}),
    ("outreach-events", "Số hoạt động tuyên truyền", "Awareness activities", "hoạt động",
     "count", dict(_OUTREACH)),
    ("outreach-participants", "Số lượt người tham dự tuyên truyền",
     "Participants in awareness activities", "lượt người", "sum",
     {**_OUTREACH, "sum": "participants"}),
    ("web-posts-monthly",
     "Số tháng có tin, bài đăng trên trang thông tin điện tử của đơn vị",
     "Months with a post on the unit's website", "%", "frequency",
     {**_OUTREACH, "filter": {"form": ["website"]}, "own": True, "per": "month"}),
    ("media-monthly",
     "Số tháng có tin, bài trên phương tiện thông tin đại chúng của đơn vị",
     "Months with an item in the unit's mass media", "%", "frequency",
     {**_OUTREACH, "filter": {"form": _MEDIA_FORMS}, "own": True, "per": "month"}),
    ("agencies-active",
     "Tỷ lệ cơ quan, đơn vị có ít nhất một hoạt động phòng, chống mại dâm",
     "Agencies with at least one activity", "%", "ratio",
     {"numerator": [
         {**_OUTREACH, "distinct": "agency"},
         {"source": "training.courses", "distinct": "agency"},
         {"source": "enforcement.inspections", "distinct": "agency"},
     ],
      "denominator": {"source": "orgunits.agencies", "distinct": "agency"}}),
    ("establishments-inspected",
     "Tỷ lệ cơ sở kinh doanh dịch vụ dễ bị lợi dụng được kiểm tra",
     "At-risk businesses inspected", "%", "ratio",
     {"numerator": {"source": "enforcement.inspections", "distinct": "establishment"},
      "denominator": {"source": "enforcement.establishments", "distinct": "establishment"}}),
    ("inspections", "Số lượt kiểm tra cơ sở kinh doanh dịch vụ", "Inspections", "lượt",
     "count", {"source": "enforcement.inspections"}),
    ("violations", "Số vi phạm hành chính phát hiện qua kiểm tra",
     "Administrative violations found", "vi phạm", "count",
     {"source": "enforcement.violations"}),
    ("fines", "Tổng số tiền phạt vi phạm hành chính", "Fines imposed", "đồng", "sum",
     {"source": "enforcement.violations", "sum": "fine_amount"}),
    ("hotspots-new", "Số tụ điểm, điểm phức tạp mới phát hiện", "New hot spots", "tụ điểm",
     "count", {"source": "enforcement.hotspots_detected"}),
    ("hotspots-cleared", "Số tụ điểm đã xóa bỏ", "Hot spots cleared", "tụ điểm", "count",
     {"source": "enforcement.hotspots_detected", "date": "cleared_on"}),
    ("cases-handled", "Số vụ án liên quan đến mại dâm bị khởi tố, xử lý",
     "Prostitution-related criminal cases prosecuted", "vụ", "count",
     {"source": "enforcement.cases", "date": "prosecuted_on"}),
    ("cases-handled-change",
     "Thay đổi số vụ án liên quan đến mại dâm được xử lý so với năm trước",
     "Change in prostitution-related cases prosecuted against the previous year", "%",
     "change", {"base": {"source": "enforcement.cases", "date": "prosecuted_on"},
                "baseline": "last_year", "accumulates": False}),
    ("staff-trained",
     "Tỷ lệ cán bộ có liên quan được bồi dưỡng, tập huấn",
     "Relevant officials trained", "%", "ratio",
     {"numerator": {"source": "training.participations",
                    "filter": {"staffmember__pcmd_relevant": True}, "distinct": "staff"},
      "denominator": {"source": "training.staff", "filter": {"pcmd_relevant": True},
                      "distinct": "staff"}}),
    ("district-integrated-plans",
     "Tỷ lệ huyện xây dựng kế hoạch lồng ghép phòng, chống mại dâm",
     "Districts with their own integrated plan", "%", "coverage",
     {"source": "plans.plans", "filter": {"status": ["issued", "closed"]}, "own": True,
      "level": "district"}),
    ("district-support-models",
     "Huyện có mô hình cung cấp dịch vụ hỗ trợ xã hội cho người bán dâm",
     "Districts with a support-services model", "%", "coverage",
     {"source": "support.pilot_models", "filter": {"kind": ["community_services"]},
      "level": "district"}),
    ("district-harm-reduction",
     "Huyện triển khai hoạt động can thiệp giảm tác hại",
     "Districts with harm-reduction interventions", "%", "coverage",
     {"source": "support.pilot_models", "filter": {"kind": ["harm_reduction_gbv"]},
      "level": "district"}),
    ("village-pilot-models",
     "Tỷ lệ địa bàn (thôn) xây dựng, triển khai mô hình thí điểm",
     "Villages with a pilot model", "%", "coverage",
     {"source": "support.pilot_models", "level": "village"}),
    ("models-workers-rights",
     "Số mô hình bảo đảm quyền của người lao động tại cơ sở kinh doanh dịch vụ (lũy kế)",
     "Workers'-rights models (cumulative)", "mô hình", "cumulative",
     {"base": {"source": "support.pilot_models", "date": "start_date",
               "filter": {"kind": ["workers_rights"]}}}),
    ("models-peer-groups",
     "Số mô hình nâng cao năng lực nhóm đồng đẳng, tự lực (lũy kế)",
     "Peer / self-help group models (cumulative)", "mô hình", "cumulative",
     {"base": {"source": "support.pilot_models", "date": "start_date",
               "filter": {"kind": ["peer_groups"]}}}),
    ("tips-handled-in-time",
     "Tỷ lệ tin báo, tố giác được xử lý đúng thời hạn",
     "Tips and denunciations handled in time", "%", "measure",
     {"source": "tips.tips", "measure": "handled_in_time", "accumulates": False}),
    ("support-reached",
     "Tỷ lệ người bán dâm có nhu cầu, đủ điều kiện được tiếp cận dịch vụ hỗ trợ",
     "People who sell sex in need and eligible who were reached by support services", "%",
     "measure",
     {"source": "support.beneficiaries", "filter": {"group": ["sex_worker"]},
      "measure": "reached"}),
    ("models-support-services",
     "Số mô hình cung cấp dịch vụ hỗ trợ xã hội (lũy kế)",
     "Support-services models (cumulative)", "mô hình", "cumulative",
     {"base": {"source": "support.pilot_models", "date": "start_date",
               "filter": {"kind": ["community_services"]}}}),
]  # fmt: skip


@transaction.atomic
def catalogue_sync() -> int:
    """Create or refresh the built-in indicators; returns how many were created."""
    from pcmd.indicators.definitions import definition_check
    from pcmd.indicators.models import Indicator

    created = 0
    for code, name, name_en, unit, kind, definition in BUILTIN:
        definition_check(kind, definition)
        _obj, was_created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "kind": kind,
                "definition": definition,
                "is_builtin": True,
            },
        )
        created += int(was_created)
    return created
