"""Backups of PCMD (a database snapshot and the uploaded files, in one archive) and their restore.

Owns: backup_create(), archive_check(), restore_plan(), backup_restore(), BackupError,
FORMAT, MANIFEST_NAME.
Entry points: `pcmd backup OUT`, `pcmd restore IN [--for-real]` (management commands).
The archive is a .tar.gz whose first member is manifest.json (PCMD version, engine, applied
migrations, row counts per table, the sha256 and size of every other member, when it was made,
the fingerprints of the seal keys), then the database (SQLite: a copy made with the online
backup API; PostgreSQL: `pg_dump -Fc` of a snapshot exported from the transaction that counted
the rows), then media/<path> for every file under MEDIA_ROOT.
Invariants: no key is ever written into an archive (pcmd.ops.keys: fingerprints only); the
archive file appears under its name only when complete (pcmd.common.atomic); restore reads and
checks every member against the manifest before it changes anything, refuses another engine,
keys that cannot read the sealed fields (unless told) and migrations this code does not know;
the database is replaced in one transaction (SQLite: the backup API into the live file;
PostgreSQL: the schema dropped and the dump loaded by psql in a single transaction); the
files are swapped in by renaming directories.
Not here: the key fingerprints (keys.py), command-line output (management/commands).
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.common.atomic import DiskFullError, atomic_write, disk_full_message
from pcmd.ops.keys import key_fingerprints, keys_problem

FORMAT = "pcmd-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be made or restored; the message is written for the administrator."""


def _pcmd_version() -> str:
    try:
        return version("pcmd")
    except PackageNotFoundError:
        return "unknown"


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- reading the state of a database -------------------------------------------------------


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}  # noqa: S608


def _sqlite_migrations(conn: sqlite3.Connection) -> dict[str, list[str]]:
    try:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    except sqlite3.OperationalError:
        return {}
    return _group(rows)


