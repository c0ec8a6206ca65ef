"""Forms for villages and agencies: parse and check what a person typed, in Vietnamese.

Owns: VillageForm, VillageImportForm, AgencyForm, StandingAgencyForm.
Invariants: a valid form's cleaned_data can be passed as keyword arguments to its service
(village_create, villages_import, agency_create / agency_update, standing_agency_assign); forms
never write. Rules that need the database (duplicates, dates against the unit) are the
services' and come back as ValidationError by field.
Not here: the writes (services.py), the pages (views.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcmd.common.text import nfc
from pcmd.orgunits.importing import (
    VILLAGE_IMPORT_EXTENSIONS,
    VILLAGE_IMPORT_MAX_BYTES,
    VILLAGE_KINDS,
)
from pcmd.orgunits.models import Agency, OrgUnit

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không hợp lệ; hãy nhập theo dạng 30/06/2025.")},
    )


class VillageForm(forms.Form):
    name = forms.CharField(
        label=_("Tên thôn, tổ dân phố"),
        max_length=200,
        help_text=_("Ví dụ: Thôn 1, Thôn Đông, Tổ dân phố 3."),
        error_messages={"required": _("Hãy nhập tên thôn, tổ dân phố.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=[(k, OrgUnit.Kind(k).label) for k in VILLAGE_KINDS],
        initial=OrgUnit.Kind.VILLAGE,
        error_messages={
            "required": _("Hãy chọn loại."),
            "invalid_choice": _("Loại không hợp lệ."),
        },
    )
    code = forms.CharField(label=_("Mã (nếu có)"), max_length=20, required=False)

    def clean_name(self) -> str:
        name = nfc(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Hãy nhập tên thôn, tổ dân phố."))
        return name

    def clean_code(self) -> str:
        return nfc(self.cleaned_data.get("code") or "")


class VillageImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách thôn, tổ dân phố (.xlsx hoặc .csv)"),
        help_text=_("Các cột: Tên, Loại (Thôn, Tổ dân phố, Ấp, Bản, Xóm, Khu phố), Mã (nếu có)."),
        error_messages={
            "required": _("Hãy chọn tệp cần nhập."),
            "empty": _("Tệp rỗng."),
            "invalid": _("Không nhận được tệp; hãy thử lại."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(VILLAGE_IMPORT_EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(VILLAGE_IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
        if upload.size > VILLAGE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(mb)d MB).")
                % {"mb": VILLAGE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class AgencyForm(forms.Form):
    """The fields of an agency a person may set; pass `instance=` to edit one."""

    kind = forms.ChoiceField(
        label=_("Loại cơ quan"),
        choices=Agency.Kind.choices,
        error_messages={"required": _("Hãy chọn loại cơ quan.")},
    )
    name = forms.CharField(
        label=_("Tên cơ quan, đơn vị"),
        max_length=255,
        help_text=_("Ví dụ: Công an xã Hoằng Hợp, Sở Y tế."),
        error_messages={"required": _("Hãy nhập tên cơ quan, đơn vị.")},
    )
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=80, required=False)
    valid_from = _date_field(_("Hiệu lực từ ngày"), help_text=_("Để trống nếu không rõ."))
    valid_to = _date_field(_("Hiệu lực đến ngày"), help_text=_("Để trống nếu còn hoạt động."))
    is_requested = forms.BooleanField(
        label=_("Cơ quan ngoài hệ thống hành chính (kế hoạch ghi “Đề nghị”)"),
        required=False,
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, instance: Agency | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "kind",
                    "name",
                    "short_name",
                    "valid_from",
                    "valid_to",
                    "is_requested",
                    "note",
                )
            }
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_name(self) -> str:
        name = nfc(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Hãy nhập tên cơ quan, đơn vị."))
        return name

    def clean_short_name(self) -> str:
        return nfc(self.cleaned_data.get("short_name") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("valid_from")
        end: date | None = data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
        return data


class StandingAgencyForm(forms.Form):
    """Choose the standing agency for PCMD of `org_unit` from a date."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan thường trực phòng, chống mại dâm"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": _("Hãy chọn cơ quan."),
            "invalid_choice": _("Cơ quan này không thuộc đơn vị."),
        },
    )
    valid_from = _date_field(_("Từ ngày"), required=True)
    legal_basis = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Nghị định số 150/2025/NĐ-CP."),
    )

    def __init__(self, *args: Any, org_unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org_unit = org_unit
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(org_unit=org_unit).order_by("key")
        self.fields["valid_from"].error_messages["required"] = _("Hãy nhập ngày bắt đầu.")

    def clean_legal_basis(self) -> str:
        return nfc(self.cleaned_data.get("legal_basis") or "")
