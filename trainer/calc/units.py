"""Amounts with units: reading them, the pharmacy conventions, and converting between units.

Pint resolves unit names (aliases, plurals, prefixes) and their dimensions from the small
registry in pharmacy_units.txt. The arithmetic itself is Decimal, and every conversion
between a household or apothecary measure and a metric one uses the direct equivalent
a technician is taught (1 kg = 2.2 lb, but 1 lb = 454 g), named in the worked steps.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from trainer.calc.errors import CalcError
from trainer.calc.numbers import (
    HUNDRED,
    ONE,
    calc_context,
    check_range,
    clean,
    decimal_from_text,
    format_money,
    format_number,
    show,
    to_decimal,
)

MAX_TEXT = 120

# ---------------------------------------------------------------------------------------
# Conventions

_CHOICES: dict[str, dict[str, str]] = {
    # name: {accepted value: how the steps describe it}
    "grain_mg": {
        "65": "1 grain = 65 mg (the usual pharmacy convention)",
        "64.8": "1 grain = 64.8 mg (the exact value)",
        "60": "1 grain = 60 mg (the convention on some older labels)",
    },
    "pint_ml": {
        "480": "1 pint = 480 mL (pharmacy convention; some texts use 473 mL)",
        "473": "1 pint = 473 mL (the US measure, chosen instead of the 480 mL convention)",
    },
    "floz_ml": {
        "30": "1 fl oz = 30 mL (pharmacy convention)",
        "29.57": "1 fl oz = 29.57 mL (the exact US measure)",
    },
    "lb_per_kg": {
        "2.2": "1 kg = 2.2 lb (pharmacy convention)",
        "2.2046": "1 kg = 2.2046 lb (the exact value)",
    },
    "lb_g": {
        "454": "1 lb = 454 g (pharmacy convention)",
        "453.59": "1 lb = 453.59 g (the exact value)",
    },
    "oz_g": {
        "28.35": "1 oz = 28.35 g (pharmacy convention)",
        "30": "1 oz = 30 g (the rounded value some texts use)",
        "28.3495": "1 oz = 28.3495 g (the exact value)",
    },
}
_QUART = {"480": ("960", "pharmacy convention"), "473": ("946", "the US measure")}
_GALLON = {"480": ("3840", "pharmacy convention"), "473": ("3785", "the US measure")}
_CUP = {"30": ("240", "pharmacy convention"), "29.57": ("236.6", "the US measure")}


@dataclass(frozen=True)
class Conventions:
    """The household and apothecary equivalents a calculation uses; the defaults are pharmacy's."""

    grain_mg: str = "65"
    pint_ml: str = "480"
    floz_ml: str = "30"
    lb_per_kg: str = "2.2"
    lb_g: str = "454"
    oz_g: str = "28.35"

    @staticmethod
    def choices(name: str) -> list[str]:
        """The values a convention parameter accepts."""
        return list(_CHOICES[name])

    @staticmethod
    def read(name: str, raw: object, label: str | None = None) -> str:
        """The accepted spelling of a convention value; CalcError if it is not one of the choices."""
        number = to_decimal(raw.strip() if isinstance(raw, str) else raw)
        if number is None and isinstance(raw, str):
            match = re.fullmatch(r"\s*([\d.]+)\s*(mg|mL|ml|g|lb)?\s*", raw)
            number = decimal_from_text(match.group(1)) if match else None
        choices = _CHOICES[name]
        if number is not None:
            for choice in choices:
                if Decimal(choice) == number:
                    return choice
        listed = " or ".join(choices)
        raise CalcError(f"{label or name} must be {listed}", name)

    def describe(self, name: str) -> str:
        """The sentence naming the equivalent in use for one convention."""
        return _CHOICES[name][getattr(self, name)]


DEFAULT_CONVENTIONS = Conventions()

# ---------------------------------------------------------------------------------------
# Pint, loaded on first use: importing Pint alone takes longer than the rest of trainer.calc.

_registry = None
_registry_lock = threading.Lock()


def _pint():
    global _registry
    if _registry is None:
        with _registry_lock:
            if _registry is None:
                import pint

                # Definitions such as "kilogram / 2.2" are divided as the registry loads, so
                # load it in our own decimal context, whatever the caller's is.
                with calc_context():
                    registry = pint.UnitRegistry(None, non_int_type=Decimal, cache_folder=None)
                    registry.load_definitions(
                        os.path.join(os.path.dirname(__file__), "pharmacy_units.txt")
                    )
                _registry = registry
    return _registry


# Which prefixes each unit may take, so "mtab" or "kgtt" is an error and not a millitablet.
_PREFIXES = {
    "gram": {"", "nano", "micro", "milli", "kilo"},
    "liter": {"", "micro", "milli", "deci"},
    "meter": {"", "milli", "centi"},
    "mole": {"", "micro", "milli"},
    "equivalent": {"", "milli"},
    "international_unit": {"", "milli"},
}

