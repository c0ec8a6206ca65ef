"""Writing files so that a reader never sees half of one: a temporary file renamed when complete.

Owns: atomic_write() (a context manager for a path on disk), AtomicFileSystemStorage (the
default storage: every saved upload goes through a temporary file), DiskFullError,
disk_full_message(), DiskFullMiddleware (a full disk during a request: status 507 and the
message, as a page or, under /api/, as JSON).
Invariants: the temporary file sits in the destination's directory (the rename is atomic on
one file system) and is removed on any failure, so an OSError(ENOSPC) half-way leaves no partial
file; a full disk becomes DiskFullError with a Vietnamese message for users.
Not here: what is written (callers), the archive of a backup (pcmd.ops.backup, which uses this).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


class DiskFullError(OSError):
    """The disk (or the user's quota) filled up while writing; nothing was kept."""

    def __str__(self) -> str:
        return str(self.strerror)


def disk_full_message() -> str:
    return _(
        "Ổ đĩa của máy chủ đã đầy nên không ghi được tệp; không có tệp dở dang nào được giữ lại. "
        "Hãy báo quản trị hệ thống giải phóng dung lượng rồi thử lại."
    )


def _is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


@contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: str = "wb", *, overwrite: bool = True
) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` for writing; on success it is flushed, synced and
    renamed to `path`; on any exception it is removed (ENOSPC becomes DiskFullError).

    With overwrite=False an existing `path` is never replaced: FileExistsError instead."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if target exists, unlike a rename
            os.unlink(tmp)
    except OSError as exc:
        _remove(tmp)
        if _is_disk_full(exc):
            raise DiskFullError(exc.errno, disk_full_message()) from exc
        raise
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose saves write a temporary file and rename it when complete.

    Django's own _save opens the final name and writes into it chunk by chunk, so a full disk
    leaves a truncated file under the final name; here the final name appears only complete.
    """

    def _save(self, name: str, content: Any) -> str:
        while True:
            full_path = self.path(name)
            try:
                with atomic_write(full_path, overwrite=False) as fh:
                    if hasattr(content, "temporary_file_path"):
                        with open(content.temporary_file_path(), "rb") as src:
                            while chunk := src.read(1 << 20):
                                fh.write(chunk)
                    else:
                        if hasattr(content, "seek"):
                            content.seek(0)
                        for chunk in content.chunks():
                            fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            except FileExistsError:
                # Another save took the name between get_available_name() and now.
                name = self.get_available_name(name)
                continue
            if self.file_permissions_mode is not None:
                os.chmod(full_path, self.file_permissions_mode)
            return str(name).replace("\\", "/")


class DiskFullMiddleware:
    """Answer a request that filled the disk with status 507 and a message users understand.

    The view's transaction (every service that writes files is atomic) has rolled back by then
    and the file being written was removed by atomic_write, so nothing is half-kept.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DiskFullError):
            return None
        message = disk_full_message()
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=507)
        html = render_to_string("507.html", {"message": message}, request=request)
        return HttpResponse(html, status=507)
