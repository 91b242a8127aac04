"""The missed-question queue: back a day after a miss, three days after the first right answer,
cleared by the second; early right answers do not count, a miss starts it over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trainer.readiness.missed import after_answer, after_miss, after_right

MISSED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_a_right_answer_to_a_question_never_missed_queues_nothing():
    assert after_answer(None, True, MISSED_AT) is None


def test_a_miss_brings_the_question_back_a_day_later():
    state = after_answer(None, False, MISSED_AT)
    assert state.due == MISSED_AT + DAY
    assert (state.right, state.misses, state.cleared) == (0, 1, False)


def test_the_first_right_answer_once_due_sends_it_three_days_on():
    state = after_right(after_miss(None, MISSED_AT), MISSED_AT + DAY)
    assert state.right == 1
    assert state.due == MISSED_AT + DAY + 3 * DAY
    assert not state.cleared


def test_the_second_right_answer_once_due_clears_it():
    state = after_right(after_miss(None, MISSED_AT), MISSED_AT + DAY)
    state = after_right(state, MISSED_AT + 4 * DAY)
    assert state.cleared and state.right == 2


def test_the_intervals_grow():
    first = after_miss(None, MISSED_AT)
    second = after_right(first, first.due)
    assert second.due - first.due > first.due - MISSED_AT


def test_a_right_answer_before_it_is_due_does_not_count():
    state = after_miss(None, MISSED_AT)
    assert after_right(state, MISSED_AT + timedelta(hours=2)) == state


def test_a_miss_after_a_right_answer_starts_it_over():
    state = after_right(after_miss(None, MISSED_AT), MISSED_AT + DAY)
    again = after_answer(state, False, MISSED_AT + 4 * DAY)
    assert (again.right, again.misses) == (0, 2)
    assert again.due == MISSED_AT + 5 * DAY


def test_a_cleared_question_missed_again_comes_back_as_a_first_miss():
    state = after_right(after_right(after_miss(None, MISSED_AT), MISSED_AT + DAY), MISSED_AT + 4 * DAY)
    again = after_answer(state, False, MISSED_AT + 30 * DAY)
    assert not again.cleared and again.misses == 1


def test_a_cleared_question_answered_right_stays_cleared():
    state = after_right(after_right(after_miss(None, MISSED_AT), MISSED_AT + DAY), MISSED_AT + 4 * DAY)
    assert after_answer(state, True, MISSED_AT + 9 * DAY) == state