_KINDS = {
    (("[mass]", 1),): "mass",
    (("[length]", 3),): "volume",
    (("[length]", 1),): "length",
    (("[length]", 2),): "area",
    (("[time]", 1),): "time",
    (("[drug_activity]", 1),): "units",
    (("[charge_equivalent]", 1),): "mEq",
    (("[substance]", 1),): "mmol",
    (("[drop]", 1),): "drops",
    (("[tablet]", 1),): "tablets",
    (("[capsule]", 1),): "capsules",
    (("[puff]", 1),): "puffs",
    (("[dose]", 1),): "doses",
}

# symbol inside a compound unit, and on its own where pharmacy writes a plural
_SYMBOLS = {
    "nanogram": ("ng", "ng"),
    "microgram": ("mcg", "mcg"),
    "milligram": ("mg", "mg"),
    "gram": ("g", "g"),
    "kilogram": ("kg", "kg"),
    "microliter": ("mcL", "mcL"),
    "milliliter": ("mL", "mL"),
    "deciliter": ("dL", "dL"),
    "liter": ("L", "L"),
    "cc": ("mL", "mL"),
    "meter": ("m", "m"),
    "centimeter": ("cm", "cm"),
    "millimeter": ("mm", "mm"),
    "second": ("sec", "sec"),
    "minute": ("min", "min"),
    "hour": ("hr", "hr"),
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "month": ("month", "months"),
    "year": ("year", "years"),
    "pound": ("lb", "lb"),
    "ounce": ("oz", "oz"),
    "grain": ("grain", "grains"),
    "inch": ("in", "in"),
    "foot": ("ft", "ft"),
    "teaspoon": ("tsp", "tsp"),
    "tablespoon": ("tbsp", "tbsp"),
    "fluid_ounce": ("fl oz", "fl oz"),
    "cup": ("cup", "cups"),
    "pint": ("pint", "pints"),
    "quart": ("quart", "quarts"),
    "gallon": ("gallon", "gallons"),
    "international_unit": ("units", "units"),
    "milliinternational_unit": ("milliunits", "milliunits"),
    "equivalent": ("Eq", "Eq"),
    "milliequivalent": ("mEq", "mEq"),
    "mole": ("mol", "mol"),
    "millimole": ("mmol", "mmol"),
    "micromole": ("mcmol", "mcmol"),
    "drop": ("gtt", "gtt"),
    "tablet": ("tablet", "tablets"),
    "capsule": ("capsule", "capsules"),
    "puff": ("puff", "puffs"),
    "dose": ("dose", "doses"),
}

# Singular forms for a text that says exactly one: "1 tablet", "1 day".
SINGULAR = {
    "tablets": "tablet",
    "capsules": "capsule",
    "puffs": "puff",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",
    "grains": "grain",
    "cups": "cup",
    "pints": "pint",
    "quarts": "quart",
    "gallons": "gallon",
    "doses": "dose",
    "units": "unit",
    "parts": "part",
    "drops": "drop",
    "sprays": "spray",
    "vials": "vial",
    "bags": "bag",
    "patches": "patch",
    "bottles": "bottle",
    "syringes": "syringe",
    "suppositories": "suppository",
    "inhalers": "inhaler",
    "pens": "pen",
    "ampules": "ampule",
    "teaspoons": "teaspoon",
    "tablespoons": "tablespoon",
    "packets": "packet",
    "hours": "hour",
    "minutes": "minute",
    "refills": "refill",
    "fills": "fill",
    "boxes": "box",
}
PLURAL = {singular: plural for plural, singular in SINGULAR.items()}


def unit_for(value: Decimal, unit: str) -> str:
    """A count unit agreeing with its number: 1 tablet, 2 tablets; other units (mL, mg) as given."""
    if value == 1:
        return SINGULAR.get(unit, unit)
    return PLURAL.get(unit, unit)


@dataclass(frozen=True)
class Word:
    """One unit as resolved by Pint: its name, how it is written, its kind and size."""

    name: str
    symbol: str
    plural: str
    kind: str
    factor: Decimal  # in the registry's base units, at the default conventions
    power: int = 1

    @property
    def system(self) -> str:
        """The measuring system: metric, household, avoirdupois, apothecary or imperial."""
        return _SYSTEM.get(self.name, "metric")


class _UnknownUnit(Exception):
    pass


@lru_cache(maxsize=512)
def _resolve(word: str, power: int = 1) -> Word:
    with calc_context():
        return _resolve_uncached(word, power)


def _resolve_uncached(word: str, power: int) -> Word:
    registry = _pint()
    for spelling in dict.fromkeys((word, word.lower(), _ALIASES.get(word.lower(), word))):
        try:
            candidates = registry.parse_unit_name(spelling)
        except Exception:  # Pint raises assorted errors for odd names; all mean "unknown"
            candidates = ()
        for prefix, unit, suffix in candidates:
            if suffix or prefix not in _PREFIXES.get(unit, {""}):
                continue
            name = prefix + unit
            base = registry.get_base_units(name)[0]
            dims = registry.get_dimensionality(name)
            key = tuple(sorted((str(dim), int(exp) * power) for dim, exp in dims.items()))
            kind = _KINDS.get(key)
            if kind is None:
                raise _UnknownUnit(word)
            symbol, plural = _SYMBOLS.get(name, (name, name))
            if name == "cc":
                name = "milliliter"
            if power != 1:
                mark = {2: "²", 3: "³"}[power]
                symbol, plural = symbol + mark, plural + mark
            return Word(name, symbol, plural, kind, Decimal(base) ** power, power)
    raise _UnknownUnit(word)


