"""The readiness page for a learner with 5,000 answered items renders in under 100 ms.

    .venv/bin/python tests/bench/bench_readiness.py [--items N]

Builds a fresh SQLite database with the real migrations, 120 questions over every PTCE
knowledge area, and one learner whose 5,000 answers went through the same hook the quiz
engine calls (mastery evidence and the missed queue), spread over 120 days, plus
flashcard decks with reviews. Then the page is requested through the app (login,
routing, template, SQL) and the median of several requests is compared with the target;
the query count is printed too, as it must not grow with the history. Exit status 1 if
the target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TRAINER_INSTANCE_PATH", tempfile.mkdtemp(prefix="rxtrainer-bench-"))

from sqlalchemy import event  # noqa: E402

from trainer import create_app  # noqa: E402
from trainer.extensions import db  # noqa: E402

TARGET_MS = 100.0
RUNS = 15
AREAS = [f"ptce-2020:{d}.{a}" for d, count in ((1, 10), (2, 5), (3, 6), (4, 5)) for a in range(1, count + 1)]
PASSWORD = "correct horse battery staple"


def build(app, items: int) -> tuple[int, int]:
    """The bank, the learner and their answers; (learner id, questions)."""
    from trainer.models import Attempt, AttemptItem, utcnow
    from trainer.questions import generate_question
    from trainer.services import accounts, flashcards, readiness
    from trainer.services.attempts import grade_item
    from trainer.services.courses import glossary
    from trainer.services.questions import save_question

    rng = random.Random(2026)
    questions = []
    for n in range(120):
        area = AREAS[n % len(AREAS)]
        domain = area.split(":")[1].split(".")[0]
        question, _ = save_question({
            "id": f"bench-{n:03d}", "type": "true_false", "stem": f"Statement {n} about {area}.",
            "answer": bool(n % 2), "explanation": "Because.", "tags": ["bench"], "difficulty": "medium",
            "blueprint": [area, f"ptce-2026:{domain}"], "references": ["bench"],
        }, source="bench")
        questions.append(question)
    learner = accounts.create_user("bench@example.org", "Bench Learner", PASSWORD)
    flashcards.sync_builtin_decks(glossary(), [])
    db.session.commit()
    now = utcnow()
    per_attempt = 50
    for start in range(0, items, per_attempt):
        when = now - timedelta(days=120 * (1 - start / items))
        attempt = Attempt(user_id=learner.id, kind="quiz", quiz_id=None, status="submitted", seed=start,
                          settings={}, started_at=when, submitted_at=when, last_position=0)
        for position in range(min(per_attempt, items - start)):
            question = rng.choice(questions)
            # the page never shows items: skip rendering their stems, the slow part of make_item
            instance = generate_question(question.current_version.data, rng.randrange(2**30))
            item = AttemptItem(position=position, question_id=question.id,
                               question_version_id=question.current_version_id, instance=instance)
            attempt.items.append(item)
            grade_item(item, item.instance["key"] if rng.random() < 0.72 else not item.instance["key"])
            item.answered_at = item.graded_at = when
        db.session.add(attempt)
        db.session.flush()
        readiness.after_grading(learner.id, attempt.items, source="quiz", now=when)
        db.session.commit()
    deck = next(s.deck for s in flashcards.deck_statuses(learner, now))
    for card in deck.cards[:40]:
        flashcards.record_review(learner, card, rng.choice([1, 3, 3, 4]), now - timedelta(days=1))
    db.session.commit()
    return learner.id, len(questions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    database = Path(tempfile.mkdtemp(prefix="rxtrainer-bench-db-")) / "bench.db"
    app = create_app({
        "TRAINER_ENV": "testing", "SECRET_KEY": "bench-" + "x" * 40,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "RATELIMIT_STORAGE_URI": "memory://",
        "WTF_CSRF_ENABLED": False, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024,
        "ARGON2_PARALLELISM": 1,
    })
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        build(app, args.items)
        print(f"built {args.items} answered items in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    response = client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    if response.status_code != 302:
        print("could not log in")
        return 1
    client.get("/readiness/")  # warm the template and outline caches
    with app.app_context():
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    timings = []
    for _ in range(RUNS):
        statements.clear()
        began = time.perf_counter()
        page = client.get("/readiness/")
        timings.append((time.perf_counter() - began) * 1000)
        if page.status_code != 200 or "Pass likelihood" not in page.get_data(as_text=True):
            print(f"the readiness page failed: {page.status_code}")
            return 1
    median = statistics.median(timings)
    ok = median < TARGET_MS
    print(f"readiness page, {args.items} answered items: median {median:.1f} ms, best {min(timings):.1f} ms, "
          f"{len(statements)} SQL statements (target < {TARGET_MS:g} ms) {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
