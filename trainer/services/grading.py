"""Grading by hand: the essays of a quiz that wait for an instructor, and the grade given.

Only the quiz's own instructor (the one who created it) and admins grade its essays.
A grade is a percentage of the item's mark with a comment for the learner; it joins
the attempt's total at once, and the attempt stops showing "awaiting grading" when its
last essay is graded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, AuditEvent, Quiz, utcnow
from trainer.questions import QUESTION_TYPES
from trainer.services.attempts import CLOSED, awaits_grading, finalise_scores
from trainer.services.mastery import regrade_evidence
from trainer.services.readiness import after_grading

MAX_COMMENT = 5000
Problems = list[tuple[str, str]]


def can_grade(user, quiz: Quiz) -> bool:
    """Whether a user may grade this quiz's essays: its instructor, or an admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.role == "admin" or (user.role == "instructor" and quiz.created_by_id == user.id)


def _hand_graded_types() -> list[str]:
    return [name for name, type_ in QUESTION_TYPES.items() if type_.graded_by_hand]


def grading_queue(quiz: Quiz) -> tuple[list[AttemptItem], list[AttemptItem]]:
    """(waiting, graded): the quiz's hand-graded items in closed attempts, oldest first."""
    items = db.session.scalars(
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.status.in_(CLOSED))
        .options(joinedload(AttemptItem.attempt).joinedload(Attempt.user))
        .order_by(Attempt.submitted_at, Attempt.id, AttemptItem.position)
    ).all()
    hand = set(_hand_graded_types())
    items = [item for item in items if (item.instance or {}).get("type") in hand]
    waiting = [item for item in items if awaits_grading(item)]
    graded = [item for item in items if not awaits_grading(item)]
    return waiting, graded


def queued_item(quiz: Quiz, item_id: int) -> AttemptItem | None:
    """One hand-graded item of this quiz's closed attempts, with its attempt loaded, or None."""
    item = db.session.scalar(
        select(AttemptItem)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(AttemptItem.id == item_id, Attempt.quiz_id == quiz.id, Attempt.status.in_(CLOSED))
        .options(joinedload(AttemptItem.attempt).selectinload(Attempt.items), joinedload(AttemptItem.attempt).joinedload(Attempt.user))
    )
    if item is None or (item.instance or {}).get("type") not in _hand_graded_types():
        return None
    return item


def read_grade(score_text: str | None, comment: str | None) -> tuple[Decimal | None, str, Problems]:
    """(percent, comment, problems) from the grading form; the score is 0 to 100 per cent."""
    problems: Problems = []
    percent = None
    text = (score_text or "").strip().rstrip("%").strip()
    try:
        percent = Decimal(text) if text else None
    except InvalidOperation:
        percent = None
    if percent is None or not percent.is_finite():
        problems.append(("score", "give a score from 0 to 100 (per cent of the question's mark)"))
        percent = None
    elif not 0 <= percent <= 100:
        problems.append(("score", "must be from 0 to 100"))
        percent = None
    elif percent != percent.quantize(Decimal("0.01")):
        problems.append(("score", "at most two decimal places"))
        percent = None
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        problems.append(("comment", f"at most {MAX_COMMENT:,} characters"))
    return percent, comment, problems


def grade_by_hand(item: AttemptItem, percent: Decimal, comment: str, *, grader) -> None:
    """Store an instructor's grade on an item and bring the attempt's total up to date."""
    previous = item.score if not awaits_grading(item) else None
    item.score = (percent / 100).quantize(Decimal("0.0001"))
    item.correct = percent == 100
    item.feedback = ["Graded by your instructor.", *([comment] if comment else [])]
    item.grade_flags = ["graded_by_hand"]
    item.grader_comment = comment or None
    item.graded_by_id = grader.id
    item.graded_at = utcnow()
    finalise_scores(item.attempt)
    if previous is None:  # the learner's mastery and missed queue learn of it now
        after_grading(item.attempt.user_id, [item], source=item.attempt.kind, now=item.graded_at)
    else:
        regrade_evidence([(item.id, item.attempt.user_id, item.score)])
    AuditEvent.record(
        "essay_graded",
        subject=f"attempt:{item.attempt_id}:item:{item.position}",
        actor=grader,
        score=str(item.score),
        previous=None if previous is None else str(previous),
    )


def awaiting_count(attempt: Attempt) -> int:
    """How many of an attempt's items wait for an instructor."""
    return sum(1 for item in attempt.items if awaits_grading(item))
