"""Forms of the plan pages: upload, the editable preview, plan/target/task edits, progress,
cascade and annual plan.

Owns: PlanUploadForm, PlanPreviewForm (built from a parsed plan), PlanForm, TargetForm,
TaskForm, AssignmentForm, ProgressForm, CascadeForm, DeriveYearForm, StatusForm,
parse_milestones(), format_milestones(), MAX_UPLOAD_BYTES.
Invariants: forms check the shape of what was typed (Vietnamese messages); the rules (who may,
what is consistent) live in services/; choices of agencies and units come from querysets the
view restricts to the plan's unit, so a posted id outside it is rejected as an invalid choice.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.plans.models import Plan, Responsibility, Target, Task, TaskAssignment

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""The largest plan document accepted (a long provincial plan as .docx is well under 1 MB)."""
MAX_PASTE_CHARS = 400_000
UPLOAD_EXTENSIONS = (".docx", ".txt")

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MILESTONE = re.compile(r"^\s*(\d{4})\s*[:=]\s*([\d.,]+)\s*%?\s*$")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def parse_milestones(text: str) -> list[dict[str, Any]]:
    """ "2017: 75; 2020: 100" -> [{"year": 2017, "value": 75}, ...]; ValidationError if bad."""
    out: list[dict[str, Any]] = []
    years: set[int] = set()
    for chunk in re.split(r"[;\n]", text or ""):
        if not chunk.strip():
            continue
        match = _MILESTONE.match(chunk)
        if not match:
            raise ValidationError(
                _("Không đọc được mốc “%(m)s”: hãy viết dạng “2017: 75; 2020: 100”.")
                % {"m": chunk.strip()}
            )
        year = int(match.group(1))
        raw = match.group(2).replace(".", "").replace(",", ".")
        if "," not in match.group(2) and match.group(2).count(".") == 1:
            raw = match.group(2)  # "75.5" typed with a decimal point
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise ValidationError(
                _("Giá trị của mốc năm %(y)s không phải là số.") % {"y": year}
            ) from exc
        if year in years:
            raise ValidationError(_("Năm %(y)s có hai mốc.") % {"y": year})
        years.add(year)
        number: int | float = int(value) if value == value.to_integral_value() else float(value)
        out.append({"year": year, "value": number})
    return sorted(out, key=lambda m: m["year"])


def format_milestones(milestones: Any) -> str:
    parts = []
    for m in milestones or []:
        year = m["year"] if isinstance(m, dict) else m.year
        value = m["value"] if isinstance(m, dict) else m.value
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        parts.append(f"{year}: {str(value).replace('.', ',')}")
    return "; ".join(parts)


def names_from_lines(text: str) -> list[str]:
    """One agency name per line (names may hold commas: "Sở Văn hóa, Thể thao và Du lịch")."""
    return [line.strip(" -;.") for line in (text or "").splitlines() if line.strip(" -;.")]


