"""Assignments: work set for a cohort, with an opening, a due date, a late policy and a weight;
per-learner extensions and extra time; what each learner has to do, and how they stand.

What is assigned is a kind and an id (`Assignment.kind`, `Assignment.target_id`). Each
kind is an `AssignmentKind` registered in ASSIGNMENT_KINDS; this module registers
quizzes, courses and single modules.

Adding a kind (a prescription scenario, a mock exam) is a small change in the area
that owns it, with no migration:

    from trainer.services.assignments import AssignmentKind, Target, register_kind
    from trainer.teaching.gradebook import Work

    @register_kind
    class ScenarioKind(AssignmentKind):
        name = "scenario"            # stored in Assignment.kind (at most 20 characters)
        label = "Scenario"
        counts_before_open = False   # does work finished before the opening count?

        def options(self): ...       # what an instructor may assign now: [Target]
        def targets(self, ids): ...  # {id: Target}, one query, also for unpublished ones
        def work(self, ids, user_ids): ...  # {(target id, user id): [Work]}, a fixed number of queries

A `Target` names the learner's page and the instructor's page by endpoint and
arguments (services never build URLs). `Work` is one try: started, finished (or not)
and its percent; trainer.teaching.gradebook turns tries into a cell (done, late,
missing…) and weighted totals. The gradebook, the learner's dashboard and the
assignment pages then show the new kind without further change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import aliased

from trainer.extensions import db
from trainer.models import (
    Assignment,
    AssignmentExtension,
    Attempt,
    AuditEvent,
    CECredit,
    Cohort,
    CohortMember,
    Course,
    Module,
    ModuleProgress,
    Quiz,
    User,
    utcnow,
)
from trainer.models.teaching import LATE_POLICIES
from trainer.services.attempts import CLOSED
from trainer.services.quizzes import grant_extra_time
from trainer.teaching.gradebook import Cell, LatePolicy, Work, grade_cell

MAX_WEIGHT = Decimal("1000")
NOTE_LENGTH = 200


@dataclass(frozen=True)
class Target:
    """What an assignment points at, as pages show it."""

    id: int
    title: str
    # (endpoint, arguments) of the learner's page and of the instructor's page
    learner_link: tuple[str, dict] | None = None
    teach_link: tuple[str, dict] | None = None
    detail: str = ""  # e.g. the course a module belongs to
    available: bool = True  # published, so learners can reach it


class AssignmentKind:
    """One kind of assignable work; subclass it and register it with `register_kind`."""

    name = ""
    label = ""
    counts_before_open = False

    def options(self) -> list[Target]:
        """What an instructor may assign now, by title."""
        raise NotImplementedError

    def targets(self, ids: Iterable[int]) -> dict[int, Target]:
        """The targets with these ids, whatever their state (one query)."""
        raise NotImplementedError

    def work(self, ids: Iterable[int], user_ids: Iterable[int]) -> dict[tuple[int, int], list[Work]]:
        """Every try of these learners at these targets, by (target id, user id)."""
        raise NotImplementedError


ASSIGNMENT_KINDS: dict[str, AssignmentKind] = {}


def register_kind(kind_class: type[AssignmentKind]) -> type[AssignmentKind]:
    """Make a kind of work assignable (class decorator)."""
    ASSIGNMENT_KINDS[kind_class.name] = kind_class()
    return kind_class


@register_kind
class QuizKind(AssignmentKind):
    """A quiz: every closed attempt started after the opening is a try; the best counts."""

    name = "quiz"
    label = "Quiz"
    counts_before_open = False

    def _target(self, row) -> Target:
        return Target(row.id, row.title, ("quizzes.quiz", {"slug": row.slug}), ("teach.quiz", {"slug": row.slug}),
                      available=row.status == "published")

    def options(self) -> list[Target]:
        rows = db.session.execute(select(Quiz.id, Quiz.slug, Quiz.title, Quiz.status)
                                  .where(Quiz.status == "published").order_by(Quiz.title))
        return [self._target(row) for row in rows]

    def targets(self, ids) -> dict[int, Target]:
        ids = list(ids)
        if not ids:
            return {}
        rows = db.session.execute(select(Quiz.id, Quiz.slug, Quiz.title, Quiz.status).where(Quiz.id.in_(ids)))
        return {row.id: self._target(row) for row in rows}

    def work(self, ids, user_ids) -> dict[tuple[int, int], list[Work]]:
        ids, user_ids = list(ids), list(user_ids)
        found: dict[tuple[int, int], list[Work]] = defaultdict(list)
        if not ids or not user_ids:
            return found
        rows = db.session.execute(
            select(Attempt.quiz_id, Attempt.user_id, Attempt.started_at, Attempt.submitted_at,
                   Attempt.status, Attempt.percent)
            .where(Attempt.kind == "quiz", Attempt.quiz_id.in_(ids), Attempt.user_id.in_(user_ids))
        )
        for quiz_id, user_id, started, submitted, status, percent in rows:
            closed = status in CLOSED
            found[(quiz_id, user_id)].append(
                Work(started, submitted if closed else None, percent if closed else None))
        return found


@register_kind
class CourseKind(AssignmentKind):
    """A course: done when completed (its post-test passed and CE recorded); progress by modules."""

    name = "course"
    label = "Course"
    counts_before_open = True

    def _target(self, row) -> Target:
        return Target(row.id, row.title, ("courses.course", {"slug": row.slug}), ("teach.course", {"slug": row.slug}),
                      available=row.status == "published")

    def options(self) -> list[Target]:
        rows = db.session.execute(select(Course.id, Course.slug, Course.title, Course.status)
                                  .where(Course.status == "published").order_by(Course.title))
        return [self._target(row) for row in rows]

    def targets(self, ids) -> dict[int, Target]:
        ids = list(ids)
        if not ids:
            return {}
        rows = db.session.execute(select(Course.id, Course.slug, Course.title, Course.status)
                                  .where(Course.id.in_(ids)))
        return {row.id: self._target(row) for row in rows}

    def work(self, ids, user_ids) -> dict[tuple[int, int], list[Work]]:
        ids, user_ids = list(ids), list(user_ids)
        found: dict[tuple[int, int], list[Work]] = defaultdict(list)
        if not ids or not user_ids:
            return found
        modules = dict(db.session.execute(
            select(Module.course_id, func.count()).where(Module.course_id.in_(ids)).group_by(Module.course_id)).all())
        started: dict[tuple[int, int], tuple[datetime, int]] = {
            (course_id, user_id): (first, done) for course_id, user_id, first, done in db.session.execute(
                select(ModuleProgress.course_id, ModuleProgress.user_id, func.min(ModuleProgress.started_at),
                       func.count(ModuleProgress.completed_at))
                .where(ModuleProgress.course_id.in_(ids), ModuleProgress.user_id.in_(user_ids))
                .group_by(ModuleProgress.course_id, ModuleProgress.user_id))
        }
        # a completion counts unless it was withdrawn (a correction of its details still counts)
        withdrawal = aliased(CECredit)
        completed = {
            (course_id, user_id): when for course_id, user_id, when in db.session.execute(
                select(CECredit.course_id, CECredit.user_id, func.min(CECredit.completed_on))
                .where(CECredit.source == "course", CECredit.course_id.in_(ids), CECredit.user_id.in_(user_ids),
                       ~exists().where(withdrawal.corrects_id == CECredit.id, withdrawal.withdrawn.is_(True)))
                .group_by(CECredit.course_id, CECredit.user_id))
        }
        for key in set(started) | set(completed):
            course_id = key[0]
            first, done = started.get(key, (None, 0))
            if key in completed:
                found[key].append(Work(first or completed[key], completed[key], Decimal(100)))
            else:
                total = modules.get(course_id, 0)
                found[key].append(Work(first, progress=(100 * done // total) if total else None))
        return found


@register_kind
class ModuleKind(AssignmentKind):
    """One module of a course: done when the learner completes it (its knowledge checks answered)."""

    name = "module"
    label = "Module"
    counts_before_open = True

    def _query(self):
        return select(Module.id, Module.slug, Module.title, Course.slug.label("course_slug"),
                      Course.title.label("course_title"), Course.status).join(Course, Course.id == Module.course_id)

    def _target(self, row) -> Target:
        return Target(row.id, row.title, ("courses.module", {"slug": row.course_slug, "module_slug": row.slug}),
                      ("teach.course", {"slug": row.course_slug}), detail=row.course_title,
                      available=row.status == "published")

    def options(self) -> list[Target]:
        rows = db.session.execute(self._query().where(Course.status == "published")
                                  .order_by(Course.title, Module.position))
        return [self._target(row) for row in rows]

    def targets(self, ids) -> dict[int, Target]:
        ids = list(ids)
        if not ids:
            return {}
        return {row.id: self._target(row) for row in db.session.execute(self._query().where(Module.id.in_(ids)))}

    def work(self, ids, user_ids) -> dict[tuple[int, int], list[Work]]:
        ids, user_ids = list(ids), list(user_ids)
        found: dict[tuple[int, int], list[Work]] = defaultdict(list)
        if not ids or not user_ids:
            return found
        rows = db.session.execute(
            select(ModuleProgress.module_id, ModuleProgress.user_id, ModuleProgress.started_at,
                   ModuleProgress.completed_at)
            .where(ModuleProgress.module_id.in_(ids), ModuleProgress.user_id.in_(user_ids)))
        for module_id, user_id, started, completed in rows:
            found[(module_id, user_id)].append(
                Work(started, completed, Decimal(100) if completed else None))
        return found


def kind_of(assignment: Assignment) -> AssignmentKind | None:
    """The registered kind of an assignment (None for a kind no longer registered)."""
    return ASSIGNMENT_KINDS.get(assignment.kind)


def late_policy(assignment: Assignment) -> LatePolicy:
    """The assignment's late policy as the gradebook rules take it."""
    return LatePolicy(assignment.late_policy, assignment.late_penalty_per_day or 0)


