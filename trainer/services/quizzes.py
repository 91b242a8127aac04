"""Taking quizzes: which quizzes are open, attempts drawn from one seed, answers, deadlines,
submitting, results.

The knowledge checks inside course modules are attempts too (knowledge_checks.py), and
regrades rewrite stored attempts (regrades.py); what every kind of attempt shares, from
seeds to scores, is in attempts.py. Everything here works on the database session and
leaves the commit to its caller (a view, a CLI command), so one request is one
transaction. Functions that depend on the time take `now` (default: the current UTC
time) so tests control the clock.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import bindparam, exists, func, literal, or_, select, union_all
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Row
from sqlalchemy.orm import joinedload, selectinload

from trainer.extensions import db
from trainer.models import (
    Attempt,
    AttemptItem,
    AuditEvent,
    Course,
    Question,
    QuestionArea,
    QuestionTag,
    Quiz,
    QuizAccommodation,
    User,
    utcnow,
)
from trainer.questions import GenerationFailed
from trainer.questions.quiz import UNDRAWN_TYPES
from trainer.services.accounts import lock_learner
from trainer.services.attempts import (
    CLOSED,
    finalise_scores,
    grade_item,
    is_scored,
    item_seed,
    make_item,
    new_seed,
    takes_an_answer,
)
from trainer.services.readiness import after_grading

POSITION_LIMIT = 2**31  # item positions fit the INTEGER column on every database

# A calculated template may, rarely, fail for one seed; the next seeds follow from it, so
# the attempt's seed still reproduces the item.
GENERATION_RETRIES = 5


class QuizRefused(Exception):
    """Something the quiz's rules do not allow now; `message` tells the learner why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class QuizUnavailable(QuizRefused):
    """An attempt cannot be started (closed window, attempts used up, bank too small)."""


class AnswerRefused(QuizRefused):
    """An answer or flag was not saved (attempt closed, time up, answer already checked)."""


def _now(now: datetime | None) -> datetime:
    return now if now is not None else utcnow()


def when(moment: datetime) -> str:
    """A moment as learners read it: 5 March 2026 at 14:00 UTC."""
    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M} UTC"


def _moment(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


# ---- quizzes a learner may take ------------------------------------------------------------


def open_quizzes(now: datetime | None = None) -> list[Quiz]:
    """Published quizzes inside their availability window, by title; course post-tests are left
    to their courses (a learner reaches them from the course, after its modules)."""
    now = _now(now)
    post_tests = select(Course.post_test_quiz_id).where(Course.post_test_quiz_id.is_not(None))
    return list(db.session.scalars(
        select(Quiz)
        .where(
            Quiz.status == "published",
            or_(Quiz.available_from.is_(None), Quiz.available_from <= now),
            or_(Quiz.available_until.is_(None), Quiz.available_until > now),
            Quiz.id.not_in(post_tests),
        )
        .options(selectinload(Quiz.items))
        .order_by(Quiz.title)
    ))


def published_quiz(slug: str) -> Quiz | None:
    """The published quiz with this slug, if any (drafts and retired quizzes are not for learners)."""
    return db.session.scalar(
        select(Quiz).where(Quiz.slug == slug, Quiz.status == "published").options(selectinload(Quiz.items))
    )


def question_count(quiz: Quiz) -> int:
    """How many questions an attempt at the quiz has (fixed questions plus draws)."""
    return sum(1 if item.question_id is not None else item.draw_count for item in quiz.items)


@dataclass
class QuizRecord:
    """One learner's history with one quiz."""

    attempts: int = 0
    best_percent: Decimal | None = None
    in_progress_id: int | None = None
    last_closed_id: int | None = None


def quiz_records(user: User, quiz_ids) -> dict[int, QuizRecord]:
    """The learner's attempts, best score and attempt in progress per quiz (one query)."""
    records: dict[int, QuizRecord] = defaultdict(QuizRecord)
    ids = list(quiz_ids)
    if not ids:
        return records
    rows = db.session.execute(
        select(Attempt.quiz_id, Attempt.id, Attempt.status, Attempt.percent)
        .where(Attempt.user_id == user.id, Attempt.kind == "quiz", Attempt.quiz_id.in_(ids))
        .order_by(Attempt.id)
    )
    for quiz_id, attempt_id, status, percent in rows:
        record = records[quiz_id]
        record.attempts += 1
        if status == "in_progress":
            record.in_progress_id = attempt_id
        else:
            record.last_closed_id = attempt_id
            if percent is not None and (record.best_percent is None or percent > record.best_percent):
                record.best_percent = percent
    return records


def attempts_at(user: User, quiz: Quiz) -> list[Attempt]:
    """The learner's attempts at one quiz, oldest first."""
    return list(db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.kind == "quiz")
        .order_by(Attempt.id)
    ))


