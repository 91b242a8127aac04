"""gunicorn servers for the load bench: the app and the bare hello app, started the same way."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
HOST = "127.0.0.1"


def recommended_workers() -> int:
    """The README's recommendation for sync workers: two per CPU core."""
    return 2 * (os.cpu_count() or 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _answers(port: int, path: str) -> bool:
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        return status < 500
    except OSError:
        return False


@contextlib.contextmanager
def gunicorn(app: str, *, workers: int, env: dict | None = None, chdir: Path = ROOT,
             probe: str = "/", log: Path | None = None):
    """Serve `app` (module:variable) with gunicorn's sync workers on a free port; yields the port."""
    port = free_port()
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--workers", str(workers), "--bind", f"{HOST}:{port}",
         "--chdir", str(chdir), "--log-level", "warning"],
        env={**os.environ, **(env or {})}, stdout=output, stderr=output,
    )
    try:
        deadline = time.monotonic() + 60
        while not _answers(port, probe):
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with status {process.returncode}"
                                   + (f"; see {log}" if log else ""))
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {app} did not answer within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()
