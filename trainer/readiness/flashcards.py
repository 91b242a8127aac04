"""Flashcard scheduling with FSRS (the `fsrs` package): a card's memory state in, the next one out.

A learner's state for a card is the package's own Card, stored as its dict. Fuzzing is
off, so the same reviews at the same times always give the same schedule (the due
count can be tested, and two servers agree); the package's default parameters and 90 %
desired retention are used as they are. "Due today" means due before the end of the
day in UTC; the site has no time zone per learner yet.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(enable_fuzzing=False)
RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
# New cards a learner meets per deck per day, as Anki's default.
NEW_PER_DAY = 20


def _utc(moment: datetime) -> datetime:
    # fsrs insists on timezone.utc itself, not merely an offset of zero
    return moment.astimezone(UTC)


def review(state: dict | None, rating: int, at: datetime, card_id: int) -> dict:
    """The card's state after a review rated 1–4 (Again, Hard, Good, Easy) at `at`."""
    if rating not in RATINGS:
        raise ValueError(f"a rating is 1, 2, 3 or 4, not {rating!r}")
    card = Card.from_dict(state) if state else Card(card_id=card_id, due=_utc(at))
    card, _ = SCHEDULER.review_card(card, Rating(rating), review_datetime=_utc(at))
    return card.to_dict()


def due_at(state: dict) -> datetime:
    """When the card is next due."""
    return datetime.fromisoformat(state["due"]).astimezone(UTC)


def next_intervals(state: dict | None, at: datetime, card_id: int) -> dict[int, timedelta]:
    """For each rating, how long until the card would come back (for the rating buttons)."""
    return {rating: due_at(review(state, rating, at, card_id)) - _utc(at) for rating in RATINGS}


def end_of_day(now: datetime) -> datetime:
    """The end of `now`'s day in UTC: what is due before it is due today."""
    day = _utc(now).date()
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UTC)


def recall_score(rating: int) -> float:
    """A rating as evidence for mastery: remembered (Hard, Good, Easy) is right, Again is wrong."""
    return 0.0 if rating == 1 else 1.0


def interval_text(interval: timedelta) -> str:
    """A short interval for a button: 10 min, 3 h, 4 days, 2 months."""
    seconds = max(int(interval.total_seconds()), 0)
    if seconds < 3600:
        return f"{max(seconds // 60, 1)} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{days // 30} months"