def availability_problem(quiz: Quiz, now: datetime | None = None) -> str | None:
    """Why the quiz cannot be taken now, or None."""
    now = _now(now)
    if quiz.status != "published":
        return "This quiz is not open to learners."
    if quiz.available_from is not None and now < quiz.available_from:
        return f"This quiz opens on {when(quiz.available_from)}."
    if quiz.available_until is not None and now >= quiz.available_until:
        return f"This quiz closed on {when(quiz.available_until)}."
    return None


def start_problem(quiz: Quiz, user: User, now: datetime | None = None) -> str | None:
    """Why the learner cannot start a new attempt now, or None."""
    problem = availability_problem(quiz, now)
    if problem:
        return problem
    if quiz.attempts_allowed:
        used = db.session.scalar(
            select(func.count(Attempt.id)).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
        )
        if used >= quiz.attempts_allowed:
            allowed = quiz.attempts_allowed
            return f"You have used all {allowed} attempt{'s' if allowed != 1 else ''} allowed at this quiz."
    from trainer.services import post_tests  # it counts pools with this module's draws

    return post_tests.start_refusal(quiz, user, now)


# ---- starting an attempt -------------------------------------------------------------------


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _draw_pool(draw_filter: dict) -> list[int]:
    """Ids of published questions a draw may take, in a fixed order (by bank id) so seeds reproduce."""
    stmt = select(Question.id).where(
        Question.status == "published", Question.current_version_id.is_not(None)
    )
    if "tags" in draw_filter:
        stmt = stmt.where(exists().where(
            QuestionTag.question_id == Question.id, QuestionTag.tag.in_(_as_list(draw_filter["tags"]))
        ))
    if "difficulty" in draw_filter:
        stmt = stmt.where(Question.difficulty.in_(_as_list(draw_filter["difficulty"])))
    if "type" in draw_filter:
        stmt = stmt.where(Question.type.in_(_as_list(draw_filter["type"])))
    else:
        stmt = stmt.where(Question.type.not_in(UNDRAWN_TYPES))
    if "blueprint" in draw_filter:
        # an area code matches itself; a domain code (ptce-2020:4) also matches its areas (4.2)
        wanted = [str(code) for code in _as_list(draw_filter["blueprint"])]
        stmt = stmt.where(exists().where(
            QuestionArea.question_id == Question.id,
            or_(*(or_(QuestionArea.code == code, QuestionArea.code.like(f"{code}.%")) for code in wanted)),
        ))
    return list(db.session.scalars(stmt.order_by(Question.uid)))


def _match_draws(draws: list[tuple[list[int], int]], taken: set[int], rng: random.Random) -> list[list[int]] | None:
    """Give every draw its count of distinct questions when greedy picking starved one (bipartite matching)."""
    slots = [index for index, (_, count) in enumerate(draws) for _ in range(count)]
    candidates = []
    for index in slots:
        pool = [qid for qid in draws[index][0] if qid not in taken]
        rng.shuffle(pool)
        candidates.append(pool)
    owner: dict[int, int] = {}  # question id -> slot

    def place(slot: int, seen: set[int]) -> bool:
        for qid in candidates[slot]:
            if qid in seen:
                continue
            seen.add(qid)
            if qid not in owner or place(owner[qid], seen):
                owner[qid] = slot
                return True
        return False

    for slot in range(len(slots)):
        if not place(slot, set()):
            return None
    picks: list[list[int]] = [[] for _ in draws]
    for qid, slot in sorted(owner.items(), key=lambda pair: pair[1]):
        picks[slots[slot]].append(qid)
    return picks


