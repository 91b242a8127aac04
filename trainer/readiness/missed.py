"""The missed-question queue: a question answered wrong comes back until it is right twice.

After a wrong answer the question is due again a day later. Each right answer given
once it is due moves it on to a longer interval (3 days after the first); the second
such right answer clears it. A right answer before it is due does not count (it is too
soon to show the learner remembers), and a wrong answer at any time starts it over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# Days until the question comes back: after a miss, then after each right answer.
INTERVAL_DAYS = (1, 3)
RIGHT_TO_CLEAR = 2


@dataclass(frozen=True)
class MissedState:
    """One question in one learner's queue."""

    due: datetime
    right: int = 0  # right answers in a row, each given once due
    misses: int = 1
    cleared: bool = False


def after_miss(state: MissedState | None, at: datetime) -> MissedState:
    """The queue entry after a wrong answer at `at`: (back) in the queue, due a day later."""
    misses = 1 if state is None or state.cleared else state.misses + 1
    return MissedState(due=at + timedelta(days=INTERVAL_DAYS[0]), right=0, misses=misses)


def after_right(state: MissedState, at: datetime) -> MissedState:
    """The queue entry after a right answer at `at`: counted if due, cleared after RIGHT_TO_CLEAR."""
    if state.cleared or at < state.due:
        return state
    right = state.right + 1
    if right >= RIGHT_TO_CLEAR:
        return replace(state, right=right, cleared=True)
    return replace(state, right=right, due=at + timedelta(days=INTERVAL_DAYS[right]))


def after_answer(state: MissedState | None, correct: bool, at: datetime) -> MissedState | None:
    """The entry after any graded answer; None when the question was never missed and is right now."""
    if not correct:
        return after_miss(state, at)
    if state is None:
        return None
    return after_right(state, at)