def describe(assignments: Iterable[Assignment]) -> dict[int, Target]:
    """Each assignment's target by assignment id (one query per kind in use)."""
    by_kind: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_kind[assignment.kind].append(assignment)
    described: dict[int, Target] = {}
    for name, group in by_kind.items():
        kind = ASSIGNMENT_KINDS.get(name)
        found = kind.targets({a.target_id for a in group}) if kind else {}
        for assignment in group:
            described[assignment.id] = found.get(assignment.target_id) or Target(
                assignment.target_id, "(no longer exists)", available=False)
    return described


def work_for(assignments: Iterable[Assignment], user_ids: Iterable[int]) -> dict[tuple[int, int], list[Work]]:
    """Every try of these learners at these assignments, by (assignment id, user id); a fixed
    number of queries per kind, however many learners and assignments."""
    user_ids = list(user_ids)
    by_kind: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_kind[assignment.kind].append(assignment)
    result: dict[tuple[int, int], list[Work]] = {}
    for name, group in by_kind.items():
        kind = ASSIGNMENT_KINDS.get(name)
        if kind is None:
            continue
        found = kind.work({a.target_id for a in group}, user_ids)
        by_target: dict[int, list[int]] = defaultdict(list)
        for assignment in group:
            by_target[assignment.target_id].append(assignment.id)
        for (target_id, user_id), tries in found.items():
            for assignment_id in by_target.get(target_id, ()):
                result[(assignment_id, user_id)] = tries
    return result


