"""Synthetic benchmark data at commune, province or national scale: fast, realistic, repeatable.

Owns: synth_run(), synth_clear(), synth_universe(), synth_volumes(), synth_exists(), Volumes,
SynthResult, TableStat, SynthRefused, SCALES, SYNTH_USERNAME.
Entry point: `pcmd synth --scale commune|province|national --seed N` (management/commands/synth.py).
Invariants:
- deterministic: each table draws from its own random.Random(f"{seed}:{table}"), so one seed on
  one org-unit tree gives the same rows (ids follow the tables' current maximum; Fernet tokens
  differ from run to run, the plain text they seal does not);
- valid as the apps' services would write it: choices and constraints hold; every record lies on
  a unit valid on its date (old communes and their villages until 30/6/2025, new communes and
  their villages from 1/7/2025, districts only before); its agency and team are the unit's and
  in force that day; an inspection lies on its establishment's unit or, after the reform, that
  unit's default successor; a violation's legal basis was in force; a tip's status, outcome,
  links and steps (TipEvent) follow tips.services; pseudonymous codes (tip references, case-file
  codes) continue each unit's sequence and stay unique;
- sealed columns receive only ciphertext (pcmd.sealing.fields.seal_text) or "": the optional
  sealed notes of tip steps and outcomes stay empty;
- marked: records are created by the inactive user "synth", villages have source "synth" and a
  code starting with "S" (official codes are digits), agencies have AGENCY_NOTE; synth_clear()
  finds everything by these marks, and synth_run() refuses to run while they exist.
Speed: rows are plain tuples, written by COPY on PostgreSQL and by executemany in batches on
SQLite. A table that at least doubles is loaded without its plain secondary indexes (and, on
PostgreSQL, its foreign keys), rebuilt in the same transaction — which validates every row again.
No audit row per record: one AuditEvent (import) records the run; the stored indicator values
of the units written are marked stale, as after any bulk import.
Not here: the small hand-written demo (records.py); arguments and printing (the command).
Long for one module (the generator of every app's records): split it into a package by app if
it grows.
"""

from __future__ import annotations

import bisect
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from itertools import accumulate, chain, islice
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent, User
from pcmd.common.text import search_key
from pcmd.demo.records import _person
from pcmd.enforcement.models import (
    BusinessType,
    Case,
    Establishment,
    HotSpot,
    Inspection,
    InspectionTeam,
    InspectionTeamMember,
    LegalBasis,
    Offence,
    RiskLevel,
    Violation,
)
from pcmd.orgunits.models import (
    REFORM_DATE,
    Agency,
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
    OrgUnitSuccession,
)
from pcmd.orgunits.services import orgunit_scope_rebuild
from pcmd.outreach.models import OutreachEvent
from pcmd.plans.models import Plan
from pcmd.sealing.blind import blind_index
from pcmd.sealing.fields import seal_text
from pcmd.support.models import (
    Beneficiary,
    Consent,
    Need,
    NeedsAssessment,
    PilotModel,
    ServiceKind,
    ServiceProvision,
)
from pcmd.tips.models import Channel, LegalNature, Subject, Tip, TipEvent
from pcmd.tips.services import receipt_hash
from pcmd.training.models import StaffMember, TrainingCourse

SCALES = ("commune", "province", "national")
PROVINCE_CODE = "38"  # Tỉnh Thanh Hóa, the same unit before and after the 2025 reform
COMMUNE_CODE = "15880"  # Xã Hoằng Giang: itself, Hoằng Xuân, Hoằng Quỳ and Hoằng Hợp since 1/7/2025
START = date(2022, 1, 1)
LAST_OLD_DAY = REFORM_DATE - timedelta(days=1)

SYNTH_USERNAME = "synth"
SYNTH_SOURCE = "synth"
VILLAGE_CODE_PREFIX = "S"
AGENCY_NOTE = "Dữ liệu tổng hợp (pcmd synth)"

# National volumes; a province or a commune gets its share (its new communes / all of them).
NATIONAL = {
    "events": 10_000_000,
    "establishments": 200_000,
    "inspections": 1_000_000,
    "tips": 500_000,
    "hot_spots": 15_000,
    "cases": 10_000,
    "pilot_models": 10_000,
}
STAFF_PER_COMMUNE = 5
COURSES_PER_COMMUNE_YEAR = 0.5
VILLAGES_PER_BENEFICIARY = 10
VILLAGES_PER_NEW_COMMUNE = (16, 26)  # about 70,000 for the 3,321 new communes
PLAN_SHARE = 0.9  # of the (province, district or commune; year) pairs that issue a yearly plan

BULK_MIN_ROWS = 200_000  # a table growing by this much (and by its own size) loads index-free
_COPY_STATEMENT_ROWS = 500_000  # PostgreSQL checks foreign keys at the end of each statement
_SQLITE_BATCH = 20_000
_PROGRESS_STEP = 10_000


class SynthRefused(Exception):
    """synth cannot run (no org-unit tree, data already synthesised) or cannot clear."""


@dataclass(frozen=True)
class Volumes:
    """The rows a run writes of each kind (villages, agencies and teams follow the tree)."""

    events: int
    establishments: int
    inspections: int
    tips: int
    staff: int
    courses: int
    beneficiaries: int
    hot_spots: int
    cases: int
    pilot_models: int
    plans: int


VOLUME_NAMES = tuple(f.name for f in fields(Volumes))


@dataclass(frozen=True)
class TableStat:
    label: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass
class SynthResult:
    scale: str
    seed: int
    volumes: Volumes
    tables: list[TableStat] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def count(self, label: str) -> int:
        return sum(t.rows for t in self.tables if t.label == label)


class Reporter(Protocol):
    """Shows progress: table(label, total) is a context giving advance(n)."""

    def table(self, label: str, total: int) -> AbstractContextManager[Callable[[int], None]]: ...


class _Silent:
    def table(self, label: str, total: int) -> AbstractContextManager[Callable[[int], None]]:
        return nullcontext(lambda n: None)


# --- The org-unit tree in scope ---------------------------------------------------------------


@dataclass
class Unit:
    id: int
    level: str
    kind: str
    code: str
    name: str
    short_name: str
    valid_from: date | None
    valid_to: date | None
    latitude: float | None
    longitude: float | None

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    @property
    def lower_name(self) -> str:
        """“Xã Hoằng Hợp” -> “xã Hoằng Hợp”, as in “Công an xã Hoằng Hợp”."""
        return self.name[:1].lower() + self.name[1:]


@dataclass
class Village:
    id: int
    name: str
    new: int  # its commune from 1/7/2025
    old: int | None  # its commune until 30/6/2025 (None: a village only since the reform)


@dataclass
class Universe:
    """The units a run writes on, and how they stand before (era 0) and after (era 1) the
    reform. At commune scale there are no districts or provinces: records stay on the commune,
    its predecessors and their villages."""

    scale: str
    old_communes: list[Unit]
    new_communes: list[Unit]
    districts: list[Unit]
    old_provinces: list[Unit]
    new_provinces: list[Unit]
    successor: dict[int, int]  # old commune -> the new commune that carries its records
    preds: dict[int, list[int]]  # new commune -> old communes whose villages it takes over
    province: dict[tuple[int, int], int]  # (commune or district, era) -> province
    district: dict[int, int]  # old commune -> district
    share: float  # new communes in scope / all new communes
    villages: list[Village] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        return bool(self.old_provinces or self.new_provinces)

    def communes(self) -> list[Unit]:
        """Every commune in scope once (a commune kept by the reform is in both eras)."""
        seen = {u.id: u for u in self.old_communes}
        for unit in self.new_communes:
            seen.setdefault(unit.id, unit)
        return list(seen.values())

    def provinces(self) -> list[Unit]:
        seen = {u.id: u for u in self.old_provinces}
        for unit in self.new_provinces:
            seen.setdefault(unit.id, unit)
        return list(seen.values())

    def units(self) -> dict[int, Unit]:
        return {u.id: u for u in [*self.communes(), *self.districts, *self.provinces()]}


NO_TREE = (
    "Chưa có cây đơn vị hành chính (các xã trước và sau 01/7/2025 cùng quan hệ kế thừa): hãy "
    "chạy `pcmd load_orgunits` trước."
)


def _valid(vf: date | None, vt: date | None, on: date) -> bool:
    return (vf is None or vf <= on) and (vt is None or on <= vt)


def synth_universe(scale: str) -> Universe:
    """Read the tree and pick the units of `scale`; SynthRefused when it is not loaded."""
    if scale not in SCALES:
        raise SynthRefused(_("Quy mô không hợp lệ: %(s)s.") % {"s": scale})
    units = {
        row[0]: Unit(*row)
        for row in OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE).values_list(
            "id", "level", "kind", "code", "name", "short_name", "valid_from", "valid_to",
            "latitude", "longitude",
        )
    }  # fmt: skip
    parent_old: dict[int, int] = {}
    parent_new: dict[int, int] = {}
    for child, parent, vf, vt in OrgUnitLink.objects.filter(child_id__in=units).values_list(
        "child_id", "parent_id", "valid_from", "valid_to"
    ):
        if _valid(vf, vt, LAST_OLD_DAY):
            parent_old[child] = parent
        if _valid(vf, vt, REFORM_DATE):
            parent_new[child] = parent
    communes = [u for u in units.values() if u.level == OrgUnit.Level.COMMUNE]
    new_all = sorted((u for u in communes if u.valid_on(REFORM_DATE)), key=lambda u: u.code)
    ended = {u.id for u in communes if u.valid_on(LAST_OLD_DAY) and not u.valid_on(REFORM_DATE)}
    default: dict[int, int] = {}
    split_parts: dict[int, list[int]] = defaultdict(list)
    for pred, succ, is_default in OrgUnitSuccession.objects.filter(
        predecessor_id__in=ended
    ).values_list("predecessor_id", "successor_id", "is_default"):
        if is_default:
            default[pred] = succ
        else:
            split_parts[succ].append(pred)
    if not new_all or not ended or not default:
        raise SynthRefused(_(NO_TREE))

    if scale == "national":
        new = new_all
    elif scale == "province":
        new = [
            u
            for u in new_all
            if (p := units.get(parent_new.get(u.id, 0))) is not None and p.code == PROVINCE_CODE
        ]
    else:
        new = [u for u in new_all if u.code == COMMUNE_CODE]
    if not new:
        raise SynthRefused(_(NO_TREE))

    taken_over: dict[int, list[int]] = defaultdict(list)
    for pred, succ in default.items():
        taken_over[succ].append(pred)
    preds: dict[int, list[int]] = {}
    successor: dict[int, int] = {}
    for unit in new:
        mine = sorted(taken_over.get(unit.id, []), key=lambda i: units[i].code)
        if unit.valid_on(LAST_OLD_DAY):  # kept by the reform: its own villages first
            mine.insert(0, unit.id)
        if not mine:  # only parts of split communes came here: their villages follow the part
            mine = sorted(split_parts.get(unit.id, []), key=lambda i: units[i].code)
        preds[unit.id] = mine
        for old in mine:
            successor.setdefault(old, default.get(old, unit.id))
    old_communes = [units[i] for i in successor]
    wide = scale != "commune"
    district: dict[int, int] = {}
    province: dict[tuple[int, int], int] = {}
    for unit in old_communes:
        up = parent_old.get(unit.id)
        if up is not None and units[up].level == OrgUnit.Level.DISTRICT:
            district[unit.id] = up
            up = parent_old.get(up)
        if up is not None:
            province[(unit.id, 0)] = up
    for d in set(district.values()):
        if d in parent_old:
            province[(d, 0)] = parent_old[d]
    for unit in new:
        if unit.id in parent_new:
            province[(unit.id, 1)] = parent_new[unit.id]

    def sort(ids: Iterable[int]) -> list[Unit]:
        return sorted((units[i] for i in set(ids)), key=lambda u: u.code)

    return Universe(
        scale=scale,
        old_communes=old_communes,
        new_communes=list(new),
        districts=sort(district.values()) if wide else [],
        old_provinces=sort(p for (_u, era), p in province.items() if era == 0) if wide else [],
        new_provinces=sort(p for (_u, era), p in province.items() if era == 1) if wide else [],
        successor=successor,
        preds=preds,
        province=province,
        district=district,
        share=len(new) / len(new_all),
    )


