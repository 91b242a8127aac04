"""Fixtures for the browser tests: a real server on a throwaway database, and Chromium.

The server is the real app (`flask --app app run`) in a subprocess, on a free port of
127.0.0.1, with its own instance folder and SQLite database in a temporary directory:
the real `instance/` folder is never read or written. The database is prepared the way
an operator prepares one (`flask trainer init --no-demo`, then `flask trainer
create-user`), plus two small quizzes (one with a time limit). Under xdist each worker
that runs a browser test starts its own server. The server is stopped when the session
ends, at exit if the session is cut short, and by the kernel if the test process is killed.

The browser is the system Chromium at /usr/bin/chromium, driven by Playwright; no
browser is ever downloaded. Without Chromium or without the playwright package the browser
tests are left out of the run, and the suite's summary says in one line how to get them
(tests/conftest.py); a test that asks for the browser anyway is skipped with the reason.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.pages import PASSWORD
from tests.e2e.requirements import CHROMIUM, missing_requirement

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LEARNER = "e2e-learner@example.org"
INSTRUCTOR = "e2e-instructor@example.org"
TIMED_QUIZ = "e2e-timed"
TIMED_QUIZ_MINUTES = 5  # the page warns from 5 minutes left, so the warning shows at once
# One shipped question, graded at once, whose key comes with worked steps (a calculation
# family; questions answered by a bare formula have an explanation but no steps).
FEEDBACK_QUIZ = "e2e-feedback"
# Completes a quiz, a knowledge check and the calculator from the keyboard (test_keyboard.py).
KEYBOARD_LEARNER = "e2e-keyboard@example.org"
KEYBOARD_QUIZ = "e2e-keyboard"  # one question of each answer kind, made by seed_site.py
# The people whose every page the page audit visits (tests/e2e/seed_site.py gives them a
# history); their own accounts, so the other browser tests never see their answers.
AUDIT_PEOPLE = {
    "student": "audit-student@example.org",
    "technician": "audit-technician@example.org",
    "instructor": "audit-instructor@example.org",
    "admin": "audit-admin@example.org",
}

# Seconds: one command of the setup, the server's first answer, one browser action.
COMMAND_TIMEOUT = 600  # a guard against a hang, not a speed check: a busy machine imports slowly
STARTUP_TIMEOUT = 30
ACTION_TIMEOUT_MS = 10_000

# Two quizzes the shipped content lacks, saved straight into the database: one with a time
# limit, and one whose only question is known.
SEED_QUIZZES = f"""
from trainer import create_app
from trainer.services.questions import save_quiz
from trainer.database import writing
from trainer.extensions import db

app = create_app()
with app.app_context(), writing():
    save_quiz({{
        "slug": "{TIMED_QUIZ}",
        "title": "E2E timed quiz",
        "description": "A quiz with a time limit, made by the browser tests.",
        "pass_mark": 80,
        "time_limit_minutes": {TIMED_QUIZ_MINUTES},
        "feedback": "deferred",
        "show_answers": "after_submit",
        "items": [{{"question": "calc-conv-005"}}, {{"draw": 1, "tags": ["metric"], "type": "calculated"}}],
    }}, source="tests/e2e")
    save_quiz({{
        "slug": "{FEEDBACK_QUIZ}",
        "title": "E2E feedback quiz",
        "description": "One question, checked as you go, made by the browser tests.",
        "pass_mark": 80,
        "feedback": "immediate",
        "show_answers": "immediately",
        "items": [{{"question": "calc-conv-005"}}],
    }}, source="tests/e2e")
    db.session.commit()
"""


@pytest.fixture(scope="session")
def e2e_requirements():
    """Skip (every test that uses it, with the reason) when Chromium or playwright is missing."""
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)


# ---- the server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    instance_path: Path
    learner: str = LEARNER
    instructor: str = INSTRUCTOR
    password: str = PASSWORD
    timed_quiz: str = TIMED_QUIZ
    feedback_quiz: str = FEEDBACK_QUIZ
    keyboard_learner: str = KEYBOARD_LEARNER
    keyboard_quiz: str = KEYBOARD_QUIZ
    people: tuple[tuple[str, str], ...] = tuple(AUDIT_PEOPLE.items())  # (role, email)


def _server_env(instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    for name in ("DATABASE_URL", "CONTENT_ROOT", "TRUSTED_PROXIES", "SECURE_COOKIES"):
        env.pop(name, None)
    env.update(
        TRAINER_INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'e2e.db'}",
        TRAINER_ENV="development",
        SECRET_KEY="e2e-secret-key-Jq7vR2pXw9LmT4cZk8Hb3NfY6dGs1UaE",
        RATELIMIT_STORAGE_URI="memory://",
        # the cheapest password hashing the app accepts (OWASP's argon2id floor)
        ARGON2_TIME_COST="2",
        ARGON2_MEMORY_KIB="19456",
        ARGON2_PARALLELISM="1",
        PYTHONUNBUFFERED="1",
        # The setup commands write at the same time (tests/e2e/seed_site.py for a while):
        # on a busy machine a writer may wait longer than the default 5 s for the lock.
        SQLITE_BUSY_TIMEOUT_MS="60000",
    )
    return env


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app", *args]


# Runs a command so that the kernel sends it SIGTERM if the test process dies, even by
# kill -9 (Linux prctl PR_SET_PDEATHSIG, kept across exec); elsewhere it simply runs it.
DIE_WITH_PARENT = """
import ctypes, os, signal, sys
parent = int(sys.argv[1])
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
except (OSError, AttributeError):
    pass
