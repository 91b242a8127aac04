"""Ordering questions: put the steps of a procedure in order."""

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

MAX_ITEMS = 26


@register
class Ordering(QuestionType):
    """Items written in the right order, shown shuffled; score is the share in place."""

    name = "ordering"
    label = "Ordering"
    response_kind = "order"
    fields = ("items",)

    def validate_spec(self, spec: dict) -> Problems:
        """Between 2 and 26 different items."""
        items = spec.get("items")
        if not isinstance(items, list) or not items:
            return [("items", "must be the list of items in their right order")]
        problems: Problems = []
        if not 2 <= len(items) <= MAX_ITEMS:
            problems.append(("items", f"must have between 2 and {MAX_ITEMS} items"))
        seen: set[str] = set()
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                problems.append((f"items[{index}]", "must be non-empty text"))
            elif item.strip() in seen:
                problems.append((f"items[{index}]", "appears twice"))
            else:
                seen.add(item.strip())
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Shuffle the items, never into the right order (that would show the key)."""
        items = spec["items"]
        order = list(range(len(items)))
        rng.shuffle(order)
        if order == sorted(order):
            order = order[1:] + order[:1]
        shown = [{"id": shown_id(i), "text": items[source]} for i, source in enumerate(order)]
        position_of = {source: shown_id(i) for i, source in enumerate(order)}
        return {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "items": shown,
            "key": [position_of[source] for source in range(len(items))],
            "answer_text": " → ".join(items),
        }

    def public_view(self, instance: dict) -> dict:
        """The items in shuffled order."""
        return {
            "type": self.name,
            "stem": instance["stem"],
            "items": [dict(item) for item in instance["items"]],
        }

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Score the share of items in their right place; correct only when all are."""
        if response is None or response == [] or response == ():
            return wrong(NOT_ANSWERED, "blank")
        key = instance["key"]
        if not isinstance(response, (list, tuple)) or len(response) > len(key):
            return wrong(NOT_UNDERSTOOD, "unparseable")
        given = []
        for item in response:
            if not isinstance(item, str) or item.strip().lower() not in key:
                return wrong(NOT_UNDERSTOOD, "unparseable")
            given.append(item.strip().lower())
        right = sum(1 for expected, got in zip(key, given, strict=False) if expected == got)
        score = Fraction(right, len(key))
        if score == 1:
            return GradeResult(1.0, True, ["Correct."], [])
        if right:
            return GradeResult(
                float(score), False, [f"{right} of {len(key)} items are in the right place."], []
            )
        return GradeResult(0.0, False, ["Not correct."], [])
