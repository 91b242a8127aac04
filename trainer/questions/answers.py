"""Reading a typed dose or volume and grading it the way a pharmacist checks one.

Numeric and calculated questions share this: the learner types "8", "8 mL", "8,000" or
"0.5 g"; the number is compared with the key in the question's unit (converting
equivalent units through trainer.calc), and the error-prone ways of writing it (ISMP,
The Joint Commission "Do Not Use" list) are flagged. For each of those forms the author
chooses `warn` (keep the mark, say why) or `penalise` (no mark).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from trainer.calc import CalcError, convert_amount, format_number
from trainer.calc.units import unit_for
from trainer.questions.placeholders import plain_number
from trainer.questions.registry import NOT_ANSWERED, GradeResult, Problems, wrong
from trainer.rx.abbreviations import (
    DO_NOT_USE_FORMS,
    LOWERCASE_LITER,
    NUMBER_STYLES,
    UNSAFE_UNITS,
    unit_advice,
)

MAX_ANSWER_LENGTH = 60
MAX_DIGITS = 30

# The error-prone ways of writing a number or unit, as the shared table words them
# (trainer.rx.abbreviations: the same table the glossary and the sig reader use).
SAFETY_FORMS = (
    "naked_decimal",
    "trailing_zero",
    "cc",
    "microgram_symbol",
    "u",
    "iu",
    "no_space",
    "no_thousands_comma",
    "lowercase_l",
    "unit_period",
)
SAFETY_MODES = ("warn", "penalise")
MONEY_UNITS = {"usd", "$", "dollar", "dollars"}
SAFETY_ADVICE = {
    "naked_decimal": NUMBER_STYLES["naked_decimal"][0],
    "trailing_zero": NUMBER_STYLES["trailing_zero"][0],
    "cc": unit_advice("cc"),
    "microgram_symbol": unit_advice("microgram_symbol"),
    "u": unit_advice("u"),
    "iu": unit_advice("iu"),
    "no_space": NUMBER_STYLES["no_space"][0],
    "no_thousands_comma": NUMBER_STYLES["no_thousands_comma"][0],
    "lowercase_l": unit_advice("lowercase_l"),
    "unit_period": NUMBER_STYLES["unit_period"][0],
}

# The unit spellings to flag, and the safe spelling the unit is read as.
_UNSAFE_UNITS = UNSAFE_UNITS

_NUMBER = re.compile(
    r"(?P<sign>[-+]?)\s*(?P<dollar>\$?)\s*(?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?)(?P<rest>.*)",
    re.DOTALL,
)
_UNIT_TEXT = re.compile(r"[A-Za-zµμ°%][A-Za-zµμ°%²³/.0-9 -]*")
_UNIT_WORD = re.compile(r"[A-Za-zµμ]+")
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class AnswerUnreadable(ValueError):
    """Raised when typed text is not a number (with an optional unit); `flag` is blank or unparseable."""

    def __init__(self, message: str, flag: str = "unparseable"):
        self.message = message
        self.flag = flag
        super().__init__(message)


@dataclass(frozen=True)
class EnteredAmount:
    """A learner's typed answer: the number, the unit as read (safe spelling) and the forms to flag."""

    value: Decimal
    unit: str | None
    flags: tuple[str, ...]