if os.getppid() != parent:  # the test process is already gone
    sys.exit(1)
os.execv(sys.argv[2], sys.argv[2:])
"""


def _die_with_parent(cmd: list[str]) -> list[str]:
    return [sys.executable, "-c", DIE_WITH_PARENT, str(os.getpid()), *cmd]


def _run(cmd: list[str], env: dict, log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                timeout=COMMAND_TIMEOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[2:])} failed (exit {result.returncode}); see {log}")


@contextlib.contextmanager
def _running_together(commands: list[list[str]], env: dict, log: Path):
    """Run independent setup commands in the background; on leaving, wait and fail if any failed."""
    procs = []
    try:
        for n, cmd in enumerate(commands):
            out = (log.parent / f"{log.stem}-{n}.log").open("wb")
            procs.append((cmd, out, subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out,
                                                     stderr=subprocess.STDOUT)))
        yield
        for cmd, out, proc in procs:
            code = proc.wait(timeout=COMMAND_TIMEOUT)
            if code != 0:
                raise RuntimeError(f"{' '.join(cmd[2:5])} failed (exit {code}); see {out.name}")
    finally:
        for _, out, proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            out.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and anything it started (it leads its own process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _start_server(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    """Start `flask run` on a free port; try another port if the one chosen was taken meanwhile."""
    for _ in range(3):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        out = log.open("ab")
        proc = subprocess.Popen(
            _die_with_parent(_flask("run", "--host", "127.0.0.1", "--port", str(port),
                                    "--no-reload", "--no-debugger")),
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        out.close()
        atexit.register(_stop, proc)  # also when the session ends without running finalizers
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if _answers(url + "/"):
                return proc, url
            time.sleep(0.1)
        _stop(proc)
    raise RuntimeError(f"the e2e server did not start; see {log}")


@pytest.fixture(scope="session")
def server(e2e_requirements, tmp_path_factory):
    """The running app: its base URL and the accounts it was given."""
    instance = tmp_path_factory.mktemp("e2e-instance")
    assert instance.resolve() != (ROOT / "instance").resolve()
    env = _server_env(instance)
    log = instance / "setup.log"
    _run(_flask("trainer", "init", "--no-demo"), env, log)
    assert (instance / "e2e.db").is_file(), "init did not use the temporary database"
    setup = [
        _flask("trainer", "create-user", LEARNER, "--name", "Lee Learner",
               "--role", "learner", "--learner-type", "student", "--password", PASSWORD),
        _flask("trainer", "create-user", INSTRUCTOR, "--name", "Ivy Instructor",
               "--role", "instructor", "--password", PASSWORD),
        [sys.executable, "-c", SEED_QUIZZES],
        _flask("trainer", "create-user", KEYBOARD_LEARNER, "--name", "Kim Keys",
               "--role", "learner", "--learner-type", "student", "--password", PASSWORD),
        [sys.executable, "-m", "tests.e2e.seed_site", *AUDIT_PEOPLE.values(), PASSWORD, KEYBOARD_QUIZ],
    ]
    proc = None
    try:
        with _running_together(setup, env, log):  # the server starts meanwhile
            proc, url = _start_server(env, instance / "server.log")
        yield Server(url=url, instance_path=instance)
    finally:
        if proc is not None:
            _stop(proc)


# ---- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(e2e_requirements):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Records Content-Security-Policy violations as the page sees them (a console message
# is not guaranteed for every kind of violation).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


class PageProblems:
    """Console errors, uncaught exceptions and dialogs (alert, confirm) seen by one test's page."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []

    def on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def csp(self) -> list[str]:
        return [m for m in self.console_errors if "content security policy" in m.lower()]


@pytest.fixture
def problems():
    return PageProblems()


@pytest.fixture
def page(browser, server, problems):
    """A fresh page (own cookies) on the test server; logs console errors and dialogs."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on("console", problems.on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))

    def on_dialog(dialog):
        if dialog.type == "beforeunload":  # "leave the page?": yes, as a user who clicked on would
            dialog.accept()
            return
        problems.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        context.close()