def extensions_for(assignment_ids: Iterable[int], user_ids: Iterable[int] | None = None) -> dict[tuple[int, int], AssignmentExtension]:
    """Extensions by (assignment id, user id), in one query."""
    ids = list(assignment_ids)
    if not ids:
        return {}
    stmt = select(AssignmentExtension).where(AssignmentExtension.assignment_id.in_(ids))
    if user_ids is not None:
        stmt = stmt.where(AssignmentExtension.user_id.in_(list(user_ids)))
    return {(e.assignment_id, e.user_id): e for e in db.session.scalars(stmt)}


class CellRules:
    """What grading a cell of one assignment needs, worked out once for all its learners."""

    __slots__ = ("opens_at", "due_at", "policy", "counts_before_open")

    def __init__(self, assignment: Assignment):
        kind = kind_of(assignment)
        self.opens_at, self.due_at = assignment.opens_at, assignment.due_at
        self.policy = late_policy(assignment)
        self.counts_before_open = kind.counts_before_open if kind else False

    def cell(self, work: list[Work], extension: AssignmentExtension | None, now: datetime) -> Cell:
        """One learner's cell (their extension, if any, moves the due date)."""
        return grade_cell(opens_at=self.opens_at, due_at=extension.due_at if extension else self.due_at,
                          policy=self.policy, work=work, now=now, counts_before_open=self.counts_before_open)


