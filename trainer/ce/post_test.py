"""The rules a post-test must follow before its pass is worth CE credit, pure.

A post-test that awards CE is only evidence of learning if it cannot be passed by
remembering last time's answers: each attempt draws from a pool at least twice the
size of what it shows, the keys stay hidden until the learner has passed, and the
learner has a limited number of attempts with a wait between them (time to go back
to the modules). The services hand this module plain numbers and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# The pool a CE post-test draws from must hold this many times the questions it shows.
POOL_FACTOR = 2

# Defaults for a course that does not set its own (course.yaml `post_test`, the course form).
DEFAULT_ATTEMPTS = 3
DEFAULT_WAIT_HOURS = 24
MAX_ATTEMPTS = 20
MAX_WAIT_HOURS = 24 * 14


@dataclass(frozen=True)
class PostTestPolicy:
    """How many attempts a learner has at a CE post-test, and the wait between two of them."""

    attempts: int = DEFAULT_ATTEMPTS
    wait_hours: int = DEFAULT_WAIT_HOURS
    pass_mark: int = 80

    def stricter(self, other: PostTestPolicy) -> PostTestPolicy:
        """The policy that satisfies both (one quiz may close several courses)."""
        return PostTestPolicy(
            attempts=min(self.attempts, other.attempts),
            wait_hours=max(self.wait_hours, other.wait_hours),
            pass_mark=max(self.pass_mark, other.pass_mark),
        )

    def as_settings(self) -> dict:
        """What an attempt freezes when it starts (Attempt.settings["ce_post_test"])."""
        return {"attempts": self.attempts, "wait_hours": self.wait_hours, "pass_mark": self.pass_mark}


@dataclass(frozen=True)
class PastAttempt:
    """One earlier attempt, as the attempt rules need it."""

    started_at: datetime
    closed_at: datetime | None  # None while in progress
    percent: float | None


def policy_problems(attempts: object, wait_hours: object) -> list[tuple[str, str]]:
    """Problems with a course's attempt limit and waiting time, as (field, message) pairs."""
    problems = []
    if isinstance(attempts, bool) or not isinstance(attempts, int) or not 1 <= attempts <= MAX_ATTEMPTS:
        problems.append(("attempts", f"must be a whole number of attempts from 1 to {MAX_ATTEMPTS}"))
    if isinstance(wait_hours, bool) or not isinstance(wait_hours, int) or not 0 <= wait_hours <= MAX_WAIT_HOURS:
        problems.append(("wait_hours", f"must be a whole number of hours from 0 to {MAX_WAIT_HOURS}"))
    return problems


def pool_problems(draws: list[tuple[int, int]], *, fixed: int = 0, pool: int | None = None,
                  shown: int | None = None) -> list[str]:
    """Why a post-test's questions are too few for CE, as sentences; [] when the pool is large enough.

    `draws` holds (questions drawn, questions the draw may choose from) for each draw;
    `fixed` counts the questions asked on every attempt; `pool` the distinct questions
    an attempt may show (draws may share questions; default: the plain sum) and `shown`
    how many it shows. The whole attempt needs a pool of at least twice what it shows,
    and so does each draw, or one part of the test would repeat itself.
    """
    shown = fixed + sum(count for count, _ in draws) if shown is None else shown
    pool = fixed + sum(size for _, size in draws) if pool is None else pool
    if shown == 0:
        return ["it has no questions"]
    problems = []
    if pool < POOL_FACTOR * shown:
        problems.append(
            f"each attempt shows {shown} question{'s' if shown != 1 else ''} but the pool holds "
            f"only {pool}: a post-test that awards CE needs at least {POOL_FACTOR * shown}"
        )
    for count, size in draws if len(draws) > 1 or fixed else ():  # one draw alone: said above
        if size < POOL_FACTOR * count:
            problems.append(
                f"a draw of {count} chooses from only {size} question{'s' if size != 1 else ''}: "
                f"it needs at least {POOL_FACTOR * count}"
            )
    return problems


def _hours(hours: int) -> str:
    return f"{hours} hour{'s' if hours != 1 else ''}"


def _moment(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def attempt_refusal(policy: PostTestPolicy, past: list[PastAttempt], now: datetime) -> str | None:
    """Why the learner may not start another attempt now, in words for them; None when they may.

    Attempts in progress are the caller's to resume, not counted here as new ones.
    """
    used = len(past)
    if used >= policy.attempts:
        return (
            f"You have used all {policy.attempts} attempt{'s' if policy.attempts != 1 else ''} at this "
            "post-test. Please ask your instructor if you need another."
        )
    closed = [a.closed_at for a in past if a.closed_at is not None]
    if closed and policy.wait_hours:
        ready = max(closed) + timedelta(hours=policy.wait_hours)
        if now < ready:
            return (
                f"Take time to review the course before trying again: this post-test asks for "
                f"{_hours(policy.wait_hours)} between attempts. Your next attempt opens on {_moment(ready)}."
            )
    return None


def attempts_left(policy: PostTestPolicy, used: int) -> int:
    """Attempts the learner still has."""
    return max(policy.attempts - used, 0)
