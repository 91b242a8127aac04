"""The rules that make a CE post-test's pass worth the credit: the pool, the attempts, the wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from trainer.ce.post_test import (
    PastAttempt,
    PostTestPolicy,
    attempt_refusal,
    policy_problems,
    pool_problems,
)

NOW = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)


def failed(hours_ago: float) -> PastAttempt:
    closed = NOW - timedelta(hours=hours_ago)
    return PastAttempt(started_at=closed - timedelta(minutes=20), closed_at=closed, percent=50.0)


def test_a_pool_of_twice_the_questions_shown_is_enough():
    assert pool_problems([(10, 20)]) == []


def test_a_pool_smaller_than_twice_the_questions_shown_is_named():
    (problem,) = pool_problems([(10, 19)])
    assert "shows 10 questions but the pool holds only 19" in problem and "at least 20" in problem


def test_each_draw_needs_twice_its_count_even_when_the_whole_pool_is_large():
    (problem,) = pool_problems([(3, 4), (7, 30)])
    assert problem == "a draw of 3 chooses from only 4 questions: it needs at least 6"


def test_fixed_questions_count_as_shown_and_as_pool_once():
    assert pool_problems([], fixed=1) != []
    assert pool_problems([(1, 3)], fixed=1) == []


@given(st.lists(st.tuples(st.integers(1, 20), st.integers(0, 60)), min_size=1, max_size=5))
def test_the_pool_is_enough_exactly_when_every_draw_has_twice_its_count(draws):
    assert (pool_problems(draws) == []) == all(size >= 2 * count for count, size in draws)


def test_a_first_attempt_is_always_allowed():
    assert attempt_refusal(PostTestPolicy(attempts=1, wait_hours=24), [], NOW) is None


def test_the_wait_counts_from_the_end_of_the_last_attempt():
    policy = PostTestPolicy(attempts=3, wait_hours=24)
    refusal = attempt_refusal(policy, [failed(30), failed(23)], NOW)
    assert "24 hours between attempts" in refusal and "opens on 5 March 2026 at 15:00 UTC" in refusal
    assert attempt_refusal(policy, [failed(24)], NOW) is None


def test_no_wait_when_the_course_sets_none():
    assert attempt_refusal(PostTestPolicy(attempts=3, wait_hours=0), [failed(0)], NOW) is None


def test_used_attempts_are_refused_whatever_the_wait():
    refusal = attempt_refusal(PostTestPolicy(attempts=2, wait_hours=0), [failed(100), failed(50)], NOW)
    assert refusal.startswith("You have used all 2 attempts at this post-test.")


def test_one_quiz_closing_two_courses_follows_the_stricter_rules():
    policy = PostTestPolicy(3, 24, 80).stricter(PostTestPolicy(5, 48, 70))
    assert policy == PostTestPolicy(attempts=3, wait_hours=48, pass_mark=80)


def test_attempts_and_wait_must_be_whole_numbers_within_limits():
    assert policy_problems(3, 24) == []
    assert [field for field, _ in policy_problems(0, -1)] == ["attempts", "wait_hours"]
    assert [field for field, _ in policy_problems(True, 1.5)] == ["attempts", "wait_hours"]
