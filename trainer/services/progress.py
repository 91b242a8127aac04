"""Learners' progress through courses: modules viewed and completed, where to resume, and
completion with its CE credit.

A module is complete when the learner marks it done and every knowledge check in it is
answered. A course is complete when every module is complete and the post-test has a
submitted attempt at or above the course's pass mark (the course's, not the quiz's: one
quiz may close several courses). Completion records one CECredit, frozen as awarded, so
editing the course later never changes what was earned.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import (
    Integer,
    Numeric,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import (
    Attempt,
    AuditEvent,
    CECredit,
    Course,
    Module,
    ModuleProgress,
    User,
    utcnow,
)
from trainer.models.base import UTCDateTime
from trainer.services.accounts import lock_learner
from trainer.services.knowledge_checks import answered_checks

ANCHOR_MAX_LENGTH = 120  # ModuleProgress.last_anchor


@dataclass
class CourseProgress:
    """One learner's standing in one course, computed from their progress rows, attempts and credits."""

    course_id: int
    module_count: int
    has_post_test: bool
    rows: dict[int, ProgressRow] = field(default_factory=dict)  # by module id
    passing_attempt_id: int | None = None  # first post-test attempt at the course's pass mark
    best_percent: float | None = None  # best submitted post-test percent, passed or not
    credit: CreditRow | None = None  # the latest credit for this course, any version

    @property
    def completed_module_ids(self) -> set[int]:
        """Modules the learner has completed."""
        return {module_id for module_id, row in self.rows.items() if row.completed_at is not None}

    @property
    def modules_done(self) -> int:
        return len(self.completed_module_ids)

    @property
    def all_modules_done(self) -> bool:
        return self.modules_done >= self.module_count

    @property
    def post_test_passed(self) -> bool:
        return self.passing_attempt_id is not None

    @property
    def steps_total(self) -> int:
        """Modules plus the post-test: what the progress bar counts."""
        return self.module_count + (1 if self.has_post_test else 0)

    @property
    def steps_done(self) -> int:
        if self.credit is not None:
            return self.steps_total
        return min(self.modules_done, self.module_count) + (1 if self.post_test_passed else 0)

    @property
    def percent(self) -> int:
        """Whole percent of the steps done, rounded down so 100 means truly finished."""
        if self.credit is not None:
            return 100
        if not self.steps_total:
            return 0
        return math.floor(100 * self.steps_done / self.steps_total)

    @property
    def started(self) -> bool:
        return bool(self.rows) or self.best_percent is not None or self.credit is not None

    @property
    def completed(self) -> bool:
        return self.credit is not None

    @property
    def ready_to_complete(self) -> bool:
        """Every requirement met (a credit may still be due, e.g. after passing the post-test last)."""
        return self.has_post_test and self.all_modules_done and self.post_test_passed

    @property
    def last_viewed(self) -> ProgressRow | None:
        """The progress row of the module viewed most recently: where to resume."""
        if not self.rows:
            return None
        return max(self.rows.values(), key=lambda row: (row.last_viewed_at, row.id))


class ProgressRow(NamedTuple):
    """A learner's ModuleProgress columns, read-only."""

    id: int
    module_id: int
    course_id: int
    started_at: datetime
    last_viewed_at: datetime
    last_anchor: str
    completed_at: datetime | None


class CreditRow(NamedTuple):
    """A course's CECredit columns, read-only."""

    id: int
    course_id: int
    course_version: int | None
    hours: Decimal
    topic: str
    completed_on: datetime
    attempt_id: int | None


def _nothing(type_):
    return cast(null(), type_)


# A learner's module rows, post-test scores and course credits for a list of courses, in
# one statement: on PostgreSQL each statement is a round trip to the server, and the
# catalog, a module page and the dashboard all need the three. Each part fills the
# columns it has (`part` says which); built once, as building a select() costs more than
# running it on these pages.
_PROGRESS_PART, _SCORE_PART, _CREDIT_PART = 0, 1, 2
_AMOUNT = Numeric(6, 2)  # an attempt's percent; a credit's hours (5, 2) fit
LEARNER_STANDING = union_all(
    select(
        literal(_PROGRESS_PART).label("part"), ModuleProgress.id.label("id"),
        ModuleProgress.module_id.label("ref_id"), ModuleProgress.course_id.label("course_id"),
        ModuleProgress.started_at.label("at"), ModuleProgress.last_viewed_at.label("last_viewed_at"),
        ModuleProgress.completed_at.label("completed_at"), ModuleProgress.last_anchor.label("text"),
        _nothing(_AMOUNT).label("amount"), _nothing(Integer).label("course_version"),
        _nothing(Integer).label("attempt_id"),
    ).where(
        ModuleProgress.user_id == bindparam("user_id"),
        ModuleProgress.course_id.in_(bindparam("course_ids", expanding=True)),
    ),
    select(
        literal(_SCORE_PART), Attempt.id, Attempt.quiz_id, _nothing(Integer), Attempt.submitted_at,
        _nothing(UTCDateTime()), _nothing(UTCDateTime()), _nothing(String), Attempt.percent,
        _nothing(Integer), _nothing(Integer),
    ).where(
        Attempt.user_id == bindparam("user_id"),
        Attempt.kind == "quiz",
        Attempt.status == "submitted",
        Attempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)),
        Attempt.percent.is_not(None),
    ),
    select(
        literal(_CREDIT_PART), CECredit.id, CECredit.course_id, _nothing(Integer), CECredit.completed_on,
        _nothing(UTCDateTime()), _nothing(UTCDateTime()), CECredit.topic, CECredit.hours,
        CECredit.course_version, CECredit.attempt_id,
    ).where(
        CECredit.user_id == bindparam("user_id"),
        CECredit.source == "course",
        CECredit.course_id.in_(bindparam("course_ids", expanding=True)),
    ),
)


