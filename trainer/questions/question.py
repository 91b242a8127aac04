"""Whole questions: the common fields, and one attempt's instance built from a seed.

`generate_question` is what a quiz calls when an attempt starts (store the instance
with the attempt); `public_question_view` is all the page may carry before grading;
`grade_response` grades whatever came back; `review_view` is what to show afterwards.
"""

from __future__ import annotations

import logging
import random
import re
from typing import Any

from trainer.content.render import question_text_problems
from trainer.questions.registry import QUESTION_TYPES, GradeResult, Problems, get_type

logger = logging.getLogger(__name__)

DIFFICULTIES = ("easy", "medium", "hard")
STATUSES = ("draft", "published", "retired")
COMMON_FIELDS = (
    "id",
    "type",
    "status",
    "stem",
    "explanation",
    "tags",
    "difficulty",
    "blueprint",
    "references",
)
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TAG_PATTERN = ID_PATTERN
BLUEPRINT_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*:[0-9]+(?:\.[0-9]+)?")
MAX_ID_LENGTH = 80


def _list_problems(
    question: dict, name: str, pattern: re.Pattern | None, required: bool, what: str
) -> Problems:
    value = question.get(name)
    if value is None:
        return [(name, f"is required: a list of {what}")] if required else []
    if not isinstance(value, list):
        return [(name, f"must be a list of {what}")]
    if required and not value:
        return [(name, f"must list at least one of {what}")]
    problems: Problems = []
    seen = set()
    for index, item in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(item, str) or not item.strip():
            problems.append((where, "must be non-empty text"))
        elif pattern is not None and not pattern.fullmatch(item):
            problems.append((where, f"{item!r} is not one of {what}"))
        elif item in seen:
            problems.append((where, f"{item!r} is listed twice"))
        else:
            seen.add(item)
    return problems


def validate_question(
    question: Any,
    *,
    blueprint_codes: set[str] | frozenset[str] | None = None,
    require_metadata: bool = True,
) -> Problems:
    """Every problem with a question: common fields, its type's spec and, given them, blueprint codes.

    `require_metadata=False` lets explanation, tags, blueprint and references be missing
    or empty (a GIFT upload before the instructor has filled them in). A draft may lack
    its explanation in any case: an imported question without one is kept as a draft
    that needs an explanation, and publishing it requires one.
    """
    if not isinstance(question, dict):
        return [("question", "must be a mapping of fields")]
    problems: Problems = []
    qid = question.get("id")
    if not isinstance(qid, str) or not ID_PATTERN.fullmatch(qid) or len(qid) > MAX_ID_LENGTH:
        problems.append(
            ("id", "is required: lowercase letters, digits and hyphens, e.g. calc-dv-003")
        )
    qtype = question.get("type")
    type_ = QUESTION_TYPES.get(qtype) if isinstance(qtype, str) else None
    if type_ is None:
        problems.append(("type", "must be one of " + ", ".join(QUESTION_TYPES)))
    stem = question.get("stem")
    if not isinstance(stem, str) or not stem.strip():
        problems.append(("stem", "is required: markdown text"))
    else:
        problems.extend(("stem", message) for message in question_text_problems(stem))
    explanation = question.get("explanation")
    if isinstance(explanation, str):
        problems.extend(("explanation", message) for message in question_text_problems(explanation))
    if explanation is not None and not isinstance(explanation, str):
        problems.append(("explanation", "must be markdown text"))
    elif (
        require_metadata
        and question.get("status") != "draft"
        and (type_ is None or type_.scored)
        and (explanation is None or not explanation.strip())
    ):
        problems.append(("explanation", "is required: why the key is right"))
    problems.extend(
        _list_problems(
            question, "tags", TAG_PATTERN, require_metadata, "lowercase tags such as dose-volume"
        )
    )
    problems.extend(
        _list_problems(
            question,
            "blueprint",
            BLUEPRINT_PATTERN,
            require_metadata,
            "outline areas such as ptce-2020:4.2",
        )
    )
    if blueprint_codes is not None and isinstance(question.get("blueprint"), list):
        for index, code in enumerate(question["blueprint"]):
            if (
                isinstance(code, str)
                and BLUEPRINT_PATTERN.fullmatch(code)
                and code not in blueprint_codes
            ):
                problems.append(
                    (f"blueprint[{index}]", f"{code!r} is not an area or domain of any exam outline (see the list of exam areas)")
                )
    problems.extend(_list_problems(question, "references", None, require_metadata, "sources"))
    if question.get("difficulty") not in DIFFICULTIES:
        problems.append(("difficulty", "must be " + ", ".join(DIFFICULTIES)))
    if "status" in question and question["status"] not in STATUSES:
        problems.append(("status", "must be " + ", ".join(STATUSES)))
    if type_ is None:
        return problems
    for name in question:
        if name not in COMMON_FIELDS and name not in type_.fields:
            problems.append((str(name), f"unknown field for a {qtype} question"))
    known = set(COMMON_FIELDS) | set(type_.fields)
    spec_problems = type_.validate_spec({k: v for k, v in question.items() if k in known})
    return problems + spec_problems


def needs_explanation(question: dict) -> bool:
    """Whether a question lacks the explanation publishing requires (a description needs none)."""
    type_ = QUESTION_TYPES.get(question.get("type")) if isinstance(question.get("type"), str) else None
    explanation = question.get("explanation")
    missing = not isinstance(explanation, str) or not explanation.strip()
    return missing and (type_ is None or type_.scored)


def generate_question(question: dict, seed: int, *, shuffle_choices: bool = True) -> dict:
    """One attempt's instance of a valid question: same question and seed, same instance.

    The instance is plain JSON data holding the key: store it with the attempt and show
    only `public_question_view(instance)`. A quiz with `shuffle_choices: false` passes
    False to keep choices in file order. A calculated template that fails for this seed
    raises GenerationFailed (validation makes that unlikely, not impossible, for large
    value spaces).
    """
    type_ = get_type(question.get("type"))
    spec = question
    if not shuffle_choices and "shuffle" in type_.fields:
        spec = {**question, "shuffle": False}
    instance = type_.generate(spec, random.Random(seed))
    instance["question_id"] = question.get("id")
    instance["seed"] = seed
    return instance


def public_question_view(instance: dict) -> dict:
    """What the browser may see before grading: stem, choices or unit, never the key."""
    view = get_type(instance.get("type")).public_view(instance)
    return {"question_id": instance.get("question_id"), **view}


def review_view(instance: dict) -> dict:
    """What to show once answers may be seen: the answer, explanation and worked steps."""
    return {
        "question_id": instance.get("question_id"),
        "answer_text": instance.get("answer_text", ""),
        "explanation": instance.get("explanation", ""),
        "steps": list(instance.get("steps", [])),
    }


def grade_response(instance: dict, response: Any) -> GradeResult:
    """Grade any response against a stored instance; never raises."""
    try:
        return get_type(instance.get("type")).grade(instance, response)
    except Exception:
        # a type's grade() never raises on a bad response (the contract tests prove it);
        # this is a damaged stored instance, and the learner still must not see an error page
        qid = instance.get("question_id") if isinstance(instance, dict) else None
        logger.exception("cannot grade question %r", qid)
        return GradeResult(
            0.0,
            False,
            ["This answer could not be graded. Please tell your instructor."],
            ["ungradable"],
        )