def draw_questions(quiz: Quiz, seed: int) -> list[Question]:
    """The questions of one attempt, in the order shown: the same seed and bank give the same list.

    Fixed questions that are no longer published are left out; a draw takes published
    questions matching its filter and never a fixed question or another draw's.
    """
    rng = random.Random(seed)
    items = sorted(quiz.items, key=lambda item: item.position)
    fixed_ids = [item.question_id for item in items if item.question_id is not None]
    published = set(db.session.scalars(
        select(Question.id).where(
            Question.id.in_(fixed_ids), Question.status == "published",
            Question.current_version_id.is_not(None),
        )
    )) if fixed_ids else set()
    taken = set(fixed_ids)
    draws = [(_draw_pool(item.draw_filter or {}), item.draw_count) for item in items if item.question_id is None]
    picks: list[list[int]] | None = []
    used = set(taken)
    for pool, count in draws:
        free = [qid for qid in pool if qid not in used]
        if len(free) < count:
            picks = None
            break
        chosen = rng.sample(free, count)
        used.update(chosen)
        picks.append(chosen)
    if picks is None:
        # draws competing for the same questions: the greedy order starved one of them
        picks = _match_draws(draws, taken, random.Random(seed + 1))
    if picks is None:
        raise QuizUnavailable(
            "This quiz cannot be started: the question bank has too few published questions "
            "for its draws. Please tell your instructor."
        )
    order: list[int] = []
    draw_picks = iter(picks)
    for item in items:
        if item.question_id is not None:
            if item.question_id in published:
                order.append(item.question_id)
        else:
            order.extend(next(draw_picks))
    if quiz.shuffle_questions:
        rng.shuffle(order)
    questions = {
        q.id: q for q in db.session.scalars(
            select(Question).where(Question.id.in_(order)).options(selectinload(Question.current_version))
        )
    }
    return [questions[qid] for qid in order]


def seeded_item(question: Question, position: int, attempt_seed: int, *, shuffle_choices: bool = True,
                four_options: bool = False) -> AttemptItem:
    """An attempt item whose seed follows from the attempt's seed and its position."""
    seed = item_seed(attempt_seed, position)
    for _ in range(GENERATION_RETRIES):
        try:
            return make_item(question, position=position, seed=seed, shuffle_choices=shuffle_choices,
                             four_options=four_options)
        except GenerationFailed:
            seed = item_seed(seed, position + 1)
    raise QuizUnavailable(
        f"Question {question.uid} could not be generated. Please tell your instructor."
    )


def _extra_minutes(quiz: Quiz, user: User) -> int:
    extra = db.session.scalar(
        select(QuizAccommodation.extra_minutes).where(
            QuizAccommodation.quiz_id == quiz.id, QuizAccommodation.user_id == user.id
        )
    )
    return max(extra or 0, 0)


def _deadline(start: datetime, limit_minutes, extra: int, closes: datetime | None) -> datetime | None:
    deadline = start + timedelta(minutes=limit_minutes + extra) if limit_minutes else None
    if closes is not None and (deadline is None or deadline > closes):
        # answers shown "after close" must never meet an attempt still open
        deadline = closes
    return deadline


def attempt_deadline(quiz: Quiz, user: User, start: datetime) -> datetime | None:
    """Start + time limit + the learner's extra time, never after the quiz closes; None if untimed."""
    extra = _extra_minutes(quiz, user) if quiz.time_limit_minutes else 0
    return _deadline(start, quiz.time_limit_minutes, extra, quiz.available_until)


