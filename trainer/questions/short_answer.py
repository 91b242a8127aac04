"""Short-answer questions: a typed word or phrase compared with accepted answers."""

from __future__ import annotations

import random
import unicodedata
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


@register
class ShortAnswer(QuestionType):
    """A typed answer that must equal one of the accepted answers after normalising."""

    name = "short_answer"
    label = "Short answer"
    response_kind = "text"
    fields = ("answers", "case_sensitive")

    def validate_spec(self, spec: dict) -> Problems:
        """At least one accepted answer, all different once normalised."""
        problems: Problems = []
        answers = spec.get("answers")
        bool_field(spec, "case_sensitive", problems)
        if not isinstance(answers, list) or not answers:
            return [*problems, ("answers", "must be a list of accepted answers")]
        case_sensitive = spec.get("case_sensitive") is True
        seen: set[str] = set()
        for index, answer in enumerate(answers):
            where = f"answers[{index}]"
            if not isinstance(answer, str) or not answer.strip():
                problems.append((where, "must be non-empty text"))
                continue
            if len(answer) > MAX_RESPONSE_LENGTH:
                problems.append((where, f"must be at most {MAX_RESPONSE_LENGTH} characters"))
            normal = normalise_answer(answer, case_sensitive)
            if normal in seen:
                problems.append((where, "is the same as another accepted answer"))
            seen.add(normal)
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Nothing to draw: the accepted answers."""
        return {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "answers": list(spec["answers"]),
            "case_sensitive": spec.get("case_sensitive") is True,
            "answer_text": spec["answers"][0],
        }

    def public_view(self, instance: dict) -> dict:
        """Only the stem."""
        return {"type": self.name, "stem": instance["stem"]}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Correct when the normalised response equals a normalised accepted answer."""
        if response is None or (isinstance(response, str) and not response.strip()):
            return wrong(NOT_ANSWERED, "blank")
        if not isinstance(response, str) or len(response) > MAX_RESPONSE_LENGTH:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        case_sensitive = instance["case_sensitive"]
        given = normalise_answer(response, case_sensitive)
        if any(given == normalise_answer(a, case_sensitive) for a in instance["answers"]):
            return GradeResult(1.0, True, ["Correct."], [])
        return GradeResult(0.0, False, ["Not correct."], [])
