"""Fixtures of the backup and fault tests: PCMD run as a separate process on a database file of
its own (a copy of one migrated database with the real hierarchy, built once per session)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Site:
    """A PCMD installation in a temporary directory: PCMD_VAR_DIR with db.sqlite3 and media/."""

    var_dir: Path
    env: dict[str, str]

    @property
    def db(self) -> Path:
        return self.var_dir / "db.sqlite3"

    @property
    def media(self) -> Path:
        return self.var_dir / "media"

    def pcmd(
        self, *args: str, check: bool = True, **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        return run_pcmd(list(args), env=self.env, check=check, **kwargs)

    def popen(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "pcmd", *args],
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def site_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PCMD_", "DATABASE_URL", "DJANGO_", "PYTEST"))
    }
    env.update(
        DEBUG="1",
        PCMD_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_pcmd(
    args: list[str], *, env: dict[str, str], check: bool = True, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pcmd", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"pcmd {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database holding the real hierarchy (≈12,600 units)."""
    var_dir = tmp_path_factory.mktemp("pcmd-template")
    env = site_env(var_dir)
    run_pcmd(["migrate", "--no-input", "-v0"], env=env)
    run_pcmd(["load_orgunits", "-v0"], env=env)
    run_pcmd(["shell", "-c", "from django.db import connection; connection.cursor().execute("
              "'PRAGMA wal_checkpoint(TRUNCATE)')"], env=env)  # fmt: skip
    return var_dir / "db.sqlite3"


@pytest.fixture
def make_site(tmp_path: Path, sqlite_template: Path) -> Any:
    def make(name: str = "site", *, empty: bool = False, **extra: str) -> Site:
        var_dir = tmp_path / name
        var_dir.mkdir()
        if not empty:
            shutil.copyfile(sqlite_template, var_dir / "db.sqlite3")
        return Site(var_dir, site_env(var_dir, **extra))

    return make