def read_answer(response: Any) -> EnteredAmount:
    """Read "8", "8 mL", "8,000", ".5 mL", "$12.50" or a number; raise AnswerUnreadable, nothing else."""
    if response is None:
        raise AnswerUnreadable(NOT_ANSWERED, "blank")
    if isinstance(response, bool):
        raise AnswerUnreadable("Type a number.")
    if isinstance(response, int):
        response = str(response)
    elif isinstance(response, (float, Decimal)):
        try:
            if not Decimal(str(response)).is_finite():
                raise AnswerUnreadable("Type a number.")
            response = format(Decimal(str(response)), "f")
        except (ValueError, InvalidOperation):
            raise AnswerUnreadable("Type a number.") from None
    if not isinstance(response, str):
        raise AnswerUnreadable("Type a number.")
    if len(response) > MAX_ANSWER_LENGTH * 4:
        raise AnswerUnreadable("That answer is too long: type a number and its unit.")
    text = " ".join(unicodedata.normalize("NFKC", response).replace("\u2212", "-").split())
    if not text:
        raise AnswerUnreadable(NOT_ANSWERED, "blank")
    if len(text) > MAX_ANSWER_LENGTH:
        raise AnswerUnreadable("That answer is too long: type a number and its unit.")
    match = _NUMBER.fullmatch(text)
    number = match.group("number") if match else ""
    if not any(ch.isdigit() for ch in number):
        raise AnswerUnreadable("Start the answer with a number, then its unit if it has one.")
    rest = match.group("rest").strip()
    if rest[:1] in (",", ".") or rest[:1].isdigit():
        raise AnswerUnreadable(
            "Use a point for decimals and commas only between thousands, as in 0.5 or 1,000."
        )
    digits = number.replace(",", "").replace(".", "")
    if len(digits) > MAX_DIGITS:
        raise AnswerUnreadable("That number has too many digits.")
    flags: list[str] = []
    if number.startswith("."):
        flags.append("naked_decimal")
    if "." in number and number.endswith("0"):
        flags.append("trailing_zero")
    if len(number.split(".")[0]) >= 4 and "," not in number:
        flags.append("no_thousands_comma")
    raw_rest = match.group("rest")
    if raw_rest[:1].isalpha() or raw_rest[:1] in ("µ", "μ"):
        flags.append("no_space")
    value = Decimal(number.replace(",", "") if not number.startswith(".") else "0" + number)
    if match.group("sign") == "-":
        value = -value
    unit = "USD" if match.group("dollar") else None
    if rest:
        if not _UNIT_TEXT.fullmatch(rest):
            raise AnswerUnreadable("After the number, type only a unit such as mL or mg.")
        unit = _safe_spelling(rest, flags)
    return EnteredAmount(value, unit, tuple(flags))


_ANY_NUMBER = re.compile(r"(?<![\w.,:/])(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(?P<after>\.?[A-Za-zµμ]?)")
_WORDS = re.compile(r"[A-Za-zµμ]+\.?")


def error_prone_forms(text: str) -> list[str]:
    """The error-prone forms anywhere in a written amount such as "250 mg/5 mL" (the calculator's
    inputs), by the grader's flags and in its order: the same table a quiz answer is checked against."""
    if not isinstance(text, str) or len(text) > MAX_ANSWER_LENGTH * 4:
        return []
    text = unicodedata.normalize("NFKC", text)
    flags: list[str] = []

    def add(flag: str) -> None:
        if flag not in flags:
            flags.append(flag)

    for match in _ANY_NUMBER.finditer(text):
        number, after = match.group("number"), match.group("after")
        if after.startswith(".") and not after[1:]:
            after = ""  # a full stop at the end of a sentence
        if number.startswith("."):
            add("naked_decimal")
        if "." in number and number.endswith("0"):
            add("trailing_zero")
        if len(number.split(".")[0]) >= 4 and "," not in number and text[match.end("number"):][:1] != ":":
            add("no_thousands_comma")
        if after[-1:].isalpha() or after[-1:] in ("µ", "μ"):
            add("no_space")
    for match in _WORDS.finditer(text):
        _safe_spelling(match.group(0), flags)
    return [flag for flag in SAFETY_FORMS if flag in flags]


def _safe_spelling(unit: str, flags: list[str]) -> str:
    """The unit with cc, µg, U and IU replaced by their safe spellings, flagging each."""

    if unit.endswith(".") and len(unit) > 1:
        flags.append("unit_period")
        unit = unit.rstrip(".")

    def replace(match: re.Match) -> str:
        word = match.group(0)
        if word in LOWERCASE_LITER:
            if "lowercase_l" not in flags:
                flags.append("lowercase_l")
            return LOWERCASE_LITER[word]
        known = _UNSAFE_UNITS.get(word.lower())
        if known is None:
            return word
        flag, safe = known
        if flag not in flags:
            flags.append(flag)
        return safe

    return _UNIT_WORD.sub(replace, unit)


