"""Quiz files (question_bank/quizzes/<slug>.yaml): their fields, and whether the bank can fill them."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from trainer.questions.question import BLUEPRINT_PATTERN, DIFFICULTIES, ID_PATTERN
from trainer.questions.registry import QUESTION_TYPES, Problems

FEEDBACK_MODES = ("immediate", "deferred")
SHOW_ANSWERS = ("immediately", "after_submit", "after_close", "never")
QUIZ_FIELDS = (
    "slug",
    "title",
    "description",
    "pass_mark",
    "time_limit_minutes",
    "attempts_allowed",
    "shuffle_questions",
    "shuffle_choices",
    "feedback",
    "show_answers",
    "available_from",
    "available_until",
    "items",
)
# What a quiz file may leave out, and what it then means.
QUIZ_DEFAULTS = {
    "description": "",
    "time_limit_minutes": None,
    "attempts_allowed": 0,
    "shuffle_questions": True,
    "shuffle_choices": True,
    "feedback": "immediate",
    "show_answers": "after_submit",
    "available_from": None,
    "available_until": None,
}
DRAW_FILTERS = ("tags", "blueprint", "difficulty", "type")
# Hall's condition is checked over every group of draws up to this many draws.
MAX_DRAWS_CHECKED_EXACTLY = 12


def _is_whole(value: object) -> bool:
    # the database keeps whole numbers; 1.5 would be kept on SQLite and rounded on PostgreSQL
    return isinstance(value, int) and not isinstance(value, bool)


def quiz_time(value: object) -> datetime | None:
    """An availability time from a quiz file as an aware UTC datetime; None if it is not one.

    Quiz times are UTC (README): a time written without a zone, or a bare date (midnight),
    is read as UTC rather than refused or left naive for the database to choke on.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def _draw_problems(item: dict, where: str) -> Problems:
    problems: Problems = []
    count = item.get("draw")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        problems.append((f"{where}.draw", "must be a whole number of questions, 1 or more"))
    for key in item:
        if key not in ("draw", *DRAW_FILTERS):
            problems.append(
                (f"{where}.{key}", "unknown filter; use tags, blueprint, difficulty or type")
            )
    checks = {
        "tags": (
            lambda v: isinstance(v, str) and ID_PATTERN.fullmatch(v),
            "tags such as dose-volume",
        ),
        "blueprint": (
            lambda v: isinstance(v, str) and BLUEPRINT_PATTERN.fullmatch(v),
            "areas such as ptce-2020:4.2",
        ),
        "difficulty": (lambda v: v in DIFFICULTIES, "easy, medium or hard"),
        "type": (lambda v: v in QUESTION_TYPES, "question types"),
    }
    for name, (ok, what) in checks.items():
        if name in item:
            values = _as_list(item[name])
            if not values or not all(ok(v) for v in values):
                problems.append((f"{where}.{name}", f"must be one or a list of {what}"))
    return problems


def validate_quiz(data: Any) -> Problems:
    """Problems with a quiz's own fields (whether the bank can fill it is checked by the loader)."""
    if not isinstance(data, dict):
        return [("quiz", "must be a mapping of fields")]
    problems: Problems = []
    for key in data:
        if key not in QUIZ_FIELDS:
            problems.append((str(key), "unknown field"))
    slug = data.get("slug")
    if not isinstance(slug, str) or not ID_PATTERN.fullmatch(slug):
        problems.append(("slug", "is required: lowercase letters, digits and hyphens"))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(("title", "is required"))
    if "description" in data and not isinstance(data["description"], str):
        problems.append(("description", "must be text"))
    pass_mark = data.get("pass_mark")
    if not _is_whole(pass_mark) or not 0 <= pass_mark <= 100:
        problems.append(("pass_mark", "is required: a whole percentage from 0 to 100"))
    limit = data.get("time_limit_minutes")
    if limit is not None and (not _is_whole(limit) or limit <= 0):
        problems.append(
            ("time_limit_minutes", "must be a whole number of minutes above zero, or left out")
        )
    attempts = data.get("attempts_allowed", 0)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
        problems.append(("attempts_allowed", "must be a whole number, 0 for unlimited"))
    for name in ("shuffle_questions", "shuffle_choices"):
        if name in data and not isinstance(data[name], bool):
            problems.append((name, "must be true or false"))
    if data.get("feedback", "immediate") not in FEEDBACK_MODES:
        problems.append(("feedback", "must be " + " or ".join(FEEDBACK_MODES)))
    if data.get("show_answers", "after_submit") not in SHOW_ANSWERS:
        problems.append(("show_answers", "must be " + ", ".join(SHOW_ANSWERS)))
    moments = {}
    for name in ("available_from", "available_until"):
        if data.get(name) is not None:
            moments[name] = quiz_time(data[name])
            if moments[name] is None:
                problems.append((name, "must be a date and time such as 2026-01-01T00:00:00Z"))
    start, end = moments.get("available_from"), moments.get("available_until")
    if start and end and start >= end:
        problems.append(("available_until", "must be after available_from"))
    items = data.get("items")
    if not isinstance(items, list) or not items:
        problems.append(("items", "is required: a list of questions and draws"))
        return problems
    fixed: set[str] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if not isinstance(item, dict) or ("question" in item) == ("draw" in item):
            problems.append((where, "must be {question: <id>} or {draw: N, …filters}"))
        elif "question" in item:
            qid = item["question"]
            if set(item) != {"question"}:
                problems.append((where, "a fixed question takes no other fields"))
            if not isinstance(qid, str) or not ID_PATTERN.fullmatch(qid):
                problems.append((f"{where}.question", "must be a question id"))
            elif qid in fixed:
                problems.append((f"{where}.question", f"{qid} is listed twice"))
            else:
                fixed.add(qid)
        else:
            problems.extend(_draw_problems(item, where))
    return problems


