"""REST API of pilot models and support case files.

Owns: PilotModelViewSet, PilotModelSerializer, BeneficiaryViewSet (with the reveal action),
ConsentViewSet (withdraw), ServiceViewSet, ReferralViewSet (status), register(router) — mounts
"pilot-models", "beneficiaries", "consents", "services", "referrals".
Case files: the same rules as the pages — "beneficiary.view" and the scope to read, services to
write (a referral without a consent covering it: 400, nothing written); identifying fields are
write-only and come back only from POST beneficiaries/{id}/reveal/ with a reason (audited).
Invariants: reads through selectors (scoped; 404 outside; nothing without "pilotmodel.view");
writes through services (403 / 400 with reasons / 409 with the current record when `version`
is stale). Filters: unit (id, with its subtree), year or from / to (ISO dates), kind, status.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability
from pcmd.common.params import parse_id, parse_year
from pcmd.common.records import StaleRecord
from pcmd.sealing.access import reveal
from pcmd.support import selectors, services
from pcmd.support.casefiles import forms as case_forms
from pcmd.support.casefiles import selectors as case_selectors
from pcmd.support.casefiles import services as case_services
from pcmd.support.casefiles.forms import agency_choices
from pcmd.support.casefiles.models import Beneficiary, Consent, Referral, ServiceProvision
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
        if unit and parse_id(unit) is None:
            raise ValidationError({"unit": [_("“%(v)s” phải là số.") % {"v": unit}]})
        year = _param(request, "year")
        start, end = _date(request, "from"), _date(request, "to")
        if year:
            number = parse_year(year)
            if number is None:
                raise ValidationError({"year": [_("Năm phải gồm 4 chữ số.")]})
            start, end = date(number, 1, 1), date(number, 12, 31)
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
    register_case_files(router)


# --- Support case files ----------------------------------------------------------------------
# Beneficiaries are listed by pseudonymous code; identifying fields are write-only and read
# only through POST .../reveal/ with a reason (audited), by those the pages allow.


class CanViewCaseFiles(permissions.BasePermission):
    message = gettext_lazy("Vai trò của bạn không được phép thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) == "reveal":
            # Also open to a break-glass grant holder; the object lookup decides (404).
            return bool(request.user and request.user.is_authenticated)
        return has_capability(request.user, "beneficiary.view")


def _user_agencies(serializer: serializers.Serializer[Any], *names: str) -> None:
    request = serializer.context.get("request")
    if request is None or not request.user.is_authenticated:
        return
    for name in names:
        field = serializer.fields.get(name)
        if field is not None:
            field.queryset = agency_choices(request.user)  # type: ignore[attr-defined]


class BeneficiarySerializer(serializers.ModelSerializer[Beneficiary]):
    version = serializers.IntegerField(required=False)
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    full_name = serializers.CharField(write_only=True, max_length=200, required=False)
    birth_date = serializers.DateField(write_only=True, required=False, allow_null=True)
    id_number = serializers.CharField(write_only=True, max_length=20, required=False,
                                      allow_blank=True)  # fmt: skip
    phone = serializers.CharField(write_only=True, max_length=20, required=False,
                                  allow_blank=True)  # fmt: skip
    address = serializers.CharField(write_only=True, required=False, allow_blank=True)
    pilot_models = serializers.PrimaryKeyRelatedField(
        many=True, queryset=PilotModel.objects.all(), required=False
    )

    class Meta:
        model = Beneficiary
        fields = [
            "id", "version", "code", "org_unit", "org_unit_name", "registered_on", "group", "sex",
            "age_band", "status", "closed_on", "legal_hold", "case_plan", "case_plan_review_on",
            "pilot_models", "full_name", "birth_date", "id_number", "phone", "address",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "code", "org_unit_name", "status", "closed_on", "legal_hold",
                            "updated_at"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and "pilot_models" in self.fields:
            self.fields["pilot_models"].child_relation.queryset = (  # type: ignore[attr-defined]
                case_forms.pilot_model_choices(request.user)
            )


class BeneficiaryRevealSerializer(serializers.Serializer[Any]):
    fields_wanted = serializers.MultipleChoiceField(
        choices=list(case_services.IDENTITY_FIELDS), source="fields"
    )
    reason = serializers.CharField(max_length=500)

    def to_internal_value(self, data: Any) -> Any:
        # Accept {"fields": [...]} as the natural spelling.
        if hasattr(data, "get") and "fields" in data and "fields_wanted" not in data:
            data = {"fields_wanted": data.get("fields"), "reason": data.get("reason", "")}
        return super().to_internal_value(data)


class _CaseFileViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated, CanViewCaseFiles]

    def _beneficiary(self, data: dict[str, Any]) -> Beneficiary:
        raw = data.pop("beneficiary", None)
        if not isinstance(raw, int):
            raise ValidationError({"beneficiary": [_("Hãy ghi mã số (id) của hồ sơ.")]})
        return case_selectors.beneficiary_get_for_user(beneficiary_id=raw, user=self.request.user)


BENEFICIARY_FILTERS = [
    OpenApiParameter("group", OpenApiTypes.STR, enum=Beneficiary.Group.values),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Beneficiary.Status.values),
    OpenApiParameter("year", OpenApiTypes.INT, description="Năm lập hồ sơ."),
]


@extend_schema_view(list=extend_schema(summary="Hồ sơ hỗ trợ", parameters=BENEFICIARY_FILTERS))
class BeneficiaryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _CaseFileViewSet,
):
    serializer_class = BeneficiarySerializer
    queryset = Beneficiary.objects.none()

    def get_queryset(self) -> QuerySet[Beneficiary]:
        request = self.request
        group, state, year = (
            _param(request, "group"),
            _param(request, "status"),
            _param(request, "year"),
        )
        if group and group not in Beneficiary.Group.values:
            raise ValidationError({"group": [_("Nhóm đối tượng không hợp lệ.")]})
        if state and state not in Beneficiary.Status.values:
            raise ValidationError({"status": [_("Trạng thái không hợp lệ.")]})
        if year and not (year.isdigit() and len(year) == 4):
            raise ValidationError({"year": [_("Năm phải gồm 4 chữ số.")]})
        return case_selectors.beneficiary_list_for_user(
            user=request.user, group=group, status=state, year=int(year) if year else None
        ).prefetch_related("pilot_models")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        if not values.get("full_name"):
            raise ValidationError({"full_name": [_("Hãy nhập họ và tên.")]})
        try:
            obj = case_services.beneficiary_create(acting_user=request.user, **values)
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
        data.pop("org_unit", None)
        identity = {k: data.pop(k) for k in case_services.IDENTITY_FIELDS if k in data}
        pilot = data.pop("pilot_models", None)
        try:
            obj = case_services.beneficiary_update(
                beneficiary=obj, acting_user=request.user, expected_version=expected,
                identity=identity, pilot_models=pilot, **data,
            )  # fmt: skip
        except StaleRecord as exc:
            return Response(
                {"detail": exc.messages[0], "current": self.get_serializer(exc.current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(obj).data)

    @extend_schema(request=BeneficiaryRevealSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        """The identifying fields asked for, with a reason of at least 10 characters; the read
        is an audit event. Only for the unit's social workers and leaders, or a break-glass
        grant."""
        if parse_id(pk) is None:
            raise ValidationError({"id": [_("Mã số không hợp lệ.")]})
        b = case_selectors.beneficiary_get_for_reveal(
            beneficiary_id=int(str(pk)), user=request.user
        )
        serializer = BeneficiaryRevealSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            values = reveal(
                user=request.user, obj=b, fields=sorted(serializer.validated_data["fields"]),
                reason=serializer.validated_data["reason"], request=request,
            )  # fmt: skip
        except DjangoValidationError as exc:
            _raise(exc)
        body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
        response = Response({"id": b.pk, "code": b.code, **body})
        response["Cache-Control"] = "no-store"
        return response


class ConsentSerializer(serializers.ModelSerializer[Consent]):
    beneficiary = serializers.IntegerField(source="beneficiary_id")
    code = serializers.CharField(source="beneficiary.code", read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "beneficiary", "code", "given_on", "covers_processing", "covers_referral",
                  "covers_health", "withdrawn_on", "note", "created_at"]  # fmt: skip
        read_only_fields = ["id", "code", "withdrawn_on", "created_at"]


class WithdrawSerializer(serializers.Serializer[Any]):
    withdrawn_on = serializers.DateField()


class ConsentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _CaseFileViewSet
):
    serializer_class = ConsentSerializer
    queryset = Consent.objects.none()

    def get_queryset(self) -> QuerySet[Consent]:
        return case_selectors.consent_list_for_user(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        b = self._beneficiary({"beneficiary": data.pop("beneficiary_id")})
        try:
            obj = case_services.consent_create(beneficiary=b, acting_user=request.user, **data)
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        consent = self.get_object()
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            consent = case_services.consent_withdraw(
                consent=consent, acting_user=request.user,
                withdrawn_on=serializer.validated_data["withdrawn_on"],
            )  # fmt: skip
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(consent).data)


class ServiceSerializer(serializers.ModelSerializer[ServiceProvision]):
    beneficiary = serializers.IntegerField(source="beneficiary_id")
    code = serializers.CharField(source="beneficiary.code", read_only=True)
    provider = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceProvision
        fields = [
            "id", "beneficiary", "code", "kind", "provided_on", "provider_agency",
            "provider_name", "provider", "outcome", "note", "referral", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "code", "provider", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _user_agencies(self, "provider_agency")
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and "referral" in self.fields:
            self.fields["referral"].queryset = case_selectors.referral_list_for_user(  # type: ignore[attr-defined]
                user=request.user
            )


class ServiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _CaseFileViewSet
):
    serializer_class = ServiceSerializer
    queryset = ServiceProvision.objects.none()

    def get_queryset(self) -> QuerySet[ServiceProvision]:
        return case_selectors.service_list_for_user(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        b = self._beneficiary({"beneficiary": data.pop("beneficiary_id")})
        try:
            obj = case_services.service_create(beneficiary=b, acting_user=request.user, **data)
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    beneficiary = serializers.IntegerField(source="beneficiary_id")
    code = serializers.CharField(source="beneficiary.code", read_only=True)
    recipient = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "beneficiary", "code", "referred_on", "service_kind", "to_agency",
                  "to_name", "recipient", "consent", "status", "follow_up_on", "overdue",
                  "outcome_note", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "code", "recipient", "consent", "status", "overdue",
                            "updated_at"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _user_agencies(self, "to_agency")

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj: Referral) -> bool:
        return obj.is_overdue(timezone.localdate())


class ReferralUpdateSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    outcome_note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary="Chuyển gửi",
        parameters=[OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Chỉ quá hạn.")],
    )
)
class ReferralViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, _CaseFileViewSet
):
    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()

    def get_queryset(self) -> QuerySet[Referral]:
        if self.action == "list" and _param(self.request, "overdue") in ("1", "true"):
            return case_selectors.referral_list_overdue(user=self.request.user)
        return case_selectors.referral_list_for_user(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        b = self._beneficiary({"beneficiary": data.pop("beneficiary_id")})
        try:
            obj = case_services.referral_create(beneficiary=b, acting_user=request.user, **data)
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralUpdateSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str | None = None, **kwargs: Any) -> Response:
        """The receiving side's answer (accepted / declined / completed) or a new follow-up."""
        referral = self.get_object()
        serializer = ReferralUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            referral = case_services.referral_update(
                referral=referral, acting_user=request.user, status=data["status"],
                follow_up_on=data.get("follow_up_on", referral.follow_up_on),
                outcome_note=data.get("outcome_note", ""),
            )  # fmt: skip
        except DjangoValidationError as exc:
            _raise(exc)
        return Response(self.get_serializer(referral).data)


def register_case_files(router: Any) -> None:
    router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
    router.register("consents", ConsentViewSet, basename="consent")
    router.register("services", ServiceViewSet, basename="service")
    router.register("referrals", ReferralViewSet, basename="referral")
