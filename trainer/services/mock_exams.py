"""Mock exams: a PTCE- or ExCPT-style form drawn by an outline's weights, taken on the quiz pages.

A form is an attempt of kind "mock_exam" built by the quiz engine's own parts: a seed
for the draw and every item, four-option items (calculated ones with fresh numbers),
the deadline the engine enforces, flags, autosave, the review screen before submitting.
Only questions that can be asked with four options are drawn: four-choice single-choice
questions and calculated or numeric ones. When a domain has too few, the form takes
what there is and the learner is told before starting; `bank_check` is the same
account for instructors.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.extensions import db
from trainer.models import Attempt, Question, QuestionVersion, User, utcnow
from trainer.questions.blueprints import ExamOutline
from trainer.questions.four_options import FOUR_OPTION_TYPES, asks_four_options
from trainer.readiness.areas import crosswalk_domain
from trainer.readiness.exam_forms import FormPlan, draw_form, plan_form
from trainer.services.accounts import lock_learner
from trainer.services.attempts import new_seed
from trainer.services.mastery import outlines, question_codes
from trainer.services.quizzes import QuizUnavailable, close_if_overdue, seeded_item


def exam_pools(outline: ExamOutline) -> dict[str, list[int]]:
    """Published questions a form of `outline` can ask, by domain code, in bank order (two queries).

    Each question goes to one domain: the first of its own codes in the outline, or the
    domain whose crosswalk covers it.
    """
    rows = db.session.execute(
        select(Question.id, QuestionVersion.data)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.status == "published", Question.type.in_(FOUR_OPTION_TYPES))
        .order_by(Question.uid)
    ).all()
    usable = [question_id for question_id, data in rows if asks_four_options(data)]
    codes = question_codes(usable)
    pools: dict[str, list[int]] = {domain.code: [] for domain in outline.domains}
    for question_id in usable:
        domain = crosswalk_domain(outline, codes.get(question_id, ()))
        if domain in pools:
            pools[domain].append(question_id)
    return pools


def form_plan(outline: ExamOutline, pools: dict[str, list[int]] | None = None) -> FormPlan:
    """How many items each domain of a form gets from the bank as it is now."""
    pools = exam_pools(outline) if pools is None else pools
    return plan_form(
        outline.code, [(d.code, d.title, d.weight) for d in outline.domains],
        outline.scored_items, outline.unscored_items, {code: len(ids) for code, ids in pools.items()},
    )


def bank_check() -> list[tuple[ExamOutline, FormPlan]]:
    """Every outline's form as the bank can fill it: what instructors run to find the gaps."""
    return [(outline, form_plan(outline)) for outline in outlines().values()]


def open_mock_exam(user: User) -> Attempt | None:
    """The learner's mock exam in progress, if any."""
    return db.session.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == "mock_exam",
                              Attempt.status == "in_progress")
        .order_by(Attempt.id.desc()).limit(1)
    )


# Extra time a learner may choose, as a share of the exam's time (WCAG 2.2.1: timing
# adjustable; the exam bodies grant such accommodations on request).
EXTRA_TIME_PERCENTS = (0, 50, 100)


def start_mock_exam(user: User, outline_code: str, *, now: datetime | None = None,
                    seed: int | None = None, extra_time_percent: int = 0) -> Attempt:
    """Resume the learner's open mock exam or draw a new form of the outline; QuizUnavailable if none can be drawn.

    `extra_time_percent` (0, 50 or 100) lengthens the clock for a learner who needs it.
    """
    now = now if now is not None else utcnow()
    lock_learner(user)
    current = open_mock_exam(user)
    if current is not None and not close_if_overdue(current, now):
        return current
    outline = outlines().get(outline_code)
    if outline is None:
        raise QuizUnavailable("There is no such exam to practise for.")
    if extra_time_percent not in EXTRA_TIME_PERCENTS:
        raise QuizUnavailable("Choose the standard time, time and a half, or double time.")
    minutes = outline.time_limit_minutes * (100 + extra_time_percent) // 100
    pools = exam_pools(outline)
    plan = form_plan(outline, pools)
    if not plan.scored:
        raise QuizUnavailable(
            "The question bank has no four-option questions for this exam yet. Please tell your instructor."
        )
    seed = new_seed() if seed is None else seed
    form = draw_form(plan, pools, random.Random(seed))
    questions = {
        q.id: q for q in db.session.scalars(
            select(Question).where(Question.id.in_([item.question for item in form]))
            .options(selectinload(Question.current_version))
        )
    }
    attempt = Attempt(
        user_id=user.id, kind="mock_exam", quiz_id=None, status="in_progress", seed=seed,
        started_at=now, deadline_at=now + timedelta(minutes=minutes),
        last_position=0,
        settings={
            "title": f"{outline.exam} mock exam",
            "outline": outline.code,
            "time_limit_minutes": minutes,
            "extra_time_percent": extra_time_percent,
            "shuffle_choices": True,
            "feedback_mode": "deferred",
            "show_answers": "after_submit",
            "item_domains": [item.domain for item in form],
            "missing": {d.code: d.missing for d in plan.short},
        },
    )
    for position, item in enumerate(form):
        made = seeded_item(questions[item.question], position, seed, four_options=True)
        made.scored = item.scored
        attempt.items.append(made)
    db.session.add(attempt)
    db.session.flush()
    return attempt


# ---- the score report -------------------------------------------------------------------------


@dataclass
class DomainScore:
    """Scored items right over scored items in one domain of the form."""

    code: str
    title: str
    weight: Decimal
    right: Decimal = Decimal(0)
    items: int = 0

    @property
    def percent(self) -> int:
        return int((self.right * 100 / self.items).quantize(Decimal(1))) if self.items else 0


@dataclass
class ScoreReport:
    """A finished mock exam by domain, counting scored items only."""

    outline: ExamOutline | None
    domains: list[DomainScore]
    right: Decimal
    scored: int
    unscored: int
    missing: int  # items the bank could not supply

    @property
    def percent(self) -> int:
        return int((self.right * 100 / self.scored).quantize(Decimal(1))) if self.scored else 0

    @property
    def at_assumed_pass_level(self) -> bool:
        """Whether the share right reaches the level the readiness estimate assumes passes."""
        cut = self.outline.assumed_pass_percent if self.outline else 70
        return bool(self.scored) and self.right * 100 >= cut * self.scored


def score_report(attempt: Attempt) -> ScoreReport:
    """The report of a closed mock exam: right answers per domain over its scored items."""
    settings = attempt.settings or {}
    outline = outlines().get(settings.get("outline", ""))
    domains = {
        d.code: DomainScore(d.code, d.title, d.weight) for d in (outline.domains if outline else ())
    }
    item_domains = settings.get("item_domains") or []
    right, scored, unscored = Decimal(0), 0, 0
    for item in attempt.items:
        if item.scored is False:
            unscored += 1
            continue
        scored += 1
        earned = item.score or Decimal(0)
        right += earned
        code = item_domains[item.position] if item.position < len(item_domains) else None
        if code in domains:
            domains[code].right += earned
            domains[code].items += 1
    return ScoreReport(outline, list(domains.values()), right, scored, unscored,
                       sum((settings.get("missing") or {}).values()))


def finished_mock_exams(user: User, limit: int = 5) -> list[Attempt]:
    """The learner's latest finished mock exams, newest first."""
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.kind == "mock_exam",
                              Attempt.status != "in_progress")
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc()).limit(limit)
    ))
