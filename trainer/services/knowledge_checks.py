"""Knowledge checks inside course modules: one attempt per learner and module.

A module's checks are the questions its text names; each becomes an item of the
learner's "module_check" attempt when the module is first shown, seeded like a quiz's
item, graded at once when answered, and answerable again (the latest answer counts).
Everything here flushes and leaves the commit to its caller.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, Module, Question, User, utcnow
from trainer.questions import GradeResult, grade_response
from trainer.services.accounts import lock_learner
from trainer.services.attempts import finalise_scores, grade_item, new_seed
from trainer.services.quizzes import seeded_item
from trainer.services.readiness import after_grading

MODULE_CHECK_SETTINGS = {"shuffle_choices": True, "feedback_mode": "immediate", "show_answers": "immediately"}


def _module_check_attempt(user: User, module: Module, *, create: bool) -> Attempt | None:
    stmt = (
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.kind == "module_check", Attempt.module_id == module.id)
        .options(selectinload(Attempt.items).joinedload(AttemptItem.question))
        .order_by(Attempt.id)
        .limit(1)
    )
    attempt = db.session.scalar(stmt)
    if attempt is None and create:
        lock_learner(user)  # two first views at once must not make two attempts
        attempt = db.session.scalar(stmt.execution_options(populate_existing=True))
        if attempt is None:
            attempt = Attempt(
                user_id=user.id, kind="module_check", module_id=module.id, quiz_id=None,
                status="in_progress", seed=new_seed(), settings=dict(MODULE_CHECK_SETTINGS),
                last_position=0,
            )
            db.session.add(attempt)
            db.session.flush()
    return attempt


def _check_question(module: Module, question_uid: str) -> Question:
    if question_uid not in (module.checks or []):
        raise LookupError(f"{question_uid} is not a knowledge check of this module")
    question = db.session.scalar(
        select(Question).where(Question.uid == question_uid).options(selectinload(Question.current_version))
    )
    if question is None or question.current_version is None:
        raise LookupError(f"no question has the id {question_uid}")
    return question


def module_check_item(user: User, module: Module, question_uid: str) -> AttemptItem:
    """The learner's item for one knowledge check of a module, made (seeded) on first view.

    Show it with trainer.services.attempts.public_view(item). Raises LookupError if the question is
    not one of the module's checks. Flushes; the caller commits.
    """
    question = _check_question(module, question_uid)
    attempt = _module_check_attempt(user, module, create=True)
    for item in attempt.items:
        if item.question_id == question.id:
            return item
    position = max((item.position for item in attempt.items), default=-1) + 1
    item = seeded_item(question, position, attempt.seed, shuffle_choices=True)
    attempt.items.append(item)
    db.session.flush()
    return item


def module_check_items(user: User, module: Module) -> dict[str, AttemptItem]:
    """Every knowledge check of the module as the learner's item, by question id, made where missing."""
    items: dict[str, AttemptItem] = {}
    attempt = _module_check_attempt(user, module, create=bool(module.checks))
    if attempt is not None:
        by_question = {item.question.uid: item for item in attempt.items}
        for uid in module.checks or []:
            items[uid] = by_question.get(uid) or module_check_item(user, module, uid)
    return items


# The learner's check items for a module with their question uids, as plain rows, in
# one query built once (every module page view runs it).
CHECK_ITEMS = (
    select(*AttemptItem.__table__.columns, Question.uid.label("question_uid"))
    .join(Attempt, Attempt.id == AttemptItem.attempt_id)
    .join(Question, Question.id == AttemptItem.question_id)
    .where(Attempt.user_id == bindparam("user_id"), Attempt.kind == "module_check",
           Attempt.module_id == bindparam("module_id"))
    .order_by(Attempt.id, AttemptItem.position)
)


def existing_check_items(user: User, module: Module) -> dict[str, Row] | None:
    """The learner's items for the module's checks, by question id, if every one is made; else None.

    Reads only: a page view that finds them all needs no write transaction, and gets
    read-only rows with the item's columns. None means the first view (or a check added
    since): module_check_items makes what is missing.
    """
    if not module.checks:
        return {}
    items = db.session.execute(CHECK_ITEMS, {"user_id": user.id, "module_id": module.id}).all()
    first_attempt = items[0].attempt_id if items else None
    by_question = {item.question_uid: item for item in items if item.attempt_id == first_attempt}
    if any(uid not in by_question for uid in module.checks):
        return None
    return {uid: by_question[uid] for uid in module.checks}


def answer_module_check(
    user: User, module: Module, question_uid: str, response, now: datetime | None = None
) -> tuple[AttemptItem, GradeResult]:
    """Grade a knowledge-check answer and store it with its grade; a blank answer is not stored.

    A learner may answer a check again: the latest answer and grade are kept. Flushes;
    the caller commits.
    """
    now = now if now is not None else utcnow()
    item = module_check_item(user, module, question_uid)
    result = grade_response(item.instance, response)
    if "blank" in result.flags:
        return item, result
    result = grade_item(item, response)
    item.answered_at = now
    item.graded_at = now
    finalise_scores(item.attempt)
    after_grading(user.id, [item], source="module_check", now=now)
    return item, result


def answered_checks(user: User, module_ids) -> dict[int, set[str]]:
    """The knowledge checks the learner has answered, per module id (one query)."""
    ids = list(module_ids)
    answered: dict[int, set[str]] = {module_id: set() for module_id in ids}
    if not ids:
        return answered
    rows = db.session.execute(
        select(Attempt.module_id, Question.uid)
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(
            Attempt.user_id == user.id, Attempt.kind == "module_check", Attempt.module_id.in_(ids),
            AttemptItem.graded_at.is_not(None),
        )
    )
    for module_id, uid in rows:
        answered[module_id].add(uid)
    return answered


def module_checks_answered(user: User, module: Module) -> bool:
    """Whether the learner has answered every knowledge check of the module."""
    checks = set(module.checks or [])
    return not checks or checks <= answered_checks(user, [module.id])[module.id]
