"""`pcmd bench [--json]`: time the org-unit operations every page and import leans on.

Measures, on the current database, each against a naive baseline measured in the same run:
- orgunits_load() run again (idempotent: it must write nothing) — baseline: reading the source
  package alone, the part of the load no database can speed up;
- orgunit_scope_compute() — baseline: one breadth-first walk per unit, without memoisation;
- orgunit_find() for 100 names written the way plans write them (kind prefix, lower case,
  missing or wrong diacritics) — baseline: a Python scan of every unit's name per query;
- orgunit_descendants() of a province before and after the reform — baseline: walking the tree
  one orgunit_children() query per unit.
- outreach_events_import() of an XLSX of 100,000 awareness activities (read, checked, written
  in one transaction) — baseline: bulk_create of the same rows already built in memory; the
  reading alone (xlsx_read_rows) is reported too.
- inspections_import() of an XLSX of 100,000 inspections, one in three with a violation, of
  200 establishments of one commune — baseline: bulk_create of the same inspections and
  violations already built in memory; the reading alone is reported too.
- courses_import() of an XLSX of 100,000 training courses of one commune, each naming three
  people of a roster of 200 by their code (pcmd.training.bench) — baseline: bulk_create of the
  same courses and participant links already built in memory; the reading alone is reported too.
- report_docx() and report_xlsx() of a province's report over 100 communes (pcmd.reports.bench)
  — baselines: an empty DOCX of the same page set-up, the same XLSX values unformatted.
Everything runs inside a transaction that is rolled back: the bench changes nothing.
Figures are printed, never asserted (no test depends on timing).
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from pcmd.common.text import search_key
from pcmd.orgunits import selectors
from pcmd.orgunits.loading import _read_source, orgunits_load
from pcmd.orgunits.models import OrgUnit, OrgUnitLink, OrgUnitSuccession
from pcmd.orgunits.services import orgunit_scope_compute

BEFORE = date(2025, 1, 1)
AFTER = date(2026, 1, 1)

_WRONG_MARKS = str.maketrans({"ằ": "à", "ắ": "á", "ẳ": "ả", "ặ": "ạ", "ờ": "ồ", "ớ": "ố", "ợ": "ộ"})


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best wall time of `repeat` runs (seconds), and the last result."""
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def seed_style_names(count: int) -> list[str]:
    """`count` names as plans write them: “xã Hoàng Hợp”, “huyen thuong xuan”, “tỉnh An Giang”."""
    units = list(
        OrgUnit.objects.exclude(level__in=[OrgUnit.Level.NATIONAL, OrgUnit.Level.VILLAGE])
        .order_by("id")
        .values_list("name", "short_name")
    )
    if not units:
        return []
    step = max(1, len(units) // count)
    names = []
    for i, (name, short) in enumerate(units[::step][:count]):
        prefix = name[: len(name) - len(short)].strip().lower()
        if i % 3 == 0:
            names.append(f"{prefix} {short.translate(_WRONG_MARKS)}")  # wrong diacritics
        elif i % 3 == 1:
            names.append(_strip_marks(f"{prefix} {short}").lower())  # none at all
        else:
            names.append(f"{prefix} {short}".upper())
    return names


def _naive_find(names: list[str]) -> list[int]:
    """Baseline: for each name, compare its key with every unit's name (no index, no key column)."""
    rows = list(OrgUnit.objects.values_list("id", "name", "short_name"))
    found = []
    for text in names:
        key, _kinds = selectors.split_kind(text)
        full = search_key(text)
        found.append(
            sum(
                1
                for _id, name, short in rows
                if search_key(short) == key or search_key(name) == full
            )
        )
    return found


def _naive_scope() -> int:
    graph: dict[int, list[int]] = defaultdict(list)
    for child, parent in OrgUnitLink.objects.values_list("child_id", "parent_id"):
        graph[parent].append(child)
    for pred, succ in OrgUnitSuccession.objects.filter(is_default=True).values_list(
        "predecessor_id", "successor_id"
    ):
        graph[succ].append(pred)
    pairs = 0
    for start in OrgUnit.objects.values_list("id", flat=True):
        seen = {start}
        queue = deque([start])
        while queue:
            for nxt in graph.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        pairs += len(seen)
    return pairs


def _descendants_count(unit: OrgUnit, on: date) -> int:
    return selectors.orgunit_descendants(unit, on=on).count()


def _naive_descendants(unit: OrgUnit, on: date) -> int:
    count, stack = 0, [unit]
    while stack:
        for child in selectors.orgunit_children(stack.pop(), on=on):
            count += 1
            stack.append(child)
    return count


class Command(BaseCommand):
    help = "Đo thời gian các thao tác trên cây đơn vị hành chính (so với cách làm đơn giản)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        parser.add_argument("--repeat", type=int, default=3, help="Số lần đo (lấy lần nhanh nhất).")
        parser.add_argument("--names", type=int, default=100, help="Số tên cần tìm.")
        parser.add_argument(
            "--outreach-rows", type=int, default=100_000,
            help="Số dòng của tệp XLSX hoạt động tuyên truyền dùng để đo (0: bỏ qua).",
        )  # fmt: skip
        parser.add_argument(
            "--inspection-rows", type=int, default=100_000,
            help="Số dòng của tệp XLSX kết quả kiểm tra dùng để đo (0: bỏ qua).",
        )  # fmt: skip
        parser.add_argument(
            "--course-rows", type=int, default=100_000,
            help="Số dòng của tệp XLSX lớp tập huấn dùng để đo (0: bỏ qua).",
        )  # fmt: skip
        parser.add_argument(
            "--year", type=int, default=None,
            help="Năm dùng để đo các chỉ số (mặc định: năm nay; 0: bỏ qua).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if not OrgUnit.objects.filter(level=OrgUnit.Level.NATIONAL).exists():
            raise CommandError("Chưa có cây đơn vị hành chính: hãy chạy `pcmd load_orgunits`.")
        repeat = options["repeat"]
        results: list[dict[str, Any]] = []

        def record(
            name: str, seconds: float, baseline_name: str, baseline: float, **extra: Any
        ) -> None:
            results.append(
                {
                    "name": name,
                    "seconds": round(seconds, 4),
                    "baseline": baseline_name,
                    "baseline_seconds": round(baseline, 4),
                    "speedup": round(baseline / seconds, 1) if seconds else None,
                    **extra,
                }
            )

        year = date.today().year if options["year"] is None else options["year"]
        # The rebuild outside the rolled-back transaction, as the command runs it: inside
        # one it would stay on one connection, and its deleted rows would stay in the table.
        indicators = _bench_indicators(year) if year else {}
        with transaction.atomic():
            load_s, load = _timed(orgunits_load, 1)
            read_s, _src = _timed(_read_source, 1)
            written = load.created + load.updated + load.links_created + load.links_updated
            written += load.successions_created
            record(
                "orgunits_load (second run)",
                load_s,
                "read source package only",
                read_s,
                rows_written=written,
            )

            scope_s, pairs = _timed(orgunit_scope_compute, repeat)
            naive_scope_s, naive_pairs = _timed(_naive_scope, 1)
            record(
                "orgunit_scope_compute",
                scope_s,
                "BFS per unit, no memo",
                naive_scope_s,
                pairs=len(pairs),
                agree=len(pairs) == naive_pairs,
            )

            names = seed_style_names(options["names"])
            find_s, found = _timed(lambda: [len(selectors.orgunit_find(n)) for n in names], repeat)
            naive_find_s, naive_found = _timed(lambda: _naive_find(names), 1)
            record(
                f"orgunit_find × {len(names)}",
                find_s,
                "Python scan of every unit per name",
                naive_find_s,
                resolved=sum(1 for n in found if n),
                examples=names[:5],
                agree=sum(found) <= sum(naive_found),
            )

            province = selectors.orgunit_get_by_code("38", on=AFTER, level="province")
            for on in (BEFORE, AFTER):
                desc_s, desc = _timed(partial(_descendants_count, province, on), repeat)
                naive_desc_s, naive_desc = _timed(partial(_naive_descendants, province, on), 1)
                record(
                    f"orgunit_descendants({province.name}, {on:%d/%m/%Y})",
                    desc_s,
                    "one children query per unit",
                    naive_desc_s,
                    units=desc,
                    agree=desc == naive_desc,
                )
            if options["outreach_rows"] > 0:
                _bench_outreach_import(record, options["outreach_rows"])
            if options["inspection_rows"] > 0:
                _bench_inspection_import(record, options["inspection_rows"])
            if options["course_rows"] > 0:
                _bench_course_import(record, options["course_rows"])
            if year:
                indicators.update(_bench_freshness(year))
            rendering = _bench_render(record)
            if year:
                indicators.update(_bench_dashboard(year))
            transaction.set_rollback(True)

        report = {
            "database": connection.vendor,
            "units": OrgUnit.objects.count(),
            "results": results,
        }
        summary = {"database": connection.vendor, "year": year, **indicators, **rendering}
        summary["load_orgunits_s"] = results[0]["seconds"]
        imports = [r for r in results if r.get("rows_per_s")]
        if imports:
            summary["import_rows_per_s"] = min(r["rows_per_s"] for r in imports)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            # The last line: one JSON object with the headline figures.
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(f"Cơ sở dữ liệu: {report['database']}, {report['units']} đơn vị.")
        for r in results:
            extra = {
                k: v
                for k, v in r.items()
                if k not in ("name", "seconds", "baseline", "baseline_seconds", "speedup")
            }
            self.stdout.write(
                f"- {r['name']}: {r['seconds'] * 1000:.1f} ms; {r['baseline']}: "
                f"{r['baseline_seconds'] * 1000:.1f} ms (×{r['speedup']}) {extra}"
            )
        self.stdout.write(json.dumps(summary, ensure_ascii=False))


def _bench_indicators(year: int) -> dict[str, Any]:
    from pcmd.indicators.bench import bench_indicators

    return bench_indicators(year)


def _bench_freshness(year: int) -> dict[str, Any]:
    from pcmd.indicators.bench import bench_freshness

    return bench_freshness(year)


def _bench_render(record: Callable[..., None]) -> dict[str, Any]:
    from pcmd.reports.bench import bench_render

    figures = bench_render()
    for kind, baseline in (
        ("docx", "empty DOCX, same page set-up"),
        ("xlsx", "same values, unformatted"),
    ):
        record(
            f"report_{kind} ({figures['report_children']} communes)",
            figures[f"report_{kind}_ms"] / 1000,
            baseline,
            figures[f"report_{kind}_baseline_ms"] / 1000,
            bytes=figures[f"report_{kind}_bytes"],
        )
    return {
        "report_docx_ms": figures["report_docx_ms"],
        "report_xlsx_ms": figures["report_xlsx_ms"],
    }


def _bench_dashboard(year: int) -> dict[str, Any]:
    from pcmd.reports.dashboards.bench import bench_dashboard

    return bench_dashboard(year)


def _outreach_xlsx(rows: int, commune: OrgUnit, first_day: date) -> bytes:
    import io

    from openpyxl import Workbook

    from pcmd.orgunits.selectors import village_list
    from pcmd.outreach.services import OUTREACH_COLUMNS

    villages: list[str | None] = [v.name for v in village_list(commune)] or [None]
    span = max(1, (date.today() - first_day).days)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tuyên truyền")
    ws.append([c.label for c in OUTREACH_COLUMNS])
    for i in range(rows):
        day = date.fromordinal(first_day.toordinal() + i % span)
        ws.append(
            [
                day.strftime("%d/%m/%Y"), villages[i % len(villages)], "Họp dân, sinh hoạt thôn",
                f"Tuyên truyền phòng, chống mại dâm số {i}", None, "Thanh niên; Phụ nữ",
                i % 200, "Phòng, chống ma túy" if i % 3 == 0 else None, "",
            ]
        )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bench_outreach_import(record: Callable[..., None], rows: int) -> None:
    """Time the outreach XLSX import against a plain bulk_create of the same rows."""
    from pcmd.accounts.models import User
    from pcmd.outreach import services
    from pcmd.outreach.models import OutreachEvent
    from pcmd.records.xlsx import xlsx_read_rows

    today = date.today()
    commune = (
        OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to__isnull=True)
        .exclude(valid_from__gt=today)
        .order_by("id")
        .first()
    )
    nation = OrgUnit.objects.filter(level=OrgUnit.Level.NATIONAL).first()
    if commune is None or nation is None:
        return
    first_day = max(
        commune.valid_from or date(2025, 7, 1), date.fromordinal(today.toordinal() - 365)
    )
    user = User.objects.create(username="bench-outreach", role="admin", org_unit=nation)
    data = _outreach_xlsx(rows, commune, first_day)
    read_s, (parsed, errors) = _timed(
        lambda: xlsx_read_rows(data=data, columns=services.OUTREACH_COLUMNS), 1
    )
    import_s, result = _timed(
        lambda: services.outreach_events_import(data=data, commune=commune, acting_user=user), 1
    )
    built = [
        OutreachEvent(
            org_unit=commune, created_by=user, date=row["date"], form=row["form"],
            topic=row["topic"], audiences=row["audiences"], participants=row["participants"],
            combined_with=row["combined_with"], note=row["note"],
        )
        for row in parsed
    ]  # fmt: skip

    def bulk() -> int:
        with transaction.atomic():
            created = OutreachEvent.objects.bulk_create(built, batch_size=2000)
            transaction.set_rollback(True)
        return len(created)

    bulk_s, bulk_n = _timed(bulk, 1)
    record(
        f"outreach_events_import (XLSX, {rows} dòng)",
        import_s,
        "bulk_create of the same rows, built in memory",
        bulk_s,
        created=result.created,
        errors=len(result.errors) + len(errors),
        read_and_check_seconds=round(read_s, 2),
        xlsx_bytes=len(data),
        rows_per_s=round(rows / import_s) if import_s else None,
        agree=result.created == bulk_n == rows,
    )


def _bench_commune() -> tuple[OrgUnit, date] | None:
    """A commune in force today, and the first day of the year of records the bench writes."""
    today = date.today()
    commune = (
        OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to__isnull=True)
        .exclude(valid_from__gt=today)
        .order_by("id")
        .first()
    )
    if commune is None:
        return None
    first_day = max(
        commune.valid_from or date(2025, 7, 1), date.fromordinal(today.toordinal() - 365)
    )
    return commune, first_day


