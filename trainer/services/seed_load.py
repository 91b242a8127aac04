"""A database filled to the scale of a busy site, for the load bench: `flask trainer seed-load`.

Learners, quizzes built from the bank's published questions, submitted (and some open)
attempts with their answers, and module progress, written with bulk inserts (Core
`insert()` with many rows a statement, in batches, one commit a batch) so 5 million
answers take minutes. Answers reuse instances generated once per question, and their
grades are drawn rather than worked out: the rows are realistic in size and shape, not
in content, which is what a speed test needs. For load tests only, never a real site.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import JSON, Column, MetaData, Table, func, insert, select, text
from sqlalchemy.types import NullType

from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptItem,
    Module,
    ModuleProgress,
    Question,
    QuestionVersion,
    Quiz,
    QuizItem,
    User,
    utcnow,
)
from trainer.questions import GenerationFailed, generate_question
from trainer.services.accounts import hash_password
from trainer.services.attempts import render_markdown

EMAIL = "load-{n:06d}@example.org"  # the seeded learners' addresses, numbered from 1
BATCH = 10_000
QUIZ_SETTINGS = {
    "pass_mark": 80, "time_limit_minutes": None, "shuffle_questions": True, "shuffle_choices": True,
    "feedback_mode": "deferred", "show_answers": "after_submit", "available_until": None,
}


@dataclass(frozen=True)
class LoadPlan:
    """How much to write."""

    users: int = 100_000
    quizzes: int = 2_000
    answers: int = 5_000_000
    questions_per_quiz: int = 20
    modules_per_user: int = 3
    open_share: float = 0.1  # attempts still in progress

    @property
    def attempts(self) -> int:
        return max(1, self.answers // self.questions_per_quiz)

    @property
    def rows(self) -> int:
        """Every row written, for the progress bar."""
        return (self.users + self.quizzes * (1 + self.questions_per_quiz) + self.attempts
                + self.attempts * self.questions_per_quiz + self.users * self.modules_per_user)

    def scaled(self, factor: float) -> LoadPlan:
        """The same shape, `factor` times the size (at least one of each)."""
        return LoadPlan(
            users=max(1, round(self.users * factor)), quizzes=max(1, round(self.quizzes * factor)),
            answers=max(self.questions_per_quiz, round(self.answers * factor)),
            questions_per_quiz=self.questions_per_quiz, modules_per_user=self.modules_per_user,
            open_share=self.open_share,
        )


class SeedRefused(Exception):
    """The database cannot be seeded as asked; the message says why."""


@dataclass
class _Sample:
    question_id: int
    version_id: int
    instance: str  # serialized
    stem_html: str
    explanation_html: str


def _samples(count: int, rng: random.Random) -> list[_Sample]:
    """Instances of up to `count` published questions, generated and rendered once each."""
    rows = db.session.execute(
        select(Question.id, QuestionVersion.id, QuestionVersion.data)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.status == "published")
        .order_by(Question.uid)
    ).all()
    if len(rows) < count:
        raise SeedRefused(
            f"the bank has {len(rows)} published questions and a quiz needs {count}: "
            "import the shipped content first (flask trainer import)"
        )
    samples = []
    for question_id, version_id, data in rows:
        try:
            instance = generate_question(data, rng.randrange(2**31 - 1))
        except GenerationFailed:
            continue
        samples.append(_Sample(
            question_id, version_id, _json(instance), render_markdown(instance.get("stem", "")),
            render_markdown(instance.get("explanation", "")),
        ))
    return samples


@functools.cache
def _bulk_table(model) -> Table:
    """The model's table for bulk inserts, its JSON columns taking JSON text serialized already.

    Every answer row carries a question instance of about a kilobyte, and the seed rows
    share a few hundred of them: serialized once, not five million times. The values go
    to the driver as plain text (NullType renders no cast), which SQLite stores as is and
    PostgreSQL casts to the json column.
    """
    columns = [Column(c.name, NullType() if isinstance(c.type, JSON) else c.type) for c in model.__table__.columns]
    return Table(model.__table__.name, MetaData(), *columns)


def _json(value) -> str | None:
    return None if value is None else json.dumps(value)


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _batches(rows: Iterator[dict], size: int = BATCH) -> Iterator[list[dict]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_load(plan: LoadPlan, password: str, *, seed: int = 1,
              progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Write `plan`'s rows in batches, committing each; `progress(n)` after every batch. The counts written.

    Refuses (SeedRefused) a database that already holds seeded learners, so a second run
    cannot collide with the first.
    """
    if db.session.scalar(select(User.id).where(User.email == EMAIL.format(n=1))) is not None:
        raise SeedRefused("this database is seeded already (it has the load-test learners)")
    rng = random.Random(seed)
    samples = _samples(plan.questions_per_quiz, rng)
    modules = db.session.execute(select(Module.id, Module.course_id).order_by(Module.id)).all()
    now = utcnow()
    password_hash = hash_password(password)  # once: 100,000 argon2 hashes would take hours

    def write(model, rows: Iterator[dict]) -> int:
        written = 0
        for batch in _batches(rows):
            db.session.connection().execute(insert(_bulk_table(model)), batch)
            db.session.commit()
            written += len(batch)
            progress(len(batch))
        return written

    first_user = _next_id(User)
    counts = {"users": write(User, (
        {"id": first_user + n, "email": EMAIL.format(n=n + 1), "name": f"Load Learner {n + 1}",
         "password_hash": password_hash, "role": "learner",
         "learner_type": "technician" if n % 3 else "student", "session_version": 1, "active": True,
         "created_at": now - timedelta(days=n % 700), "password_changed_at": now}
        for n in range(plan.users)
    ))}

    first_quiz = _next_id(Quiz)
    counts["quizzes"] = write(Quiz, (
        {"id": first_quiz + n, "slug": f"load-quiz-{n + 1:05d}", "title": f"Load quiz {n + 1}",
         "description": "", "status": "published", "pass_mark": 80, "attempts_allowed": 0,
         "shuffle_questions": True, "shuffle_choices": True, "feedback_mode": "deferred",
         "show_answers": "after_submit", "source": "seed-load", "created_at": now, "updated_at": now}
        for n in range(plan.quizzes)
    ))
    quiz_questions = {
        first_quiz + n: rng.sample(range(len(samples)), plan.questions_per_quiz) for n in range(plan.quizzes)
    }
    counts["quiz items"] = write(QuizItem, (
        {"quiz_id": quiz_id, "position": position, "question_id": samples[index].question_id,
         "draw_count": 0, "draw_filter": _json({})}
        for quiz_id, picks in quiz_questions.items() for position, index in enumerate(picks)
    ))

    first_attempt = _next_id(Attempt)
    settings = _json(QUIZ_SETTINGS)
    attempts = []
    for n in range(plan.attempts):
        started = now - timedelta(minutes=rng.randrange(60 * 24 * 365))
        still_open = rng.random() < plan.open_share
        attempts.append({
            "id": first_attempt + n, "user_id": first_user + rng.randrange(plan.users),
            "kind": "quiz", "quiz_id": first_quiz + rng.randrange(plan.quizzes),
            "status": "in_progress" if still_open else "submitted", "seed": rng.randrange(2**31 - 1),
            "settings": settings, "started_at": started,
            "submitted_at": None if still_open else started + timedelta(minutes=rng.randrange(5, 60)),
            "last_position": 0,
        })
    right_share = [rng.random() for _ in range(plan.attempts)]

    answer, empty = _json("seeded answer"), _json([])

    def item_rows() -> Iterator[dict]:
        for attempt, share in zip(attempts, right_share, strict=True):
            open_ = attempt["status"] == "in_progress"
            picks = quiz_questions[attempt["quiz_id"]]
            answered = [not open_ or position < len(picks) // 2 for position in range(len(picks))]
            correct = [given and rng.random() < share for given in answered]
            if not open_:  # scored before its rows are written, with the attempt
                attempt["score"] = Decimal(sum(correct))
                attempt["max_score"] = Decimal(len(picks))
                attempt["percent"] = (Decimal(sum(correct)) * 100 / len(picks)).quantize(Decimal("0.01"))
                attempt["passed"] = attempt["percent"] >= 80
            for position, index in enumerate(picks):
                sample = samples[index]
                yield {
                    "attempt_id": attempt["id"], "position": position, "question_id": sample.question_id,
                    "question_version_id": sample.version_id, "instance": sample.instance,
                    "stem_html": sample.stem_html, "explanation_html": sample.explanation_html,
                    # Load data: the stored grade is drawn, not worked out from this answer.
                    "response": answer if answered[position] else None,
                    "answered_at": attempt["started_at"] if answered[position] else None, "flagged": False,
                    "score": None if open_ else Decimal(int(correct[position])),
                    "correct": None if open_ else correct[position],
                    "feedback": None if open_ else empty, "grade_flags": None if open_ else empty,
                    "graded_at": None if open_ else attempt["submitted_at"],
                }

    for attempt in attempts:  # every row of a batch has the same keys
        attempt.update(score=None, max_score=None, percent=None, passed=None)
    items = item_rows()
    counts["attempts"] = 0
    counts["answers"] = 0
    # Attempts must exist before their items (foreign key): write each batch of attempts,
    # then its items.
    per_batch = max(1, BATCH // plan.questions_per_quiz)
    attempts_table, items_table = _bulk_table(Attempt), _bulk_table(AttemptItem)
    for start in range(0, len(attempts), per_batch):
        chunk = attempts[start:start + per_batch]
        chunk_items = list(_take(items, len(chunk) * plan.questions_per_quiz))
        db.session.connection().execute(insert(attempts_table), chunk)
        db.session.connection().execute(insert(items_table), chunk_items)
        db.session.commit()
        counts["attempts"] += len(chunk)
        counts["answers"] += len(chunk_items)
        progress(len(chunk) + len(chunk_items))

    if modules:
        def progress_rows() -> Iterator[dict]:
            for n in range(plan.users):
                for module_id, course_id in rng.sample(modules, min(plan.modules_per_user, len(modules))):
                    viewed = now - timedelta(minutes=rng.randrange(60 * 24 * 365))
                    yield {"user_id": first_user + n, "module_id": module_id, "course_id": course_id,
                           "started_at": viewed, "last_viewed_at": viewed, "last_anchor": "",
                           "completed_at": viewed if rng.random() < 0.5 else None}

        counts["module progress"] = write(ModuleProgress, progress_rows())
    _advance_sequences()
    return counts


def _take(rows: Iterator[dict], count: int) -> Iterator[dict]:
    for _ in range(count):
        row = next(rows, None)
        if row is None:
            return
        yield row


def _advance_sequences() -> None:
    """PostgreSQL: ids were given explicitly, so move each sequence past them."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("users", "quizzes", "attempts"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608 - fixed names
        ))
    db.session.commit()


def database_size() -> int:
    """Bytes the database takes on disk (a SQLite file with its write-ahead log, or a PostgreSQL database)."""
    bind = db.session.get_bind()
    if bind.dialect.name == "postgresql":
        return int(db.session.scalar(text("SELECT pg_database_size(current_database())")))
    path = getattr(bind, "engine", bind).url.database  # a Connection in tests
    if not path or path == ":memory:":
        return 0
    files = (Path(path), Path(f"{path}-wal"))
    return sum(f.stat().st_size for f in files if f.exists())