# Types a draw takes only when it names them: their items make no sense picked at random.
UNDRAWN_TYPES = ("description",)


def matches_draw(question: dict, draw: dict) -> bool:
    """Whether a published question can be drawn for `draw`: tags any of, and every other filter.

    A domain filter (ptce-2020:4) matches its areas (ptce-2020:4.2).
    """
    if question.get("status", "published") != "published":
        return False
    if "tags" in draw and not set(_as_list(draw["tags"])) & set(question.get("tags") or []):
        return False
    if "difficulty" in draw and question.get("difficulty") not in _as_list(draw["difficulty"]):
        return False
    if "type" in draw and question.get("type") not in _as_list(draw["type"]):
        return False
    if "type" not in draw and question.get("type") in UNDRAWN_TYPES:
        # a description drawn at random would be text out of its context
        return False
    if "blueprint" in draw:
        wanted = _as_list(draw["blueprint"])
        codes = question.get("blueprint") or []
        if not any(code == w or code.startswith(f"{w}.") for w in wanted for code in codes):
            return False
    return True


def quiz_bank_problems(quiz: dict, questions: dict[str, dict]) -> Problems:
    """Problems filling a valid quiz from `questions` (by id): missing questions, draws too big."""
    problems: Problems = []
    fixed = set()
    draws = []
    for index, item in enumerate(quiz["items"]):
        if "question" in item:
            qid = item["question"]
            fixed.add(qid)
            if qid not in questions:
                problems.append((f"items[{index}].question", f"no question has the id {qid}"))
            elif questions[qid].get("status", "published") != "published":
                problems.append(
                    (
                        f"items[{index}].question",
                        f"{qid} is {questions[qid]['status']}, not published",
                    )
                )
        else:
            pool = {
                qid for qid, q in questions.items() if qid not in fixed and matches_draw(q, item)
            }
            draws.append((index, item["draw"], pool))
    # a draw never repeats a fixed question, nor one another draw took
    for index, count, pool in draws:
        pool -= fixed
        if len(pool) < count:
            problems.append(
                (
                    f"items[{index}].draw",
                    f"asks for {count} questions but only {len(pool)} published ones match",
                )
            )
    if problems or len(draws) < 2:
        return problems
    # several draws may compete for the same questions: every group of draws together
    # needs as many distinct questions as it asks for (Hall's condition)
    groups = (
        itertools.chain.from_iterable(
            itertools.combinations(draws, n) for n in range(2, len(draws) + 1)
        )
        if len(draws) <= MAX_DRAWS_CHECKED_EXACTLY
        else [draws]
    )
    for group in groups:
        wanted = sum(count for _, count, _ in group)
        available = set().union(*(pool for _, _, pool in group))
        if len(available) < wanted:
            indexes = ", ".join(str(i) for i, _, _ in group)
            problems.append(
                (
                    "items",
                    f"draws {indexes} ask for {wanted} different questions but only {len(available)} match them",
                )
            )
            break
    return problems
