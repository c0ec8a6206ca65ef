"""`pcmd backup` and `pcmd restore`, run as separate processes on sites of their own: a restore
into an empty database gives back every row of every table and every file, byte for byte; a
corrupt archive or the wrong keys change nothing; no key and no sealed plaintext is in a backup.
Each test starts several PCMD processes (a few seconds each), hence slow."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from pcmd.ops.backup import BackupError, archive_check
from pcmd.ops.tests.conftest import Site, pg_base_url, run_pcmd, site_env, with_db
from pcmd.ops.tests.populate import FILE_BYTES, SECRET_CONTENT, SECRET_NAME

pytestmark = pytest.mark.slow

POPULATE = "from pcmd.ops.tests.populate import populate; populate()"
READ_TIP = "from pcmd.tips.models import Tip; t = Tip.objects.get(); print(t.reporter_name)"


def _sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608
            for t in tables
        }
    finally:
        conn.close()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def populated(make_site: Any) -> Site:
    site: Site = make_site("source")
    site.pcmd("shell", "-v0", "-c", POPULATE)
    return site


def test_restore_into_an_empty_database_gives_back_every_table_and_file(
    populated: Site, make_site: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    out = populated.pcmd("backup", str(archive)).stdout
    assert "Đã sao lưu" in out and "KHÔNG có trong tệp sao lưu" in out

    target: Site = make_site("target", empty=True)
    dry = target.pcmd("restore", str(archive))
    assert "Chưa thay đổi gì" in dry.stdout
    assert "tips_tip: - -> 1" in dry.stdout
    assert "1 thêm, 0 thay, 0 giữ nguyên, 0 xóa" in dry.stdout
    assert not target.db.exists() and not target.media.exists()

    real = target.pcmd("restore", str(archive), "--for-real")
    assert "Đã khôi phục xong" in real.stdout
    source_rows, target_rows = _sqlite_rows(populated.db), _sqlite_rows(target.db)
    assert source_rows.keys() == target_rows.keys()
    for table in source_rows:
        assert target_rows[table] == source_rows[table], table
    assert len(source_rows["orgunits_orgunit"]) > 10_000
    assert len(source_rows["tips_tip"]) == 1
    source_files = _files(populated.media)
    assert list(source_files.values()) == [FILE_BYTES]
    assert _files(target.media) == source_files
    # The restored site reads its sealed field with the same keys.
    assert target.pcmd("shell", "-v0", "-c", READ_TIP).stdout.strip() == SECRET_NAME


def test_restore_replaces_an_existing_database_and_its_files(
    populated: Site, make_site: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    populated.pcmd("backup", str(archive))
    target: Site = make_site("target")
    (target.media / "old").mkdir(parents=True)
    (target.media / "old" / "stale.txt").write_text("cũ")
    target.pcmd("shell", "-c", "from pcmd.accounts.tests.factories import make_user; "
                "make_user(username='chi_o_dich')")  # fmt: skip
    dry = target.pcmd("restore", str(archive)).stdout
    assert "1 thêm, 0 thay, 0 giữ nguyên, 1 xóa" in dry
    target.pcmd("restore", str(archive), "--for-real")
    assert _sqlite_rows(target.db) == _sqlite_rows(populated.db)
    assert _files(target.media) == _files(populated.media)


def test_no_key_and_no_sealed_plaintext_is_in_the_archive(make_site: Any, tmp_path: Path) -> None:
    seal_key, blind_key = Fernet.generate_key().decode(), "b" * 20 + os.urandom(12).hex()
    site: Site = make_site("source", PCMD_SEAL_KEYS=seal_key, PCMD_BLIND_INDEX_KEY=blind_key)
    site.pcmd("shell", "-v0", "-c", POPULATE)
    archive = tmp_path / "backup.tar.gz"
    site.pcmd("backup", str(archive))
    raw = gzip.decompress(archive.read_bytes())
    for secret in (seal_key, blind_key, SECRET_NAME, SECRET_CONTENT, "0912345678"):
        assert secret.encode() not in raw
    assert b"0912345678" not in raw
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["engine"] == "sqlite"
    assert manifest["row_counts"]["tips_tip"] == 1
    assert set(manifest["keys"]) == {"seal", "blind_index"}
    assert manifest["migrations"]["tips"]
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())

    # Restored under other keys: refused, nothing touched ...
    other: Site = make_site(
        "other",
        empty=True,
        PCMD_SEAL_KEYS=Fernet.generate_key().decode(),
        PCMD_BLIND_INDEX_KEY="c" * 40,
    )
    refused = other.pcmd("restore", str(archive), "--for-real", check=False)
    assert refused.returncode != 0
    assert "khóa niêm phong (PCMD_SEAL_KEYS)" in refused.stderr
    assert "--allow-key-mismatch" in refused.stderr
    assert not other.db.exists()
    # ... and when forced, the rows come back but the sealed fields cannot be read.
    forced = other.pcmd("restore", str(archive), "--for-real", "--allow-key-mismatch")
    assert "Cảnh báo" in forced.stdout
    unreadable = other.pcmd("shell", "-v0", "-c", READ_TIP, check=False)
    assert unreadable.returncode != 0 and "SealedValueError" in unreadable.stderr
    assert SECRET_NAME not in unreadable.stdout + unreadable.stderr
    # With its own key the same archive reads.
    right: Site = make_site("right", empty=True, PCMD_SEAL_KEYS=seal_key,
                            PCMD_BLIND_INDEX_KEY=blind_key)  # fmt: skip
    right.pcmd("restore", str(archive), "--for-real")
    assert right.pcmd("shell", "-v0", "-c", READ_TIP).stdout.strip() == SECRET_NAME


def _damaged_copies(archive: Path, tmp_path: Path) -> dict[str, Path]:
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(data[: len(data) // 2])
    flipped = tmp_path / "flipped.tar.gz"
    middle = len(data) // 2
    flipped.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    # A well-formed archive whose uploaded file is not the one the manifest describes.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("media/"):
                content = content[:-1] + b"!"
            member.size = len(content)
            dst.addfile(member, io.BytesIO(content))
    empty = tmp_path / "empty.tar.gz"
    empty.write_bytes(b"")
    return {"truncated": truncated, "flipped": flipped, "tampered": tampered, "empty": empty}


def test_a_corrupt_or_truncated_archive_is_refused_before_anything_changes(
    populated: Site, make_site: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    populated.pcmd("backup", str(archive))
    damaged = _damaged_copies(archive, tmp_path)
    for kind, path in damaged.items():
        with pytest.raises(BackupError, match="bị hỏng hoặc không đầy đủ") as refused:
            archive_check(path, extract_to=tmp_path / f"x-{kind}")
        assert "không thay đổi gì" in str(refused.value)
    with pytest.raises(BackupError, match="tổng kiểm tra của “media/"):
        archive_check(damaged["tampered"])
    assert archive_check(archive)["engine"] == "sqlite"

    # The command refuses before touching the database or the files, dry run or not.
    target: Site = make_site("target")
    target.media.mkdir()
    (target.media / "keep.txt").write_text("giữ nguyên")
    before_db, before_files = _sha(target.db), _files(target.media)
    for kind, extra in (("truncated", []), ("tampered", ["--for-real"])):
        done = target.pcmd("restore", str(damaged[kind]), *extra, check=False)
        assert done.returncode != 0, kind
        assert "bị hỏng hoặc không đầy đủ" in done.stderr, (kind, done.stderr)
    assert _sha(target.db) == before_db
    assert _files(target.media) == before_files
    leftovers = [p.name for p in target.var_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_sqlite_backup_is_refused_by_another_engine(populated: Site, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    populated.pcmd("backup", str(archive))
    env = site_env(tmp_path / "pg", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    done = run_pcmd(["restore", str(archive)], env=env, check=False)
    assert done.returncode != 0
    assert "không khôi phục được sang loại khác" in done.stderr


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        rows = {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)  # noqa: S608
            for t in tables
        }
        rows["(sequences)"] = sorted(
            conn.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall(),
            key=repr,
        )
        return rows


@pytest.mark.slow
def test_postgresql_restore_into_an_empty_database_gives_back_every_table_and_file(
    tmp_path: Path,
) -> None:
    base = pg_base_url()
    if base is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    import psycopg

    names = ("pcmd_backup_src", "pcmd_backup_dst")
    admin = with_db(base, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        src_url, dst_url = (with_db(base, n) for n in names)
        source = Site(tmp_path / "source", site_env(tmp_path / "source", DATABASE_URL=src_url))
        target = Site(tmp_path / "target", site_env(tmp_path / "target", DATABASE_URL=dst_url))
        source.pcmd("migrate", "--no-input", "-v0")
        source.pcmd("load_orgunits", "-v0")
        source.pcmd("shell", "-v0", "-c", POPULATE)
        archive = tmp_path / "backup.tar.gz"
        source.pcmd("backup", str(archive))
        raw = gzip.decompress(archive.read_bytes())
        assert SECRET_NAME.encode() not in raw

        dry = target.pcmd("restore", str(archive))
        assert "tips_tip: - -> 1" in dry.stdout
        assert _pg_rows(dst_url) == {"(sequences)": []}
        target.pcmd("restore", str(archive), "--for-real")
        source_rows, target_rows = _pg_rows(src_url), _pg_rows(dst_url)
        assert source_rows.keys() == target_rows.keys()
        for table in source_rows:
            assert target_rows[table] == source_rows[table], table
        assert len(source_rows["orgunits_orgunit"]) > 10_000
        assert _files(target.media) == _files(source.media) != {}
        assert target.pcmd("shell", "-v0", "-c", READ_TIP).stdout.strip() == SECRET_NAME
        # A second restore over the now populated database gives the same result.
        target.pcmd("restore", str(archive), "--for-real")
        assert _pg_rows(dst_url) == source_rows
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
