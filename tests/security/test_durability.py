"""Durability: what the server acknowledged survives `kill -9`, and nothing is half-written.

The app runs under gunicorn in subprocesses on a database of its own (SQLite in WAL
mode, or PostgreSQL when TEST_DATABASE_URL is set). A learner's browser autosaves quiz
answers, posts answers through the no-JavaScript form and records CE activities, all
at once from several threads, while the server is killed with SIGKILL. After a restart:

- every write the server acknowledged is there, whole: each autosaved or posted answer
  holds a value that was sent for that question and no older than the last one
  acknowledged; each acknowledged CE entry exists once, its title, provider and hours
  from the same request;
- the database is sound (SQLite's integrity check) and the site serves the attempt.

Then two server processes receive the same attempt's submit at the same moment: the
attempt is closed once and graded once (one mastery record per item, not two).
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import re
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import base_config, migrate_database
from tests.security.live_server import Browser, Server, new_secret

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"
EMAIL = "durable@example.org"
QUESTIONS = 3
WRITES_BEFORE_KILL = 30


@pytest.fixture
def database(tmp_path, worker_id):
    """A migrated database of the durability suite's own, with a learner and a quiz."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
        name = f"durability_{worker_id}_{os.getpid()}".replace("-", "_")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'durable.db'}"
    migrate_database(url)
    _seed(url)
    yield url
    if base:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _seed(url: str) -> None:
    from tests.factories.quizzes import make_question, quiz_of
    from trainer import create_app
    from trainer.extensions import db
    from trainer.services import accounts

    app = create_app(base_config(url))
    with app.app_context():
        accounts.create_user(EMAIL, "Dee Rable", PASSWORD)
        questions = [make_question(f"durable-{n}", "short_answer") for n in range(QUESTIONS)]
        quiz_of(questions, "durable", max_attempts=0)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture
def servers(database, tmp_path):
    started: list[Server] = []
    secret = new_secret()

    def start() -> Server:
        server = Server(database, tmp_path, secret).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()


