"""REST API of orgunits: read the org-unit tree; list, read, create and edit agencies.

Owns: OrgUnitViewSet (read only), AgencyViewSet, their serializers, register(router).
Entry points: register(router) — the API wiring (pcmd.api) calls it to mount "orgunits" and
"agencies".
Invariants: every query goes through accounts.permissions (scope_q on "id" for units, on
"org_unit" for agencies), so an object outside the user's scope is a 404; writes go through
services.py (audited); a code that names several units at once is a 400 listing them, never a
guess; error messages are in Vietnamese.
Not here: URL wiring, authentication, the schema view (pcmd.api).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from pcmd.accounts.permissions import has_capability, scope_filter, scope_q
from pcmd.common.params import parse_id
from pcmd.common.text import search_key
from pcmd.orgunits import selectors, services
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitLink, OrgUnitSuccession

# --- Query parameters -----------------------------------------------------------------------

ON_PARAM = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    description="Ngày (YYYY-MM-DD): chỉ lấy những gì có hiệu lực vào ngày này.",
)
Q_PARAM = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="Tìm theo tên, không phân biệt dấu và hoa thường (“hoang hop”, “xã Hoằng Hợp”).",
)
LEVEL_PARAM = OpenApiParameter(
    "level", OpenApiTypes.STR, enum=OrgUnit.Level.values, description="Cấp đơn vị."
)
CODE_PARAM = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    description=(
        "Mã chính thức. Một mã có thể được dùng lại sau cải cách (91 là Kiên Giang đến "
        "30/6/2025, An Giang mới từ 1/7/2025): nếu mã khớp nhiều đơn vị, trả về 400 kèm danh "
        "sách; hãy thêm tham số on."
    ),
)
ORG_UNIT_PARAM = OpenApiParameter("org_unit", OpenApiTypes.INT, description="Mã số (id) đơn vị.")
KIND_PARAM = OpenApiParameter(
    "kind", OpenApiTypes.STR, enum=Agency.Kind.values, description="Loại cơ quan."
)


def _param_date(request: Request, name: str = "on") -> date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    parsed = parse_date(raw) if len(raw) == 10 else None
    if parsed is None:
        raise ValidationError(
            {name: [_("Ngày “%(value)s” không hợp lệ; hãy dùng dạng YYYY-MM-DD.") % {"value": raw}]}
        )
    return parsed


def _param_choice(request: Request, name: str, choices: list[str]) -> str | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if raw not in choices:
        raise ValidationError(
            {
                name: [
                    _("Giá trị “%(value)s” không hợp lệ; dùng một trong: %(choices)s.")
                    % {"value": raw, "choices": ", ".join(choices)}
                ]
            }
        )
    return raw


def _raise_drf(exc: DjangoValidationError) -> None:
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError(exc.messages) from exc


# --- Permissions ----------------------------------------------------------------------------


class HasCapability(permissions.BasePermission):
    """Reading needs the view capability of the model; writing needs `write_capability`."""

    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return has_capability(request.user, view.read_capability)
        return has_capability(request.user, view.write_capability)


# --- Org units ------------------------------------------------------------------------------


class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="Tên kèm mã và ngày hiệu lực."
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "level",
            "kind",
            "code",
            "name",
            "short_name",
            "valid_from",
            "valid_to",
            "latitude",
            "longitude",
            "label",
        ]
        read_only_fields = fields

    def get_label(self, unit: OrgUnit) -> str:
        return selectors.orgunit_label(unit)


class OrgUnitBriefSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["id", "level", "code", "name", "valid_from", "valid_to"]
        read_only_fields = fields


class OrgUnitParentLinkSerializer(serializers.ModelSerializer[OrgUnitLink]):
    unit = OrgUnitBriefSerializer(source="parent", read_only=True)

    class Meta:
        model = OrgUnitLink
        fields = ["unit", "valid_from", "valid_to"]
        read_only_fields = fields


class OrgUnitChildLinkSerializer(serializers.ModelSerializer[OrgUnitLink]):
    unit = OrgUnitBriefSerializer(source="child", read_only=True)

    class Meta:
        model = OrgUnitLink
        fields = ["unit", "valid_from", "valid_to"]
        read_only_fields = fields


class OrgUnitSuccessorSerializer(serializers.ModelSerializer[OrgUnitSuccession]):
    unit = OrgUnitBriefSerializer(source="successor", read_only=True)

    class Meta:
        model = OrgUnitSuccession
        fields = ["unit", "effective_date", "is_default", "note"]
        read_only_fields = fields


class OrgUnitPredecessorSerializer(serializers.ModelSerializer[OrgUnitSuccession]):
    unit = OrgUnitBriefSerializer(source="predecessor", read_only=True)

    class Meta:
        model = OrgUnitSuccession
        fields = ["unit", "effective_date", "is_default", "note"]
        read_only_fields = fields


class OrgUnitDetailSerializer(OrgUnitSerializer):
    """A unit with its place in the tree at every date: parents and children with the dates of
    each link, and the units it became (successors) or came from (predecessors)."""

    parents = OrgUnitParentLinkSerializer(source="parent_links", many=True, read_only=True)
    children = OrgUnitChildLinkSerializer(source="child_links", many=True, read_only=True)
    successors = OrgUnitSuccessorSerializer(many=True, read_only=True, source="successions")
    predecessors = OrgUnitPredecessorSerializer(many=True, read_only=True, source="predecessions")

    class Meta(OrgUnitSerializer.Meta):
        fields = [
            *OrgUnitSerializer.Meta.fields,
            "parents",
            "children",
            "successors",
            "predecessors",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách đơn vị hành chính trong phạm vi của người dùng",
        parameters=[Q_PARAM, LEVEL_PARAM, ON_PARAM, CODE_PARAM],
    ),
    retrieve=extend_schema(summary="Một đơn vị, với cấp trên, cấp dưới và kế thừa theo ngày"),
)
class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet[OrgUnit]):
    """Org units the user may see (their own unit's subtree at any date, and its predecessors)."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    read_capability = "orgunit.view"
    write_capability = "orgunit.manage"

    def get_serializer_class(self) -> type[serializers.BaseSerializer[OrgUnit]]:
        return OrgUnitDetailSerializer if self.action == "retrieve" else OrgUnitSerializer

    def get_queryset(self) -> QuerySet[OrgUnit]:
        qs = OrgUnit.objects.filter(scope_q(self.request.user, field="id"))
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                "parent_links__parent",
                "child_links__child",
                "successions__successor",
                "predecessions__predecessor",
            )
        return qs.order_by("level", "key", "id")

    def filter_queryset(self, queryset: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:  # type: ignore[override]
        if self.action != "list":
            return queryset
        request = self.request
        on = _param_date(request)
        level = _param_choice(request, "level", OrgUnit.Level.values)
        text = request.query_params.get("q", "").strip()
        code = request.query_params.get("code", "").strip()
        if level:
            queryset = queryset.filter(level=level)
        if text:
            queryset = queryset.filter(selectors.orgunit_search(text, on=on))
        elif on is not None:
            queryset = queryset.filter(selectors.valid_on_q(on))
        if code:
            queryset = self._by_code(queryset, code=code, on=on, level=level)
        return queryset

    def _by_code(
        self, queryset: QuerySet[OrgUnit], *, code: str, on: date | None, level: str | None
    ) -> QuerySet[OrgUnit]:
        try:
            unit = selectors.orgunit_get_by_code(code, on=on, level=level)
        except selectors.OrgUnitNotFound:
            return queryset.none()
        except selectors.OrgUnitAmbiguous as exc:
            visible = queryset.filter(pk__in=[u.pk for u in exc.candidates])
            candidates = list(visible)
            if len(candidates) > 1:
                message = (
                    str(selectors.OrgUnitAmbiguous(code, candidates))
                    + " "
                    + _("Hãy thêm ngày (tham số on=YYYY-MM-DD) để chọn một đơn vị.")
                )
                raise ValidationError(
                    {
                        "detail": message,
                        "code": [message],
                        "candidates": [selectors.orgunit_label(u) for u in candidates],
                    }
                ) from exc
            return visible
        return queryset.filter(pk=unit.pk)


# --- Agencies -------------------------------------------------------------------------------


class _ScopedUnitField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """An org unit chosen by id, among those inside the requesting user's scope only."""

    default_error_messages = {
        "required": gettext_lazy("Hãy chọn đơn vị."),
        "does_not_exist": gettext_lazy(
            "Không tìm thấy đơn vị {pk_value}, hoặc đơn vị nằm ngoài phạm vi của bạn."
        ),
        "incorrect_type": gettext_lazy("Mã đơn vị phải là số."),
    }

    def get_queryset(self) -> QuerySet[OrgUnit]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return OrgUnit.objects.filter(scope_q(user, field="id"))


class AgencySerializer(serializers.ModelSerializer[Agency]):
    org_unit = _ScopedUnitField()
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "kind",
            "name",
            "short_name",
            "valid_from",
            "valid_to",
            "is_requested",
            "note",
        ]
        extra_kwargs = {
            "name": {
                "error_messages": {
                    "required": gettext_lazy("Hãy nhập tên cơ quan."),
                    "blank": gettext_lazy("Hãy nhập tên cơ quan."),
                }
            },
            "kind": {
                "error_messages": {
                    "required": gettext_lazy("Hãy chọn loại cơ quan."),
                    "invalid_choice": gettext_lazy("Loại cơ quan “{input}” không hợp lệ."),
                }
            },
        }
        # The uniqueness rule is the service's (it also checks overlapping dates).
        validators: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["org_unit"].read_only = True  # an agency never moves to another unit

    def create(self, validated_data: dict[str, Any]) -> Agency:
        try:
            return services.agency_create(
                acting_user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise

    def update(self, instance: Agency, validated_data: dict[str, Any]) -> Agency:
        validated_data.pop("org_unit", None)
        try:
            return services.agency_update(
                agency=instance, acting_user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách cơ quan, đơn vị trong phạm vi của người dùng",
        parameters=[ORG_UNIT_PARAM, KIND_PARAM, ON_PARAM, Q_PARAM],
    ),
    retrieve=extend_schema(summary="Một cơ quan, đơn vị"),
    create=extend_schema(summary="Thêm cơ quan (cần quyền agency.manage)"),
    update=extend_schema(summary="Sửa cơ quan (cần quyền agency.manage)"),
    partial_update=extend_schema(summary="Sửa một phần cơ quan (cần quyền agency.manage)"),
)
class AgencyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Agency],
):
    """Agencies of the units in the user's scope; no deletion (close one with a valid_to)."""

    serializer_class = AgencySerializer
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    read_capability = "agency.view"
    write_capability = "agency.manage"

    def get_queryset(self) -> QuerySet[Agency]:
        qs = Agency.objects.select_related("org_unit")
        return scope_filter(qs, self.request.user, field="org_unit").order_by(
            "org_unit_id", "key", "id"
        )

    def filter_queryset(self, queryset: QuerySet[Agency]) -> QuerySet[Agency]:  # type: ignore[override]
        if self.action != "list":
            return queryset
        request = self.request
        on = _param_date(request)
        kind = _param_choice(request, "kind", Agency.Kind.values)
        unit = request.query_params.get("org_unit", "").strip()
        text = request.query_params.get("q", "").strip()
        if unit:
            unit_id = parse_id(unit)
            if unit_id is None:
                raise ValidationError({"org_unit": [_("Mã đơn vị phải là số.")]})
            queryset = queryset.filter(org_unit_id=unit_id)
        if kind:
            queryset = queryset.filter(kind=kind)
        if on is not None:
            queryset = queryset.filter(selectors.valid_on_q(on))
        if text:
            queryset = queryset.filter(key__contains=search_key(text))
        return queryset


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("orgunits", OrgUnitViewSet, basename="orgunit")
    router.register("agencies", AgencyViewSet, basename="agency")
