"""Fingerprints of the seal keys, recorded in a backup instead of the keys themselves.

Owns: key_fingerprints(), keys_problem().
Invariants: a fingerprint is HMAC-SHA256(key, a fixed label), cut to 16 bytes: it tells whether
two key sets are the same without revealing a key (HMAC is one-way and the label is public, so
a fingerprint is worth nothing to someone without the key). Never the key itself.
Not here: reading keys from the environment (pcmd.sealing.keys).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

_LABEL = b"pcmd-backup-key-fingerprint-v1"


def _fingerprint(key: str) -> str:
    return hmac.new(key.encode(), _LABEL, hashlib.sha256).hexdigest()[:32]


def key_fingerprints() -> dict[str, Any]:
    """{"seal": [one per key in PCMD_SEAL_KEYS, the primary first], "blind_index": ...}."""
    return {
        "seal": [_fingerprint(key) for key in settings.SEAL_KEYS],
        "blind_index": _fingerprint(str(settings.BLIND_INDEX_KEY)),
    }


def keys_problem(recorded: dict[str, Any]) -> str | None:
    """Why the keys in force cannot read a backup made under `recorded` keys; None if they can.

    Every seal key of the backup must be among today's keys (old rows may still be under an
    older key during a rotation) and the blind-index key must be the same one.
    """
    current = key_fingerprints()
    missing = [fp for fp in recorded.get("seal") or [] if fp not in current["seal"]]
    problems = []
    if missing:
        problems.append(
            _(
                "%(n)d khóa niêm phong (PCMD_SEAL_KEYS) dùng khi sao lưu không có trong các khóa "
                "hiện tại: các trường niêm phong (họ tên, số giấy tờ, số điện thoại, nội dung tin "
                "báo) sẽ không đọc được."
            )
            % {"n": len(missing)}
        )
    if recorded.get("blind_index") != current["blind_index"]:
        problems.append(
            _(
                "Khóa chỉ mục tìm kiếm (PCMD_BLIND_INDEX_KEY) khác với khóa dùng khi sao lưu: "
                "tìm kiếm theo họ tên, số giấy tờ sẽ không ra kết quả."
            )
        )
    return " ".join(problems) or None
