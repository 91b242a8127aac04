"""Families, their parameters and results, and `solve`, the one way to run a calculation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from trainer.calc.errors import CalcError
from trainer.calc.numbers import (
    ANSWER_LIMIT,
    ONE,
    ZERO,
    Rounding,
    apply_rounding,
    calc_context,
    check_range,
    clean,
    format_number,
    parse_step,
    show,
    to_decimal,
)
from trainer.calc.units import (
    DEFAULT_CONVENTIONS,
    NUMBER,
    Conventions,
    Quantity,
    Unit,
    _Mismatch,
    convert,
    describe_kind,
    quantity,
    quantity_text,
    read_unit_text,
    unit_of,
)

DRUG_KINDS = ("mass", "units", "mEq", "mmol")

# Field names as a message says them (the rest just lose their underscores).
FIELD_NAMES = {
    "bsa": "BSA",
    "c1": "C1",
    "v1": "V1",
    "c2": "C2",
    "v2": "V2",
    "sg": "specific gravity",
    "meq": "mEq",
    "per_day": "doses a day",
    "doses_per_day": "doses a day",
    "drops_per_ml": "drops per mL",
}
COUNT_KINDS = ("tablets", "capsules", "puffs")


@dataclass(frozen=True)
class Param:
    """One input of a family, described for the form that asks for it."""

    name: str
    label: str
    required: bool
    example: str
    help: str


@dataclass(frozen=True)
class Result:
    """An answer: the rounded value, its unit, the safe text, the worked steps and other answers."""

    value: Decimal
    unit: str
    text: str
    steps: list[str] = field(default_factory=list)
    extra: dict[str, Result] = field(default_factory=dict)
    exact: Decimal | None = None  # the value before rounding

    def as_dict(self) -> dict:
        """The result as JSON-ready data; values are strings so no digit is lost."""
        return {
            "value": format(self.value, "f"),
            "unit": self.unit,
            "text": self.text,
            "steps": list(self.steps),
            "extra": {name: result.as_dict() for name, result in self.extra.items()},
        }


@dataclass(frozen=True)
class Family:
    """A kind of calculation: what it asks for, how it rounds, and examples that solve."""

    name: str
    title: str
    description: str
    params: list[Param]
    rounding: str
    # Parameter sets that solve together; most take every value from the params' examples.
    example_sets: tuple[dict[str, str], ...]
    run: Callable[[Inputs], Result] = field(repr=False, compare=False)

    def param(self, name: str) -> Param | None:
        """The parameter with this name, if the family has one."""
        return next((p for p in self.params if p.name == name), None)

    def example_params(self, index: int = 0) -> dict[str, str]:
        """Parameters for one worked example (the first uses the parameters' own examples)."""
        return dict(self.example_sets[index])


REGISTRY: dict[str, Family] = {}


def family(
    name: str,
    title: str,
    description: str,
    rounding: Rounding | str,
    params: Iterable[Param],
    example_sets: Iterable[Iterable[str] | dict[str, str]] | None = None,
):
    """Register a family function under its name, with the metadata forms are built from.

    An example set is a list of parameter names (their examples are used) or a dict of
    values, for cases such as insulin where other parameters need other examples.
    """
    params = list(params)
    examples = {param.name: param.example for param in params}

    def register(run: Callable[[Inputs], Result]) -> Callable[[Inputs], Result]:
        """Add the family to the registry."""
        sets = example_sets or [[param.name for param in params if param.required]]
        REGISTRY[name] = Family(
            name,
            title,
            description,
            params,
            rounding if isinstance(rounding, str) else rounding.text,
            tuple(s if isinstance(s, dict) else {n: examples[n] for n in s} for s in sets),
            run,
        )
        return run

    return register


def p(name: str, label: str, example: str, help: str, required: bool = True) -> Param:
    """A parameter; the shorter spelling keeps the family tables readable."""
    return Param(name, label, required, example, help)


# ---------------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Inputs:
    """One call's parameters, read on demand, with errors that name the field."""

    def __init__(self, family: Family, params: dict[str, object], step: Decimal | None) -> None:
        self.family = family
        self.raw = params
        self.step = step
        self.conv = DEFAULT_CONVENTIONS
        self.notes: list[str] = []

    # -- presence --------------------------------------------------------------------

    def given(self, name: str) -> bool:
        """Whether a parameter was given (None and blank text count as not given)."""
        return not _missing(self.raw.get(name))

    def name(self, field_name: str) -> str:
        """How a message names a field: "concentration", "drop factor", "C1", "BSA"."""
        return FIELD_NAMES.get(field_name) or field_name.replace("_", " ")

    def example(self, field_name: str) -> str:
        """The example value of a parameter, for messages."""
        param = self.family.param(field_name)
        return param.example if param else ""

    def needs(self, field_name: str, what: str) -> CalcError:
        """An error saying what a field should hold, with its example."""
        example = self.example(field_name)
        such = f", such as {example}" if example else ""
        return CalcError(f"{self.name(field_name)} needs {what}{such}", field_name)

    def require(self, field_name: str) -> object:
        """A parameter's raw value; CalcError when it is missing."""
        if not self.given(field_name):
            raise CalcError(
                f"{self.name(field_name)} is required, such as {self.example(field_name)}",
                field_name,
            )
        return self.raw[field_name]

    def exactly(self, count: int, names: tuple[str, ...]) -> list[str]:
        """The names given when exactly `count` of them must be; CalcError otherwise."""
        present = [n for n in names if self.given(n)]
        if len(present) == count:
            return present
        target = present[-1] if len(present) > count else next(n for n in names if n not in present)
        shown = [self.name(n) for n in names]
        if count == 1 and len(names) == 2:
            message = f"give either {shown[0]} or {shown[1]}" + (", not both" if present else "")
        else:
            listed = ", ".join(shown[:-1]) + " and " + shown[-1]
            words = {0: "none", 1: "one", 2: "two", 3: "three", 4: "four"}
            message = (
                f"give exactly {words[count]} of {listed} (you gave {words.get(len(present), len(present))})"
            )
        raise CalcError(message, target)

    # -- reading ---------------------------------------------------------------------

    def amount(
        self,
        field_name: str,
        kinds: Iterable[str] | None = None,
        what: str | None = None,
        *,
        positive: bool = True,
        allow_zero: bool = False,
        bare: str | None = None,
    ) -> Quantity:
        """An amount of one of the given kinds; `bare` is the unit a plain number stands for."""
        raw = self.require(field_name)
        found = quantity(raw, self.name(field_name), field_name)
        if found.unit is NUMBER and bare is not None:
            found = Quantity(found.value, unit_of(bare), "")
        if kinds is not None:
            kinds = tuple(kinds)
            if found.kind not in kinds:
                raise self.wrong_kind(field_name, found, what or describe_kind(kinds[0]))
        self.check_sign(field_name, found.value, positive=positive, allow_zero=allow_zero)
        return found

    def wrong_kind(self, field_name: str, found: Quantity, what: str) -> CalcError:
        """An error for an amount of the wrong kind, saying what was expected and what was given."""
        if found.unit is NUMBER:
            example = self.example(field_name)
            return CalcError(
                f"{self.name(field_name)} needs a unit ({what}), such as {example}", field_name
            )
        error = self.needs(field_name, what)
        return CalcError(f"{error.message} ({found.text} is {describe_kind(found.kind)})", field_name)

    def check_sign(
        self, field_name: str, value: Decimal, *, positive: bool = True, allow_zero: bool = False
    ) -> None:
        """Refuse negative (and, unless allowed, zero) values for a field."""
        if positive and value < 0:
            raise CalcError(f"{self.name(field_name)} cannot be negative", field_name)
        if positive and not allow_zero and value == 0:
            raise CalcError(f"{self.name(field_name)} must be more than zero", field_name)

    def number(
        self,
        field_name: str,
        *,
        integer: bool = False,
        allow_zero: bool = False,
        units: tuple[str, ...] = (),
        maximum: Decimal | None = None,
    ) -> Decimal:
        """A plain number (a unit from `units` may follow it, as in "74.5 g/mol")."""
        raw = self.require(field_name)
        if isinstance(raw, str):
            text = raw.strip()
            for unit in units:
                if text.endswith(unit):
                    text = text[: -len(unit)].strip()
                    break
            value = to_decimal(text)
        else:
            value = to_decimal(raw)
        if value is None:
            raise self.needs(field_name, "a plain number")
        check_range(value, self.name(field_name), field_name)
        self.check_sign(field_name, value, allow_zero=allow_zero)
        if integer and value != value.to_integral_value():
            raise self.needs(field_name, "a whole number")
        if maximum is not None and value > maximum:
            raise CalcError(
                f"{self.name(field_name)} must be {format_number(maximum)} or less", field_name
            )
        return value

    def unit(self, field_name: str) -> Unit:
        """A unit given on its own, such as the `to` of a conversion."""
        raw = self.require(field_name)
        return read_unit_text(raw, self.name(field_name), field_name)

    def convention(self, name: str) -> str:
        """A convention parameter's value (its default when not given)."""
        if not self.given(name):
            return getattr(DEFAULT_CONVENTIONS, name)
        param = self.family.param(name)
        return Conventions.read(name, self.raw[name], param.label if param else name)

    def frequency(self, field_name: str) -> Decimal:
        """Doses a day: a number, "3/day", "3 times a day", "tid", "q6h"."""
        raw = self.require(field_name)
        value = read_frequency(raw)
        if isinstance(value, str):
            raise CalcError(f"{self.name(field_name)}: {value}", field_name)
        if value is None:
            raise self.needs(field_name, "the number of doses a day")
        check_range(value, self.name(field_name), field_name)
        self.check_sign(field_name, value)
        return value

    # -- converting ------------------------------------------------------------------

    def to(self, found: Quantity, target: Unit | str, field_name: str) -> Decimal:
        """A quantity in another unit, recording any equivalent used."""
        if isinstance(target, str):
            target = unit_of(target)
        try:
            return convert(found, target, self.conv, self.notes)
        except _Mismatch:
            raise CalcError(
                f"{self.name(field_name)} is {describe_kind(found.kind)}, "
                f"which cannot be used as {describe_kind(target.kind)}",
                field_name,
            ) from None

    # -- answering -------------------------------------------------------------------

    def answer(
        self,
        exact: Decimal,
        unit: str,
        rule: Rounding,
        steps: list[str],
        *,
        extra: dict[str, Result] | None = None,
        allow_zero: bool = False,
        write: Callable[[Decimal], str] | None = None,
        subject: str | None = None,
    ) -> Result:
        """The rounded main answer with its worked steps, equivalents and rounding rule."""
        exact = clean(exact)
        if abs(exact) >= ANSWER_LIMIT:
            raise CalcError("the answer is too large to be a real amount; check the inputs", subject)
        value, phrase = apply_rounding(exact, unit, rule, self.step)
        if value == 0 and exact != 0 and not allow_zero:
            raise CalcError(
                f"the answer, {show(exact)} {unit}, rounds to zero; check the inputs"
                " (or give a smaller round_to step)",
                subject,
            )
        text = write(value) if write else quantity_text(value, unit)
        lines = list(steps)
        if self.notes:
            lines.append("Equivalents used: " + "; ".join(dict.fromkeys(self.notes)) + ".")
        working = list(lines)
        if value == exact:
            lines.append(f"Rounding rule: {phrase}; the answer is {text}.")
        else:
            lines.append(f"Rounded {phrase}: {show(exact, 6)} → {text}.")
        # An extra answer can be a question's answer on its own, so it carries the working too.
        others = {
            name: replace(other, steps=[*working, *other.steps]) for name, other in (extra or {}).items()
        }
        return Result(value, unit, text, lines, others, exact)

    def other_answer(
        self,
        exact: Decimal,
        unit: str,
        rule: Rounding,
        step: str,
        *,
        write: Callable[[Decimal], str] | None = None,
    ) -> Result:
        """A secondary answer, rounded by the family's own rule (round_to is for the main one)."""
        exact = clean(exact)
        value, phrase = rule.apply(exact, unit)
        text = write(value) if write else quantity_text(value, unit)
        if value == exact:
            note = f"{step} = {text} (rounding rule: {phrase})."
        else:
            note = f"{step} = {show(exact, 6)}, rounded {phrase}: {text}."
        return Result(value, unit, text, [note], {}, exact)


# ---------------------------------------------------------------------------------------
# Frequencies

_FREQUENCY_WORDS = {
    "daily": ONE,
    "once daily": ONE,
    "once a day": ONE,
    "every day": ONE,
    "qam": ONE,
    "qpm": ONE,
    "qhs": ONE,
    "at bedtime": ONE,
    "twice daily": Decimal(2),
    "twice a day": Decimal(2),
    "bid": Decimal(2),
    "three times daily": Decimal(3),
    "three times a day": Decimal(3),
    "tid": Decimal(3),
    "four times daily": Decimal(4),
    "four times a day": Decimal(4),
    "qid": Decimal(4),
    "every other day": Decimal("0.5"),
    "weekly": ONE / 7,
    "once weekly": ONE / 7,
}
_DO_NOT_USE = {
    "qd": "qd is on the Joint Commission do-not-use list; write daily",
    "q.d.": "q.d. is on the Joint Commission do-not-use list; write daily",
    "qod": "qod is on the Joint Commission do-not-use list; write every other day",
    "q.o.d.": "q.o.d. is on the Joint Commission do-not-use list; write every other day",
}
_EVERY_HOURS = re.compile(r"(?:q|every)\s*(\d{1,2})\s*(?:h|hr|hrs|hours?)")
_TIMES = re.compile(r"([\d.]+)\s*(?:x|times)?\s*(?:/|per|a|an|each)\s*(?:day|d)|([\d.]+)\s*(?:x|times)\s*daily")


def read_frequency(raw: object) -> Decimal | str | None:
    """Doses a day from a number or a common sig phrase; a string explains a refused phrase."""
    if not isinstance(raw, str):
        return to_decimal(raw)
    text = " ".join(raw.lower().replace(".", ". ").split()).replace(". ", ".").strip(" .")
    if len(text) > 40:
        return None
    number = to_decimal(text)
    if number is not None:
        return number
    compact = text.replace(" ", "")
    if compact in _DO_NOT_USE or text in _DO_NOT_USE:
        return _DO_NOT_USE.get(compact) or _DO_NOT_USE[text]
    plain = text.replace(".", "")
    if plain in _FREQUENCY_WORDS:
        return _FREQUENCY_WORDS[plain]
    match = _EVERY_HOURS.fullmatch(plain)
    if match:
        hours = int(match.group(1))
        if hours == 0 or 24 % hours and 48 % hours:
            return f"every {hours} hours does not divide a day evenly; give the doses a day as a number"
        return Decimal(24) / hours
    match = _TIMES.fullmatch(plain)
    if match:
        return to_decimal(match.group(1) or match.group(2))
    return None


# ---------------------------------------------------------------------------------------


def solve(family: str, /, round_to: object = None, **params: object) -> Result:
    """Run one calculation family on its parameters; every problem is a CalcError."""
    try:
        with calc_context():
            return _solve(family, round_to, params)
    except CalcError:
        raise
    except Exception as exc:  # the contract is CalcError only; the cause stays attached for logs
        raise CalcError(
            "internal error: this calculation could not be done (please report it)", None
        ) from exc


def _solve(name: object, round_to: object, params: dict[str, object]) -> Result:
    chosen = REGISTRY.get(name) if isinstance(name, str) else None
    if chosen is None:
        shown = name if isinstance(name, str) and len(name) < 40 else "that"
        close = []
        if isinstance(name, str) and len(name) < 40:
            import difflib  # only a mistyped name pays for it

            close = difflib.get_close_matches(name, list(REGISTRY), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise CalcError(f"unknown calculation family '{shown}'.{hint}", "family")
    names = [param.name for param in chosen.params]
    for key in params:
        if key not in names:
            raise CalcError(
                f"{chosen.name} has no parameter '{key}'; it takes {', '.join(names)}", key
            )
    for param in chosen.params:
        if param.required and _missing(params.get(param.name)):
            raise CalcError(
                f"{param.name.replace('_', ' ')} is required, such as {param.example}", param.name
            )
    step = None if _missing(round_to) else parse_step(round_to)
    result = chosen.run(Inputs(chosen, params, step))
    if result.exact is not None and not result.exact.is_finite():
        raise CalcError("the answer is not a number; check the inputs", None)
    return result


def ratio_text(x: Decimal) -> str:
    """A ratio strength written 1:x."""
    return f"1:{format_number(x)}"


__all__ = [
    "COUNT_KINDS",
    "DRUG_KINDS",
    "REGISTRY",
    "Family",
    "Inputs",
    "Param",
    "Result",
    "ZERO",
    "family",
    "p",
    "ratio_text",
    "solve",
]
