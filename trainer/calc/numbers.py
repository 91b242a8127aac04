"""Numbers: reading them, rounding them by a stated rule, and writing them the safe way."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from trainer.calc.errors import CalcError

# Every public entry point computes in this context, so a caller that changed the thread's
# decimal context cannot change an answer, and the parse cache only ever holds values
# computed the same way.
CONTEXT = Context(prec=28, traps=[InvalidOperation, DivisionByZero, Overflow])

# Inputs outside these bounds are typing mistakes or attacks, not pharmacy; refusing them also
# keeps every later multiplication far from the context's limits.
LARGEST = Decimal("1e12")
SMALLEST = Decimal("1e-9")
ANSWER_LIMIT = Decimal("1e15")

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

NUMBER_RE = re.compile(r"[+-]?(?:\d{1,15}(?:,\d{3})*(?:\.\d{0,12})?|\.\d{1,12})")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def calc_context():
    """A local decimal context for one calculation."""
    return localcontext(CONTEXT)


def decimal_from_text(text: str) -> Decimal | None:
    """The number written in text (commas allowed between thousands), or None."""
    text = text.strip()
    if not NUMBER_RE.fullmatch(text):
        return None
    digits = text.lstrip("+-")
    whole = digits.split(".", 1)[0]
    if "," in whole and not _GROUPED.fullmatch(whole):
        return None
    return Decimal(text.replace(",", ""))


def to_decimal(raw: object) -> Decimal | None:
    """A finite Decimal from an int, float, Decimal or plain numeric string, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        if abs(raw) > 10**15:
            return None
        value = Decimal(raw)
    elif isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return None
        # 15 significant digits drop binary noise such as 0.30000000000000004.
        value = Decimal(format(raw, ".15g"))
    elif isinstance(raw, str):
        value = decimal_from_text(raw)
        if value is None:
            return None
    else:
        return None
    if not value.is_finite():
        return None
    return value


def check_range(value: Decimal, what: str, field: str | None) -> Decimal:
    """The value, if its size is one a pharmacy could meet; CalcError otherwise."""
    size = abs(value)
    if size > LARGEST:
        raise CalcError(f"{what} is too large ({format_number(LARGEST)} at most)", field)
    if size and size < SMALLEST:
        raise CalcError(f"{what} is too small to be a real amount", field)
    return value


_TWENTY_DIGITS = Context(prec=20)


def clean(value: Decimal) -> Decimal:
    """The value without the last-digit noise of 28-digit division, and without trailing zeros."""
    if not value:
        return ZERO
    value = _TWENTY_DIGITS.plus(value).normalize(CONTEXT)
    # normalize() writes 500 as 5E+2; keep whole numbers plain for str() and templates.
    return value.quantize(ONE) if value.as_tuple().exponent > 0 else value


def format_number(value: Decimal | int | float | str) -> str:
    """Write a number the safe way: leading zero, no trailing zero, commas between thousands."""
    number = value if isinstance(value, Decimal) and value.is_finite() else to_decimal(value)
    if number is None:
        raise CalcError(f"{value!r} is not a number", None)
    if not number:
        return "0"
    return format(number.normalize(CONTEXT), ",f")


def format_money(value: Decimal) -> str:
    """Dollars and cents, such as $1,234.50 (money keeps its two decimals)."""
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def show(value: Decimal, figures: int = 4) -> str:
    """A number inside a worked step: exact when short, otherwise to 4 significant figures."""
    tidy = clean(value)
    if len(tidy.as_tuple().digits) <= 6:
        return format_number(tidy)
    return format_number(round_significant(tidy, figures, keep_whole=True))


def round_step(value: Decimal, step: Decimal, mode: str = ROUND_HALF_UP) -> Decimal:
    """The value rounded to a multiple of step (0.1, 0.01, 1, 0.5, ...)."""
    units = (value / step).to_integral_value(rounding=mode)
    return clean(units * step)


def round_significant(value: Decimal, figures: int, *, keep_whole: bool = False) -> Decimal:
    """The value to a number of significant figures; keep_whole never cuts whole-number digits."""
    if not value:
        return ZERO
    exponent = value.adjusted() - figures + 1
    if keep_whole:
        exponent = min(exponent, 0)
    return round_step(value, Decimal(1).scaleb(exponent))


@dataclass(frozen=True)
class Rounding:
    """A family's rounding rule: the sentence learners read, and how it rounds one value."""

    text: str
    # (value, unit) -> (rounded value, phrase naming the rule as applied)
    apply: Callable[[Decimal, str], tuple[Decimal, str]]
    mode: str = ROUND_HALF_UP