def extend_open_attempts(quiz: Quiz, user: User, *, now: datetime | None = None) -> list[Attempt]:
    """Give the learner's timed attempts in progress their extra time as it now stands; the ones moved.

    Extra time granted while a learner is already sitting the quiz counts for that
    attempt too (WCAG 2.2.1: the learner can get more time). A deadline only ever moves
    later: a grant lowered or revoked mid-attempt does not cut the time the learner was
    promised when the attempt started, and an attempt whose time is already up stays
    over. The limit and closing time are the ones the attempt froze when it started.
    """
    now = _now(now)
    attempts = db.session.scalars(
        select(Attempt).where(
            Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.kind == "quiz",
            Attempt.status == "in_progress", Attempt.deadline_at.is_not(None),
        ).with_for_update()
    ).all()
    extra = _extra_minutes(quiz, user)
    moved = []
    for attempt in attempts:
        settings = attempt.settings or {}
        if is_overdue(attempt, now) or not settings.get("time_limit_minutes"):
            continue
        deadline = _deadline(attempt.started_at, settings["time_limit_minutes"], extra,
                             _moment(settings.get("available_until")))
        if deadline is not None and deadline > attempt.deadline_at:
            attempt.deadline_at = deadline
            moved.append(attempt)
    return moved


def grant_extra_time(quiz: Quiz, learner: User, minutes: int, note: str = "", *, actor: User,
                     now: datetime | None = None) -> list[Attempt]:
    """Give `learner` `minutes` extra on every timed attempt at `quiz` (the accommodation), logged;
    the learner's attempts in progress get it too: the ones whose deadline moved."""
    accommodation = db.session.scalar(select(QuizAccommodation).where(
        QuizAccommodation.quiz_id == quiz.id, QuizAccommodation.user_id == learner.id))
    old = accommodation.extra_minutes if accommodation else None
    if accommodation is None:
        accommodation = QuizAccommodation(quiz_id=quiz.id, user_id=learner.id)
        db.session.add(accommodation)
    accommodation.extra_minutes = minutes
    accommodation.note = note.strip()
    accommodation.granted_by_id = actor.id
    accommodation.granted_at = _now(now)
    db.session.flush()
    extended = extend_open_attempts(quiz, learner, now=now)
    AuditEvent.record("accommodation_granted", subject=f"quiz:{quiz.slug}", actor=actor,
                      user=learner.email, extra_minutes=minutes, previous=old,
                      note=accommodation.note, attempts_extended=[a.id for a in extended])
    return extended


def attempt_in_progress(user: User, quiz: Quiz) -> Attempt | None:
    """The learner's open attempt at this quiz, if any."""
    return db.session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.kind == "quiz",
               Attempt.status == "in_progress")
        .order_by(Attempt.id.desc())
        .limit(1)
    )


def start_attempt(user: User, quiz: Quiz, *, now: datetime | None = None, seed: int | None = None) -> Attempt:
    """Resume the learner's open attempt at `quiz`, or start a new one; raise QuizUnavailable if not allowed."""
    now = _now(now)
    lock_learner(user)
    current = attempt_in_progress(user, quiz)
    if current is not None and not close_if_overdue(current, now):
        return current
    problem = start_problem(quiz, user, now)
    if problem:
        raise QuizUnavailable(problem)
    seed = new_seed() if seed is None else seed
    from trainer.services import post_tests

    settings = post_tests.attempt_settings(quiz, quiz.settings())
    questions = draw_questions(quiz, seed)
    if not questions:
        raise QuizUnavailable("This quiz has no questions to ask at the moment. Please tell your instructor.")
    attempt = Attempt(
        user_id=user.id, kind="quiz", quiz_id=quiz.id, status="in_progress", seed=seed,
        settings=settings, started_at=now, deadline_at=attempt_deadline(quiz, user, now),
        last_position=0, position_since=now,
    )
    for position, question in enumerate(questions):
        attempt.items.append(
            seeded_item(question, position, seed, shuffle_choices=settings["shuffle_choices"])
        )
    db.session.add(attempt)
    db.session.flush()
    return attempt


