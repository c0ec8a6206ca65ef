"""REST API of periodic reports: list and detail (scoped), and the workflow actions.

Owns: ReportViewSet, register(router).
Entry points: register(router) — pcmd.api mounts "reports".
Invariants: the same selectors and services as the pages, so the same scope (404 outside it),
capabilities (403 without them) and refusals (400 with the Vietnamese message; 409 for a stale
save); a submitted report's detail gives its frozen content.
Not here: the rules (services.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability
from pcmd.api.exceptions import validation_error_from
from pcmd.common.params import parse_id
from pcmd.common.records import StaleRecord
from pcmd.orgunits.models import OrgUnit
from pcmd.plans.models import Plan
from pcmd.reports import selectors, services
from pcmd.reports.content import content_to_json
from pcmd.reports.models import NARRATIVE_FIELDS, Report


class CanViewReports(permissions.BasePermission):
    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return has_capability(request.user, selectors.VIEW)


class ReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "org_unit", "org_unit_name", "period", "kind", "plan", "status", "status_label",
            *NARRATIVE_FIELDS, "number", "place", "issued_on", "signing_mode", "signer_name",
            "signer_title", "recipients", "preamble", "due_on", "submitted_at", "approved_at",
            "version",
        ]  # fmt: skip
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    content = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "content"]
        read_only_fields = fields

    def get_content(self, report: Report) -> dict[str, Any]:
        return content_to_json(selectors.report_content(report))


class ReportCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.CharField(max_length=12)
    plan = serializers.IntegerField(required=False, allow_null=True)
    review = serializers.ChoiceField(choices=["", "midterm"], required=False, default="")


class NarrativeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField()
    strengths = serializers.CharField(required=False, allow_blank=True)
    shortcomings = serializers.CharField(required=False, allow_blank=True)
    causes = serializers.CharField(required=False, allow_blank=True)
    lessons = serializers.CharField(required=False, allow_blank=True)
    next_tasks = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.CharField(required=False, allow_blank=True)


class CommentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    comment = serializers.CharField(allow_blank=True)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(allow_blank=True)


class ReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):  # fmt: skip
    queryset = Report.objects.none()
    serializer_class = ReportSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewReports]

    def get_queryset(self) -> Any:
        qs = selectors.report_list_for_user(user=self.request.user)
        q = self.request.query_params
        unit_id = parse_id(q.get("org_unit", ""))
        if unit_id is not None:
            qs = qs.filter(org_unit_id=unit_id)
        if q.get("period"):
            qs = qs.filter(period=q["period"].strip().upper())
        if q.get("status"):
            qs = qs.filter(status=q["status"])
        return qs

    def get_object(self) -> Report:
        return selectors.report_get_for_user(
            report_id=int(self.kwargs["pk"]), user=self.request.user
        )

    def get_serializer_class(self) -> Any:
        return {
            "retrieve": ReportDetailSerializer,
            "create": ReportCreateSerializer,
            "narrative": NarrativeSerializer,
            "return_": CommentSerializer,
            "reopen": ReasonSerializer,
        }.get(getattr(self, "action", ""), ReportSerializer)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(ReportDetailSerializer(self.get_object()).data)

    @extend_schema(request=ReportCreateSerializer, responses=ReportSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: Any = request.user
        unit: OrgUnit = user.org_unit
        plan = None
        if data.get("plan"):
            plan = Plan.objects.filter(pk=data["plan"], org_unit=unit).first()
            if plan is None:
                raise ValidationError({"plan": [str(gettext_lazy("Không có kế hoạch này."))]})
        try:
            report = services.report_create(
                acting_user=user, unit=unit, period=data["period"], plan=plan,
                review=data.get("review", ""),
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    def _run(self, request: Request, run: Callable[[Report, dict[str, Any]], Any]) -> Response:
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run(report, dict(serializer.validated_data))
        except StaleRecord as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc
        return Response(ReportSerializer(self.get_object()).data)

    @extend_schema(request=NarrativeSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def narrative(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        def run(report: Report, data: dict[str, Any]) -> Any:
            version = data.pop("version")
            return services.report_save_narrative(
                acting_user=request.user, report=report, data=data, expected_version=version
            )

        return self._run(request, run)

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self._run(
            request, lambda r, d: services.report_submit(acting_user=request.user, report=r)
        )

    @extend_schema(request=None, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self._run(
            request, lambda r, d: services.report_approve(acting_user=request.user, report=r)
        )

    @extend_schema(request=CommentSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self._run(
            request,
            lambda r, d: services.report_return(
                acting_user=request.user, report=r, comment=d["comment"]
            ),
        )

    @extend_schema(request=ReasonSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        return self._run(
            request,
            lambda r, d: services.report_reopen(
                acting_user=request.user, report=r, reason=d["reason"]
            ),
        )


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("reports", ReportViewSet, basename="report")