def learner_progress(
    user, courses: Iterable[Course], module_counts: dict[int, int] | None = None
) -> dict[int, CourseProgress]:
    """Each course's CourseProgress for `user`, in one query whatever the number of courses.

    `module_counts` (course id -> modules) saves loading the modules when only counts are
    needed (the catalog); otherwise the courses' loaded modules are counted. `courses`
    may be model objects or rows with id, post_test_quiz_id and pass_mark.
    """
    courses = list(courses)
    result = {
        c.id: CourseProgress(
            course_id=c.id,
            module_count=module_counts.get(c.id, 0) if module_counts is not None else len(c.modules),
            has_post_test=c.post_test_quiz_id is not None,
        )
        for c in courses
    }
    if not courses or not getattr(user, "is_authenticated", False):
        return result
    quiz_ids = sorted({c.post_test_quiz_id for c in courses if c.post_test_quiz_id is not None})
    rows = db.session.execute(
        LEARNER_STANDING, {"user_id": user.id, "course_ids": list(result), "quiz_ids": quiz_ids}
    ).all()
    scores, credits = [], []
    for row in rows:
        if row.part == _PROGRESS_PART:
            result[row.course_id].rows[row.ref_id] = ProgressRow(
                row.id, row.ref_id, row.course_id, row.at, row.last_viewed_at, row.text, row.completed_at)
        elif row.part == _SCORE_PART:
            scores.append(row)
        else:
            credits.append(CreditRow(row.id, row.ref_id, row.course_version, row.amount, row.text, row.at,
                                     row.attempt_id))

    scores.sort(key=lambda row: (row.at, row.id))  # submitted first, first: the first pass counts
    for course in courses:
        progress = result[course.id]
        for score in scores:
            if score.ref_id != course.post_test_quiz_id:
                continue
            value = float(score.amount)
            if progress.best_percent is None or value > progress.best_percent:
                progress.best_percent = value
            if progress.passing_attempt_id is None and value >= course.pass_mark:
                progress.passing_attempt_id = score.id

    credits.sort(key=lambda credit: (credit.completed_on, credit.id))
    for credit in credits:
        result[credit.course_id].credit = credit  # in order, so the latest wins
    return result


def course_progress(user, course: Course) -> CourseProgress:
    """`user`'s CourseProgress in one course whose modules are loaded."""
    return learner_progress(user, [course])[course.id]


# --- writing progress ----------------------------------------------------------------