def synth_volumes(
    universe: Universe,
    *,
    factor: float = 1.0,
    overrides: Mapping[str, int | None] | None = None,
    today: date | None = None,
) -> Volumes:
    """National volumes times the universe's share, per-unit ones (staff, courses, plans,
    beneficiaries) from its units; all times `factor`, then any explicit `overrides`."""
    today = today or timezone.localdate()
    communes = universe.communes()
    low, high = VILLAGES_PER_NEW_COMMUNE
    counts = {k: v * universe.share for k, v in NATIONAL.items()}
    counts["staff"] = STAFF_PER_COMMUNE * len(communes)
    counts["courses"] = (
        COURSES_PER_COMMUNE_YEAR * sum(_days_valid(u, today) for u in communes) / 365.25
    )
    counts["beneficiaries"] = (
        len(universe.new_communes) * (low + high) / 2 / VILLAGES_PER_BENEFICIARY
    )
    counts["plans"] = PLAN_SHARE * len(_plan_slots(universe, today))
    values = {k: max(0, round(v * factor)) for k, v in counts.items()}
    for name, value in (overrides or {}).items():
        if name not in VOLUME_NAMES:
            raise ValueError(f"unknown volume {name!r}")
        if value is not None:
            values[name] = max(0, int(value))
    return Volumes(**values)


def _days_valid(unit: Unit, today: date) -> int:
    first = max(START, unit.valid_from or START)
    last = min(today, unit.valid_to or today)
    return max(0, (last - first).days + 1)


# --- Days and moments -------------------------------------------------------------------------


class _Days:
    """Day indexes from START (0) to today (last); dates and the UTC timestamps the backend
    stores. A moment is minutes since START 00:00 local time."""

    _BEFORE = 7000  # days before START that still get a date (businesses opened since 2003)

    def __init__(self, today: date, *, postgres: bool) -> None:
        self.today = today
        self.n = (today - START).days + 1
        self.last = self.n - 1
        self.reform = (REFORM_DATE - START).days
        zone = ZoneInfo(settings.TIME_ZONE)
        span = self._BEFORE + self.n + 2
        first = START - timedelta(days=self._BEFORE)
        self._iso = [(first + timedelta(days=i)).isoformat() for i in range(span)]
        noon = datetime(first.year, first.month, first.day, 12)
        self._offset = [
            int(zone.utcoffset(noon + timedelta(days=i)).total_seconds()) // 60  # type: ignore[union-attr]
            for i in range(span)
        ]
        self._suffix = "+00" if postgres else ""
        self.stamp = [self.moment(day * 1440 + 9 * 60) for day in range(self.n)]  # 09:00

    def iso(self, day: int) -> str:
        return self._iso[day + self._BEFORE]

    def as_date(self, day: int) -> date:
        return START + timedelta(days=day)

    def index(self, on: date) -> int:
        return (on - START).days

    def era(self, day: int) -> int:
        return 0 if day < self.reform else 1

    def moment(self, minute: int) -> str:
        utc = minute - self._offset[minute // 1440 + self._BEFORE]
        day, rest = divmod(utc, 1440)
        return f"{self._iso[day + self._BEFORE]} {rest // 60:02d}:{rest % 60:02d}:00{self._suffix}"


def _per_day(total: int, days: int) -> list[int]:
    """`total` split over `days` days, exactly and evenly."""
    return [(i + 1) * total // days - i * total // days for i in range(days)]


def _json(values: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


# --- Writers ----------------------------------------------------------------------------------

Row = tuple[Any, ...]


def _column(model: type[models.Model], name: str) -> str:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field) and found.column, name
    return found.column


class _Writer:
    """Writes tuples (explicit ids first) into a model's table; times it; resets the sequence."""

    def __init__(self, reporter: Reporter) -> None:
        self.reporter = reporter
        self.stats: list[TableStat] = []
        self.written: set[str] = set()
        self.qn = connection.ops.quote_name

    def _scalar(self, sql: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
        return int(row[0] or 0) if row else 0

    def next_id(self, model: type[models.Model]) -> int:
        return self._scalar(f"SELECT MAX(id) FROM {self.qn(model._meta.db_table)}") + 1  # noqa: S608

    def write(
        self,
        label: str,
        model: type[models.Model],
        names: Sequence[str],
        rows: Iterable[Row],
        total: int,
    ) -> int:
        started = time.perf_counter()
        table = model._meta.db_table
        bulk = total >= BULK_MIN_ROWS and total >= self._scalar(
            f"SELECT COUNT(*) FROM {self.qn(table)}"  # noqa: S608
        )
        columns = [self.qn(_column(model, n)) for n in names]
        # A generator runs its queries (next ids, catalogues) before its first row: take that
        # row now, while the connection is free — during a COPY it can run no other query.
        it = iter(rows)
        first = next(it, None)
        rows = it if first is None else chain([first], it)
        with self.reporter.table(label, total) as advance:
            written = self._write(table, columns, iter(rows), advance, bulk=bulk)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)
        self.written.add(table)
        self.stats.append(TableStat(label, written, time.perf_counter() - started))
        return written

    def timed(self, label: str, rows: int, started: float) -> None:
        self.stats.append(TableStat(label, rows, time.perf_counter() - started))

    def _write(
        self,
        table: str,
        columns: list[str],
        rows: Iterator[Row],
        advance: Callable[[int], None],
        *,
        bulk: bool,
    ) -> int:
        raise NotImplementedError

    def analyze(self) -> None:
        """Fresh planner statistics for the tables written (PostgreSQL)."""


class _PostgresWriter(_Writer):
    def _write(
        self,
        table: str,
        columns: list[str],
        rows: Iterator[Row],
        advance: Callable[[int], None],
        *,
        bulk: bool,
    ) -> int:
        sql = f"COPY {self.qn(table)} ({', '.join(columns)}) FROM STDIN"
        written = 0
        with transaction.atomic():
            connection.ensure_connection()
            raw = connection.connection.cursor()  # type: ignore[union-attr]
            # Foreign keys checked per statement rather than all at commit: memory stays flat
            # and no trigger event is pending when the indexes are dropped and rebuilt.
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
            dropped = self._drop(raw, table) if bulk else None
            while True:
                n = 0
                with raw.copy(sql) as copy:
                    for row in islice(rows, _COPY_STATEMENT_ROWS):
                        copy.write_row(row)
                        n += 1
                        if n % _PROGRESS_STEP == 0:
                            advance(_PROGRESS_STEP)
                advance(n % _PROGRESS_STEP)
                written += n
                if n < _COPY_STATEMENT_ROWS:
                    break
            if dropped is not None:
                self._restore(raw, table, dropped)
            raw.execute("SET CONSTRAINTS ALL DEFERRED")
        return written

    def _drop(self, raw: Any, table: str) -> tuple[list[Any], list[Any]]:
        """Drop the plain secondary indexes and the foreign keys; return their definitions.
        Primary keys and unique indexes stay: they guard ids and pseudonymous codes."""
        raw.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT x.indisunique "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        )
        indexes = list(raw.fetchall())
        raw.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        keys = list(raw.fetchall())
        for name, _definition in indexes:
            raw.execute(f"DROP INDEX {self.qn(name)}")
        for name, _definition in keys:
            raw.execute(f"ALTER TABLE {self.qn(table)} DROP CONSTRAINT {self.qn(name)}")
        return indexes, keys

    def _restore(self, raw: Any, table: str, dropped: tuple[list[Any], list[Any]]) -> None:
        indexes, keys = dropped
        raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            raw.execute(definition)
        for name, definition in keys:  # checks every row of the table, old and new
            raw.execute(f"ALTER TABLE {self.qn(table)} ADD CONSTRAINT {self.qn(name)} {definition}")

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            for table in sorted(self.written):
                cursor.execute(f"ANALYZE {self.qn(table)}")


class _SqliteWriter(_Writer):
    def _write(
        self,
        table: str,
        columns: list[str],
        rows: Iterator[Row],
        advance: Callable[[int], None],
        *,
        bulk: bool,
    ) -> int:
        marks = ", ".join("?" for _c in columns)
        sql = f"INSERT INTO {self.qn(table)} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        connection.ensure_connection()
        raw: Any = connection.connection
        written = 0
        # Index-free loads are one transaction, so the schema is never left without them;
        # otherwise each batch is its own transaction.
        with transaction.atomic() if bulk else nullcontext():
            indexes = self._drop(raw, table) if bulk else []
            while chunk := list(islice(rows, _SQLITE_BATCH)):
                with transaction.atomic():
                    raw.executemany(sql, chunk)
                written += len(chunk)
                advance(len(chunk))
            for definition in indexes:
                raw.execute(definition)
        return written

    def _drop(self, raw: Any, table: str) -> list[str]:
        found = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            [table],
        ).fetchall()
        for name, _sql in found:
            raw.execute(f"DROP INDEX {self.qn(name)}")
        return [sql for _name, sql in found]


def _writer(reporter: Reporter) -> _Writer:
    if connection.vendor == "postgresql":
        return _PostgresWriter(reporter)
    if connection.vendor == "sqlite":
        return _SqliteWriter(reporter)
    raise SynthRefused(_("pcmd synth chỉ ghi được vào SQLite hoặc PostgreSQL."))


# --- What the generators share ----------------------------------------------------------------


@dataclass
class _Run:
    """One run: the universe, the days, the volumes, and the lookups built table by table."""

    u: Universe
    days: _Days
    seed: int
    user: int
    volumes: Volumes
    w: _Writer
    villages_by: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # (commune, era)
    village_names: dict[int, str] = field(default_factory=dict)
    agencies: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)  # (unit, era)
    agency_names: dict[int, str] = field(default_factory=dict)
    teams: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # -> (id, from)
    staff: dict[int, list[tuple[int, int, int, bool]]] = field(default_factory=dict)
    establishments: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    violations_at: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    cases_at: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def rng(self, section: str) -> random.Random:
        return random.Random(f"{self.seed}:{section}")  # noqa: S311 — benchmark data

    def communes(self, era: int) -> list[Unit]:
        return self.u.old_communes if era == 0 else self.u.new_communes

    def provinces(self, era: int) -> list[Unit]:
        return self.u.old_provinces if era == 0 else self.u.new_provinces

    ended: set[int] = field(default_factory=set)  # old communes that ended on 30/6/2025

    def __post_init__(self) -> None:
        self.ended = {u.id for u in self.u.old_communes if not u.valid_on(REFORM_DATE)}

    def carrier(self, unit: int, day: int) -> int:
        """The unit that carries `unit`'s records on `day`: after the reform, an old commune
        that ended hands them to its default successor."""
        if day >= self.days.reform and unit in self.ended:
            return self.u.successor[unit]
        return unit

    def agency(self, unit: int, era: int, role: str) -> int | None:
        return self.agencies.get((unit, era), {}).get(role)

    def record(self, unit: int, day: int) -> Row:
        """The RecordBase columns: org_unit_id, version, created_by_id, created_at, updated_at."""
        stamp = self.days.stamp[min(max(day, 0), self.days.last)]
        return (unit, 1, self.user, stamp, stamp)


RECORD = ("org_unit_id", "version", "created_by_id", "created_at", "updated_at")


class _Weighted:
    """A weighted choice built once: one rng.random() per pick, as random.choices draws."""

    def __init__(self, table: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _w in table]
        self.cum = list(accumulate(w for _v, w in table))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]


# --- Villages, agencies, teams ----------------------------------------------------------------

VILLAGE_COLUMNS = (
    "id", "level", "kind", "code", "name", "short_name", "key", "natural_key", "valid_from",
    "valid_to", "latitude", "longitude", "source", "created_at", "updated_at",
)  # fmt: skip


