"""REST API of pilot models.

Owns: PilotModelViewSet, PilotModelSerializer, register(router) — mounts "pilot-models".
Invariants: reads through selectors (scoped; 404 outside; nothing without "pilotmodel.view");
writes through services (403 / 400 with reasons / 409 with the current record when `version`
is stale). Filters: unit (id, with its subtree), year or from / to (ISO dates), kind, status.
"""

from __future__ import annotations

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
from pcmd.common.records import StaleRecord
from pcmd.support import selectors, services
from pcmd.support.models import PilotModel


class CanViewPilotModels(permissions.BasePermission):
    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "pilotmodel.view")


def _param(request: Request, name: str) -> str:
    return str(request.query_params.get(name, "")).strip()


def _date(request: Request, name: str) -> date | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError(
            {name: [_("Ngày “%(v)s” phải có dạng YYYY-MM-DD.") % {"v": raw}]}
        ) from exc


def _raise(exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages[0], "errors": exc.messages}) from exc


class PilotModelSerializer(serializers.ModelSerializer[PilotModel]):
    version = serializers.IntegerField(required=False)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = PilotModel
        fields = ["id", "version", *services.PILOTMODEL_FIELDS, "org_unit_name", "updated_at"]
        read_only_fields = ["id", "org_unit_name", "updated_at"]


FILTERS = [
    OpenApiParameter("unit", OpenApiTypes.INT, description="Đơn vị (kèm các đơn vị trực thuộc)."),
    OpenApiParameter("year", OpenApiTypes.INT, description="Hoạt động trong năm."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Hoạt động từ ngày."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Hoạt động đến ngày."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=PilotModel.Kind.values),
    OpenApiParameter("status", OpenApiTypes.STR, enum=PilotModel.Status.values),
]


@extend_schema_view(list=extend_schema(summary="Mô hình thí điểm", parameters=FILTERS))
class PilotModelViewSet(viewsets.ModelViewSet[PilotModel]):
    serializer_class = PilotModelSerializer
    queryset = PilotModel.objects.none()
    permission_classes = [permissions.IsAuthenticated, CanViewPilotModels]

    def get_queryset(self) -> QuerySet[PilotModel]:
        user = self.request.user
        if self.action != "list":
            return selectors.pilotmodel_list_for_user(user=user)
        request = self.request
        unit = _param(request, "unit")
        if unit and not unit.isdigit():
            raise ValidationError({"unit": [_("“%(v)s” phải là số.") % {"v": unit}]})
        year = _param(request, "year")
        start, end = _date(request, "from"), _date(request, "to")
        if year:
            if not (year.isdigit() and len(year) == 4):
                raise ValidationError({"year": [_("Năm phải gồm 4 chữ số.")]})
            start, end = date(int(year), 1, 1), date(int(year), 12, 31)
        kind, state = _param(request, "kind"), _param(request, "status")
        if kind and kind not in PilotModel.Kind.values:
            raise ValidationError({"kind": [_("Loại mô hình không hợp lệ.")]})
        if state and state not in PilotModel.Status.values:
            raise ValidationError({"status": [_("Trạng thái không hợp lệ.")]})
        return selectors.pilotmodel_list_for_user(
            user=user,
            unit=int(unit) if unit else None,
            start=start,
            end=end,
            kind=kind,
            status=state,
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        try:
            obj = services.pilotmodel_create(acting_user=request.user, **values)
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        obj = self.get_object()
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        try:
            obj = services.pilotmodel_update(
                model=obj, acting_user=request.user, expected_version=expected, **data
            )
        except StaleRecord as exc:
            return Response(
                {"detail": exc.messages[0], "current": self.get_serializer(exc.current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(obj).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.pilotmodel_delete(model=self.get_object(), acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("pilot-models", PilotModelViewSet, basename="pilot-model")
