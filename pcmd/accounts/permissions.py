"""The permission rules of PCMD, in one place: what each role may do, and where.

Owns: CAPABILITIES (role -> capabilities), CAPABILITY_LABELS, ROLES_REQUIRING_2FA,
requires_second_factor(), has_capability(), require_capability(), capability_labels(),
scope_q(), scope_filter(), unit_in_scope(), get_in_scope_or_404().
Invariants: every page, export and API query filters through scope_filter() or
get_in_scope_or_404(); a user sees the subtree of their own org unit at any date, including the
records of the units their unit succeeded, and nothing else. Objects outside the scope are
answered with 404 (not 403) so that their existence does not leak.
Not here: authentication, 2FA (services.py, views.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.orgunits.models import OrgUnit, OrgUnitScope

if TYPE_CHECKING:
    from pcmd.accounts.models import User

M = TypeVar("M", bound=Model)

# Capabilities are "<area>.<verb>". Later apps add their areas here, never elsewhere.
_READ_UNITS = {"orgunit.view", "agency.view", "job.view", "plan.view"}
# Operational records (issue 4): everyone in the unit reads them; each role writes its own work.
_READ_RECORDS = {"outreach.view", "training.view", "enforcement.view", "pilotmodel.view"}
_COORDINATOR_RECORDS = {"outreach.manage", "training.manage", "pilotmodel.manage", "budget.manage"}
_ENFORCEMENT_RECORDS = {"establishment.manage", "inspection.manage"}
# Roles that record progress only on the tasks their own agency is assigned
# (pcmd.plans.selectors.can_record_progress applies the rule).
_ASSIGNED_PROGRESS = {"task.progress_assigned"}
# Sealed records (issue 5): tips and support case files name people. Everyone may see the
# suppressed aggregates; only the roles that do the work read the records, and identities
# (reporters, beneficiaries) are revealed one at a time, with a reason, audited.
_SEALED_STATS = {"tip.stats", "support.stats"}
CAPABILITIES: dict[str, frozenset[str]] = {
    "admin": frozenset(
        _READ_UNITS
        | {
            "orgunit.manage",
            "village.manage",
            "agency.manage",
            "audit.view",
            "user.manage",
            "job.run_system",
            "plan.manage",
            "task.progress",
            "case.manage",
        }
        | _READ_RECORDS
        | _COORDINATOR_RECORDS
        | _ENFORCEMENT_RECORDS
        | _SEALED_STATS
    ),
    "coordinator": frozenset(
        _READ_UNITS
        | {"village.manage", "agency.manage", "plan.manage", "task.progress"}
        | _READ_RECORDS
        | _COORDINATOR_RECORDS
        | {"establishment.manage", "indicator.aggregate"}
        | _SEALED_STATS
    ),
    "police": frozenset(
        _READ_UNITS
        | _ASSIGNED_PROGRESS
        | _READ_RECORDS
        | _ENFORCEMENT_RECORDS
        | {"case.manage", "tip.view", "tip.manage", "sealed.break_glass"}
        | _SEALED_STATS
    ),
    "inspector": frozenset(
        _READ_UNITS | _ASSIGNED_PROGRESS | _READ_RECORDS | _ENFORCEMENT_RECORDS | _SEALED_STATS
    ),
    "social_worker": frozenset(
        _READ_UNITS
        | _ASSIGNED_PROGRESS
        | _READ_RECORDS
        | {"beneficiary.view", "beneficiary.manage", "beneficiary.identity", "sealed.break_glass"}
        | _SEALED_STATS
    ),
    "leader": frozenset(
        _READ_UNITS
        | {"audit.view"}
        | _ASSIGNED_PROGRESS
        | _READ_RECORDS
        | {"tip.view", "tip.supervise", "beneficiary.view", "beneficiary.identity"}
        | {"support.supervise"}
        | _SEALED_STATS
    ),
    "data_entry": frozenset(
        _READ_UNITS
        | {"village.manage", "task.progress", "outreach.manage", "training.manage"}
        | _READ_RECORDS
        | _SEALED_STATS
    ),
}

# Periodic reports (issue 7): everyone in the unit reads its reports and those below; the
# coordinator (and the admin) writes and submits the unit's own; a leader reviews — approves,
# returns, reopens — the reports of the units whose parent is the leader's unit.
_REPORT_CAPABILITIES = {
    "admin": {"report.view", "report.write"},
    "coordinator": {"report.view", "report.write"},
    "leader": {"report.view", "report.review"},
    "police": {"report.view"},
    "inspector": {"report.view"},
    "social_worker": {"report.view"},
    "data_entry": {"report.view"},
}
for _role, _caps in _REPORT_CAPABILITIES.items():
    CAPABILITIES[_role] = CAPABILITIES[_role] | _caps

# What each capability means to the user (the home page lists them). Add a label with every
# new capability; an unlabelled one shows its code, which a test catches.
CAPABILITY_LABELS: dict[str, Any] = {
    "outreach.view": gettext_lazy("Xem các hoạt động tuyên truyền"),
    "outreach.manage": gettext_lazy("Ghi, sửa hoạt động tuyên truyền"),
    "training.view": gettext_lazy("Xem danh sách cán bộ và các lớp tập huấn"),
    "training.manage": gettext_lazy("Ghi, sửa danh sách cán bộ và lớp tập huấn"),
    "enforcement.view": gettext_lazy("Xem cơ sở kinh doanh, kiểm tra, vi phạm, vụ án"),
    "establishment.manage": gettext_lazy("Ghi, sửa sổ theo dõi cơ sở kinh doanh dịch vụ"),
    "inspection.manage": gettext_lazy("Ghi kết quả kiểm tra, vi phạm, tụ điểm"),
    "case.manage": gettext_lazy("Ghi, sửa vụ án hình sự liên quan đến mại dâm"),
    "pilotmodel.view": gettext_lazy("Xem các mô hình thí điểm"),
    "pilotmodel.manage": gettext_lazy("Ghi, sửa mô hình thí điểm"),
    "budget.manage": gettext_lazy("Ghi dự toán và chi tiêu kinh phí của kế hoạch"),
    "indicator.aggregate": gettext_lazy(
        "Nhập số liệu tổng hợp cho đơn vị chưa ghi chép trên hệ thống"
    ),
    "tip.stats": gettext_lazy("Xem số liệu tổng hợp về tin báo, tố giác (đã che ô nhỏ)"),
    "tip.view": gettext_lazy("Xem tin báo, tố giác của đơn vị và tiến độ xử lý"),
    "tip.manage": gettext_lazy("Tiếp nhận, xác minh, phân loại, xử lý tin báo, tố giác"),
    "tip.supervise": gettext_lazy("Phê duyệt gia hạn, theo dõi thời hạn xử lý tin báo"),
    "support.stats": gettext_lazy("Xem số liệu tổng hợp về hỗ trợ (đã che ô nhỏ)"),
    "beneficiary.view": gettext_lazy("Xem hồ sơ hỗ trợ theo mã bí danh"),
    "beneficiary.manage": gettext_lazy(
        "Ghi hồ sơ hỗ trợ: đồng thuận, đánh giá nhu cầu, dịch vụ, chuyển gửi"
    ),
    "beneficiary.identity": gettext_lazy(
        "Xem thông tin nhận dạng của người được hỗ trợ (ghi lý do, có nhật ký)"
    ),
    "support.supervise": gettext_lazy("Phê duyệt đóng hồ sơ hỗ trợ"),
    "sealed.break_glass": gettext_lazy(
        "Truy cập khẩn cấp thông tin được niêm phong (có thời hạn, ghi lý do, báo người phụ trách)"
    ),
    "orgunit.view": gettext_lazy("Xem cây đơn vị hành chính trong phạm vi của mình"),
    "agency.view": gettext_lazy("Xem danh sách cơ quan, đơn vị"),
    "job.view": gettext_lazy("Theo dõi tiến độ các tác vụ chạy nền"),
    "orgunit.manage": gettext_lazy("Quản lý đơn vị hành chính"),
    "village.manage": gettext_lazy("Thêm, sửa thôn, tổ dân phố"),
    "agency.manage": gettext_lazy("Thêm, sửa cơ quan, đơn vị"),
    "audit.view": gettext_lazy("Xem nhật ký hệ thống"),
    "user.manage": gettext_lazy("Quản lý người dùng, đặt lại xác thực hai lớp"),
    "job.run_system": gettext_lazy("Chạy tác vụ hệ thống"),
    "plan.view": gettext_lazy("Xem kế hoạch, chỉ tiêu, nhiệm vụ trong phạm vi của mình"),
    "plan.manage": gettext_lazy(
        "Nhập, sửa, ban hành kế hoạch của đơn vị mình; tạo kế hoạch cấp dưới, kế hoạch năm"
    ),
    "task.progress": gettext_lazy("Cập nhật tiến độ thực hiện nhiệm vụ, kèm minh chứng"),
    "task.progress_assigned": gettext_lazy(
        "Cập nhật tiến độ các nhiệm vụ giao cho cơ quan mình, kèm minh chứng"
    ),
    "report.view": gettext_lazy("Xem báo cáo định kỳ của đơn vị và các đơn vị cấp dưới"),
    "report.write": gettext_lazy("Soạn, gửi báo cáo định kỳ của đơn vị mình"),
    "report.review": gettext_lazy(
        "Duyệt, trả lại, mở lại báo cáo của các đơn vị cấp dưới trực tiếp"
    ),
}

# Roles that can read sealed identities must log in with a second factor.
ROLES_REQUIRING_2FA = frozenset({"admin", "police", "social_worker", "leader"})


def requires_second_factor(user: Any) -> bool:
    """True if `user` must present a TOTP token to log in.

    Staff and superusers always must (they reach the Django admin whatever their role); demo
    users are exempt only while demo mode is on (read at call time, so tests can override it).
    """
    if getattr(user, "is_demo", False) and settings.DEMO_MODE:
        return False
    return (
        getattr(user, "role", "") in ROLES_REQUIRING_2FA
        or bool(getattr(user, "is_superuser", False))
        or bool(getattr(user, "is_staff", False))
    )


def capability_labels(user: Any) -> list[str]:
    """Human-readable list of what `user`'s role may do, in a stable order."""
    caps = CAPABILITIES.get(getattr(user, "role", ""), frozenset())
    return [str(CAPABILITY_LABELS.get(cap, cap)) for cap in sorted(caps)]


