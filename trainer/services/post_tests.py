"""Course post-tests that award CE: their pool, attempt limits, and when keys may be shown.

The rules themselves are pure (trainer.ce.post_test); this module finds the courses a
quiz closes, counts the pool its draws choose from, and reads a learner's attempts.
A quiz is a CE post-test when a published course that awards CE hours names it as its
post-test; its attempts then freeze that course's policy in their settings
(`ce_post_test`), so changing the course later does not change an attempt under way.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from trainer.ce.post_test import (
    PastAttempt,
    PostTestPolicy,
    attempt_refusal,
    attempts_left,
    pool_problems,
)
from trainer.extensions import db
from trainer.models import Attempt, Course, Question, Quiz, User, utcnow

# Attempt.settings["show_answers"] for a CE post-test: keys once the learner has passed.
AFTER_PASS = "after_pass"  # noqa: S105 - a setting, not a password


def ce_courses(quiz_id: int) -> list[Course]:
    """Published courses awarding CE hours that `quiz_id` is the post-test of."""
    return list(db.session.scalars(
        select(Course).where(
            Course.post_test_quiz_id == quiz_id, Course.status == "published", Course.ce_hours > 0,
        ).order_by(Course.id)
    ))


def course_policy(course: Course) -> PostTestPolicy:
    """The attempt rules `course` sets for its post-test."""
    return PostTestPolicy(attempts=course.post_test_attempts, wait_hours=course.post_test_wait_hours,
                          pass_mark=course.pass_mark)


def ce_policy(quiz: Quiz) -> PostTestPolicy | None:
    """The rules a CE post-test is sat under (the strictest of its courses'); None for any other quiz."""
    policy = None
    for course in ce_courses(quiz.id):
        this = course_policy(course)
        policy = this if policy is None else policy.stricter(this)
    return policy


def pool_report(quiz: Quiz) -> list[str]:
    """Why `quiz` draws from too small a pool to award CE, as sentences; [] when it does not.

    Counted as an attempt would draw: published questions only, a draw never taking a
    fixed question.
    """
    # The draw's own filter, so the count cannot drift from what an attempt draws.
    from trainer.services.quizzes import _draw_pool

    fixed_ids = {item.question_id for item in quiz.items if item.question_id is not None}
    published_fixed = set(db.session.scalars(
        select(Question.id).where(Question.id.in_(fixed_ids), Question.status == "published")
    )) if fixed_ids else set()
    draws, everything = [], set(published_fixed)
    for item in quiz.items:
        if item.question_id is None:
            pool = set(_draw_pool(item.draw_filter or {})) - fixed_ids
            everything |= pool
            draws.append((item.draw_count, len(pool)))
    shown = len(published_fixed) + sum(count for count, _ in draws)
    return pool_problems(draws, fixed=len(published_fixed), pool=len(everything), shown=shown)


def _past(user: User, quiz: Quiz) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.kind == "quiz")
        .order_by(Attempt.id)
    ))


def start_refusal(quiz: Quiz, user: User, now: datetime | None = None) -> str | None:
    """Why `user` may not start a new attempt at this CE post-test now; None if they may (or it is no CE post-test)."""
    policy = ce_policy(quiz)
    if policy is None:
        return None
    problems = pool_report(quiz)
    if problems:
        return ("This post-test cannot be started: its question pool is too small to award CE credit. "
                "Please tell your instructor.")
    past = [PastAttempt(a.started_at, a.submitted_at, float(a.percent) if a.percent is not None else None)
            for a in _past(user, quiz)]
    return attempt_refusal(policy, past, now or utcnow())


def attempt_settings(quiz: Quiz, settings: dict) -> dict:
    """The settings a new attempt freezes, made safe for CE when `quiz` is a CE post-test.

    The course's pass mark decides the pass; answers are graded at submit (no checking
    one at a time), and keys, explanations and worked solutions wait until the learner
    has passed, so a failed attempt cannot be turned into the next one's answer sheet.
    """
    policy = ce_policy(quiz)
    if policy is None:
        return settings
    return {**settings, "pass_mark": policy.pass_mark, "feedback_mode": "deferred",
            "show_answers": AFTER_PASS, "ce_post_test": policy.as_settings()}


def learner_has_passed(attempt: Attempt) -> bool:
    """Whether the attempt's learner has a closed attempt at its quiz at the frozen pass mark."""
    cache = attempt.__dict__.setdefault("_learner_passed", {})
    if "passed" not in cache:
        pass_mark = (attempt.settings or {}).get("ce_post_test", {}).get("pass_mark", 100)
        cache["passed"] = db.session.scalar(
            select(Attempt.id).where(
                Attempt.user_id == attempt.user_id, Attempt.quiz_id == attempt.quiz_id, Attempt.kind == "quiz",
                Attempt.status.in_(("submitted", "expired")), Attempt.percent >= pass_mark,
            ).limit(1)
        ) is not None
    return cache["passed"]


def standing(quiz: Quiz, user: User, now: datetime | None = None) -> dict | None:
    """What a learner should know before starting a CE post-test: the rules and their attempts left."""
    policy = ce_policy(quiz)
    if policy is None:
        return None
    used = len(_past(user, quiz))
    return {"policy": policy, "used": used, "left": attempts_left(policy, used)}


def attempts_for_credit(credit) -> list[Attempt]:
    """The post-test attempts that led to a course credit: every attempt up to the one that earned it."""
    if credit.attempt_id is None:
        return []
    earned = db.session.get(Attempt, credit.attempt_id)
    if earned is None:
        return []
    return list(db.session.scalars(
        select(Attempt).where(
            Attempt.user_id == earned.user_id, Attempt.quiz_id == earned.quiz_id, Attempt.kind == "quiz",
            Attempt.id <= earned.id,
        ).order_by(Attempt.id)
    ))
