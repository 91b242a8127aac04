"""Item analysis over stored quiz attempts: per quiz, per question, and the flagged items.

Responses come from closed quiz attempts, by default each learner's *first* closed
attempt (at the quiz, or for a question at any quiz that asked it), so practice on
repeated attempts does not flatter the items. Whose attempts count is the instructor's
scope: the learners of the cohorts they teach (or one of them); an admin's scope may be
everyone. The statistics are trainer.teaching.item_statistics, pure; this module only
reads the rows, in a fixed number of queries whatever the number of responses.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Float, String, case, func, literal, select, type_coerce
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import Assignment, Attempt, AttemptItem, Question, Quiz, Regrade
from trainer.questions import QUESTION_TYPES
from trainer.services.attempts import CLOSED
from trainer.services.cohorts import learner_ids_in
from trainer.teaching.item_statistics import (
    ItemStatistics,
    Response,
    TotalsSummary,
    analyse_item,
    question_choices,
    summarise_totals,
)


@dataclass(frozen=True)
class Scope:
    """Whose attempts an analysis reads: the learners of these cohorts, or everyone (None)."""

    cohort_ids: tuple[int, ...] | None
    label: str

    def restrict(self, stmt):
        """Add the scope's condition on Attempt.user_id to a statement."""
        if self.cohort_ids is None:
            return stmt
        return stmt.where(Attempt.user_id.in_(learner_ids_in(self.cohort_ids)))

    @property
    def empty(self) -> bool:
        return self.cohort_ids is not None and not self.cohort_ids


@dataclass
class QuestionResult:
    """One question's statistics within an analysis."""

    question: Question
    stats: ItemStatistics


@dataclass
class QuizAnalysis:
    """Every question of one quiz, from the attempts in scope."""

    quiz: Quiz
    totals: TotalsSummary
    learners: int
    questions: list[QuestionResult] = field(default_factory=list)
    first_only: bool = True

    @property
    def flagged(self) -> list[QuestionResult]:
        return [result for result in self.questions if result.stats.flagged]


def _closed_quiz_attempts(scope: Scope):
    return scope.restrict(select(Attempt.id).where(Attempt.kind == "quiz", Attempt.status.in_(CLOSED)))


def _first_attempts(scope: Scope, quiz_ids):
    """Each learner's first closed attempt at each of these quizzes (a subquery of attempt ids)."""
    return scope.restrict(
        select(func.min(Attempt.id)).where(Attempt.kind == "quiz", Attempt.status.in_(CLOSED),
                                           Attempt.quiz_id.in_(quiz_ids))
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )


TYPED = ("numeric", "calculated", "short_answer")
# Items without a score of their own (a description) say nothing about learners; an essay
# counts once an instructor has graded it, not while its answer waits with a provisional 0.
UNSCORED = tuple(name for name, type_ in QUESTION_TYPES.items() if not type_.scored)
BY_HAND = tuple(name for name, type_ in QUESTION_TYPES.items() if type_.graded_by_hand)
AWAITING = "awaiting_grading"


def _text(expression):
    """A JSON expression read back as its text, so a row is not decoded unless it must be (PostgreSQL's
    driver may hand it over decoded already; `_decoded` takes either)."""
    return type_coerce(expression, String())


def _decoded(raw, cache: dict):
    """A JSON value from a row: decoded once per distinct text (answers and choices repeat a lot)."""
    if raw is None or not isinstance(raw, str):
        return raw
    if raw not in cache:
        try:
            cache[raw] = json.loads(raw)
        except ValueError:
            cache[raw] = None
    return cache[raw]


# Scores are read as floats: the statistics are floats, and Decimal arithmetic on twenty
# thousand rows would cost more than the statistics themselves.
_RESPONSE_COLUMNS = (
    AttemptItem.question_id, Attempt.quiz_id, Attempt.id, Attempt.user_id,
    type_coerce(AttemptItem.score, Float()).label("item_score"),
    type_coerce(Attempt.score, Float()).label("attempt_score"),
    type_coerce(Attempt.max_score, Float()).label("attempt_max"), AttemptItem.seconds_on_item,
    _text(AttemptItem.chosen).label("chosen"),
    _text(case((Question.type.in_(TYPED), AttemptItem.response))).label("answer"),
    _text(case((Question.type.in_(BY_HAND), AttemptItem.grade_flags))).label("flags"),
)