# Spellings Pint's plural rules and case handling do not reach.
_ALIASES = {
    "meq": "mEq",
    "milliequivalents": "mEq",
    "units": "unit",
    "iu": "IU",
    "ml": "mL",
    "mls": "mL",
    "mcl": "mcL",
    "dl": "dL",
    "tabs": "tab",
    "tablets": "tablet",
    "caps": "cap",
    "capsules": "capsule",
    "hrs": "hr",
    "hours": "hour",
    "mins": "min",
    "kgs": "kg",
    "lbs": "lb",
    "drops": "drop",
    "mcgs": "mcg",
    "mgs": "mg",
}

# ---------------------------------------------------------------------------------------
# Direct equivalents between household/apothecary measures and metric ones

# Inside one non-metric system, conversions are exact multiples of a reference measure.
_SYSTEM = {
    "teaspoon": "household",
    "tablespoon": "household",
    "fluid_ounce": "household",
    "cup": "household",
    "pint": "household",
    "quart": "household",
    "gallon": "household",
    "pound": "avoirdupois",
    "ounce": "avoirdupois",
    "grain": "apothecary",
    "inch": "imperial",
    "foot": "imperial",
}
_IN_SYSTEM = {
    "teaspoon": 1,
    "tablespoon": 3,
    "fluid_ounce": 6,
    "cup": 48,
    "pint": 96,
    "quart": 192,
    "gallon": 768,
    "ounce": 1,
    "pound": 16,
    "grain": 1,
    "inch": 1,
    "foot": 12,
}
_SYSTEM_NOTES = {
    ("pound", "ounce"): "1 lb = 16 oz",
    ("tablespoon", "teaspoon"): "1 tbsp = 3 tsp",
    ("fluid_ounce", "tablespoon"): "1 fl oz = 2 tbsp",
    ("cup", "fluid_ounce"): "1 cup = 8 fl oz",
    ("pint", "fluid_ounce"): "1 pint = 16 fl oz",
    ("quart", "pint"): "1 quart = 2 pints",
    ("gallon", "quart"): "1 gallon = 4 quarts",
    ("foot", "inch"): "1 ft = 12 in",
}


def _equivalent(name: str, conv: Conventions, toward: str | None) -> tuple[str, Decimal, str]:
    """1 <name> = factor <metric unit>, and the sentence naming that equivalent."""
    if name == "pound":
        if toward == "kilogram":
            return "kilogram", ONE / Decimal(conv.lb_per_kg), conv.describe("lb_per_kg")
        if toward is not None:
            return "gram", Decimal(conv.lb_g), conv.describe("lb_g")
        return "kilogram", ONE / Decimal(conv.lb_per_kg), conv.describe("lb_per_kg")
    if name == "ounce":
        if toward == "kilogram":
            # a weight in lb and oz goes to kg the way pounds do, so 7 lb 8 oz is 7.5 lb ÷ 2.2
            return "kilogram", ONE / (16 * Decimal(conv.lb_per_kg)), "1 lb = 16 oz; " + conv.describe("lb_per_kg")
        return "gram", Decimal(conv.oz_g), conv.describe("oz_g")
    if name == "grain":
        return "milligram", Decimal(conv.grain_mg), conv.describe("grain_mg")
    if name == "inch":
        return "centimeter", Decimal("2.54"), "1 in = 2.54 cm"
    if name == "foot":
        return "centimeter", Decimal("30.48"), "1 ft = 30.48 cm"
    if name == "teaspoon":
        return "milliliter", Decimal(5), "1 tsp = 5 mL"
    if name == "tablespoon":
        return "milliliter", Decimal(15), "1 tbsp = 15 mL"
    if name == "fluid_ounce":
        return "milliliter", Decimal(conv.floz_ml), conv.describe("floz_ml")
    if name == "cup":
        ml, how = _CUP[conv.floz_ml]
        return "milliliter", Decimal(ml), f"1 cup = {ml} mL ({how})"
    if name == "pint":
        return "milliliter", Decimal(conv.pint_ml), conv.describe("pint_ml")
    if name == "quart":
        ml, how = _QUART[conv.pint_ml]
        return "milliliter", Decimal(ml), f"1 quart = {format_number(ml)} mL ({how})"
    if name == "gallon":
        ml, how = _GALLON[conv.pint_ml]
        return "milliliter", Decimal(ml), f"1 gallon = {format_number(ml)} mL ({how})"
    raise KeyError(name)


def _metric_factor(name: str) -> Decimal:
    return _resolve_name(name).factor


