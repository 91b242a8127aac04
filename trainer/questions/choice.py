"""Choice questions: single choice, multiple response and true/false.

A bank file identifies choices by their position in the file (a, b, c, …). An attempt
shows them in its own order and names them by the position *shown*, so the id the
browser sees says nothing about which choice the author wrote first (authors tend to
write the key first). Each shown choice keeps its file id as `source` for item analysis.
"""

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
    bool_field,
    register,
    shown_id,
    text_field,
    wrong,
)

MAX_CHOICES = 26
MAX_RESPONSE_LENGTH = 200


def _choice_problems(spec: dict) -> Problems:
    problems: Problems = []
    choices = spec.get("choices")
    if not isinstance(choices, list) or not choices:
        return [("choices", "must be a list of choices, each with `text`")]
    if not 2 <= len(choices) <= MAX_CHOICES:
        problems.append(("choices", f"must have between 2 and {MAX_CHOICES} choices"))
    allowed = {"text", "correct", "feedback", "weight", "format"}
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        where = f"choices[{index}]"
        if not isinstance(choice, dict):
            problems.append((where, "must be a mapping with `text`"))
            continue
        for key in choice:
            if key not in allowed:
                problems.append((f"{where}.{key}", "unknown field"))
        sub: Problems = []
        text = text_field(choice, "text", sub)
        problems.extend((f"{where}.{name}", message) for name, message in sub)
        if text is not None:
            if text.strip() in seen:
                problems.append((f"{where}.text", "the same text appears in another choice"))
            seen.add(text.strip())
        if "format" in choice and choice["format"] not in ("plain", "html"):
            problems.append((f"{where}.format", "must be plain or html"))
        if "correct" in choice and not isinstance(choice["correct"], bool):
            problems.append((f"{where}.correct", "must be true or false"))
        if "feedback" in choice:
            sub = []
            text_field(choice, "feedback", sub)
            problems.extend((f"{where}.{name}", message) for name, message in sub)
    bool_field(spec, "shuffle", problems)
    return problems


def _shown_choices(spec: dict, rng: random.Random) -> list[tuple[str, int, dict]]:
    """(shown id, file position, choice) in the order this attempt shows them."""
    choices = spec["choices"]
    order = list(range(len(choices)))
    if spec.get("shuffle", True):
        rng.shuffle(order)
    return [(shown_id(shown), source, choices[source]) for shown, source in enumerate(order)]


def _base_instance(name: str, spec: dict, shown: list[tuple[str, int, dict]]) -> dict:
    return {
        "type": name,
        "stem": spec.get("stem", ""),
        "explanation": spec.get("explanation", ""),
        "choices": [
            {
                "id": sid,
                "source": shown_id(source),
                "text": choice["text"],
                **({"format": "html"} if choice.get("format") == "html" else {}),
            }
            for sid, source, choice in shown
        ],
        "feedback": {sid: choice["feedback"] for sid, _, choice in shown if choice.get("feedback")},
    }


def _public_choices(name: str, instance: dict) -> dict:
    return {
        "type": name,
        "stem": instance["stem"],
        "choices": [
            {"id": c["id"], "text": c["text"], **({"format": "html"} if c.get("format") else {})}
            for c in instance["choices"]
        ],
    }


def _chosen_id(response: Any, instance: dict) -> str | None:
    if not isinstance(response, str) or len(response) > MAX_RESPONSE_LENGTH:
        return None
    candidate = response.strip().lower()
    return candidate if any(c["id"] == candidate for c in instance["choices"]) else None


def _single_weight_problems(choices: list) -> Problems:
    """A wrong choice may carry partial credit (0 < w < 100) or a penalty (w < 0)."""
    problems: Problems = []
    for index, choice in enumerate(choices):
        if not isinstance(choice, dict) or "weight" not in choice:
            continue
        weight, where = choice["weight"], f"choices[{index}].weight"
        if choice.get("correct") is True:
            problems.append((where, "a correct choice is worth full marks: leave out its weight"))
        elif isinstance(weight, bool) or not isinstance(weight, (int, float)):
            problems.append((where, "must be a percentage between -100 and 100"))
        elif not -100 <= weight < 100 or weight != weight:
            problems.append((where, "must be at least -100 and below 100"))
    return problems


