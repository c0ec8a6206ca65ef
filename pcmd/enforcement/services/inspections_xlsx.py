"""XLSX of inspections (with the violations found at them) and of inspection teams.

Owns: inspection_columns(), inspection_template_xlsx(), inspection_export_xlsx(),
inspections_import(), team_columns(), team_export_xlsx().
Invariants: one row is one inspection and may carry one violation; an inspection with several
violations takes one row per violation, repeating its date, establishment and minutes number
(rows that share these three are one inspection, so an export imports back as it was). The
establishment is named by its licence number or its name in the register of the unit the file
is filed under; the team by the number of the decision that set it up. Every row is checked
with the rules of inspection_create / violation_create (_check_inspection, _check_violation):
the legal basis must be in force on the inspection date. Then all rows are written in one
transaction, or none, audited once as IMPORT.
Not here: reading the sheet (pcmd.records.xlsx), the all-or-nothing loop (services.imports), the
team import (services.teams_xlsx).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from pcmd.accounts.permissions import scope_filter
from pcmd.common.text import search_key
from pcmd.enforcement.models import (
    Establishment,
    Inspection,
    InspectionTeam,
    LegalBasis,
    Violation,
)
from pcmd.enforcement.selectors import in_unit_q
from pcmd.enforcement.services.common import Lookups
from pcmd.enforcement.services.imports import (
    ImportResult,
    Progress,
    errors_of,
    import_rows,
)
from pcmd.enforcement.services.inspections import (
    CAPABILITY,
    _check_inspection,
    _check_violation,
)
from pcmd.indicators.store import records_bulk_written
from pcmd.orgunits.models import OrgUnit, OrgUnitScope
from pcmd.records.xlsx import Column, RowError, xlsx_export, xlsx_template

VIOLATION_KEYS = ("legal_basis", "article", "clause", "description", "sanction", "fine_amount")


def inspection_columns(*, basis_choices: bool = False) -> list[Column]:
    """The columns of the inspections file. The legal basis is read as text (its code or its
    number, e.g. "144/2021/NĐ-CP") and matched against the catalogue; the template offers the
    catalogue as a drop-down (`basis_choices`)."""
    basis_help = "Để trống nếu không có vi phạm. Số hiệu văn bản, ví dụ 144/2021/NĐ-CP."
    basis = (
        Column("legal_basis", "Căn cứ xử phạt", kind="choice",
               choices=[(b.code, b.number) for b in LegalBasis.objects.all()], help=basis_help)
        if basis_choices
        else Column("legal_basis", "Căn cứ xử phạt", max_length=100, help=basis_help)
    )  # fmt: skip
    return [
        Column("inspected_on", "Ngày kiểm tra", kind="date", required=True),
        Column("establishment", "Cơ sở được kiểm tra", required=True, max_length=255,
               help="Số giấy phép, đăng ký kinh doanh hoặc tên cơ sở trong sổ theo dõi."),
        Column("team", "Số quyết định thành lập đội", max_length=60,
               help="Để trống nếu công an kiểm tra độc lập."),
        Column("mode", "Hình thức kiểm tra", kind="choice", required=True,
               choices=Inspection.Mode.choices),
        Column("minutes_number", "Số biên bản", max_length=60,
               help="Nhiều vi phạm của một lượt kiểm tra: mỗi vi phạm một dòng, cùng ngày, "
                    "cùng cơ sở, cùng số biên bản."),
        Column("findings", "Kết quả kiểm tra", max_length=5000),
        basis,
        Column("article", "Điều", max_length=20),
        Column("clause", "Khoản, điểm", max_length=40),
        Column("description", "Hành vi vi phạm", max_length=500),
        Column("sanction", "Hình thức xử phạt", kind="choice",
               choices=Violation.Sanction.choices),
        Column("fine_amount", "Số tiền phạt (đồng)", kind="int", min_value=1,
               help="Chỉ ghi khi hình thức xử phạt là phạt tiền."),
    ]  # fmt: skip


def inspection_template_xlsx() -> bytes:
    return xlsx_template(
        columns=inspection_columns(basis_choices=True),
        sheet_title="Kiểm tra",
        instructions=[
            _("Mẫu nhập kết quả kiểm tra cơ sở kinh doanh dịch vụ: mỗi dòng một lượt kiểm tra, "
              "kèm tối đa một vi phạm."),
            _("Lượt kiểm tra có nhiều vi phạm: mỗi vi phạm một dòng, ghi lại cùng ngày kiểm tra, "
              "cùng cơ sở và cùng số biên bản."),
            _("Giữ nguyên dòng tiêu đề. Không gộp ô, không dùng công thức."),
            _("Ngày ghi dạng dd/mm/yyyy, không ở tương lai. Cơ sở phải có trong sổ theo dõi của "
              "đơn vị; đội kiểm tra phải đang hoạt động vào ngày kiểm tra."),
            _("Căn cứ xử phạt phải có hiệu lực vào ngày kiểm tra (NĐ 144/2021 đến 14/12/2025, "
              "NĐ 282/2025 từ 15/12/2025). Phạt tiền thì ghi số tiền; hình thức khác để trống."),
            _("Tệp được kiểm tra toàn bộ trước khi ghi: có lỗi ở dòng nào thì không dòng nào "
              "được ghi."),
        ],
    )  # fmt: skip


def inspection_export_xlsx(*, inspections: Iterable[Inspection]) -> bytes:
    """One row per violation (one row for an inspection without any), in the import's columns
    after the unit's name."""
    columns = [Column("unit", "Đơn vị"), *inspection_columns()]

    def rows() -> Iterable[dict[str, Any]]:
        for i in inspections:
            base = {
                "unit": i.org_unit.name,
                "inspected_on": i.inspected_on,
                "establishment": i.establishment.name,
                "team": i.team.decision_number if i.team else "",
                "mode": i.mode,
                "minutes_number": i.minutes_number,
                "findings": i.findings,
            }
            violations = list(i.violations.all())
            if not violations:
                yield base
            for v in violations:
                yield {
                    **base,
                    "legal_basis": v.legal_basis.number,
                    "article": v.article,
                    "clause": v.clause,
                    "description": v.description,
                    "sanction": v.sanction,
                    "fine_amount": v.fine_amount,
                }

    return xlsx_export(columns=columns, rows=rows())


