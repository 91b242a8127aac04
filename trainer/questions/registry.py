"""The registry of question types and the grade every type returns.

A type is a class registered under the `type` string a bank file uses. It works on
plain data only: a spec (the question as stored), an instance (what one attempt drew:
shown order, numbers, key), the public view of that instance, and a response. It never
sees a request, a form or a database row.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class GradeResult:
    """The grade of one response: score is a float fraction 0..1, feedback is for the learner."""

    score: float
    correct: bool
    feedback: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data to store with the response."""
        return asdict(self)


def wrong(message: str, *flags: str) -> GradeResult:
    """A zero grade with one message."""
    return GradeResult(0.0, False, [message], list(flags))


NOT_ANSWERED = "No answer was given."
NOT_UNDERSTOOD = "This answer could not be read."


class QuestionType:
    """Base of every question type; subclasses are registered with @register."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    # what the learner enters, so the web layer can pick a widget: choice, choices,
    # boolean, number, text, pairs, order
    response_kind: ClassVar[str] = ""
    # the spec fields this type owns, in the order a bank file writes them
    fields: ClassVar[tuple[str, ...]] = ()
    # an instructor grades the response by hand (the type's own grade only records it)
    graded_by_hand: ClassVar[bool] = False
    # False for items shown without an answer or a score (a description)
    scored: ClassVar[bool] = True

    def validate_spec(self, spec: dict) -> Problems:
        """Problems with the type's own fields, as (field, message) pairs."""
        raise NotImplementedError

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Build one JSON-serialisable instance of the question from `rng`."""
        raise NotImplementedError

    def public_view(self, instance: dict) -> dict:
        """What the browser may see before grading: never a key, feedback or explanation."""
        raise NotImplementedError

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Grade a response of any shape; garbage grades as wrong and never raises."""
        raise NotImplementedError


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: add a question type to the registry under its `name`."""
    if not cls.name or cls.name in QUESTION_TYPES:
        raise ValueError(f"question type name {cls.name!r} is empty or taken")
    QUESTION_TYPES[cls.name] = cls()
    return cls


def get_type(name: object) -> QuestionType:
    """The registered type called `name`; KeyError if there is none."""
    if not isinstance(name, str) or name not in QUESTION_TYPES:
        raise KeyError(f"unknown question type {name!r}")
    return QUESTION_TYPES[name]


def shown_id(position: int) -> str:
    """The id of the item shown at `position` (0-based): a, b, … z, aa, ab, …"""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def text_field(spec: dict, name: str, problems: Problems, required: bool = True) -> str | None:
    """Read an optional or required non-empty text field, recording a problem if it is wrong."""
    value = spec.get(name)
    if value is None:
        if required:
            problems.append((name, "is required"))
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append((name, "must be non-empty text"))
        return None
    return value


def bool_field(spec: dict, name: str, problems: Problems) -> None:
    """Check that an optional field, when present, is true or false."""
    if name in spec and not isinstance(spec[name], bool):
        problems.append((name, "must be true or false"))
