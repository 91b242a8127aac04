"""Numeric questions: one fixed number, typed with or without its unit."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from trainer.calc import format_number
from trainer.questions.answers import (
    AMOUNT_FIELDS,
    AnswerUnreadable,
    amount_settings,
    amount_settings_problems,
    amount_text,
    grade_amount,
    on_step,
    public_amount_view,
    read_answer,
    same_unit,
    to_decimal,
)
from trainer.questions.placeholders import fill_placeholders, placeholder_problems, plain_number
from trainer.questions.registry import GradeResult, Problems, QuestionType, register

MAX_OTHER_ANSWERS = 20


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
    fields = ("answer", *AMOUNT_FIELDS, "other_answers", "feedback", "feedback_wrong")

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
        problems.extend(_other_answer_problems(spec))
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Nothing to draw: the key, its safe text and the grading settings."""
        answer = to_decimal(spec["answer"])
        assert answer is not None
        settings = amount_settings(spec)
        instance = {
            "type": self.name,
            "stem": fill_placeholders(spec.get("stem", ""), {}),
            "explanation": fill_placeholders(
                spec.get("explanation", ""), {"answer": answer}, format_number
            ),
            "answer": plain_number(answer),
            "answer_text": amount_text(answer, settings["unit"]),
            **settings,
        }
        for name in ("feedback", "feedback_wrong"):
            if spec.get(name):
                instance[name] = spec[name]
        if spec.get("other_answers"):
            instance["other_answers"] = [
                {
                    "answer": plain_number(to_decimal(other["answer"])),
                    "tolerance": plain_number(to_decimal(other.get("tolerance", 0))),
                    "weight": plain_number(to_decimal(other.get("weight", 0))),
                    **({"feedback": other["feedback"]} if other.get("feedback") else {}),
                }
                for other in spec["other_answers"]
            ]
        return instance

    def public_view(self, instance: dict) -> dict:
        """The stem and, when the unit is not part of the question, the unit for the box."""
        return {"type": self.name, "stem": instance["stem"], **public_amount_view(instance)}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Grade typed text such as "8", "8 mL" or "0.5 g" (see trainer.questions.answers).

        When the key is missed, the other answers are tried in order (partial credit and
        feedback each), then the catch-all wrong-answer feedback is added.
        """
        result = grade_amount(instance, response)
        if result.correct:
            if instance.get("feedback"):
                return GradeResult(result.score, True, [*result.feedback, instance["feedback"]], result.flags)
            return result
        if result.score > 0 or {"blank", "unparseable", "not_rounded"} & set(result.flags):
            return result
        other = _matching_other_answer(instance, response)
        if other is not None:
            weight = Decimal(other["weight"]) / 100
            extra = [other["feedback"]] if other.get("feedback") else []
            if weight > 0:
                feedback = ["Partly correct." if weight < 1 else "Correct.", *extra]
                return GradeResult(float(min(weight, Decimal(1))), weight >= 1, feedback, [])
            return GradeResult(0.0, False, [*result.feedback, *extra], result.flags)
        if instance.get("feedback_wrong"):
            return GradeResult(0.0, False, [*result.feedback, instance["feedback_wrong"]], result.flags)
        return result


def _matching_other_answer(instance: dict, response: Any) -> dict | None:
    """The first other answer within its tolerance of the typed number (in the question's unit)."""
    try:
        entered = read_answer(response)
    except AnswerUnreadable:
        return None
    unit = instance.get("unit")
    if entered.unit is not None and not (unit and same_unit(entered.unit, unit)):
        return None
    for other in instance.get("other_answers") or []:
        if abs(entered.value - Decimal(other["answer"])) <= Decimal(other["tolerance"]):
            return other
    return None


def _other_answer_problems(spec: dict) -> Problems:
    problems: Problems = []
    for name in ("feedback", "feedback_wrong"):
        value = spec.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append((name, "must be non-empty text"))
    others = spec.get("other_answers")
    if others is None:
        return problems
    if not isinstance(others, list) or len(others) > MAX_OTHER_ANSWERS:
        return [*problems, ("other_answers", f"must be a list of at most {MAX_OTHER_ANSWERS} answers")]
    for index, other in enumerate(others):
        where = f"other_answers[{index}]"
        if not isinstance(other, dict):
            problems.append((where, "must be {answer, tolerance, weight, feedback}"))
            continue
        problems.extend(
            (f"{where}.{key}", "unknown field")
            for key in other
            if key not in ("answer", "tolerance", "weight", "feedback")
        )
        if to_decimal(other.get("answer")) is None:
            problems.append((f"{where}.answer", "must be a number"))
        tolerance = to_decimal(other.get("tolerance", 0))
        if tolerance is None or tolerance < 0:
            problems.append((f"{where}.tolerance", "must be a number zero or more"))
        weight = to_decimal(other.get("weight", 0))
        if weight is None or not 0 <= weight <= 100:
            problems.append((f"{where}.weight", "must be a percentage from 0 to 100"))
        feedback = other.get("feedback")
        if feedback is not None and (not isinstance(feedback, str) or not feedback.strip()):
            problems.append((f"{where}.feedback", "must be non-empty text"))
    return problems
