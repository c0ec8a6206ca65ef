"""REST API of plans' budget lines.

Owns: BudgetLineViewSet, BudgetLineSerializer, register(router).
Entry points: register(router) — called by pcmd.plans.api.register, mounts "budget-lines".
Invariants: reads go through selectors.budgetline_list_for_user (scoped on the plan's unit;
404 outside the scope; nothing without "plan.view"); writes go through services (403 unless a
budget manager of the plan's unit, 400 with the reasons by field); an update whose `version`
is older than the stored one answers 409 with the current line and writes nothing, as the
other record APIs do (pcmd.training.api).
Filters: plan (id), unit (id, with the units below it), year.
Not here: URL wiring, authentication (pcmd.api).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability
from pcmd.common.params import parse_id
from pcmd.common.records import StaleRecord
from pcmd.plans import selectors, services
from pcmd.plans.models import BudgetLine, Plan, Section, Task

FILTERS = [
    OpenApiParameter("plan", OpenApiTypes.INT, description="Mã số (id) kế hoạch."),
    OpenApiParameter("unit", OpenApiTypes.INT, description="Đơn vị (kèm các đơn vị trực thuộc)."),
    OpenApiParameter("year", OpenApiTypes.INT, description="Năm."),
]


def _int_param(request: Request, name: str) -> int | None:
    raw = str(request.query_params.get(name, "")).strip()
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise ValidationError({name: [_("“%(v)s” phải là số.") % {"v": raw}]})
    return value


def _raise_drf(exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages[0], "errors": exc.messages}) from exc


class CanViewPlans(permissions.BasePermission):
    """Reading and writing both need plan.view; the services check the write rules."""

    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "plan.view")


class BudgetLineSerializer(serializers.ModelSerializer[BudgetLine]):
    version = serializers.IntegerField(required=False)
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.all(), required=False, allow_null=True
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), required=False, allow_null=True
    )
    allocated = serializers.DecimalField(
        max_digits=16, decimal_places=0, required=False, allow_null=True, min_value=0
    )
    spent = serializers.DecimalField(
        max_digits=16, decimal_places=0, required=False, allow_null=True, min_value=0
    )
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    org_unit = serializers.IntegerField(source="plan.org_unit_id", read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "version",
            "plan",
            "org_unit",
            *services.BUDGET_FIELDS,
            "updated_at",
        ]
        read_only_fields = ["id", "org_unit", "updated_at"]


@extend_schema_view(
    list=extend_schema(summary="Các dòng kinh phí của kế hoạch", parameters=FILTERS),
    update=extend_schema(
        summary="Sửa dòng kinh phí",
        description="Gửi kèm `version` đã đọc; nếu người khác đã lưu sau đó, trả về 409 cùng "
        "bản hiện tại.",
    ),
    partial_update=extend_schema(
        summary="Sửa một phần dòng kinh phí",
        description="Gửi kèm `version` đã đọc; nếu người khác đã lưu sau đó, trả về 409 cùng "
        "bản hiện tại.",
    ),
)
class BudgetLineViewSet(viewsets.ModelViewSet[BudgetLine]):
    serializer_class = BudgetLineSerializer
    queryset = BudgetLine.objects.none()
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]

    def get_queryset(self) -> QuerySet[BudgetLine]:
        if self.action != "list":
            return selectors.budgetline_list_for_user(user=self.request.user)
        return selectors.budgetline_list_for_user(
            user=self.request.user,
            plan=_int_param(self.request, "plan"),
            unit=_int_param(self.request, "unit"),
            year=_int_param(self.request, "year"),
        )

    def _plan(self, plan: Plan) -> Plan:
        """The plan if the user may see it (404 otherwise, as for any object out of scope)."""
        return selectors.plan_get_for_user(plan_id=plan.pk, user=self.request.user)

    def _values(self, serializer: Any) -> dict[str, Any]:
        return {k: v for k, v in serializer.validated_data.items() if k in services.BUDGET_FIELDS}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = self._plan(serializer.validated_data["plan"])
        try:
            line = services.budgetline_create(
                plan=plan, acting_user=request.user, **self._values(serializer)
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        moved = serializer.validated_data.get("plan")
        if moved is not None and moved.pk != line.plan_id:
            raise ValidationError(
                {"plan": [_("Không chuyển được dòng kinh phí sang kế hoạch khác.")]}
            )
        try:
            line = services.budgetline_update(
                line=line,
                acting_user=request.user,
                expected_version=serializer.validated_data.get("version"),
                **self._values(serializer),
            )
        except StaleRecord as exc:
            return Response(
                {"detail": exc.messages[0], "current": self.get_serializer(exc.current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
        return Response(self.get_serializer(line).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.budgetline_delete(line=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: Any) -> None:
    """Mount the budget endpoints on the project's API router."""
    router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
