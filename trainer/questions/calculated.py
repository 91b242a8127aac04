"""Calculated questions: a template that draws fresh numbers on every attempt.

Values are drawn from a seed, derived values are computed by the safe formula
evaluator, and the answer comes from a trainer.calc family (whose worked steps become
the learner's own worked solution) or from a formula. Authoring refuses a template
that can draw an answer that is negative, zero, absurd or impossible to calculate:
every combination is tried when there are few, a fixed sample when there are many.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import random
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from trainer.calc import FAMILIES, CalcError, convert_amount, format_number, solve
from trainer.calc.numbers import show
from trainer.questions.answers import (
    AMOUNT_FIELDS,
    amount_settings,
    amount_settings_problems,
    amount_text,
    grade_amount,
    on_step,
    public_amount_view,
    same_unit,
    to_decimal,
)
from trainer.questions.formula import (
    FUNCTIONS,
    FormulaError,
    evaluate_formula,
    formula_names,
    formula_size,
)
from trainer.questions.numeric import template_problems
from trainer.questions.placeholders import (
    PlaceholderError,
    fill_placeholders,
    placeholder_problems,
    plain_number,
)
from trainer.questions.registry import GradeResult, Problems, QuestionType, register

# Every combination is checked up to this many; beyond it a fixed sample is.
EXHAUSTIVE_LIMIT = 500
SAMPLE_SIZE = 300
MAX_CHOICES = 1000
# Checking a template evaluates every formula for each of up to ~300 draws: these bound that
# work (about 0.3 million formula parts), so saving any template answers within seconds.
MAX_DERIVED = 100
MAX_TEMPLATE_PARTS = 1000
RESERVED_NAMES = FUNCTIONS | {"answer"}
_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_RESULT = re.compile(r"extra\.([A-Za-z_][A-Za-z0-9_]*)")

Value = Decimal | str


class GenerationFailed(ValueError):
    """Raised when a template cannot produce an instance for a draw; `field` says where."""

    def __init__(self, message: str, field: str = "answer"):
        self.message = message
        self.field = field
        super().__init__(message)


@dataclass
class Draw:
    """One draw of a template: every value by name, the answer, its unit and worked steps."""

    values: dict[str, Value]
    answer: Decimal
    unit: str | None
    steps: list[str] = field(default_factory=list)


# ---- the variables ------------------------------------------------------------------


def _range_size(variable: dict) -> int:
    low, high, step = (to_decimal(variable[k]) for k in ("min", "max", "step"))
    assert low is not None and high is not None and step is not None
    return int((high - low) // step) + 1


def _choice_value(value: object) -> Value:
    number = to_decimal(value)
    return number if number is not None and not isinstance(value, str) else str(value)


def _variable_values(variable: dict) -> list[Value]:
    """Every value a variable can take (only called when the space is small)."""
    if "choices" in variable:
        return [_choice_value(v) for v in variable["choices"]]
    low, step = to_decimal(variable["min"]), to_decimal(variable["step"])
    assert low is not None and step is not None
    return [low + step * i for i in range(_range_size(variable))]


def _draw_variable(variable: dict, rng: random.Random) -> Value:
    if "choices" in variable:
        return _choice_value(variable["choices"][rng.randrange(len(variable["choices"]))])
    low, step = to_decimal(variable["min"]), to_decimal(variable["step"])
    assert low is not None and step is not None
    return low + step * rng.randrange(_range_size(variable))


def _space_size(variables: dict) -> int:
    size = 1
    for variable in variables.values():
        size *= len(variable["choices"]) if "choices" in variable else _range_size(variable)
    return size


def _variable_problems(variables: object) -> Problems:
    if not isinstance(variables, dict) or not variables:
        return [("variables", "must map each variable name to {min, max, step} or {choices: […]}")]
    problems: Problems = []
    for name, variable in variables.items():
        where = f"variables.{name}"
        if not isinstance(name, str) or not _VARIABLE_NAME.fullmatch(name):
            problems.append(
                (where, "a name is lowercase letters, digits and _, starting with a letter")
            )
            continue
        if name in RESERVED_NAMES:
            problems.append((where, f"'{name}' is reserved"))
        if not isinstance(variable, dict):
            problems.append((where, "must be {min, max, step} or {choices: […]}"))
            continue
        if "choices" in variable:
            extra = set(variable) - {"choices"}
            choices = variable["choices"]
            if extra:
                problems.append((where, "give either choices or min/max/step, not both"))
            elif not isinstance(choices, list) or not choices:
                problems.append((f"{where}.choices", "must be a non-empty list"))
            elif len(choices) > MAX_CHOICES:
                problems.append((f"{where}.choices", f"at most {MAX_CHOICES} values"))
            else:
                for index, choice in enumerate(choices):
                    if isinstance(choice, bool) or not isinstance(choice, (int, float, str)):
                        problems.append((f"{where}.choices[{index}]", "must be a number or text"))
                    elif isinstance(choice, float) and to_decimal(choice) is None:
                        problems.append((f"{where}.choices[{index}]", "must be a finite number"))
            continue
        unknown = set(variable) - {"min", "max", "step"}
        if unknown:
            problems.append((where, f"unknown field {sorted(unknown)[0]!r}"))
        numbers = {}
        for key in ("min", "max", "step"):
            number = to_decimal(variable.get(key))
            if number is None:
                problems.append((f"{where}.{key}", "is required and must be a number"))
            numbers[key] = number
        if None in numbers.values():
            continue
        if numbers["step"] <= 0:
            problems.append((f"{where}.step", "must be more than zero"))
        elif numbers["max"] < numbers["min"]:
            problems.append((f"{where}.max", "must not be less than min"))
        elif (numbers["max"] - numbers["min"]) / numbers["step"] > 10**9:
            problems.append((f"{where}.step", "gives more than a billion values"))
    return problems


# ---- derived values -----------------------------------------------------------------


def _derived_order(derived: dict) -> list[str]:
    """Derived names in an order where each comes after the names it uses.

    Ties go by name, not by the order written, so a spec read back from a database that
    keeps keys in its own order still computes the same way. Kahn's algorithm with a heap:
    O(E + V log V) for V names and E uses, worked out once per template (cached), not per draw.
    """
    try:
        key = tuple(sorted(derived.items()))
        hash(key)
    except TypeError:  # a formula that is not text; formula_names reports it
        return list(_ordered(tuple(derived.items())))
    return list(_ordered(key))


@functools.lru_cache(maxsize=256)
def _ordered(items: tuple) -> tuple[str, ...]:
    derived = dict(items)
    users: dict[str, list[str]] = {name: [] for name in derived}
    waiting: dict[str, int] = {}
    for name, formula in derived.items():
        uses = set(formula_names(formula)) & derived.keys()
        waiting[name] = len(uses)
        for used in uses:
            users[used].append(name)
    ready = [name for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(ready, user)
    if len(order) < len(derived):
        pending = sorted(name for name in derived if waiting[name] > 0)
        raise FormulaError("derived values refer to each other in a circle: " + ", ".join(pending))
    return tuple(order)


def _derived_problems(derived: object, variables: set[str]) -> Problems:
    if derived is None:
        return []
    if not isinstance(derived, dict):
        return [("derived", "must map each name to a formula")]
    problems: Problems = []
    known = set(variables) | set(derived)
    for name, formula in derived.items():
        where = f"derived.{name}"
        if not isinstance(name, str) or not _VARIABLE_NAME.fullmatch(name):
            problems.append(
                (where, "a name is lowercase letters, digits and _, starting with a letter")
            )
            continue
        if name in RESERVED_NAMES or name in variables:
            problems.append((where, f"'{name}' is reserved or already a variable"))
        try:
            names = formula_names(formula)
        except FormulaError as exc:
            problems.append((where, exc.message))
            continue
        if name in names:
            problems.append((where, "uses itself"))
        problems.extend((where, f"unknown name '{n}'") for n in names if n not in known)
    if len(derived) > MAX_DERIVED:
        problems.append(("derived", f"at most {MAX_DERIVED} derived values"))
    if not problems:
        parts = sum(formula_size(formula) for formula in derived.values())
        if parts > MAX_TEMPLATE_PARTS:
            problems.append(("derived", f"the formulas are too long together ({parts:,} parts; "
                                        f"at most {MAX_TEMPLATE_PARTS:,})"))
    if not problems:
        try:
            _derived_order(derived)
        except FormulaError as exc:
            problems.append(("derived", exc.message))
    return problems


# ---- the answer ---------------------------------------------------------------------


def _answer_problems(answer: object, known: set[str]) -> Problems:
    if not isinstance(answer, dict):
        return [("answer", "must be {family: …, params: {…}} or {formula: …}")]
    problems: Problems = []
    for key in answer:
        if key not in ("family", "params", "formula", "result", "round_to"):
            problems.append((f"answer.{key}", "unknown field"))
    has_family, has_formula = "family" in answer, "formula" in answer
    if has_family == has_formula:
        problems.append(
            ("answer", "give either a calculation `family` with `params`, or a `formula`")
        )
        return problems
    if "round_to" in answer:
        step = to_decimal(answer["round_to"])
        if step is None or step <= 0:
            problems.append(("answer.round_to", 'must be a positive step such as "0.1" or "1"'))
    if has_formula:
        for key in ("params", "result"):
            if key in answer:
                problems.append((f"answer.{key}", "belongs with a `family`, not a `formula`"))
        try:
            names = formula_names(answer["formula"])
        except FormulaError as exc:
            return [*problems, ("answer.formula", exc.message)]
        problems.extend(("answer.formula", f"unknown name '{n}'") for n in names if n not in known)
        return problems
    family = answer["family"]
    if not isinstance(family, str) or family not in FAMILIES:
        problems.append(
            (
                "answer.family",
                f"unknown calculation family {family!r}; known: " + ", ".join(sorted(FAMILIES)),
            )
        )
    params = answer.get("params")
    if not isinstance(params, dict) or not params:
        problems.append(("answer.params", "must map the family's parameters to values"))
    else:
        if isinstance(family, str) and family in FAMILIES:
            problems.extend(_family_param_problems(FAMILIES[family], params))
        for name, value in params.items():
            where = f"answer.params.{name}"
            if isinstance(value, str):
                problems.extend((where, message) for message in placeholder_problems(value, known))
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append((where, 'must be a number or text such as "{dose} mg"'))
    result = answer.get("result")
    if result is not None and (not isinstance(result, str) or not _RESULT.fullmatch(result)):
        problems.append(
            ("answer.result", "must be extra.<name>, one of the family's extra results")
        )
    return problems


def _family_param_problems(family, params: dict) -> Problems:
    """Parameters the family does not take, and required ones missing."""
    taken = {param.name: param for param in family.params}
    problems: Problems = [
        (
            f"answer.params.{name}",
            f"{family.name} has no parameter '{name}'; it takes " + ", ".join(taken),
        )
        for name in params
        if name not in taken
    ]
    problems.extend(
        (f"answer.params.{param.name}", f"is required by {family.name}, such as {param.example!r}")
        for param in family.params
        if param.required and param.name not in params
    )
    return problems


def _round(value: Decimal, step: Decimal) -> Decimal:
    """Round half up to a multiple of `step` (0.1, 0.5, 1 …) as pharmacy rounding does."""
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def compute(spec: dict, values: dict[str, Value]) -> Draw:
    """Derived values and the answer for drawn variable values; raise GenerationFailed."""
    values = dict(values)
    derived = spec.get("derived") or {}
    try:
        for name in _derived_order(derived):
            values[name] = evaluate_formula(derived[name], values)
    except FormulaError as exc:
        raise GenerationFailed(exc.message, "derived") from None
    answer = spec["answer"]
    step = to_decimal(answer.get("round_to"))
    unit = spec.get("unit")
    steps: list[str] = []
    if "formula" in answer:
        try:
            value = evaluate_formula(answer["formula"], values)
        except FormulaError as exc:
            raise GenerationFailed(exc.message, "answer.formula") from None
    else:
        params = {}
        for name, raw in answer["params"].items():
            try:
                params[name] = fill_placeholders(raw, values) if isinstance(raw, str) else raw
            except PlaceholderError as exc:
                raise GenerationFailed(exc.message, f"answer.params.{name}") from None
        try:
            result = solve(answer["family"], round_to=step, **params)
        except CalcError as exc:
            where = f"answer.params.{exc.field}" if exc.field in params else "answer"
            raise GenerationFailed(exc.message, where) from None
        steps = list(result.steps)
        if answer.get("result"):
            extra = answer["result"].removeprefix("extra.")
            if extra not in (result.extra or {}):
                raise GenerationFailed(
                    f"family {answer['family']} has no extra result '{extra}'", "answer.result"
                )
            result = result.extra[extra]
            # an extra result's own working, when the family gives it one
            steps = list(result.steps) or steps
            if step is not None and result.exact is not None:
                # The family rounds an extra answer by its own rule (tenths, say), but the
                # question holds the learner to round_to: round the exact value once, and
                # say so, so the working and the key agree.
                rounded = _round(result.exact, step)
                steps = [
                    *steps[:-1],
                    f"Rounded to the nearest {format_number(step)}, as asked: "
                    f"{show(result.exact, 6)} {result.unit} → {format_number(rounded)} {result.unit}.",
                ]
                result = replace(result, value=rounded)
        value = result.value
        if unit and result.unit and not same_unit(result.unit, unit):
            # round in the question's unit, not the family's: 0.5 g rounded to 1 (g) first
            # would become 1,000 mg
            source = result.exact if step is not None and result.exact is not None else value
            try:
                value = convert_amount(source, result.unit, unit)
            except CalcError as exc:
                raise GenerationFailed(
                    f"the family answers in {result.unit}, which cannot be given in {unit} ({exc.message})",
                    "unit",
                ) from None
        unit = unit or result.unit
    if step is not None:
        try:
            value = _round(value, step)
        except (InvalidOperation, ArithmeticError):
            raise GenerationFailed(
                "the answer cannot be rounded to round_to", "answer.round_to"
            ) from None
    values["answer"] = value
    return Draw(values, value, unit, steps)


# ---- drawing and checking -----------------------------------------------------------


def draw_values(spec: dict, rng: random.Random) -> dict[str, Value]:
    """Draw each variable from `rng`, in name order so storage that sorts keys changes nothing."""
    variables = spec["variables"]
    return {name: _draw_variable(variables[name], rng) for name in sorted(variables)}


def _extreme(variable: dict, pick) -> Value:
    """The smallest or largest value a variable can take (pick is min or max)."""
    if "choices" in variable:
        values = [_choice_value(v) for v in variable["choices"]]
        numbers = [v for v in values if isinstance(v, Decimal)]
        return pick(numbers) if numbers else values[0]
    low, step = to_decimal(variable["min"]), to_decimal(variable["step"])
    assert low is not None and step is not None
    return low if pick is min else low + step * (_range_size(variable) - 1)


def _draws_to_check(spec: dict):
    variables = spec["variables"]
    names = sorted(variables)
    if _space_size(variables) <= EXHAUSTIVE_LIMIT:
        for combination in itertools.product(*(_variable_values(variables[n]) for n in names)):
            yield dict(zip(names, combination, strict=True))
        return
    # the extremes first: an absurd answer is most likely at the edges of the ranges
    for pick in (min, max):
        yield {name: _extreme(variables[name], pick) for name in names}
    rng = random.Random(0)
    for _ in range(SAMPLE_SIZE):
        yield draw_values(spec, rng)


def every_draw_to_check(spec: dict):
    """The draws the loader checks: every combination, or the extremes and a fixed sample."""
    return _draws_to_check(spec)


def _describe_values(values: dict[str, Value]) -> str:
    return ", ".join(
        f"{name}={format_number(v) if isinstance(v, Decimal) else v}" for name, v in values.items()
    )


# A sentence's claim about the answer's size: "under 5 mL", "more than 2 tablets", "at most 10 mL".
_CLAIM = re.compile(
    r"\b(?P<word>under|less than|below|over|more than|above|at least|at most|no more than|no less than|"
    r"greater than|smaller than)\s+(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>[A-Za-zµμ]+(?:/[A-Za-zµμ]+)?)"
)
_HOLDS = {
    "under": lambda a, n: a < n, "less than": lambda a, n: a < n, "below": lambda a, n: a < n,
    "smaller than": lambda a, n: a < n, "over": lambda a, n: a > n, "more than": lambda a, n: a > n,
    "above": lambda a, n: a > n, "greater than": lambda a, n: a > n, "at least": lambda a, n: a >= n,
    "no less than": lambda a, n: a >= n, "at most": lambda a, n: a <= n, "no more than": lambda a, n: a <= n,
}


def _hint_texts(spec: dict):
    """The texts a learner reads as help about this draw's answer: the explanation and feedback."""
    for name in ("explanation", "feedback", "feedback_wrong"):
        if isinstance(spec.get(name), str):
            yield name, spec[name]
    for index, other in enumerate(spec.get("other_answers") or []):
        if isinstance(other, dict) and isinstance(other.get("feedback"), str):
            yield f"other_answers[{index}].feedback", other["feedback"]


