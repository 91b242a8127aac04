"""The gradebook: a cohort's learners × its assignments, each cell a status and a score, with
weighted totals; one learner's record, and one assignment's results.

A fixed number of queries whatever the size of the class: the learners (1), the
assignments (1), the extensions (1), then per kind of work in use one query for the
targets and one to three for the tries. The rules (what counts, lateness, totals)
are trainer.teaching.gradebook, pure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from trainer.extensions import db
from trainer.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Cohort,
    CohortMember,
    Quiz,
    QuizAccommodation,
    User,
    utcnow,
)
from trainer.services.assignments import (
    CellRules,
    Target,
    cell_for,
    cohort_assignments,
    describe,
    extensions_for,
    kind_of,
    late_policy,
    work_for,
)
from trainer.teaching.gradebook import Cell, LatePolicy, LearnerRow, weighted_total


@dataclass
class Column:
    """One assignment as a gradebook column."""

    assignment: Assignment
    target: Target
    kind_label: str
    policy: LatePolicy

    @property
    def title(self) -> str:
        return self.target.title


@dataclass
class Gradebook:
    """A cohort's gradebook: its columns, and one row per learner."""

    cohort: Cohort
    columns: list[Column]
    rows: list[LearnerRow]
    extended: set[tuple[int, int]] = field(default_factory=set)  # (learner id, column index)

    @property
    def titles(self) -> list[str]:
        return [column.title for column in self.columns]


def _columns(assignments: list[Assignment]) -> list[Column]:
    targets = describe(assignments)
    columns = []
    for assignment in assignments:
        kind = kind_of(assignment)
        columns.append(Column(assignment, targets[assignment.id], kind.label if kind else assignment.kind,
                              late_policy(assignment)))
    return columns


def cohort_learners(cohort: Cohort) -> list[tuple[int, str, str]]:
    """(id, name, email) of the cohort's learners now, by name."""
    return [tuple(row) for row in db.session.execute(
        select(User.id, User.name, User.email).join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.removed_at.is_(None))
        .order_by(User.name, User.email))]


def build_gradebook(cohort: Cohort, *, now: datetime | None = None,
                    learners: list[tuple[int, str, str]] | None = None) -> Gradebook:
    """Every learner's cell on every assignment of the cohort, and their weighted totals."""
    now = now or utcnow()
    learners = cohort_learners(cohort) if learners is None else learners
    assignments = cohort_assignments(cohort)
    columns = _columns(assignments)
    user_ids = [learner_id for learner_id, _, _ in learners]
    tries = work_for(assignments, user_ids)
    extensions = extensions_for([a.id for a in assignments]) if assignments and user_ids else {}
    weights = [assignment.weight for assignment in assignments]
    rules = [(assignment.id, CellRules(assignment)) for assignment in assignments]
    rows = []
    extended = set()
    for learner_id, name, email in learners:
        cells = []
        for index, (assignment_id, rule) in enumerate(rules):
            extension = extensions.get((assignment_id, learner_id)) if extensions else None
            if extension is not None:
                extended.add((learner_id, index))
            cells.append(rule.cell(tries.get((assignment_id, learner_id), ()), extension, now))
        rows.append(LearnerRow(learner_id, name, email, cells, weighted_total(cells, weights)))
    return Gradebook(cohort, columns, rows, extended)


def column_summary(book: Gradebook) -> list[dict]:
    """Per column: how many learners are done, late, missing, and the mean counted score."""
    summary = []
    for index, _ in enumerate(book.columns):
        counts: dict[str, int] = defaultdict(int)
        scores = []
        for row in book.rows:
            cell = row.cells[index]
            counts[cell.status] += 1
            if cell.counted is not None:
                scores.append(cell.counted)
        mean = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else None
        summary.append({"counts": dict(counts), "mean": mean})
    return summary


# ---- drill-downs ----------------------------------------------------------------------------------


@dataclass
class LearnerRecord:
    """One learner in one cohort: their cells, and every attempt at the cohort's quizzes."""

    user: User
    columns: list[Column]
    cells: list[Cell]
    total: Decimal | None
    extensions: dict[int, object]  # by assignment id
    attempts: dict[int, list[Attempt]]  # by quiz id, oldest first
    extra_minutes: dict[int, int]  # by quiz id


def learner_record(cohort: Cohort, user: User, *, now: datetime | None = None) -> LearnerRecord:
    """The learner's standing on each of the cohort's assignments, with their quiz attempts."""
    now = now or utcnow()
    assignments = cohort_assignments(cohort)
    columns = _columns(assignments)
    tries = work_for(assignments, [user.id])
    extensions = extensions_for([a.id for a in assignments], [user.id])
    cells = [cell_for(a, tries.get((a.id, user.id), []), extensions.get((a.id, user.id)), now) for a in assignments]
    quiz_ids = [a.target_id for a in assignments if a.kind == "quiz"]
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    extra: dict[int, int] = {}
    if quiz_ids:
        for attempt in db.session.scalars(
            select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == "quiz", Attempt.quiz_id.in_(quiz_ids))
            .order_by(Attempt.id)
        ):
            attempts[attempt.quiz_id].append(attempt)
        extra = dict(db.session.execute(select(QuizAccommodation.quiz_id, QuizAccommodation.extra_minutes).where(
            QuizAccommodation.user_id == user.id, QuizAccommodation.quiz_id.in_(quiz_ids))).all())
    return LearnerRecord(user, columns, cells, weighted_total(cells, [a.weight for a in assignments]),
                         {a.id: extensions[(a.id, user.id)] for a in assignments if (a.id, user.id) in extensions},
                         attempts, extra)


