"""Seal keys come from the environment or a key file; production refuses to start without them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from pcmd.sealing.keys import DEV_BLIND_INDEX_KEY, DEV_SEAL_KEY, seal_keys_from_env

SECRET = "x" * 20 + "a-real-random-value-0123456789"
BLIND = "a-blind-index-key-for-this-test-only-0123456789"
KEY_VARS = ("PCMD_SEAL_KEYS", "PCMD_SEAL_KEY_FILE", "PCMD_BLIND_INDEX_KEY")


@pytest.fixture(autouse=True)
def _no_keys_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_VARS:
        monkeypatch.delenv(name, raising=False)


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", *KEY_VARS}}
    return subprocess.run(
        [sys.executable, "-m", "pcmd", "check"],
        env={**clean, "DEBUG": "0", "SECRET_KEY": SECRET, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_seal_keys() -> None:
    result = _check({"PCMD_BLIND_INDEX_KEY": BLIND})
    assert result.returncode != 0
    assert "PCMD_SEAL_KEYS (or PCMD_SEAL_KEY_FILE) is required" in result.stderr


def test_production_refuses_to_start_without_blind_index_key() -> None:
    result = _check({"PCMD_SEAL_KEYS": Fernet.generate_key().decode()})
    assert result.returncode != 0
    assert "PCMD_BLIND_INDEX_KEY is required" in result.stderr


def test_production_starts_with_keys_from_a_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "pcmd.keys"
    key_file.write_text(
        f"# PCMD keys\nPCMD_SEAL_KEYS={Fernet.generate_key().decode()}\n"
        f"PCMD_BLIND_INDEX_KEY={BLIND}\n",
        encoding="utf-8",
    )
    result = _check({"PCMD_SEAL_KEY_FILE": str(key_file)})
    assert result.returncode == 0, result.stderr


def test_first_key_encrypts_and_all_keys_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PCMD_SEAL_KEYS", f" {new} , {old} ")
    monkeypatch.setenv("PCMD_BLIND_INDEX_KEY", BLIND)
    assert seal_keys_from_env(allow_dev_keys=False) == ([new, old], BLIND)


def test_environment_overrides_the_key_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    in_file, in_env = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key_file = tmp_path / "keys"
    key_file.write_text(f"PCMD_SEAL_KEYS={in_file}\nPCMD_BLIND_INDEX_KEY={BLIND}\n")
    monkeypatch.setenv("PCMD_SEAL_KEY_FILE", str(key_file))
    monkeypatch.setenv("PCMD_SEAL_KEYS", in_env)
    assert seal_keys_from_env(allow_dev_keys=False) == ([in_env], BLIND)


def test_malformed_keys_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PCMD_BLIND_INDEX_KEY", BLIND)
    monkeypatch.setenv("PCMD_SEAL_KEYS", "not-a-fernet-key")
    with pytest.raises(ImproperlyConfigured, match="key 1 is not a Fernet key"):
        seal_keys_from_env(allow_dev_keys=True)
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("PCMD_SEAL_KEYS", key)
    monkeypatch.setenv("PCMD_BLIND_INDEX_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="too short"):
        seal_keys_from_env(allow_dev_keys=True)
    monkeypatch.setenv("PCMD_BLIND_INDEX_KEY", key)
    with pytest.raises(ImproperlyConfigured, match="differ"):
        seal_keys_from_env(allow_dev_keys=True)
    bad_file = tmp_path / "keys"
    bad_file.write_text("SEAL=abc\n")
    monkeypatch.setenv("PCMD_SEAL_KEY_FILE", str(bad_file))
    with pytest.raises(ImproperlyConfigured, match="line 1"):
        seal_keys_from_env(allow_dev_keys=True)


def test_development_keys_only_when_allowed() -> None:
    assert seal_keys_from_env(allow_dev_keys=True) == ([DEV_SEAL_KEY], DEV_BLIND_INDEX_KEY)
    with pytest.raises(ImproperlyConfigured):
        seal_keys_from_env(allow_dev_keys=False)