def has_capability(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def require_capability(user: Any, capability: str) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))


def is_national(user: User) -> bool:
    return user.org_unit is not None and user.org_unit.level == OrgUnit.Level.NATIONAL


def scope_unit_ids(user: User) -> QuerySet[OrgUnitScope, Any]:
    """A subquery of the ids of the units whose records `user` may see."""
    return OrgUnitScope.objects.filter(holder_id=user.org_unit_id).values("unit_id")


def scope_q(user: Any, field: str = "org_unit") -> Q:
    """Q restricting a queryset on `field` (a FK to OrgUnit) to the user's scope."""
    if not getattr(user, "is_authenticated", False) or user.org_unit_id is None:
        return Q(pk__in=[])
    if is_national(user):
        return Q()
    return Q(**{f"{field}__in": scope_unit_ids(user)})


def scope_filter(qs: QuerySet[M, Any], user: Any, field: str = "org_unit") -> QuerySet[M, Any]:
    return qs.filter(scope_q(user, field))


def unit_in_scope(user: Any, unit: OrgUnit | int | None) -> bool:
    if unit is None or not getattr(user, "is_authenticated", False) or user.org_unit_id is None:
        return False
    unit_id = unit.pk if isinstance(unit, OrgUnit) else unit
    if is_national(user):
        return True
    return OrgUnitScope.objects.filter(holder_id=user.org_unit_id, unit_id=unit_id).exists()


def get_in_scope_or_404(
    qs: QuerySet[M, Any], user: Any, field: str = "org_unit", **lookup: Any
) -> M:
    """The object matching `lookup` inside the user's scope, else 404 (never another unit's)."""
    obj = scope_filter(qs, user, field).filter(**lookup).first()
    if obj is None:
        raise Http404(_("Không tìm thấy, hoặc bạn không có quyền xem mục này."))
    return obj
