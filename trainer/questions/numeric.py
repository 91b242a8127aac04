"""Numeric questions: one fixed number, typed with or without its unit."""

from __future__ import annotations

import random
from typing import Any

from trainer.calc import format_number
from trainer.questions.answers import (
    AMOUNT_FIELDS,
    amount_settings,
    amount_settings_problems,
    amount_text,
    grade_amount,
    on_step,
    public_amount_view,
    to_decimal,
)
from trainer.questions.placeholders import fill_placeholders, placeholder_problems, plain_number
from trainer.questions.registry import GradeResult, Problems, QuestionType, register


def template_problems(spec: dict, known: set[str]) -> Problems:
    """Placeholder problems in the stem (which must not show {answer}) and the explanation."""
    problems: Problems = []
    stem = spec.get("stem")
    if isinstance(stem, str):
        for message in placeholder_problems(stem, known):
            if message == "unknown placeholder {answer}":
                message = "must not show {answer}: the stem is seen before grading"
            problems.append(("stem", message))
    explanation = spec.get("explanation")
    if isinstance(explanation, str):
        problems.extend(
            ("explanation", message)
            for message in placeholder_problems(explanation, known | {"answer"})
        )
    return problems


@register
class Numeric(QuestionType):
    """A fixed numeric answer with optional unit, tolerance, rounding and safety settings."""

    name = "numeric"
    label = "Numeric"
    response_kind = "number"
    fields = ("answer", *AMOUNT_FIELDS)

    def validate_spec(self, spec: dict) -> Problems:
        """The answer must be a number on the round_to step; the shared settings must be valid."""
        problems = amount_settings_problems(spec)
        answer = to_decimal(spec.get("answer"))
        if answer is None:
            problems.append(("answer", "must be a number such as 8 or 0.25"))
        else:
            step = to_decimal(spec.get("round_to"))
            if step is not None and step > 0 and not on_step(answer, step):
                problems.append(("answer", f"is not rounded to round_to ({spec['round_to']})"))
        problems.extend(template_problems(spec, set()))
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Nothing to draw: the key, its safe text and the grading settings."""
        answer = to_decimal(spec["answer"])
        assert answer is not None
        settings = amount_settings(spec)
        return {
            "type": self.name,
            "stem": fill_placeholders(spec.get("stem", ""), {}),
            "explanation": fill_placeholders(
                spec.get("explanation", ""), {"answer": answer}, format_number
            ),
            "answer": plain_number(answer),
            "answer_text": amount_text(answer, settings["unit"]),
            **settings,
        }

    def public_view(self, instance: dict) -> dict:
        """The stem and, when the unit is not part of the question, the unit for the box."""
        return {"type": self.name, "stem": instance["stem"], **public_amount_view(instance)}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Grade typed text such as "8", "8 mL" or "0.5 g" (see trainer.questions.answers)."""
        return grade_amount(instance, response)
