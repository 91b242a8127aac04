"""Exam presentation: a calculated or numeric question asked with four options, as the PTCE asks it.

The instance keeps its fresh numbers, worked steps and explanation; only the answer
changes shape: the key among three wrong amounts, shown smallest first. The wrong
amounts are the slips a technician makes: a decimal point moved (×10, ÷10), a factor
of two, a thousandfold unit slip (mg for mcg), or a near miss (×1.2, ×0.8…). They are
rounded the way the answer is, kept apart from it by more than its tolerance, and taken
from the question's plausible range (`sanity`) when it allows. The result grades as a
single-choice question, so a mock exam needs nothing but the usual grading.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from trainer.calc.numbers import format_money
from trainer.questions.answers import MONEY_UNITS, amount_text, to_decimal
from trainer.questions.question import generate_question
from trainer.questions.registry import shown_id

OPTIONS = 4
PRESENTATION = "four_options"
# Decimal slips first: the classic error, and always one of the options when it fits.
DECIMAL_SLIPS = ("10", "0.1")
OTHER_SLIPS = ("2", "0.5", "1000", "0.001", "1.5", "0.75", "3", "0.25", "5", "0.2", "1.2", "0.8")
FOUR_OPTION_TYPES = ("single_choice", "calculated", "numeric")


class NotFourOptions(ValueError):
    """The question cannot be asked with four options (wrong type or number of choices)."""


def asks_four_options(question: dict) -> bool:
    """Whether a question can sit on a four-option exam: a four-choice single choice, or an amount."""
    qtype = question.get("type")
    if qtype == "single_choice":
        return len(question.get("choices") or []) == OPTIONS
    return qtype in ("calculated", "numeric")


def _rounding(instance: dict, key: Decimal):
    """How wrong amounts are rounded: to the question's step, whole like a whole key, or else to three significant figures."""
    step = to_decimal(instance.get("round_to"))
    if (step is None or step <= 0) and key == key.to_integral_value():
        step = Decimal(1)  # a whole answer (days, tablets) has whole wrong amounts
    if step is not None and step > 0:
        return step, lambda value: (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step

    def significant(value: Decimal) -> Decimal:
        if not value:
            return value
        exponent = value.adjusted() - 2
        return value.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP).normalize()

    places = max(-key.normalize().as_tuple().exponent, 0)
    return Decimal(1).scaleb(-places), significant


def _tolerance(instance: dict, key: Decimal) -> Decimal:
    tolerance = to_decimal(instance.get("tolerance"))
    if tolerance is not None:
        return tolerance
    percent = to_decimal(instance.get("tolerance_percent"))
    return abs(key) * percent / 100 if percent is not None else Decimal(0)


def _text(value: Decimal, unit: str | None) -> str:
    if unit and unit.casefold() in MONEY_UNITS:
        return format_money(value)
    return amount_text(value, unit)


def wrong_amounts(instance: dict, rng: random.Random, sanity: dict | None = None) -> list[Decimal]:
    """Three plausible wrong amounts for an amount instance, each clearly apart from the key."""
    key = Decimal(str(instance["answer"]))
    step, rounded = _rounding(instance, key)
    # options closer than a twentieth of the key would test rounding, not the calculation
    apart = max(_tolerance(instance, key), step / 2, abs(key) / 20)
    low = to_decimal((sanity or {}).get("min"))
    high = to_decimal((sanity or {}).get("max"))

    def plausible(value: Decimal) -> bool:
        return (low is None or value >= low) and (high is None or value <= high)

    chosen: list[Decimal] = []

    def fits(value: Decimal) -> bool:
        return value > 0 and all(abs(value - other) > apart for other in [key, *chosen])

    slips = list(DECIMAL_SLIPS)
    rng.shuffle(slips)
    others = list(OTHER_SLIPS)
    rng.shuffle(others)
    by_factor = [rounded(key * Decimal(f)) for f in slips + others]
    offsets = [rounded(key + step * k) for k in (2, -2, 3, -3, 5, -5, 10, -10, 20, 50, 100)]
    # a decimal slip when it is plausible and rounding leaves it one
    slip = [v for v, f in zip(by_factor, slips, strict=False) if plausible(v) and v == key * Decimal(f)][:1]
    near = [v for v in by_factor if plausible(v)]
    stepped = [v for v in offsets if plausible(v)]
    # The key's place among the four is drawn first, so that "the largest" is no hint; it
    # gives way when the plausible range leaves no wrong amount on one side.
    below_wanted = rng.randrange(OPTIONS)
    passes = (
        (slip, False), (near, True), (near, False), (stepped, True), (stepped, False),
        (by_factor, False), (offsets, False),
    )
    for candidates, strict in passes:
        for value in candidates:
            if len(chosen) == OPTIONS - 1 or not fits(value):
                continue
            below = sum(1 for v in chosen if v < key)
            if strict and (below >= below_wanted if value < key
                           else len(chosen) - below >= OPTIONS - 1 - below_wanted):
                continue
            chosen.append(value)
    if len(chosen) < OPTIONS - 1:
        raise NotFourOptions("no three distinct wrong amounts for this answer")
    return chosen


def as_four_options(instance: dict, rng: random.Random, sanity: dict | None = None) -> dict:
    """A calculated or numeric instance as a single-choice instance with four amounts."""
    if instance.get("type") not in ("calculated", "numeric"):
        raise NotFourOptions(f"a {instance.get('type')} question has no amount to offer")
    key = Decimal(str(instance["answer"]))
    unit = instance.get("unit")
    amounts = sorted([key, *wrong_amounts(instance, rng, sanity)])
    choices = [
        {"id": shown_id(i), "source": shown_id(i), "text": _text(amount, unit)}
        for i, amount in enumerate(amounts)
    ]
    key_id = shown_id(amounts.index(key))
    return {
        "type": "single_choice",
        "stem": instance.get("stem", ""),
        "explanation": instance.get("explanation", ""),
        "choices": choices,
        "feedback": {},
        "key": key_id,
        "answer_text": next(c["text"] for c in choices if c["id"] == key_id),
        "steps": list(instance.get("steps", [])),
        "values": dict(instance.get("values", {})),
        "question_id": instance.get("question_id"),
        "seed": instance.get("seed"),
        "presented_as": PRESENTATION,
        "asked_as": instance.get("type"),
    }


def exam_instance(question: dict, seed: int, *, shuffle_choices: bool = True) -> dict:
    """One seeded instance of a question as a four-option exam asks it (same seed, same instance)."""
    if not asks_four_options(question):
        raise NotFourOptions("only four-choice single-choice, calculated and numeric questions")
    instance = generate_question(question, seed, shuffle_choices=shuffle_choices)
    if question.get("type") == "single_choice":
        return instance
    return as_four_options(instance, random.Random(seed), question.get("sanity"))