def cell_for(assignment: Assignment, work: list[Work], extension: AssignmentExtension | None,
             now: datetime) -> Cell:
    """One learner's cell on one assignment (their extension moves the due date)."""
    return CellRules(assignment).cell(work, extension, now)


# ---- setting assignments -------------------------------------------------------------------------


def cohort_assignments(cohort: Cohort) -> list[Assignment]:
    """The cohort's assignments by due date."""
    return list(db.session.scalars(
        select(Assignment).where(Assignment.cohort_id == cohort.id).order_by(Assignment.due_at, Assignment.id)))


def assignment_in(cohort: Cohort, assignment_id: int) -> Assignment | None:
    """One of the cohort's assignments, or None."""
    return db.session.scalar(select(Assignment).where(
        Assignment.id == assignment_id, Assignment.cohort_id == cohort.id))


@dataclass
class AssignmentValues:
    """What an instructor sets on an assignment."""

    kind: str
    target_id: int | None
    opens_at: datetime | None
    due_at: datetime | None
    late_policy: str = "accept"
    late_penalty_per_day: int = 0
    weight: Decimal = Decimal(1)
    problems: list[tuple[str, str]] = field(default_factory=list)


def assignment_problems(cohort: Cohort, values: AssignmentValues,
                        assignment: Assignment | None = None) -> list[tuple[str, str]]:
    """What is wrong with an assignment's settings, as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    kind = ASSIGNMENT_KINDS.get(values.kind)
    if kind is None:
        problems.append(("target", "Choose what to assign."))
    elif values.target_id is None:
        problems.append(("target", f"Choose a {kind.label.lower()} to assign."))
    elif assignment is None or (assignment.kind, assignment.target_id) != (values.kind, values.target_id):
        target = kind.targets([values.target_id]).get(values.target_id)
        if target is None:
            problems.append(("target", f"No such {kind.label.lower()}."))
        elif not target.available:
            problems.append(("target", f"“{target.title}” is not published: learners could not open it."))
        elif db.session.scalar(select(Assignment.id).where(
                Assignment.cohort_id == cohort.id, Assignment.kind == values.kind,
                Assignment.target_id == values.target_id)) is not None:
            problems.append(("target", f"“{target.title}” is already assigned to this cohort."))
    if values.opens_at is None:
        problems.append(("opens_at", "Give the date and time it opens."))
    if values.due_at is None:
        problems.append(("due_at", "Give the date and time it is due."))
    elif values.opens_at is not None and values.due_at <= values.opens_at:
        problems.append(("due_at", "The due date must come after the opening."))
    if values.late_policy not in LATE_POLICIES:
        problems.append(("late_policy", "Choose how late work counts."))
    elif values.late_policy == "penalty" and not 1 <= values.late_penalty_per_day <= 100:
        problems.append(("late_penalty_per_day", "Give a penalty between 1 and 100 points a day."))
    if not Decimal(0) <= values.weight <= MAX_WEIGHT:
        problems.append(("weight", f"Give a weight between 0 and {MAX_WEIGHT}."))
    return problems


def _apply(assignment: Assignment, values: AssignmentValues) -> None:
    assignment.kind, assignment.target_id = values.kind, values.target_id
    assignment.opens_at, assignment.due_at = values.opens_at, values.due_at
    assignment.late_policy = values.late_policy
    assignment.late_penalty_per_day = values.late_penalty_per_day if values.late_policy == "penalty" else 0
    assignment.weight = values.weight


def create_assignment(cohort: Cohort, values: AssignmentValues, *, actor: User) -> Assignment:
    """Assign work to the cohort (check assignment_problems first)."""
    assignment = Assignment(cohort_id=cohort.id, created_by_id=actor.id)
    _apply(assignment, values)
    db.session.add(assignment)
    db.session.flush()
    AuditEvent.record("assignment_created", subject=f"cohort:{cohort.id}", actor=actor,
                      assignment=assignment.id, kind=values.kind, target=values.target_id,
                      due=values.due_at.isoformat())
    return assignment


def update_assignment(assignment: Assignment, values: AssignmentValues, *, actor: User) -> None:
    """Change an assignment's settings (check assignment_problems first)."""
    old = {"opens": assignment.opens_at.isoformat(), "due": assignment.due_at.isoformat(),
           "late_policy": assignment.late_policy, "weight": str(assignment.weight)}
    _apply(assignment, values)
    AuditEvent.record("assignment_changed", subject=f"cohort:{assignment.cohort_id}", actor=actor,
                      assignment=assignment.id, old=old)