def _group(rows: Any) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def _django_counts() -> dict[str, int]:
    """Row counts of every table of the current database, through Django's connection."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def _django_migrations() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return _group(cursor.fetchall())


def _db_name() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def _pg_args() -> tuple[list[str], dict[str, str]]:
    """Connection arguments of the libpq tools for the default database, and their env."""
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(cmd: list[str], *, env: dict[str, str], what: str, **kwargs: Any) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, check=False, **kwargs)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            _("Không tìm thấy chương trình %(p)s (cài gói postgresql-client).") % {"p": cmd[0]}
        ) from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(_("%(what)s không thành công: %(d)s") % {"what": what, "d": detail})


# --- backup ---------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    size: int


def _snapshot_sqlite(dest: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        # A self-contained file: no -wal beside it, whatever the live database uses.
        target.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_counts(target), _sqlite_migrations(target)
    except sqlite3.OperationalError as exc:
        if "full" in str(exc).lower():  # "database or disk is full"
            raise DiskFullError(errno.ENOSPC, disk_full_message()) from exc
        raise
    finally:
        target.close()


def _snapshot_postgresql(dest: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    args, env = _pg_args()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # The counts and pg_dump see the same snapshot: the manifest describes the dump exactly.
        counts, migrations = _django_counts(), _django_migrations()
        _run(
            [
                "pg_dump", *args, "-Fc", "--no-owner", "--no-privileges",
                f"--snapshot={snapshot}", "-f", str(dest), str(_db_name()),
            ],
            env=env,
            what="pg_dump",
        )  # fmt: skip
    return counts, migrations


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return found


def backup_create(out: Path) -> BackupResult:
    """Write a backup archive of the default database and MEDIA_ROOT to `out`."""
    out = Path(out)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu loại %(v)s.") % {"v": vendor})
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".pcmd-backup-", dir=out.parent))
    try:
        if vendor == "sqlite":
            db_member = SQLITE_MEMBER
            counts, migrations = _snapshot_sqlite(work / db_member)
        else:
            db_member = PGDUMP_MEMBER
            counts, migrations = _snapshot_postgresql(work / db_member)
        members = [(db_member, work / db_member), *_media_files()]
        files = {}
        for name, path in members:
            digest, size = _sha256_file(path)
            files[name] = {"sha256": digest, "size": size}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "pcmd_version": _pcmd_version(),
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "database": db_member,
            "migrations": migrations,
            "row_counts": counts,
            "files": files,
            "keys": key_fingerprints(),
        }
        raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        with atomic_write(out) as fh, tarfile.open(fileobj=fh, mode="w:gz", compresslevel=6) as tar:
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime, info.mode = len(raw), int(timezone.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(raw))
            for name, path in members:
                info = tar.gettarinfo(str(path), arcname=name)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o600
                with path.open("rb") as src:
                    tar.addfile(info, src)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(out, manifest, out.stat().st_size)


# --- reading and checking an archive ---------------------------------------------------------


def _corrupt(detail: str) -> BackupError:
    return BackupError(
        _("Tệp sao lưu bị hỏng hoặc không đầy đủ (%(d)s); không thay đổi gì.") % {"d": detail}
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _open_for_write(path: Path) -> Any:
    return path.open("wb")


def archive_check(path: Path, *, extract_to: Path | None = None) -> dict[str, Any]:
    """The manifest of the archive at `path` once every member matches it (sha256 and size),
    extracting the members under `extract_to` when given; BackupError otherwise."""
    try:
        return _archive_check(Path(path), extract_to)
    except (BackupError, DiskFullError):
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(exc.errno, disk_full_message()) from exc
        if isinstance(exc, FileNotFoundError):
            raise BackupError(_("Không có tệp sao lưu %(p)s.") % {"p": path}) from exc
        raise _corrupt(str(exc) or exc.__class__.__name__) from exc
    except (tarfile.TarError, EOFError, zlib.error, ValueError) as exc:
        raise _corrupt(str(exc) or exc.__class__.__name__) from exc


def _archive_check(path: Path, extract_to: Path | None) -> dict[str, Any]:
    with tarfile.open(path, mode="r:gz") as tar:
        first = tar.next()
        if first is None or first.name != MANIFEST_NAME or not first.isfile():
            raise _corrupt(_("không có manifest.json ở đầu tệp"))
        reader = tar.extractfile(first)
        assert reader is not None
        try:
            manifest = json.loads(reader.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _corrupt(_("manifest.json không đọc được")) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(_("Đây không phải là tệp sao lưu của PCMD."))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                _("Tệp sao lưu có định dạng phiên bản %(v)s, phiên bản PCMD này không đọc được.")
                % {"v": manifest.get("format_version")}
            )
        expected: dict[str, dict[str, Any]] = manifest.get("files") or {}
        seen: set[str] = set()
        for member in tar:
            if member is first:
                continue
            name = member.name
            if not member.isfile() or not _safe_name(name) or name not in expected:
                raise _corrupt(_("có mục lạ “%(n)s”") % {"n": name[:200]})
            if name in seen:
                raise _corrupt(_("mục “%(n)s” lặp lại") % {"n": name[:200]})
            seen.add(name)
            source = tar.extractfile(member)
            assert source is not None
            digest, size = hashlib.sha256(), 0
            out = None
            if extract_to is not None:
                target = extract_to / name
                target.parent.mkdir(parents=True, exist_ok=True)
                out = _open_for_write(target)
            try:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if out is not None:
                        out.write(chunk)
            finally:
                if out is not None:
                    out.close()
            want = expected[name]
            if digest.hexdigest() != want.get("sha256") or size != want.get("size"):
                raise _corrupt(_("tổng kiểm tra của “%(n)s” không khớp") % {"n": name[:200]})
        missing = sorted(set(expected) - seen)
        if missing:
            detail = _("thiếu %(n)d mục, ví dụ “%(m)s”") % {"n": len(missing), "m": missing[0]}
            raise _corrupt(detail)
    return manifest


# --- restore ---------------------------------------------------------------------------------


@dataclass
class RestorePlan:
    """What a restore would do, for the dry run and the log."""

    manifest: dict[str, Any]
    tables: list[tuple[str, int | None, int]]  # (table, rows now or None, rows in the backup)
    dropped_tables: list[str]  # tables now that the backup does not have
    files_added: int
    files_replaced: int
    files_unchanged: int
    files_removed: int
    warnings: list[str] = field(default_factory=list)


def _known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def restore_plan(manifest: dict[str, Any], *, allow_key_mismatch: bool) -> RestorePlan:
    """Check that this installation can take the backup, and say what it would replace."""
    vendor = connection.vendor
    if manifest.get("engine") != vendor:
        raise BackupError(
            _(
                "Bản sao lưu là của cơ sở dữ liệu %(b)s, còn DATABASE_URL đang trỏ tới %(c)s: "
                "không khôi phục được sang loại khác."
            )
            % {"b": manifest.get("engine"), "c": vendor}
        )
    warnings = []
    problem = keys_problem(manifest.get("keys") or {})
    if problem:
        if not allow_key_mismatch:
            raise BackupError(
                problem
                + " "
                + _(
                    "Hãy đặt đúng các khóa đã dùng khi sao lưu rồi chạy lại; nếu chấp nhận mất các "
                    "trường đó, chạy lại với --allow-key-mismatch."
                )
            )
        warnings.append(problem)
    recorded = (manifest.get("migrations") or {}).items()
    applied = {(app, name) for app, names in recorded for name in names}
    known = _known_migrations()
    unknown = sorted(applied - known)
    if unknown:
        raise BackupError(
            _(
                "Bản sao lưu có %(n)d migration mà phiên bản PCMD này không có (ví dụ %(m)s): hãy "
                "cài phiên bản %(v)s hoặc mới hơn rồi khôi phục."
            )
            % {"n": len(unknown), "m": ".".join(unknown[0]), "v": manifest.get("pcmd_version")}
        )
    behind = known - applied
    if applied and behind:
        warnings.append(
            _(
                "Bản sao lưu còn thiếu %(n)d migration của phiên bản này: chạy `pcmd migrate` sau "
                "khi khôi phục."
            )
            % {"n": len(behind)}
        )
    elif manifest.get("pcmd_version") != _pcmd_version():
        warnings.append(
            _(
                "Bản sao lưu tạo bởi PCMD %(b)s, đây là PCMD %(c)s: chạy `pcmd migrate` sau khi "
                "khôi phục."
            )
            % {"b": manifest.get("pcmd_version"), "c": _pcmd_version()}
        )
    now = _current_counts()
    backup_counts: dict[str, int] = manifest.get("row_counts") or {}
    tables = [(name, now.get(name), n) for name, n in sorted(backup_counts.items())]
    dropped = sorted(set(now) - set(backup_counts))
    current_files = dict(_media_files())
    backup_files: dict[str, dict[str, Any]] = {
        k: v for k, v in (manifest.get("files") or {}).items() if k.startswith(MEDIA_PREFIX)
    }
    added = replaced = unchanged = 0
    for name, info in backup_files.items():
        if name not in current_files:
            added += 1
        elif _sha256_file(current_files[name])[0] == info.get("sha256"):
            unchanged += 1
        else:
            replaced += 1
    removed = len(set(current_files) - set(backup_files))
    return RestorePlan(manifest, tables, dropped, added, replaced, unchanged, removed, warnings)


def _current_counts() -> dict[str, int]:
    if connection.vendor == "sqlite":
        name = _db_name()
        if name != ":memory:" and not Path(name).exists():
            return {}
    return _django_counts()


def backup_restore(path: Path, *, for_real: bool, allow_key_mismatch: bool = False) -> RestorePlan:
    """Check the archive at `path` and, with for_real, replace the database and MEDIA_ROOT."""
    path = Path(path)
    if not for_real:
        manifest = archive_check(path)
        return restore_plan(manifest, allow_key_mismatch=allow_key_mismatch)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Extracted beside MEDIA_ROOT, so that swapping the directories is a rename.
    staging = Path(tempfile.mkdtemp(prefix=".pcmd-restore-", dir=media_root.parent))
    try:
        manifest = archive_check(path, extract_to=staging)
        plan = restore_plan(manifest, allow_key_mismatch=allow_key_mismatch)
        database = staging / str(manifest["database"])
        if manifest["engine"] == "sqlite":
            _restore_sqlite(database)
        else:
            _restore_postgresql(database)
        _swap_media(staging / MEDIA_PREFIX.rstrip("/"), media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return plan


def _restore_sqlite(snapshot: Path) -> None:
    """Copy the snapshot into the live database file with the online backup API: one write
    transaction on the destination, so an interrupted restore leaves the old database (and
    the destination's WAL is handled by SQLite, which a file rename would not do)."""
    target = _db_name()
    connection.close()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(snapshot)
    dest = sqlite3.connect(target, timeout=30)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()


def _restore_postgresql(dump: Path) -> None:
    """Drop the schema and load the dump in one psql transaction (ON_ERROR_STOP: any error
    rolls all of it back and leaves the database as it was)."""
    args, env = _pg_args()
    name = _db_name()
    connection.close()
    script = Path(str(dump) + ".sql")
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "-f", str(script), str(dump)],
        env=env,
        what="pg_restore",
    )
    _run(
        [
            "psql", *args, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
            "-c", "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
            "-f", str(script), "-d", name,
        ],
        env=env,
        what="psql",
    )  # fmt: skip


def _swap_media(new: Path, media_root: Path) -> None:
    new.mkdir(parents=True, exist_ok=True)
    old = None
    if media_root.exists():
        old = media_root.with_name(f".{media_root.name}-before-restore-{os.getpid()}")
        os.replace(media_root, old)
    os.replace(new, media_root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