def _index(pairs: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    index: dict[str, list[Any]] = {}
    for key, obj in pairs:
        if key and obj not in index.setdefault(key, []):
            index[key].append(obj)
    return index


def _establishment_index(unit: OrgUnit, user: Any) -> dict[str, list[Establishment]]:
    qs = Establishment.objects.filter(in_unit_q(unit)).select_related("org_unit")
    if user is not None:
        qs = scope_filter(qs, user)
    pairs: list[tuple[str, Establishment]] = []
    for e in qs:
        if e.licence_number:
            pairs.append((search_key(e.licence_number), e))
        pairs.append((search_key(e.name), e))
    return _index(pairs)


def _team_index(unit: OrgUnit, user: Any) -> dict[str, list[InspectionTeam]]:
    """Teams of the unit, of the units below it and of those above it (a district team)."""
    above = OrgUnitScope.objects.filter(unit=unit).values("holder_id")
    qs = InspectionTeam.objects.filter(in_unit_q(unit) | Q(org_unit__in=above))
    if user is not None:
        qs = scope_filter(qs, user)
    return _index((search_key(t.decision_number), t) for t in qs)


def _basis_index() -> dict[str, list[LegalBasis]]:
    pairs: list[tuple[str, LegalBasis]] = []
    for b in LegalBasis.objects.all():
        pairs += [(search_key(b.code), b), (search_key(b.number), b), (search_key(b.title), b)]
    return _index(pairs)


def _pick_team(candidates: list[InspectionTeam], on: date | None) -> InspectionTeam | None:
    """The one team with this decision number (in force on the date, if several share it)."""
    if len(candidates) > 1 and on is not None:
        valid = [t for t in candidates if t.is_valid_on(on)]
        candidates = valid or candidates
    return candidates[0] if len(candidates) == 1 else None


def inspections_import(
    *,
    unit: OrgUnit,
    data: bytes,
    acting_user: Any,
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row against the rules of inspections and violations, then write all rows in
    one transaction, or none. `unit` is the commune (or above) whose register the
    establishments are looked up in; each inspection takes its establishment's unit."""
    columns = inspection_columns()
    labels = {c.key: c.label for c in columns}
    labels["org_unit"] = labels["inspected_on"]
    lookups = Lookups(acting_user)
    establishments = _establishment_index(unit, acting_user)
    teams = _team_index(unit, acting_user)
    bases = _basis_index()
    # (establishment id, date, minutes number) -> (first row number, its inspection)
    seen: dict[tuple[int, date, str], tuple[int, Inspection]] = {}

    def problem(row: dict[str, Any], key: str, message: str) -> RowError:
        return RowError(row["_row"], labels[key], message)

    def violation_of(
        row: dict[str, Any], inspection: Inspection
    ) -> tuple[Violation | None, list[RowError]]:
        if not any(row[k] not in (None, "") for k in VIOLATION_KEYS):
            return None, []
        problems: list[RowError] = []
        basis: LegalBasis | None = None
        if not row["legal_basis"]:
            problems.append(problem(row, "legal_basis",
                                    _("có ghi vi phạm: hãy ghi căn cứ xử phạt.")))  # fmt: skip
        else:
            found = bases.get(search_key(row["legal_basis"]), [])
            if len(found) != 1:
                problems.append(
                    problem(
                        row,
                        "legal_basis",
                        _("“%(v)s” không có trong danh mục căn cứ xử phạt; dùng một trong: %(c)s.")
                        % {"v": row["legal_basis"],
                           "c": "; ".join(b.number for b in LegalBasis.objects.all())},
                    )
                )  # fmt: skip
            else:
                basis = found[0]
        if not row["article"]:
            problems.append(problem(row, "article", _("có ghi vi phạm: hãy ghi điều.")))
        if not row["sanction"]:
            problems.append(
                problem(row, "sanction", _("có ghi vi phạm: hãy ghi hình thức xử phạt."))
            )
        violation = Violation(
            inspection=inspection,
            legal_basis=basis,
            article=row["article"],
            clause=row["clause"],
            description=row["description"],
            sanction=row["sanction"] or "",
            fine_amount=row["fine_amount"],
            created_by=acting_user,
        )
        violation._import_row = row["_row"]  # type: ignore[attr-defined]
        return violation, problems

    def build(row: dict[str, Any]) -> tuple[Inspection | None, list[RowError]]:
        problems: list[RowError] = []
        found = establishments.get(search_key(row["establishment"]), [])
        est = found[0] if len(found) == 1 else None
        if not found:
            problems.append(
                problem(row, "establishment",
                        _("“%(v)s” không có trong sổ theo dõi cơ sở của %(u)s (ghi số giấy phép "
                          "hoặc tên cơ sở).") % {"v": row["establishment"], "u": unit.name})
            )  # fmt: skip
        elif est is None:
            problems.append(
                problem(row, "establishment",
                        _("Có %(n)d cơ sở cùng tên “%(v)s”: hãy ghi số giấy phép của cơ sở.")
                        % {"n": len(found), "v": row["establishment"]})
            )  # fmt: skip
        team: InspectionTeam | None = None
        if row["team"]:
            candidates = teams.get(search_key(row["team"]), [])
            team = _pick_team(candidates, row["inspected_on"])
            if team is None:
                problems.append(
                    problem(row, "team",
                            _("Không tìm thấy đội kiểm tra có quyết định số “%(v)s” của đơn vị.")
                            % {"v": row["team"]} if not candidates else
                            _("Có %(n)d đội cùng quyết định số “%(v)s”.")
                            % {"n": len(candidates), "v": row["team"]})
                )  # fmt: skip
        key = (
            (est.pk, row["inspected_on"], search_key(row["minutes_number"]))
            if est is not None and row["minutes_number"]
            else None
        )
        if key is not None and key in seen:
            first_row, inspection = seen[key]
            if (inspection.team_id, inspection.mode) != (team.pk if team else None, row["mode"]):
                problems.append(
                    problem(row, "minutes_number",
                            _("cùng biên bản với dòng %(r)d nhưng khác đội hoặc hình thức kiểm "
                              "tra.") % {"r": first_row})
                )  # fmt: skip
            violation, more = violation_of(row, inspection)
            problems += more
            if violation is None:
                problems.append(
                    problem(row, "minutes_number",
                            _("lặp lại lượt kiểm tra ở dòng %(r)d mà không ghi vi phạm nào.")
                            % {"r": first_row})
                )  # fmt: skip
            elif not problems:
                try:
                    _check_violation(violation, exclude=["inspection"], lookups=lookups)
                except ValidationError as exc:
                    problems += errors_of(exc, row=row["_row"], labels=labels)
                inspection._import_violations.append(violation)  # type: ignore[attr-defined]
            return None, problems
        inspection = Inspection(
            inspected_on=row["inspected_on"],
            establishment=est,
            team=team,
            mode=row["mode"],
            minutes_number=row["minutes_number"],
            findings=row["findings"],
            created_by=acting_user,
        )
        violation, more = violation_of(row, inspection)
        problems += more
        inspection._import_violations = [violation] if violation else []  # type: ignore[attr-defined]
        if key is not None:
            seen[key] = (row["_row"], inspection)
        return (inspection if est is not None else None), problems

    def check(obj: Inspection) -> None:
        errors: dict[str, list[str]] = {}
        try:
            _check_inspection(obj, user=acting_user, lookups=lookups)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        for violation in obj._import_violations:  # type: ignore[attr-defined]
            try:
                _check_violation(violation, exclude=["inspection"], lookups=lookups)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def write(batch: list[Inspection]) -> None:
        Inspection.objects.bulk_create(batch)
        violations = []
        for inspection in batch:
            for violation in inspection._import_violations:  # type: ignore[attr-defined]
                violation.inspection = inspection
                violations.append(violation)
        Violation.objects.bulk_create(violations)
        records_bulk_written(violations)

    return import_rows(
        model=Inspection,
        capability=CAPABILITY,
        unit=unit,
        data=data,
        columns=columns,
        build=build,
        check=check,
        labels=labels,
        acting_user=acting_user,
        what="inspections",
        filename=filename,
        progress=progress,
        write=write,
    )


# --- Teams --------------------------------------------------------------------------------


def team_columns() -> list[Column]:
    return [
        Column("unit", "Đơn vị"),
        Column("name", "Tên đội"),
        Column("kind", "Loại đội", kind="choice", choices=InspectionTeam.Kind.choices),
        Column("decision_number", "Số quyết định thành lập"),
        Column("decision_date", "Ngày quyết định", kind="date"),
        Column("decision_issuer", "Cơ quan ban hành quyết định"),
        Column("valid_from", "Hoạt động từ ngày", kind="date"),
        Column("valid_to", "Đến ngày", kind="date"),
        Column("members", "Cơ quan thành viên (vai trò)"),
        Column("inspections", "Số lượt kiểm tra", kind="int"),
    ]


def team_export_xlsx(*, teams: Iterable[InspectionTeam]) -> bytes:
    """The teams with their members; `teams` carry n_inspections (selectors.team_list_for_user
    with_counts=True) and prefetched memberships."""
    return xlsx_export(
        columns=team_columns(),
        rows=(
            {
                "unit": t.org_unit.name,
                "name": t.name,
                "kind": t.kind,
                "decision_number": t.decision_number,
                "decision_date": t.decision_date,
                "decision_issuer": t.decision_issuer,
                "valid_from": t.valid_from,
                "valid_to": t.valid_to,
                "members": "; ".join(
                    f"{m.agency.name} ({m.get_role_display()})" for m in t.memberships.all()
                ),
                "inspections": getattr(t, "n_inspections", None),
            }
            for t in teams
        ),
    )