@lru_cache(maxsize=64)
def _resolve_name(name: str) -> Word:
    return _resolve(name)


def word_factor(word: Word, conv: Conventions) -> Decimal:
    """The size of a unit in base units, with non-metric measures at the given conventions."""
    if word.system == "metric":
        return word.factor
    metric, factor, _ = _equivalent(word.name, conv, None)
    return (factor * _metric_factor(metric)) ** word.power


def simple_factor(source: Word, target: Word, conv: Conventions, notes: list[str]) -> Decimal:
    """How many target units make one source unit, by the equivalent a technician would use."""
    if source.name == target.name and source.power == target.power:
        return ONE
    if source.power != 1 or target.power != 1:
        return word_factor(source, conv) / word_factor(target, conv)
    a, b = source.system, target.system
    if a == b == "metric":
        return source.factor / target.factor
    if a == b:
        big, small = sorted((source.name, target.name), key=lambda n: -_IN_SYSTEM[n])
        note = _SYSTEM_NOTES.get((big, small))
        if note:
            notes.append(note)
        return Decimal(_IN_SYSTEM[source.name]) / Decimal(_IN_SYSTEM[target.name])
    if b == "metric":
        metric, factor, note = _equivalent(source.name, conv, target.name)
        notes.append(note)
        return factor * _metric_factor(metric) / target.factor
    if a == "metric":
        metric, factor, note = _equivalent(target.name, conv, source.name)
        notes.append(note)
        return source.factor / (factor * _metric_factor(metric))
    # two different non-metric systems (grains to ounces): through their metric equivalents
    metric_a, factor_a, note_a = _equivalent(source.name, conv, None)
    metric_b, factor_b, note_b = _equivalent(target.name, conv, None)
    notes.extend((note_a, note_b))
    return factor_a * _metric_factor(metric_a) / (factor_b * _metric_factor(metric_b))


# ---------------------------------------------------------------------------------------
# Units and quantities


@dataclass(frozen=True)
class Unit:
    """A unit as written: a top unit and any number of "per" units, each with a count."""

    top: Word | None
    per: tuple[tuple[Decimal, Word], ...] = ()
    special: str = ""  # "%", "°F", "°C", "$" for the amounts Pint is not asked about
    basis: str = ""  # w/v, w/w or v/v for a percent

    @property
    def text(self) -> str:
        """The unit written the standard way, such as mg/5 mL."""
        if self.special:
            return self.special + (f" {self.basis}" if self.basis else "")
        if self.top is None and not self.per:
            return ""
        head = (self.top.plural if not self.per else self.top.symbol) if self.top else ""
        tail = "".join(
            f"/{format_number(count)} {word.symbol}" if count != 1 else f"/{word.symbol}"
            for count, word in self.per
        )
        return head + tail

    @property
    def kind(self) -> str:
        """The kind of amount, such as mass/volume."""
        if self.special == "%":
            return "percent"
        if self.special in ("°F", "°C"):
            return "temperature"
        if self.special == "$":
            return "money"
        top = self.top.kind if self.top else ("number" if not self.per else "1")
        return top + "".join("/" + word.kind for _, word in self.per)

    @property
    def top_kind(self) -> str:
        """The kind of the top unit, or number."""
        return self.top.kind if self.top else "number"

    @property
    def per_kinds(self) -> tuple[str, ...]:
        """The kinds of the per units."""
        return tuple(word.kind for _, word in self.per)

    @property
    def simple(self) -> bool:
        """Whether the unit is a single unit with nothing per."""
        return not self.special and not self.per and self.top is not None

    def factor(self, conv: Conventions) -> Decimal:
        """The unit's size in base units at the given conventions."""
        return _unit_factor(self, conv)


@lru_cache(maxsize=1024)
def _unit_factor(unit: Unit, conv: Conventions) -> Decimal:
    with calc_context():
        size = word_factor(unit.top, conv) if unit.top else ONE
        for count, word in unit.per:
            size = size / (count * word_factor(word, conv))
        return size