def _inspection_xlsx(rows: int, names: list[str], team: str, first_day: date) -> bytes:
    import io

    from openpyxl import Workbook

    from pcmd.enforcement.services import inspection_columns

    new_basis = date(2025, 12, 15)  # NĐ 282/2025 replaces NĐ 144/2021
    span = max(1, (date.today() - first_day).days)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kiểm tra")
    ws.append([c.label for c in inspection_columns()])
    for i in range(rows):
        day = date.fromordinal(first_day.toordinal() + i % span)
        basis = "282/2025/NĐ-CP" if day >= new_basis else "144/2021/NĐ-CP"
        violation = (
            [basis, "25", "1a", "Không đăng ký lưu trú", "Phạt tiền", 5_000_000]
            if i % 3 == 0
            else [None] * 6
        )
        ws.append(
            [day.strftime("%d/%m/%Y"), names[i % len(names)], team if i % 2 else None,
             "Đột xuất", f"BB-{i}", "Kiểm tra định kỳ", *violation]
        )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _bench_inspection_import(record: Callable[..., None], rows: int) -> None:
    """Time the inspections XLSX import against a plain bulk_create of the same records."""
    from pcmd.accounts.models import User
    from pcmd.enforcement import services
    from pcmd.enforcement.models import (
        BusinessType,
        Establishment,
        Inspection,
        InspectionTeam,
        LegalBasis,
        Violation,
    )
    from pcmd.records.xlsx import xlsx_read_rows

    found = _bench_commune()
    nation = OrgUnit.objects.filter(level=OrgUnit.Level.NATIONAL).first()
    business_type = BusinessType.objects.order_by("id").first()
    if found is None or nation is None or business_type is None:
        return
    commune, first_day = found
    user = User.objects.create(username="bench-inspections", role="admin", org_unit=nation)
    establishments = Establishment.objects.bulk_create(
        Establishment(org_unit=commune, name=f"Cơ sở thử {i:03d}", business_type=business_type)
        for i in range(200)
    )
    team = InspectionTeam.objects.create(
        org_unit=commune, name="Đội thử", kind=InspectionTeam.Kind.PCMD_178,
        decision_number="BENCH/QĐ", decision_date=first_day, decision_issuer="UBND xã",
        valid_from=first_day,
    )  # fmt: skip
    data = _inspection_xlsx(rows, [e.name for e in establishments], "BENCH/QĐ", first_day)
    columns = services.inspection_columns()
    read_s, (parsed, errors) = _timed(lambda: xlsx_read_rows(data=data, columns=columns), 1)
    import_s, result = _timed(
        lambda: services.inspections_import(data=data, unit=commune, acting_user=user), 1
    )
    by_name = {e.name: e for e in establishments}
    bases = {b.number: b for b in LegalBasis.objects.all()}

    def bulk() -> int:
        with transaction.atomic():
            built = [
                Inspection(
                    org_unit=commune, created_by=user, inspected_on=row["inspected_on"],
                    establishment=by_name[row["establishment"]],
                    team=team if row["team"] else None, mode=row["mode"],
                    minutes_number=row["minutes_number"], findings=row["findings"],
                )
                for row in parsed
            ]  # fmt: skip
            created = Inspection.objects.bulk_create(built, batch_size=2000)
            Violation.objects.bulk_create(
                (
                    Violation(
                        inspection=inspection, legal_basis=bases[row["legal_basis"]],
                        article=row["article"], clause=row["clause"],
                        description=row["description"], sanction=row["sanction"],
                        fine_amount=row["fine_amount"], created_by=user,
                    )
                    for inspection, row in zip(created, parsed, strict=True)
                    if row["legal_basis"]
                ),
                batch_size=2000,
            )  # fmt: skip
            transaction.set_rollback(True)
        return len(created)

    bulk_s, bulk_n = _timed(bulk, 1)
    record(
        f"inspections_import (XLSX, {rows} dòng, 1/3 có vi phạm)",
        import_s,
        "bulk_create of the same inspections and violations, built in memory",
        bulk_s,
        created=result.created,
        errors=len(result.errors) + len(errors),
        first_errors=[str(e) for e in result.errors[:3]],
        read_and_check_seconds=round(read_s, 2),
        xlsx_bytes=len(data),
        rows_per_s=round(rows / import_s) if import_s else None,
        agree=result.created == bulk_n == rows,
    )


def _bench_course_import(record: Callable[..., None], rows: int) -> None:
    """Time the training-course XLSX import (measured in pcmd.training.bench)."""
    from pcmd.accounts.models import User
    from pcmd.training.bench import bench_course_import

    found = _bench_commune()
    nation = OrgUnit.objects.filter(level=OrgUnit.Level.NATIONAL).first()
    if found is None or nation is None:
        return
    commune, first_day = found
    user = User.objects.create(username="bench-courses", role="admin", org_unit=nation)
    bench_course_import(record, rows, commune=commune, first_day=first_day, user=user)
