"""The keys that seal identifying fields and key the blind index.

Owns: reading the keys from the environment or a key file (seal_keys_from_env()), and the
process-wide MultiFernet and blind-index key built from settings.SEAL_KEYS /
settings.BLIND_INDEX_KEY (multi_fernet(), primary_fernet(), blind_index_key()).
Invariants: with DEBUG off (and outside pytest) the process refuses to start without real keys;
the first seal key encrypts and every listed key decrypts (rotation); the blind-index key is
never one of the seal keys. This module imports no model, so settings.py can call it.
Not here: encrypting a field (fields.py), hashing a value (blind.py), re-encrypting rows
(management/commands/rotate_seal_keys.py).
"""

from __future__ import annotations

import base64
import hashlib
import os
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.core.exceptions import ImproperlyConfigured

SEAL_KEYS_VAR = "PCMD_SEAL_KEYS"
KEY_FILE_VAR = "PCMD_SEAL_KEY_FILE"
BLIND_KEY_VAR = "PCMD_BLIND_INDEX_KEY"
MIN_BLIND_KEY_LENGTH = 32


def _dev_key(label: str) -> str:
    # Fixed, public, and therefore only for DEBUG and tests.
    digest = hashlib.sha256(f"pcmd-development-only-{label}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


DEV_SEAL_KEY = _dev_key("seal")
DEV_BLIND_INDEX_KEY = _dev_key("blind-index")


def generate_seal_key() -> str:
    return Fernet.generate_key().decode()


def _read_key_file(path: str) -> dict[str, str]:
    """A key file holds the same NAME=value lines as the environment (comments with #)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"{KEY_FILE_VAR}: cannot read {path!r}: {exc}") from exc
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or name not in {SEAL_KEYS_VAR, BLIND_KEY_VAR}:
            raise ImproperlyConfigured(
                f"{KEY_FILE_VAR}: line {number} of {path!r} must be "
                f"{SEAL_KEYS_VAR}=... or {BLIND_KEY_VAR}=..."
            )
        values[name] = value.strip()
    return values


def parse_seal_keys(raw: str) -> list[str]:
    keys = [item.strip() for item in raw.split(",") if item.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{SEAL_KEYS_VAR}: key {position} is not a Fernet key (32 url-safe base64 "
                "bytes); make one with: pcmd generate_seal_key"
            ) from exc
    return keys


def seal_keys_from_env(*, allow_dev_keys: bool) -> tuple[list[str], str]:
    """Return (seal keys, blind-index key): environment first, then the key file.

    Without keys, DEBUG and test runs get the fixed development keys; production stops.
    """
    from_file = _read_key_file(os.environ[KEY_FILE_VAR]) if os.environ.get(KEY_FILE_VAR) else {}
    raw_seal = os.environ.get(SEAL_KEYS_VAR) or from_file.get(SEAL_KEYS_VAR, "")
    blind = os.environ.get(BLIND_KEY_VAR) or from_file.get(BLIND_KEY_VAR, "")
    seal_keys = parse_seal_keys(raw_seal)
    if not seal_keys:
        if not allow_dev_keys:
            raise ImproperlyConfigured(
                f"{SEAL_KEYS_VAR} (or {KEY_FILE_VAR}) is required when DEBUG is off: it "
                "encrypts names, ID numbers and phone numbers. Make a key with "
                "`pcmd generate_seal_key` and keep it outside the database backups."
            )
        seal_keys = [DEV_SEAL_KEY]
    if not blind:
        if not allow_dev_keys:
            raise ImproperlyConfigured(
                f"{BLIND_KEY_VAR} is required when DEBUG is off: it keys the search hashes of "
                f"names and ID numbers (at least {MIN_BLIND_KEY_LENGTH} random characters, "
                "different from the seal keys)."
            )
        blind = DEV_BLIND_INDEX_KEY
    if len(blind) < MIN_BLIND_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"{BLIND_KEY_VAR} is too short: use at least {MIN_BLIND_KEY_LENGTH} random characters."
        )
    if blind in seal_keys:
        raise ImproperlyConfigured(f"{BLIND_KEY_VAR} must differ from every seal key.")
    return seal_keys, blind


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


@lru_cache(maxsize=8)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def _settings_keys() -> tuple[str, ...]:
    from django.conf import settings

    keys = tuple(settings.SEAL_KEYS)
    if not keys:
        raise ImproperlyConfigured("settings.SEAL_KEYS is empty.")
    return keys


def multi_fernet() -> MultiFernet:
    """Encrypts with the first key of settings.SEAL_KEYS, decrypts with any of them."""
    return _multi_fernet(_settings_keys())


def primary_fernet() -> Fernet:
    return _fernet(_settings_keys()[0])


def blind_index_key() -> bytes:
    from django.conf import settings

    return str(settings.BLIND_INDEX_KEY).encode()
