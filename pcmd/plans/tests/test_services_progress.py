"""Task progress: evidence type and size checks, all or nothing, status, who may record."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from pcmd.accounts.models import AuditEvent, User
from pcmd.orgunits.models import Agency
from pcmd.plans import services
from pcmd.plans.models import ProgressEvidence, Task, TaskProgress
from pcmd.plans.services.progress import EVIDENCE_MAX_BYTES
from pcmd.plans.tests.factories import import_commune_plan, make_agencies, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20


def ooxml(folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<x/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def task() -> Task:
    return import_commune_plan().tasks.get(number="II.3.2.b")


def test_progress_with_evidence_updates_the_task_status() -> None:
    t = task()
    files = [
        SimpleUploadedFile("bien-ban.pdf", PDF),
        SimpleUploadedFile("anh.png", PNG),
        SimpleUploadedFile("anh2.JPG", JPG),
        SimpleUploadedFile("bao-cao.docx", ooxml("word/")),
        SimpleUploadedFile("so-lieu.xlsx", ooxml("xl/")),
    ]
    progress = services.task_progress_add(
        task=t, on=date(2025, 3, 1), status="in_progress", note="Đã kiểm tra 3 cơ sở",
        files=files, acting_user=None,
    )  # fmt: skip
    t.refresh_from_db()
    assert t.status == "in_progress"
    assert progress.evidence.count() == 5
    assert {e.content_type for e in progress.evidence.all()} >= {"application/pdf", "image/png"}
    assert AuditEvent.objects.filter(object_type="plans.taskprogress").exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận"),
        ("gia.pdf", b"<html>not a pdf</html>", "không phải là tệp PDF thật"),
        ("anh.png", JPG, "không phải là tệp PNG thật"),
        ("zip.docx", ooxml("xl/"), "không phải là tệp DOCX hợp lệ"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(name: str, data: bytes, message: str) -> None:
    t = task()
    good = SimpleUploadedFile("ok.pdf", PDF)
    with pytest.raises(ValidationError) as caught:
        services.task_progress_add(
            task=t, on=date(2025, 3, 1), status="done", note="",
            files=[good, SimpleUploadedFile(name, data)], acting_user=None,
        )  # fmt: skip
    assert message in " ".join(caught.value.messages)
    assert not TaskProgress.objects.exists() and not ProgressEvidence.objects.exists()
    t.refresh_from_db()
    assert t.status == "not_started"


def test_too_large_and_too_many_files_are_refused() -> None:
    t = task()
    big = SimpleUploadedFile("to.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES)
    with pytest.raises(ValidationError, match="10 MB"):
        services.task_progress_add(
            task=t, on=date(2025, 3, 1), status="done", note="", files=[big], acting_user=None
        )
    many = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)]
    with pytest.raises(ValidationError, match="Tối đa 5"):
        services.task_progress_add(
            task=t, on=date(2025, 3, 1), status="done", note="", files=many, acting_user=None
        )
    assert not TaskProgress.objects.exists()


def test_future_date_and_bad_status_are_refused() -> None:
    t = task()
    with pytest.raises(ValidationError):
        services.task_progress_add(
            task=t, on=date(2999, 1, 1), status="done", note="", files=[], acting_user=None
        )
    with pytest.raises(ValidationError):
        services.task_progress_add(
            task=t, on=date(2025, 1, 1), status="half", note="", files=[], acting_user=None
        )


def test_police_records_progress_only_on_tasks_of_its_agency() -> None:
    agencies = make_agencies()
    t = task()  # led by Công an xã
    police = make_user(username="ca", role=User.Role.POLICE, agency=agencies[Agency.Kind.POLICE])
    services.task_progress_add(
        task=t, on=date(2025, 3, 1), status="done", note="", files=[], acting_user=police
    )
    other = t.plan.tasks.get(number="II.1.2.a")  # led by the culture officer
    with pytest.raises(PermissionDenied):
        services.task_progress_add(
            task=other, on=date(2025, 3, 1), status="done", note="", files=[], acting_user=police
        )
    entry = make_user(username="nl", role=User.Role.DATA_ENTRY)
    services.task_progress_add(
        task=other, on=date(2025, 3, 1), status="in_progress", note="", files=[], acting_user=entry
    )
    outsider = make_user(username="ag", unit_code="89")
    with pytest.raises(PermissionDenied):
        services.task_progress_add(
            task=other, on=date(2025, 3, 1), status="done", note="", files=[], acting_user=outsider
        )


def test_an_older_update_does_not_override_the_latest_status() -> None:
    t = task()
    services.task_progress_add(
        task=t, on=date(2025, 5, 1), status="done", note="", files=[], acting_user=None
    )
    services.task_progress_add(
        task=t, on=date(2025, 3, 1), status="in_progress", note="", files=[], acting_user=None
    )
    t.refresh_from_db()
    assert t.status == "done"
