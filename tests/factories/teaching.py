"""Cohorts, learners, assignments and graded attempts for the teaching tests.

Cohorts and assignments go through trainer.services (the code the pages use). Learners
who never log in are inserted without hashing a password, so a class of 200 costs
milliseconds. `graded_attempt` writes a closed attempt with exactly the item scores,
choices and times a test states, for statistics checked by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from trainer.extensions import db
from trainer.models import Assignment, Attempt, AttemptItem, Cohort, Question, Quiz, User, utcnow
from trainer.services import assignments, cohorts

NOW = utcnow().replace(microsecond=0)


def make_cohort(instructor: User, name: str = "Evening class", *, term: str = "Spring 2026", ends_on=None) -> Cohort:
    """A cohort taught by `instructor`, open for joining."""
    cohort = cohorts.create_cohort(name, term, ends_on, actor=instructor)
    db.session.commit()
    return cohort


def make_learners(count: int, prefix: str = "learner") -> list[User]:
    """Learner accounts that will not log in (no password hashing), named in order."""
    users = [User(email=f"{prefix}{i:03d}@example.org", name=f"{prefix.title()} {i:03d}",
                  password_hash="not-a-hash", role="learner") for i in range(count)]
    db.session.add_all(users)
    db.session.commit()
    return users


def enrol(cohort: Cohort, users) -> None:
    """Put these users in the cohort, as a class list does."""
    plan = cohorts.plan_class_list(cohort, "\n".join(u.email for u in users))
    cohorts.apply_class_list(cohort, plan, actor=db.session.get(User, cohort.created_by_id))
    db.session.commit()


def assign(cohort: Cohort, kind: str, target_id: int, *, opens_at: datetime | None = None,
           due_at: datetime | None = None, late_policy: str = "accept", penalty: int = 0,
           weight: str = "1") -> Assignment:
    """An assignment of the cohort (opens a week ago, due in a week, unless told)."""
    values = assignments.AssignmentValues(
        kind=kind, target_id=target_id, opens_at=opens_at or NOW - timedelta(days=7),
        due_at=due_at or NOW + timedelta(days=7), late_policy=late_policy, late_penalty_per_day=penalty,
        weight=Decimal(weight))
    assert assignments.assignment_problems(cohort, values) == []
    assignment = assignments.create_assignment(cohort, values, actor=db.session.get(User, cohort.created_by_id))
    db.session.commit()
    return assignment


def graded_attempt(user: User, quiz: Quiz, items: list[dict], *, started_at: datetime | None = None,
                   minutes: int = 10, status: str = "submitted") -> Attempt:
    """A closed attempt whose items have exactly the given grades.

    Each item: {"question": Question, "score": 0..1, "chosen": ["a"], "seconds": 30,
    "response": "7.5", "values": {"dose": "250"}}; only question and score are required.
    """
    started = started_at or NOW - timedelta(days=1)
    attempt = Attempt(user_id=user.id, kind="quiz", quiz_id=quiz.id, status=status, seed=1,
                      settings=quiz.settings(), started_at=started, submitted_at=started + timedelta(minutes=minutes))
    for position, spec in enumerate(items):
        question: Question = spec["question"]
        instance = {"type": question.type, "question_id": question.uid, "stem": "", "seed": position}
        if "values" in spec:
            instance["values"] = spec["values"]
        score = Decimal(str(spec["score"]))
        attempt.items.append(AttemptItem(
            position=position, question_id=question.id, question_version_id=question.current_version_id,
            instance=instance, response=spec.get("response"), score=score, correct=score == 1,
            chosen=spec.get("chosen"), seconds_on_item=spec.get("seconds"), graded_at=attempt.submitted_at,
            answered_at=attempt.submitted_at,
        ))
    points = sum((item.score for item in attempt.items), Decimal(0))
    attempt.score, attempt.max_score = points, Decimal(len(items))
    attempt.percent = (points * 100 / len(items)).quantize(Decimal("0.01")) if items else Decimal(0)
    attempt.passed = attempt.percent >= quiz.pass_mark
    db.session.add(attempt)
    db.session.commit()
    return attempt