def _responses_stmt(*, with_values: bool):
    values = (_text(case((Question.type == "calculated", AttemptItem.instance["values"]))) if with_values
              else literal(None)).label("drawn")
    return (select(*_RESPONSE_COLUMNS, values)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .join(Question, Question.id == AttemptItem.question_id)
            .where(AttemptItem.graded_at.is_not(None), Question.type.not_in(UNSCORED)))


def _responses(rows) -> list[tuple[int, int, int, Response]]:
    """(question id, quiz id, user id, Response) for each row of _responses_stmt."""
    cache: dict = {}
    result = []
    for (question_id, quiz_id, attempt_id, user_id, item_score, total, possible, seconds, chosen, answer, flags,
         values) in rows:
        if flags is not None and AWAITING in (flags if isinstance(flags, str) else str(flags)):
            continue
        item_score = item_score or 0.0
        # the rest score: the attempt without this item, as a fraction of what its other items could earn
        rest = (total - item_score) / (possible - 1) if total is not None and possible and possible > 1 else None
        chosen = _decoded(chosen, cache)
        answer = _decoded(answer, cache)
        result.append((question_id, quiz_id, user_id, Response(
            attempt_id, item_score, rest, tuple(chosen) if isinstance(chosen, list) else None,
            answer if isinstance(answer, str) else None, seconds, _decoded(values, cache),
        )))
    return result


def _read(stmt) -> list[tuple[int, int, int, Response]]:
    return _responses(db.session.execute(stmt.order_by(Attempt.id, AttemptItem.position)))


def _questions(ids) -> dict[int, Question]:
    ids = list(ids)
    if not ids:
        return {}
    return {q.id: q for q in db.session.scalars(
        select(Question).where(Question.id.in_(ids)).options(selectinload(Question.current_version)))}


def _analyse(question: Question, responses: list[Response]) -> ItemStatistics:
    data = question.data or {}
    variables = data.get("variables") if question.type == "calculated" else None
    return analyse_item(responses, choices=question_choices(data), variables=variables)


def analyse_quiz(quiz: Quiz, scope: Scope, *, first_only: bool = True) -> QuizAnalysis:
    """Item analysis of every question the quiz asked in the attempts in scope."""
    attempts = _first_attempts(scope, [quiz.id]) if first_only else _closed_quiz_attempts(scope).where(
        Attempt.quiz_id == quiz.id)
    totals_rows = db.session.execute(
        select(Attempt.percent, Attempt.user_id).where(Attempt.id.in_(attempts))).all()
    by_question: dict[int, list[Response]] = defaultdict(list)
    for question_id, _, _, response in _read(_responses_stmt(with_values=True).where(Attempt.id.in_(attempts))):
        by_question[question_id].append(response)
    questions = _questions(by_question)
    results = [QuestionResult(questions[qid], _analyse(questions[qid], responses))
               for qid, responses in by_question.items() if qid in questions]
    results.sort(key=lambda r: r.question.uid)
    return QuizAnalysis(quiz, summarise_totals([float(p) for p, _ in totals_rows if p is not None]),
                        len({user_id for _, user_id in totals_rows}), results, first_only)


@dataclass
class QuestionAnalysis:
    """One question across every quiz in scope."""

    question: Question
    stats: ItemStatistics
    learners: int
    quizzes: list[tuple[Quiz, int]]  # each quiz that asked it, with its number of responses
    first_only: bool = True


def analyse_question(question: Question, scope: Scope, *, first_only: bool = True) -> QuestionAnalysis:
    """Item analysis of one question over the quiz attempts in scope that asked it."""
    attempts = _closed_quiz_attempts(scope).join(AttemptItem, AttemptItem.attempt_id == Attempt.id).where(
        AttemptItem.question_id == question.id)
    if first_only:
        attempts = scope.restrict(
            select(func.min(Attempt.id)).join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
            .where(Attempt.kind == "quiz", Attempt.status.in_(CLOSED), AttemptItem.question_id == question.id)
            .group_by(Attempt.user_id))
    rows = _read(_responses_stmt(with_values=True).where(
        AttemptItem.question_id == question.id, Attempt.id.in_(attempts)))
    responses = [response for _, _, _, response in rows]
    per_quiz: dict[int, int] = defaultdict(int)
    for _, quiz_id, _, _ in rows:
        per_quiz[quiz_id] += 1
    quizzes = {q.id: q for q in db.session.scalars(select(Quiz).where(Quiz.id.in_(list(per_quiz))))} if per_quiz else {}
    return QuestionAnalysis(
        question, _analyse(question, responses), len({user_id for _, _, user_id, _ in rows}),
        sorted(((quizzes[qid], n) for qid, n in per_quiz.items() if qid in quizzes), key=lambda p: p[0].title),
        first_only,
    )


