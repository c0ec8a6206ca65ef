"""Settings come from the environment, and production refuses to start without a real key."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from pcmd.common.env import env_bool, env_int


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    dropped = {
        "SECRET_KEY",
        "DEBUG",
        "PCMD_SEAL_KEYS",
        "PCMD_SEAL_KEY_FILE",
        "PCMD_BLIND_INDEX_KEY",
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "pcmd", "check"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_refuses_an_insecure_secret_key() -> None:
    result = _check({"DEBUG": "0", "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "too short" in result.stderr


def test_production_starts_with_a_real_secret_key() -> None:
    result = _check(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "a-real-random-value-0123456789",
            "PCMD_SEAL_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE=",
            "PCMD_BLIND_INDEX_KEY": "a-blind-index-key-for-this-test-only-0123456789",
        }
    )
    assert result.returncode == 0, result.stderr


def test_malformed_boolean_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCMD_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PCMD_X"):
        env_bool("PCMD_X")
    monkeypatch.setenv("PCMD_Y", "12a")
    with pytest.raises(ImproperlyConfigured, match="PCMD_Y"):
        env_int("PCMD_Y", 1)


_PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "a-real-random-value-0123456789",
    "PCMD_SEAL_KEYS": "Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtb2Yta2V5ISE=",
    "PCMD_BLIND_INDEX_KEY": "a-blind-index-key-for-this-test-only-0123456789",
}


def _cache_backend(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PCMD_CACHE"}}
    return subprocess.run(
        [sys.executable, "-m", "pcmd", "shell", "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_shares_its_cache_between_processes() -> None:
    """Rate limits count in the cache: gunicorn's workers must see one counter, not three."""
    result = _cache_backend(_PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.db.DatabaseCache"


def test_an_unknown_cache_kind_is_refused() -> None:
    result = _cache_backend({**_PRODUCTION, "PCMD_CACHE": "redis"})
    assert result.returncode != 0
    assert "PCMD_CACHE" in result.stderr
