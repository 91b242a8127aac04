"""Short-answer questions: a typed word or phrase compared with accepted answers."""

from __future__ import annotations

import random
import unicodedata
from fractions import Fraction
from typing import Any

from trainer.questions.registry import (
    NOT_ANSWERED,
    NOT_UNDERSTOOD,
    GradeResult,
    Problems,
    QuestionType,
    bool_field,
    register,
    wrong,
)

MAX_RESPONSE_LENGTH = 1000


def normalise_answer(text: str, case_sensitive: bool = False) -> str:
    """Trim, collapse runs of spaces, unify Unicode forms and (by default) ignore case."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text if case_sensitive else text.casefold()


def wildcard_match(pattern: str, text: str) -> bool:
    """Moodle's short-answer match: `*` stands for any run of characters, `\\*` for a star.

    Two pointers with one backtrack point, so the work is linear in the lengths: a
    pattern of many stars cannot make grading slow.
    """
    tokens: list[str | None] = []  # None is a wildcard
    index = 0
    while index < len(pattern):
        if pattern.startswith("\\*", index):
            tokens.append("*")
            index += 2
        elif pattern[index] == "*":
            if not tokens or tokens[-1] is not None:
                tokens.append(None)
            index += 1
        else:
            tokens.append(pattern[index])
            index += 1
    t = p = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(tokens) and tokens[p] is not None and tokens[p] == text[t]:
            t += 1
            p += 1
        elif p < len(tokens) and tokens[p] is None:
            star, mark = p, t
            p += 1
        elif star >= 0:
            p = star + 1
            mark += 1
            t = mark
        else:
            return False
    while p < len(tokens) and tokens[p] is None:
        p += 1
    return p == len(tokens)


def accepted_answers(spec_answers: list) -> list[dict]:
    """Every answer as {text, weight, feedback?}; a plain string is a full-credit answer."""
    result = []
    for answer in spec_answers:
        if isinstance(answer, str):
            result.append({"text": answer, "weight": 100})
        else:
            result.append({"weight": 100, **answer})
    return result


def _answer_problems(where: str, answer: object) -> tuple[str | None, Problems]:
    if isinstance(answer, str):
        text: object = answer
        problems: Problems = []
    elif isinstance(answer, dict):
        problems = [(f"{where}.{k}", "unknown field") for k in answer if k not in ("text", "weight", "feedback")]
        text = answer.get("text")
        weight = answer.get("weight", 100)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 100:
            problems.append((f"{where}.weight", "must be a percentage from 0 to 100"))
        feedback = answer.get("feedback")
        if feedback is not None and (not isinstance(feedback, str) or not feedback.strip()):
            problems.append((f"{where}.feedback", "must be non-empty text"))
        where = f"{where}.text"
    else:
        return None, [(where, "must be text, or {text, weight, feedback}")]
    if not isinstance(text, str) or not text.strip():
        return None, [*problems, (where, "must be non-empty text")]
    if len(text) > MAX_RESPONSE_LENGTH:
        problems.append((where, f"must be at most {MAX_RESPONSE_LENGTH} characters"))
    return text, problems


@register
class ShortAnswer(QuestionType):
    """A typed answer compared with the accepted answers in order; the first that matches grades it.

    An accepted answer is text (full marks) or {text, weight, feedback}: partial credit
    and feedback per answer, as Moodle has them. `*` in an answer matches anything.
    """

    name = "short_answer"
    label = "Short answer"
    response_kind = "text"
    fields = ("answers", "case_sensitive", "feedback_wrong")

    def validate_spec(self, spec: dict) -> Problems:
        """At least one full-credit answer, all different once normalised."""
        problems: Problems = []
        answers = spec.get("answers")
        bool_field(spec, "case_sensitive", problems)
        wrong_feedback = spec.get("feedback_wrong")
        if wrong_feedback is not None and (not isinstance(wrong_feedback, str) or not wrong_feedback.strip()):
            problems.append(("feedback_wrong", "must be non-empty text"))
        if not isinstance(answers, list) or not answers:
            return [*problems, ("answers", "must be a list of accepted answers")]
        case_sensitive = spec.get("case_sensitive") is True
        seen: set[str] = set()
        full = False
        for index, answer in enumerate(answers):
            where = f"answers[{index}]"
            text, found = _answer_problems(where, answer)
            problems.extend(found)
            if text is None:
                continue
            full = full or isinstance(answer, str) or answer.get("weight", 100) == 100
            normal = normalise_answer(text, case_sensitive)
            if normal in seen:
                problems.append((where, "is the same as another accepted answer"))
            seen.add(normal)
        if not full and not any(p[0].startswith("answers[") for p in problems):
            problems.append(("answers", "at least one answer must be worth full marks (100)"))
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Nothing to draw: the accepted answers."""
        graded = accepted_answers(spec["answers"])
        full = [a["text"] for a in graded if a["weight"] == 100]
        instance = {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "answers": full,
            "case_sensitive": spec.get("case_sensitive") is True,
            "answer_text": full[0],
        }
        if any(not isinstance(a, str) for a in spec["answers"]) or spec.get("feedback_wrong"):
            instance["graded_answers"] = graded
            if spec.get("feedback_wrong"):
                instance["feedback_wrong"] = spec["feedback_wrong"]
        return instance

    def public_view(self, instance: dict) -> dict:
        """Only the stem."""
        return {"type": self.name, "stem": instance["stem"]}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """The first accepted answer the normalised response matches gives the score and feedback."""
        if response is None or (isinstance(response, str) and not response.strip()):
            return wrong(NOT_ANSWERED, "blank")
        if not isinstance(response, str) or len(response) > MAX_RESPONSE_LENGTH:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        case_sensitive = instance["case_sensitive"]
        given = normalise_answer(response, case_sensitive)
        graded = instance.get("graded_answers") or [
            {"text": text, "weight": 100} for text in instance["answers"]
        ]
        for answer in graded:
            if wildcard_match(normalise_answer(answer["text"], case_sensitive), given):
                extra = [answer["feedback"]] if answer.get("feedback") else []
                score = Fraction(str(answer["weight"])) / 100
                if score == 1:
                    return GradeResult(1.0, True, ["Correct.", *extra], [])
                if score > 0:
                    return GradeResult(float(score), False, ["Partly correct.", *extra], [])
                return GradeResult(0.0, False, ["Not correct.", *extra], [])
        extra = [instance["feedback_wrong"]] if instance.get("feedback_wrong") else []
        return GradeResult(0.0, False, ["Not correct.", *extra], [])
