"""Doses: tablets and volumes to give, weight- and BSA-based doses, children's dose rules."""

from __future__ import annotations

from decimal import Decimal

from trainer.calc.core import DRUG_KINDS, Inputs, Result, family, p
from trainer.calc.errors import CalcError
from trainer.calc.numbers import (
    AMOUNT,
    COUNT,
    HUNDRED,
    HUNDREDTHS,
    ONE,
    VOLUME,
    format_number,
    round_step,
    show,
)
from trainer.calc.units import NUMBER, Quantity, Unit, quantity_text, unit_of

DRUG = "an amount of drug in mg, mcg, g, units or mEq"
PER_VOLUME = "an amount per volume"


def drug_amount(inputs: Inputs, name: str) -> Quantity:
    """A dose-like amount: mg, g, mcg, units, mEq or mmol (a volume here is a classic mix-up)."""
    found = inputs.amount(name, what=DRUG)
    if found.kind == "volume":
        raise CalcError(
            f"{inputs.name(name)} is a volume ({found.text}); give the amount of drug, such as "
            f"{inputs.example(name)}",
            name,
        )
    if found.kind not in DRUG_KINDS:
        raise inputs.wrong_kind(name, found, DRUG)
    return found


def per_ml(
    inputs: Inputs, name: str, drug_kind: str | None = None, prefer: Unit | None = None
) -> tuple[Decimal, Unit, str]:
    """A concentration as (amount in one mL, the amount's unit, how it was worked out).

    Accepts amount per volume (250 mg/5 mL, 100 units/mL, U-100) and, for weights, percent
    and ratio strengths (0.9%, 1:1000), which are weight in volume. When `prefer` is a
    smaller unit of the same kind (mg for a bag labelled in g) the amount is given in it,
    so the worked steps stay in whole numbers.
    """
    found = inputs.amount(name, what=PER_VOLUME)
    if found.kind == "percent":
        value, top, how = _percent_per_ml(inputs, name, found, drug_kind)
        if _smaller(prefer, top):
            converted = inputs.to(Quantity(value, top), prefer, name)
            return converted, prefer, f"{how} = {show(converted)} {prefer.text} per mL"
        return value, top, how
    unit = found.unit
    if unit.top is None or len(unit.per) != 1 or unit.per[0][1].kind != "volume":
        if found.unit is NUMBER:
            raise CalcError(
                f"{inputs.name(name)} needs a unit ({PER_VOLUME}), such as {inputs.example(name)}",
                name,
            )
        raise inputs.needs(name, PER_VOLUME)
    if unit.top.kind not in DRUG_KINDS:
        raise inputs.needs(name, f"{PER_VOLUME} of drug (mg, mcg, g, units or mEq per mL)")
    if drug_kind is not None and unit.top.kind != drug_kind:
        raise CalcError(
            f"{inputs.name(name)} is in {unit.top.symbol} per volume but the dose is "
            f"{_kind_word(drug_kind)}; both must measure the drug the same way",
            name,
        )
    count, volume = unit.per[0]
    ml = inputs.to(Quantity(count, Unit(volume)), "mL", name)
    top = Unit(unit.top)
    amount = found.value
    if _smaller(prefer, top):
        # converted before dividing, so the step reads 2,000 mg ÷ 500 mL rather than 0.004 g
        amount = inputs.to(Quantity(amount, top), prefer, name)
        top = prefer
    value = amount / ml
    if ml == 1 and amount == found.value:
        return value, top, f"{found.text} = {show(value)} {top.text} in each mL"
    return value, top, f"{found.text} = {show(amount)} {top.text} ÷ {show(ml)} mL = {show(value)} {top.text} per mL"


def _percent_per_ml(
    inputs: Inputs, name: str, found: Quantity, drug_kind: str | None
) -> tuple[Decimal, Unit, str]:
    """A percent or ratio strength as mg per mL (weight in volume: 1% = 1 g per 100 mL)."""
    if found.unit.basis not in ("", "w/v") or drug_kind not in (None, "mass"):
        raise inputs.needs(name, f"{PER_VOLUME} in the same unit as the dose")
    value = found.value * 10
    basis = "" if found.unit.basis else " w/v"
    how = f"{found.text}{basis} = {show(found.value)} g per 100 mL = {show(value)} mg per mL"
    return value, unit_of("mg"), how


