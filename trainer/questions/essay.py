"""Items an instructor grades by hand (essay), and items with no answer at all (description).

An essay's grade waits for a person: the type records the response and says it awaits
grading; the score an instructor gives later joins the attempt's total. A description
shows text inside a quiz (a case, a table, instructions) and is never scored.
"""

from __future__ import annotations

import random
from typing import Any

from trainer.questions.registry import (
    NOT_ANSWERED,
    NOT_UNDERSTOOD,
    GradeResult,
    Problems,
    QuestionType,
    register,
    text_field,
    wrong,
)

MAX_ESSAY_LENGTH = 20_000
AWAITING_GRADING = "Awaiting grading by your instructor."


def _stem_problems(spec: dict) -> Problems:
    problems: Problems = []
    text_field(spec, "stem", problems)
    return problems


def _stored_stem(instance: dict) -> str:
    """The instance's stem; a damaged instance raises, for the caller's guard to report."""
    stem = instance["stem"]
    if not isinstance(stem, str):
        raise TypeError("damaged instance: the stem is not text")
    return stem


@register
class Essay(QuestionType):
    """A written answer that an instructor reads and scores, guided by the rubric."""

    name = "essay"
    label = "Essay (graded by hand)"
    response_kind = "essay"
    fields = ("rubric",)
    graded_by_hand = True

    def validate_spec(self, spec: dict) -> Problems:
        """The rubric, when given, is text for the grader."""
        problems = _stem_problems(spec)
        text_field(spec, "rubric", problems, required=False)
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Nothing to draw: the stem, and the rubric for whoever grades."""
        return {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "rubric": spec.get("rubric") or "",
            "answer_text": "",
        }

    def public_view(self, instance: dict) -> dict:
        """Only the stem: the rubric is for the grader."""
        return {"type": self.name, "stem": instance["stem"]}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """No score yet: a readable answer awaits an instructor, anything else is refused."""
        _stored_stem(instance)
        if response is None or (isinstance(response, str) and not response.strip()):
            return wrong(NOT_ANSWERED, "blank")
        if not isinstance(response, str) or len(response) > MAX_ESSAY_LENGTH or "\x00" in response:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        return GradeResult(0.0, False, [AWAITING_GRADING], ["awaiting_grading"])


@register
class Description(QuestionType):
    """Text shown among the questions of a quiz; nothing to answer and no score."""

    name = "description"
    label = "Description (no answer)"
    response_kind = "none"
    fields = ()
    scored = False

    def validate_spec(self, spec: dict) -> Problems:
        """The text to show is the item: it must be there."""
        return _stem_problems(spec)

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """The text to show."""
        return {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "answer_text": "",
        }

    def public_view(self, instance: dict) -> dict:
        """The text to show."""
        return {"type": self.name, "stem": instance["stem"]}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """There is nothing to grade; the item is left out of the attempt's total."""
        _stored_stem(instance)
        return GradeResult(0.0, False, ["This item has no answer to grade."], ["not_scored"])
