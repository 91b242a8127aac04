"""Conversions: units and household measures, temperature, roman numerals."""

from __future__ import annotations

from decimal import Decimal

from trainer.calc.core import Inputs, Result, family, p
from trainer.calc.errors import CalcError
from trainer.calc.numbers import CONVERSION, EXACT, ONE, TENTHS, Rounding, format_number, show
from trainer.calc.roman import number_to_roman, roman_to_number
from trainer.calc.units import Conventions, Quantity, Unit, _Mismatch, describe_kind, quantity_text
from trainer.calc.units import convert as convert_quantity

_CONVENTION_PARAMS = [
    p("grain_mg", "mg per grain", "65", "65 (usual), 64.8 (exact) or 60 (older labels)", False),
    p("pint_ml", "mL per pint", "480", "480 (pharmacy convention) or 473 (US measure)", False),
    p("floz_ml", "mL per fl oz", "30", "30 (pharmacy convention) or 29.57 (US measure)", False),
    p("lb_per_kg", "lb per kg", "2.2", "2.2 (pharmacy convention) or 2.2046 (exact)", False),
    p("lb_g", "g per lb", "454", "454 (pharmacy convention) or 453.59 (exact)", False),
    p("oz_g", "g per oz", "28.35", "28.35 (convention), 30 (rounded) or 28.3495 (exact)", False),
]