def unfit_claim(text: str, answer: Decimal, unit: str | None) -> str | None:
    """The first claim in `text` about an amount in the answer's unit that this answer breaks
    ("under 5 mL" when the answer is 8 mL), else None: checked as the answer is, draw by draw."""
    if not unit:
        return None
    for match in _CLAIM.finditer(text):
        if not same_unit(match.group("unit"), unit):
            continue
        number = to_decimal(match.group("number").replace(",", ""))
        if number is not None and not _HOLDS[match.group("word")](answer, number):
            return match.group(0)
    return None


def check_draws(spec: dict, limit: int = 3) -> Problems:
    """Try every combination (or a fixed sample) and report draws the template gets wrong."""
    sanity = spec["sanity"]
    low, high = to_decimal(sanity["min"]), to_decimal(sanity["max"])
    assert low is not None and high is not None
    allow_non_positive = low <= 0
    learner_step = to_decimal(spec.get("round_to"))
    problems: Problems = []
    seen: set[str] = set()
    for values in _draws_to_check(spec):
        try:
            draw = compute(spec, values)
            where, message = None, None
            if draw.answer <= 0 and not allow_non_positive:
                where, message = "answer", f"is {format_number(draw.answer)}, not a positive amount"
            elif not low <= draw.answer <= high:
                where, message = (
                    "sanity",
                    f"the answer {format_number(draw.answer)} is outside {format_number(low)}–{format_number(high)}",
                )
            elif learner_step is not None and not on_step(draw.answer, learner_step):
                where, message = (
                    "round_to",
                    f"the answer {format_number(draw.answer)} is not rounded to {format_number(learner_step)}; set answer.round_to",
                )
            else:
                fill_placeholders(spec.get("stem", ""), draw.values, format_number)
                for field_name, text in _hint_texts(spec):
                    wrong_claim = unfit_claim(fill_placeholders(text, draw.values, format_number),
                                              draw.answer, draw.unit or spec.get("unit"))
                    if wrong_claim:
                        where, message = field_name, (
                            f"says the answer is {wrong_claim}, but it is {amount_text(draw.answer, draw.unit)}: "
                            "a hint must fit every draw (reword it, or limit the variables)")
                        break
        except GenerationFailed as exc:
            where, message = exc.field, exc.message
        except PlaceholderError as exc:
            where, message = "stem", exc.message
        if where is None or where in seen:
            continue
        seen.add(where)
        problems.append((where, f"for {_describe_values(values)}: {message}"))
        if len(problems) >= limit:
            break
    return problems