@register
class SingleChoice(QuestionType):
    """One choice to pick; each correct choice earns full marks, others may earn partial credit."""

    name = "single_choice"
    label = "Single choice"
    response_kind = "choice"
    fields = ("choices", "shuffle")

    def validate_spec(self, spec: dict) -> Problems:
        """Problems with the choices: at least one must be correct; weights only on the others."""
        problems = _choice_problems(spec)
        choices = spec.get("choices")
        if isinstance(choices, list):
            correct = [c for c in choices if isinstance(c, dict) and c.get("correct") is True]
            if not correct:
                problems.append(("choices", "at least one choice must have `correct: true`"))
            problems.extend(_single_weight_problems(choices))
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Shuffle the choices (unless `shuffle: false`) and record the key by shown id."""
        shown = _shown_choices(spec, rng)
        instance = _base_instance(self.name, spec, shown)
        keys = [sid for sid, _, choice in shown if choice.get("correct") is True]
        instance["key"] = keys[0]
        if len(keys) > 1:
            instance["keys"] = keys
        partial = {
            sid: str(Fraction(str(choice["weight"])) / 100)
            for sid, _, choice in shown
            if choice.get("correct") is not True and choice.get("weight")
        }
        if partial:
            instance["partial"] = partial
        instance["answer_text"] = "; ".join(
            c["text"] for c in instance["choices"] if c["id"] in keys
        )
        return instance

    def public_view(self, instance: dict) -> dict:
        """The stem and the choices in shown order, without the key."""
        return _public_choices(self.name, instance)

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Full marks for a correct choice, a wrong choice's partial credit (never below 0), with its feedback."""
        if response is None or (isinstance(response, str) and not response.strip()):
            return wrong(NOT_ANSWERED, "blank")
        chosen = _chosen_id(response, instance)
        if chosen is None:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        extra = [instance["feedback"][chosen]] if chosen in instance["feedback"] else []
        if chosen in instance.get("keys", [instance["key"]]):
            return GradeResult(1.0, True, ["Correct.", *extra], [])
        # a penalty (a negative weight) is kept for export, but a question scores at least 0
        earned = Fraction(instance.get("partial", {}).get(chosen, "0"))
        if earned > 0:
            return GradeResult(float(earned), False, ["Partly correct.", *extra], [])
        return GradeResult(0.0, False, ["Not correct.", *extra], [])


def _weights(choices: list[dict]) -> list[Fraction]:
    """Each choice's share of the mark: +1/k or −1/k by default, or its `weight` percent."""
    k = sum(1 for c in choices if c.get("correct") is True) or 1
    weights = []
    for choice in choices:
        if "weight" in choice:
            weights.append(Fraction(str(choice["weight"])) / 100)
        else:
            weights.append(Fraction(1 if choice.get("correct") is True else -1, k))
    return weights


