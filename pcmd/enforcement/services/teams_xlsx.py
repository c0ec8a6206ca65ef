"""XLSX import of inspection teams with their member agencies.

Owns: team_import_columns(), team_template_xlsx(), teams_import().
Invariants: one row is one team, filed under the unit the file is imported for. Its member
agencies are named (name or short name, separated by ";") among the agencies of that unit and of
the units above it; a name that matches none, or several (after keeping those in existence on
the team's first day), is an error for the row. The agency of the team head, when given, must be
one of the members; the others join as members. A decision number the unit already has, or one
repeated in the file, is refused. Every row is checked with the rules of team_create
(_check_team: decision date not in the future, the team starts on or after its decision and ends
after it starts, the unit in scope and in existence, member agencies in scope). Then all rows are
written in one transaction, or none, audited once as IMPORT.
Not here: the team export (inspections_xlsx.team_export_xlsx), reading the sheet
(pcmd.records.xlsx), the all-or-nothing loop (services.imports).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pcmd.common.text import search_key
from pcmd.enforcement.models import InspectionTeam, InspectionTeamMember
from pcmd.enforcement.services.common import Errors, Lookups, add
from pcmd.enforcement.services.imports import ImportResult, Progress, import_rows
from pcmd.enforcement.services.inspections import CAPABILITY, _check_team
from pcmd.orgunits.models import Agency, OrgUnit, OrgUnitScope
from pcmd.records.xlsx import Column, RowError, xlsx_template

_ENTRY_SPLIT = re.compile(r"\s*[;\n]\s*")


def team_import_columns() -> list[Column]:
    return [
        Column("name", "Tên đội", required=True, max_length=255),
        Column("kind", "Loại đội", kind="choice", required=True,
               choices=InspectionTeam.Kind.choices),
        Column("decision_number", "Số quyết định thành lập", required=True, max_length=60,
               help="Không trùng với quyết định của đội đã có ở đơn vị."),
        Column("decision_date", "Ngày quyết định", kind="date", required=True),
        Column("decision_issuer", "Cơ quan ban hành quyết định", required=True, max_length=200),
        Column("valid_from", "Hoạt động từ ngày", kind="date", required=True),
        Column("valid_to", "Đến ngày", kind="date",
               help="Để trống nếu quyết định không ghi thời hạn."),
        Column("members", "Cơ quan thành viên", required=True, max_length=4000,
               help="Tên các cơ quan của đơn vị hoặc của đơn vị cấp trên, cách nhau bởi dấu "
                    "“;”, ví dụ: Công an xã; Trạm y tế xã."),
        Column("head", "Cơ quan của đội trưởng", max_length=255,
               help="Cơ quan chủ trì, là một trong các cơ quan thành viên. Có thể để trống."),
    ]  # fmt: skip


def team_template_xlsx() -> bytes:
    return xlsx_template(
        columns=team_import_columns(),
        sheet_title="Đội kiểm tra",
        instructions=[
            _("Mẫu nhập đội kiểm tra liên ngành: mỗi dòng một đội, theo quyết định thành lập."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy. Ngày quyết định không ở tương lai; đội hoạt động từ "
              "ngày có quyết định trở đi; ngày kết thúc (nếu có) sau ngày bắt đầu hoạt động."),
            _("Cơ quan thành viên: tên (hoặc tên viết tắt) các cơ quan của đơn vị đã chọn khi "
              "nhập hoặc của đơn vị cấp trên, cách nhau bởi dấu “;”. Cơ quan của đội trưởng, "
              "nếu ghi, phải là một trong các cơ quan thành viên."),
            _("Số quyết định thành lập không được trùng với đội đã có của đơn vị, cũng không "
              "trùng giữa các dòng."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def _agency_index(unit: OrgUnit) -> dict[str, list[Agency]]:
    """The agencies of `unit` and of the units above it, by name and by short name."""
    above = OrgUnitScope.objects.filter(unit=unit).values("holder_id")
    index: dict[str, list[Agency]] = {}
    for agency in Agency.objects.filter(org_unit__in=above).select_related("org_unit"):
        for key in {search_key(agency.name), search_key(agency.short_name)} - {""}:
            index.setdefault(key, []).append(agency)
    return index


def _resolve(
    index: dict[str, list[Agency]], text: str, *, unit: OrgUnit, on: date | None
) -> tuple[Agency | None, str]:
    """The one agency `text` names, or the reason it names none."""
    found = index.get(search_key(text), [])
    if len(found) > 1 and on is not None:
        found = [a for a in found if a.is_valid_on(on)] or found
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, _("“%(v)s” không phải là cơ quan của %(u)s hoặc của đơn vị cấp trên.") % {
            "v": text,
            "u": unit.name,
        }
    units = ", ".join(sorted({a.org_unit.name for a in found}))
    return None, _(
        "Có %(n)d cơ quan cùng tên “%(v)s” (thuộc %(u)s): hãy ghi tên đầy đủ của cơ quan."
    ) % {"n": len(found), "v": text, "u": units}


def teams_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of the file against the teams' rules, then write all teams with their
    members in one transaction, or none. `unit` is the unit the teams are filed under."""
    columns = team_import_columns()
    labels = {c.key: c.label for c in columns}
    labels["org_unit"] = labels["valid_from"]
    lookups = Lookups(acting_user)
    agencies = _agency_index(unit)
    taken = {
        search_key(number)
        for number in InspectionTeam.objects.filter(org_unit=unit).values_list(
            "decision_number", flat=True
        )
    }
    first_row: dict[str, int] = {}  # decision number key -> the row that first gave it

    def build(row: dict[str, Any]) -> tuple[InspectionTeam, list[RowError]]:
        """The team of a row; every problem of the row is raised by `check`, with the rules."""
        errors: Errors = {}
        on = row["valid_from"]
        members: list[Agency] = []
        for entry in (e for e in _ENTRY_SPLIT.split(row["members"]) if e):
            agency, reason = _resolve(agencies, entry, unit=unit, on=on)
            if agency is None:
                add(errors, "members", reason)
            elif agency not in members:
                members.append(agency)
        head: Agency | None = None
        if row["head"]:
            head, reason = _resolve(agencies, row["head"], unit=unit, on=on)
            if head is None:
                add(errors, "head", reason)
            elif head not in members and "members" not in errors:
                add(errors, "head", _("“%(v)s” không có trong danh sách cơ quan thành viên.")
                    % {"v": row["head"]})  # fmt: skip
        key = search_key(row["decision_number"])
        if key in taken:
            add(errors, "decision_number",
                _("%(u)s đã có đội kiểm tra theo quyết định số “%(v)s”.")
                % {"u": unit.name, "v": row["decision_number"]})  # fmt: skip
        elif key in first_row:
            add(errors, "decision_number",
                _("Số quyết định trùng với dòng %(r)d.") % {"r": first_row[key]})  # fmt: skip
        else:
            first_row[key] = row["_row"]
        obj = InspectionTeam(
            org_unit=unit,
            name=row["name"],
            kind=row["kind"],
            decision_number=row["decision_number"],
            decision_date=row["decision_date"],
            decision_issuer=row["decision_issuer"],
            valid_from=row["valid_from"],
            valid_to=row["valid_to"],
            created_by=acting_user,
        )
        role = InspectionTeamMember.Role
        obj._import_members = [  # type: ignore[attr-defined]
            (a, role.HEAD if a == head else role.MEMBER) for a in members
        ]
        obj._import_errors = errors  # type: ignore[attr-defined]
        return obj, []

    def check(obj: InspectionTeam) -> None:
        errors: Errors = obj._import_errors  # type: ignore[attr-defined]
        try:
            _check_team(
                obj,
                user=acting_user,
                unit_changed=True,
                members=obj._import_members,  # type: ignore[attr-defined]
                lookups=lookups,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def write(batch: list[InspectionTeam]) -> None:
        InspectionTeam.objects.bulk_create(batch)
        InspectionTeamMember.objects.bulk_create(
            InspectionTeamMember(team=team, agency=agency, role=role)
            for team in batch
            for agency, role in team._import_members  # type: ignore[attr-defined]
        )

    return import_rows(
        model=InspectionTeam,
        capability=CAPABILITY,
        unit=unit,
        data=data,
        columns=columns,
        build=build,
        check=check,
        labels=labels,
        acting_user=acting_user,
        what="inspection_teams",
        filename=filename,
        progress=progress,
        write=write,
    )
