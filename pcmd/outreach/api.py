"""REST API of awareness activities: CRUD with filters by unit and period.

Owns: OutreachEventSerializer, OutreachEventViewSet, register(router).
Entry points: register(router) — pcmd.api mounts "outreach-events".
Invariants: reads go through selectors (scoped: 404 outside the scope); writes go through
services, which apply the same rules as the pages (403 without "outreach.manage", 400 with the
Vietnamese reasons per field); an update may carry `version` (the one the client read): a stale
one is refused with 409 and the current record.
Not here: URL wiring, authentication, the schema view (pcmd.api).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability
from pcmd.common.records import StaleRecord
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.outreach import selectors, services
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.models import Task


class CanUseOutreach(permissions.BasePermission):
    """Reading needs outreach.view; writing outreach.manage (the services check it again)."""

    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return has_capability(request.user, "outreach.view")
        return has_capability(request.user, "outreach.manage")


def _raise_drf(exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages[0], "errors": exc.messages}) from exc


class OutreachEventSerializer(serializers.ModelSerializer[OutreachEvent]):
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.select_related("plan"), allow_null=True, required=False
    )
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=OutreachEvent.Audience.choices),
        required=False,
        default=list,
    )
    combined_with = serializers.ListField(
        child=serializers.ChoiceField(choices=OutreachEvent.Programme.choices),
        required=False,
        default=list,
    )
    version = serializers.IntegerField(
        required=False, help_text="Phiên bản đã đọc; gửi kèm khi sửa để tránh ghi đè."
    )

    class Meta:
        model = OutreachEvent
        fields = [
            "id", "org_unit", "org_unit_name", "date", "form", "topic", "agency", "audiences",
            "participants", "combined_with", "task", "note", "version", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "org_unit_name", "created_at", "updated_at"]

    def create(self, validated_data: dict[str, Any]) -> OutreachEvent:
        validated_data.pop("version", None)
        try:
            return services.outreach_event_create(
                acting_user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise

    def update(self, instance: OutreachEvent, validated_data: dict[str, Any]) -> OutreachEvent:
        expected = validated_data.pop("version", None)
        return services.outreach_event_update(
            event=instance,
            expected_version=expected,
            acting_user=self.context["request"].user,
            **validated_data,
        )


UNIT_PARAM = OpenApiParameter(
    "unit", OpenApiTypes.INT, description="Đơn vị (id): chính nó và các đơn vị trực thuộc."
)
PERIOD_PARAM = OpenApiParameter(
    "period", OpenApiTypes.STR, description="Kỳ: 2025, 2025S1, 2025Q1, 202503, 2016-2020."
)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách hoạt động tuyên truyền trong phạm vi của người dùng",
        parameters=[
            UNIT_PARAM,
            PERIOD_PARAM,
            OpenApiParameter("form", OpenApiTypes.STR, enum=OutreachEvent.Form.values),
        ],
    ),
    retrieve=extend_schema(summary="Một hoạt động tuyên truyền"),
    create=extend_schema(summary="Ghi hoạt động tuyên truyền"),
    update=extend_schema(summary="Sửa hoạt động tuyên truyền"),
    partial_update=extend_schema(summary="Sửa một phần hoạt động tuyên truyền"),
    destroy=extend_schema(summary="Xóa hoạt động tuyên truyền"),
)
class OutreachEventViewSet(viewsets.ModelViewSet[OutreachEvent]):
    serializer_class = OutreachEventSerializer
    permission_classes = [permissions.IsAuthenticated, CanUseOutreach]

    def get_queryset(self) -> QuerySet[OutreachEvent]:
        if self.action != "list":
            return selectors.outreach_event_list_for_user(user=self.request.user)
        filters = selectors.outreach_filters_parse(
            data=self.request.query_params, user=self.request.user
        )
        if filters.errors:
            raise ValidationError(filters.errors)
        return selectors.outreach_event_list_for_user(user=self.request.user, filters=filters)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().update(request, *args, **kwargs)
        except StaleRecord as exc:
            current = self.get_serializer(exc.current).data
            return Response(
                {"detail": exc.messages[0], "current": current}, status=status.HTTP_409_CONFLICT
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise

    def perform_destroy(self, instance: OutreachEvent) -> None:
        try:
            services.outreach_event_delete(event=instance, acting_user=self.request.user)
        except DjangoValidationError as exc:
            _raise_drf(exc)


def register(router: Any) -> None:
    router.register("outreach-events", OutreachEventViewSet, basename="outreach-event")