def _villages(run: _Run) -> Iterator[Row]:
    """About twenty villages per new commune, shared out among the old communes it took over
    (their villages before the reform), numbered past the names a commune already has (the
    demo's “Thôn 1” …); fills run.u.villages."""
    rng = run.rng("villages")
    taken: dict[int, set[str]] = defaultdict(set)  # commune -> search keys of its villages
    for parent, name in OrgUnitLink.objects.filter(
        child__level=OrgUnit.Level.VILLAGE,
        parent_id__in=[u.id for u in run.u.communes()],
    ).values_list("parent_id", "child__name"):
        taken[parent].add(search_key(name))
    next_id = run.w.next_id(OrgUnit)
    stamp = run.days.moment(0)
    low, high = VILLAGES_PER_NEW_COMMUNE
    for commune in run.u.new_communes:
        preds = run.u.preds.get(commune.id, [])
        n = max(rng.randint(low, high), 2 * len(preds))
        kind = (
            OrgUnit.Kind.RESIDENTIAL_GROUP
            if commune.kind == OrgUnit.Kind.WARD
            else OrgUnit.Kind.VILLAGE
        )
        label = str(OrgUnit.Kind(kind).label)
        used = taken[commune.id].union(*(taken[p] for p in preds))
        numbers = (k for k in range(1, 10 * n) if search_key(f"{label} {k}") not in used)
        for i, k in zip(range(n), numbers, strict=False):
            old = preds[i * len(preds) // n] if preds else None
            name = f"{label} {k}"
            run.u.villages.append(Village(next_id, name, commune.id, old))
            lat = commune.latitude + rng.uniform(-0.02, 0.02) if commune.latitude else None
            lon = commune.longitude + rng.uniform(-0.02, 0.02) if commune.longitude else None
            yield (
                next_id, OrgUnit.Level.VILLAGE, kind,
                f"{VILLAGE_CODE_PREFIX}{commune.code}-{k:02d}", name, str(k), search_key(str(k)),
                f"village:{SYNTH_SOURCE}:{commune.code}:{k}",
                None if old else REFORM_DATE.isoformat(), None, lat, lon, SYNTH_SOURCE, stamp,
                stamp,
            )  # fmt: skip
            next_id += 1


def _village_links(run: _Run) -> Iterator[Row]:
    """Under the old commune until 30/6/2025, under the new one from 1/7/2025."""
    next_id = run.w.next_id(OrgUnitLink)
    last_old, reform = LAST_OLD_DAY.isoformat(), REFORM_DATE.isoformat()
    for v in run.u.villages:
        if v.old == v.new:  # a commune kept by the reform: one link throughout
            links: list[Row] = [(v.id, v.new, None, None)]
        elif v.old is None:
            links = [(v.id, v.new, reform, None)]
        else:
            links = [(v.id, v.old, None, last_old), (v.id, v.new, reform, None)]
        for link in links:
            yield (next_id, *link)
            next_id += 1


def _index_villages(run: _Run) -> None:
    by: dict[tuple[int, int], list[int]] = defaultdict(list)
    for v in run.u.villages:
        by[(v.new, 1)].append(v.id)
        if v.old is not None:
            by[(v.old, 0)].append(v.id)
        run.village_names[v.id] = v.name
    run.villages_by = dict(by)


AGENCY_COLUMNS = (
    "id", "org_unit_id", "kind", "name", "short_name", "key", "valid_from", "valid_to",
    "is_requested", "note", "created_at", "updated_at",
)  # fmt: skip

K = Agency.Kind
# (role, kind, name before the unit's name); a commune's culture officer became an office in 2025.
_COMMUNE_AGENCIES = [
    ("committee", K.PEOPLE_COMMITTEE, "Ủy ban nhân dân"), ("police", K.POLICE, "Công an"),
    ("radio", K.RADIO, "Đài truyền thanh"), ("health", K.HEALTH_STATION, "Trạm y tế"),
    ("front", K.FATHERLAND_FRONT, "Ủy ban Mặt trận Tổ quốc Việt Nam"),
    ("women", K.WOMENS_UNION, "Hội Liên hiệp Phụ nữ"), ("youth", K.YOUTH_UNION, "Đoàn Thanh niên"),
]  # fmt: skip
_DISTRICT_AGENCIES = [
    ("committee", K.PEOPLE_COMMITTEE, "Ủy ban nhân dân"), ("police", K.POLICE, "Công an"),
    ("labour", K.LABOUR_SOCIAL_AFFAIRS, "Phòng Lao động - Thương binh và Xã hội"),
    ("culture", K.CULTURE_SPORTS_TOURISM, "Phòng Văn hóa và Thông tin"),
    ("radio", K.RADIO, "Trung tâm Văn hóa - Thông tin và Thể thao"),
]  # fmt: skip
_PROVINCE_AGENCIES = [
    ("committee", K.PEOPLE_COMMITTEE, "Ủy ban nhân dân"), ("police", K.POLICE, "Công an"),
    ("labour", K.LABOUR_SOCIAL_AFFAIRS, "Sở Lao động - Thương binh và Xã hội"),
    ("health", K.HEALTH_DEPARTMENT, "Sở Y tế"),
]  # fmt: skip
_REQUESTED = {"police", "front", "women", "youth"}  # addressed with “Đề nghị” by plans

AgencySpec = tuple[Unit, str, str, str, date | None, date | None]


def _agency_specs(run: _Run) -> list[AgencySpec]:
    """(unit, role, kind, name, valid_from, valid_to) of every agency of the units in scope."""

    def span(unit: Unit) -> tuple[date | None, date | None]:
        old, new = unit.valid_on(LAST_OLD_DAY), unit.valid_on(REFORM_DATE)
        if old and new:
            return None, None
        return (None, LAST_OLD_DAY) if old else (REFORM_DATE, None)

    specs: list[AgencySpec] = []
    for unit in run.u.communes():
        vf, vt = span(unit)
        for role, kind, prefix in _COMMUNE_AGENCIES:
            specs.append((unit, role, kind, f"{prefix} {unit.lower_name}", vf, vt))
        if unit.valid_on(LAST_OLD_DAY):
            name = f"Công chức Văn hóa - Xã hội {unit.lower_name}"
            specs.append((unit, "culture", K.CULTURE_SOCIAL_OFFICER, name, None, LAST_OLD_DAY))
        if unit.valid_on(REFORM_DATE):
            name = f"Phòng Văn hóa - Xã hội {unit.lower_name}"
            specs.append((unit, "culture", K.CULTURE_SOCIAL_OFFICE, name, REFORM_DATE, None))
    for unit in run.u.districts:
        for role, kind, prefix in _DISTRICT_AGENCIES:
            specs.append((unit, role, kind, f"{prefix} {unit.lower_name}", None, LAST_OLD_DAY))
    for unit in run.u.provinces():
        vf, vt = span(unit)
        for role, kind, prefix in _PROVINCE_AGENCIES:
            specs.append((unit, role, kind, f"{prefix} {unit.lower_name}", vf, vt))
        specs.append((unit, "press", K.PRESS, f"Báo {unit.short_name}", vf, vt))
        specs.append((unit, "radio", K.RADIO, f"Đài Phát thanh và Truyền hình {unit.short_name}",
                      vf, vt))  # fmt: skip
    return specs


def _agencies(run: _Run) -> Iterator[Row]:
    """The agencies of every unit in scope; one already there under the same name and dates
    (the demo's) is used, not duplicated. Fills run.agencies: (unit, era) -> role -> id."""
    specs = _agency_specs(run)
    existing = {
        (unit, key, vf): pk
        for pk, unit, key, vf in Agency.objects.filter(
            org_unit_id__in={s[0].id for s in specs}
        ).values_list("id", "org_unit_id", "key", "valid_from")
    }
    next_id = run.w.next_id(Agency)
    stamp = run.days.moment(0)
    for unit, role, kind, name, vf, vt in specs:
        key = search_key(name)
        pk = existing.get((unit.id, key, vf))
        if pk is None:
            pk = next_id
            next_id += 1
            yield (
                pk, unit.id, kind, name, "", key, vf and vf.isoformat(), vt and vt.isoformat(),
                role in _REQUESTED, AGENCY_NOTE, stamp, stamp,
            )  # fmt: skip
        run.agency_names[pk] = name
        for era, on in ((0, LAST_OLD_DAY), (1, REFORM_DATE)):
            if _valid(vf, vt, on) and unit.valid_on(on):
                run.agencies.setdefault((unit.id, era), {})[role] = pk


TEAM_COLUMNS = (
    "id", *RECORD, "name", "kind", "decision_number", "decision_date", "decision_issuer",
    "valid_from", "valid_to",
)  # fmt: skip
_TEAM_ROLES = [
    ("committee", InspectionTeamMember.Role.HEAD), ("culture", InspectionTeamMember.Role.DEPUTY),
    ("police", InspectionTeamMember.Role.MEMBER), ("health", InspectionTeamMember.Role.MEMBER),
    ("labour", InspectionTeamMember.Role.MEMBER),
]  # fmt: skip


def _teams(run: _Run, members: list[Row]) -> Iterator[Row]:
    """A culture-social team per commune and era, a Đội 178 per province and era, set up by a
    decision in December 2021 or in the weeks after 1/7/2025; their member agencies."""
    rng = run.rng("teams")
    days = run.days
    slots = [(u, 0, InspectionTeam.Kind.CULTURE_SOCIAL) for u in run.u.old_communes]
    slots += [(u, 1, InspectionTeam.Kind.CULTURE_SOCIAL) for u in run.u.new_communes]
    slots += [(u, 0, InspectionTeam.Kind.PCMD_178) for u in run.u.old_provinces]
    slots += [(u, 1, InspectionTeam.Kind.PCMD_178) for u in run.u.new_provinces]
    next_id = run.w.next_id(InspectionTeam)
    for unit, era, kind in slots:
        if era == 0:
            decided, valid_to = date(2021, 12, rng.randint(1, 28)), LAST_OLD_DAY.isoformat()
        else:
            decided, valid_to = REFORM_DATE + timedelta(days=rng.randint(2, 45)), None
        if decided > days.today:
            continue
        if kind == InspectionTeam.Kind.PCMD_178:
            name = f"Đội kiểm tra liên ngành phòng, chống mại dâm (Đội 178) {unit.lower_name}"
        else:
            name = f"Đoàn kiểm tra liên ngành văn hóa - xã hội {unit.lower_name}"
        committee = run.agency(unit.id, era, "committee")
        issuer = run.agency_names.get(committee or 0, f"Ủy ban nhân dân {unit.lower_name}")
        day = days.index(decided)
        yield (
            next_id, *run.record(unit.id, day), name, kind, f"{rng.randint(1, 120)}/QĐ-UBND",
            decided.isoformat(), issuer, decided.isoformat(), valid_to,
        )  # fmt: skip
        run.teams[(unit.id, era)] = (next_id, day)
        seen: set[int] = set()
        for role, member_role in _TEAM_ROLES:
            agency = run.agency(unit.id, era, role)
            if agency is not None and agency not in seen:
                seen.add(agency)
                members.append((next_id, agency, member_role))
        next_id += 1


# --- Plans ------------------------------------------------------------------------------------

PLAN_COLUMNS = (
    "id", "org_unit_id", "kind", "status", "number", "issued_on", "place", "issuer", "title",
    "decision_title", "period_start", "period_end", "parent_id", "parent_reference",
    "derived_from_id", "signer_name", "signer_title", "recipients", "budget_text", "source_name",
    "source_text", "warnings", "created_by_id", "created_at", "updated_at",
)  # fmt: skip


def _plan_slots(universe: Universe, today: date) -> list[tuple[Unit, int, date, date]]:
    """(unit, year, first and last day it may issue the year's plan): January to March while
    the unit exists; a unit new on 1/7/2025 issues its 2025 plan in July to September."""
    slots = []
    for unit in [*universe.provinces(), *universe.districts, *universe.communes()]:
        for year in range(START.year, today.year + 1):
            first, last = date(year, 1, 2), date(year, 3, 31)
            if not (unit.valid_on(first) and unit.valid_on(last)):
                if year != REFORM_DATE.year or not unit.valid_on(REFORM_DATE):
                    continue
                first, last = REFORM_DATE + timedelta(days=5), date(year, 9, 30)
            if first <= today:
                slots.append((unit, year, first, min(last, today)))
    return slots


def _plans(run: _Run) -> Iterator[Row]:
    rng = run.rng("plans")
    slots = _plan_slots(run.u, run.days.today)
    chosen = []
    for unit, year, first, last in rng.sample(slots, min(run.volumes.plans, len(slots))):
        chosen.append((first + timedelta(days=rng.randint(0, (last - first).days)), unit, year))
    chosen.sort(key=lambda c: (c[0], c[1].code, c[2]))
    next_id = run.w.next_id(Plan)
    for issued, unit, year in chosen:
        committee = run.agency(unit.id, 0 if issued < REFORM_DATE else 1, "committee")
        stamp = run.days.stamp[run.days.index(issued)]
        yield (
            next_id, unit.id, Plan.Kind.PLAN, Plan.Status.ISSUED, f"{rng.randint(1, 250)}/KH-UBND",
            issued.isoformat(), unit.short_name, run.agency_names.get(committee or 0, ""),
            f"Kế hoạch phòng, chống mại dâm năm {year}", "", year, year, None, "", None,
            _person(rng), rng.choice(["Chủ tịch", "Phó Chủ tịch"]), "[]", "", "", "",
            '["Kế hoạch tổng hợp (pcmd synth): chỉ đăng ký số hiệu, chưa có nội dung."]',
            run.user, stamp, stamp,
        )  # fmt: skip
        next_id += 1


# --- Staff and training -----------------------------------------------------------------------

STAFF_COLUMNS = (
    "id", *RECORD, "full_name", "agency_id", "position", "roles", "pcmd_relevant", "active_from",
    "active_to",
)  # fmt: skip
_POSTS = {
    "committee": ("Phó Chủ tịch Ủy ban nhân dân", ["speaker"]),
    "police": ("Cán bộ Công an", []),
    "culture": ("Công chức Văn hóa - Xã hội", ["officer", "speaker"]),
    "radio": ("Phụ trách Đài truyền thanh", ["communicator"]),
    "health": ("Y sĩ Trạm y tế", ["collaborator"]),
    "front": ("Cán bộ Mặt trận Tổ quốc", ["speaker"]),
    "women": ("Chủ tịch Hội Liên hiệp Phụ nữ", ["communicator"]),
    "youth": ("Bí thư Đoàn Thanh niên", ["communicator", "volunteer"]),
}


def _even(rng: random.Random, items: Sequence[Any], total: int) -> list[Any]:
    """`total` picks spread evenly over `items` (each q times, r of them once more)."""
    if not items or total <= 0:
        return []
    q, r = divmod(total, len(items))
    return [x for x in items for _n in range(q)] + rng.sample(list(items), r)


def _staff(run: _Run) -> Iterator[Row]:
    """About five people per commune; those of a commune that ended leave on 30/6/2025, those
    of a new commune start after 1/7/2025; a tenth leave early. Fills run.staff."""
    rng = run.rng("staff")
    days = run.days
    communes = sorted(run.u.communes(), key=lambda u: u.code)
    picks = sorted(_even(rng, communes, run.volumes.staff), key=lambda u: u.code)
    next_id = run.w.next_id(StaffMember)
    for unit in picks:
        if unit.valid_on(LAST_OLD_DAY):
            begin = date(rng.randint(2008, 2021), rng.randint(1, 12), 1)
        else:
            begin = REFORM_DATE + timedelta(days=rng.randint(0, days.last - days.reform))
        end: date | None = None if unit.valid_on(REFORM_DATE) else LAST_OLD_DAY
        if rng.random() < 0.1 and min(end or days.today, days.today) > begin:
            end = begin + timedelta(
                days=rng.randint(0, (min(end or days.today, days.today) - begin).days)
            )
        role = rng.choice(list(_POSTS))
        post, roles = _POSTS[role]
        relevant = rng.random() < 0.75
        first = days.index(begin)
        run.staff.setdefault(unit.id, []).append(
            (next_id, first, days.index(end) if end else days.last, relevant)
        )
        yield (
            next_id, *run.record(unit.id, first), _person(rng),
            run.agency(unit.id, 0 if begin < REFORM_DATE else 1, role), post, _json(roles),
            relevant, begin.isoformat(), end and end.isoformat(),
        )  # fmt: skip
        next_id += 1


COURSE_COLUMNS = (
    "id", *RECORD, "title", "start_date", "end_date", "organiser_id", "topics",
    "outside_participants", "task_id", "note",
)  # fmt: skip
_COURSE_TITLES = [
    "Tập huấn nghiệp vụ phòng, chống mại dâm năm {y}",
    "Bồi dưỡng kỹ năng truyền thông phòng, chống mại dâm năm {y}",
    "Tập huấn giảm hại, phòng, chống bạo lực trên cơ sở giới năm {y}",
    "Tập huấn kỹ năng kiểm tra cơ sở kinh doanh dịch vụ dễ bị lợi dụng năm {y}",
]


def _courses(run: _Run, participants: list[Row]) -> Iterator[Row]:
    """Courses of communes (most) and of districts and provinces; participants from the roster
    of the course unit's area, active on its first day, most of them PCMD-relevant."""
    rng = run.rng("courses")
    days = run.days
    topics = list(TrainingCourse.Topic.values)
    under: dict[tuple[int, int], list[int]] = defaultdict(list)  # (district/province, era)
    for (unit, era), province in run.u.province.items():
        if unit in run.staff:
            under[(province, era)].append(unit)
            if era == 0 and unit in run.u.district:
                under[(run.u.district[unit], 0)].append(unit)
    specs = []
    for _n in range(run.volumes.courses):
        day = rng.randrange(days.n)
        era = days.era(day)
        pool: list[Unit] = run.communes(era)
        wide = run.u.wide and rng.random() < 0.15
        if wide:
            pool = run.u.districts if era == 0 and rng.random() < 0.6 else run.provinces(era)
        specs.append((day, rng.choice(pool).id, wide))
    specs.sort()
    next_id = run.w.next_id(TrainingCourse)
    for day, unit, wide in specs:
        era = days.era(day)
        if wide:
            area = under.get((unit, era), [])
            area, want = rng.sample(area, min(8, len(area))), rng.randint(8, 25)
        else:
            area, want = [unit], rng.randint(2, 6)
        people = [
            s[0]
            for u in area
            for s in run.staff.get(u, [])
            if s[1] <= day <= s[2] and (s[3] or rng.random() < 0.2)
        ]
        for person in rng.sample(people, min(want, len(people))):
            participants.append((next_id, person))
        organiser = run.agency(unit, era, "culture") or run.agency(unit, era, "committee")
        yield (
            next_id, *run.record(unit, day),
            rng.choice(_COURSE_TITLES).format(y=days.as_date(day).year), days.iso(day),
            days.iso(min(day + rng.choice([0, 0, 1, 1, 2]), days.last)), organiser,
            _json(rng.sample(topics, rng.randint(1, 3))), rng.randint(0, 40), None, "",
        )  # fmt: skip
        next_id += 1


# --- Establishments, inspections, violations, hot spots, cases --------------------------------

ESTABLISHMENT_COLUMNS = (
    "id", *RECORD, "name", "business_type_id", "address", "village_id", "owner_name",
    "licence_number", "security_certificate_number", "employees", "risk_level", "opened_on",
    "closed_on", "note",
)  # fmt: skip
_TYPE_WEIGHTS = {
    "KARAOKE": 18, "LUU_TRU_NN": 18, "MASSAGE": 12, "TOC_GOI": 10, "CAFE_DM": 10,
    "LUU_TRU_KS": 8, "LUU_TRU_NT": 8, "NHA_HANG": 5, "BAR": 3, "VU_TRUONG": 2, "TAM_KHOANG": 2,
    "DU_LICH": 2, "SU_KIEN": 1, "KHAC": 1,
}  # fmt: skip
_TYPE_PREFIX = {
    "LUU_TRU_KS": "Khách sạn", "LUU_TRU_NN": "Nhà nghỉ", "LUU_TRU_NT": "Nhà trọ",
    "VU_TRUONG": "Vũ trường", "BAR": "Bar", "KARAOKE": "Karaoke", "MASSAGE": "Massage",
    "TOC_GOI": "Salon tóc", "CAFE_DM": "Cà phê", "TAM_KHOANG": "Xông hơi",
    "NHA_HANG": "Nhà hàng", "SU_KIEN": "Công ty sự kiện", "DU_LICH": "Homestay", "KHAC": "Cơ sở",
}  # fmt: skip
_BRANDS = [
    "Hồng Phát", "Minh Anh", "Biển Xanh", "Thanh Bình", "Ánh Dương", "Hoàng Gia", "Sao Mai",
    "Thiên Phúc", "Ngọc Hân", "Thu Trang", "Góc Phố", "Hải Âu", "Phú Quý", "Bình Minh",
    "Hòa Bình", "Tân Tiến", "Kim Ngân", "Phương Nam", "Đông Á", "Hương Sen", "Bảo Châu",
    "Lan Anh", "Mộc Trà", "Sông Hồng", "Trường An", "Gia Huy", "Thành Đạt", "An Khang",
]  # fmt: skip


def _establishments(run: _Run) -> Iterator[Row]:
    """Businesses of the catalogue's types, most opened before 2022 (the oldest in 2005), a
    fifth closed since; one opened before the reform is in an old commune's register, one
    opened after it in a new commune's. Fills run.establishments."""
    rng = run.rng("establishments")
    days = run.days
    types = list(
        BusinessType.objects.filter(is_active=True)
        .order_by("order", "code")
        .values_list("id", "code", "name", "default_risk", "security_conditional")
    )
    if not types:
        return
    weights = [_TYPE_WEIGHTS.get(t[1], 2) for t in types]
    oldest = days.index(date(2005, 1, 1))
    specs = []
    for _n in range(run.volumes.establishments):
        opened = rng.randint(oldest, -1) if rng.random() < 0.7 else rng.randint(0, days.last)
        closed = None
        if rng.random() < 0.2 and max(opened, 0) + 30 <= days.last:
            closed = rng.randint(max(opened, 0) + 30, days.last)
        unit = rng.choice(run.communes(days.era(max(opened, 0))))
        specs.append((opened, unit.code, unit, closed))
    specs.sort(key=lambda s: (s[0], s[1]))
    next_id = run.w.next_id(Establishment)
    for opened, _code, unit, closed in specs:
        type_id, code, type_name, default_risk, conditional = rng.choices(types, weights)[0]
        era = days.era(max(opened, 0))
        villages = run.villages_by.get((unit.id, era), [])
        village = rng.choice(villages) if villages and rng.random() < 0.8 else None
        if village is None:
            address = f"Số {rng.randint(1, 300)}, {unit.lower_name}"
        else:
            address = f"{run.village_names[village]}, {unit.lower_name}"
        name = f"{_TYPE_PREFIX.get(code, type_name.split(',')[0])} {rng.choice(_BRANDS)}"
        risk = default_risk if rng.random() < 0.8 else rng.choice(RiskLevel.values)
        run.establishments.append(
            (next_id, unit.id, max(opened, 0), days.last if closed is None else closed, name)
        )
        yield (
            next_id, *run.record(unit.id, opened), name, type_id, address, village, _person(rng),
            f"{rng.randint(10, 99)}{rng.randint(10, 99)}.{rng.randint(100000, 999999)}",
            f"{rng.randint(1, 999)}/GCN-ANTT" if conditional else "", rng.randint(1, 25), risk,
            days.iso(opened), None if closed is None else days.iso(closed), "",
        )  # fmt: skip
        next_id += 1


def _window_picks(run: _Run, rng: random.Random, k: int) -> list[tuple[int, int]]:
    """k (day, establishment index) pairs spread evenly over the days each was open."""
    ests = run.establishments
    if not ests or k <= 0:
        return []
    cum = list(accumulate(last - first + 1 for _id, _u, first, last, _n in ests))
    picks = []
    for index in rng.choices(range(len(ests)), cum_weights=cum, k=k):
        first, last = ests[index][2], ests[index][3]
        picks.append((first + int(rng.random() * (last - first + 1)), index))
    picks.sort()
    return picks


INSPECTION_COLUMNS = (
    "id", *RECORD, "inspected_on", "establishment_id", "team_id", "mode", "minutes_number",
    "findings", "task_id",
)  # fmt: skip
VIOLATION_COLUMNS = (
    "id", "inspection_id", "legal_basis_id", "article", "clause", "description", "sanction",
    "fine_amount", "version", "created_by_id", "created_at",
)  # fmt: skip
_FINDINGS = [
    "Cơ sở chấp hành các quy định.",
    "Cơ sở chấp hành các quy định; nhắc nhở niêm yết nội quy.",
    "Không phát hiện dấu hiệu hoạt động mại dâm.",
    "Đề nghị bổ sung sổ quản lý lao động.",
]
_VIOLATIONS = [
    ("29", "1", "Không niêm yết nội quy; không quản lý lao động theo quy định."),
    ("29", "2", "Để nhân viên có hành vi khiêu dâm, kích dục tại cơ sở."),
    ("25", "3", "Không đăng ký, khai báo lưu trú theo quy định."),
    ("26", "1", "Hoạt động quá giờ cho phép."),
]
_MODES = _Weighted([(Inspection.Mode.ANNOUNCED, 50), (Inspection.Mode.SURPRISE, 35),
                    (Inspection.Mode.FOLLOW_UP, 15)])  # fmt: skip
_SANCTIONS = _Weighted([
    (Violation.Sanction.FINE, 70), (Violation.Sanction.WARNING, 20),
    (Violation.Sanction.SUSPENSION, 7), (Violation.Sanction.LICENCE_WITHDRAWAL, 3),
])  # fmt: skip
_FINES = [1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000, 15_000_000, 20_000_000]


def _inspections(run: _Run, violations: list[Row]) -> Iterator[Row]:
    """Inspections of the establishments while open, on the unit carrying their records that
    day, by its team (a province's Đội 178 for some) once set up; one in five finds violations
    under the legal basis then in force. Fills run.violations_at."""
    rng = run.rng("inspections")
    days = run.days
    bases = [
        (pk, days.index(vf) if vf else -(10**6), days.index(vt) if vt else 10**6)
        for pk, vf, vt in LegalBasis.objects.order_by("valid_from").values_list(
            "id", "valid_from", "valid_to"
        )
    ]
    picks = _window_picks(run, rng, run.volumes.inspections)
    next_id = run.w.next_id(Inspection)
    next_violation = run.w.next_id(Violation)
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    for day, index in picks:
        est_id, est_unit, _first, _last, _name = run.establishments[index]
        unit = run.carrier(est_unit, day)
        era = days.era(day)
        team = None
        if run.u.wide and rng.random() < 0.08:
            team = run.teams.get((run.u.province.get((unit, era), 0), era))
        team = team or run.teams.get((unit, era))
        team_id = team[0] if team is not None and team[1] <= day else None
        year = days.as_date(day).year
        minutes[(unit, year)] += 1
        yield (
            next_id, *run.record(unit, day), days.iso(day), est_id, team_id, _MODES(rng),
            f"{minutes[(unit, year)]}/BB-KTLN", rng.choice(_FINDINGS), None,
        )  # fmt: skip
        basis = next((pk for pk, vf, vt in bases if vf <= day <= vt), None)
        if basis is not None and rng.random() < 0.2:
            run.violations_at.setdefault(unit, []).append((day, next_id, next_violation))
            for _n in range(1 if rng.random() < 0.8 else 2):
                article, clause, text = rng.choice(_VIOLATIONS)
                sanction = _SANCTIONS(rng)
                fine = rng.choice(_FINES) if sanction == Violation.Sanction.FINE else None
                violations.append((
                    next_violation, next_id, basis, article, clause, text, sanction, fine, 1,
                    run.user, days.stamp[day],
                ))  # fmt: skip
                next_violation += 1
        next_id += 1


HOTSPOT_COLUMNS = (
    "id", *RECORD, "name", "place_kind", "establishment_id", "address", "detected_on",
    "detected_by", "cleared_on", "note",
)  # fmt: skip
_DETECTED = _Weighted([(HotSpot.DetectedBy.INSPECTION, 40), (HotSpot.DetectedBy.TIP, 35),
                       (HotSpot.DetectedBy.PATROL, 25)])  # fmt: skip
_PLACES = ["ven quốc lộ", "bờ hồ", "công viên", "khu chợ đêm", "bến xe", "chân cầu", "bãi biển"]


def _hot_spots(run: _Run) -> Iterator[Row]:
    """Most at an establishment (on the unit carrying it that day), the rest public places;
    six in ten cleared since."""
    rng = run.rng("hot_spots")
    days = run.days
    n = run.volumes.hot_spots
    at_business = round(n * 0.6) if run.establishments else 0
    specs = [(day, 0, index) for day, index in _window_picks(run, rng, at_business)]
    specs += [(rng.randrange(days.n), 1, 0) for _n in range(n - at_business)]
    specs.sort()
    next_id = run.w.next_id(HotSpot)
    for day, public, index in specs:
        era = days.era(day)
        if public:
            commune = rng.choice(run.communes(era))
            unit, est, kind = commune.id, None, HotSpot.PlaceKind.PUBLIC_PLACE
            villages = run.villages_by.get((unit, era), [])
            place = rng.choice(_PLACES)
            where = run.village_names[rng.choice(villages)] if villages else commune.short_name
            name, address = f"Khu vực {place}, {where}", f"{where}, {commune.lower_name}"
        else:
            est, est_unit, _first, _last, est_name = run.establishments[index]
            unit, kind = run.carrier(est_unit, day), HotSpot.PlaceKind.ESTABLISHMENT
            name, address = f"Tụ điểm tại {est_name}", ""
        cleared = day + rng.randint(20, 500) if rng.random() < 0.6 else None
        yield (
            next_id, *run.record(unit, day), name, kind, est, address, days.iso(day),
            _DETECTED(rng), days.iso(cleared) if cleared and cleared <= days.last else None,
            "",
        )  # fmt: skip
        next_id += 1


CASE_COLUMNS = (
    "id", *RECORD, "opened_on", "reference", "offence_id", "stage", "prosecuted_on",
    "indicted_on", "tried_on", "suspects", "defendants", "victims", "victims_minor", "note",
    "task_id",
)  # fmt: skip
_STAGES_REACHED = _Weighted([(0, 20), (1, 35), (2, 25), (3, 20)])  # stages past detection
_OFFENCE_WEIGHTS = {"BLHS-327": 30, "BLHS-328": 35, "BLHS-329": 10, "BLHS-150": 15,
                    "BLHS-151": 5, "BLHS-148": 5}  # fmt: skip


def _cases(run: _Run) -> Iterator[Row]:
    """Criminal cases on communes (districts and provinces for some), each as far as its
    stage dates, none in the future, have taken it. Fills run.cases_at."""
    rng = run.rng("cases")
    days = run.days
    offences = list(Offence.objects.order_by("order", "article").values_list("id", "code", "name"))
    if not offences:
        return
    weights = [_OFFENCE_WEIGHTS.get(code, 5) for _id, code, _name in offences]
    specs = []
    for _n in range(run.volumes.cases):
        day = rng.randrange(days.n)
        era = days.era(day)
        pool: list[Unit] = run.communes(era)
        if run.u.wide and rng.random() < 0.2:
            pool = run.u.districts if era == 0 and rng.random() < 0.75 else run.provinces(era)
        specs.append((day, rng.choice(pool).id))
    specs.sort()
    stages = list(Case.Stage.values)
    next_id = run.w.next_id(Case)
    for day, unit in specs:
        offence, _code, offence_name = rng.choices(offences, weights)[0]
        wanted = _STAGES_REACHED(rng)
        dates: list[int] = []
        step = day
        for _stage in range(wanted):
            step += rng.randint(10, 120)
            if step > days.last:
                break
            dates.append(step)
        reached = len(dates)
        suspects = rng.randint(1, 5)
        victims = rng.randint(0, 4)
        on = days.as_date(day)
        yield (
            next_id, *run.record(unit, day), days.iso(day),
            f"Vụ {offence_name[:1].lower()}{offence_name[1:]} {on.month:02d}/{on.year}", offence,
            stages[reached], *(days.iso(d) for d in dates), *([None] * (3 - reached)), suspects,
            suspects if reached else 0, victims,
            min(victims, 1) if rng.random() < 0.1 else 0, "", None,
        )  # fmt: skip
        run.cases_at.setdefault(unit, []).append((day, next_id))
        next_id += 1


# --- Awareness activities ---------------------------------------------------------------------

EVENT_COLUMNS = (
    "id", *RECORD, "date", "form", "topic", "agency_id", "audiences", "participants",
    "combined_with", "task_id", "note",
)  # fmt: skip
F = OutreachEvent.Form
VILLAGE, COMMUNE, PROVINCE, DISTRICT = 0, 1, 2, 3
# (level, form, topic, audiences, participants counted, agency role, weight per 1,000)
_EVENT_KINDS: list[tuple[int, str, str, list[str], bool, str, float]] = [
    (VILLAGE, F.MEETING, "Họp dân tuyên truyền pháp luật về phòng, chống mại dâm", ["public"],
     True, "front", 220),
    (VILLAGE, F.MEETING, "Sinh hoạt chi hội phụ nữ về phòng ngừa mại dâm, mua bán người",
     ["women"], True, "women", 60),
    (VILLAGE, F.MEETING, "Sinh hoạt chi đoàn về phòng, chống tệ nạn xã hội", ["youth"], True,
     "youth", 50),
    (VILLAGE, F.BANNER, "Treo khẩu hiệu, băng rôn phòng, chống mại dâm", ["public"], False,
     "culture", 150),
    (VILLAGE, F.LEAFLET, "Phát tờ rơi về tác hại của tệ nạn mại dâm", ["public", "women"],
     False, "women", 140),
    (VILLAGE, F.LOUDSPEAKER, "Phát bài tuyên truyền phòng, chống mại dâm trên loa truyền thanh",
     ["public"], False, "radio", 120),
    (VILLAGE, F.PERFORMANCE, "Văn nghệ tuyên truyền phòng, chống mại dâm, HIV/AIDS",
     ["public", "youth"], True, "culture", 40),
    (VILLAGE, F.OTHER, "Nói chuyện chuyên đề về phòng, chống mại dâm", ["public"], True,
     "front", 35),
    (COMMUNE, F.LOUDSPEAKER, "Phát bài tuyên truyền phòng, chống mại dâm trên loa truyền thanh",
     ["public"], False, "radio", 50),
    (COMMUNE, F.MEETING, "Hội nghị tuyên truyền pháp luật lồng ghép phòng, chống mại dâm",
     ["officials", "public"], True, "committee", 30),
    (COMMUNE, F.CONFERENCE, "Hội nghị triển khai công tác phòng, chống mại dâm", ["officials"],
     True, "committee", 15),
    (COMMUNE, F.SCHOOL, "Ngoại khóa: phòng, chống xâm hại, mua bán người và tệ nạn mại dâm",
     ["pupils"], True, "youth", 20),
    (COMMUNE, F.BUSINESS, "Tuyên truyền tại cơ sở kinh doanh dịch vụ dễ bị lợi dụng",
     ["business_owners", "service_workers"], True, "police", 25),
    (COMMUNE, F.WEBSITE, "Tin bài về công tác phòng, chống mại dâm trên trang thông tin điện tử",
     ["public"], False, "culture", 15),
    (COMMUNE, F.SOCIAL_MEDIA, "Bài đăng trên trang mạng xã hội của xã về phòng, chống mại dâm",
     ["public", "youth"], False, "culture", 10),
    (PROVINCE, F.PRESS, "Bài viết về công tác phòng, chống mại dâm", ["public"], False, "press",
     3),
    (PROVINCE, F.BROADCAST, "Chuyên mục phát thanh phòng, chống tệ nạn xã hội", ["public"],
     False, "radio", 3),
    (PROVINCE, F.WEBSITE, "Tin bài phòng, chống mại dâm trên cổng thông tin điện tử",
     ["public"], False, "committee", 1.5),
    (PROVINCE, F.CONFERENCE, "Hội nghị sơ kết công tác phòng, chống mại dâm", ["officials"],
     True, "committee", 0.5),
    (DISTRICT, F.BROADCAST, "Phát thanh chuyên mục phòng, chống tệ nạn xã hội", ["public"],
     False, "radio", 1.5),
    (DISTRICT, F.CONFERENCE, "Hội nghị tập huấn công tác phòng, chống mại dâm", ["officials"],
     True, "committee", 0.5),
]  # fmt: skip
_COMBINED = ['["drugs"]', '["hiv"]', '["trafficking"]', '["drugs", "hiv"]']


def _events(run: _Run) -> Iterator[Row]:
    """Awareness activities day by day (so ids follow dates): most in villages, some by the
    commune itself (a few web posts), and — above commune scale — provincial and district
    media and conferences (districts until 30/6/2025)."""
    rng = run.rng("events")
    r = rng.random
    days = run.days
    kinds = [k for k in _EVENT_KINDS if run.u.wide or k[0] in (VILLAGE, COMMUNE)]
    slots = 10_000
    cum = list(accumulate(k[6] for k in kinds))
    table = [
        (lvl, str(form), topic, _json(aud), counted, role)
        for i in range(slots)
        for lvl, form, topic, aud, counted, role, _w in [
            kinds[bisect.bisect_right(cum, (i + 0.5) * cum[-1] / slots)]
        ]
    ]
    combined = [*_COMBINED, *["[]"] * 36]
    empty: dict[str, int] = {}
    # How active each village is: one in twelve holds nothing, the busiest four times the
    # quietest — so coverage stays below 100 % even at national volumes.
    activity = {v.id: rng.choice([0, 1, 2, 2, 3, 3, 4, 4, 1, 2, 3, 4]) for v in run.u.villages}
    by_era = []
    for era in (0, 1):
        villages: list[tuple[int, int]] = []
        for v in run.u.villages:
            parent = v.old if era == 0 else v.new
            if parent is not None:
                villages += [(v.id, parent)] * activity[v.id]
        communes = [u.id for u in run.communes(era)]
        provinces = [u.id for u in run.provinces(era)]
        districts = [u.id for u in run.u.districts] if era == 0 else provinces
        agencies = {unit: roles for (unit, e), roles in run.agencies.items() if e == era}
        by_era.append((villages, communes, provinces or communes, districts or communes, agencies))
    next_id = run.w.next_id(OutreachEvent)
    user = run.user
    for day, n in enumerate(_per_day(run.volumes.events, days.n)):
        if not n:
            continue
        villages, communes, provinces, districts, agencies = by_era[days.era(day)]
        nv, nc, np, nd = len(villages), len(communes), len(provinces), len(districts)
        iso, stamp = days.iso(day), days.stamp[day]
        for _n in range(n):
            level, form, topic, audiences, counted, role = table[int(r() * slots)]
            if level == VILLAGE and nv:
                unit, parent = villages[int(r() * nv)]
            elif level == PROVINCE:
                unit = parent = provinces[int(r() * np)]
            elif level == DISTRICT:
                unit = parent = districts[int(r() * nd)]
            else:
                unit = parent = communes[int(r() * nc)]
            agency = agencies.get(parent, empty).get(role) if r() < 0.85 else None
            people = int(r() ** 1.6 * 301) if counted else None
            yield (
                next_id, unit, 1, user, stamp, stamp, iso, form, topic, agency, audiences,
                people, combined[int(r() * 40)], None, "",
            )  # fmt: skip
            next_id += 1


# --- Tips -------------------------------------------------------------------------------------

TIP_COLUMNS = (
    "id", *RECORD, "reference", "received_at", "channel", "source_agency", "content",
    "reporter_anonymous", "reporter_name", "reporter_name_index", "reporter_phone",
    "reporter_email", "reporter_address", "subject", "legal_nature", "is_complex", "remote_area",
    "status", "outcome", "outcome_note", "handled_at", "inspection_id", "violation_id",
    "case_id", "transferred_to_unit_id", "transferred_to_agency", "transferred_from_id",
    "handling_officer_id", "receipt_hash",
)  # fmt: skip
TIP_EVENT_COLUMNS = ("id", "tip_id", "at", "actor_id", "kind", "note")
_CONTENTS = [
    "Người dân phản ánh nghi có hoạt động mua bán dâm tại một nhà nghỉ ven quốc lộ.",
    "Có đối tượng lạ thường xuyên đưa phụ nữ đến quán karaoke sau 23 giờ.",
    "Một tài khoản mạng xã hội đăng quảng cáo dịch vụ “tươi mát” tại địa phương.",
    "Nghi có người môi giới mại dâm tại khu vực chợ đêm.",
    "Phản ánh cơ sở massage hoạt động quá giờ, có biểu hiện chứa mại dâm.",
    "Nghi vấn có người dưới 18 tuổi làm việc tại quán cà phê đèn mờ.",
    "Phản ánh nhà trọ cho nhiều người lạ thuê theo giờ, ra vào thâu đêm.",
    "Tin nhắn mời chào dịch vụ mại dâm gửi đến nhiều số điện thoại trên địa bàn.",
]
_CHANNELS = _Weighted([(Channel.PHONE, 35), (Channel.IN_PERSON, 25), (Channel.LETTER, 10),
             (Channel.EMAIL, 5), (Channel.TRANSFERRED, 10), (Channel.PRESS, 5),
             (Channel.PUBLIC_PAGE, 10)])  # fmt: skip
_SUBJECTS = _Weighted([
             (Subject.PROSTITUTION, 35), (Subject.HARBOURING, 20), (Subject.BROKERING, 15),
             (Subject.ONLINE_ADS, 15), (Subject.MINOR, 5), (Subject.TRAFFICKING, 5),
             (Subject.OTHER, 5)])  # fmt: skip
_NATURES = _Weighted([(LegalNature.CRIME_DENUNCIATION, 35), (LegalNature.CRIME_REPORT, 25),
            (LegalNature.ADMIN_VIOLATION, 30), (LegalNature.PROSECUTION_RECOMMENDATION, 3),
            (LegalNature.COMPLAINT, 7)])  # fmt: skip
_CRIMINAL = _Weighted([(LegalNature.CRIME_DENUNCIATION, 50), (LegalNature.CRIME_REPORT, 45),
             (LegalNature.PROSECUTION_RECOMMENDATION, 5)])  # fmt: skip
_OUTCOMES = _Weighted([(Tip.Outcome.NOT_SUBSTANTIATED, 50), (Tip.Outcome.ADMIN_SANCTION, 30),
             (Tip.Outcome.TRANSFERRED, 15), (Tip.Outcome.CASE_OPENED, 5)])  # fmt: skip
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"]


def _first_after(items: Sequence[tuple[int, ...]], day: int, within: int) -> tuple[int, ...] | None:
    """The first item (sorted by day) on or after `day` and no later than `day + within`."""
    at = bisect.bisect_left(items, (day,))
    if at < len(items) and items[at][0] <= day + within:
        return items[at]
    return None


def _last_before(items: Sequence[tuple[int, ...]], day: int, within: int) -> tuple[int, ...] | None:
    at = bisect.bisect_right(items, (day, 10**18)) - 1
    if at >= 0 and items[at][0] >= day - within:
        return items[at]
    return None


def _tip_references() -> dict[str, int]:
    """The highest sequence number used so far for each reference prefix (“TB-15880-2025-”)."""
    top: dict[str, int] = {}
    for reference in Tip.objects.values_list("reference", flat=True).iterator():
        prefix, _sep, seq = reference.rpartition("-")
        if seq.isdigit():
            top[prefix + "-"] = max(top.get(prefix + "-", 0), int(seq))
    return top


_SPELLS = _Weighted([((1, 18), 75), ((19, 25), 15), ((26, 60), 10)])  # days to settle


@dataclass
class _Handling:
    """How a tip was (or is being) handled: status, outcome, legal nature, when it was settled
    (minutes; None while open) and the records its outcome points to."""

    status: str
    outcome: str
    nature: str
    handled: int | None
    inspection: int | None = None
    violation: int | None = None
    case: int | None = None


def _tip_handling(run: _Run, rng: random.Random, unit: int, received: int, now: int) -> _Handling:
    """The outcome, drawn first, then when it came: an administrative sanction when the unit's
    next inspection with a violation found it (within 45 days), a case when one was opened
    (60 days), a transfer within hours, else "not substantiated" after days — mostly within the
    legal time, some after it. Two in a hundred are stuck, open past their deadline; one whose
    outcome would come after `now` is still at the step it reached by then."""
    day = received // 1440
    outcome, handled = _OUTCOMES(rng), None
    inspection = violation = case = None
    if outcome == Tip.Outcome.ADMIN_SANCTION:
        found = _first_after(run.violations_at.get(unit, []), day, 45)
        if found is not None:
            inspection, violation = found[1], found[2]
            handled = max(found[0] * 1440 + 16 * 60, received + 60)
    elif outcome == Tip.Outcome.CASE_OPENED:
        found = _first_after(run.cases_at.get(unit, []), day, 60)
        if found is not None:
            case = found[1]
            handled = max(found[0] * 1440 + 16 * 60, received + 60)
    elif outcome == Tip.Outcome.TRANSFERRED:
        handled = received + rng.randint(60, 40 * 60)
    if handled is None:
        outcome = Tip.Outcome.NOT_SUBSTANTIATED
        low, high = _SPELLS(rng)
        handled = received + rng.randint(low * 1440, high * 1440)
    if outcome == Tip.Outcome.ADMIN_SANCTION:
        nature = LegalNature.ADMIN_VIOLATION
    elif outcome == Tip.Outcome.NOT_SUBSTANTIATED:
        nature = _NATURES(rng)
    else:
        nature = _CRIMINAL(rng)
    if rng.random() < 0.02:
        return _Handling(
            rng.choice([Tip.Status.VERIFYING, Tip.Status.CLASSIFIED]), "", nature, None
        )
    if handled > now:
        waited = now - received
        if waited < 120:
            return _Handling(Tip.Status.RECEIVED, "", nature, None)
        status = Tip.Status.VERIFYING if waited < 1440 else Tip.Status.CLASSIFIED
        return _Handling(status, "", nature, None)
    return _Handling(Tip.Status.HANDLED, outcome, nature, handled, inspection, violation, case)


def _tips(run: _Run, steps: list[tuple[int, int, str]]) -> Iterator[Row]:
    """Tips received by communes (and provinces) up to yesterday, handled as tips.services
    would: received, verified, classified, then settled (_tip_handling); each step goes to
    `steps` (tip id, minute, kind). Contents and reporters are sealed; reporters plainly
    fictitious ("Giả Định"); a public-page tip keeps only its receipt's hash."""
    rng = run.rng("tips")
    days = run.days
    now = days.last * 1440  # today 00:00: nothing after it
    units = run.u.units()
    specs = []
    for _n in range(run.volumes.tips):
        day = rng.randrange(max(1, days.last))
        era = days.era(day)
        pool: list[Unit] = run.communes(era)
        if run.u.wide and rng.random() < 0.08:
            pool = run.provinces(era)
        unit = rng.choice(pool)
        specs.append((day * 1440 + rng.randint(7 * 60, 21 * 60), unit.code, unit.id))
    specs.sort()
    sequences = _tip_references()
    next_id = run.w.next_id(Tip)
    for received, code, unit_id in specs:
        day = received // 1440
        prefix = f"TB-{code or unit_id}-{days.as_date(day).year}-"
        sequences[prefix] = sequences.get(prefix, 0) + 1
        province = units.get(run.u.province.get((unit_id, days.era(day)), unit_id))
        where = province.lower_name if province else ""
        channel = _CHANNELS(rng)
        source = ""
        if channel == Channel.TRANSFERRED:
            source = f"Công an {where}"
        elif channel == Channel.PRESS and province is not None:
            source = f"Báo {province.short_name}"
        named = channel != Channel.PUBLIC_PAGE and rng.random() < 0.35
        reporter = f"{rng.choice(_FAMILY)} Văn Giả Định" if named else ""
        phone = f"09{rng.randint(10_000_000, 99_999_999)}" if named and rng.random() < 0.8 else ""
        address = f"Thôn {rng.randint(1, 20)}, {units[unit_id].lower_name}" if named else ""
        receipt = None
        if channel == Channel.PUBLIC_PAGE:
            receipt = receipt_hash(f"{rng.getrandbits(80):024d}")
        complex_case, remote = rng.random() < 0.05, rng.random() < 0.05
        h = _tip_handling(run, rng, unit_id, received, now)
        span = (h.handled - received) if h.handled is not None else 2 * 1440
        steps.append((next_id, received, TipEvent.Kind.RECEIVED))
        if h.status != Tip.Status.RECEIVED:
            steps.append((next_id, received + min(120, span // 3), TipEvent.Kind.VERIFYING))
        subject, nature = (_SUBJECTS(rng) if rng.random() < 0.3 else ""), ""
        if h.status in (Tip.Status.CLASSIFIED, Tip.Status.HANDLED):
            steps.append((next_id, received + min(1440, 2 * span // 3), TipEvent.Kind.CLASSIFIED))
            subject, nature = _SUBJECTS(rng), h.nature
        if h.handled is not None:
            transferred = h.outcome == Tip.Outcome.TRANSFERRED
            kind = TipEvent.Kind.TRANSFERRED if transferred else TipEvent.Kind.HANDLED
            steps.append((next_id, h.handled, kind))
        yield (
            next_id, unit_id, 1, run.user, days.moment(received),
            days.moment(h.handled if h.handled is not None else received),
            f"{prefix}{sequences[prefix]:04d}", days.moment(received), channel, source,
            seal_text(rng.choice(_CONTENTS)), not named, seal_text(reporter) if named else "",
            blind_index(reporter, purpose="name") if named else "",
            seal_text(phone) if phone else "", "", seal_text(address) if address else "",
            subject, nature, complex_case, remote, h.status, h.outcome, "",
            days.moment(h.handled) if h.handled is not None else None, h.inspection,
            h.violation, h.case, None,
            f"Cơ quan Cảnh sát điều tra Công an {where}"
            if h.outcome == Tip.Outcome.TRANSFERRED else "",
            None, None, receipt,
        )  # fmt: skip
        next_id += 1


# --- Support: pilot models and case files -----------------------------------------------------

PILOT_COLUMNS = (
    "id", *RECORD, "name", "kind", "start_date", "status", "closed_on", "members",
    "people_reached", "task_id", "note",
)  # fmt: skip
_PILOT_KINDS = _Weighted([
    (PilotModel.Kind.COMMUNITY_SERVICES, 25), (PilotModel.Kind.WORKERS_RIGHTS, 20),
    (PilotModel.Kind.PEER_GROUPS, 30), (PilotModel.Kind.HARM_REDUCTION_GBV, 25),
])  # fmt: skip
_PILOT_STATUSES = _Weighted([(PilotModel.Status.ACTIVE, 75), (PilotModel.Status.CLOSED, 15),
                             (PilotModel.Status.PLANNED, 10)])  # fmt: skip
_PILOT_NAMES: dict[str, str] = {
    PilotModel.Kind.COMMUNITY_SERVICES: "Mô hình dịch vụ hỗ trợ tại cộng đồng",
    PilotModel.Kind.WORKERS_RIGHTS: "Mô hình bảo đảm quyền của người lao động",
    PilotModel.Kind.PEER_GROUPS: "Nhóm đồng đẳng, tự lực",
    PilotModel.Kind.HARM_REDUCTION_GBV: "Mô hình giảm hại, phòng ngừa bạo lực trên cơ sở giới",
}


def _pilot_models(run: _Run) -> Iterator[Row]:
    """Services and harm-reduction models of districts (until 30/6/2025) and communes; peer
    groups and workers'-rights models of villages and communes."""
    rng = run.rng("pilot_models")
    days = run.days
    specs = []
    for _n in range(run.volumes.pilot_models):
        kind = _PILOT_KINDS(rng)
        level = rng.choice(["village", "commune"])
        if (
            kind in (PilotModel.Kind.COMMUNITY_SERVICES, PilotModel.Kind.HARM_REDUCTION_GBV)
            and run.u.districts
            and rng.random() < 0.4
        ):
            level = "district"
        day = rng.randrange(days.reform if level == "district" else days.n)
        era = days.era(day)
        if level == "district":
            unit = rng.choice(run.u.districts)
            where, unit_id = unit.lower_name, unit.id
        else:
            commune = rng.choice(run.communes(era))
            villages = run.villages_by.get((commune.id, era), [])
            if level == "village" and villages:
                unit_id = rng.choice(villages)
                where = f"{run.village_names[unit_id].lower()}, {commune.lower_name}"
            else:
                unit_id, where = commune.id, commune.lower_name
        specs.append((day, unit_id, str(kind), where))
    specs.sort()
    next_id = run.w.next_id(PilotModel)
    for day, unit_id, kind, where in specs:
        status = _PILOT_STATUSES(rng)
        closed = None
        if status == PilotModel.Status.CLOSED:
            closed = min(day + rng.randint(180, 900), days.last)
        yield (
            next_id, *run.record(unit_id, day), f"{_PILOT_NAMES[kind]} {where}", kind,
            days.iso(day), status, days.iso(closed) if closed is not None else None,
            rng.randint(5, 40), rng.randint(10, 400), None, "",
        )  # fmt: skip
        next_id += 1


BENEFICIARY_COLUMNS = (
    "id", *RECORD, "code", "year", "sequence", "registered_on", "group", "sex", "age_band",
    "full_name", "birth_date", "id_number", "phone", "address", "name_index", "id_number_index",
    "case_plan", "case_plan_review_on", "status", "closure_reason", "closed_on",
    "closure_requested_by_id", "closure_approved_by_id", "legal_hold", "legal_hold_reason",
    "origin_inspection_id", "origin_case_id",
)  # fmt: skip
CONSENT_COLUMNS = (
    "id", "beneficiary_id", "given_on", "covers_processing", "covers_referral", "covers_health",
    "withdrawn_on", "note", "recorded_by_id", "created_at",
)  # fmt: skip
ASSESSMENT_COLUMNS = (
    "id", "beneficiary_id", "assessed_on", "needs", "eligible", "note", "assessed_by_id",
    "created_at",
)  # fmt: skip
SERVICE_COLUMNS = (
    "id", "beneficiary_id", "kind", "provided_on", "provider_agency_id", "provider_name",
    "outcome", "note", "referral_id", "recorded_by_id", "created_at",
)  # fmt: skip
B = Beneficiary
_GROUPS = _Weighted(
    [(B.Group.SEX_WORKER, 70), (B.Group.TRAFFICKING_VICTIM, 10), (B.Group.HIGH_RISK, 20)]
)
_AGES = _Weighted([((B.AgeBand.AGE_16_17, 16, 17), 4), ((B.AgeBand.AGE_18_24, 18, 24), 30),
         ((B.AgeBand.AGE_25_34, 25, 34), 38), ((B.AgeBand.AGE_35_49, 35, 49), 23),
         ((B.AgeBand.AGE_50_PLUS, 50, 60), 5)])  # fmt: skip
_PROVIDERS: dict[str, str] = {
    ServiceKind.LEGAL_AID: "Trung tâm Trợ giúp pháp lý nhà nước",
    ServiceKind.VOCATIONAL_TRAINING: "Trường Trung cấp nghề",
    ServiceKind.JOB_PLACEMENT: "Trung tâm Dịch vụ việc làm",
    ServiceKind.LOANS_CAPITAL: "Ngân hàng Chính sách xã hội",
}
_OUTCOMES_SERVICE = _Weighted([
    (ServiceProvision.Outcome.COMPLETED, 70), (ServiceProvision.Outcome.ONGOING, 20),
    (ServiceProvision.Outcome.DROPPED, 10),
])  # fmt: skip


def _case_codes() -> tuple[dict[tuple[int, int], int], set[str]]:
    """The last sequence used per (unit, year) and every case-file code taken."""
    top: dict[tuple[int, int], int] = {}
    for unit, year, seq in Beneficiary.objects.values_list("org_unit_id", "year", "sequence"):
        top[(unit, year)] = max(top.get((unit, year), 0), seq)
    return top, set(Beneficiary.objects.values_list("code", flat=True))


def _beneficiaries(
    run: _Run, consents: list[Row], assessments: list[Row], services: list[Row]
) -> Iterator[Row]:
    """Case files opened by communes, about one per ten villages: mostly people who sell sex,
    some found at an inspection or in a case; identities sealed, codes pseudonymous; a consent
    when the file opens, one or two needs assessments, and services for most of those eligible
    with needs (not all: "reached" stays below 100 %); some files closed since."""
    rng = run.rng("beneficiaries")
    days = run.days
    units = run.u.units()
    specs = []
    for _n in range(run.volumes.beneficiaries):
        day = rng.randrange(days.n)
        commune = rng.choice(run.communes(days.era(day)))
        specs.append((day, commune.code, commune.id))
    specs.sort()
    top, used = _case_codes()
    next_id = run.w.next_id(Beneficiary)
    ids = {m: run.w.next_id(m) for m in (Consent, NeedsAssessment, ServiceProvision)}
    needs_all = list(Need.values)
    for day, code, unit in specs:
        era = days.era(day)
        on = days.as_date(day)
        seq = top.get((unit, on.year), 0) + 1
        while (ref := f"{code or f'DV{unit}'}-{on.year}-{seq:04d}") in used:
            seq += 1
        top[(unit, on.year)] = seq
        used.add(ref)
        group = _GROUPS(rng)
        band, youngest, oldest = _AGES(rng)
        birth = on - timedelta(days=rng.randint(youngest * 365 + 1, oldest * 365 + 300))
        name = _person(rng)
        id_number = f"{rng.randrange(10**12):012d}" if rng.random() < 0.5 else ""
        phone = f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else ""
        villages = run.villages_by.get((unit, era), [])
        address = ""
        if villages and rng.random() < 0.8:
            address = f"{run.village_names[rng.choice(villages)]}, {units[unit].lower_name}"
        closed = None
        if day <= days.last - 365 and rng.random() < 0.15:
            closed = min(day + rng.randint(180, 700), days.last)
        end = closed if closed is not None else days.last
        origin_inspection = origin_case = None
        if group == B.Group.SEX_WORKER and rng.random() < 0.2:
            found = _last_before(run.violations_at.get(unit, []), day, 120)
            origin_inspection = found[1] if found else None
        elif group == B.Group.TRAFFICKING_VICTIM and rng.random() < 0.4:
            found = _last_before(run.cases_at.get(unit, []), day, 365)
            origin_case = found[1] if found else None
        stamp = days.stamp[day]
        yield (
            next_id, *run.record(unit, day), ref, on.year, seq, on.isoformat(), group,
            B.Sex.FEMALE if rng.random() < 0.9 else B.Sex.MALE, band, seal_text(name),
            seal_text(birth.isoformat()), seal_text(id_number) if id_number else "",
            seal_text(phone) if phone else "", seal_text(address) if address else "",
            blind_index(name, purpose="name"),
            blind_index(id_number, purpose="id_number") if id_number else "",
            "Tư vấn, hỗ trợ y tế và học nghề; theo dõi định kỳ.",
            (on + timedelta(days=180)).isoformat(),
            B.Status.CLOSED if closed is not None else B.Status.OPEN,
            "Đã ổn định cuộc sống, có việc làm." if closed is not None else "",
            days.iso(closed) if closed is not None else None,
            run.user if closed is not None else None, run.user if closed is not None else None,
            False, "", origin_inspection, origin_case,
        )  # fmt: skip
        consents.append((
            ids[Consent], next_id, on.isoformat(), True, rng.random() < 0.7, rng.random() < 0.6,
            None, "", run.user, stamp,
        ))  # fmt: skip
        ids[Consent] += 1
        assessed = [min(day + rng.randint(0, 14), end)]
        if rng.random() < 0.3 and assessed[0] + 90 <= end:
            assessed.append(rng.randint(assessed[0] + 90, min(end, assessed[0] + 365)))
        for at in assessed:
            needs = sorted(rng.sample(needs_all, rng.randint(1, 3)))
            eligible = rng.random() < 0.85
            assessments.append((
                ids[NeedsAssessment], next_id, days.iso(at), _json(needs), eligible, "",
                run.user, days.stamp[at],
            ))  # fmt: skip
            ids[NeedsAssessment] += 1
            if not (eligible and rng.random() < 0.75):
                continue
            for _n in range(rng.randint(1, 3)):
                provided = min(at + rng.randint(1, 60), end)
                kind = rng.choice([*needs, ServiceKind.HARM_REDUCTION, ServiceKind.GBV])
                agency = None
                if kind in (ServiceKind.HEALTH_HIV, ServiceKind.HARM_REDUCTION):
                    agency = run.agency(unit, days.era(provided), "health")
                provider = "" if agency else f"{_PROVIDERS.get(kind, 'Trung tâm Công tác xã hội')}"
                services.append((
                    ids[ServiceProvision], next_id, kind, days.iso(provided), agency, provider,
                    _OUTCOMES_SERVICE(rng), "", None, run.user, days.stamp[provided],
                ))  # fmt: skip
                ids[ServiceProvision] += 1
        next_id += 1


# --- Running and clearing ---------------------------------------------------------------------

ALREADY = (
    "Cơ sở dữ liệu đã có dữ liệu tổng hợp (người dùng “synth”, thôn mã “S…”): chạy lại với "
    "--clear để xóa dữ liệu cũ trước khi tạo mới."
)


def synth_exists() -> bool:
    """True while anything synth wrote (its user, its villages) is still in the database."""
    return (
        User.objects.filter(username=SYNTH_USERNAME).exists()
        or OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE, source=SYNTH_SOURCE).exists()
    )


def synth_run(
    *,
    scale: str,
    seed: int,
    factor: float = 1.0,
    overrides: Mapping[str, int | None] | None = None,
    reporter: Reporter | None = None,
    today: date | None = None,
) -> SynthResult:
    """Write a scale's villages, agencies, teams and five years of records (to `today`).

    Refused (SynthRefused) without the org-unit tree, or while an earlier run's data is there.
    Each table is its own transaction: a run that fails half-way leaves what it wrote, marked,
    for synth_clear().
    """
    started = time.perf_counter()
    if synth_exists():
        raise SynthRefused(_(ALREADY))
    universe = synth_universe(scale)
    today = today or timezone.localdate()
    volumes = synth_volumes(universe, factor=factor, overrides=overrides, today=today)
    national = OrgUnit.objects.filter(level=OrgUnit.Level.NATIONAL).order_by("id").first()
    user = User.objects.create_user(
        username=SYNTH_USERNAME, password=None, role=User.Role.DATA_ENTRY, org_unit=national,
        is_active=False, last_name="Dữ liệu", first_name="tổng hợp",
    )  # fmt: skip
    w = _writer(reporter or _Silent())
    run = _Run(universe, _Days(today, postgres=connection.vendor == "postgresql"), seed, user.pk,
               volumes, w)  # fmt: skip

    def write(label: str, model: type[models.Model], names: Sequence[str], rows: Any,
              total: int | None = None) -> None:  # fmt: skip
        if isinstance(rows, list):
            total = len(rows)
        w.write(label, model, names, rows, total or 0)

    with transaction.atomic():
        write(_("thôn, tổ dân phố"), OrgUnit, VILLAGE_COLUMNS, list(_villages(run)))
        write(_("quan hệ trực thuộc của thôn"), OrgUnitLink, ("id", "child_id", "parent_id",
              "valid_from", "valid_to"), list(_village_links(run)))  # fmt: skip
        begun = time.perf_counter()
        added, _removed = orgunit_scope_rebuild()
        w.timed(_("phạm vi truy cập (OrgUnitScope)"), added, begun)
        # Every scoped page joins this table: without its statistics (autovacuum may be off),
        # PostgreSQL guessed 418 units for a province of 4,193 and nested-looped a list page's
        # 50,000 inspections before sorting them (1.2 s instead of 0.25 s).
        w.written.add(OrgUnitScope._meta.db_table)
    _index_villages(run)
    write(_("cơ quan, đơn vị"), Agency, AGENCY_COLUMNS, list(_agencies(run)))
    members: list[Row] = []
    write(_("đội kiểm tra"), InspectionTeam, TEAM_COLUMNS, list(_teams(run, members)))
    member_columns = ("id", "team_id", "agency_id", "role")
    write(_("thành viên đội kiểm tra"), InspectionTeamMember, member_columns,
          _numbered(InspectionTeamMember, w, members))  # fmt: skip
    write(_("kế hoạch"), Plan, PLAN_COLUMNS, list(_plans(run)))
    write(_("cán bộ"), StaffMember, STAFF_COLUMNS, list(_staff(run)))
    participants: list[Row] = []
    write(_("lớp tập huấn"), TrainingCourse, COURSE_COLUMNS, list(_courses(run, participants)))
    through = TrainingCourse.participants.through
    write(_("học viên"), through, ("id", "trainingcourse_id", "staffmember_id"),
          _numbered(through, w, participants))  # fmt: skip
    write(_("cơ sở kinh doanh"), Establishment, ESTABLISHMENT_COLUMNS, list(_establishments(run)))
    violations: list[Row] = []
    write(_("lượt kiểm tra"), Inspection, INSPECTION_COLUMNS, _inspections(run, violations),
          volumes.inspections if run.establishments else 0)  # fmt: skip
    write(_("vi phạm hành chính"), Violation, VIOLATION_COLUMNS, violations)
    write(_("tụ điểm"), HotSpot, HOTSPOT_COLUMNS, list(_hot_spots(run)))
    write(_("vụ án"), Case, CASE_COLUMNS, list(_cases(run)))
    steps: list[tuple[int, int, str]] = []
    write(_("tin báo, tố giác"), Tip, TIP_COLUMNS, _tips(run, steps), volumes.tips)
    first = w.next_id(TipEvent)
    write(_("bước xử lý tin báo"), TipEvent, TIP_EVENT_COLUMNS, [
        (first + i, tip, run.days.moment(at), run.user, kind, "")
        for i, (tip, at, kind) in enumerate(steps)
    ])  # fmt: skip
    write(_("hoạt động tuyên truyền"), OutreachEvent, EVENT_COLUMNS, _events(run), volumes.events)
    write(_("mô hình thí điểm"), PilotModel, PILOT_COLUMNS, list(_pilot_models(run)))
    consents: list[Row] = []
    assessments: list[Row] = []
    services: list[Row] = []
    write(_("hồ sơ hỗ trợ"), Beneficiary, BENEFICIARY_COLUMNS,
          list(_beneficiaries(run, consents, assessments, services)))  # fmt: skip
    write(_("đồng ý"), Consent, CONSENT_COLUMNS, consents)
    write(_("đánh giá nhu cầu"), NeedsAssessment, ASSESSMENT_COLUMNS, assessments)
    write(_("dịch vụ đã cung cấp"), ServiceProvision, SERVICE_COLUMNS, services)
    if connection.vendor == "postgresql":
        begun = time.perf_counter()
        w.analyze()
        w.timed(_("thống kê cho bộ lập kế hoạch (ANALYZE)"), 0, begun)
    _stale_indicator_values([*run.u.units(), *(v.id for v in run.u.villages)], START)
    audit_record(
        action=AuditEvent.Action.IMPORT,
        user=user,
        obj=national,
        detail={"synth": {"scale": scale, "seed": seed, "factor": factor,
                          "rows": {t.label: t.rows for t in w.stats}}},
    )  # fmt: skip
    return SynthResult(scale, seed, volumes, w.stats, time.perf_counter() - started)


def _stale_indicator_values(unit_ids: Sequence[int], first_day: date | None) -> None:
    """Stored indicator values count records, and COPY fires no signal: mark stale what these
    units' values may count, as every bulk importer does (pcmd.indicators.store)."""
    try:
        from pcmd.indicators.sources import SOURCES
        from pcmd.indicators.store import records_imported
    except ImportError:  # a tree without stored values
        return
    ids = sorted(unit_ids)
    for at in range(0, len(ids), 5000):  # a national IN list passes 65,535 parameters
        records_imported(list(SOURCES), ids[at : at + 5000], first_day)


def _numbered(model: type[models.Model], w: _Writer, rows: list[Row]) -> list[Row]:
    first = w.next_id(model)
    return [(first + i, *row) for i, row in enumerate(rows)]


def _reverse(model: type[models.Model]) -> list[Any]:
    """Every relation pointing at `model`, hidden ones (related_name="+") included."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def _delete(
    model: type[models.Model],
    where: str,
    params: list[Any],
    touched: dict[str, int],
    depth: int = 0,
) -> int:
    """DELETE the rows of `model` matching `where`, with what cascades from them (children
    first) and NULL where a reference is SET_NULL — in SQL, without loading the rows.
    PROTECTed references are left to the database, which refuses the delete. Adds the rows
    deleted per table to `touched`."""
    qn = connection.ops.quote_name
    table = model._meta.db_table
    chosen = f"SELECT id FROM {qn(table)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        for rel in _reverse(model):
            child = rel.related_model
            column = qn(rel.field.column)
            if rel.on_delete is models.CASCADE and child is not model and depth < 6:
                _delete(child, f"{column} IN ({chosen})", params, touched, depth + 1)
            elif rel.on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {qn(child._meta.db_table)} SET {column} = NULL "  # noqa: S608
                    f"WHERE {column} IN ({chosen})",
                    params,
                )
        cursor.execute(f"DELETE FROM {qn(table)} WHERE {where}", params)  # noqa: S608
        deleted = int(cursor.rowcount or 0)
    touched[table] = touched.get(table, 0) + deleted
    return deleted


def synth_clear(*, reporter: Reporter | None = None) -> list[TableStat]:
    """Remove everything synth wrote: the records of its user, then its agencies, its villages
    and the user itself. SynthRefused if other data points at them (e.g. a tip a person
    recorded on a synthetic village); nothing of that step is removed then.

    Two transactions (records, then the rest) — one when called inside a transaction. Between
    them PostgreSQL vacuums the emptied tables: else the foreign-key checks of every deleted
    agency and village would wade through millions of dead rows (≈ 100 s at national scale).
    """
    reporter = reporter or _Silent()
    user = User.objects.filter(username=SYNTH_USERNAME).values_list("id", flat=True).first()
    records: list[tuple[type[models.Model], str, list[Any]]] = []
    if user is not None:
        records = [
            (m, "created_by_id = %s", [user])
            for m in (Tip, Beneficiary, PilotModel, TrainingCourse, StaffMember, OutreachEvent,
                      HotSpot, Inspection, Violation, Case, Establishment, InspectionTeam, Plan)
        ]  # fmt: skip
    structure: list[tuple[type[models.Model], str, list[Any]]] = [
        (Agency, "note = %s", [AGENCY_NOTE]),
        (OrgUnit, "level = %s AND source = %s", [OrgUnit.Level.VILLAGE, SYNTH_SOURCE]),
    ]
    if user is not None:
        structure.append((User, "id = %s", [user]))
    stats: list[TableStat] = []
    touched: dict[str, int] = {}
    postgres = connection.vendor == "postgresql"
    for step in (records, structure):
        try:
            with transaction.atomic():
                if postgres:
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for model, where, params in step:
                    label = str(model._meta.verbose_name_plural)
                    begun = time.perf_counter()
                    with reporter.table(label, 0):
                        deleted = _delete(model, where, params, touched)
                    stats.append(TableStat(label, deleted, time.perf_counter() - begun))
                if postgres:
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        except IntegrityError as exc:
            raise SynthRefused(
                _("Không xóa được dữ liệu tổng hợp: có dữ liệu khác tham chiếu đến nó (%(e)s).")
                % {"e": str(exc).splitlines()[0]}
            ) from exc
        if step is records and postgres and not connection.in_atomic_block:
            begun = time.perf_counter()
            emptied = sorted(t for t, n in touched.items() if n >= BULK_MIN_ROWS // 10)
            with connection.cursor() as cursor:
                for table in emptied:
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
            stats.append(TableStat(_("dọn bảng (VACUUM)"), 0, time.perf_counter() - begun))
    if touched:
        units = OrgUnit.objects.exclude(level=OrgUnit.Level.VILLAGE).values_list("id", flat=True)
        _stale_indicator_values(list(units), None)
    return stats
