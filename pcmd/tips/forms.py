"""Forms of the tip pages and of the anonymous public page.

Owns: IntakeForm, AssignForm, NoteForm, ClassifyForm, HandleForm, TransferForm, PauseForm,
ExtendForm, RevealForm, MessageForm, PublicTipForm, LookupForm, PublicMessageForm.
Invariants: choices of units, officers, inspections and cases come from the user's scope; the
forms parse input only — the rules live in services.py, whose ValidationErrors the views put
back on the form beside the field they name.
Not here: the rules (services.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.enforcement import selectors as enforcement_selectors
from pcmd.enforcement.forms import scope_units
from pcmd.orgunits.fields import use_unit_picker
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_ancestors, orgunit_children
from pcmd.plans.forms import MultipleFileField
from pcmd.tips.models import Channel, LegalNature, Subject, Tip
from pcmd.tips.selectors import handling_officers

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXTAREA = forms.Textarea(attrs={"rows": 5})
OFFICER_CHANNELS = [c for c in Channel.choices if c[0] != Channel.PUBLIC_PAGE]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class IntakeForm(forms.Form):
    """An officer records a tip received through any channel."""

    org_unit = UnitChoiceField(label=_("Đơn vị tiếp nhận"), queryset=OrgUnit.objects.none())
    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"), widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )  # fmt: skip
    channel = forms.ChoiceField(label=_("Nguồn tiếp nhận"), choices=OFFICER_CHANNELS)
    source_agency = forms.CharField(
        label=_("Cơ quan chuyển đến, tờ báo (nếu có)"), required=False, max_length=255
    )
    content = forms.CharField(label=_("Nội dung tin báo"), widget=TEXTAREA)
    subject = forms.ChoiceField(
        label=_("Nội dung phản ánh (sơ bộ)"), choices=_blank(Subject.choices), required=False
    )
    remote_area = forms.BooleanField(label=_("Vùng sâu, vùng xa, hải đảo"), required=False)
    reporter_name = forms.CharField(
        label=_("Họ tên người báo"), required=False, max_length=200,
        help_text=_("Để trống nếu người báo giấu tên. Thông tin người báo được niêm phong."),
    )  # fmt: skip
    reporter_phone = forms.CharField(label=_("Điện thoại"), required=False, max_length=40)
    reporter_email = forms.EmailField(label=_("Thư điện tử"), required=False, max_length=200)
    reporter_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    handling_officer = OfficerChoiceField(
        label=_("Cán bộ thụ lý"), queryset=OrgUnit.objects.none(), required=False
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm (PDF, DOCX, XLSX, JPG, PNG; tối đa 10 MB mỗi tệp)"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = scope_units(user)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]
        use_unit_picker(self, "org_unit")
        unit = getattr(user, "org_unit", None)
        self.fields["handling_officer"].queryset = (  # type: ignore[attr-defined]
            handling_officers(unit) if unit is not None else OrgUnit.objects.none()
        )
        if not self.is_bound:
            self.initial.setdefault("org_unit", getattr(user, "org_unit_id", None))
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )


class AssignForm(forms.Form):
    officer = OfficerChoiceField(label=_("Cán bộ thụ lý"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, tip: Tip, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = handling_officers(tip.org_unit)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))


class ClassifyForm(forms.Form):
    subject = forms.ChoiceField(label=_("Nội dung phản ánh"), choices=_blank(Subject.choices))
    legal_nature = forms.ChoiceField(
        label=_("Tính chất pháp lý"), choices=_blank(LegalNature.choices)
    )
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    remote_area = forms.BooleanField(label=_("Vùng sâu, vùng xa, hải đảo"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))


class HandleForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết quả xử lý"),
        choices=_blank([c for c in Tip.Outcome.choices if c[0] != Tip.Outcome.TRANSFERRED]),
    )
    inspection = forms.ModelChoiceField(
        label=_("Lượt kiểm tra, xử phạt"), queryset=OrgUnit.objects.none(), required=False
    )
    case = forms.ModelChoiceField(label=_("Vụ án"), queryset=OrgUnit.objects.none(),
                                  required=False)  # fmt: skip
    note = forms.CharField(label=_("Ghi chú kết quả"), required=False,
                           widget=forms.Textarea({"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = (  # type: ignore[attr-defined]
            enforcement_selectors.inspection_list_for_user(user=user)
        )
        self.fields["case"].queryset = enforcement_selectors.case_list_for_user(  # type: ignore[attr-defined]
            user=user
        )


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(label=_("Chuyển đến đơn vị"), queryset=OrgUnit.objects.none(),
                              required=False)  # fmt: skip
    to_agency = forms.CharField(
        label=_("hoặc cơ quan ngoài hệ thống"), required=False, max_length=255,
        help_text=_("Ví dụ: Cơ quan Cảnh sát điều tra Công an tỉnh."),
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args: Any, tip: Tip, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        ids: set[int] = set()
        unit = tip.org_unit
        for ancestor in orgunit_ancestors(unit, on=today):
            if ancestor.level == OrgUnit.Level.PROVINCE:
                ids.add(ancestor.pk)
                ids |= set(orgunit_children(ancestor, on=today).values_list("pk", flat=True))
        ids.discard(unit.pk)
        self.fields["to_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=ids
        ).order_by("level", "key")
        use_unit_picker(self, "to_unit", everywhere=True)


class PauseForm(forms.Form):
    reason = forms.CharField(label=_("Lý do tạm dừng"), max_length=500)


class ExtendForm(forms.Form):
    months = forms.IntegerField(label=_("Gia hạn (tháng)"), min_value=1, max_value=12)
    reason = forms.CharField(label=_("Lý do gia hạn"), max_length=500)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do cần xem thông tin người báo"), max_length=500,
        help_text=_("Ghi rõ lý do (ít nhất 10 ký tự); lần xem được ghi vào nhật ký."),
    )  # fmt: skip


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Tin nhắn cho người báo"), max_length=5000,
                           widget=forms.Textarea({"rows": 3}))  # fmt: skip


# --- The public page --------------------------------------------------------------------------


class PublicTipForm(forms.Form):
    content = forms.CharField(
        label=_("Nội dung tố giác, tin báo"), max_length=10000, widget=forms.Textarea({"rows": 8}),
        help_text=_("Việc gì, ở đâu, khi nào, ai liên quan (nếu biết)."),
    )  # fmt: skip
    commune = UnitChoiceField(label=_("Xã, phường, đặc khu nơi xảy ra"),
                              queryset=OrgUnit.objects.none())  # fmt: skip
    attachments = MultipleFileField(
        label=_("Ảnh hoặc tệp văn bản (JPG, PNG, TXT; tối đa 5 tệp, 10 MB mỗi tệp)"),
        required=False,
        help_text=_("Thông tin ẩn trong ảnh (vị trí, thiết bị, tên tệp) được xóa trước khi lưu."),
    )
    reporter_name = forms.CharField(label=_("Họ tên (không bắt buộc)"), required=False,
                                    max_length=200)  # fmt: skip
    reporter_phone = forms.CharField(label=_("Điện thoại (không bắt buộc)"), required=False,
                                     max_length=40)  # fmt: skip
    reporter_email = forms.EmailField(label=_("Thư điện tử (không bắt buộc)"), required=False,
                                      max_length=200)  # fmt: skip

    def __init__(self, *args: Any, province: OrgUnit, on: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = orgunit_children(province, on=on).filter(  # type: ignore[attr-defined]
            level=OrgUnit.Level.COMMUNE
        )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )  # fmt: skip


class PublicMessageForm(forms.Form):
    code = forms.CharField(max_length=64, widget=forms.HiddenInput)
    body = forms.CharField(label=_("Tin nhắn cho cán bộ thụ lý"), max_length=5000,
                           widget=forms.Textarea({"rows": 3}))  # fmt: skip
