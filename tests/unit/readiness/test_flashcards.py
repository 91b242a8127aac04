"""Flashcard scheduling goes through the fsrs package; our part is storing its state and the day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Card, Rating, Scheduler

from trainer.readiness.flashcards import (
    due_at,
    end_of_day,
    interval_text,
    next_intervals,
    recall_score,
    review,
)

MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_review_is_scheduled_exactly_as_the_package_schedules_it():
    expected, _ = Scheduler(enable_fuzzing=False).review_card(
        Card(card_id=7, due=MORNING), Rating.Good, review_datetime=MORNING
    )
    assert review(None, 3, MORNING, card_id=7) == expected.to_dict()


def test_a_stored_state_continues_where_it_left_off():
    first = review(None, 3, MORNING, card_id=7)
    second = review(first, 3, due_at(first), card_id=7)
    scheduler = Scheduler(enable_fuzzing=False)
    card, _ = scheduler.review_card(Card(card_id=7, due=MORNING), Rating.Good, review_datetime=MORNING)
    card, _ = scheduler.review_card(card, Rating.Good, review_datetime=card.due)
    assert second == card.to_dict()


def test_again_brings_a_card_back_within_minutes_and_easy_within_days():
    intervals = next_intervals(None, MORNING, card_id=1)
    assert intervals[1] < timedelta(hours=1)
    assert intervals[4] >= timedelta(days=1)
    assert intervals[1] <= intervals[2] <= intervals[3] <= intervals[4]


def test_a_rating_must_be_one_to_four():
    with pytest.raises(ValueError):
        review(None, 5, MORNING, card_id=1)


def test_any_utc_offset_of_zero_is_accepted():
    other_utc = MORNING.astimezone(timezone(timedelta(0)))
    assert review(None, 3, other_utc, card_id=1) == review(None, 3, MORNING, card_id=1)


def test_today_ends_at_midnight_utc():
    assert end_of_day(MORNING) == datetime(2026, 3, 3, tzinfo=UTC)


def test_after_a_day_of_reviews_only_cards_in_their_learning_steps_are_still_due_today():
    states = {}
    for card_id, rating in enumerate([1, 2, 3, 4, 3, 1]):
        states[card_id] = review(None, rating, MORNING, card_id)
    # a second pass an hour later over what is due by then
    later = MORNING + timedelta(hours=1)
    for card_id, state in states.items():
        if due_at(state) <= later:
            states[card_id] = review(state, 3, later, card_id)
    due_today = [card_id for card_id, state in states.items() if due_at(state) < end_of_day(MORNING)]
    expected = [
        card_id for card_id, state in states.items()
        if Card.from_dict(state).due < datetime(2026, 3, 3, tzinfo=UTC)
    ]
    assert due_today == expected
    # rated Again at 9:00 and Good at 10:00: on the 10-minute learning step, still due today;
    # rated Easy: graduated to days
    assert {0, 5} <= set(due_today)
    assert 3 not in due_today


def test_a_rating_counts_as_mastery_evidence_as_remembered_or_not():
    assert [recall_score(r) for r in (1, 2, 3, 4)] == [0, 1, 1, 1]


@pytest.mark.parametrize(("interval", "text"), [
    (timedelta(seconds=30), "1 min"), (timedelta(minutes=10), "10 min"), (timedelta(hours=3), "3 h"),
    (timedelta(days=1), "1 day"), (timedelta(days=12), "12 days"), (timedelta(days=95), "3 months"),
])
def test_intervals_are_written_shortly(interval, text):
    assert interval_text(interval) == text