def learner_attempt_in(cohort: Cohort, user_id: int, attempt_id: int) -> Attempt | None:
    """A learner's closed quiz attempt at one of the cohort's assigned quizzes, with its items, or None.

    The instructor's drill-down reaches only attempts of the cohort's learners at the
    cohort's quizzes; any other id is "not found".
    """
    member = db.session.scalar(select(CohortMember.id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id))
    if member is None:
        return None
    quiz_ids = select(Assignment.target_id).where(Assignment.cohort_id == cohort.id, Assignment.kind == "quiz")
    return db.session.scalar(
        select(Attempt).where(Attempt.id == attempt_id, Attempt.user_id == user_id, Attempt.kind == "quiz",
                              Attempt.quiz_id.in_(quiz_ids))
        .options(joinedload(Attempt.quiz), joinedload(Attempt.user),
                 selectinload(Attempt.items).joinedload(AttemptItem.question))
    )


@dataclass
class AssignmentResults:
    """One assignment across the cohort: each learner's cell, and counts."""

    column: Column
    rows: list[tuple[LearnerRow, Cell, bool]]  # (learner, their cell, extended?)
    counts: dict[str, int]
    mean: Decimal | None
    quiz: Quiz | None


def assignment_results(cohort: Cohort, assignment: Assignment, *, now: datetime | None = None) -> AssignmentResults:
    """How each learner stands on one assignment (a fixed number of queries)."""
    now = now or utcnow()
    learners = cohort_learners(cohort)
    (column,) = _columns([assignment])
    user_ids = [learner_id for learner_id, _, _ in learners]
    tries = work_for([assignment], user_ids)
    extensions = extensions_for([assignment.id])
    rows = []
    counts: dict[str, int] = defaultdict(int)
    scores = []
    for learner_id, name, email in learners:
        extension = extensions.get((assignment.id, learner_id))
        cell = cell_for(assignment, tries.get((assignment.id, learner_id), []), extension, now)
        rows.append((LearnerRow(learner_id, name, email, [cell]), cell, extension is not None))
        counts[cell.status] += 1
        if cell.counted is not None:
            scores.append(cell.counted)
    mean = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01")) if scores else None
    quiz = db.session.get(Quiz, assignment.target_id) if assignment.kind == "quiz" else None
    return AssignmentResults(column, rows, dict(counts), mean, quiz)


@dataclass
class DueSoon:
    """An assignment due soon in one of an instructor's cohorts, with how many have not finished."""

    assignment: Assignment
    cohort: Cohort
    target: Target
    not_done: int
    learners: int


def due_soon(cohort_ids: list[int] | None, *, now: datetime | None = None, days: int = 14,
             limit: int = 10) -> list[DueSoon]:
    """Assignments due in the next `days` days in these cohorts (None: every cohort), soonest first."""
    now = now or utcnow()
    window = (Assignment.due_at >= now, Assignment.due_at <= now + timedelta(days=days))
    return _with_progress(cohort_ids, window, (Assignment.due_at, Assignment.id), now, limit)


def behind(cohort_ids: list[int] | None, *, now: datetime | None = None, days: int = 14,
           limit: int = 10) -> list[DueSoon]:
    """Assignments that fell due in the last `days` days with learners who have not done them, latest first."""
    now = now or utcnow()
    window = (Assignment.due_at < now, Assignment.due_at >= now - timedelta(days=days))
    # The limit is taken before the finished ones are left out, so the count of
    # queries stays fixed; an instructor with more than `limit` has the gradebook.
    late = _with_progress(cohort_ids, window, (Assignment.due_at.desc(), Assignment.id), now, limit)
    return [entry for entry in late if entry.not_done]


def _with_progress(cohort_ids, window, order, now: datetime, limit: int) -> list[DueSoon]:
    """The assignments in a due-date window with how many of their cohort's learners have not done them."""
    stmt = (select(Assignment, Cohort).join(Cohort, Cohort.id == Assignment.cohort_id)
            .where(*window).order_by(*order).limit(limit))
    if cohort_ids is not None:
        if not cohort_ids:
            return []
        stmt = stmt.where(Assignment.cohort_id.in_(cohort_ids))
    rows = db.session.execute(stmt).all()
    if not rows:
        return []
    assignments = [a for a, _ in rows]
    targets = describe(assignments)
    members: dict[int, list[int]] = defaultdict(list)
    for cohort_id, user_id in db.session.execute(
        select(CohortMember.cohort_id, CohortMember.user_id).where(
            CohortMember.cohort_id.in_({a.cohort_id for a in assignments}), CohortMember.removed_at.is_(None))
    ):
        members[cohort_id].append(user_id)
    all_users = sorted({u for ids in members.values() for u in ids})
    tries = work_for(assignments, all_users)
    extensions = extensions_for([a.id for a in assignments])
    result = []
    for assignment, cohort in rows:
        learners = members.get(cohort.id, [])
        not_done = sum(
            1 for user_id in learners
            if cell_for(assignment, tries.get((assignment.id, user_id), []),
                        extensions.get((assignment.id, user_id)), now).status not in ("done", "late")
        )
        result.append(DueSoon(assignment, cohort, targets[assignment.id], not_done, len(learners)))
    return result
