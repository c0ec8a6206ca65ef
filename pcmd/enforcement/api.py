"""REST API of enforcement: establishments, inspection teams, inspections, violations, hot spots
and criminal cases, with filters by unit and period.

Owns: the serializers and viewsets of the enforcement records, register(router).
Entry points: register(router) — pcmd.api mounts "establishments", "inspection-teams",
"inspections", "violations", "hot-spots", "cases".
Invariants: reads go through selectors (scoped: 404 outside the scope); writes go through the
services, so the rules are the pages' rules (403 with a Vietnamese message when the role or unit
may not, 400 keyed by field when the input is wrong, 409 with the current record when `version`
is outdated). Related ids (units, establishments, teams, agencies, tasks) are looked up inside
the user's scope, so an id from elsewhere is "not found".
Not here: URL wiring, authentication, the schema view (pcmd.api).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability, scope_filter
from pcmd.common.records import StaleRecord
from pcmd.enforcement import selectors, services
from pcmd.enforcement.forms import scope_units, scope_villages
from pcmd.enforcement.models import (
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    Violation,
)
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.plans import selectors as plan_selectors
from pcmd.plans.models import Task


class CanViewEnforcement(permissions.BasePermission):
    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "enforcement.view")


UNIT_PARAM = OpenApiParameter(
    "org_unit",
    OpenApiTypes.INT,
    description="Mã số (id) đơn vị: gồm cả cấp dưới và đơn vị tiền thân.",
)
PERIOD_PARAM = OpenApiParameter(
    "period", OpenApiTypes.STR, description="Kỳ: 2025, 2025S1, 2025Q1, 202503 hoặc 2016-2020."
)


class ScopedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related id looked up in a queryset built from the requesting user's scope."""

    def __init__(self, scoped: Any, **kwargs: Any) -> None:
        self.scoped = scoped
        kwargs.setdefault("queryset", OrgUnit.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped(self.context["request"].user)  # type: ignore[no-any-return]


def _agencies(user: Any) -> QuerySet[Agency]:
    return scope_filter(Agency.objects.all(), user)


def _tasks(user: Any) -> QuerySet[Task]:
    return Task.objects.filter(plan__in=plan_selectors.plan_list_for_user(user=user))


# --- Serializers ------------------------------------------------------------------------------


class RecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(
        required=False,
        help_text="Phiên bản đang sửa (khóa lạc quan): gửi lại số đã đọc; sai thì trả 409.",
    )


class EstablishmentSerializer(RecordSerializer):
    org_unit = ScopedField(scope_units)
    village = ScopedField(scope_villages, required=False, allow_null=True)
    last_inspected_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Establishment
        fields = [
            "id", "org_unit", "name", "business_type", "address", "village", "owner_name",
            "licence_number", "security_certificate_number", "employees", "risk_level",
            "opened_on", "closed_on", "note", "version", "last_inspected_on",
        ]  # fmt: skip
        extra_kwargs: ClassVar[dict[str, Any]] = {"risk_level": {"required": False}}


class MemberSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency = ScopedField(_agencies)

    class Meta:
        model = InspectionTeamMember
        fields = ["agency", "role"]


class TeamSerializer(RecordSerializer):
    org_unit = ScopedField(scope_units)
    members = MemberSerializer(many=True, required=False, source="memberships")

    class Meta:
        model = InspectionTeam
        fields = [
            "id", "org_unit", "name", "kind", "decision_number", "decision_date",
            "decision_issuer", "valid_from", "valid_to", "members", "version",
        ]  # fmt: skip


class InspectionSerializer(RecordSerializer):
    establishment = ScopedField(lambda u: selectors.establishment_list_for_user(user=u))
    team = ScopedField(
        lambda u: selectors.team_list_for_user(user=u), required=False, allow_null=True
    )
    task = ScopedField(_tasks, required=False, allow_null=True)

    class Meta:
        model = Inspection
        fields = [
            "id", "org_unit", "inspected_on", "establishment", "team", "mode", "minutes_number",
            "findings", "task", "version",
        ]  # fmt: skip
        read_only_fields = ["org_unit"]


class ViolationSerializer(RecordSerializer):
    inspection = ScopedField(lambda u: selectors.inspection_list_for_user(user=u))

    class Meta:
        model = Violation
        fields = [
            "id", "inspection", "legal_basis", "article", "clause", "description", "sanction",
            "fine_amount", "version",
        ]  # fmt: skip


class HotSpotSerializer(RecordSerializer):
    org_unit = ScopedField(scope_units)
    establishment = ScopedField(
        lambda u: selectors.establishment_list_for_user(user=u), required=False, allow_null=True
    )

    class Meta:
        model = HotSpot
        fields = [
            "id", "org_unit", "name", "place_kind", "establishment", "address", "detected_on",
            "detected_by", "cleared_on", "note", "version",
        ]  # fmt: skip


class CaseSerializer(RecordSerializer):
    org_unit = ScopedField(scope_units)
    task = ScopedField(_tasks, required=False, allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id", "org_unit", "opened_on", "reference", "offence", "stage", "prosecuted_on",
            "indicted_on", "tried_on", "suspects", "defendants", "victims", "victims_minor",
            "note", "task", "version",
        ]  # fmt: skip


# --- Viewsets ---------------------------------------------------------------------------------


def _raise_drf(exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages[0], "errors": exc.messages}) from exc


class RecordViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """CRUD through the services; the list filtered by org_unit and period."""

    permission_classes = [permissions.IsAuthenticated, CanViewEnforcement]
    http_method_names = [
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
    ]
    record_name = ""
    capability = ""
    lister: Any = None
    creator: Any = None
    updater: Any = None
    deleter: Any = None
    versioned = True

    def get_queryset(self) -> QuerySet[Any]:
        kwargs: dict[str, Any] = {"user": self.request.user}
        if self.action == "list":
            unit_raw = str(self.request.query_params.get("org_unit", "")).strip()
            if unit_raw:
                unit = (
                    scope_units(self.request.user)
                    .filter(pk=unit_raw if unit_raw.isdigit() else 0)
                    .first()
                )
                if unit is None:
                    raise ValidationError(
                        {"org_unit": [_("Không tìm thấy đơn vị trong phạm vi của bạn.")]}
                    )
                kwargs["unit"] = unit
            period = str(self.request.query_params.get("period", "")).strip()
            if period:
                try:
                    selectors.period_range(period)
                except DjangoValidationError as exc:
                    raise ValidationError({"period": exc.messages}) from exc
                kwargs["period"] = period
        return type(self).lister(**kwargs)  # type: ignore[no-any-return]

    def _service_data(self, serializer: Any) -> tuple[dict[str, Any], int | None]:
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        return data, version

    def _call(self, fn: Any, **kwargs: Any) -> Any:
        try:
            return fn(acting_user=self.request.user, **kwargs)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except StaleRecord:
            raise  # update() answers 409 with the current record
        except DjangoValidationError as exc:
            _raise_drf(exc)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not has_capability(request.user, self.capability):
            raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, _version = self._service_data(serializer)
        obj = self._call(type(self).creator, **self.extra_create(data))
        return Response(self.get_serializer(self.reload(obj)).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        if not has_capability(request.user, self.capability):
            raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
        serializer = self.get_serializer(
            obj, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        data, version = self._service_data(serializer)
        extra = {"expected_version": version} if self.versioned else {}
        try:
            obj = self._call(
                type(self).updater, **{self.record_name: obj}, **extra, **self.extra_update(data)
            )
        except StaleRecord as exc:
            current = self.get_serializer(self.reload(exc.current)).data
            return Response(
                {"detail": exc.messages[0], "current": current}, status=status.HTTP_409_CONFLICT
            )
        return Response(self.get_serializer(self.reload(obj)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        if not has_capability(request.user, self.capability):
            raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
        self._call(type(self).deleter, **{self.record_name: obj})
        return Response(status=status.HTTP_204_NO_CONTENT)

    def extra_create(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def extra_update(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def reload(self, obj: Model) -> Model:
        return self.get_queryset().model._default_manager.get(pk=obj.pk)  # type: ignore[no-any-return]


def _schema(name: str) -> Any:
    return extend_schema_view(
        list=extend_schema(summary=f"{name}: danh sách", parameters=[UNIT_PARAM, PERIOD_PARAM]),
        retrieve=extend_schema(summary=f"{name}: một bản ghi"),
        create=extend_schema(summary=f"{name}: thêm"),
        update=extend_schema(summary=f"{name}: sửa (gửi version đã đọc)"),
        partial_update=extend_schema(summary=f"{name}: sửa một phần (gửi version đã đọc)"),
        destroy=extend_schema(summary=f"{name}: xóa"),
    )


@_schema("Cơ sở kinh doanh dịch vụ")
class EstablishmentViewSet(RecordViewSet):
    serializer_class = EstablishmentSerializer
    record_name = "establishment"
    capability = "establishment.manage"
    lister = selectors.establishment_list_for_user
    creator = services.establishment_create
    updater = services.establishment_update
    deleter = services.establishment_delete

    def reload(self, obj: Model) -> Model:
        return self.get_queryset().get(pk=obj.pk)  # type: ignore[no-any-return]


def _members(data: dict[str, Any]) -> dict[str, Any]:
    if "memberships" in data:
        data["members"] = [(m["agency"], m["role"]) for m in data.pop("memberships")]
    return data


@_schema("Đội kiểm tra liên ngành")
class TeamViewSet(RecordViewSet):
    serializer_class = TeamSerializer
    record_name = "team"
    capability = "inspection.manage"
    lister = selectors.team_list_for_user
    creator = services.team_create
    updater = services.team_update
    deleter = services.team_delete

    def extra_create(self, data: dict[str, Any]) -> dict[str, Any]:
        return _members(data)

    def extra_update(self, data: dict[str, Any]) -> dict[str, Any]:
        return _members(data)


@_schema("Lượt kiểm tra")
class InspectionViewSet(RecordViewSet):
    serializer_class = InspectionSerializer
    record_name = "inspection"
    capability = "inspection.manage"
    lister = selectors.inspection_list_for_user
    creator = services.inspection_create
    updater = services.inspection_update
    deleter = services.inspection_delete


@_schema("Vi phạm hành chính")
class ViolationViewSet(RecordViewSet):
    serializer_class = ViolationSerializer
    record_name = "violation"
    capability = "inspection.manage"
    lister = selectors.violation_list_for_user
    creator = services.violation_create
    updater = services.violation_update
    deleter = services.violation_delete

    def get_object(self) -> Any:
        return selectors.violation_get_for_user(pk=self.kwargs["pk"], user=self.request.user)

    def extra_update(self, data: dict[str, Any]) -> dict[str, Any]:
        data.pop("inspection", None)  # a violation stays with its inspection
        return data


@_schema("Tụ điểm phức tạp về mại dâm")
class HotSpotViewSet(RecordViewSet):
    serializer_class = HotSpotSerializer
    record_name = "hotspot"
    capability = "inspection.manage"
    lister = selectors.hotspot_list_for_user
    creator = services.hotspot_create
    updater = services.hotspot_update
    deleter = services.hotspot_delete


@_schema("Vụ án")
class CaseViewSet(RecordViewSet):
    serializer_class = CaseSerializer
    record_name = "case"
    capability = "case.manage"
    lister = selectors.case_list_for_user
    creator = services.case_create
    updater = services.case_update
    deleter = services.case_delete


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("establishments", EstablishmentViewSet, basename="establishment")
    router.register("inspection-teams", TeamViewSet, basename="inspection-team")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("violations", ViolationViewSet, basename="violation")
    router.register("hot-spots", HotSpotViewSet, basename="hot-spot")
    router.register("cases", CaseViewSet, basename="case")
