"""A learner's exam readiness: the exam they prepare for, their report, their study plan, and the
hook the quiz engine calls whenever it grades answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, ExamGoal, utcnow
from trainer.questions.blueprints import ExamOutline
from trainer.readiness.report import ReadinessReport, readiness_report
from trainer.readiness.study_plan import DomainStatus, StudyWeek, study_plan
from trainer.services import mastery, missed_questions

MAX_EXAM_DAYS_AHEAD = 2 * 366


def after_grading(user_id: int, items: Iterable[AttemptItem], *, source: str,
                  now: datetime | None = None) -> None:
    """What grading answers changes beyond the attempt: mastery evidence and the missed-question queue.

    The quiz engine calls it with the items it has just graded (at a check, at submit,
    when time runs out), knowledge checks with the item answered, and hand grading with
    the essay graded. Blank items, descriptions and answers still awaiting an instructor
    change nothing.
    """
    now = now or utcnow()
    items = [i for i in items if mastery.is_evidence(i)]
    if not items:
        return
    mastery.record_graded_items(user_id, items, source=source, now=now)
    missed_questions.note_answers(
        user_id, [(i.question_id, bool(i.correct), i.answered_at or now) for i in items]
    )


# ---- the exam a learner prepares for ----------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """The outline the learner is measured against, and their exam date if they gave one."""

    outline: ExamOutline
    exam_date: date | None
    chosen: bool  # False: the default, until the learner picks


def default_outline(today: date) -> ExamOutline | None:
    """The PTCE outline in force today (the first in force, failing that the first there is)."""
    known = list(mastery.outlines().values())
    in_force = [o for o in known if o.in_force(today)]
    for candidates in ([o for o in in_force if o.exam == "PTCE"], in_force, known):
        if candidates:
            return candidates[0]
    return None


def goal_of(user_id: int, today: date) -> Goal | None:
    """The learner's goal, or the default one; None when no outline can be sat at all."""
    known = mastery.outlines()
    row = db.session.get(ExamGoal, user_id)
    if row is not None and row.outline in known:
        return Goal(known[row.outline], row.exam_date, True)
    outline = default_outline(today)
    return Goal(outline, row.exam_date if row else None, False) if outline else None


def set_goal(user_id: int, outline_code: str, exam_date: date | None, today: date) -> list[tuple[str, str]]:
    """Save the learner's exam and date; problems as (field, message), nothing saved if any."""
    problems = []
    if outline_code not in mastery.outlines():
        problems.append(("outline", "Choose one of the exams listed."))
    if exam_date is not None:
        if exam_date <= today:
            problems.append(("exam_date", "Give a date after today."))
        elif (exam_date - today).days > MAX_EXAM_DAYS_AHEAD:
            problems.append(("exam_date", "Give a date within the next two years."))
    if problems:
        return problems
    row = db.session.get(ExamGoal, user_id)
    if row is None:
        row = ExamGoal(user_id=user_id)
        db.session.add(row)
    row.outline, row.exam_date = outline_code, exam_date
    db.session.flush()
    return []


# ---- the report and the plan ----------------------------------------------------------------------


def report_for(user_id: int, outline: ExamOutline, now: datetime) -> ReadinessReport:
    """The learner's readiness for `outline` now (one query for the evidence)."""
    return readiness_report(outline, mastery.learner_evidence(user_id), now)


def mock_exams_taken(user_id: int) -> int:
    """Mock exams the learner has finished."""
    return db.session.scalar(
        select(func.count(Attempt.id)).where(
            Attempt.user_id == user_id, Attempt.kind == "mock_exam", Attempt.status != "in_progress"
        )
    )


def plan_for(report: ReadinessReport, exam_date: date | None, today: date,
             mocks_taken: int) -> list[StudyWeek]:
    """The week-by-week plan to the exam date (empty without a date ahead)."""
    if exam_date is None:
        return []
    return study_plan(today, exam_date, [
        DomainStatus(d.label, d.title, d.weight,
                     d.mastery.mean if d.standing != "unknown" else None)
        for d in report.domains
    ], mock_exams_taken=mocks_taken)