def _smaller(prefer: Unit | None, top: Unit) -> bool:
    return (
        prefer is not None
        and prefer.simple
        and prefer.top.kind == top.top.kind
        and prefer.top.system == top.top.system == "metric"
        and prefer.top.factor < top.top.factor
    )


def _kind_word(kind: str) -> str:
    return {"mass": "a weight", "units": "in units", "mEq": "in mEq", "mmol": "in mmol"}[kind]


def in_unit(inputs: Inputs, found: Quantity, unit: Unit, name: str, steps: list[str]) -> Decimal:
    """An amount in another unit, with a worked step when a conversion was needed."""
    value = inputs.to(found, unit, name)
    if found.unit != unit:
        steps.append(f"{inputs.name(name).capitalize()} in {unit.text}: {found.text} = {show(value)} {unit.text}.")
    return value


# ---------------------------------------------------------------------------------------


@family(
    "dose_count",
    "Tablets and capsules",
    "How many tablets or capsules make up one dose.",
    COUNT,
    [
        p("dose", "Dose ordered", "500 mg", "the dose ordered, such as 500 mg"),
        p(
            "strength",
            "Strength on hand",
            "250 mg/tab",
            "the strength of one tablet or capsule, such as 250 mg/tab or 500 mg/cap",
        ),
    ],
)
def dose_count(inputs: Inputs) -> Result:
    """Tablets or capsules for one dose."""
    dose = drug_amount(inputs, "dose")
    strength = inputs.amount("strength", what="the amount in one tablet or capsule")
    form = "tablets"
    assumed = ""
    if strength.unit.per:
        if len(strength.unit.per) != 1 or strength.unit.per[0][1].kind not in ("tablets", "capsules"):
            if strength.unit.per[0][1].kind == "volume":
                raise CalcError(
                    "strength is a liquid concentration; use dose_volume for the volume to give",
                    "strength",
                )
            raise inputs.needs("strength", "the amount in one tablet or capsule")
        count, per = strength.unit.per[0]
        form = per.plural
        amount_each = strength.value / count
        top = Unit(strength.unit.top)
    elif strength.unit.top is not None and strength.kind in DRUG_KINDS:
        amount_each = strength.value
        top = strength.unit
        assumed = f"{strength.text} is taken as the strength of one tablet (write /cap for capsules)."
    else:
        raise inputs.wrong_kind("strength", strength, "the amount in one tablet or capsule")
    if top.top.kind != dose.unit.top.kind:
        raise CalcError(
            f"strength is in {top.text} but the dose is in {dose.unit.text}; both must measure the drug the same way",
            "strength",
        )
    steps = [assumed] if assumed else []
    dose_value = in_unit(inputs, dose, top, "dose", steps)
    count = dose_value / amount_each
    each = quantity_text(amount_each, top)
    steps.append(
        f"Number of {form} = dose ÷ strength = {show(dose_value)} {top.text} ÷ {each} = {show(count)} {form}."
    )
    result = inputs.answer(count, form, COUNT, steps, subject="dose")
    given = result.value * amount_each
    off = abs(given - dose_value) / dose_value * HUNDRED
    if off > 5:
        kind = "half or whole tablet" if form == "tablets" else f"whole {form[:-1]}"
        raise CalcError(
            f"{dose.text} is {show(count)} {form} of {each}, which is not a {kind} "
            f"({result.text} would give {format_number(round_step(off, Decimal('0.1')))}% "
            f"{'more' if given > dose_value else 'less'}); choose another strength or ask the pharmacist",
            "strength",
        )
    if given != dose_value:
        result.steps.insert(
            -1,
            f"Check: {result.text} × {each} = {show(given)} {top.text}, "
            f"{format_number(round_step(off, Decimal('0.1')))}% from the dose ordered (within 5%).",
        )
    return result