class MilestonesField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Mốc lộ trình"))
        kwargs.setdefault(
            "help_text", gettext_lazy("Dạng “2017: 75; 2020: 100”; để trống nếu không có.")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[dict[str, Any]]:  # type: ignore[override]
        text = super().clean(value)
        return parse_milestones(text)


# --- upload -----------------------------------------------------------------------------------


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp kế hoạch (.docx hoặc .txt)"),
        required=False,
        help_text=gettext_lazy(
            "Tối đa 5 MB. Tệp .doc (Word cũ) hay .pdf: hãy lưu lại thành .docx."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt"}),
        error_messages={"empty": gettext_lazy("Tệp tải lên trống (0 byte): không có gì để đọc.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Hoặc dán nội dung văn bản"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_PASTE_CHARS,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        name = upload.name or ""
        if not name.lower().endswith(UPLOAD_EXTENSIONS):
            raise ValidationError(
                _("Tệp “%(name)s” không phải .docx hay .txt: chỉ nhận hai loại tệp này.")
                % {"name": name}
            )
        if upload.size == 0:
            raise ValidationError(_("Tệp “%(name)s” trống (0 byte).") % {"name": name})
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("Tệp “%(name)s” nặng %(size)s MB, vượt giới hạn %(limit)s MB.")
                % {"name": name, "size": _mb(upload.size), "limit": _mb(MAX_UPLOAD_BYTES)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = bool(data.get("file"))
        has_text = bool((data.get("text") or "").strip())
        if "file" in self.errors:
            return data
        if not has_file and not has_text:
            raise ValidationError(_("Hãy chọn một tệp hoặc dán nội dung văn bản."))
        if has_file and has_text:
            raise ValidationError(_("Hãy chọn tệp hoặc dán văn bản, không dùng cả hai cùng lúc."))
        return data


# --- the editable preview -----------------------------------------------------------------

_EMPTY = [("", "—")]


def _choices(model_choices: Any, *, blank: bool = True) -> list[tuple[str, str]]:
    return (_EMPTY if blank else []) + [(str(v), str(label)) for v, label in model_choices]


def _num(value: Any) -> Any:
    if value is None or value == "":
        return None
    return value


class PlanPreviewForm(forms.Form):
    """Every field the parser extracted, editable; one agency choice per unmatched name.

    Field names: header fields by name; targets `t<i>_<field>`; tasks `k<i>_<field>`; agency
    decisions `ag<j>` (j = index in `unmatched`). apply() returns the edited parsed dict.
    """

    title = forms.CharField(
        label=gettext_lazy("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2})
    )
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu"), required=False, max_length=60)
    issued_on = forms.DateField(
        label=gettext_lazy("Ngày ban hành"), required=False, widget=DATE_WIDGET
    )
    place = forms.CharField(label=gettext_lazy("Địa danh"), required=False, max_length=120)
    issuer = forms.CharField(label=gettext_lazy("Cơ quan ban hành"), required=False, max_length=255)
    period_start = forms.IntegerField(label=gettext_lazy("Từ năm"), min_value=1990, max_value=2100)
    period_end = forms.IntegerField(label=gettext_lazy("Đến năm"), min_value=1990, max_value=2100)
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"), required=False, max_length=120
    )
    signer_name = forms.CharField(label=gettext_lazy("Người ký"), required=False, max_length=120)

    HEADER = ("title", "number", "issued_on", "place", "issuer", "period_start", "period_end",
              "signer_title", "signer_name")  # fmt: skip
    TARGET_FIELDS = ("text", "comparator", "value", "value_max", "unit", "per", "population",
                     "milestones", "skip")  # fmt: skip
    TASK_FIELDS = ("title", "activities", "lead", "support", "advisor", "decider",
                   "timeframe_text", "timeframe_kind", "start", "end", "skip")  # fmt: skip

    def __init__(
        self,
        *args: Any,
        parsed: dict[str, Any],
        unmatched: list[str],
        agencies: list[Agency],
        candidates: dict[str, list[int]] | None = None,
        decisions: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.parsed = parsed
        self.unmatched = unmatched
        period = parsed.get("period") or {}
        signer = parsed.get("signer") or {}
        initial = {
            "title": parsed.get("title") or "",
            "number": parsed.get("number") or "",
            "issued_on": parsed.get("issued_on") or None,
            "place": parsed.get("place") or "",
            "issuer": parsed.get("issuer") or "",
            "period_start": period.get("start"),
            "period_end": period.get("end"),
            "signer_title": signer.get("title") or "",
            "signer_name": signer.get("name") or "",
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for i, target in enumerate(parsed.get("targets") or []):
            self._add_target(i, target)
        for i, task in enumerate(parsed.get("tasks") or []):
            self._add_task(i, task)
        by_id = {a.pk: a for a in agencies}
        for j, name in enumerate(unmatched):
            suggested = [by_id[i] for i in (candidates or {}).get(name, []) if i in by_id]
            others = [a for a in agencies if a not in suggested]
            choices: list[tuple[str, Any]] = [
                ("text", _("Giữ nguyên tên như trong văn bản, không gắn với cơ quan nào")),
                ("create", _("Tạo cơ quan mới “%(name)s” cho đơn vị") % {"name": name}),
            ]
            if suggested:
                choices.append(
                    (
                        _("Gợi ý"),
                        [(f"agency:{a.pk}", _("Là: %(n)s") % {"n": a.name}) for a in suggested],
                    )
                )
            if others:
                choices.append(
                    (
                        _("Các cơ quan khác của đơn vị"),
                        [(f"agency:{a.pk}", _("Là: %(n)s") % {"n": a.name}) for a in others],
                    )
                )
            self.fields[f"ag{j}"] = forms.ChoiceField(
                label=name, choices=choices, initial=(decisions or {}).get(name, "text")
            )

    def _add_target(self, i: int, target: dict[str, Any]) -> None:
        f = self.fields
        f[f"t{i}_text"] = forms.CharField(
            label=_("Nội dung"),
            widget=forms.Textarea(attrs={"rows": 2}),
            initial=target.get("text"),
        )
        f[f"t{i}_comparator"] = forms.ChoiceField(
            label=_("So sánh"), choices=_choices(Target.Comparator.choices),
            initial=target.get("comparator") or "",
        )  # fmt: skip
        f[f"t{i}_value"] = forms.DecimalField(
            label=_("Giá trị"), initial=target.get("value"), max_digits=14, decimal_places=2
        )
        f[f"t{i}_value_max"] = forms.DecimalField(
            label=_("Giá trị tối đa (khoảng)"), required=False, initial=target.get("value_max"),
            max_digits=14, decimal_places=2,
        )  # fmt: skip
        f[f"t{i}_unit"] = forms.ChoiceField(
            label=_("Đơn vị"),
            choices=_choices(Target.Unit.choices),
            initial=target.get("unit") or "",
        )
        f[f"t{i}_per"] = forms.ChoiceField(
            label=_("Chu kỳ"), choices=_choices(Target.Per.choices), required=False,
            initial=target.get("per") or "",
        )  # fmt: skip
        f[f"t{i}_population"] = forms.CharField(
            label=_("Đối tượng đếm"), required=False, max_length=255,
            initial=target.get("population") or "",
        )  # fmt: skip
        f[f"t{i}_milestones"] = MilestonesField(initial=format_milestones(target.get("milestones")))
        f[f"t{i}_skip"] = forms.BooleanField(label=_("Bỏ, không nhập chỉ tiêu này"), required=False)

    def _add_task(self, i: int, task: dict[str, Any]) -> None:
        f = self.fields
        timeframe = task.get("timeframe") or {}
        f[f"k{i}_title"] = forms.CharField(
            label=_("Nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 2}), initial=task.get("title")
        )
        f[f"k{i}_activities"] = forms.CharField(
            label=_("Nội dung hoạt động (mỗi dòng một hoạt động)"), required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            initial="\n".join(str(a) for a in task.get("activities") or []),
        )  # fmt: skip
        for role, label in TaskAssignment.Role.choices:
            f[f"k{i}_{role}"] = forms.CharField(
                label=str(label) + " " + _("(mỗi dòng một cơ quan)"), required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
                initial="\n".join(str(n) for n in task.get(role) or []),
            )  # fmt: skip
        f[f"k{i}_timeframe_text"] = forms.CharField(
            label=_("Thời gian thực hiện"), required=False, max_length=255,
            initial=timeframe.get("text") or "",
        )  # fmt: skip
        f[f"k{i}_timeframe_kind"] = forms.ChoiceField(
            label=_("Loại thời gian"), choices=_choices(Task.TimeframeKind.choices),
            required=False, initial=timeframe.get("kind") or "",
        )  # fmt: skip
        f[f"k{i}_start"] = forms.DateField(
            label=_("Bắt đầu"), required=False, widget=DATE_WIDGET, initial=timeframe.get("start")
        )
        f[f"k{i}_end"] = forms.DateField(
            label=_("Hạn hoàn thành"), required=False, widget=DATE_WIDGET,
            initial=timeframe.get("end"),
        )  # fmt: skip
        f[f"k{i}_skip"] = forms.BooleanField(label=_("Bỏ, không nhập nhiệm vụ này"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Năm kết thúc phải sau hoặc bằng năm bắt đầu."))
        for i, _target in enumerate(self.parsed.get("targets") or []):
            if data.get(f"t{i}_comparator") == "between" and data.get(f"t{i}_value_max") is None:
                self.add_error(f"t{i}_value_max", _("Khoảng giá trị cần cả giá trị tối đa."))
        return data

    # What the page shows: bound fields grouped per target / task / agency name.
    def target_fields(self, i: int) -> dict[str, Any]:
        return {name: self[f"t{i}_{name}"] for name in self.TARGET_FIELDS}

    def task_fields(self, i: int) -> dict[str, Any]:
        names = [*self.TASK_FIELDS, *TaskAssignment.Role.values]
        return {name: self[f"k{i}_{name}"] for name in names}

    def header_fields(self) -> list[Any]:
        return [self[name] for name in self.HEADER]

    def agency_fields(self) -> list[Any]:
        return [self[f"ag{j}"] for j in range(len(self.unmatched))]

    def decisions(self) -> dict[str, str]:
        """What was chosen for each unmatched name (kept when the preview is refreshed)."""
        return {
            name: self.cleaned_data.get(f"ag{j}") or "text" for j, name in enumerate(self.unmatched)
        }

    def apply(self) -> tuple[dict[str, Any], dict[str, int | None], list[str]]:
        """(edited parsed dict, agency choices by written name, names to create as agencies)."""
        data = self.cleaned_data
        parsed = dict(self.parsed)
        parsed["title"] = data["title"].strip()
        parsed["number"] = data["number"].strip() or None
        parsed["issued_on"] = data["issued_on"].isoformat() if data.get("issued_on") else None
        parsed["place"] = data["place"].strip() or None
        parsed["issuer"] = data["issuer"].strip() or None
        parsed["period"] = {"start": data["period_start"], "end": data["period_end"]}
        parsed["signer"] = {
            "title": data["signer_title"].strip() or None,
            "name": data["signer_name"].strip() or None,
        }
        targets = []
        for i, raw in enumerate(self.parsed.get("targets") or []):
            if data.get(f"t{i}_skip"):
                continue
            target = dict(raw)
            target["text"] = data[f"t{i}_text"].strip()
            target["comparator"] = data[f"t{i}_comparator"]
            target["value"] = _plain(data[f"t{i}_value"])
            target["value_max"] = _plain(data.get(f"t{i}_value_max"))
            target["unit"] = data[f"t{i}_unit"]
            target["per"] = data.get(f"t{i}_per") or None
            target["population"] = data.get(f"t{i}_population") or None
            target["milestones"] = data.get(f"t{i}_milestones") or []
            if _changed(raw, target, ("text", "comparator", "value", "value_max", "unit")):
                target["confidence"] = 1.0  # a person read and set it
            targets.append(target)
        tasks = []
        for i, raw in enumerate(self.parsed.get("tasks") or []):
            if data.get(f"k{i}_skip"):
                continue
            task = dict(raw)
            task["title"] = data[f"k{i}_title"].strip()
            task["activities"] = [
                line.strip() for line in data[f"k{i}_activities"].splitlines() if line.strip()
            ]
            for role in TaskAssignment.Role.values:
                task[role] = names_from_lines(data.get(f"k{i}_{role}") or "")
            old = raw.get("timeframe") or {}
            text = (data.get(f"k{i}_timeframe_text") or "").strip()
            start, end = data.get(f"k{i}_start"), data.get(f"k{i}_end")
            task["timeframe"] = (
                {
                    **old,
                    "text": text,
                    "kind": data.get(f"k{i}_timeframe_kind") or None,
                    "start": start.isoformat() if start else None,
                    "end": end.isoformat() if end else None,
                }
                if (text or start or end or data.get(f"k{i}_timeframe_kind"))
                else None
            )
            tasks.append(task)
        parsed["targets"] = targets
        parsed["tasks"] = tasks
        choices: dict[str, int | None] = {}
        create: list[str] = []
        for j, name in enumerate(self.unmatched):
            decision = data.get(f"ag{j}") or "text"
            if decision == "create":
                create.append(name)
            elif decision.startswith("agency:"):
                choices[name] = int(decision.split(":", 1)[1])
            else:
                choices[name] = None
        return parsed, choices, create


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _changed(old: dict[str, Any], new: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return any(old.get(k) != new.get(k) for k in keys)


# --- editing a saved plan -------------------------------------------------------------------


class PlanForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Trích yếu"), widget=forms.Textarea(attrs={"rows": 2})
    )
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu"), required=False, max_length=60)
    issued_on = forms.DateField(
        label=gettext_lazy("Ngày ban hành"), required=False, widget=DATE_WIDGET
    )
    place = forms.CharField(label=gettext_lazy("Địa danh"), required=False, max_length=120)
    issuer = forms.CharField(label=gettext_lazy("Cơ quan ban hành"), required=False, max_length=255)
    period_start = forms.IntegerField(label=gettext_lazy("Từ năm"), min_value=1990, max_value=2100)
    period_end = forms.IntegerField(label=gettext_lazy("Đến năm"), min_value=1990, max_value=2100)
    parent_reference = forms.CharField(
        label=gettext_lazy("Kế hoạch cấp trên (chưa có trong hệ thống)"), required=False,
        max_length=500,
    )  # fmt: skip
    signer_title = forms.CharField(
        label=gettext_lazy("Chức vụ người ký"), required=False, max_length=120
    )
    signer_name = forms.CharField(label=gettext_lazy("Người ký"), required=False, max_length=120)
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận (mỗi dòng một nơi)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    budget_text = forms.CharField(
        label=gettext_lazy("Kinh phí thực hiện"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    @classmethod
    def for_plan(cls, plan: Plan, data: Any = None) -> PlanForm:
        initial = {
            name: getattr(plan, name)
            for name in cls.base_fields
            if name != "recipients" and hasattr(plan, name)
        }
        initial["recipients"] = "\n".join(plan.recipients or [])
        return cls(data, initial=initial)

    def clean_recipients(self) -> list[str]:
        return names_from_lines(self.cleaned_data.get("recipients") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Năm kết thúc phải sau hoặc bằng năm bắt đầu."))
        return data


class TargetForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Nội dung chỉ tiêu"), widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=Target.Kind.choices)
    comparator = forms.ChoiceField(label=gettext_lazy("So sánh"), choices=Target.Comparator.choices)
    value = forms.DecimalField(label=gettext_lazy("Giá trị"), max_digits=14, decimal_places=2)
    value_max = forms.DecimalField(
        label=gettext_lazy("Giá trị tối đa (khi là khoảng)"), required=False, max_digits=14,
        decimal_places=2,
    )  # fmt: skip
    unit = forms.ChoiceField(label=gettext_lazy("Đơn vị"), choices=Target.Unit.choices)
    per = forms.ChoiceField(
        label=gettext_lazy("Chu kỳ"), choices=_choices(Target.Per.choices), required=False
    )
    population = forms.CharField(
        label=gettext_lazy("Đối tượng đếm"), required=False, max_length=255
    )
    baseline_year = forms.IntegerField(
        label=gettext_lazy("Năm gốc"), required=False, min_value=1990, max_value=2100
    )
    start_year = forms.IntegerField(
        label=gettext_lazy("Từ năm"), required=False, min_value=1990, max_value=2100
    )
    milestones = MilestonesField()

    @classmethod
    def for_target(cls, target: Target, data: Any = None) -> TargetForm:
        initial = {name: getattr(target, name) for name in cls.base_fields if name != "milestones"}
        initial["milestones"] = format_milestones(list(target.milestones.all()))
        return cls(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("comparator") == "between" and data.get("value_max") is None:
            self.add_error("value_max", _("Khoảng giá trị cần cả giá trị tối đa."))
        return data


class TaskForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Số mục"), required=False, max_length=40)
    title = forms.CharField(
        label=gettext_lazy("Nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 3})
    )
    activities = forms.CharField(
        label=gettext_lazy("Nội dung hoạt động (mỗi dòng một hoạt động)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    timeframe_text = forms.CharField(
        label=gettext_lazy("Thời gian thực hiện"), required=False, max_length=255
    )
    timeframe_kind = forms.ChoiceField(
        label=gettext_lazy("Loại thời gian"),
        choices=_choices(Task.TimeframeKind.choices),
        required=False,
    )
    start = forms.DateField(label=gettext_lazy("Bắt đầu"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("Hạn hoàn thành"), required=False, widget=DATE_WIDGET)

    @classmethod
    def for_task(cls, task: Task, data: Any = None) -> TaskForm:
        initial = {name: getattr(task, name) for name in cls.base_fields if name != "activities"}
        initial["activities"] = "\n".join(str(a) for a in task.activities or [])
        return cls(data, initial=initial)

    def clean_activities(self) -> list[str]:
        text = self.cleaned_data.get("activities") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Hạn hoàn thành phải sau ngày bắt đầu."))
        return data


class _ResponsibilityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        bodies = ", ".join(a.text for a in obj.agencies.all())
        text = Truncator(obj.text).chars(140)
        head = f"{obj.number}. {bodies}".strip(". ") if bodies else obj.number
        return f"{head} — {text}" if head else text


class TaskResponsibilitiesForm(forms.Form):
    responsibilities = _ResponsibilityChoices(
        label=gettext_lazy("Các mục “Tổ chức thực hiện” giao nhiệm vụ này"),
        queryset=Responsibility.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"responsibilities": list(task.responsibilities.all())})
        super().__init__(*args, **kwargs)
        field = self.fields["responsibilities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = task.plan.responsibilities.prefetch_related("agencies")


class AssignmentForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Vai trò"), choices=TaskAssignment.Role.choices)
    text = forms.CharField(
        label=gettext_lazy("Tên như trong văn bản"), required=False, max_length=500,
        help_text=gettext_lazy("Để trống thì dùng tên cơ quan đã chọn."),
    )  # fmt: skip
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan trong hệ thống"), queryset=Agency.objects.none(),
        required=False, empty_label=gettext_lazy("— không gắn (giữ dạng chữ) —"),
    )  # fmt: skip

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("agency"):
            raise ValidationError(_("Hãy ghi tên hoặc chọn một cơ quan."))
        if not (data.get("text") or "").strip() and data.get("agency"):
            data["text"] = data["agency"].name
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Ngày"), widget=DATE_WIDGET)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=Task.Status.choices)
    note = forms.CharField(
        label=gettext_lazy("Ghi chú (đã làm gì, kết quả)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    evidence = MultipleFileField(
        label=gettext_lazy("Minh chứng (biên bản, ảnh, báo cáo)"), required=False,
        help_text=gettext_lazy("PDF, ảnh JPG/PNG, DOCX, XLSX; tối đa 5 tệp, mỗi tệp 10 MB."),
    )  # fmt: skip


class CascadeForm(forms.Form):
    child_unit = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị cấp dưới"), queryset=OrgUnit.objects.none(),
        empty_label=gettext_lazy("— chọn đơn vị —"),
    )  # fmt: skip

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child_unit"].queryset = units  # type: ignore[attr-defined]


class DeriveYearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Năm"), coerce=int, choices=[])

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(plan.period_start, plan.period_end + 1)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Plan.Status.choices)