def delete_assignment(assignment: Assignment, *, actor: User) -> None:
    """Withdraw an assignment (the learners' work itself is kept: attempts, progress)."""
    AuditEvent.record("assignment_deleted", subject=f"cohort:{assignment.cohort_id}", actor=actor,
                      assignment=assignment.id, kind=assignment.kind, target=assignment.target_id)
    db.session.delete(assignment)


def set_weights(cohort: Cohort, weights: dict[int, Decimal], *, actor: User) -> list[tuple[str, str]]:
    """Set several assignments' weights at once (the gradebook's weights form)."""
    problems = [(f"weight-{assignment_id}", f"Give a weight between 0 and {MAX_WEIGHT}.")
                for assignment_id, weight in weights.items() if not Decimal(0) <= weight <= MAX_WEIGHT]
    if problems:
        return problems
    changed = {}
    for assignment in cohort_assignments(cohort):
        if assignment.id in weights and assignment.weight != weights[assignment.id]:
            changed[assignment.id] = [str(assignment.weight), str(weights[assignment.id])]
            assignment.weight = weights[assignment.id]
    if changed:
        AuditEvent.record("assignment_weights_changed", subject=f"cohort:{cohort.id}", actor=actor, changed=changed)
    return []


# ---- extensions and extra time ----------------------------------------------------------------------


def is_member(cohort_id: int, user_id: int) -> bool:
    """Whether the learner is in the cohort now."""
    return db.session.scalar(select(CohortMember.id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id,
        CohortMember.removed_at.is_(None))) is not None


