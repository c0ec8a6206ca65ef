"""REST API of plans: plans, sections, targets (milestones nested), tasks (assignments nested),
progress updates with evidence; import, preview, status, cascade and annual plans.

Owns: PlanViewSet, SectionViewSet, TargetViewSet, TaskViewSet, ProgressViewSet, their
serializers, register(router).
Entry points: register(router) — pcmd.api mounts "plans", "plan-sections", "targets", "tasks",
"task-assignments", "progress-updates" and (budget_api.py) "budget-lines".
Invariants: reads go through selectors (scoped by accounts.permissions: 404 outside the scope);
writes go through services, which apply the same rules as the pages (403 with a Vietnamese
message when the role or unit may not); a refused import or a bad file is a 400 listing every
reason; nothing is half-written.
Not here: URL wiring, authentication, the schema view (pcmd.api).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability, scope_filter, unit_in_scope
from pcmd.common.params import parse_id, parse_year
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.plans import budget_api, parsing, selectors, services
from pcmd.plans.models import (
    Milestone,
    Plan,
    PlanBasis,
    ProgressEvidence,
    Section,
    Target,
    Task,
    TaskAssignment,
    TaskProgress,
)
from pcmd.plans.parsing.reading import read_document


def _raise_drf(exc: DjangoValidationError) -> None:
    if isinstance(exc, services.PlanImportError):
        messages = exc.messages
        raise ValidationError({"detail": messages[0], "errors": messages}) from exc
    if hasattr(exc, "error_dict"):
        raise ValidationError(exc.message_dict) from exc
    raise ValidationError({"detail": exc.messages[0], "errors": exc.messages}) from exc


def _int_param(request: Request, name: str) -> int | None:
    raw = str(request.query_params.get(name, "")).strip()
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise ValidationError({name: [_("“%(v)s” phải là số.") % {"v": raw}]})
    return value


class CanViewPlans(permissions.BasePermission):
    """Reading and writing both need plan.view; the services check the write rules."""

    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "plan.view")


PLAN_PARAM = OpenApiParameter("plan", OpenApiTypes.INT, description="Mã số (id) kế hoạch.")
TASK_PARAM = OpenApiParameter("task", OpenApiTypes.INT, description="Mã số (id) nhiệm vụ.")


# --- Serializers ----------------------------------------------------------------------------


class PlanBasisSerializer(serializers.ModelSerializer[PlanBasis]):
    class Meta:
        model = PlanBasis
        fields = ["id", "order", "text", "number", "issued_on", "issuer", "linked_plan"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer[Plan]):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    basis = PlanBasisSerializer(many=True, read_only=True)
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "kind",
            "status",
            "number",
            "issued_on",
            "place",
            "issuer",
            "title",
            "decision_title",
            "period_start",
            "period_end",
            "parent",
            "parent_reference",
            "derived_from",
            "signer_name",
            "signer_title",
            "recipients",
            "budget_text",
            "warnings",
            "basis",
            "can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "kind",
            "status",
            "derived_from",
            "warnings",
            "basis",
            "can_edit",
            "created_at",
            "updated_at",
        ]

    def get_can_edit(self, plan: Plan) -> bool:
        request = self.context.get("request")
        return bool(request and selectors.can_edit_plan(request.user, plan))

    def validate_parent(self, value: Plan | None) -> Plan | None:
        request = self.context["request"]
        if value is not None and not unit_in_scope(request.user, value.org_unit_id):
            raise ValidationError(_("Không tìm thấy kế hoạch cấp trên này."))
        return value

    def update(self, instance: Plan, validated_data: dict[str, Any]) -> Plan:
        try:
            return services.plan_update(
                plan=instance, acting_user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise


class SectionSerializer(serializers.ModelSerializer[Section]):
    class Meta:
        model = Section
        fields = ["id", "plan", "parent", "order", "number", "title", "text"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["year", "value"]


class TargetSerializer(serializers.ModelSerializer[Target]):
    milestones = MilestoneSerializer(many=True, required=False)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "section",
            "order",
            "text",
            "kind",
            "comparator",
            "value",
            "value_max",
            "unit",
            "per",
            "population",
            "baseline_year",
            "start_year",
            "confidence",
            "parent_target",
            "milestones",
        ]
        read_only_fields = ["id", "plan", "order", "confidence", "parent_target"]

    def update(self, instance: Target, validated_data: dict[str, Any]) -> Target:
        milestones = validated_data.pop("milestones", None)
        try:
            return services.target_update(
                target=instance,
                acting_user=self.context["request"].user,
                milestones=[dict(m) for m in milestones] if milestones is not None else None,
                **validated_data,
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise


class AssignmentSerializer(serializers.ModelSerializer[TaskAssignment]):
    agency_name = serializers.CharField(source="agency.name", read_only=True, default=None)

    class Meta:
        model = TaskAssignment
        fields = ["id", "role", "text", "agency", "agency_name", "order"]
        read_only_fields = ["id", "order", "agency_name"]


class TaskSerializer(serializers.ModelSerializer[Task]):
    assignments = AssignmentSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    can_record_progress = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "order",
            "number",
            "title",
            "activities",
            "timeframe_text",
            "timeframe_kind",
            "start",
            "end",
            "status",
            "confidence",
            "parent_task",
            "assignments",
            "overdue",
            "can_record_progress",
        ]
        read_only_fields = ["id", "plan", "order", "confidence", "parent_task", "assignments"]

    def get_overdue(self, task: Task) -> bool:
        return selectors.task_is_overdue(task, today=timezone.localdate())

    def get_can_record_progress(self, task: Task) -> bool:
        request = self.context.get("request")
        return bool(request and selectors.can_record_progress(request.user, task))

    def update(self, instance: Task, validated_data: dict[str, Any]) -> Task:
        try:
            return services.task_update(
                task=instance, acting_user=self.context["request"].user, **validated_data
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise


class EvidenceSerializer(serializers.ModelSerializer[ProgressEvidence]):
    class Meta:
        model = ProgressEvidence
        fields = ["id", "original_name", "content_type", "size", "file"]
        read_only_fields = fields


class ProgressSerializer(serializers.ModelSerializer[TaskProgress]):
    evidence = EvidenceSerializer(many=True, read_only=True)
    files = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, default=list
    )
    task = serializers.IntegerField(source="task_id")

    class Meta:
        model = TaskProgress
        fields = ["id", "task", "on", "status", "note", "evidence", "files", "created_at"]
        read_only_fields = ["id", "evidence", "created_at"]

    def create(self, validated_data: dict[str, Any]) -> TaskProgress:
        request = self.context["request"]
        task = selectors.task_get_for_user(task_id=validated_data["task_id"], user=request.user)
        try:
            return services.task_progress_add(
                task=task,
                on=validated_data["on"],
                status=validated_data["status"],
                note=validated_data.get("note", ""),
                files=list(validated_data.get("files") or []),
                acting_user=request.user,
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise


class ImportSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(required=False, help_text="Tệp .docx hoặc .txt.")
    text = serializers.CharField(required=False, allow_blank=False, help_text="Văn bản dán vào.")
    parsed = serializers.JSONField(
        required=False, help_text="Kết quả `pcmd parse_plan --json` (đã sửa)."
    )
    org_unit = serializers.IntegerField(
        required=False, help_text="Đơn vị ban hành (mặc định: đơn vị của người dùng)."
    )
    accept_warnings = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(
        choices=[Plan.Status.DRAFT, Plan.Status.ISSUED], required=False, default="draft"
    )
    agency_choices = serializers.JSONField(required=False, default=dict)
    create_agencies = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )


# --- Viewsets -------------------------------------------------------------------------------


def _parse_input(request: Request, data: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """(parsed dict, source name, source text) from an upload, pasted text or a parsed dict."""
    if data.get("parsed"):
        parsed = data["parsed"]
        if isinstance(parsed, str):
            parsed = json.loads(parsed)
        if not isinstance(parsed, dict):
            raise ValidationError({"parsed": [_("Cần một đối tượng JSON.")]})
        return parsed, "", ""

    try:
        if data.get("file") is not None:
            upload = data["file"]
            raw = upload.read()
            name = str(upload.name)
            source = read_document(raw, name)
            document = parsing.parse_file(raw, name)
        elif data.get("text"):
            source = str(data["text"])
            document = parsing.parse_text(source)
            name = ""
        else:
            raise ValidationError(
                {"detail": _("Hãy gửi tệp (file), văn bản (text) hoặc kết quả đọc (parsed).")}
            )
    except parsing.DocumentUnreadable as exc:
        raise ValidationError({"detail": str(exc), "errors": [str(exc)]}) from exc
    return document.to_dict(), name, source


def _choices(value: Any) -> dict[str, int | None]:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    if not isinstance(value, dict):
        raise ValidationError({"agency_choices": [_("Cần một đối tượng {tên: id}.")]})
    try:
        return {str(k): (None if v in (None, "") else int(v)) for k, v in value.items()}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"agency_choices": [_("Mã cơ quan phải là số.")]}) from exc


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách kế hoạch trong phạm vi của người dùng",
        parameters=[
            OpenApiParameter("org_unit", OpenApiTypes.INT, description="Đơn vị ban hành."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Plan.Status.values),
            OpenApiParameter("year", OpenApiTypes.INT, description="Năm nằm trong thời kỳ."),
        ],
    ),
    retrieve=extend_schema(summary="Một kế hoạch"),
    partial_update=extend_schema(summary="Sửa kế hoạch (cán bộ điều phối của đơn vị ban hành)"),
    update=extend_schema(summary="Sửa kế hoạch (cán bộ điều phối của đơn vị ban hành)"),
)
class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Plan],
):
    serializer_class = PlanSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Plan]:
        qs = selectors.plan_list_for_user(user=self.request.user).prefetch_related("basis")
        if self.action != "list":
            return qs
        unit = _int_param(self.request, "org_unit")
        year = _int_param(self.request, "year")
        plan_status = self.request.query_params.get("status", "").strip()
        if unit is not None:
            qs = qs.filter(org_unit_id=unit)
        if year is not None:
            qs = qs.filter(period_start__lte=year, period_end__gte=year)
        if plan_status:
            if plan_status not in Plan.Status.values:
                raise ValidationError({"status": [_("Trạng thái không hợp lệ.")]})
            qs = qs.filter(status=plan_status)
        return qs

    def _import_unit(self, data: dict[str, Any]) -> OrgUnit:
        user = self.request.user
        unit_id = data.get("org_unit") or getattr(user, "org_unit_id", None)
        unit = (
            scope_filter(OrgUnit.objects.all(), user, field="id").filter(pk=unit_id).first()
            if unit_id
            else None
        )
        if unit is None:
            raise ValidationError(
                {"org_unit": [_("Không tìm thấy đơn vị, hoặc đơn vị nằm ngoài phạm vi của bạn.")]}
            )
        return unit

    @extend_schema(
        summary="Xem trước kế hoạch đọc từ văn bản (không lưu gì)",
        request=ImportSerializer,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        form = ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        parsed, _name, _text = _parse_input(request, form.validated_data)
        unit = self._import_unit(form.validated_data)
        preview = services.plan_preview(
            parsed=parsed,
            org_unit=unit,
            agency_choices=_choices(form.validated_data.get("agency_choices")),
        )
        return Response(preview.to_dict())

    @extend_schema(
        summary="Nhập kế hoạch từ văn bản (cán bộ điều phối của đơn vị)",
        request=ImportSerializer,
        responses={201: PlanSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_(self, request: Request) -> Response:
        form = ImportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        parsed, name, text = _parse_input(request, data)
        create = data.get("create_agencies") or []
        try:
            plan = services.plan_import(
                parsed=parsed,
                org_unit=self._import_unit(data),
                acting_user=request.user,
                source_name=name,
                source_text=text,
                agency_choices=_choices(data.get("agency_choices")),
                create_agencies=[str(c) for c in create],
                accept_warnings=data.get("accept_warnings", False),
                status=data.get("status", Plan.Status.DRAFT),
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise
        return Response(
            PlanSerializer(plan, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Chuyển trạng thái: draft → issued → closed",
        request={
            "application/json": {"type": "object", "properties": {"status": {"type": "string"}}}
        },
        responses=PlanSerializer,
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        plan = self.get_object()
        try:
            plan = services.plan_status_set(
                plan=plan, status=str(request.data.get("status", "")), acting_user=request.user
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
        return Response(PlanSerializer(plan, context={"request": request}).data)

    @extend_schema(
        summary="Tạo kế hoạch cấp dưới (dự thảo) cho một đơn vị cấp dưới",
        request={
            "application/json": {
                "type": "object",
                "properties": {"child_unit": {"type": "integer"}},
            }
        },
        responses={201: PlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def cascade(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        plan = self.get_object()
        raw = request.data.get("child_unit")
        child = (
            scope_filter(OrgUnit.objects.all(), request.user, field="id")
            .filter(pk=child_id if (child_id := parse_id(raw)) is not None else -1)
            .first()
        )
        if child is None:
            raise ValidationError({"child_unit": [_("Không tìm thấy đơn vị cấp dưới này.")]})
        try:
            new = services.plan_cascade(plan=plan, child_unit=child, acting_user=request.user)
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise
        return Response(
            PlanSerializer(new, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Tạo kế hoạch năm từ kế hoạch giai đoạn",
        request={
            "application/json": {"type": "object", "properties": {"year": {"type": "integer"}}}
        },
        responses={201: PlanSerializer},
    )
    @action(detail=True, methods=["post"], url_path="derive-year")
    def derive_year(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        plan = self.get_object()
        raw = str(request.data.get("year", ""))
        year = parse_year(raw)
        if year is None:
            raise ValidationError({"year": [_("Hãy nhập năm (số).")]})
        try:
            new = services.plan_derive_year(plan=plan, year=year, acting_user=request.user)
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise
        return Response(
            PlanSerializer(new, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(summary="Kiểm tra chỉ tiêu so với kế hoạch cấp trên và cấp dưới")
    @action(detail=True, methods=["get"])
    def consistency(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        plan = self.get_object()
        issues = selectors.plan_consistency(plan=plan)
        return Response([issue.__dict__ for issue in issues])


@extend_schema_view(
    list=extend_schema(summary="Các mục của kế hoạch", parameters=[PLAN_PARAM]),
    retrieve=extend_schema(summary="Một mục của kế hoạch"),
)
class SectionViewSet(viewsets.ReadOnlyModelViewSet[Section]):
    serializer_class = SectionSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]

    def get_queryset(self) -> QuerySet[Section]:
        plans = selectors.plan_list_for_user(user=self.request.user)
        qs = Section.objects.filter(plan__in=plans).order_by("plan_id", "order")
        plan = _int_param(self.request, "plan") if self.action == "list" else None
        return qs.filter(plan_id=plan) if plan is not None else qs


@extend_schema_view(
    list=extend_schema(summary="Chỉ tiêu (kèm các mốc)", parameters=[PLAN_PARAM]),
    retrieve=extend_schema(summary="Một chỉ tiêu"),
    partial_update=extend_schema(summary="Sửa chỉ tiêu; milestones thay toàn bộ các mốc"),
    update=extend_schema(summary="Sửa chỉ tiêu; milestones thay toàn bộ các mốc"),
)
class TargetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Target],
):
    serializer_class = TargetSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]

    def get_queryset(self) -> QuerySet[Target]:
        plans = selectors.plan_list_for_user(user=self.request.user)
        qs = (
            Target.objects.filter(plan__in=plans)
            .select_related("plan", "plan__org_unit")
            .prefetch_related("milestones")
            .order_by("plan_id", "order")
        )
        plan = _int_param(self.request, "plan") if self.action == "list" else None
        return qs.filter(plan_id=plan) if plan is not None else qs


@extend_schema_view(
    list=extend_schema(
        summary="Nhiệm vụ (kèm phân công)",
        parameters=[
            PLAN_PARAM,
            OpenApiParameter("status", OpenApiTypes.STR, enum=Task.Status.values),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Chỉ nhiệm vụ quá hạn."),
            OpenApiParameter(
                "mine", OpenApiTypes.BOOL, description="Chỉ nhiệm vụ giao cho cơ quan của tôi."
            ),
        ],
    ),
    retrieve=extend_schema(summary="Một nhiệm vụ"),
    partial_update=extend_schema(summary="Sửa nhiệm vụ"),
    update=extend_schema(summary="Sửa nhiệm vụ"),
)
class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Task],
):
    serializer_class = TaskSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]

    def get_queryset(self) -> QuerySet[Task]:
        user = self.request.user
        params = self.request.query_params
        if self.action == "list" and params.get("mine") in ("1", "true"):
            qs = selectors.my_tasks(user=user)
        else:
            qs = Task.objects.filter(plan__in=selectors.plan_list_for_user(user=user))
        qs = qs.select_related("plan", "plan__org_unit").prefetch_related(
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("agency"))
        )
        if self.action != "list":
            return qs.order_by("plan_id", "order")
        plan = _int_param(self.request, "plan")
        if plan is not None:
            qs = qs.filter(plan_id=plan)
        task_status = params.get("status", "").strip()
        if task_status:
            if task_status not in Task.Status.values:
                raise ValidationError({"status": [_("Trạng thái không hợp lệ.")]})
            qs = qs.filter(status=task_status)
        if params.get("overdue") in ("1", "true"):
            today = timezone.localdate()
            ids = [t.pk for t in qs if selectors.task_is_overdue(t, today=today)]
            qs = qs.filter(pk__in=ids)
        return qs.order_by("plan_id", "order")


class AssignmentInputSerializer(serializers.Serializer[Any]):
    task = serializers.IntegerField()
    role = serializers.ChoiceField(choices=TaskAssignment.Role.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    agency = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(summary="Phân công của nhiệm vụ", parameters=[TASK_PARAM]),
    retrieve=extend_schema(summary="Một phân công"),
    create=extend_schema(
        summary="Thêm hoặc đổi cơ quan của một vai trò (chủ trì, phối hợp …)",
        request=AssignmentInputSerializer,
        responses={201: AssignmentSerializer},
    ),
    destroy=extend_schema(summary="Bỏ một phân công"),
)
class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[TaskAssignment],
):
    """Who leads, supports, advises on or decides a task; written by the plan's editors."""

    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]

    def get_queryset(self) -> QuerySet[TaskAssignment]:
        plans = selectors.plan_list_for_user(user=self.request.user)
        qs = (
            TaskAssignment.objects.filter(task__plan__in=plans)
            .select_related("agency", "task", "task__plan", "task__plan__org_unit")
            .order_by("task_id", "role", "order")
        )
        task = _int_param(self.request, "task") if self.action == "list" else None
        return qs.filter(task_id=task) if task is not None else qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = AssignmentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        task = selectors.task_get_for_user(task_id=data["task"], user=request.user)
        agency = None
        if data.get("agency") is not None:
            agency = (
                scope_filter(Agency.objects.all(), request.user).filter(pk=data["agency"]).first()
            )
            if agency is None:
                raise ValidationError({"agency": [_("Không tìm thấy cơ quan này.")]})
        try:
            row = services.assignment_set(
                task=task,
                role=data["role"],
                text=data.get("text", ""),
                agency=agency,
                acting_user=request.user,
            )
        except DjangoValidationError as exc:
            _raise_drf(exc)
            raise
        return Response(AssignmentSerializer(row).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: TaskAssignment) -> None:
        try:
            services.assignment_delete(assignment=instance, acting_user=self.request.user)
        except DjangoValidationError as exc:
            _raise_drf(exc)