class Ledger:
    """What was sent and what the server acknowledged, per thread-safe append."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: dict[str, list[str]] = {}
        self.acknowledged: dict[str, list[str]] = {}

    def send(self, key: str, value: str) -> None:
        with self.lock:
            self.sent.setdefault(key, []).append(value)

    def ack(self, key: str, value: str) -> None:
        with self.lock:
            self.acknowledged.setdefault(key, []).append(value)

    def count(self) -> int:
        with self.lock:
            return sum(len(values) for values in self.acknowledged.values())


def _start_attempt(browser: Browser) -> int:
    browser.get("/quizzes/durable")
    status, _, location = browser.post("/quizzes/durable/start")
    assert status == 302 and "/quizzes/attempts/" in location, (status, location)
    attempt_id = int(location.rstrip("/").rsplit("/", 1)[1])
    browser.get(f"/quizzes/attempts/{attempt_id}")
    return attempt_id


SEQUENCE = itertools.count(1)  # next() on a count is atomic: every write gets its own number


def _writer(kind: str, browser: Browser, attempt_id: int, ledger: Ledger, stop: threading.Event) -> None:
    """Keep writing until the server is gone; note each write before sending and on its 2xx/3xx.

    Questions 1 and 2 are only autosaved, question 3 only posted, each by one thread, so
    the last acknowledged value of a question is a lower bound for what must be stored.
    """
    day = "2025-06-01"
    turn = 0
    while not stop.is_set():
        seq, turn = next(SEQUENCE), turn + 1
        number = 3 if kind == "answer" else turn % 2 + 1
        try:
            if kind == "autosave":
                value = f"autosaved {seq:05d}"
                ledger.send(f"item-{number}", value)
                status, _, _ = browser.request("POST", f"/quizzes/attempts/{attempt_id}/save",
                                               json_body={"number": number, "response": value}, timeout=10)
                if status == 200:
                    ledger.ack(f"item-{number}", value)
            elif kind == "answer":
                value = f"posted {seq:05d}"
                ledger.send(f"item-{number}", value)
                status, _, _ = browser.post(f"/quizzes/attempts/{attempt_id}", number=str(number), answering="1",
                                            flagging="1", response=value)
                if status == 302:
                    ledger.ack(f"item-{number}", value)
            else:
                value = f"{seq:05d}"
                ledger.send("ce", value)
                status, _, _ = browser.post("/ce/record/new", title=f"Durable activity {value}",
                                            provider=f"Provider {value}", kind="other", uan="",
                                            hours=f"{seq % 9 + 1}.5", topic="03", format="", completed=day, note="")
                if status == 302:
                    ledger.ack("ce", value)
        except (OSError, http.client.HTTPException):  # a response cut off by the kill: not acknowledged
            if stop.is_set():
                return
            time.sleep(0.01)


def _engine(url: str):
    return create_engine(url)


def _responses(url: str, attempt_id: int) -> dict[str, str | None]:
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT position, response FROM attempt_items WHERE attempt_id = :a"),
                            {"a": attempt_id}).all()
    engine.dispose()
    # A JSON column: SQLite hands back its text, PostgreSQL the decoded value.
    return {f"item-{position + 1}": json.loads(response) if isinstance(response, str) and response.startswith('"')
            else response for position, response in rows}


def _ce_rows(url: str) -> list[tuple[str, str, Decimal]]:
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT title, provider, hours FROM ce_credits WHERE source = 'external'")).all()
    engine.dispose()
    return [(title, provider, Decimal(str(hours))) for title, provider, hours in rows]


def _integrity(url: str) -> None:
    if url.startswith("sqlite"):
        engine = _engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        engine.dispose()


def test_acknowledged_writes_survive_kill_9_and_none_is_half_written(database, servers):
    server = servers()
    browsers = {kind: Browser(server) for kind in ("autosave", "answer", "ce")}
    for browser in browsers.values():
        browser.log_in(EMAIL, PASSWORD)
    attempts = {kind: _start_attempt(browsers[kind]) for kind in ("autosave", "answer")}
    # one attempt at a time: the second start resumes the first one
    assert attempts["autosave"] == attempts["answer"]
    attempt_id = attempts["autosave"]
    ledger, stop = Ledger(), threading.Event()
    writers = ["autosave", "answer", "ce", "ce"]
    threads = [threading.Thread(target=_writer, args=(kind, browsers[kind], attempt_id, ledger, stop))
               for kind in writers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while ledger.count() < WRITES_BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()  # mid-write: the writers are still sending
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert ledger.count() >= WRITES_BEFORE_KILL, "too few writes were acknowledged to prove anything"

    restarted = servers()
    _integrity(database)

    stored = _responses(database, attempt_id)
    for key, acknowledged in ledger.acknowledged.items():
        if key == "ce":
            continue
        value = stored[key]
        # Whole (one of the values sent), and no older than the last acknowledged one.
        assert value in ledger.sent[key], (key, value)
        assert _seq(value) >= max(_seq(v) for v in acknowledged), (key, value, acknowledged[-3:])

    rows = _ce_rows(database)
    by_value = {}
    for title, provider, hours in rows:
        value = re.fullmatch(r"Durable activity (\d{5})", title).group(1)
        assert provider == f"Provider {value}", (title, provider)
        assert hours == Decimal(f"{int(value) % 9 + 1}.5"), (title, hours)
        by_value[value] = by_value.get(value, 0) + 1
    for value in ledger.acknowledged.get("ce", []):
        assert by_value.get(value) == 1, f"acknowledged CE entry {value} is stored {by_value.get(value, 0)} times"
    assert set(by_value) <= set(ledger.sent["ce"])

    # The restarted site serves the attempt with what was saved.
    browser = Browser(restarted)
    browser.log_in(EMAIL, PASSWORD)
    status, page, _ = browser.get(f"/quizzes/attempts/{attempt_id}?q=1")
    assert status == 200 and stored["item-1"] in page


def _seq(value: str) -> int:
    return int(value.rsplit(" ", 1)[1])


def test_two_server_processes_submitting_one_attempt_count_it_once(database, servers):
    first, second = servers(), servers()
    left, right = Browser(first), Browser(second)
    left.log_in(EMAIL, PASSWORD)
    # the same session on both servers: the learner's two tabs, routed to two machines
    for cookie in left.cookies:
        right.cookies.set_cookie(cookie)
    right.get("/dashboard")
    for round_ in range(3):
        attempt_id = _start_attempt(left)
        right.get(f"/quizzes/attempts/{attempt_id}")
        for number in range(1, QUESTIONS + 1):
            left.request("POST", f"/quizzes/attempts/{attempt_id}/save",
                         json_body={"number": number, "response": "metoprolol"})
        barrier = threading.Barrier(2)
        answers = {}

        def submit(name, browser, attempt_id=attempt_id, barrier=barrier, answers=answers):
            barrier.wait()
            answers[name] = browser.post(f"/quizzes/attempts/{attempt_id}/submit")[0]

        threads = [threading.Thread(target=submit, args=(name, b)) for name, b in (("left", left), ("right", right))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert set(answers.values()) <= {302, 303}, (round_, answers)
        engine = _engine(database)
        with engine.connect() as conn:
            status, submitted = conn.execute(text("SELECT status, submitted_at FROM attempts WHERE id = :a"),
                                             {"a": attempt_id}).one()
            evidence = conn.execute(text(
                "SELECT count(*) FROM mastery_evidence e JOIN attempt_items i ON e.attempt_item_id = i.id "
                "WHERE i.attempt_id = :a"), {"a": attempt_id}).scalar()
        engine.dispose()
        assert status == "submitted" and submitted is not None
        assert evidence == QUESTIONS, f"graded {evidence} times over: {evidence} mastery records for {QUESTIONS} items"