# ---- answering --------------------------------------------------------------------------------


# Attempts taken on the quiz pages: quizzes, and the mock exams and practice sessions of readiness.
TAKEN_LIKE_A_QUIZ = ("quiz", "mock_exam", "practice")


def learner_attempt(attempt_id: int, user: User, *, lock: bool = False, items: bool = True) -> Attempt | None:
    """One of the learner's own quiz attempts, or None; `lock` holds its row until commit.

    With `items` its items are loaded too; without, item_at loads just the one asked for
    (an autosave changes one answer and need not read every other).
    """
    return db.session.scalar(_learner_attempt_statement(lock, items),
                             {"attempt_id": attempt_id, "user_id": user.id})


@functools.cache
def _learner_attempt_statement(lock: bool, items: bool):
    # Built once per kind: every question page and autosave runs one, and building a
    # select() costs more than running it.
    stmt = select(Attempt).where(
        Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"), Attempt.kind.in_(TAKEN_LIKE_A_QUIZ)
    )
    if items:
        stmt = stmt.options(selectinload(Attempt.items))
    if lock:
        # Two requests changing one attempt (two submits, a save racing a submit) queue
        # here; the second then sees the first one's result (status, answers).
        return stmt.with_for_update().execution_options(populate_existing=True)
    return stmt.options(joinedload(Attempt.quiz))


ITEM_AT = select(AttemptItem).where(
    AttemptItem.attempt_id == bindparam("attempt_id"), AttemptItem.position == bindparam("position")
)


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether an open attempt has passed its deadline (and must close itself)."""
    return (
        attempt.status == "in_progress"
        and attempt.deadline_at is not None
        and _now(now) >= attempt.deadline_at
    )


def close_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Close an attempt past its deadline, graded on the answers saved before it; True if it closed now."""
    now = _now(now)
    if not is_overdue(attempt, now):
        return False
    _close(attempt, "expired", closed_at=attempt.deadline_at, now=now)
    return True


def item_at(attempt: Attempt, position: int) -> AttemptItem:
    """The item at a 0-based position; LookupError if there is none.

    Items are numbered 0, 1, 2… when the attempt is made, so when they are not loaded
    the one item is read by its position.
    """
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < POSITION_LIMIT:
        raise LookupError(position)
    if "items" not in sa_inspect(attempt).unloaded:
        if position >= len(attempt.items):
            raise LookupError(position)
        return attempt.items[position]
    # Remembered on the attempt: a save asks for its item twice (to read the answer, to store it).
    read = attempt.__dict__.setdefault("_items_read", {})
    if position not in read:
        read[position] = db.session.scalar(ITEM_AT, {"attempt_id": attempt.id, "position": position})
    if read[position] is None:
        raise LookupError(position)
    return read[position]


TIME_UP = (
    "Time is up: this answer arrived after the deadline and was not saved. Your attempt "
    "was graded with the answers saved before the deadline."
)


# Time on one question beyond this, in one stay, counts as this much: the learner was most
# likely away (a closed laptop, an attempt resumed the next day). Item analysis reports
# medians, which a few long stays do not move.
MAX_SECONDS_PER_STAY = 600


def _clock_time_on(attempt: Attempt, item: AttemptItem, now: datetime) -> None:
    """Add the time since the learner arrived at `item` to it, and restart the clock.

    Only when the learner is known to have been there (they came by a page of this
    attempt that recorded it); otherwise the clock just starts now. The caller has the
    item already, so an autosave does not load the attempt's other items.
    """
    since = attempt.position_since
    if since is not None and attempt.last_position == item.position:
        seconds = int((now - since).total_seconds())
        if seconds > 0:
            item.seconds_on_item = (item.seconds_on_item or 0) + min(seconds, MAX_SECONDS_PER_STAY)
    attempt.position_since = now


