"""A full disk while PCMD writes a file (an evidence upload, an import upload, a backup archive):
a clear Vietnamese message, nothing half-written, no partial file left behind."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from pcmd.common import atomic
from pcmd.common.atomic import DiskFullError, atomic_write
from pcmd.jobs.models import Job
from pcmd.outreach import views as outreach_views
from pcmd.outreach.models import OutreachAttachment, OutreachEvent
from pcmd.outreach.tests.factories import coordinator, hoang_hop_with_villages, xlsx_bytes

FULL = "Ổ đĩa của máy chủ đã đầy"


class _FullDisk:
    """A file that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self._real, self._room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._real.write(data[: self._room])  # a full disk keeps what fitted
            self._room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._real.write(data))

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._real.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every file opened through pcmd.common.atomic fills the disk after `room` bytes."""

    def fill_after(room: int) -> None:
        real_fdopen = os.fdopen
        monkeypatch.setattr(
            atomic.os, "fdopen", lambda fd, mode: _FullDisk(real_fdopen(fd, mode), room)
        )

    return fill_after


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_atomic_write_renames_only_a_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half")
        raise RuntimeError("stopped")
    assert target.read_bytes() == b"old" and _files(tmp_path) == ["out.bin"]
    with atomic_write(target) as fh:
        fh.write(b"new and complete")
    assert target.read_bytes() == b"new and complete" and _files(tmp_path) == ["out.bin"]


def test_a_full_disk_leaves_no_partial_file_and_says_so(tmp_path: Path, disk_full: Any) -> None:
    disk_full(10)
    target = tmp_path / "sub" / "out.bin"
    with pytest.raises(DiskFullError) as full, atomic_write(target) as fh:
        fh.write(b"x" * 100)
    assert full.value.errno == errno.ENOSPC
    assert str(full.value).startswith(FULL) and "thử lại" in str(full.value)
    assert _files(tmp_path) == []


@pytest.mark.django_db
def test_storage_save_on_a_full_disk_keeps_nothing(
    settings: Any, tmp_path: Path, disk_full: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    disk_full(1000)
    with pytest.raises(DiskFullError):
        default_storage.save("outreach/imports/x.xlsx", ContentFile(b"x" * 5000))
    assert _files(tmp_path) == []


@pytest.mark.django_db
def test_evidence_upload_on_a_full_disk_is_a_507_page_with_nothing_kept(
    client: Client, settings: Any, tmp_path: Path, disk_full: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    commune = hoang_hop_with_villages()
    client.force_login(coordinator())
    disk_full(16)
    photo = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
    response = client.post(
        reverse("outreach:create"),
        {"date": "2025-03-10", "commune": commune.pk, "form": "banner", "topic": "Pa nô",
         "attachments": [photo]},
    )  # fmt: skip
    assert response.status_code == 507
    assert FULL in response.content.decode()
    assert not OutreachEvent.objects.exists() and not OutreachAttachment.objects.exists()
    assert _files(tmp_path) == []


@pytest.mark.django_db
def test_import_upload_on_a_full_disk_queues_no_job(
    client: Client, settings: Any, tmp_path: Path, disk_full: Any, monkeypatch: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(outreach_views, "DIRECT_IMPORT_MAX_ROWS", 1)  # any file goes to a job
    commune = hoang_hop_with_villages()
    client.force_login(coordinator())
    row = ["10/03/2025", None, "meeting", "Họp thôn", None, None, 10, None, None]
    upload = io.BytesIO(xlsx_bytes([row, row]))
    upload.name = "tuyen-truyen.xlsx"
    disk_full(100)
    response = client.post(reverse("outreach:import"), {"commune": commune.pk, "file": upload})
    assert response.status_code == 507 and FULL in response.content.decode()
    assert not Job.objects.exists()
    assert _files(tmp_path) == []


@pytest.mark.django_db
def test_backup_on_a_full_disk_leaves_no_archive(
    tmp_path: Path, disk_full: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcmd.ops import backup

    def snapshot(dest: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
        dest.write_bytes(os.urandom(200_000))  # incompressible: the archive outgrows the room
        return {"t": 1}, {}

    monkeypatch.setattr(backup, "_snapshot_sqlite", snapshot)
    monkeypatch.setattr(backup, "_snapshot_postgresql", snapshot)
    disk_full(50_000)
    with pytest.raises(CommandError, match=FULL):
        call_command("backup", str(tmp_path / "backup.tar.gz"))
    assert _files(tmp_path) == []


def test_restore_on_a_full_disk_says_so_rather_than_blaming_the_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import json
    import tarfile

    from pcmd.ops import backup

    archive = tmp_path / "b.tar.gz"
    data = os.urandom(5000)
    files = {"media/a": {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}}
    manifest = json.dumps({"format": "pcmd-backup", "format_version": 1, "files": files}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in (("manifest.json", manifest), ("media/a", data)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    assert backup.archive_check(archive)["files"]["media/a"]["size"] == 5000
    monkeypatch.setattr(backup, "_open_for_write", lambda path: _FullDisk(path.open("wb"), 100))
    with pytest.raises(DiskFullError, match=FULL):
        backup.archive_check(archive, extract_to=tmp_path / "x")