NUMBER = Unit(None)
PERCENT = Unit(None, special="%")
MONEY = Unit(None, special="$")


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, and how it was written (for the worked steps)."""

    value: Decimal
    unit: Unit
    written: str = ""

    @property
    def kind(self) -> str:
        """The kind of amount, such as mass."""
        return self.unit.kind

    @property
    def text(self) -> str:
        """The amount as written, or written the standard way."""
        return self.written or quantity_text(self.value, self.unit)


def quantity_text(value: Decimal, unit: Unit | str) -> str:
    """A value and unit written the safe way: "8 mL", "0.9%", "1 tablet", "$4.50"."""
    return _with_unit(format_number(value), value, unit)


def show_quantity(value: Decimal, unit: Unit | str) -> str:
    """A value inside a worked step (4 significant figures when long), with its unit."""
    return _with_unit(show(value), value, unit)


def _with_unit(number: str, value: Decimal, unit: Unit | str) -> str:
    text = unit.text if isinstance(unit, Unit) else unit
    if text == "$":
        return format_money(value)
    if text.startswith("%"):
        return number + text
    if not text:
        return number
    return f"{number} {unit_for(value, text)}"


@dataclass(frozen=True)
class Amount:
    """A parsed amount: its value and its unit written the standard way."""

    value: Decimal
    unit: str

    def __str__(self) -> str:
        return quantity_text(self.value, self.unit)


# ---------------------------------------------------------------------------------------
# Reading amounts

_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>\d[\d,]*(?:\.\d*)?|\.\d+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<symbol>[/%:$°+\-*^()·])"
)
_TEMPERATURE_WORDS = {
    "f": "°F",
    "degf": "°F",
    "fahrenheit": "°F",
    "c": "°C",
    "degc": "°C",
    "celsius": "°C",
    "centigrade": "°C",
}
_MONEY_WORDS = {"usd", "dollar", "dollars"}
_REWRITES = [
    (re.compile(r"\bfl(?:uid)?\.?\s*oz\.?|\bfluid\s+ounces?\b", re.I), "floz"),
    (re.compile(r"\binternational\s+units?\b", re.I), "units"),
    (re.compile(r"\bsq(?:uare)?\.?\s*(?:m|meters?|metres?)\b", re.I), "m2"),
    (re.compile(r"\bdeg(?:rees?)?\.?\s*(?=[FC]\b|fahrenheit\b|celsius\b)", re.I), "°"),
    (re.compile(r"(?<=[A-Za-z])\.(?!\d)"), ""),  # "tab." "gtt." "hr."
    (re.compile(r"\*\*"), "^"),
    (re.compile(r"(?<=\d)\s+in\s+(?=\d)"), ":"),  # a ratio strength written "1 in 1000"
]
_INSULIN = re.compile(r"(?i)u\s?-?\s?(\d{2,3})")  # U-100 is how insulin strength is written
_APOTHECARY = re.compile(r"(?i)\s*(?:gr|grains?)\s+([ivxlcdmjs\d/.\s]+)\s*")


# NFKC writes ½ as 1⁄2, so the 1½ of a sig would read as 11/2 without a space first.
_GLUED_FRACTION = re.compile(r"(?<=\d)(?=[\u00bc-\u00be\u2150-\u215e])")


def normalise(text: str) -> str:
    """Text with unicode variants folded (µ, ², ½, non-breaking spaces) and spacing tidied."""
    text = unicodedata.normalize("NFKC", _GLUED_FRACTION.sub(" ", text))
    text = text.replace("\u2044", "/").replace("\u2212", "-").replace("\u2013", "-")
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


class _Unreadable(Exception):
    """A problem reading text; the caller adds which field it was."""


@dataclass
class _Tokens:
    items: list[tuple[str, str, bool]]  # (kind, text, follows the previous token without a space)
    at: int = 0

    def peek(self, offset: int = 0) -> tuple[str, str, bool]:
        """The token `offset` ahead, without taking it."""
        index = self.at + offset
        return self.items[index] if index < len(self.items) else ("end", "", False)

    def take(self) -> tuple[str, str, bool]:
        """The next token."""
        token = self.peek()
        self.at += 1
        return token

    def done(self) -> bool:
        """Whether every token has been read."""
        return self.at >= len(self.items)


def _tokenise(text: str) -> _Tokens:
    items: list[tuple[str, str, bool]] = []
    position = 0
    joined = False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise _Unreadable(f"has '{text[position]}', which is not understood here")
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "space":
            joined = False
            continue
        items.append((kind, match.group(), joined))
        joined = True
    return _Tokens(items)


def _number(text: str) -> Decimal:
    value = decimal_from_text(text)
    if value is None:
        if re.fullmatch(r"\d+,\d{1,2}", text):
            raise _Unreadable(f"has '{text}': write decimals with a point, such as 0.5")
        raise _Unreadable(f"has '{text}', which is not a number I can read")
    return value


def _read_value(tokens: _Tokens) -> Decimal:
    """A number, a proper fraction (1/2) or a mixed number (1 1/2)."""
    kind, text, _ = tokens.take()
    if kind != "number":
        raise _Unreadable("should start with a number")
    value = _number(text)
    if tokens.peek()[1] == "/" and tokens.peek(1)[0] == "number":
        tokens.take()
        denominator = _number(tokens.take()[1])
        return _fraction(value, denominator, text)
    if tokens.peek()[0] == "number" and tokens.peek(1)[1] == "/" and tokens.peek(2)[0] == "number":
        numerator = _number(tokens.take()[1])
        tokens.take()
        denominator = _number(tokens.take()[1])
        if value != value.to_integral_value():
            raise _Unreadable("needs a whole number before the fraction in a mixed number")
        return value + _fraction(numerator, denominator, text)
    return value


def _fraction(numerator: Decimal, denominator: Decimal, text: str) -> Decimal:
    whole = numerator == numerator.to_integral_value() and denominator == denominator.to_integral_value()
    if not whole or not 0 < numerator < denominator:
        raise _Unreadable(
            "has a fraction that is not a proper one such as 1/2; write other values as one number"
        )
    return numerator / denominator


def _read_word(tokens: _Tokens) -> Word:
    _, text, _ = tokens.take()
    power = 1
    nxt = tokens.peek()
    if nxt[0] == "number" and nxt[2] and nxt[1] in ("2", "3"):
        tokens.take()
        power = int(nxt[1])
    elif nxt[1] == "^" and tokens.peek(1)[1] in ("2", "3"):
        tokens.take()
        power = int(tokens.take()[1])
    try:
        return _resolve(text, power)
    except _UnknownUnit:
        raise _Unreadable(f"has '{text}', which is not a unit I know") from None


def _read_unit(tokens: _Tokens) -> Unit:
    top = None
    kind, text, _ = tokens.peek()
    if kind == "word" and text.lower() != "per":
        top = _read_word(tokens)
    per: list[tuple[Decimal, Word]] = []
    while tokens.peek()[1] == "/" or tokens.peek()[1].lower() == "per":
        tokens.take()
        count = ONE
        if tokens.peek()[0] == "number":
            count = _number(tokens.take()[1])
            if count <= 0:
                raise _Unreadable("needs an amount after / that is more than zero")
        if tokens.peek()[0] != "word":
            raise _Unreadable("is missing a unit after /")
        per.append((count, _read_word(tokens)))
    if top is None and not per:
        return NUMBER
    return Unit(top, tuple(per))


def _read_basis(tokens: _Tokens) -> str:
    if tokens.peek()[0] == "word" and tokens.peek(1)[1] == "/" and tokens.peek(2)[0] == "word":
        basis = f"{tokens.peek()[1]}/{tokens.peek(2)[1]}".lower()
        if basis in ("w/v", "w/w", "v/v"):
            tokens.at += 3
            return basis
    return ""


def _read_term(tokens: _Tokens) -> Quantity:
    sign = ONE
    if tokens.peek()[1] in ("+", "-"):
        sign = -ONE if tokens.take()[1] == "-" else ONE
    if tokens.peek()[1] == "$":
        tokens.take()
        return Quantity(sign * _read_value(tokens), MONEY)
    value = sign * _read_value(tokens)
    kind, text, _ = tokens.peek()
    if text == "%":
        tokens.take()
        basis = _read_basis(tokens)
        unit = Unit(None, special="%", basis=basis)
        return Quantity(value, unit)
    if text == ":":
        tokens.take()
        if tokens.peek()[0] != "number":
            raise _Unreadable("needs a number after the colon, such as 1:1000")
        second = _number(tokens.take()[1])
        if value <= 0 or second <= 0:
            raise _Unreadable("needs both sides of the ratio to be more than zero")
        basis = _read_basis(tokens)
        written = f"{format_number(value)}:{format_number(second)}"
        return Quantity(value / second * HUNDRED, Unit(None, special="%", basis=basis), written)
    if text == "°":
        tokens.take()
        kind, text, _ = tokens.peek()
        if kind == "word" and text.lower() in _TEMPERATURE_WORDS:
            tokens.take()
            return Quantity(value, Unit(None, special=_TEMPERATURE_WORDS[text.lower()]))
        raise _Unreadable("needs F or C after the degree sign, such as 98.6 °F")
    if kind == "word" and text.lower() in _TEMPERATURE_WORDS and tokens.peek(1)[1] != "/":
        tokens.take()
        return Quantity(value, Unit(None, special=_TEMPERATURE_WORDS[text.lower()]))
    if kind == "word" and text.lower() in _MONEY_WORDS:
        tokens.take()
        return Quantity(value, MONEY)
    return Quantity(value, _read_unit(tokens))


def _read_apothecary(text: str) -> Quantity | None:
    """Grains written the apothecary way, unit first: gr 1/150, gr v, gr ss."""
    match = _APOTHECARY.fullmatch(text)
    if not match:
        return None
    amount = match.group(1).strip()
    from trainer.calc.roman import roman_to_number

    value = roman_to_number(amount) if amount.isalpha() else None
    if value is None:
        tokens = _tokenise(amount)
        value = _read_value(tokens)
        if not tokens.done():
            return None
    return Quantity(value, Unit(_resolve("grain")), f"gr {amount}")


@lru_cache(maxsize=4096)
def read_quantity(text: str) -> Quantity:
    """The amount written in text (cached: exams repeat the same strings)."""
    with calc_context():
        return _read_quantity(text)


def _read_quantity(text: str) -> Quantity:
    if len(text) > MAX_TEXT:
        raise _Unreadable(f"is too long ({MAX_TEXT} characters at most)")
    text = normalise(text)
    if not text:
        raise _Unreadable("is empty")
    apothecary = _read_apothecary(text)
    if apothecary is not None:
        return apothecary
    insulin = _INSULIN.fullmatch(text)
    if insulin:
        strength = Decimal(insulin.group(1))
        per_ml = Unit(_resolve("unit"), ((ONE, _resolve("mL")),))
        return Quantity(strength, per_ml, f"U-{insulin.group(1)} ({strength} units/mL)")
    tokens = _tokenise(text)
    terms = [_read_term(tokens)]
    while not tokens.done():
        if tokens.peek()[0] != "number":
            raise _Unreadable(f"has '{tokens.peek()[1]}', which is not understood here")
        terms.append(_read_term(tokens))
    if len(terms) == 1:
        return terms[0]
    return _sum_terms(terms, text)


def _sum_terms(terms: list[Quantity], text: str) -> Quantity:
    """2 h 30 min, 5 ft 4 in or 1 lb 4 oz: one amount in the last (smallest) unit."""
    last = terms[-1].unit
    if not all(term.unit.simple for term in terms) or len({t.unit.kind for t in terms}) != 1:
        raise _Unreadable("should be one amount, or parts of one kind such as 2 h 30 min")
    if last.top.kind not in ("time", "length", "mass", "volume"):
        raise _Unreadable("should be one amount")
    total = sum(
        (term.value * simple_factor(term.unit.top, last.top, DEFAULT_CONVENTIONS, []) for term in terms),
        Decimal(0),
    )
    return Quantity(clean(total), last, text)


def quantity(raw: object, what: str, field: str | None) -> Quantity:
    """The amount in a parameter value (text, or a plain number); CalcError naming the field."""
    if isinstance(raw, str):
        try:
            found = read_quantity(raw)
        except _Unreadable as problem:
            raise CalcError(f"{what} {problem}", field) from None
    else:
        number = to_decimal(raw)
        if number is None:
            raise CalcError(f"{what} must be text such as the example, or a number", field)
        found = Quantity(number, NUMBER)
    check_range(found.value, what, field)
    return found


# ---------------------------------------------------------------------------------------
# Converting


def convert_value(
    value: Decimal, source: Unit, target: Unit, conv: Conventions, notes: list[str]
) -> Decimal:
    """The value in the target unit; raises _Mismatch when the kinds differ."""
    if source.special or target.special:
        return _convert_special(value, source, target, notes)
    if source.kind != target.kind:
        raise _Mismatch(source, target)
    if source == target:
        return value
    if source.simple and target.simple:
        return value * simple_factor(source.top, target.top, conv, notes)
    for word in _non_metric(source) + _non_metric(target):
        metric, factor, note = _equivalent(word.name, conv, None)
        if note not in notes:
            notes.append(note)
    return value * source.factor(conv) / target.factor(conv)


def _non_metric(unit: Unit) -> list[Word]:
    words = ([unit.top] if unit.top else []) + [word for _, word in unit.per]
    return [word for word in words if word.system != "metric"]


class _Mismatch(Exception):
    def __init__(self, source: Unit, target: Unit) -> None:
        super().__init__(f"{source.kind} vs {target.kind}")
        self.source = source
        self.target = target


_BASIS_KIND = {"w/v": "mass/volume", "w/w": "mass/mass", "v/v": "volume/volume"}
_BASIS_OF_KIND = {kind: basis for basis, kind in _BASIS_KIND.items()}
# 1% is 1 g per 100 mL (w/v), 1 g per 100 g (w/w) or 1 mL per 100 mL (v/v)
_PERCENT_UNITS = {
    "w/v": ("gram", "milliliter"),
    "w/w": ("gram", "gram"),
    "v/v": ("milliliter", "milliliter"),
}


def percent_unit(basis: str) -> Unit:
    """The unit one percent stands for in a basis: g/100 mL, g/100 g or mL/100 mL."""
    top, per = _PERCENT_UNITS[basis]
    return Unit(_resolve_name(top), ((HUNDRED, _resolve_name(per)),))


def _convert_special(value: Decimal, source: Unit, target: Unit, notes: list[str]) -> Decimal:
    if source.special == target.special and source.special in ("°F", "°C", "$"):
        return value
    if {source.special, target.special} == {"°F", "°C"}:
        if source.special == "°F":
            notes.append("°C = (°F − 32) × 5/9")
            return (value - 32) * 5 / 9
        notes.append("°F = °C × 9/5 + 32")
        return value * 9 / 5 + 32
    if source.special == "%" and target.special == "%":
        if source.basis and target.basis and source.basis != target.basis:
            raise _Mismatch(source, target)
        return value
    if source.special == "%" or target.special == "%":
        percent, other = (source, target) if source.special == "%" else (target, source)
        basis = percent.basis or _BASIS_OF_KIND.get(other.kind, "")
        if other.special or _BASIS_KIND.get(basis) != other.kind:
            raise _Mismatch(source, target)
        as_unit = percent_unit(basis)
        if not percent.basis:
            top, per = (_SYMBOLS[name][0] for name in _PERCENT_UNITS[basis])
            notes.append(f"percent read as {basis}: 1% = 1 {top} per 100 {per}")
        if source.special == "%":
            return convert_value(value, as_unit, target, DEFAULT_CONVENTIONS, notes)
        return convert_value(value, source, as_unit, DEFAULT_CONVENTIONS, notes)
    raise _Mismatch(source, target)


# How a kind of amount is named in messages: short, and with examples for messages that
# have no example of their own.
KIND_NAMES = {
    "mass": ("a weight", "a weight (such as mg, g, kg or lb)"),
    "volume": ("a volume", "a volume (such as mL, L, tsp or fl oz)"),
    "length": ("a length", "a length (such as cm, in or ft)"),
    "area": ("an area in m²", "an area (m²)"),
    "time": ("a time", "a time (such as min, hr or day)"),
    "units": ("an amount in units", "an amount in units"),
    "mEq": ("an amount in mEq", "milliequivalents (mEq)"),
    "mmol": ("an amount in mmol", "millimoles (mmol)"),
    "drops": ("a number of drops", "drops (gtt)"),
    "tablets": ("a number of tablets", "a number of tablets"),
    "capsules": ("a number of capsules", "a number of capsules"),
    "puffs": ("a number of puffs", "a number of puffs"),
    "doses": ("a number of doses", "a number of doses"),
    "number": ("a plain number", "a plain number"),
    "percent": ("a percent", "a percent (such as 0.9%)"),
    "temperature": ("a temperature", "a temperature (such as 98.6 °F)"),
    "money": ("an amount of money", "an amount of money (such as $12.50)"),
    "mass/volume": ("an amount per volume", "an amount per volume (such as mg/mL)"),
    "units/volume": ("units per volume", "units per volume (such as units/mL)"),
    "mEq/volume": ("mEq per volume", "mEq per volume (such as mEq/mL)"),
    "volume/time": ("a flow rate", "a flow rate (such as mL/hr)"),
    "drops/volume": ("drops per mL", "drops per mL (gtt/mL)"),
    "mass/mass": ("an amount per weight", "an amount per weight (such as mg/kg)"),
    "mass/area": ("an amount per m²", "an amount per m² (such as mg/m²)"),
}
_PLAIN = {"mass": "weight", "area": "m²", "doses": "dose", "number": "amount", "1": "1"}


def describe_kind(kind: str, *, examples: bool = False) -> str:
    """A learner's name for a kind of amount: "a weight", or "a weight (such as mg, g, kg or lb)"."""
    if kind in KIND_NAMES:
        return KIND_NAMES[kind][1 if examples else 0]
    top, *rest = kind.split("/")
    return _PLAIN.get(top, top) + "".join(" per " + _PLAIN.get(part, part) for part in rest)


