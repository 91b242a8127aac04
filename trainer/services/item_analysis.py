"""Item analysis over stored quiz attempts: per quiz, per question, and the flagged items.

Responses come from closed quiz attempts, by default each learner's *first* closed
attempt (at the quiz, or for a question at any quiz that asked it), so practice on
repeated attempts does not flatter the items. Whose attempts count is the instructor's
scope: the learners of the cohorts they teach (or one of them); an admin's scope may be
everyone. The statistics are trainer.teaching.item_statistics, pure; this module only
reads the rows, in a fixed number of queries whatever the number of responses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import Assignment, Attempt, AttemptItem, Question, Quiz
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


def _rest(attempt_score, attempt_max, item_score) -> float | None:
    """The attempt's score without this item, as a fraction of what the other items could earn."""
    if attempt_score is None or attempt_max is None or attempt_max <= 1:
        return None
    return float((attempt_score - (item_score or 0)) / (attempt_max - 1))


_RESPONSE_COLUMNS = (
    AttemptItem.question_id, Attempt.quiz_id, Attempt.id, Attempt.user_id, AttemptItem.score,
    Attempt.score, Attempt.max_score, AttemptItem.seconds_on_item, AttemptItem.chosen,
    AttemptItem.response, Question.type,
)


def _response(row, values) -> Response:
    (_, _, attempt_id, _, item_score, attempt_score, attempt_max, seconds, chosen, response, qtype) = row
    answer = response if qtype in ("numeric", "calculated", "short_answer") and isinstance(response, str) else None
    return Response(
        respondent=attempt_id, score=float(item_score or 0), rest=_rest(attempt_score, attempt_max, item_score),
        chosen=tuple(chosen) if isinstance(chosen, list) else None, answer=answer, seconds=seconds,
        values=values,
    )


def _values_by_item(item_ids: list[int]) -> dict[int, dict]:
    """The drawn values of calculated items, read from their stored instances (one query)."""
    if not item_ids:
        return {}
    found = {}
    for chunk_start in range(0, len(item_ids), 5000):
        chunk = item_ids[chunk_start:chunk_start + 5000]
        for item_id, values in db.session.execute(
            select(AttemptItem.id, AttemptItem.instance["values"]).where(AttemptItem.id.in_(chunk))
        ):
            if isinstance(values, dict):
                found[item_id] = values
    return found


def _read_responses(stmt, *, with_values: bool) -> dict[int, list[Response]]:
    """Responses by question id from a statement selecting _RESPONSE_COLUMNS (+ AttemptItem.id)."""
    rows = db.session.execute(stmt.order_by(Attempt.id, AttemptItem.position)).all()
    calculated = [row[-1] for row in rows if row[10] == "calculated"] if with_values else []
    values = _values_by_item(calculated)
    by_question: dict[int, list[Response]] = defaultdict(list)
    for row in rows:
        by_question[row[0]].append(_response(row[:-1], values.get(row[-1])))
    return by_question


def _responses_stmt():
    return (select(*_RESPONSE_COLUMNS, AttemptItem.id)
            .join(Attempt, Attempt.id == AttemptItem.attempt_id)
            .join(Question, Question.id == AttemptItem.question_id)
            .where(AttemptItem.graded_at.is_not(None)))


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
    by_question = _read_responses(_responses_stmt().where(Attempt.id.in_(attempts)), with_values=True)
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
    stmt = _responses_stmt().where(AttemptItem.question_id == question.id, Attempt.id.in_(attempts))
    rows = db.session.execute(stmt.order_by(Attempt.id, AttemptItem.position)).all()
    values = _values_by_item([row[-1] for row in rows]) if question.type == "calculated" else {}
    responses = [_response(row[:-1], values.get(row[-1])) for row in rows]
    per_quiz: dict[int, int] = defaultdict(int)
    for row in rows:
        per_quiz[row[1]] += 1
    quizzes = {q.id: q for q in db.session.scalars(select(Quiz).where(Quiz.id.in_(list(per_quiz))))} if per_quiz else {}
    return QuestionAnalysis(
        question, _analyse(question, responses), len({row[3] for row in rows}),
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
    rows = db.session.execute(
        _responses_stmt().where(Attempt.id.in_(attempts)).order_by(Attempt.id, AttemptItem.position)).all()
    by_quiz: dict[int, dict[int, list[Response]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_quiz[row[1]][row[0]].append(_response(row[:-1], None))
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