def _upsert_progress(
    user_id: int, module: Module, now: datetime, *, viewed: bool = True,
    anchor: str | None = None, complete: bool = False,
) -> None:
    """Insert the learner's progress row for `module` or update it, in one statement, so
    two tabs opening the same module at once cannot collide on the (user, module) key."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(ModuleProgress).values(
        user_id=user_id, module_id=module.id, course_id=module.course_id, started_at=now,
        last_viewed_at=now, last_anchor=anchor or "", completed_at=now if complete else None,
    )
    changes = {}
    if viewed:
        changes["last_viewed_at"] = stmt.excluded.last_viewed_at
    if anchor is not None:
        changes["last_anchor"] = stmt.excluded.last_anchor
    if complete:
        # The first completion time stands: marking a module done again changes nothing.
        changes["completed_at"] = func.coalesce(ModuleProgress.completed_at, stmt.excluded.completed_at)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id", "module_id"], set_=changes))
    # A row of this learner's already loaded in the session is stale now.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, ModuleProgress) and obj.user_id == user_id and obj.module_id == module.id:
            db.session.expire(obj)


def record_view(user, module: Module, *, now: datetime | None = None) -> None:
    """Remember that `user` opened `module` now (the course page's resume link follows it)."""
    _upsert_progress(user.id, module, now or utcnow())


def view_changes_progress(state: CourseProgress, module: Module) -> bool:
    """Whether opening `module` now changes what is stored: its first view, or a return from another module.

    Resume needs only the module the learner opened last in the course (and the heading
    reached there, which the page posts itself). Opening that same module again changes
    neither, so a re-view is not written: a module page is a plain read, except the first
    time and each time the learner moves to another module.
    """
    last = state.last_viewed
    return module.id not in state.rows or last is None or last.module_id != module.id


def valid_anchor(module: Module, anchor: object) -> str | None:
    """`anchor` if it is the id of a heading in the module's table of contents, else None."""
    if not isinstance(anchor, str) or not anchor or len(anchor) > ANCHOR_MAX_LENGTH:
        return None
    anchors = {entry[1] for entry in (module.toc or []) if len(entry) >= 2}
    return anchor if anchor in anchors else None


def record_anchor(user, module: Module, anchor: object, *, now: datetime | None = None) -> bool:
    """Remember the heading `user` reached in `module`; False, storing nothing, if it is not one of its headings."""
    anchor = valid_anchor(module, anchor)
    if anchor is None:
        return False
    _upsert_progress(user.id, module, now or utcnow(), anchor=anchor)
    return True


def unanswered_checks(user, module: Module) -> list[str]:
    """The module's knowledge checks (question uids, in page order) that `user` has not answered."""
    if not module.checks:
        return []
    answered = answered_checks(user, [module.id]).get(module.id, set())
    return [uid for uid in module.checks if uid not in answered]


def complete_module(user, module: Module, *, now: datetime | None = None) -> list[str]:
    """Mark `module` complete for `user` once every knowledge check in it is answered.

    Returns the checks still unanswered: an empty list means the module is complete.
    """
    missing = unanswered_checks(user, module)
    if not missing:
        _upsert_progress(user.id, module, now or utcnow(), viewed=False, complete=True)
    return missing


# --- completing a course -------------------------------------------------------------


def credited_attempt_ids(user) -> set[int]:
    """Post-test attempts that already earned a credit (one attempt never earns two)."""
    return set(db.session.scalars(
        select(CECredit.attempt_id).where(CECredit.user_id == user.id, CECredit.attempt_id.is_not(None))
    ))


def complete_course(user, course: Course, *, now: datetime | None = None) -> CECredit | None:
    """Record `user`'s completion of `course` and its CE credit, if it is due; the new credit, else None.

    Due means: every module complete, a submitted post-test attempt at the course's pass
    mark that has not earned a credit before, and no credit yet for this course version.
    """
    lock_learner(user)  # two requests must not both record a credit
    progress = course_progress(user, course)
    if not (progress.has_post_test and progress.all_modules_done):
        return None
    already = db.session.scalar(
        select(CECredit.id).where(
            CECredit.user_id == user.id, CECredit.source == "course",
            CECredit.course_id == course.id, CECredit.course_version == course.version,
        ).limit(1)
    )
    if already is not None:
        return None
    used = credited_attempt_ids(user)
    attempt_id = db.session.scalar(
        select(Attempt.id)
        .where(
            Attempt.user_id == user.id, Attempt.kind == "quiz", Attempt.status == "submitted",
            Attempt.quiz_id == course.post_test_quiz_id, Attempt.percent >= course.pass_mark,
            Attempt.id.not_in(used) if used else Attempt.id.is_not(None),
        )
        .order_by(Attempt.submitted_at, Attempt.id)
        .limit(1)
    )
    if attempt_id is None:
        return None
    credit = CECredit(
        user_id=user.id, source="course", course_id=course.id, course_version=course.version,
        title=course.title, hours=course.ce_hours, topic=course.ce_topic,
        activity_type=course.activity_type, uan=course.uan, completed_on=now or utcnow(),
        attempt_id=attempt_id,
    )
    db.session.add(credit)
    db.session.flush()
    # Every attempt that led to the credit goes on record with it, passed or not.
    tries = db.session.execute(
        select(Attempt.id, Attempt.percent).where(
            Attempt.user_id == user.id, Attempt.kind == "quiz", Attempt.quiz_id == course.post_test_quiz_id,
            Attempt.id <= attempt_id,
        ).order_by(Attempt.id)
    ).all()
    AuditEvent.record(
        "course.completed", f"course:{course.slug}", actor=user, credit_id=credit.id,
        course_version=course.version, hours=str(course.ce_hours), topic=course.ce_topic,
        attempt_id=attempt_id,
        attempts=[{"id": row.id, "percent": None if row.percent is None else str(row.percent)} for row in tries],
    )
    return credit


def complete_courses_after_attempt(attempt: Attempt, *, now: datetime | None = None) -> list[CECredit]:
    """Complete every course whose post-test `attempt` belongs to, where it is now due.

    For the quiz pages to call after a submit, so passing the post-test last completes
    the course at once; the course page offers the same as a button.
    """
    if attempt.quiz_id is None or attempt.status != "submitted":
        return []
    user = db.session.get(User, attempt.user_id)
    courses = db.session.scalars(
        select(Course)
        .where(Course.post_test_quiz_id == attempt.quiz_id, Course.status == "published")
        .options(selectinload(Course.modules).load_only(Module.id, Module.course_id, Module.checks))
    ).all()
    credits = []
    for course in courses:
        credit = complete_course(user, course, now=now)
        if credit is not None:
            credits.append(credit)
    return credits


def latest_credit(user, course: Course) -> CECredit | None:
    """The newest course credit `user` holds for `course` (any version)."""
    return db.session.scalar(
        select(CECredit)
        .where(CECredit.user_id == user.id, CECredit.source == "course", CECredit.course_id == course.id)
        .order_by(CECredit.completed_on.desc(), CECredit.id.desc())
        .limit(1)
    )
