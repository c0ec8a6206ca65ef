"""PostgreSQL restarted under a running site: while it is down every request fails cleanly (503,
a message, Retry-After; no traceback, no half-written record), and once it is back the same
gunicorn worker serves the same logged-in user again, with no restart of its own.

The cluster is the test's own: `initdb` into a temporary directory and `pg_ctl` on a free
loopback port, never the shared server at 5432. Skipped where PostgreSQL's server programs are
not installed.
"""

from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pcmd.loadtest.runner import process_stop, server_start, server_wait
from pcmd.ops.tests.conftest import run_pcmd, site_env

pytestmark = pytest.mark.slow  # a cluster of its own, a migrated database and gunicorn

PASSWORD = "Mật-khẩu-thử-2025!"  # noqa: S105 (a throwaway cluster's test user)


def _pg_bin() -> Path | None:
    found = shutil.which("pg_config")
    if found:
        bindir = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout  # noqa: S603
        if (Path(bindir.strip()) / "initdb").exists():
            return Path(bindir.strip())
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    bin: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/pcmd"

    def run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")  # fmt: skip
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w",
                 "-o", options, "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="pcmd-pg-restart-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    found = Cluster(pg_bin, root, _free_port())
    found.run("initdb", "-D", str(found.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
              "--no-locale", "--no-sync")  # fmt: skip
    found.start()
    try:
        found.run("createdb", "-h", "127.0.0.1", "-p", str(found.port), "-U", "postgres", "pcmd")
        yield found
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            found.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def _get(opener: urllib.request.OpenerDirector, url: str, **kw: object) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, **kw)  # type: ignore[arg-type]
    try:
        with opener.open(request, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def _log_in(
    opener: urllib.request.OpenerDirector, jar: http.cookiejar.CookieJar, base: str
) -> None:
    status, _headers, _body = _get(opener, f"{base}/accounts/login/")
    assert status == 200
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": "canbo", "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    status, _headers, body = _get(opener, f"{base}/accounts/login/", data=form)
    assert status == 200 and "sessionid" in {c.name for c in jar}, body[-2000:]


def test_site_answers_503_while_postgresql_is_down_and_recovers_by_itself(
    cluster: Cluster, tmp_path: Path
) -> None:
    from cryptography.fernet import Fernet

    env = site_env(
        tmp_path,
        DATABASE_URL=cluster.url,
        DEBUG="0",
        SECRET_KEY="t" * 20 + Fernet.generate_key().decode()[:30],
        PCMD_SEAL_KEYS=Fernet.generate_key().decode(),
        PCMD_BLIND_INDEX_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        AXES_ENABLED="0",
    )
    run_pcmd(["migrate", "--no-input", "-v0"], env=env)
    run_pcmd(["load_orgunits", "-v0"], env=env)
    run_pcmd(["collectstatic", "--no-input", "-v0"], env=env)  # production serves the manifest
    make = ("from pcmd.accounts.tests.factories import make_user; "
            f"make_user(username='canbo', password={PASSWORD!r})")  # fmt: skip
    run_pcmd(["shell", "-v0", "-c", make], env=env)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    server = server_start(host="127.0.0.1", port=port, workers=1, env=env, log=log)
    try:
        assert server_wait(f"{base}/accounts/login/", server), log.read_text()[-3000:]
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        _log_in(opener, jar, base)
        status, _headers, body = _get(opener, f"{base}/plans/")
        assert status == 200, body[-2000:]

        cluster.stop()
        for path in ("/", "/plans/"):
            status, headers, body = _get(opener, f"{base}{path}")
            assert status == 503, (path, status, body[-2000:])
            assert headers.get("Retry-After") == "30"
            assert "không kết nối được cơ sở dữ liệu" in body
            assert "Traceback" not in body and "psycopg" not in body
        status, headers, body = _get(opener, f"{base}/api/plans/")
        assert status == 503
        assert headers.get("Content-Type") == "application/json"
        assert "không kết nối được cơ sở dữ liệu" in json.loads(body)["detail"]

        cluster.start()
        status, _headers, body = _get(opener, f"{base}/plans/")
        assert status == 200, body[-2000:]  # still logged in: the session outlived the restart
        assert 'name="password"' not in body
        assert server.poll() is None
        # One worker booted, at the start: nothing restarted it.
        assert len(re.findall(r"Booting worker", log.read_text())) == 1, log.read_text()[-3000:]
    finally:
        process_stop(server)
