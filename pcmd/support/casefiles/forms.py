"""Forms of the case-file pages: one column, Vietnamese labels; the services re-check everything.

Owns: BeneficiaryForm, BeneficiaryEditForm, ConsentForm, ConsentWithdrawForm, AssessmentForm,
ServiceForm, ReferralForm, ReferralUpdateForm, RevealForm, ClosureRequestForm,
ClosureDecideForm, LegalHoldForm, ExportForm, EraseForm, agency_choices().
Invariants: no form is ever pre-filled with an identifying value (the edit form's identity
fields start empty and mean "keep" when left so).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pcmd.accounts.permissions import scope_filter
from pcmd.enforcement import selectors as enforcement_selectors
from pcmd.enforcement.models import Case, Inspection
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.support.casefiles.models import (
    Beneficiary,
    Need,
    Referral,
    ServiceKind,
    ServiceProvision,
)
from pcmd.support.forms import DATE_WIDGET, unit_choices
from pcmd.support.models import PilotModel

REASON_WIDGET = forms.Textarea(attrs={"rows": 2, "minlength": 10})
IDENTITY_CHOICES = [
    ("full_name", _("Họ và tên")),
    ("birth_date", _("Ngày sinh")),
    ("id_number", _("Số định danh, CCCD")),
    ("phone", _("Số điện thoại")),
    ("address", _("Địa chỉ")),
]


def agency_choices(user: Any) -> QuerySet[Agency]:
    """Agencies of the user's scope and of the units above it (a commune refers people to the
    district or province services)."""
    above = OrgUnitScope.objects.filter(unit_id=user.org_unit_id).values("holder_id")
    in_scope = scope_filter(Agency.objects.all(), user).values("pk")
    return (
        Agency.objects.select_related("org_unit")
        .filter(Q(pk__in=in_scope) | Q(org_unit__in=above))
        .order_by("org_unit__level", "name")
    )


def pilot_model_choices(user: Any) -> QuerySet[PilotModel]:
    return scope_filter(PilotModel.objects.select_related("org_unit"), user).order_by("name")


class _PilotModelsMixin(forms.Form):
    pilot_models = forms.ModelMultipleChoiceField(
        queryset=PilotModel.objects.none(),
        label=_("Mô hình, nhóm đồng đẳng tiếp cận người này"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class BeneficiaryForm(_PilotModelsMixin):
    org_unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Đơn vị"))
    registered_on = forms.DateField(label=_("Ngày lập hồ sơ"), widget=DATE_WIDGET)
    group = forms.ChoiceField(label=_("Nhóm đối tượng"), choices=Beneficiary.Group.choices)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Beneficiary.Sex.choices)
    age_band = forms.ChoiceField(label=_("Nhóm tuổi"), choices=Beneficiary.AgeBand.choices)
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        help_text=_("Được mã hóa; chỉ người có quyền mới xem được, có ghi lý do và nhật ký."),
    )
    birth_date = forms.DateField(label=_("Ngày sinh"), widget=DATE_WIDGET, required=False)
    id_number = forms.CharField(label=_("Số định danh, CCCD"), max_length=20, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    address = forms.CharField(
        label=_("Địa chỉ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    case_plan = forms.CharField(
        label=_("Kế hoạch hỗ trợ"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    case_plan_review_on = forms.DateField(
        label=_("Ngày rà soát kế hoạch"), widget=DATE_WIDGET, required=False
    )

    field_order = [
        "org_unit", "registered_on", "group", "sex", "age_band", "full_name", "birth_date",
        "id_number", "phone", "address", "case_plan", "case_plan_review_on", "pilot_models",
    ]  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = unit_choices(user)  # type: ignore[attr-defined]
        use_unit_picker(self, "org_unit")
        self.fields["pilot_models"].queryset = pilot_model_choices(user)  # type: ignore[attr-defined]
        for name in ("full_name", "id_number", "phone", "address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"


class BeneficiaryEditForm(_PilotModelsMixin):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    registered_on = forms.DateField(label=_("Ngày lập hồ sơ"), widget=DATE_WIDGET)
    group = forms.ChoiceField(label=_("Nhóm đối tượng"), choices=Beneficiary.Group.choices)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=Beneficiary.Sex.choices)
    age_band = forms.ChoiceField(label=_("Nhóm tuổi"), choices=Beneficiary.AgeBand.choices)
    case_plan = forms.CharField(
        label=_("Kế hoạch hỗ trợ"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    case_plan_review_on = forms.DateField(
        label=_("Ngày rà soát kế hoạch"), widget=DATE_WIDGET, required=False
    )
    new_full_name = forms.CharField(
        label=_("Sửa họ và tên"), max_length=200, required=False,
        help_text=_("Để trống nếu không đổi. Thông tin nhận dạng cũ không hiển thị ở đây."),
    )  # fmt: skip
    new_birth_date = forms.DateField(label=_("Sửa ngày sinh"), widget=DATE_WIDGET, required=False)
    new_id_number = forms.CharField(
        label=_("Sửa số định danh, CCCD"), max_length=20, required=False
    )
    new_phone = forms.CharField(label=_("Sửa số điện thoại"), max_length=20, required=False)
    new_address = forms.CharField(
        label=_("Sửa địa chỉ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilot_models"].queryset = pilot_model_choices(user)  # type: ignore[attr-defined]
        for name in ("new_full_name", "new_id_number", "new_phone", "new_address"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    @classmethod
    def for_beneficiary(cls, b: Beneficiary, *, user: Any) -> BeneficiaryEditForm:
        initial = {
            "version": b.version,
            "registered_on": b.registered_on,
            "group": b.group,
            "sex": b.sex,
            "age_band": b.age_band,
            "case_plan": b.case_plan,
            "case_plan_review_on": b.case_plan_review_on,
            "pilot_models": list(b.pilot_models.values_list("pk", flat=True)),
        }
        return cls(initial=initial, user=user)

    def identity(self) -> dict[str, Any]:
        """The identifying fields typed (the others are kept)."""
        out: dict[str, Any] = {}
        for name, _label in IDENTITY_CHOICES:
            value = self.cleaned_data.get(f"new_{name}")
            if value not in (None, ""):
                out[name] = value
        return out


class ConsentForm(forms.Form):
    given_on = forms.DateField(label=_("Ngày đồng ý"), widget=DATE_WIDGET)
    covers_processing = forms.BooleanField(
        label=_("Lưu và xử lý thông tin để hỗ trợ"), required=False, initial=True
    )
    covers_referral = forms.BooleanField(
        label=_("Chuyển gửi, chia sẻ thông tin với cơ quan, tổ chức nhận hỗ trợ"), required=False
    )
    covers_health = forms.BooleanField(label=_("Xử lý thông tin sức khỏe, HIV"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Ngày rút lại đồng ý"), widget=DATE_WIDGET)


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Ngày đánh giá"), widget=DATE_WIDGET)
    needs = forms.MultipleChoiceField(
        label=_("Nhu cầu"), choices=Need.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    eligible = forms.BooleanField(label=_("Đủ điều kiện được hỗ trợ"), required=False, initial=True)
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dịch vụ"), choices=ServiceKind.choices)
    provided_on = forms.DateField(label=_("Ngày cung cấp"), widget=DATE_WIDGET)
    provider_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=_("Cơ quan cung cấp"), required=False
    )
    provider_name = forms.CharField(
        label=_("Hoặc tên tổ chức ngoài danh sách"), max_length=300, required=False
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả"), choices=ServiceProvision.Outcome.choices, initial="completed"
    )
    referral = forms.ModelChoiceField(
        queryset=Referral.objects.none(), label=_("Theo chuyển gửi"), required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: Any, beneficiary: Beneficiary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_agency"].queryset = agency_choices(user)  # type: ignore[attr-defined]
        self.fields["referral"].queryset = beneficiary.referrals.select_related("to_agency")  # type: ignore[attr-defined]


class ReferralForm(forms.Form):
    referred_on = forms.DateField(label=_("Ngày chuyển gửi"), widget=DATE_WIDGET)
    service_kind = forms.ChoiceField(label=_("Loại dịch vụ"), choices=ServiceKind.choices)
    to_agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label=_("Cơ quan nhận"), required=False
    )
    to_name = forms.CharField(
        label=_("Hoặc tên tổ chức nhận ngoài danh sách"), max_length=300, required=False
    )
    follow_up_on = forms.DateField(label=_("Ngày theo dõi"), widget=DATE_WIDGET, required=False)
    outcome_note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agency_choices(user)  # type: ignore[attr-defined]


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Referral.Status.choices)
    follow_up_on = forms.DateField(label=_("Ngày theo dõi"), widget=DATE_WIDGET, required=False)
    outcome_note = forms.CharField(
        label=_("Kết quả, ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RevealForm(forms.Form):
    fields_wanted = forms.MultipleChoiceField(
        label=_("Thông tin cần xem"), choices=IDENTITY_CHOICES, initial=["full_name"],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Lý do xem (được ghi vào nhật ký)"), widget=REASON_WIDGET, max_length=500
    )


class ClosureRequestForm(forms.Form):
    closed_on = forms.DateField(label=_("Ngày đóng hồ sơ"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Lý do đóng hồ sơ"), widget=REASON_WIDGET, max_length=1000)


class ClosureDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("approve", _("Phê duyệt đóng hồ sơ")), ("return", _("Trả lại, tiếp tục hỗ trợ"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Ghi chú (bắt buộc khi trả lại)"), widget=REASON_WIDGET, required=False,
        max_length=1000,
    )  # fmt: skip


class LegalHoldForm(forms.Form):
    hold = forms.BooleanField(label=_("Giữ hồ sơ theo yêu cầu pháp lý"), required=False)
    reason = forms.CharField(label=_("Lý do"), widget=REASON_WIDGET, max_length=1000)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Định dạng"),
        choices=[("json", "JSON"), ("xlsx", "Excel (XLSX)")],
        initial="json",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do (ví dụ: yêu cầu của người được hỗ trợ ngày ...)"),
        widget=REASON_WIDGET,
        max_length=1000,
    )


class EraseForm(forms.Form):
    code = forms.CharField(label=_("Nhập lại mã hồ sơ để xác nhận"), max_length=40)
    reason = forms.CharField(label=_("Lý do xóa"), widget=REASON_WIDGET, max_length=1000)

    def __init__(self, *args: Any, beneficiary: Beneficiary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.beneficiary = beneficiary

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if code != self.beneficiary.code:
            raise forms.ValidationError(_("Mã hồ sơ không khớp."))
        return code


class OriginForm(forms.Form):
    """Where the person was referred from (the end of the chain tip -> inspection / case)."""

    inspection = forms.ModelChoiceField(
        label=_("Phát hiện qua lượt kiểm tra"), queryset=Inspection.objects.none(), required=False,
        empty_label=_("— không —"),
    )  # fmt: skip
    case = forms.ModelChoiceField(
        label=_("Phát hiện qua vụ án"), queryset=Case.objects.none(), required=False,
        empty_label=_("— không —"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, beneficiary: Beneficiary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The records of the person's own unit (its subtree and the units it succeeded).
        unit = beneficiary.org_unit
        self.fields["inspection"].queryset = (  # type: ignore[attr-defined]
            enforcement_selectors.inspection_list_for_user(user=user, unit=unit)
        )
        self.fields["case"].queryset = (  # type: ignore[attr-defined]
            enforcement_selectors.case_list_for_user(user=user, unit=unit)
        )