def _require_open(attempt: Attempt, now: datetime) -> None:
    if attempt.status != "in_progress":
        raise AnswerRefused("This attempt is closed: its answers can no longer change.")
    if close_if_overdue(attempt, now):
        raise AnswerRefused(TIME_UP)


ITEM_STATES = (
    select(
        AttemptItem.position,
        AttemptItem.response,
        AttemptItem.flagged,
        AttemptItem.scored,
        AttemptItem.instance["type"].as_string().label("type"),
    )
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptItem.position)
)


def item_states(attempt: Attempt) -> list:
    """Each item's position, answer, flag and type, in order (what the list of questions shows).

    The loaded items when they are; else one light query that leaves the questions'
    instances, the bulk of an item, in the database.
    """
    if "items" not in sa_inspect(attempt).unloaded:
        return list(attempt.items)
    return db.session.execute(ITEM_STATES, {"attempt_id": attempt.id}).all()


def is_answered(item: AttemptItem) -> bool:
    """Whether the learner has given an answer (a blank or empty one does not count).

    A description has nothing to answer, so it never counts as unanswered; a mock exam's
    pretest item looks like any other, so it does.
    """
    if not takes_an_answer(item):
        return True
    response = item.response
    if response is None:
        return False
    if isinstance(response, str):
        return bool(response.strip())
    if isinstance(response, (list, dict)):
        return bool(response)
    return True


def save_answer(
    attempt: Attempt, position: int, response, *, now: datetime | None = None, check: bool = False
) -> AttemptItem:
    """Store an answer as given (autosave); with `check` in an immediate-feedback quiz, grade it at once.

    A checked answer is final. Raise AnswerRefused when the attempt is closed or the
    deadline has passed (the attempt then closes itself: commit anyway), LookupError
    for a position the attempt does not have.
    """
    now = _now(now)
    _require_open(attempt, now)
    item = item_at(attempt, position)
    if item.graded_at is not None:
        raise AnswerRefused("You have checked this answer already: it can no longer change.")
    if check and attempt.settings.get("feedback_mode") != "immediate":
        raise AnswerRefused("Answers in this quiz are graded when you submit it.")
    _clock_time_on(attempt, item, now)
    item.response = response
    item.answered_at = now if response is not None else None
    attempt.last_position = position
    if check:
        if not is_answered(item):
            raise AnswerRefused("Give an answer before checking it.")
        grade_item(item, use_stored=True)
        item.graded_at = now
        after_grading(attempt.user_id, [item], source=attempt.kind, now=now)
    return item


def set_flag(attempt: Attempt, position: int, flagged: bool, *, now: datetime | None = None) -> AttemptItem:
    """Flag or unflag a question for review before submitting."""
    now = _now(now)
    _require_open(attempt, now)
    item = item_at(attempt, position)
    _clock_time_on(attempt, item, now)
    item.flagged = bool(flagged)
    attempt.last_position = position
    return item


def visit(attempt: Attempt, position: int | None, *, now: datetime | None = None) -> None:
    """Remember the question the learner is on, so the attempt resumes there (and its time counts
    from now); None for the review screen, where no question's time runs."""
    if attempt.status != "in_progress":
        return
    if position is None:
        attempt.position_since = None
    elif 0 <= position < len(attempt.items) and position != attempt.last_position:
        attempt.last_position = position
        attempt.position_since = _now(now)