def _convert_rounding(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit in ("°F", "°C"):
        return TENTHS.apply(value, unit)
    return CONVERSION.apply(value, unit)


CONVERT_ROUNDING = Rounding(
    CONVERSION.text + " Temperatures go to tenths of a degree.", _convert_rounding
)


@family(
    "convert",
    "Converting units",
    "Change an amount into another unit: metric, household measures, pounds and ounces, grains.",
    CONVERT_ROUNDING,
    [
        p("value", "Amount", "0.5 g", "the amount and its unit, such as 0.5 g, 2 tsp or 44 lb"),
        p("to", "Convert to", "mg", "the unit you want, such as mg, mL or kg"),
        *_CONVENTION_PARAMS,
    ],
    [("value", "to"), ("value", "to", "grain_mg", "pint_ml", "floz_ml", "lb_per_kg", "lb_g", "oz_g")],
)
def convert(inputs: Inputs) -> Result:
    """An amount in another unit, by the equivalents pharmacy uses."""
    inputs.conv = Conventions(**{c.name: inputs.convention(c.name) for c in _CONVENTION_PARAMS})
    target = inputs.unit("to")
    found = inputs.amount("value", positive=False)
    if found.kind == "temperature" or target.kind == "temperature":
        return _temperature(inputs, found, target)
    inputs.check_sign("value", found.value)
    if found.unit.text == "" or target.text == "":
        raise inputs.needs("value", "an amount with its unit")
    _refuse_ounce_mixup(found.unit, target)
    try:
        value = convert_quantity(found, target, inputs.conv, inputs.notes)
    except _Mismatch:
        raise CalcError(
            f"cannot convert {found.text} ({describe_kind(found.kind)}) to {target.text} "
            f"({describe_kind(target.kind)})",
            "to",
        ) from None
    steps = [f"Convert {found.text} to {target.text}."]
    plain = quantity_text(found.value, found.unit)
    if found.written and found.written != plain:
        steps.append(f"{found.written} = {plain}.")
    metric = found.unit.simple and target.simple and found.unit.top.system == target.top.system == "metric"
    if metric and found.unit.top != target.top:
        steps.append(_metric_relation(found.unit, target))
    factor = value / found.value
    if factor == 1:
        if target.text != found.unit.text:
            steps.append(f"{plain} = {show(value)} {target.text}.")
    elif factor >= 1:
        steps.append(f"{plain} × {show(factor)} = {show(value)} {target.text}.")
    else:
        steps.append(f"{plain} ÷ {show(ONE / factor)} = {show(value)} {target.text}.")
    return inputs.answer(value, target.text, CONVERT_ROUNDING, steps, subject="value")


def _metric_relation(source: Unit, target: Unit) -> str:
    factor = source.top.factor / target.top.factor
    if factor >= 1:
        return f"1 {source.top.symbol} = {format_number(factor)} {target.top.symbol}."
    return f"1 {target.top.symbol} = {format_number(ONE / factor)} {source.top.symbol}."


def _refuse_ounce_mixup(source: Unit, target: Unit) -> None:
    names = {source.top.name if source.top else "", target.top.name if target.top else ""}
    if "ounce" in names and {source.kind, target.kind} == {"mass", "volume"}:
        raise CalcError(
            "oz is a weight (the avoirdupois ounce, 28.35 g); for a volume write fl oz (30 mL)",
            "value" if source.top and source.top.name == "ounce" else "to",
        )


def _temperature(inputs: Inputs, found: Quantity, target: Unit) -> Result:
    if found.kind != "temperature":
        raise inputs.needs("value", "a temperature with its scale")
    if target.kind != "temperature":
        raise inputs.needs("to", "a temperature scale, °F or °C")
    return _convert_temperature(inputs, found, target.special, CONVERT_ROUNDING)


_ABSOLUTE_ZERO = {"°F": Decimal("-459.67"), "°C": Decimal("-273.15")}


def _convert_temperature(inputs: Inputs, found: Quantity, scale: str, rule: Rounding) -> Result:
    source = found.unit.special
    if found.value < _ABSOLUTE_ZERO[source]:
        raise CalcError("value is colder than absolute zero", "value")
    degrees = format_number(found.value)
    if source == scale:
        steps = [f"{degrees} {source} is already in {scale}."]
        value = found.value
    elif source == "°F":
        value = (found.value - 32) * 5 / 9
        steps = [
            "°C = (°F − 32) × 5/9",
            f"= ({degrees} − 32) × 5/9 = {show(found.value - 32)} × 5/9 = {show(value)} °C",
        ]
    else:
        value = found.value * 9 / 5 + 32
        steps = [
            "°F = °C × 9/5 + 32",
            f"= {degrees} × 9/5 + 32 = {show(found.value * 9 / 5)} + 32 = {show(value)} °F",
        ]
    return inputs.answer(value, scale, rule, steps, allow_zero=True, subject="value")


@family(
    "temperature",
    "Temperature",
    "Change a temperature between Fahrenheit and Celsius.",
    TENTHS,
    [
        p("value", "Temperature", "98.6 F", "the temperature and its scale, such as 98.6 F or 37 C"),
        p("to", "Convert to", "C", "C for Celsius or F for Fahrenheit"),
    ],
)
def temperature(inputs: Inputs) -> Result:
    """A temperature in the other scale."""
    found = inputs.amount("value", ("temperature",), "a temperature with its scale", positive=False)
    target = inputs.unit("to")
    if target.kind != "temperature":
        raise inputs.needs("to", "a temperature scale, F or C")
    return _convert_temperature(inputs, found, target.special, TENTHS)


@family(
    "roman",
    "Roman numerals",
    "Read a roman numeral as a number, or write a number as a roman numeral (ss means ½).",
    EXACT,
    [p("value", "Numeral or number", "XIV", "a roman numeral such as XIV or iss, or a number such as 14")],
)
def roman(inputs: Inputs) -> Result:
    """A roman numeral as a number, or a number as a roman numeral."""
    raw = inputs.require("value")
    text = raw.strip() if isinstance(raw, str) else None
    if text is not None and text.isalpha():
        if len(text) > 20:
            raise inputs.needs("value", "a roman numeral (up to MMMCMXCIX) or a number")
        value = roman_to_number(text)
        if value is None:
            raise CalcError(
                f"value: {text} is not a roman numeral written the standard way (such as XIV, iv or iss)",
                "value",
            )
        steps = [_spell_out(text), f"{text} = {format_number(value)}."]
        return inputs.answer(value, "", EXACT, steps)
    # read as an amount, so the halves a numeral can end in may be typed as ½, 7½ or 7 1/2
    number = inputs.amount("value", ("number",), "a roman numeral or a number").value
    numeral = number_to_roman(number)
    if numeral is None:
        raise CalcError(
            "value must be a whole or half number from ½ to 3,999 to write as a roman numeral",
            "value",
        )
    steps = [f"{format_number(number)} = {_spell_out(numeral, plain=True)}", f"Numeral: {numeral}."]
    return inputs.answer(number, "", EXACT, steps, write=lambda _: numeral)


_SYMBOL_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1, "J": 1}


def _spell_out(numeral: str, plain: bool = False) -> str:
    """Each symbol's value, subtractive pairs together: XIV = X (10) + IV (4)."""
    letters = numeral.upper()
    half = letters.endswith("SS")
    if half:
        letters = letters[:-2]
    parts = []
    index = 0
    while index < len(letters):
        value = _SYMBOL_VALUES[letters[index]]
        following = _SYMBOL_VALUES[letters[index + 1]] if index + 1 < len(letters) else 0
        if value < following:
            parts.append(f"{letters[index:index + 2]} ({following - value})")
            index += 2
        else:
            parts.append(f"{letters[index]} ({value})")
            index += 1
    if half:
        parts.append("ss (½)")
    joined = " + ".join(parts)
    return joined if plain else f"{numeral} = {joined}."
