"""The missed-question queue in the database: every graded answer moves it (trainer.readiness.missed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, func, select

from trainer.extensions import db
from trainer.models import MissedQuestion, Question
from trainer.readiness.missed import MissedState, after_answer


def _state(row: MissedQuestion) -> MissedState:
    return MissedState(due=row.due_at, right=row.right, misses=row.misses, cleared=row.cleared)


def note_answers(user_id: int, answers: Iterable[tuple[int, bool, datetime]]) -> None:
    """Move the queue for (question id, answered right, when) answers, in the order given. Flushes."""
    answers = list(answers)
    if not answers:
        return
    ids = {question_id for question_id, _, _ in answers}
    rows = {
        row.question_id: row for row in db.session.scalars(
            select(MissedQuestion).where(MissedQuestion.user_id == user_id,
                                         MissedQuestion.question_id.in_(ids))
        )
    }
    for question_id, correct, at in sorted(answers, key=lambda a: a[2]):
        row = rows.get(question_id)
        state = after_answer(_state(row) if row is not None else None, correct, at)
        if state is None:
            continue
        if row is None:
            row = rows[question_id] = MissedQuestion(user_id=user_id, question_id=question_id)
            db.session.add(row)
        row.due_at, row.right, row.misses, row.cleared = state.due, state.right, state.misses, state.cleared
        row.last_answered_at = at
    db.session.flush()


def _due(user_id: int, now: datetime):
    return (
        select(MissedQuestion)
        .join(Question, Question.id == MissedQuestion.question_id)
        .where(MissedQuestion.user_id == user_id, MissedQuestion.cleared.is_(False),
               MissedQuestion.due_at <= now, Question.status == "published")
    )


# Built once: the dashboard counts on every view, and building this select cost more than running it.
DUE_COUNT = (
    select(func.count(MissedQuestion.question_id))
    .join(Question, Question.id == MissedQuestion.question_id)
    .where(MissedQuestion.user_id == bindparam("user_id"), MissedQuestion.cleared.is_(False),
           MissedQuestion.due_at <= bindparam("now"), Question.status == "published")
)


def due_count(user_id: int, now: datetime) -> int:
    """Missed questions due again now (published ones only)."""
    return db.session.scalar(DUE_COUNT, {"user_id": user_id, "now": now})


def due_questions(user_id: int, now: datetime, limit: int) -> list[int]:
    """Ids of the missed questions due now, longest overdue first."""
    return list(db.session.scalars(
        _due(user_id, now).with_only_columns(MissedQuestion.question_id)
        .order_by(MissedQuestion.due_at, MissedQuestion.question_id).limit(limit)
    ))


def queue_summary(user_id: int, now: datetime) -> dict[str, int | datetime | None]:
    """Due now, waiting (not yet due), cleared, and when the next one comes back (one query; published questions)."""
    due, waiting, cleared, next_due = db.session.execute(
        select(
            func.count().filter(MissedQuestion.cleared.is_(False), MissedQuestion.due_at <= now),
            func.count().filter(MissedQuestion.cleared.is_(False), MissedQuestion.due_at > now),
            func.count().filter(MissedQuestion.cleared.is_(True)),
            func.min(MissedQuestion.due_at).filter(MissedQuestion.cleared.is_(False),
                                                  MissedQuestion.due_at > now),
        )
        .join(Question, Question.id == MissedQuestion.question_id)
        .where(MissedQuestion.user_id == user_id, Question.status == "published")
    ).one()
    return {"due": due, "waiting": waiting, "cleared": cleared, "next_due": next_due}
