"""The study plan: weeks to the exam, weakest domains first, mock exams, a review-only last week."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from trainer.readiness.study_plan import MAX_WEEKS, DomainStatus, study_plan

TODAY = date(2026, 3, 2)
DOMAINS = [
    DomainStatus("1", "Medications", 40, 0.8),
    DomainStatus("2", "Federal Requirements", 12.5, 0.4),
    DomainStatus("3", "Patient Safety", 26.25, None),
    DomainStatus("4", "Order Entry", 21.25, 0.5),
]


def test_no_plan_for_an_exam_today_or_past():
    assert study_plan(TODAY, TODAY, DOMAINS) == []
    assert study_plan(TODAY, TODAY - timedelta(days=3), DOMAINS) == []


def test_one_week_a_row_up_to_the_exam_day():
    plan = study_plan(TODAY, TODAY + timedelta(days=40), DOMAINS)
    assert len(plan) == 6  # 40 days: five whole weeks and five days
    assert plan[0].starts == TODAY
    assert plan[-1].ends == TODAY + timedelta(days=40)
    assert all(b.starts == a.starts + timedelta(days=7) for a, b in zip(plan, plan[1:], strict=False))


def test_the_last_week_is_for_review_only():
    last = study_plan(TODAY, TODAY + timedelta(days=28), DOMAINS)[-1]
    assert last.focus == ()
    assert "Review only" in last.tasks[0]


def test_the_first_week_starts_with_a_mock_exam_when_none_was_sat():
    assert "mock exam first" in study_plan(TODAY, TODAY + timedelta(days=28), DOMAINS)[0].tasks[0]
    first = study_plan(TODAY, TODAY + timedelta(days=28), DOMAINS, mock_exams_taken=1)[0]
    assert not any("mock exam first" in task for task in first.tasks)


def test_the_week_before_the_exam_ends_with_a_full_mock_exam():
    plan = study_plan(TODAY, TODAY + timedelta(days=35), DOMAINS)
    assert any("full timed mock exam" in task for task in plan[-2].tasks)


def test_the_domain_that_can_add_most_to_the_score_comes_first():
    # what each can add, weight × (1 − mastery): 8, 7.5, 13.1 (unknown = 0.5), 10.6
    plan = study_plan(TODAY, TODAY + timedelta(days=70), DOMAINS)
    assert plan[0].focus == ("3",)
    assert plan[1].focus == ("4",)


def test_study_weeks_are_shared_by_what_each_domain_can_add():
    plan = study_plan(TODAY, TODAY + timedelta(days=7 * 10), DOMAINS)
    weeks = Counter(week.focus[0] for week in plan if week.focus)
    # nine study weeks over 8 : 7.5 : 13.125 : 10.625 → quotas 1.83, 1.72, 3.01, 2.44 → 2, 2, 3, 2
    assert weeks == {"3": 3, "4": 2, "1": 2, "2": 2}


def test_a_far_exam_is_planned_for_the_first_weeks_only():
    assert len(study_plan(TODAY, TODAY + timedelta(days=400), DOMAINS)) == MAX_WEEKS


def test_an_exam_within_the_week_gets_one_focused_week():
    plan = study_plan(TODAY, TODAY + timedelta(days=3), DOMAINS)
    assert len(plan) == 1 and plan[0].focus == ("3",)
