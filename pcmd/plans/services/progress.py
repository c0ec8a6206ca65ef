"""Record the progress of a task, with evidence files checked for type and size.

Owns: task_progress_add(), evidence_check(), EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES,
EVIDENCE_TYPES.
Invariants: all or nothing — every file is checked (extension AND leading bytes, size, count)
before anything is stored, and a failure leaves no update, no file row and no stored file; the
task's status follows its latest update; each update is audited.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.plans.models import ProgressEvidence, Task, TaskProgress
from pcmd.plans.services.common import require_progress

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 5


@dataclass(frozen=True)
class _Type:
    content_type: str
    magic: tuple[bytes, ...]
    zip_member: str = ""  # an OOXML file must hold this folder


EVIDENCE_TYPES: dict[str, _Type] = {
    "pdf": _Type("application/pdf", (b"%PDF-",)),
    "docx": _Type(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
        "word/",
    ),
    "xlsx": _Type(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        "xl/",
    ),
    "jpg": _Type("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": _Type("image/jpeg", (b"\xff\xd8\xff",)),
    "png": _Type("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _read_all(upload: Any) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return bytes(data)


def evidence_check(upload: Any) -> tuple[str, str]:
    """(extension, content type) of an acceptable evidence file; ValidationError otherwise."""
    name = str(getattr(upload, "name", "") or "")
    ext = PurePath(name).suffix.lower().lstrip(".")
    allowed = ", ".join(sorted({e for e in EVIDENCE_TYPES if e != "jpeg"}))
    spec = EVIDENCE_TYPES.get(ext)
    if spec is None:
        raise ValidationError(
            _("Tệp “%(name)s”: chỉ nhận các loại %(types)s.") % {"name": name, "types": allowed}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Tệp “%(name)s” lớn %(mb)s MB, vượt giới hạn 10 MB.")
            % {"name": name, "mb": f"{size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name})
    upload.seek(0)
    head = bytes(upload.read(16))
    upload.seek(0)
    if not any(head.startswith(m) for m in spec.magic):
        raise ValidationError(
            _("Tệp “%(name)s” không phải là tệp %(ext)s thật (nội dung không khớp đuôi tệp).")
            % {"name": name, "ext": ext.upper()}
        )
    if spec.zip_member:
        try:
            with zipfile.ZipFile(io.BytesIO(_read_all(upload))) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            names = []
        if not any(n.startswith(spec.zip_member) for n in names):
            raise ValidationError(
                _("Tệp “%(name)s” không phải là tệp %(ext)s hợp lệ.")
                % {"name": name, "ext": ext.upper()}
            )
    return ext, spec.content_type


@transaction.atomic
def task_progress_add(
    *, task: Task, on: date, status: str, note: str, files: list[Any], acting_user: Any
) -> TaskProgress:
    """Record a dated progress update of `task` with evidence; the task takes its status."""
    require_progress(acting_user, task)
    errors: dict[str, list[str]] = {}
    if status not in Task.Status.values:
        errors["status"] = [_("Trạng thái “%(s)s” không hợp lệ.") % {"s": status}]
    if on > timezone.localdate():
        errors["on"] = [_("Ngày cập nhật không được ở tương lai.")]
    files = list(files or [])
    file_errors: list[str] = []
    if len(files) > EVIDENCE_MAX_FILES:
        file_errors.append(
            _("Tối đa %(n)s tệp minh chứng cho một lần cập nhật (đã chọn %(k)s).")
            % {"n": EVIDENCE_MAX_FILES, "k": len(files)}
        )
    checked: list[tuple[Any, str]] = []
    for upload in files:
        try:
            _ext, content_type = evidence_check(upload)
        except ValidationError as exc:
            file_errors.extend(exc.messages)
            continue
        checked.append((upload, content_type))
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    progress = TaskProgress.objects.create(
        task=task,
        on=on,
        status=status,
        note=(note or "").strip(),
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    stored: list[ProgressEvidence] = []
    try:
        for upload, content_type in checked:
            evidence = ProgressEvidence(
                progress=progress,
                original_name=str(upload.name)[:255],
                content_type=content_type,
                size=int(upload.size),
            )
            evidence.file.save(PurePath(str(upload.name)).name, File(upload), save=True)
            stored.append(evidence)
        latest = task.progress_updates.order_by("-on", "-id").first()
        old_status = task.status
        if latest is not None and latest.pk == progress.pk and task.status != status:
            task.status = status
            task.save(update_fields=["status"])
        audit_record(
            action=AuditEvent.Action.CREATE,
            user=acting_user,
            obj=progress,
            org_unit=task.plan.org_unit,
            detail={
                "task": task.pk,
                "on": on.isoformat(),
                "status": [old_status, task.status],
                "files": [e.original_name for e in stored],
            },
        )
    except Exception:
        for evidence in stored:  # the transaction rolls the rows back; remove the files too
            evidence.file.delete(save=False)
        raise
    return progress