def _volume(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit != "mL":
        return _amount(value, unit)
    if abs(value) >= 1:
        return round_step(value, Decimal("0.1")), "volumes of 1 mL or more to tenths of a mL"
    return round_step(value, Decimal("0.01")), "volumes under 1 mL to hundredths of a mL"


def _amount(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if abs(value) >= 1:
        return round_step(value, Decimal("0.1")), "to tenths (the answer is 1 or more)"
    return round_significant(value, 3), "to 3 significant figures (the answer is under 1)"


def _fixed(step: str, phrase: str, mode: str = ROUND_HALF_UP):
    quantum = Decimal(step)

    def apply(value: Decimal, unit: str) -> tuple[Decimal, str]:
        """Round to the fixed step."""
        return round_step(value, quantum, mode), phrase

    return apply


def _conversion(value: Decimal, unit: str) -> tuple[Decimal, str]:
    tidy = clean(value)
    if len(tidy.as_tuple().digits) <= 6:
        return tidy, "exact, so not rounded"
    return round_significant(tidy, 4, keep_whole=True), "to 4 significant figures"


def _count(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit == "tablets":
        return round_step(value, Decimal("0.5")), "tablets to the nearest half tablet"
    return round_step(value, ONE), f"{unit} to the nearest whole one (they cannot be split)"


def _exact(value: Decimal, unit: str) -> tuple[Decimal, str]:
    return clean(value), "exact, so not rounded"


VOLUME = Rounding(
    "Volumes of 1 mL or more to tenths of a mL, under 1 mL to hundredths.", _volume
)
AMOUNT = Rounding("To tenths when the answer is 1 or more, otherwise to 3 significant figures.", _amount)
CONVERSION = Rounding(
    "Exact answers (6 significant figures or fewer) are not rounded; others go to 4 significant figures.",
    _conversion,
)
TENTHS = Rounding("To tenths.", _fixed("0.1", "to tenths"))
HUNDREDTHS = Rounding("To hundredths.", _fixed("0.01", "to hundredths"))
WHOLE = Rounding("To the nearest whole number.", _fixed("1", "to the nearest whole number"))
WHOLE_DROPS = Rounding(
    "Drops per minute to the nearest whole drop.", _fixed("1", "drops per minute to whole drops")
)
DAYS_DOWN = Rounding(
    "Whole days, always rounded down (a partial day's supply is not a day).",
    _fixed("1", "whole days, rounded down", ROUND_FLOOR),
    ROUND_FLOOR,
)
UP_TO_WHOLE = Rounding(
    "Rounded up to a whole unit, so the supply lasts every day.",
    _fixed("1", "rounded up to a whole unit", ROUND_CEILING),
    ROUND_CEILING,
)
COUNT = Rounding(
    "Tablets to the nearest half tablet, capsules and other forms to a whole one; "
    "a count more than 5% away from that is refused.",
    _count,
)
MONEY = Rounding("Money to the cent.", _fixed("0.01", "money to the cent"))
EXACT = Rounding("Exact: no rounding.", _exact)


def parse_step(raw: object) -> Decimal:
    """A round_to step such as "0.01", "0.5" or Decimal("1"); CalcError when it is not one."""
    step = to_decimal(raw.strip() if isinstance(raw, str) else raw)
    if step is None or step <= 0 or step > 1000 or step < Decimal("1e-6"):
        raise CalcError(
            "round_to needs a positive step such as 0.1, 0.01, 0.5 or 1", "round_to"
        )
    return step


def apply_rounding(
    value: Decimal, unit: str, rule: Rounding, step: Decimal | None
) -> tuple[Decimal, str]:
    """Round the value by the rule, or by an explicit step; the phrase says which was used."""
    if step is None:
        return rule.apply(value, unit)
    direction = {ROUND_FLOOR: " (down)", ROUND_CEILING: " (up)"}.get(rule.mode, "")
    return (
        round_step(value, step, rule.mode),
        f"to the nearest {format_number(step)}{direction}, as asked",
    )


ARITHMETIC_ERRORS = (ArithmeticError, DecimalException)


def whole_percent(value: Decimal | int | float | str | None) -> int | None:
    """A score as learners see it: a whole percent, rounded down, everywhere on the site.

    Rounded down so that a score shown at the pass mark is always a pass: 79.6% shows
    as 79%, never as an 80% that did not pass.
    """
    if value is None:
        return None
    number = Decimal(str(value))
    if not number.is_finite():
        return None
    return int(number.to_integral_value(rounding=ROUND_FLOOR))