@register
class MultipleResponse(QuestionType):
    """Select every correct choice; partial credit per choice, never below zero."""

    name = "multiple_response"
    label = "Multiple response"
    response_kind = "choices"
    fields = ("choices", "shuffle")

    def validate_spec(self, spec: dict) -> Problems:
        """Problems with the choices and weights: correct weights must add up to 100."""
        problems = _choice_problems(spec)
        choices = spec.get("choices")
        if not isinstance(choices, list):
            return problems
        choices = [c for c in choices if isinstance(c, dict)]
        if not any(c.get("correct") is True for c in choices):
            problems.append(("choices", "at least one choice must have `correct: true`"))
            return problems
        weights_ok = True
        for index, choice in enumerate(choices):
            if "weight" not in choice:
                continue
            weight = choice["weight"]
            where = f"choices[{index}].weight"
            if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                problems.append((where, "must be a percentage between -100 and 100"))
                weights_ok = False
            elif not -100 <= weight <= 100:
                problems.append((where, "must be between -100 and 100"))
                weights_ok = False
            elif choice.get("correct") is True and weight <= 0:
                problems.append((where, "a correct choice must have a positive weight"))
                weights_ok = False
            elif choice.get("correct") is not True and weight > 0:
                problems.append((where, "a choice that is not correct cannot add to the mark"))
                weights_ok = False
        if weights_ok:
            earned = sum(
                w
                for w, c in zip(_weights(choices), choices, strict=True)
                if c.get("correct") is True
            )
            if earned != 1:
                problems.append(
                    (
                        "choices",
                        f"the weights of the correct choices add up to {float(earned * 100):g}, not 100",
                    )
                )
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Shuffle the choices and record the correct set and each choice's weight."""
        shown = _shown_choices(spec, rng)
        instance = _base_instance(self.name, spec, shown)
        weights = _weights([choice for _, _, choice in shown])
        instance["key"] = [sid for sid, _, choice in shown if choice.get("correct") is True]
        instance["weights"] = {
            sid: str(weight) for (sid, _, _), weight in zip(shown, weights, strict=True)
        }
        instance["answer_text"] = "; ".join(
            c["text"] for c in instance["choices"] if c["id"] in instance["key"]
        )
        return instance

    def public_view(self, instance: dict) -> dict:
        """The stem and the choices in shown order; not how many are correct."""
        return _public_choices(self.name, instance)

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Sum the weights of the chosen choices, clamped to 0..1; correct means full marks."""
        if response is None or response == [] or response == ():
            return wrong(NOT_ANSWERED, "blank")
        if not isinstance(response, (list, tuple)) or len(response) > MAX_CHOICES:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        chosen: list[str] = []
        for item in response:
            sid = _chosen_id(item, instance)
            if sid is None:
                return wrong(NOT_UNDERSTOOD, "unparseable")
            if sid not in chosen:
                chosen.append(sid)
        weights = {sid: Fraction(w) for sid, w in instance["weights"].items()}
        earned = min(
            max(sum((weights[sid] for sid in chosen), Fraction(0)), Fraction(0)), Fraction(1)
        )
        extra = [instance["feedback"][sid] for sid in chosen if sid in instance["feedback"]]
        if earned == 1:
            return GradeResult(1.0, True, ["Correct.", *extra], [])
        verdict = "Partly correct." if earned > 0 else "Not correct."
        return GradeResult(float(earned), False, [verdict, *extra], [])


_TRUE_WORDS = {"true": True, "false": False}


@register
class TrueFalse(QuestionType):
    """A statement that is true or false."""

    name = "true_false"
    label = "True/false"
    response_kind = "boolean"
    fields = ("answer", "feedback_true", "feedback_false")

    def validate_spec(self, spec: dict) -> Problems:
        """The answer must be true or false; the feedback fields are optional text."""
        problems: Problems = []
        if not isinstance(spec.get("answer"), bool):
            problems.append(("answer", "must be true or false"))
        text_field(spec, "feedback_true", problems, required=False)
        text_field(spec, "feedback_false", problems, required=False)
        return problems

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Nothing to draw: the key and the feedback for each answer."""
        feedback = {}
        for word in ("true", "false"):
            if spec.get(f"feedback_{word}"):
                feedback[word] = spec[f"feedback_{word}"]
        return {
            "type": self.name,
            "stem": spec.get("stem", ""),
            "explanation": spec.get("explanation", ""),
            "key": spec["answer"],
            "feedback": feedback,
            "answer_text": "True" if spec["answer"] else "False",
        }

    def public_view(self, instance: dict) -> dict:
        """Only the stem."""
        return {"type": self.name, "stem": instance["stem"]}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Accept true/false as booleans or the words "true"/"false" in any case."""
        if response is None or (isinstance(response, str) and not response.strip()):
            return wrong(NOT_ANSWERED, "blank")
        if isinstance(response, bool):
            given = response
        elif isinstance(response, str) and response.strip().lower() in _TRUE_WORDS:
            given = _TRUE_WORDS[response.strip().lower()]
        else:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        word = "true" if given else "false"
        extra = [instance["feedback"][word]] if word in instance["feedback"] else []
        if given == instance["key"]:
            return GradeResult(1.0, True, ["Correct.", *extra], [])
        return GradeResult(0.0, False, ["Not correct.", *extra], [])