def read_unit_text(raw: object, what: str, field: str | None, *, allow_plain: bool = False) -> Unit:
    """A unit written on its own ("mg", "mL/hr", "%", "°C", "$"); CalcError naming the field.

    allow_plain accepts "" for a plain number, as results such as a specific gravity have.
    """
    if not isinstance(raw, str):
        raise CalcError(f"{what} must be a unit such as mg or mL", field)
    bare = normalise(raw) if len(raw) <= MAX_TEXT else raw
    if allow_plain and bare == "":
        return NUMBER
    if bare == "$":
        return MONEY
    text = "1 " + bare
    try:
        found = read_quantity(text) if len(raw) <= MAX_TEXT else None
    except _Unreadable as problem:
        raise CalcError(f"{what} {problem}", field) from None
    if found is None or found.written or found.unit is NUMBER:
        raise CalcError(f"{what} must be a unit such as mg or mL", field)
    return found.unit


def parse_amount(text: object) -> Amount:
    """Read an amount such as "0.5 g", "250 mg/5 mL", "0.9%" or "2 h 30 min"."""
    if not isinstance(text, str):
        raise CalcError("an amount must be text, such as 0.5 g", None)
    with calc_context():
        found = quantity(text, "the amount", None)
        return Amount(found.value, found.unit.text)