@dataclass
class QuizOverview:
    """A quiz with attempts in scope: its sample and its flagged questions."""

    quiz: Quiz
    attempts: int
    learners: int
    mean: float | None
    flagged: list[QuestionResult]
    questions: int


def overview(scope: Scope, *, quiz_ids: list[int] | None = None, first_only: bool = True) -> list[QuizOverview]:
    """Every quiz with closed attempts in scope (or just `quiz_ids`), each analysed, by title.

    Three queries for any number of quizzes and responses: the attempts, the responses,
    the questions.
    """
    if scope.empty:
        return []
    base = _closed_quiz_attempts(scope)
    if quiz_ids is not None:
        if not quiz_ids:
            return []
        base = base.where(Attempt.quiz_id.in_(quiz_ids))
    if first_only:
        attempts = scope.restrict(
            select(func.min(Attempt.id)).where(Attempt.kind == "quiz", Attempt.status.in_(CLOSED))
            .where(Attempt.quiz_id.in_(quiz_ids) if quiz_ids is not None else Attempt.quiz_id.is_not(None))
            .group_by(Attempt.user_id, Attempt.quiz_id))
    else:
        attempts = base
    totals = db.session.execute(select(Attempt.quiz_id, Attempt.user_id, Attempt.percent)
                                .where(Attempt.id.in_(attempts))).all()
    if not totals:
        return []
    by_quiz: dict[int, dict[int, list[Response]]] = defaultdict(lambda: defaultdict(list))
    for question_id, quiz_id, _, response in _read(_responses_stmt(with_values=False).where(Attempt.id.in_(attempts))):
        by_quiz[quiz_id][question_id].append(response)
    questions = _questions({qid for per in by_quiz.values() for qid in per})
    quizzes = {q.id: q for q in db.session.scalars(select(Quiz).where(Quiz.id.in_({t[0] for t in totals})))}
    summary: dict[int, list] = defaultdict(list)
    for quiz_id, user_id, percent in totals:
        summary[quiz_id].append((user_id, percent))
    result = []
    for quiz_id, entries in summary.items():
        flagged = []
        for qid, responses in by_quiz.get(quiz_id, {}).items():
            if qid not in questions:
                continue
            stats = _analyse(questions[qid], responses)
            if stats.flagged:
                flagged.append(QuestionResult(questions[qid], stats))
        flagged.sort(key=lambda r: r.question.uid)
        percents = [float(p) for _, p in entries if p is not None]
        result.append(QuizOverview(quizzes[quiz_id], len(entries), len({u for u, _ in entries}),
                                   summarise_totals(percents).mean, flagged, len(by_quiz.get(quiz_id, {}))))
    result.sort(key=lambda o: o.quiz.title)
    return result


def assigned_quiz_ids(cohort_ids: list[int] | None) -> list[int]:
    """The quizzes assigned to these cohorts (None: to any cohort)."""
    stmt = select(Assignment.target_id).where(Assignment.kind == "quiz").distinct()
    if cohort_ids is not None:
        if not cohort_ids:
            return []
        stmt = stmt.where(Assignment.cohort_id.in_(cohort_ids))
    return list(db.session.scalars(stmt))


def responses_version(scope: Scope, quiz_ids: list[int]) -> tuple:
    """Something that changes whenever the analysis of these quizzes could: the number and the
    newest of the closed attempts in scope, and the newest regrade (two queries)."""
    attempts = _closed_quiz_attempts(scope).where(Attempt.quiz_id.in_(quiz_ids)).subquery()
    count, newest = db.session.execute(select(func.count(attempts.c.id), func.max(attempts.c.id))).one()
    regraded = db.session.scalar(select(func.max(Regrade.id)))
    return count, newest, regraded