@family(
    "dose_volume",
    "Dose volume",
    "The volume of a liquid that holds the dose ordered.",
    VOLUME,
    [
        p("dose", "Dose ordered", "400 mg", "the dose ordered, such as 400 mg, 5,000 units or 20 mEq"),
        p(
            "concentration",
            "Concentration on hand",
            "250 mg/5 mL",
            "the strength of the liquid, such as 250 mg/5 mL, 100 units/mL or 1:1000",
        ),
    ],
)
def dose_volume(inputs: Inputs) -> Result:
    """The volume of a liquid that holds one dose."""
    dose = drug_amount(inputs, "dose")
    amount_per_ml, top, how = per_ml(inputs, "concentration", dose.kind, dose.unit)
    steps = [f"Concentration: {how}."]
    dose_value = in_unit(inputs, dose, top, "dose", steps)
    volume = dose_value / amount_per_ml
    steps.append(
        f"Volume = dose ÷ concentration = {show(dose_value)} {top.text} ÷ "
        f"{show(amount_per_ml)} {top.text}/mL = {show(volume)} mL."
    )
    return inputs.answer(volume, "mL", VOLUME, steps, subject="dose")


def weight_kg(inputs: Inputs, name: str, steps: list[str], unit: str = "kg") -> Decimal:
    """A patient weight in kg (or another weight unit), which must be written with its unit."""
    found = inputs.amount(name, ("mass",), "a weight in kg or lb")
    return in_unit(inputs, found, unit_of(unit), name, steps)


@family(
    "weight_based_dose",
    "Weight-based dose",
    "A dose worked out from the patient's weight and a dose per kg.",
    AMOUNT,
    [
        p("weight", "Patient weight", "44 lb", "the weight with its unit, such as 20 kg or 44 lb"),
        p(
            "dose_rate",
            "Dose per kg",
            "10 mg/kg/day",
            "such as 10 mg/kg/day, 5 mg/kg/dose or 5 mcg/kg/min",
        ),
        p(
            "doses_per_day",
            "Doses a day",
            "2",
            "how many doses the daily amount is divided into, such as 2 or q12h",
            False,
        ),
    ],
    [("weight", "dose_rate", "doses_per_day")],
)
def weight_based_dose(inputs: Inputs) -> Result:
    """A dose (and daily dose) from weight and a dose per kg."""
    rate = inputs.amount("dose_rate", what="an amount per kg")
    unit = rate.unit
    if unit.top is None or not unit.per or unit.top.kind not in DRUG_KINDS:
        raise inputs.wrong_kind("dose_rate", rate, "an amount of drug per kg")
    if unit.per[0][1].kind == "area":
        raise CalcError("dose rate is per m² (body surface area); use bsa_dose", "dose_rate")
    if unit.per[0][1].kind != "mass" or len(unit.per) > 2:
        raise inputs.needs("dose_rate", "an amount per kg (per dose, per day or per minute)")
    per_time = unit.per[1][1] if len(unit.per) == 2 else None
    if per_time is not None and per_time.kind not in ("time", "doses"):
        raise inputs.needs("dose_rate", "an amount per kg, per dose or per day")
    count_weight, weight_word = unit.per[0]
    count_time = unit.per[1][0] if per_time is not None else ONE
    steps: list[str] = []
    weight = weight_kg(inputs, "weight", steps, weight_word.symbol)
    top = Unit(unit.top)
    rate_each = rate.value / count_weight / count_time
    amount = weight * rate_each
    weight_text = f"{show(weight)} {weight_word.symbol}"
    times = inputs.frequency("doses_per_day") if inputs.given("doses_per_day") else None
    if per_time is not None and per_time.kind == "time" and per_time.name != "day":
        if times is not None:
            raise CalcError(
                f"doses a day does not apply to a continuous rate per {per_time.symbol}",
                "doses_per_day",
            )
        rate_unit = f"{top.text}/{per_time.symbol}"
        steps.append(f"Dose rate = {weight_text} × {rate.text} = {show(amount)} {rate_unit}.")
        return inputs.answer(amount, rate_unit, AMOUNT, steps, subject="weight")
    if per_time is not None and per_time.name == "day":
        steps.append(f"Daily dose = {weight_text} × {rate.text} = {show(amount)} {top.text}/day.")
        daily = inputs.other_answer(amount, top.text, AMOUNT, "Daily dose")
        if times is None:
            times = ONE
            steps.append("No doses a day given, so the whole daily dose is given once a day.")
        dose = amount / times
        steps.append(
            f"Each dose = {show(amount)} {top.text} ÷ {format_number(times)} doses = {show(dose)} {top.text}."
        )
        return inputs.answer(dose, top.text, AMOUNT, steps, extra={"daily_dose": daily}, subject="weight")
    steps.append(f"Each dose = {weight_text} × {rate.text} = {show(amount)} {top.text}.")
    extra = {}
    if times is not None:
        daily_amount = amount * times
        steps.append(
            f"Daily dose = {show(amount)} {top.text} × {format_number(times)} doses = {show(daily_amount)} {top.text}."
        )
        extra["daily_dose"] = inputs.other_answer(daily_amount, top.text, AMOUNT, "Daily dose")
    return inputs.answer(amount, top.text, AMOUNT, steps, extra=extra, subject="weight")