def submit_attempt(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """Close and grade the attempt; True if this call closed it (a second submit changes nothing).

    Call it on an attempt loaded with `lock=True`, so two submits at once count once.
    """
    now = _now(now)
    if attempt.status != "in_progress":
        return False
    if close_if_overdue(attempt, now):
        return True
    _close(attempt, "submitted", closed_at=now, now=now)
    return True


def _close(attempt: Attempt, status: str, *, closed_at: datetime, now: datetime) -> None:
    graded_now = []
    for item in attempt.items:
        if item.graded_at is None:
            grade_item(item, use_stored=True)
            item.graded_at = now
            graded_now.append(item)
    attempt.status = status
    attempt.submitted_at = closed_at
    finalise_scores(attempt)
    after_grading(attempt.user_id, graded_now, source=attempt.kind, now=now)


# ---- results and review -------------------------------------------------------------------


def _outline_cache() -> dict:
    cache = current_app.extensions.setdefault("trainer_blueprint_titles", {})
    if "titles" not in cache:
        from trainer.content.source import ProblemList, load_yaml
        from trainer.questions.blueprints import read_blueprints

        path = Path(current_app.config["CONTENT_ROOT"]) / "question_bank" / "blueprints.yaml"
        titles: dict[str, str] = {}
        names: dict[str, str] = {}
        try:
            read = read_blueprints(load_yaml(path.read_text(encoding="utf-8"), str(path)), ProblemList(str(path)))
            titles, names = read.titles, read.plain_names
        except Exception:  # a missing or broken file only costs the area names
            current_app.logger.warning("blueprint titles unavailable from %s", path)
        cache["titles"], cache["names"] = titles, names
    return cache


def blueprint_titles() -> dict[str, str]:
    """Titles of the exam outline codes (the exam outlines file), read once per app."""
    return _outline_cache()["titles"]


def outline_names() -> dict[str, str]:
    """Each exam outline's plain name ("PTCE 2020–2025 outline"), by code, read once per app."""
    return _outline_cache()["names"]


def outline_choices(domains: list, preferred: list[str]) -> tuple[list[tuple[str, str]], str | None]:
    """The outlines an attempt's results can be shown by, with plain names, and the one to show:
    the first of `preferred` the results have (the learner's choice, then their exam goal), else the first."""
    names = outline_names()
    codes = sorted({domain.outline for domain in domains})
    choices = [(code, names.get(code, code)) for code in codes]
    chosen = next((code for code in preferred if code in codes), codes[0] if codes else None)
    return choices, chosen


@dataclass
class AreaResult:
    """Points earned over points possible in one outline domain or area."""

    outline: str
    code: str  # "4" for a domain, "4.2" for an area
    title: str = ""
    earned: Decimal = Decimal(0)
    possible: int = 0
    areas: list[AreaResult] = field(default_factory=list)

    @property
    def percent(self) -> Decimal:
        # unrounded: pages show it by the site's one rule (the `percent` filter, whole_percent)
        return self.earned * 100 / self.possible if self.possible else Decimal(0)

    @property
    def label(self) -> str:
        """E.g. "ptce-2020 4.2"."""
        return f"{self.outline} {self.code}"

    @property
    def earned_text(self) -> str:
        """Points earned without needless decimals: 3, 2.5."""
        return format(self.earned.normalize(), "f") if self.earned else "0"


def results_by_area(attempt: Attempt) -> list[AreaResult]:
    """The attempt's score per outline domain, each with its areas (from the questions' blueprint areas)."""
    question_ids = {item.question_id for item in attempt.items}
    if not question_ids:
        return []
    codes: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for question_id, outline, area, domain in db.session.execute(
        select(QuestionArea.question_id, QuestionArea.outline, QuestionArea.area, QuestionArea.domain)
        .where(QuestionArea.question_id.in_(question_ids))
    ):
        codes[question_id].append((outline, area, domain))
    titles = blueprint_titles()
    domains: dict[tuple[str, str], AreaResult] = {}
    areas: dict[tuple[str, str], AreaResult] = {}
    for item in attempt.items:
        if not is_scored(item):
            continue  # a description, or a mock exam's pretest item
        earned = item.score or Decimal(0)
        counted_domains = set()
        for outline, area, domain in codes.get(item.question_id, []):
            key = (outline, domain)
            if key not in domains:
                domains[key] = AreaResult(outline, domain, titles.get(f"{outline}:{domain}", ""))
            if key not in counted_domains:  # a question in two areas of a domain counts once there
                counted_domains.add(key)
                domains[key].earned += earned
                domains[key].possible += 1
            if area != domain:
                if (outline, area) not in areas:
                    areas[(outline, area)] = AreaResult(outline, area, titles.get(f"{outline}:{area}", ""))
                    domains[key].areas.append(areas[(outline, area)])
                areas[(outline, area)].earned += earned
                areas[(outline, area)].possible += 1

    def order(code: str) -> tuple[int, ...]:
        return tuple(int(part) for part in code.split(".") if part.isdigit())

    result = sorted(domains.values(), key=lambda d: (d.outline, order(d.code)))
    for domain in result:
        domain.areas.sort(key=lambda a: order(a.code))
    return result


def answers_visible(attempt: Attempt, item: AttemptItem | None = None, *, now: datetime | None = None) -> bool:
    """Whether the key, explanation and worked steps may be shown (for `item`, or the whole attempt).

    immediately: once the item is graded (at once in a practice quiz, at submit in an
    exam); after_submit: once the attempt is closed; after_close: once it is closed and
    the quiz's window has ended; never: not at all.
    """
    mode = (attempt.settings or {}).get("show_answers", "after_submit")
    closed = attempt.status in CLOSED
    if mode == "after_pass":  # a CE post-test (post_tests.py): no keys for the next attempt
        from trainer.services.post_tests import learner_has_passed

        return closed and learner_has_passed(attempt)
    if mode == "immediately":
        return closed or (item is not None and item.graded_at is not None)
    if mode == "after_submit":
        return closed
    if mode == "after_close":
        until = _moment((attempt.settings or {}).get("available_until"))
        return closed and until is not None and _now(now) >= until
    return False


def visibility_note(attempt: Attempt, *, now: datetime | None = None) -> str:
    """A sentence saying when the correct answers will be shown, if they are not shown now."""
    if answers_visible(attempt, now=now):
        return ""
    mode = (attempt.settings or {}).get("show_answers", "after_submit")
    if mode == "never":
        return "This quiz does not show the correct answers."
    if mode == "after_pass":
        return ("This post-test awards CE credit, so it shows which questions you missed but not their "
                "answers or explanations: those are shown once you have passed.")
    if mode == "after_close":
        until = _moment((attempt.settings or {}).get("available_until"))
        if until is None:
            return "Correct answers are shown after the quiz closes; this quiz has no closing date."
        return f"Correct answers are shown after the quiz closes on {when(until)}."
    return "Correct answers are shown after you submit."


def recent_attempts(user: User, *, limit: int = 3) -> tuple[list[Row], list[Row]]:
    """The learner's open quiz attempts and latest closed ones (one query): rows with the
    attempt's id, last_position, passed and percent, and its quiz_title."""
    rows = db.session.execute(RECENT_ATTEMPTS, {"user_id": user.id, "limit": limit}).all()
    return [row for row in rows if not row.closed], [row for row in rows if row.closed]


# The dashboard's query, built once; rows, not model objects: the panel only reads a few
# columns, and an attempt carries its settings and more. The open attempts (newest first)
# and the latest closed ones come in one round trip.
_RECENT = (
    select(Attempt.id, Attempt.last_position, Attempt.passed, Attempt.percent, Quiz.title.label("quiz_title"))
    .join(Quiz, Quiz.id == Attempt.quiz_id)
    .where(Attempt.user_id == bindparam("user_id"), Attempt.kind == "quiz")
)
_OPEN_PART = _RECENT.add_columns(literal(0).label("closed"), Attempt.started_at.label("since")).where(
    Attempt.status == "in_progress")
_CLOSED_PART = (
    _RECENT.add_columns(literal(1).label("closed"), Attempt.submitted_at.label("since"))
    .where(Attempt.status.in_(CLOSED))
    .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    .limit(bindparam("limit"))
    .subquery()
)
_BOTH = union_all(_OPEN_PART, select(_CLOSED_PART)).subquery()
RECENT_ATTEMPTS = select(_BOTH).order_by(_BOTH.c.closed, _BOTH.c.since.desc(), _BOTH.c.id.desc())
