"""Matching questions: pair each left-hand item with a right-hand option."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from trainer.questions.registry import (
    NOT_ANSWERED,
    NOT_UNDERSTOOD,
    GradeResult,
    Problems,
    QuestionType,
    register,
    shown_id,
    wrong,
)

MAX_PAIRS = 26


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


@register
class Matching(QuestionType):
    """Pairs with optional distractors; score is the share of pairs matched correctly."""

    name = "matching"
    label = "Matching"
    response_kind = "pairs"
    fields = ("pairs", "distractors")

    def validate_spec(self, spec: dict) -> Problems:
        """At least two pairs with distinct left items; distractors are extra right options."""
        problems: Problems = []
        pairs = spec.get("pairs")
        if not isinstance(pairs, list) or not pairs:
            return [("pairs", "must be a list of {left: …, right: …}")]
        if not 2 <= len(pairs) <= MAX_PAIRS:
            problems.append(("pairs", f"must have between 2 and {MAX_PAIRS} pairs"))
        lefts: set[str] = set()
        rights: set[str] = set()
        for index, pair in enumerate(pairs):
            where = f"pairs[{index}]"
            if not isinstance(pair, dict):
                problems.append((where, "must be a mapping {left: …, right: …}"))
                continue
            for key in pair:
                if key not in ("left", "right"):
                    problems.append((f"{where}.{key}", "unknown field"))
            for side in ("left", "right"):
                if not _is_text(pair.get(side)):
                    problems.append((f"{where}.{side}", "must be non-empty text"))
            if _is_text(pair.get("left")):
                if pair["left"].strip() in lefts:
                    problems.append((f"{where}.left", "appears in another pair"))
                lefts.add(pair["left"].strip())
            if _is_text(pair.get("right")):
                rights.add(pair["right"].strip())
        distractors = spec.get("distractors", [])
        if not isinstance(distractors, list):
            problems.append(("distractors", "must be a list of texts"))
        else:
            for index, distractor in enumerate(distractors):
                where = f"distractors[{index}]"
                if not _is_text(distractor):
                    problems.append((where, "must be non-empty text"))
                elif distractor.strip() in rights:
                    problems.append((where, "is also the answer of a pair"))
        if len(rights) + (len(distractors) if isinstance(distractors, list) else 0) > MAX_PAIRS:
            problems.append(("distractors", f"at most {MAX_PAIRS} right-hand options in all"))
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Keep the left items in file order and shuffle the right-hand options."""
        pairs = spec["pairs"]
        # two left items may share one answer (two brands of one generic): one option each text
        options: list[str] = []
        for text in [p["right"] for p in pairs] + list(spec.get("distractors") or []):
            if text not in options:
                options.append(text)
        rng.shuffle(options)
        right = [{"id": shown_id(i), "text": text} for i, text in enumerate(options)]
        right_id = {option["text"]: option["id"] for option in right}
        left = [{"id": str(i + 1), "text": p["left"]} for i, p in enumerate(pairs)]
        return {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "left": left,
            "right": right,
            "key": {item["id"]: right_id[p["right"]] for item, p in zip(left, pairs, strict=True)},
            "answer_text": "; ".join(f"{p['left']} → {p['right']}" for p in pairs),
        }

    def public_view(self, instance: dict) -> dict:
        """The left items and the shuffled right-hand options."""
        return {
            "type": self.name,
            "stem": instance["stem"],
            "left": [dict(item) for item in instance["left"]],
            "right": [dict(option) for option in instance["right"]],
        }

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Score the share of left items given their right option; correct only when all are."""
        if response is None or response == {}:
            return wrong(NOT_ANSWERED, "blank")
        if not isinstance(response, dict) or len(response) > 2 * MAX_PAIRS:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        key = instance["key"]
        right = 0
        for left_id, right_id in key.items():
            given = response.get(left_id)
            if isinstance(given, str) and given.strip().lower() == right_id:
                right += 1
        score = Fraction(right, len(key))
        if score == 1:
            return GradeResult(1.0, True, ["Correct."], [])
        if right:
            return GradeResult(
                float(score), False, [f"{right} of {len(key)} matched correctly."], []
            )
        return GradeResult(0.0, False, ["Not correct."], [])
