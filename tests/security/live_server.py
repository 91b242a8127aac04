"""A real server in a subprocess (gunicorn, as in production) and a small browser for it.

The durability suite kills the server with SIGKILL in the middle of writes, so the app
must run in processes of its own, on a database of its own, not in the test's process
and transaction.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90  # a loaded 2-core machine can take this long to import the app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`gunicorn app:app` on a free port, in its own process group so SIGKILL takes it all."""

    def __init__(self, database_url: str, instance: Path, secret_key: str, workers: int = 1):
        self.database_url, self.instance, self.secret_key = database_url, instance, secret_key
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {**os.environ, "DATABASE_URL": self.database_url, "SECRET_KEY": self.secret_key,
               "TRAINER_ENV": "development", "TRAINER_INSTANCE_PATH": str(self.instance),
               "RATELIMIT_STORAGE_URI": "memory://", "ARGON2_TIME_COST": "2", "ARGON2_MEMORY_KIB": "19456",
               "ARGON2_PARALLELISM": "1"}
        env.pop("FLASK_DEBUG", None)
        log = open(self.instance / f"server-{self.port}.log", "ab")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and app
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "1", "app:app"],
            cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start: see {log.name}")
            try:
                urllib.request.urlopen(f"{self.url}/login", timeout=5).read()  # noqa: S310 - our own server
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.3)
        self.kill()
        raise RuntimeError(f"the server did not answer within {START_SECONDS} s")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no cleanup, no flush, no goodbye."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, the CSRF token from the pages' forms, and no following of redirects."""

    def __init__(self, server: Server):
        self.server = server
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)
        self.token = ""

    def request(self, method: str, path: str, data: dict | None = None, json_body=None, timeout: float = 30):
        """(status, body, location); connection errors propagate."""
        headers = {}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.update({"Content-Type": "application/json", "X-CSRFToken": self.token,
                            "Accept": "application/json"})
        elif data is not None:
            body = urllib.parse.urlencode({"csrf_token": self.token, **data}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(f"{self.server.url}{path}", data=body, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                status, text, location = response.status, response.read().decode(), response.headers.get("Location")
        except urllib.error.HTTPError as error:
            status, text, location = error.code, error.read().decode(errors="replace"), error.headers.get("Location")
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        return status, text, location

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, **fields):
        return self.request("POST", path, data=fields)

    def log_in(self, email: str, password: str) -> None:
        self.get("/login")
        status, text, _ = self.post("/login", email=email, password=password)
        assert status == 302, (status, text[:300])
        self.get("/dashboard")


def new_secret() -> str:
    return secrets.token_urlsafe(48)