@extend_schema_view(
    list=extend_schema(summary="Cập nhật tiến độ nhiệm vụ", parameters=[TASK_PARAM]),
    retrieve=extend_schema(summary="Một cập nhật tiến độ"),
    create=extend_schema(
        summary="Thêm cập nhật tiến độ (multipart; tối đa 5 tệp pdf, docx, xlsx, jpg, png ≤ 10 MB)"
    ),
)
class ProgressViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TaskProgress],
):
    serializer_class = ProgressSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPlans]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[TaskProgress]:
        plans = selectors.plan_list_for_user(user=self.request.user)
        qs = (
            TaskProgress.objects.filter(task__plan__in=plans)
            .prefetch_related("evidence")
            .order_by("task_id", "-on", "-id")
        )
        task = _int_param(self.request, "task") if self.action == "list" else None
        return qs.filter(task_id=task) if task is not None else qs


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("plans", PlanViewSet, basename="plan")
    router.register("plan-sections", SectionViewSet, basename="plan-section")
    router.register("targets", TargetViewSet, basename="target")
    router.register("tasks", TaskViewSet, basename="task")
    router.register("task-assignments", AssignmentViewSet, basename="task-assignment")
    router.register("progress-updates", ProgressViewSet, basename="progress-update")
    budget_api.register(router)
