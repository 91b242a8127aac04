"""A week-by-week study plan from today to the exam date.

The weeks before the last are shared out among the exam's domains in proportion to
what each can still add to the score, weight × (1 − mastery) (largest remainder, so
every week has one focus), weakest first. A domain not yet practised counts as half
mastered. The first week starts with a timed mock exam when none has been sat, one
more comes every fourth week, and the week before the exam ends with a last one. The
exam week itself is for review only: flashcards and missed questions, nothing new.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from trainer.readiness.exam_forms import largest_remainder

MAX_WEEKS = 26
UNKNOWN_MASTERY = 0.5
MOCK_EVERY_WEEKS = 4


@dataclass(frozen=True)
class DomainStatus:
    """A domain as the plan sees it: weight (percent), estimated mastery (None if unknown)."""

    code: str
    title: str
    weight: Decimal | float
    mastery: float | None


@dataclass(frozen=True)
class StudyWeek:
    """One week of the plan: its dates, the domain to focus on, and what to do."""

    number: int
    starts: date
    ends: date
    focus: tuple[str, ...]  # domain codes
    tasks: tuple[str, ...]


def _gain(domain: DomainStatus) -> float:
    mastery = UNKNOWN_MASTERY if domain.mastery is None else domain.mastery
    return float(domain.weight) * max(1.0 - mastery, 0.0)


def study_plan(
    today: date, exam_day: date, domains: list[DomainStatus], *, mock_exams_taken: int = 0
) -> list[StudyWeek]:
    """The weeks from `today` to `exam_day` (at most MAX_WEEKS); empty if the exam is not ahead."""
    days = (exam_day - today).days
    if days <= 0 or not domains:
        return []
    weeks = min(math.ceil(days / 7), MAX_WEEKS)
    study_weeks = weeks - 1 if weeks > 1 else 1
    by_need = sorted(domains, key=lambda d: (-_gain(d), d.code))
    gains = {d.code: _gain(d) for d in by_need}
    if not any(gains.values()):
        gains = {d.code: float(d.weight) for d in by_need}
    share = largest_remainder(study_weeks, gains)
    # weakest first, then round again while weeks are left: A A B C A B …
    focus_order: list[str] = []
    left = dict(share)
    while len(focus_order) < study_weeks:
        for domain in by_need:
            if left[domain.code]:
                focus_order.append(domain.code)
                left[domain.code] -= 1
    titles = {d.code: d.title for d in domains}
    plan: list[StudyWeek] = []
    for index in range(weeks):
        starts = today + timedelta(days=7 * index)
        ends = min(starts + timedelta(days=6), exam_day)
        final = index == weeks - 1 and weeks > 1
        if final:
            plan.append(StudyWeek(index + 1, starts, ends, (), (
                "Review only: your flashcards due each day and the missed questions that come back.",
                "No new topics, and no full mock exam in the last two days: rest before the exam.",
            )))
            continue
        code = focus_order[index]
        tasks = []
        if index == 0 and mock_exams_taken == 0:
            tasks.append("Sit a timed mock exam first, to see where you stand.")
        tasks.append(f"Focus on {titles[code]}: read the course modules for it and practise "
                     "your weak areas three times this week.")
        tasks.append("Flashcards: the reviews due each day.")
        tasks.append("Missed questions: answer the ones due.")
        if index == weeks - 2 and weeks > 2:
            tasks.append("End the week with a full timed mock exam.")
        elif index and index % MOCK_EVERY_WEEKS == 0:
            tasks.append("Sit a timed mock exam to measure your progress.")
        plan.append(StudyWeek(index + 1, starts, ends, (code,), tuple(tasks)))
    return plan
