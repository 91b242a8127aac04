"""Mastery evidence: every graded answer, flashcard review and (later) scenario, counted per
outline code into running sums the readiness page reads in one query.

`record_evidence` is the one door in. Quizzes, knowledge checks, mock exams and
practice come through `record_graded_items`; flashcards and the prescription simulator
call `record_evidence` themselves. Each piece of evidence is logged (MasteryEvidence)
and added to the learner's AreaMastery rows with trainer.readiness.mastery.observe,
so reading mastery never scans the history; `rebuild_mastery` recomputes the sums
from the log (after a regrade). Flushes; the caller commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, delete, select

from trainer.extensions import db
from trainer.models import AreaMastery, AttemptItem, MasteryEvidence, QuestionArea, User, utcnow
from trainer.questions import QUESTION_TYPES
from trainer.questions.blueprints import Blueprints, ExamOutline, exam_outlines, read_blueprints
from trainer.readiness.areas import counted_codes
from trainer.readiness.mastery import AreaEvidence, observe

# How much one piece of evidence counts. A flashcard is a self-rated recall of one fact,
# weaker evidence than an exam-style item graded by the site.
SOURCE_WEIGHTS = {
    "quiz": 1.0,
    "module_check": 1.0,
    "mock_exam": 1.0,
    "practice": 1.0,
    "scenario": 1.0,
    "flashcard": 0.5,
}


@dataclass(frozen=True)
class Evidence:
    """One answer as evidence: the outline codes it is about (as questions name them), its score 0..1."""

    codes: tuple[str, ...]
    score: float
    occurred_at: datetime
    source: str  # quiz, module_check, mock_exam, practice, flashcard, scenario
    weight: float | None = None  # None: the source's weight
    attempt_item_id: int | None = None
    reference: str = ""  # "flashcard:12", "scenario:early-refill"


# ---- the exam outlines ------------------------------------------------------------------------


def outlines_file() -> Path:
    return Path(current_app.config["CONTENT_ROOT"]) / "question_bank" / "blueprints.yaml"


def blueprints() -> Blueprints:
    """The exam outlines of question_bank/blueprints.yaml, read once per app (empty if unreadable)."""
    cache = current_app.extensions.setdefault("trainer_readiness", {})
    if "blueprints" not in cache:
        from trainer.content.source import ProblemList, load_yaml
        from trainer.questions.bank import plain_data

        path = outlines_file()
        loaded = Blueprints()
        try:
            found = ProblemList(str(path))
            read = read_blueprints(load_yaml(path.read_text(encoding="utf-8"), str(path)), found)
            loaded = Blueprints(outlines=plain_data(read.outlines), titles=read.titles)
        except Exception:  # a missing or broken file costs the readiness pages, not the site
            current_app.logger.warning("exam outlines unavailable from %s", path)
        cache["blueprints"] = loaded
    return cache["blueprints"]


def outlines() -> dict[str, ExamOutline]:
    """The outlines a learner can sit as a mock exam and be measured against, by code."""
    cache = current_app.extensions.setdefault("trainer_readiness", {})
    if "outlines" not in cache:
        cache["outlines"] = exam_outlines(blueprints())
    return cache["outlines"]


# ---- recording --------------------------------------------------------------------------------


def record_evidence(user_id: int, evidence: Iterable[Evidence]) -> list[MasteryEvidence]:
    """Count evidence towards a learner's mastery: log each piece and update the running sums.

    The hook for every source of answers (the prescription simulator calls it with the
    scenario's blueprint codes and its score). Codes are expanded to their domains and
    crosswalked outlines here. Evidence naming no code is ignored.
    """
    entries = [e for e in evidence if e.codes]
    if not entries:
        return []
    known = outlines()
    # two requests must not add to one learner's sums at once (see accounts.lock_learner)
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())
    logged = []
    by_code: dict[str, list[tuple[datetime, float, float]]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.occurred_at):
        weight = SOURCE_WEIGHTS[entry.source] if entry.weight is None else entry.weight
        score = min(max(float(entry.score), 0.0), 1.0)
        row = MasteryEvidence(
            user_id=user_id, source=entry.source, codes=list(entry.codes),
            score=Decimal(str(round(score, 4))), weight=Decimal(str(round(weight, 4))),
            occurred_at=entry.occurred_at, attempt_item_id=entry.attempt_item_id,
            reference=entry.reference[:120],
        )
        db.session.add(row)
        logged.append(row)
        for code in counted_codes(entry.codes, known):
            by_code[code].append((entry.occurred_at, score, weight))
    _add_to_sums(user_id, by_code)
    db.session.flush()
    return logged


def _add_to_sums(user_id: int, by_code: dict[str, list[tuple[datetime, float, float]]]) -> None:
    rows = {
        row.code: row for row in db.session.scalars(
            select(AreaMastery).where(AreaMastery.user_id == user_id, AreaMastery.code.in_(list(by_code)))
        )
    }
    for code, observations in by_code.items():
        row = rows.get(code)
        state = _evidence(row) if row is not None else AreaEvidence()
        for at, score, weight in observations:
            state = observe(state, score, at, weight=weight)
        if row is None:
            row = AreaMastery(user_id=user_id, code=code)
            db.session.add(row)
        row.right, row.wrong, row.items, row.as_of = state.right, state.wrong, state.items, state.as_of


def _evidence(row: AreaMastery) -> AreaEvidence:
    return AreaEvidence(row.right, row.wrong, row.items, row.as_of)


def question_codes(question_ids: Iterable[int]) -> dict[int, list[str]]:
    """The outline codes each question names (one query)."""
    ids = list(set(question_ids))
    codes: dict[int, list[str]] = defaultdict(list)
    if ids:
        for question_id, code in db.session.execute(
            select(QuestionArea.question_id, QuestionArea.code)
            .where(QuestionArea.question_id.in_(ids)).order_by(QuestionArea.code)
        ):
            codes[question_id].append(code)
    return codes


def is_evidence(item: AttemptItem) -> bool:
    """Whether a graded item says something of the learner's knowledge.

    Not when it was left blank (time ran out, or skipped), when it is a description (not
    a question), or while its answer waits for an instructor to grade it.
    """
    if item.graded_at is None:
        return False
    flags = item.grade_flags or []
    if "blank" in flags or "awaiting_grading" in flags:
        return False
    type_ = QUESTION_TYPES.get((item.instance or {}).get("type"))
    return type_ is None or getattr(type_, "scored", True)


def record_graded_items(user_id: int, items: Iterable[AttemptItem], *, source: str,
                        now: datetime | None = None) -> list[MasteryEvidence]:
    """Count graded attempt items (quiz, knowledge check, mock exam, practice) towards mastery.

    Only items that are evidence count (see is_evidence); partial credit counts as its fraction.
    """
    graded = [i for i in items if is_evidence(i)]
    codes = question_codes(i.question_id for i in graded)
    return record_evidence(user_id, [
        Evidence(
            codes=tuple(codes.get(item.question_id, ())), score=float(item.score or 0),
            occurred_at=item.answered_at or now or utcnow(), source=source,
            attempt_item_id=item.id,
        )
        for item in graded
    ])


# ---- reading ------------------------------------------------------------------------------------


LEARNER_EVIDENCE = select(AreaMastery).where(AreaMastery.user_id == bindparam("user_id"))  # built once


def learner_evidence(user_id: int) -> dict[str, AreaEvidence]:
    """The learner's running evidence by outline code (one query, however long the history)."""
    return {row.code: _evidence(row) for row in db.session.scalars(LEARNER_EVIDENCE, {"user_id": user_id})}


def rebuild_mastery(user_id: int) -> int:
    """Recompute the learner's running sums from the evidence log; the pieces replayed.

    After a regrade, or after the outlines changed: codes are expanded (domains,
    crosswalks) with the outlines as they are now.
    """
    db.session.execute(delete(AreaMastery).where(AreaMastery.user_id == user_id))
    by_code: dict[str, list[tuple[datetime, float, float]]] = defaultdict(list)
    known = outlines()
    count = 0
    for row in db.session.scalars(
        select(MasteryEvidence).where(MasteryEvidence.user_id == user_id)
        .order_by(MasteryEvidence.occurred_at, MasteryEvidence.id)
    ):
        count += 1
        for code in counted_codes(row.codes, known):
            by_code[code].append((row.occurred_at, float(row.score), float(row.weight)))
    db.session.flush()
    _add_to_sums(user_id, by_code)
    db.session.flush()
    return count


def rebuild_all_mastery() -> tuple[int, int]:
    """Rebuild every learner's running sums from the log: (learners, pieces replayed)."""
    users = list(db.session.scalars(select(MasteryEvidence.user_id).distinct()))
    return len(users), sum(rebuild_mastery(user_id) for user_id in users)


def regrade_evidence(changes: Iterable[tuple[int, int, Decimal | None]]) -> set[int]:
    """Give logged evidence the regraded scores: (attempt item id, user id, new score); the users rebuilt."""
    scores = {item_id: score for item_id, _, score in changes if score is not None}
    users = {user_id for _, user_id, score in changes if score is not None}
    if not scores:
        return set()
    for row in db.session.scalars(
        select(MasteryEvidence).where(MasteryEvidence.attempt_item_id.in_(list(scores)))
    ):
        row.score = scores[row.attempt_item_id]
    db.session.flush()
    for user_id in users:
        rebuild_mastery(user_id)
    return users