@family(
    "bsa_mosteller",
    "Body surface area (Mosteller)",
    "Body surface area in m² from height and weight, by the Mosteller formula.",
    HUNDREDTHS,
    [
        p("height", "Height", "160 cm", "with its unit, such as 160 cm, 63 in or 5 ft 3 in"),
        p("weight", "Weight", "64 kg", "with its unit, such as 64 kg or 141 lb"),
    ],
)
def bsa_mosteller(inputs: Inputs) -> Result:
    """Body surface area by the Mosteller formula."""
    steps: list[str] = []
    height = inputs.amount("height", ("length",), "a height in cm or in")
    cm = in_unit(inputs, height, unit_of("cm"), "height", steps)
    kg = weight_kg(inputs, "weight", steps)
    product = cm * kg / 3600
    bsa = product.sqrt()
    steps.append(
        f"BSA = √(height cm × weight kg ÷ 3600) = √({show(cm)} × {show(kg)} ÷ 3600) "
        f"= √{show(product)} = {show(bsa)} m²."
    )
    return inputs.answer(bsa, "m²", HUNDREDTHS, steps, subject="height")


@family(
    "bsa_dose",
    "Dose by body surface area",
    "A dose from the body surface area and a dose per m².",
    AMOUNT,
    [
        p("bsa", "Body surface area", "1.6 m2", "in m², such as 1.6 m2 (a plain number is read as m²)"),
        p("dose_rate", "Dose per m²", "100 mg/m2", "such as 100 mg/m2 or 375 mg/m2/day"),
    ],
)
def bsa_dose(inputs: Inputs) -> Result:
    """A dose from body surface area and a dose per m²."""
    bsa = inputs.amount("bsa", ("area",), "a body surface area in m²", bare="m2")
    rate = inputs.amount("dose_rate", what="an amount per m²")
    unit = rate.unit
    if unit.top is None or not unit.per or unit.top.kind not in DRUG_KINDS:
        raise inputs.wrong_kind("dose_rate", rate, "an amount of drug per m²")
    if unit.per[0][1].kind == "mass":
        raise CalcError("dose rate is per kg of weight; use weight_based_dose", "dose_rate")
    if unit.per[0][1].kind != "area" or len(unit.per) > 2 or (
        len(unit.per) == 2 and unit.per[1][1].kind not in ("time", "doses")
    ):
        raise inputs.needs("dose_rate", "an amount per m²")
    steps: list[str] = []
    m2 = in_unit(inputs, bsa, unit_of("m2"), "bsa", steps)
    if m2 > 4:
        raise CalcError("BSA above 4 m² is not a real body surface area; check the value", "bsa")
    count = unit.per[0][0] * (unit.per[1][0] if len(unit.per) == 2 else ONE)
    dose = m2 * rate.value / count
    top = Unit(unit.top)
    answer_unit = top.text + (f"/{unit.per[1][1].symbol}" if len(unit.per) == 2 and unit.per[1][1].kind == "time" else "")
    steps.append(f"Dose = BSA × dose per m² = {show(m2)} m² × {rate.text} = {show(dose)} {answer_unit}.")
    return inputs.answer(dose, answer_unit, AMOUNT, steps, subject="bsa")


