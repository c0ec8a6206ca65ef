"""Fixtures of the backup and fault tests: PCMD run as a separate process on a database of its
own (a copy of one migrated database with the real hierarchy, built once per session): a SQLite
file, or, when DATABASE_URL points at PostgreSQL, a database created from a template database
(pcmd_fault_template) and dropped afterwards."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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

    @property
    def engine(self) -> str:
        return "sqlite" if self.env["DATABASE_URL"].startswith("sqlite") else "postgresql"

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of `sql` (placeholders %s) read straight from the site's database."""
        if self.engine == "sqlite":
            conn = sqlite3.connect(self.db)
            try:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as pg:
            return pg.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def one(self, sql: str, *params: Any) -> Any:
        return self.query(sql, *params)[0][0]

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


def pg_base_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def pg_recreate(
    base: str, name: str, *, template: str | None = None, drop_only: bool = False
) -> None:
    import psycopg

    with psycopg.connect(with_db(base, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            extra = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{extra}')


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated PostgreSQL database with the real hierarchy, to copy with CREATE DATABASE."""
    base = pg_base_url()
    if base is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    name = "pcmd_fault_template"
    pg_recreate(base, name)
    env = site_env(tmp_path_factory.mktemp("pcmd-pg-template"), DATABASE_URL=with_db(base, name))
    run_pcmd(["migrate", "--no-input", "-v0"], env=env)
    run_pcmd(["load_orgunits", "-v0"], env=env)
    yield name
    pg_recreate(base, name, drop_only=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_site(request: pytest.FixtureRequest, make_site: Any, tmp_path: Path) -> Iterator[Site]:
    """A populated-hierarchy site on each engine (PostgreSQL skipped unless DATABASE_URL is)."""
    if request.param == "sqlite":
        yield make_site()
        return
    template = request.getfixturevalue("pg_template")
    base = pg_base_url()
    assert base is not None
    name = "pcmd_fault_site"
    pg_recreate(base, name, template=template)
    var_dir = tmp_path / "pg-site"
    var_dir.mkdir()
    yield Site(var_dir, site_env(var_dir, DATABASE_URL=with_db(base, name)))
    pg_recreate(base, name, drop_only=True)
