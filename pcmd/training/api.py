"""REST API of the staff roster and training courses.

Owns: StaffMemberViewSet, TrainingCourseViewSet, their serializers, register(router).
Entry points: register(router) — mounts "training-staff" and "training-courses".
Invariants: reads go through selectors (scoped; 404 outside the scope; nothing without
"training.view"); writes go through services (403 without "training.manage" or outside the
scope, 400 with the reasons, 409 with the current record when `version` is stale).
Filters: unit (id, with its subtree), from / to (ISO dates) or year.
Not here: URL wiring, authentication (pcmd.api).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date
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
from pcmd.common.params import parse_id, parse_year
from pcmd.common.records import StaleRecord
from pcmd.training import selectors, services
from pcmd.training.models import StaffMember, TrainingCourse
from pcmd.training.selectors import DateSpan


class CanViewTraining(permissions.BasePermission):
    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "training.view")


FILTERS = [
    OpenApiParameter("unit", OpenApiTypes.INT, description="Đơn vị (kèm các đơn vị trực thuộc)."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (YYYY-MM-DD)."),
    OpenApiParameter("year", OpenApiTypes.INT, description="Năm (thay cho from/to)."),
]


def _date_param(request: Request, name: str) -> date | None:
    raw = str(request.query_params.get(name, "")).strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(
            {name: [_("Ngày “%(v)s” phải có dạng YYYY-MM-DD.") % {"v": raw}]}
        ) from exc


def period_from(request: Request) -> DateSpan | None:
    """The period of the query string: year, or from/to (an open end is unbounded)."""
    year = str(request.query_params.get("year", "")).strip()
    if year:
        number = parse_year(year)
        if number is None:
            raise ValidationError({"year": [_("Năm phải gồm 4 chữ số.")]})
        return DateSpan(date(number, 1, 1), date(number, 12, 31))
    start, end = _date_param(request, "from"), _date_param(request, "to")
    if start is None and end is None:
        return None
    return DateSpan(start or date(1900, 1, 1), end or date(2999, 12, 31))


def unit_from(request: Request) -> int | None:
    raw = str(request.query_params.get("unit", "")).strip()
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise ValidationError({"unit": [_("“%(v)s” phải là số.") % {"v": raw}]})
    return value


def raise_drf(exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages[0], "errors": exc.messages}) from exc


class _VersionedViewSet(ABC, viewsets.ModelViewSet[Any]):
    """Create / update / delete through the app's services; a stale `version` answers 409.

    Each concrete viewset says which service does the work by implementing the three hooks.
    """

    permission_classes = [permissions.IsAuthenticated, CanViewTraining]
    fields: tuple[str, ...] = ()

    def _values(self, serializer: Any) -> dict[str, Any]:
        return {k: v for k, v in serializer.validated_data.items() if k != "version"}

    @abstractmethod
    def _create(self, values: dict[str, Any]) -> Any: ...

    @abstractmethod
    def _update(self, obj: Any, expected: int | None, values: dict[str, Any]) -> Any: ...

    @abstractmethod
    def _delete(self, obj: Any) -> None: ...

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            obj = self._create(self._values(serializer))
        except DjangoValidationError as exc:
            raise_drf(exc)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        expected = serializer.validated_data.get("version")
        try:
            obj = self._update(obj, expected, self._values(serializer))
        except StaleRecord as exc:
            return Response(
                {"detail": exc.messages[0], "current": self.get_serializer(exc.current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            raise_drf(exc)
        return Response(self.get_serializer(obj).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self._delete(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffMemberSerializer(serializers.ModelSerializer[StaffMember]):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=StaffMember.Role.choices), required=False
    )
    version = serializers.IntegerField(required=False)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = StaffMember
        fields = ["id", "version", *services.STAFF_FIELDS, "org_unit_name", "updated_at"]
        read_only_fields = ["id", "org_unit_name", "updated_at"]


@extend_schema_view(list=extend_schema(summary="Danh sách cán bộ", parameters=FILTERS))
class StaffMemberViewSet(_VersionedViewSet):
    serializer_class = StaffMemberSerializer
    queryset = StaffMember.objects.none()

    def get_queryset(self) -> QuerySet[StaffMember]:
        if self.action != "list":
            return selectors.staff_list_for_user(user=self.request.user)
        return selectors.staff_list_for_user(
            user=self.request.user, unit=unit_from(self.request), period=period_from(self.request)
        )

    def _create(self, values: dict[str, Any]) -> Any:
        return services.staff_create(acting_user=self.request.user, **values)

    def _update(self, obj: Any, expected: int | None, values: dict[str, Any]) -> Any:
        return services.staff_update(
            staff=obj, acting_user=self.request.user, expected_version=expected, **values
        )

    def _delete(self, obj: Any) -> None:
        services.staff_delete(staff=obj, acting_user=self.request.user)


class TrainingCourseSerializer(serializers.ModelSerializer[TrainingCourse]):
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=TrainingCourse.Topic.choices), required=False
    )
    version = serializers.IntegerField(required=False)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    participants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=StaffMember.objects.all(), required=False
    )

    class Meta:
        model = TrainingCourse
        fields = [
            "id",
            "version",
            *services.COURSE_FIELDS,
            "participants",
            "org_unit_name",
            "updated_at",
        ]
        read_only_fields = ["id", "org_unit_name", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise ValidationError({"end_date": [_("Ngày kết thúc không được trước ngày bắt đầu.")]})
        return attrs


@extend_schema_view(list=extend_schema(summary="Các lớp tập huấn", parameters=FILTERS))
class TrainingCourseViewSet(_VersionedViewSet):
    serializer_class = TrainingCourseSerializer
    queryset = TrainingCourse.objects.none()

    def get_queryset(self) -> QuerySet[TrainingCourse]:
        qs = selectors.course_list_for_user(user=self.request.user).prefetch_related("participants")
        if self.action != "list":
            return qs
        return selectors.course_list_for_user(
            user=self.request.user, unit=unit_from(self.request), period=period_from(self.request)
        ).prefetch_related("participants")

    def _create(self, values: dict[str, Any]) -> Any:
        return services.course_create(acting_user=self.request.user, **values)

    def _update(self, obj: Any, expected: int | None, values: dict[str, Any]) -> Any:
        return services.course_update(
            course=obj, acting_user=self.request.user, expected_version=expected, **values
        )

    def _delete(self, obj: Any) -> None:
        services.course_delete(course=obj, acting_user=self.request.user)


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("training-staff", StaffMemberViewSet, basename="training-staff")
    router.register("training-courses", TrainingCourseViewSet, basename="training-course")