@register
class Calculated(QuestionType):
    """A template with drawn values; the answer from a trainer.calc family or a formula."""

    name = "calculated"
    label = "Calculated"
    response_kind = "number"
    fields = ("variables", "derived", "answer", *AMOUNT_FIELDS, "sanity")

    def validate_spec(self, spec: dict) -> Problems:
        """Check the template's structure, then its answers over every (or a sample of) draw."""
        problems = amount_settings_problems(spec)
        variables = spec.get("variables")
        problems.extend(_variable_problems(variables))
        names = set(variables) if isinstance(variables, dict) else set()
        problems.extend(_derived_problems(spec.get("derived"), names))
        derived = spec.get("derived")
        known = names | (set(derived) if isinstance(derived, dict) else set())
        problems.extend(_answer_problems(spec.get("answer"), known))
        problems.extend(template_problems(spec, known))
        sanity = spec.get("sanity")
        if not isinstance(sanity, dict) or set(sanity) != {"min", "max"}:
            problems.append(
                ("sanity", "is required: {min: …, max: …}, the range of plausible answers")
            )
        else:
            low, high = to_decimal(sanity["min"]), to_decimal(sanity["max"])
            if low is None or high is None or low >= high:
                problems.append(("sanity", "min and max must be numbers with min below max"))
        if problems:
            return problems
        return check_draws(spec)

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Draw the values, compute the answer and worked steps, and fill the stem and explanation."""
        draw = compute(spec, draw_values(spec, rng))
        settings = amount_settings(spec, unit=draw.unit, round_to=spec["answer"].get("round_to"))
        try:
            stem = fill_placeholders(spec.get("stem", ""), draw.values, format_number)
            explanation = fill_placeholders(spec.get("explanation", ""), draw.values, format_number)
        except PlaceholderError as exc:
            raise GenerationFailed(exc.message, "stem") from None
        return {
            "type": self.name,
            "stem": stem,
            "explanation": explanation,
            "values": {
                name: (plain_number(value) if isinstance(value, Decimal) else value)
                for name, value in draw.values.items()
                if name != "answer"
            },
            "answer": plain_number(draw.answer),
            "answer_text": amount_text(draw.answer, draw.unit),
            "steps": draw.steps,
            **settings,
        }

    def public_view(self, instance: dict) -> dict:
        """The stem in this attempt's numbers and, if not part of the question, the unit."""
        return {"type": self.name, "stem": instance["stem"], **public_amount_view(instance)}

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Grade typed text against this attempt's answer (see trainer.questions.answers)."""
        return grade_amount(instance, response)
