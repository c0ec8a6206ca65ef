"""REST API of tips: the tips of the user's scope, their timeline and messages, the workflow
actions and the reveal of the reporter.

Owns: the serializers and TipViewSet, register(router) — pcmd.api mounts "tips".
Endpoints: GET/POST /api/tips/, GET /api/tips/{id}/ (content; audited VIEW_SENSITIVE),
GET /api/tips/{id}/events/, GET/POST /api/tips/{id}/messages/, POST /api/tips/{id}/verify/,
classify/, handle/, transfer/, pause/, resume/, extend/, and POST /api/tips/{id}/reveal/
{"reason": ...} — the only way to read the reporter's details.
Invariants: the same rules as the pages — reads through selectors (tip.view and the unit in
scope; 404 outside it), writes through services (403 with a Vietnamese message when the role or
unit may not, 400 keyed by field when the input is wrong). No serializer ever outputs a reporter
field; reveal returns them once, after pcmd.sealing.access.reveal has recorded the reason.
Not here: URL wiring, authentication (pcmd.api).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability
from pcmd.api.exceptions import validation_error_from
from pcmd.common.params import parse_id
from pcmd.common.records import StaleRecord
from pcmd.enforcement import selectors as enforcement_selectors
from pcmd.enforcement.forms import scope_units
from pcmd.orgunits.models import OrgUnit
from pcmd.tips import selectors, services
from pcmd.tips.deadlines import tip_clock
from pcmd.tips.models import Channel, LegalNature, Subject, Tip, TipEvent, TipMessage


class CanViewTips(permissions.BasePermission):
    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "tip.view")


class TipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    deadline = serializers.SerializerMethodField()
    in_time = serializers.SerializerMethodField()

    class Meta:
        model = Tip
        fields = [
            "id", "reference", "org_unit", "received_at", "channel", "source_agency", "subject",
            "legal_nature", "is_complex", "remote_area", "status", "outcome", "handled_at",
            "handling_officer", "inspection", "violation", "case", "transferred_to_unit",
            "transferred_to_agency", "transferred_from", "reporter_anonymous", "deadline",
            "in_time", "version",
        ]  # fmt: skip
        read_only_fields = fields

    def get_deadline(self, obj: Tip) -> str | None:
        due = tip_clock(obj).due
        return due.isoformat() if due else None

    def get_in_time(self, obj: Tip) -> bool | None:
        return tip_clock(obj).in_time


class TipDetailSerializer(TipSerializer):
    content = serializers.CharField(read_only=True)
    outcome_note = serializers.CharField(read_only=True)

    class Meta(TipSerializer.Meta):
        fields = [*TipSerializer.Meta.fields, "content", "outcome_note"]
        read_only_fields = fields


class TipCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    org_unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.none())
    received_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(
        choices=[c for c in Channel.choices if c[0] != Channel.PUBLIC_PAGE]
    )
    content = serializers.CharField()
    source_agency = serializers.CharField(required=False, allow_blank=True, default="")
    subject = serializers.ChoiceField(choices=Subject.choices, required=False, allow_blank=True,
                                      default="")  # fmt: skip
    remote_area = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, default="",
                                          write_only=True)  # fmt: skip
    reporter_phone = serializers.CharField(required=False, allow_blank=True, default="",
                                           write_only=True)  # fmt: skip
    reporter_email = serializers.CharField(required=False, allow_blank=True, default="",
                                           write_only=True)  # fmt: skip
    reporter_address = serializers.CharField(required=False, allow_blank=True, default="",
                                             write_only=True)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["org_unit"].queryset = scope_units(request.user)  # type: ignore[attr-defined]


class EventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TipEvent
        fields = ["id", "at", "kind", "actor", "note"]


class MessageSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TipMessage
        fields = ["id", "at", "from_reporter", "author", "body"]
        read_only_fields = ["id", "at", "from_reporter", "author"]


class NoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClassifySerializer(NoteSerializer):
    subject = serializers.ChoiceField(choices=Subject.choices)
    legal_nature = serializers.ChoiceField(choices=LegalNature.choices)
    is_complex = serializers.BooleanField(required=False, default=False)
    remote_area = serializers.BooleanField(required=False, default=None, allow_null=True)


class HandleSerializer(NoteSerializer):
    outcome = serializers.ChoiceField(choices=Tip.Outcome.choices)
    inspection = serializers.IntegerField(required=False, allow_null=True, default=None)
    case = serializers.IntegerField(required=False, allow_null=True, default=None)


class TransferSerializer(NoteSerializer):
    to_unit = serializers.IntegerField(required=False, allow_null=True, default=None)
    to_agency = serializers.CharField(required=False, allow_blank=True, default="")


class PauseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField()


class ExtendSerializer(serializers.Serializer):  # type: ignore[type-arg]
    months = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class RevealSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField()


class OfficerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    officer = serializers.IntegerField(allow_null=True)


class TipViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):  # fmt: skip
    queryset = Tip.objects.none()
    serializer_class = TipSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewTips]

    def get_queryset(self) -> Any:
        q = self.request.query_params
        unit = None
        raw = q.get("org_unit", "")
        unit_id = parse_id(raw)
        if unit_id is not None:
            unit = scope_units(self.request.user).filter(pk=unit_id).first()
        try:
            return selectors.tip_list_for_user(
                user=self.request.user, unit=unit, period=q.get("period", ""),
                status=q.get("status", ""), subject=q.get("subject", ""),
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc

    def get_object(self) -> Tip:
        return selectors.tip_get_for_user(pk=int(self.kwargs["pk"]), user=self.request.user)

    def get_serializer_class(self) -> Any:
        return {
            "retrieve": TipDetailSerializer,
            "create": TipCreateSerializer,
            "events": EventSerializer,
            "messages": MessageSerializer,
            "verify": NoteSerializer,
            "resume": NoteSerializer,
            "classify": ClassifySerializer,
            "handle": HandleSerializer,
            "transfer": TransferSerializer,
            "pause": PauseSerializer,
            "extend": ExtendSerializer,
            "reveal": RevealSerializer,
            "assign": OfficerSerializer,
        }.get(getattr(self, "action", ""), TipSerializer)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tip = self.get_object()
        audit_record(
            action=AuditEvent.Action.VIEW_SENSITIVE, user=request.user, obj=tip,
            request=request, detail={"fields": ["content"]},
        )  # fmt: skip
        return Response(TipDetailSerializer(tip).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TipCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            tip = services.tip_receive(acting_user=request.user, **data)
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc
        return Response(TipSerializer(tip).data, status=status.HTTP_201_CREATED)

    def _run(self, request: Request, run: Callable[[Tip, dict[str, Any]], Any]) -> Response:
        tip = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            run(tip, dict(serializer.validated_data))
        except StaleRecord as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc
        tip = self.get_object()
        return Response(TipSerializer(tip).data)

    @extend_schema(request=None, responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str, **kwargs: Any) -> Response:
        tip = self.get_object()
        return Response(EventSerializer(tip.events.all(), many=True).data)

    @action(detail=True, methods=["get", "post"])
    def messages(self, request: Request, pk: str, **kwargs: Any) -> Response:
        tip = self.get_object()
        if request.method == "GET":
            return Response(MessageSerializer(tip.messages.all(), many=True).data)
        serializer = MessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.tip_message_officer(
                tip=tip, acting_user=request.user, body=serializer.validated_data["body"]
            )
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str, **kwargs: Any) -> Response:
        def run(tip: Tip, d: dict[str, Any]) -> Any:
            officer = None
            if d["officer"] is not None:
                officer = selectors.handling_officers(tip.org_unit).filter(pk=d["officer"]).first()
                if officer is None:
                    raise DjangoValidationError({"officer": [str(_NOT_FOUND)]})
            return services.tip_assign_officer(tip=tip, officer=officer, acting_user=request.user)

        return self._run(request, run)

    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._run(
            request, lambda t, d: services.tip_verify(tip=t, acting_user=request.user, **d)
        )

    @action(detail=True, methods=["post"])
    def classify(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._run(
            request, lambda t, d: services.tip_classify(tip=t, acting_user=request.user, **d)
        )

    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str, **kwargs: Any) -> Response:
        def run(tip: Tip, d: dict[str, Any]) -> Any:
            user = request.user
            inspection = case = None
            if d.pop("inspection"):
                inspection = _scoped_get(
                    enforcement_selectors.inspection_list_for_user(user=user),
                    request.data.get("inspection"), "inspection",
                )  # fmt: skip
            if d.pop("case"):
                case = _scoped_get(
                    enforcement_selectors.case_list_for_user(user=user),
                    request.data.get("case"), "case",
                )  # fmt: skip
            return services.tip_handle(
                tip=tip, acting_user=user, inspection=inspection, case=case, **d
            )

        return self._run(request, run)

    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str, **kwargs: Any) -> Response:
        def run(tip: Tip, d: dict[str, Any]) -> Any:
            to_unit = None
            if d.pop("to_unit"):
                levels = [OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE]
                to_unit = _scoped_get(
                    OrgUnit.objects.filter(level__in=levels), request.data.get("to_unit"), "to_unit"
                )
            return services.tip_transfer(tip=tip, acting_user=request.user, to_unit=to_unit, **d)

        return self._run(request, run)

    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._run(
            request, lambda t, d: services.tip_pause(tip=t, acting_user=request.user, **d)
        )

    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._run(request, lambda t, d: services.tip_resume(tip=t, acting_user=request.user))

    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str, **kwargs: Any) -> Response:
        return self._run(
            request, lambda t, d: services.tip_extend(tip=t, acting_user=request.user, **d)
        )

    @extend_schema(request=RevealSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str, **kwargs: Any) -> Response:
        tip = self.get_object()
        serializer = RevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            values = services.tip_reveal_reporter(
                tip=tip, user=request.user, reason=serializer.validated_data["reason"],
                request=request,
            )  # fmt: skip
        except DjangoValidationError as exc:
            raise validation_error_from(exc) from exc
        return Response(values)


_NOT_FOUND = gettext_lazy("Không tìm thấy, hoặc bạn không có quyền xem mục này.")


def _scoped_get(qs: Any, raw: Any, field: str) -> Any:
    obj = qs.filter(pk=parse_id(raw)).first() if parse_id(raw) is not None else None
    if obj is None:
        raise DjangoValidationError({field: [str(_NOT_FOUND)]})
    return obj


def register(router: Any) -> None:
    """Mount this app's endpoints on the project's API router."""
    router.register("tips", TipViewSet, basename="tip")
