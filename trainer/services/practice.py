"""Adaptive practice: short sessions the site picks, taken on the quiz pages with immediate feedback.

"Practise my weak areas" draws from the learner's weakest areas of their outline (the
readiness report ranks them); "Missed questions" asks the questions of the missed
queue that are due. Each is an attempt of kind "practice" with a new seed, so
calculated questions come with fresh numbers.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, Question, User, utcnow
from trainer.questions import QUESTION_TYPES
from trainer.questions.blueprints import ExamOutline
from trainer.readiness.areas import counted_codes
from trainer.services import missed_questions
from trainer.services.accounts import lock_learner
from trainer.services.attempts import new_seed
from trainer.services.mastery import outlines, question_codes
from trainer.services.quizzes import QuizUnavailable, seeded_item
from trainer.services.readiness import report_for

WEAK_AREA_ITEMS = 10
WEAK_AREAS = 3
MISSED_ITEMS = 20
# Questions answered right this recently are left out of weak-area practice when others remain.
RECENTLY_RIGHT = timedelta(days=3)
# Practice gives feedback at once: it leaves out what an instructor grades (essays) and
# what is not a question (descriptions).
NOT_FOR_PRACTICE = tuple(
    name for name, type_ in QUESTION_TYPES.items()
    if getattr(type_, "graded_by_hand", False) or not getattr(type_, "scored", True)
)
PRACTICE_SETTINGS = {
    "time_limit_minutes": None,
    "shuffle_choices": True,
    "feedback_mode": "immediate",
    "show_answers": "immediately",
}
TITLES = {"weak_areas": "Practice: your weak areas", "missed": "Practice: missed questions"}


def open_practice(user: User, purpose: str) -> Attempt | None:
    """The learner's practice session of this purpose still in progress, if any."""
    for attempt in db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == "practice",
                              Attempt.status == "in_progress").order_by(Attempt.id.desc())
    ):
        if (attempt.settings or {}).get("purpose") == purpose:
            return attempt
    return None


def _start(user: User, purpose: str, question_ids: list[int], seed: int, now: datetime,
           **settings) -> Attempt:
    questions = {
        q.id: q for q in db.session.scalars(
            select(Question).where(Question.id.in_(question_ids))
            .options(selectinload(Question.current_version))
        )
    }
    attempt = Attempt(
        user_id=user.id, kind="practice", quiz_id=None, status="in_progress", seed=seed,
        started_at=now, deadline_at=None, last_position=0,
        settings={"title": TITLES[purpose], "purpose": purpose, **PRACTICE_SETTINGS, **settings},
    )
    for position, question_id in enumerate(question_ids):
        attempt.items.append(seeded_item(questions[question_id], position, seed))
    db.session.add(attempt)
    db.session.flush()
    return attempt


def _published_codes() -> dict[int, list[str]]:
    ids = list(db.session.scalars(
        select(Question.id).where(Question.status == "published", Question.type.not_in(NOT_FOR_PRACTICE),
                                  Question.current_version_id.is_not(None))
        .order_by(Question.uid)
    ))
    codes = question_codes(ids)
    return {question_id: codes.get(question_id, []) for question_id in ids}


def _recently_right(user: User, since: datetime) -> set[int]:
    return set(db.session.scalars(
        select(AttemptItem.question_id).join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(Attempt.user_id == user.id, AttemptItem.correct.is_(True), AttemptItem.graded_at >= since)
    ))


def start_weak_area_practice(user: User, outline: ExamOutline, *, now: datetime | None = None,
                             seed: int | None = None, size: int = WEAK_AREA_ITEMS) -> Attempt:
    """Resume the open weak-area session, or draw `size` questions from the weakest areas of `outline`."""
    now = now if now is not None else utcnow()
    lock_learner(user)
    current = open_practice(user, "weak_areas")
    if current is not None:
        return current
    targets = report_for(user.id, outline, now).practice_targets(size, WEAK_AREAS)
    known = outlines()
    pools: dict[str, list[int]] = {code: [] for code in targets}
    for question_id, codes in _published_codes().items():
        counted = set(counted_codes(codes, known))
        for code in targets:
            if code in counted:
                pools[code].append(question_id)
    fresh_only = _recently_right(user, now - RECENTLY_RIGHT)
    seed = new_seed() if seed is None else seed
    rng = random.Random(seed)
    chosen: list[int] = []
    for code, count in targets.items():
        pool = [q for q in pools[code] if q not in chosen]
        fresh = [q for q in pool if q not in fresh_only]
        pick_from = fresh if len(fresh) >= count else pool
        chosen.extend(rng.sample(pick_from, min(count, len(pick_from))))
    # a target short of questions leaves its place to the other weak areas
    spare = [q for code in targets for q in pools[code] if q not in chosen]
    spare = list(dict.fromkeys(spare))
    chosen.extend(rng.sample(spare, min(size - len(chosen), len(spare))))
    if not chosen:
        raise QuizUnavailable(
            "The question bank has no questions in your weakest areas yet. Please tell your instructor."
        )
    rng.shuffle(chosen)
    return _start(user, "weak_areas", chosen, seed, now, outline=outline.code, areas=list(targets))


def start_missed_practice(user: User, *, now: datetime | None = None, seed: int | None = None,
                          size: int = MISSED_ITEMS) -> Attempt:
    """Resume the open missed-questions session, or start one with the missed questions due now."""
    now = now if now is not None else utcnow()
    lock_learner(user)
    current = open_practice(user, "missed")
    if current is not None:
        return current
    due = missed_questions.due_questions(user.id, now, size)
    if not due:
        raise QuizUnavailable("No missed question is due now: well done. They come back when due.")
    seed = new_seed() if seed is None else seed
    return _start(user, "missed", due, seed, now)