# ---------------------------------------------------------------------------------------
# Children's dose rules (used when no pediatric dose is published)


def adult_dose(inputs: Inputs) -> Quantity:
    """The adult dose a children's rule scales."""
    found = inputs.amount("adult_dose", what=DRUG)
    if found.kind not in (*DRUG_KINDS, "volume") or found.unit.per:
        raise inputs.wrong_kind("adult_dose", found, DRUG)
    return found


@family(
    "clarks_rule",
    "Clark's rule",
    "A child's dose from the adult dose and the child's weight in pounds.",
    AMOUNT,
    [
        p("weight", "Child's weight", "30 lb", "in lb (a plain number is read as lb; kg is converted)"),
        p("adult_dose", "Adult dose", "250 mg", "the usual adult dose, such as 250 mg"),
    ],
)
def clarks_rule(inputs: Inputs) -> Result:
    """A child's dose by Clark's rule (weight in lb ÷ 150)."""
    steps: list[str] = []
    found = inputs.amount("weight", ("mass",), "a weight in lb", bare="lb")
    pounds = in_unit(inputs, found, unit_of("lb"), "weight", steps)
    if pounds >= 150:
        raise CalcError(
            "Clark's rule is for children under 150 lb; at 150 lb or more the adult dose applies",
            "weight",
        )
    adult = adult_dose(inputs)
    dose = pounds / 150 * adult.value
    steps.append(
        f"Child's dose = weight (lb) ÷ 150 × adult dose = {show(pounds)} ÷ 150 × {adult.text} "
        f"= {show(dose)} {adult.unit.text}."
    )
    return inputs.answer(dose, adult.unit.text, AMOUNT, steps, subject="weight")


def _age(inputs: Inputs, unit: str) -> tuple[Decimal, list[str]]:
    steps: list[str] = []
    found = inputs.amount("age", ("time",), f"an age in {unit}", bare=unit)
    return in_unit(inputs, found, unit_of(unit), "age", steps), steps


@family(
    "youngs_rule",
    "Young's rule",
    "A child's dose (ages 1 to 12) from the adult dose and the child's age in years.",
    AMOUNT,
    [
        p("age", "Child's age", "6", "in years, such as 6 or 6 years"),
        p("adult_dose", "Adult dose", "250 mg", "the usual adult dose, such as 250 mg"),
    ],
)
def youngs_rule(inputs: Inputs) -> Result:
    """A child's dose by Young's rule (age ÷ (age + 12))."""
    years, steps = _age(inputs, "years")
    if years < 1:
        raise CalcError("Young's rule is for children of 1 to 12 years; for infants use Fried's rule", "age")
    if years > 12:
        raise CalcError("Young's rule is for children of 1 to 12 years", "age")
    adult = adult_dose(inputs)
    dose = years / (years + 12) * adult.value
    steps.append(
        f"Child's dose = age ÷ (age + 12) × adult dose = {show(years)} ÷ ({show(years)} + 12) × "
        f"{adult.text} = {show(dose)} {adult.unit.text}."
    )
    return inputs.answer(dose, adult.unit.text, AMOUNT, steps, subject="age")


@family(
    "frieds_rule",
    "Fried's rule",
    "An infant's dose (under 2 years) from the adult dose and the age in months.",
    AMOUNT,
    [
        p("age", "Infant's age", "10 months", "in months, such as 10 or 10 months"),
        p("adult_dose", "Adult dose", "250 mg", "the usual adult dose, such as 250 mg"),
    ],
)
def frieds_rule(inputs: Inputs) -> Result:
    """An infant's dose by Fried's rule (age in months ÷ 150)."""
    months, steps = _age(inputs, "months")
    if months > 24:
        raise CalcError("Fried's rule is for infants under 2 years (24 months); use Young's rule", "age")
    adult = adult_dose(inputs)
    dose = months / 150 * adult.value
    steps.append(
        f"Infant's dose = age (months) ÷ 150 × adult dose = {show(months)} ÷ 150 × {adult.text} "
        f"= {show(dose)} {adult.unit.text}."
    )
    return inputs.answer(dose, adult.unit.text, AMOUNT, steps, subject="age")