def convert_amount(value: object, from_unit: object, to_unit: object) -> Decimal:
    """The value in to_unit (exact, at the pharmacy conventions); CalcError if the kinds differ."""
    with calc_context():
        number = to_decimal(value)
        if number is None:
            raise CalcError(f"{value!r} is not a number", "value")
        check_range(number, "the value", "value")
        source = read_unit_text(from_unit, "the unit", "from_unit", allow_plain=True)
        target = read_unit_text(to_unit, "the unit", "to_unit", allow_plain=True)
        try:
            return clean(convert_value(number, source, target, DEFAULT_CONVENTIONS, []))
        except _Mismatch:
            raise CalcError(
                f"cannot convert {source.text or 'a plain number'} to {target.text or 'a plain number'}: "
                f"{describe_kind(source.kind, examples=True)} is not {describe_kind(target.kind, examples=True)}",
                "to_unit",
            ) from None


def convert(quantity_: Quantity, target: Unit, conv: Conventions, notes: list[str]) -> Decimal:
    """A quantity's value in another unit; _Mismatch if the kinds differ."""
    return convert_value(quantity_.value, quantity_.unit, target, conv, notes)


def unit_of(text: str) -> Unit:
    """A unit from trusted text inside trainer.calc, such as "mL", "mg/mL", "%" or "$"."""
    if text == "$":
        return MONEY
    return read_quantity("1 " + text).unit
