"""What waits for an instructor or an admin: essays to grade, their unpublished drafts, and for an
admin the site's users by role and what the site holds.

Each answer is one query whatever the size of the site, so the home page that shows them
runs a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, func, or_, select

from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptItem,
    Cohort,
    Course,
    Module,
    ModuleDraft,
    Question,
    QuestionVersion,
    Quiz,
    User,
    utcnow,
)
from trainer.questions import QUESTION_TYPES
from trainer.services.attempts import CLOSED
from trainer.services.ownership import written_by

DRAFTS_SHOWN = 8


@dataclass(frozen=True)
class GradingQueue:
    """A quiz with essays whose answers wait to be graded by hand."""

    quiz_slug: str
    quiz_title: str
    waiting: int


@dataclass(frozen=True)
class Draft:
    """Something written and not yet in front of learners: a course, a module's next text, a quiz."""

    kind: str  # "course" | "module" | "quiz"
    title: str
    course_slug: str | None
    key: str | int  # the course or quiz slug, or the module id
    updated_at: datetime | None


@dataclass(frozen=True)
class Drafts:
    """The user's drafts, newest first, and how many bank questions they wrote are still drafts."""

    items: list[Draft]
    questions: int


@dataclass(frozen=True)
class SiteCounts:
    """For an admin: accounts by role, and what the site holds and how much it is used."""

    roles: dict[str, int]
    inactive: int
    published_courses: int
    published_questions: int
    published_quizzes: int
    cohorts: int
    attempts_this_week: int


def grading_queues(user) -> list[GradingQueue]:
    """The quizzes this user grades (their own; every quiz for an admin) with essays waiting, most first."""
    hand_graded = [name for name, type_ in QUESTION_TYPES.items() if type_.graded_by_hand]
    # The item's type decides first (an indexed column), so the flags of ordinary answers
    # are never read; the flags are JSON, cast to text (PostgreSQL has no LIKE on json).
    stmt = (
        select(Quiz.slug, Quiz.title, func.count(AttemptItem.id))
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(AttemptItem.question_id.in_(select(Question.id).where(Question.type.in_(hand_graded))),
               Attempt.status.in_(CLOSED),
               cast(AttemptItem.grade_flags, String()).like('%"awaiting_grading"%'))
        .group_by(Quiz.id, Quiz.slug, Quiz.title)
        .order_by(func.count(AttemptItem.id).desc(), Quiz.title)
    )
    if not user.is_admin:
        stmt = stmt.where(Quiz.created_by_id == user.id)  # the rule of services.grading.can_grade
    return [GradingQueue(slug, title, count) for slug, title, count in db.session.execute(stmt)]


def drafts_of(user) -> Drafts:
    """Draft courses, the module drafts and draft quizzes this user wrote, and their draft questions."""
    items = [Draft("course", title, slug, slug, updated) for slug, title, updated in db.session.execute(
        # the draft courses they write (trainer.services.ownership): not others' drafts, nor shipped ones
        select(Course.slug, Course.title, Course.updated_at).where(Course.status == "draft",
                                                                   written_by(Course, user))
        .order_by(Course.updated_at.desc()).limit(DRAFTS_SHOWN))]
    items += [Draft("module", title, slug, module_id, updated) for module_id, title, slug, updated in db.session.execute(
        select(ModuleDraft.module_id, ModuleDraft.title, Course.slug, ModuleDraft.updated_at)
        .join(Module, Module.id == ModuleDraft.module_id).join(Course, Course.id == Module.course_id)
        .where(or_(ModuleDraft.updated_by_id == user.id, ModuleDraft.created_by_id == user.id),
               # a draft on a course they may no longer change (shipped content) would link to a refusal
               written_by(Course, user))
        .order_by(ModuleDraft.updated_at.desc()).limit(DRAFTS_SHOWN))]
    items += [Draft("quiz", title, None, slug, updated) for slug, title, updated in db.session.execute(
        select(Quiz.slug, Quiz.title, Quiz.updated_at).where(Quiz.status == "draft", Quiz.created_by_id == user.id)
        .order_by(Quiz.updated_at.desc()).limit(DRAFTS_SHOWN))]
    questions = db.session.scalar(
        select(func.count(Question.id)).join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.status == "draft", QuestionVersion.created_by_id == user.id))
    items.sort(key=lambda d: d.updated_at.timestamp() if d.updated_at else 0.0, reverse=True)
    return Drafts(items[:DRAFTS_SHOWN], questions or 0)


def site_counts(*, now: datetime | None = None) -> SiteCounts:
    """Accounts by role and the site's published content and use, in two queries."""
    now = now or utcnow()
    roles = {role: count for role, count in db.session.execute(
        select(User.role, func.count(User.id)).where(User.active.is_(True)).group_by(User.role))}

    def count(model, *where):
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = db.session.execute(select(
        count(User, User.active.is_(False)),
        count(Course, Course.status == "published"),
        count(Question, Question.status == "published"),
        count(Quiz, Quiz.status == "published"),
        count(Cohort),
        count(Attempt, Attempt.started_at >= now - timedelta(days=7)),
    )).one()
    return SiteCounts(roles, *row)