def grant_extension(assignment: Assignment, learner: User, due_at: datetime | None, note: str = "", *,
                    actor: User) -> list[tuple[str, str]]:
    """Give one learner a later due date; problems as (field, message) pairs."""
    if not is_member(assignment.cohort_id, learner.id):
        return [("learner", "That learner is not in this cohort.")]
    if due_at is None:
        return [("due_at", "Give the new due date and time.")]
    if due_at <= assignment.due_at:
        return [("due_at", "An extension must be due after the assignment's own due date.")]
    extension = db.session.scalar(select(AssignmentExtension).where(
        AssignmentExtension.assignment_id == assignment.id, AssignmentExtension.user_id == learner.id))
    if extension is None:
        extension = AssignmentExtension(assignment_id=assignment.id, user_id=learner.id)
        db.session.add(extension)
    extension.due_at, extension.note = due_at, note.strip()[:NOTE_LENGTH]
    extension.granted_by_id, extension.granted_at = actor.id, utcnow()
    AuditEvent.record("assignment_extended", subject=f"cohort:{assignment.cohort_id}", actor=actor,
                      assignment=assignment.id, user=learner.email, due=due_at.isoformat())
    return []


def revoke_extension(assignment: Assignment, extension_id: int, *, actor: User) -> bool:
    """Take an extension back (the learner's due date is the assignment's again)."""
    extension = db.session.get(AssignmentExtension, extension_id)
    if extension is None or extension.assignment_id != assignment.id:
        return False
    AuditEvent.record("assignment_extension_revoked", subject=f"cohort:{assignment.cohort_id}", actor=actor,
                      assignment=assignment.id, user_id=extension.user_id)
    db.session.delete(extension)
    return True


def grant_assignment_extra_time(assignment: Assignment, learner: User, minutes: int, note: str = "", *,
                                actor: User) -> tuple[list[tuple[str, str]], list[Attempt]]:
    """Extra time on an assigned quiz, through the quiz's own accommodations (so it holds wherever
    the learner takes that quiz); (problems, attempts in progress that got it)."""
    if assignment.kind != "quiz":
        return [("extra_minutes", "Extra time is for quizzes.")], []
    if not is_member(assignment.cohort_id, learner.id):
        return [("learner", "That learner is not in this cohort.")], []
    if not 1 <= minutes <= 1440:
        return [("extra_minutes", "Give between 1 and 1440 minutes.")], []
    quiz = db.session.get(Quiz, assignment.target_id)
    if quiz is None:
        return [("extra_minutes", "This quiz no longer exists.")], []
    return [], grant_extra_time(quiz, learner, minutes, note, actor=actor)


# ---- a learner's assignments ------------------------------------------------------------------------


@dataclass
class LearnerAssignment:
    """One assignment as the learner sees it: in which cohort, what, due when, and where they stand."""

    assignment: Assignment
    cohort: Cohort
    target: Target
    kind_label: str
    due_at: datetime
    extended: bool
    cell: Cell
    policy: LatePolicy


# Built once: the dashboard runs it on every view, for learners in no cohort too.
LEARNER_ASSIGNMENTS = (
    select(Assignment, Cohort).join(Cohort, Cohort.id == Assignment.cohort_id)
    .join(CohortMember, CohortMember.cohort_id == Cohort.id)
    .where(CohortMember.user_id == bindparam("user_id"), CohortMember.removed_at.is_(None))
)


def learner_assignments(user: User, *, now: datetime | None = None) -> list[LearnerAssignment]:
    """Every assignment of the cohorts `user` is in, by their due date (with extensions), soonest
    first; a fixed number of queries however many there are."""
    now = now or utcnow()
    rows = db.session.execute(LEARNER_ASSIGNMENTS, {"user_id": user.id}).all()
    if not rows:
        return []
    assignments = [assignment for assignment, _ in rows]
    targets = describe(assignments)
    tries = work_for(assignments, [user.id])
    extensions = extensions_for([a.id for a in assignments], [user.id])
    result = []
    for assignment, cohort in rows:
        extension = extensions.get((assignment.id, user.id))
        kind = kind_of(assignment)
        result.append(LearnerAssignment(
            assignment, cohort, targets[assignment.id], kind.label if kind else assignment.kind,
            extension.due_at if extension else assignment.due_at, extension is not None,
            cell_for(assignment, tries.get((assignment.id, user.id), []), extension, now),
            late_policy(assignment),
        ))
    result.sort(key=lambda entry: (entry.due_at, entry.assignment.id))
    return result