def to_decimal(value: object) -> Decimal | None:
    """A number from a bank file (int, float or numeric text) as a Decimal; None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        result = Decimal(str(value))
        return result if result.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str) and _PLAIN_DECIMAL.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def on_step(value: Decimal, step: Decimal) -> bool:
    """Whether `value` is a whole multiple of `step` (rounded to it)."""
    try:
        with localcontext() as context:
            context.prec = 60
            quotient = value / step
            return quotient == quotient.to_integral_value()
    except (InvalidOperation, ArithmeticError):
        return False


def same_unit(given: str, expected: str) -> bool:
    """mL and ml, tablet and tablets are the same unit; anything else goes through trainer.calc."""

    def simple(unit: str) -> str:
        unit = unit.replace(" ", "").casefold()
        return unit[:-1] if len(unit) > 3 and unit.endswith("s") else unit

    return given == expected or simple(given) == simple(expected)


def amount_text(value: Decimal, unit: str | None) -> str:
    """The safe way to write an amount: "0.5 mL", "5,000 units", "1 tablet" (never "1 tablets")."""
    number = format_number(value)
    return f"{number} {unit_for(value, unit)}" if unit else number


# ---- the settings numeric and calculated questions share -------------------------

AMOUNT_FIELDS = (
    "unit",
    "unit_required",
    "tolerance",
    "tolerance_percent",
    "round_to",
    "accept_equivalent_units",
    "safety",
)


def amount_settings_problems(spec: dict) -> Problems:
    """Problems with unit, tolerance, rounding and safety settings."""
    problems: Problems = []
    unit = spec.get("unit")
    if unit is not None and (
        not isinstance(unit, str) or not unit.strip() or not _UNIT_TEXT.fullmatch(unit.strip())
    ):
        problems.append(("unit", "must be a unit such as mL, mg or tablets"))
    for name in ("unit_required", "accept_equivalent_units"):
        if name in spec and not isinstance(spec[name], bool):
            problems.append((name, "must be true or false"))
    if spec.get("unit_required") is True and not spec.get("unit"):
        problems.append(("unit_required", "needs a `unit`"))
    if "tolerance" in spec and "tolerance_percent" in spec:
        problems.append(("tolerance_percent", "give `tolerance` or `tolerance_percent`, not both"))
    for name in ("tolerance", "tolerance_percent"):
        if name in spec:
            amount = to_decimal(spec[name])
            if amount is None or amount < 0:
                problems.append((name, "must be a number zero or more"))
            elif name == "tolerance_percent" and amount > 100:
                problems.append((name, "must be at most 100"))
    if "round_to" in spec:
        step = to_decimal(spec["round_to"])
        if step is None or step <= 0:
            problems.append(("round_to", 'must be a positive step such as "0.1" or "1"'))
    safety = spec.get("safety")
    if safety is not None:
        if not isinstance(safety, dict):
            problems.append(("safety", "must map forms such as naked_decimal to warn or penalise"))
        else:
            for form, mode in safety.items():
                if form not in SAFETY_FORMS:
                    problems.append(
                        (f"safety.{form}", "unknown form; known: " + ", ".join(SAFETY_FORMS))
                    )
                elif mode not in SAFETY_MODES:
                    problems.append((f"safety.{form}", "must be warn or penalise"))
                elif form in DO_NOT_USE_FORMS and mode == "warn":
                    # one policy for every question: a learner never sees 7.0 mL pass here and fail there
                    problems.append((f"safety.{form}", "is on The Joint Commission's “Do Not Use” list, so it "
                                                       "always loses the mark; leave this setting out"))
    return problems


def amount_settings(spec: dict, unit: str | None = None, round_to: object = None) -> dict:
    """The grading settings an instance carries, so grading needs nothing but the instance."""

    def text_or_none(value: object) -> str | None:
        number = to_decimal(value)
        return None if number is None else plain_number(number)

    safety = spec.get("safety") or {}
    return {
        "unit": unit if unit is not None else spec.get("unit"),
        "unit_required": spec.get("unit_required") is True,
        "tolerance": text_or_none(spec.get("tolerance")),
        "tolerance_percent": text_or_none(spec.get("tolerance_percent")),
        "round_to": text_or_none(spec.get("round_to", round_to)),
        "accept_equivalent_units": spec.get("accept_equivalent_units", True) is not False,
        "safety": {form: safety.get(form, "warn") for form in SAFETY_FORMS},
    }


def public_amount_view(instance: dict) -> dict:
    """The unit to show beside the answer box (unless giving it is part of the question), and the
    rounding the answer must have: a learner is told it before being marked on it."""
    view = {}
    if instance["unit"] and not instance["unit_required"]:
        view["unit"] = instance["unit"]
    if instance.get("round_to"):
        view["rounding"] = format_number(Decimal(instance["round_to"]))
    return view


def _tolerance(instance: dict, expected: Decimal) -> Decimal:
    if instance.get("tolerance") is not None:
        return Decimal(instance["tolerance"])
    if instance.get("tolerance_percent") is not None:
        return abs(expected) * Decimal(instance["tolerance_percent"]) / 100
    return Decimal(0)


def grade_amount(instance: dict, response: Any) -> GradeResult:
    """Grade a typed amount against the instance's key, unit, tolerance, rounding and safety."""
    try:
        entered = read_answer(response)
    except AnswerUnreadable as exc:
        return wrong(exc.message, exc.flag)
    expected = Decimal(instance["answer"])
    unit = instance.get("unit")
    tolerance = _tolerance(instance, expected)

    def close(value: Decimal) -> bool:
        return abs(value - expected) <= tolerance

    if unit and unit.casefold() in MONEY_UNITS or entered.unit == "USD":
        # cents are written with two places ($12.50) and prices are not doses: the dose
        # designations do not apply to money
        money_styles = ("trailing_zero", "no_thousands_comma", "no_space")
        entered = replace(entered, flags=tuple(f for f in entered.flags if f not in money_styles))
    flags = list(entered.flags)
    feedback: list[str] = []
    value: Decimal | None = entered.value
    if unit and entered.unit is None and instance.get("unit_required"):
        flags.append("missing_unit")
        feedback.append(f"Give the unit with the number (the answer is in {unit}).")
        value = None
    elif unit and entered.unit is not None and not same_unit(entered.unit, unit):
        converted = _convert(entered.value, entered.unit, unit)
        # another spelling of the same unit (milliliters for mL) is never a different unit
        respelled = converted is not None and converted == entered.value
        accepted = converted is not None and (respelled or instance.get("accept_equivalent_units", True))
        if accepted and not close(converted) and close(entered.value):
            # 8 L for 8 mL converts to 8,000 mL: the number is right and the unit is the
            # thousandfold error, which is what the learner must be told
            flags.append("wrong_unit")
            value = None
            feedback.append(f"Right number, wrong unit: the answer is in {unit}.")
        elif accepted:
            value = converted
        else:
            flags.append("wrong_unit")
            value = None
            if close(entered.value):
                feedback.append(f"Right number, wrong unit: the answer is in {unit}.")
            elif converted is not None and close(converted):
                feedback.append(f"That is the right amount, but give it in {unit} as asked.")
            else:
                feedback.append(
                    f"Not correct, and {entered.unit} is not the unit asked for ({unit})."
                )
    score_ok = False
    if value is not None:
        step = Decimal(instance["round_to"]) if instance.get("round_to") else None
        if step is not None and not on_step(value, step):
            flags.append("not_rounded")
            feedback.append(
                f"Not rounded as asked: give the answer to the nearest {format_number(step)}"
                + (f" {unit}." if unit else ".")
            )
        elif close(value):
            score_ok = True
            feedback.append("Correct.")
        else:
            feedback.append("Not correct.")
    penalised = []
    for form in entered.flags:
        # The site's policy (abbreviations.AMOUNT_POLICY): a "Do Not Use" form always costs
        # the mark; an author may make another form cost it too.
        mode = "penalise" if form in DO_NOT_USE_FORMS else instance.get("safety", {}).get(form, "warn")
        feedback.append(SAFETY_ADVICE[form])
        if mode == "penalise":
            penalised.append(form)
    if score_ok and penalised:
        feedback[feedback.index("Correct.")] = (
            "The number is right, but the way it is written loses the mark."
        )
        return GradeResult(0.0, False, feedback, flags)
    if "Not correct." in feedback and entered.flags:
        # Advice on how it is written must not read as the only problem: the value is wrong too.
        feedback[feedback.index("Not correct.")] = (
            "The value is not correct, and the way it is written is error-prone too:"
        )
    return GradeResult(1.0 if score_ok else 0.0, score_ok, feedback, flags)


def _convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    try:
        return convert_amount(value, from_unit, to_unit)
    except CalcError:
        return None
    except Exception:  # noqa: BLE001
        # the unit is learner text handed to a third-party units parser: whatever it
        # trips on, the answer is simply not in a unit we can compare
        return None
