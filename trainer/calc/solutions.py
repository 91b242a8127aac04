"""Strengths and compounding: percent and ratio strength, dilution, alligation,
reconstitution, scaling a formula, specific gravity and milliequivalents."""

from __future__ import annotations

from decimal import Decimal

from trainer.calc.core import DRUG_KINDS, FIELD_NAMES, Inputs, Result, family, p, ratio_text
from trainer.calc.dosing import drug_amount, in_unit
from trainer.calc.errors import CalcError
from trainer.calc.numbers import (
    AMOUNT,
    EXACT,
    HUNDRED,
    HUNDREDTHS,
    VOLUME,
    WHOLE,
    Rounding,
    format_number,
    show,
)
from trainer.calc.units import DEFAULT_CONVENTIONS, PERCENT, Quantity, Unit, show_quantity, unit_of

MEASURE = Rounding(
    "Volumes of 1 mL or more to tenths of a mL, under 1 mL to hundredths; other amounts to "
    "tenths (3 significant figures when under 1).",
    VOLUME.apply,
)
STRENGTH = "a strength (a percent, a ratio such as 1:1000, or an amount per mL)"


def measuring_unit(unit: Unit) -> Unit:
    """The unit an amount is measured out in: mL for a volume, g for a weight above a gram.

    The rounding rules work in tenths of a mL or gram; in the unit as given, 1.474 L of a
    2 L alligation would round to 1.5 L, 26 mL too much. Lighter weights (mg, mcg) stay.
    """
    if unit.kind == "volume":
        return unit_of("mL")
    gram = unit_of("g")  # looked up here, not at import: Pint loads on the first calculation
    if unit.kind == "mass" and unit.factor(DEFAULT_CONVENTIONS) > gram.factor(DEFAULT_CONVENTIONS):
        return gram
    if unit.kind == "mass" and unit.top.system != "metric":
        return unit_of("mg")  # grains
    return unit


def strength(inputs: Inputs, name: str, *, allow_zero: bool = False) -> Quantity:
    """A strength: a percent, a ratio strength or an amount per volume or weight."""
    found = inputs.amount(name, what=STRENGTH, allow_zero=allow_zero, bare="%")
    if found.kind == "percent":
        return found
    unit = found.unit
    if (
        unit.top is None
        or len(unit.per) != 1
        or unit.top.kind not in (*DRUG_KINDS, "volume")
        or unit.per[0][1].kind not in ("volume", "mass")
    ):
        raise inputs.wrong_kind(name, found, STRENGTH)
    return found


def strengths_in(
    inputs: Inputs, names: tuple[str, ...], found: dict[str, Quantity]
) -> tuple[dict[str, Decimal], Unit]:
    """The given strengths in one unit, that of the first one given."""
    bases = sorted({found[name].unit.basis for name in names if found[name].unit.basis})
    if len(bases) > 1:
        raise CalcError(f"the strengths mix {' and '.join(bases)}; use one kind of percent", names[-1])
    first = found[names[0]].unit
    reference = PERCENT if first.special == "%" else first
    return {name: inputs.to(found[name], reference, name) for name in names}, reference


def _check_basis(strengths: dict[str, Quantity], amounts: dict[str, Quantity]) -> None:
    """Volumes for w/v, v/v and per-mL strengths; weights for w/w and per-gram ones."""
    needed = None
    for found in strengths.values():
        if found.unit.special == "%":
            needed = needed or {"w/v": "volume", "v/v": "volume", "w/w": "mass"}.get(found.unit.basis)
        else:
            needed = needed or found.unit.per[0][1].kind
    for name, amount in amounts.items():
        if needed and amount.kind != needed:
            what = "a volume" if needed == "volume" else "a weight"
            raise CalcError(f"{FIELD_NAMES.get(name, name)} must be {what} for the strengths given", name)


# ---------------------------------------------------------------------------------------


@family(
    "percent_strength",
    "Percent strength",
    "The percent strength of a preparation from the amount of ingredient and the total.",
    AMOUNT,
    [
        p("amount", "Ingredient", "5 g", "the active ingredient, such as 5 g or 10 mL"),
        p("total", "Total preparation", "250 mL", "the whole preparation, such as 250 mL or 100 g"),
    ],
)
def percent_strength(inputs: Inputs) -> Result:
    """Percent strength (w/v, w/w or v/v) from ingredient and total."""
    amount = inputs.amount("amount", ("mass", "volume"), "a weight or volume of ingredient")
    total = inputs.amount("total", ("mass", "volume"), "a total weight or volume")
    basis = {("mass", "volume"): "w/v", ("mass", "mass"): "w/w", ("volume", "volume"): "v/v"}.get(
        (amount.kind, total.kind)
    )
    if basis is None:
        raise CalcError(
            "amount is a volume but the total is a weight; percent strength is w/v (g in mL), "
            "w/w (g in g) or v/v (mL in mL)",
            "amount",
        )
    top, per = {"w/v": ("g", "mL"), "w/w": ("g", "g"), "v/v": ("mL", "mL")}[basis]
    steps = [f"{basis}: {top} of ingredient in every 100 {per} of the preparation."]
    part = in_unit(inputs, amount, unit_of(top), "amount", steps)
    whole = in_unit(inputs, total, unit_of(per), "total", steps)
    if basis != "w/v" and part > whole:
        raise CalcError("amount cannot be more than the total", "amount")
    percent = part / whole * HUNDRED
    steps.append(
        f"Percent = {show(part)} {top} ÷ {show(whole)} {per} × 100 = {show(percent)}% {basis}."
    )
    return inputs.answer(
        percent, "%", AMOUNT, steps, write=lambda v: f"{format_number(v)}% {basis}", subject="amount"
    )


def _basis_for(inputs: Inputs, found: Quantity, total: Quantity, steps: list[str]) -> str:
    basis = found.unit.basis
    if not basis:
        basis = "w/v" if total.kind == "volume" else "w/w"
        steps.append(
            f"The total is a {'volume' if basis == 'w/v' else 'weight'}, so the percent is read as "
            f"{basis} ({'g per 100 mL' if basis == 'w/v' else 'g per 100 g'}); write % v/v for a liquid in a liquid."
        )
    needed = "volume" if basis in ("w/v", "v/v") else "mass"
    if total.kind != needed:
        raise CalcError(
            f"total must be a {'volume' if needed == 'volume' else 'weight'} for a {basis} percent",
            "total",
        )
    return basis


@family(
    "percent_amount",
    "Amount in a percent preparation",
    "How much active ingredient a percent-strength preparation holds.",
    AMOUNT,
    [
        p("percent", "Percent strength", "0.9%", "such as 0.9%, 2% w/w, 70% v/v or 1:1000"),
        p("total", "Total preparation", "1000 mL", "the whole preparation, such as 1000 mL or 30 g"),
    ],
)
def percent_amount(inputs: Inputs) -> Result:
    """The amount of ingredient in a percent preparation."""
    found = inputs.amount("percent", ("percent",), "a percent", bare="%")
    total = inputs.amount("total", ("mass", "volume"), "a total weight or volume")
    steps: list[str] = []
    basis = _basis_for(inputs, found, total, steps)
    if basis != "w/v" and found.value > 100:
        raise CalcError(f"percent cannot be more than 100% for a {basis} strength", "percent")
    top, per = {"w/v": ("g", "mL"), "w/w": ("g", "g"), "v/v": ("mL", "mL")}[basis]
    whole = in_unit(inputs, total, unit_of(per), "total", steps)
    amount = found.value / HUNDRED * whole
    if found.written:
        steps.append(f"{found.written} = {show(found.value)}%.")
    steps.append(
        f"Amount = percent ÷ 100 × total = {show(found.value)}% ÷ 100 × {show(whole)} {per} = {show(amount)} {top}."
    )
    return inputs.answer(amount, top, AMOUNT, steps, subject="percent")


def _ratio_parts(found: Quantity) -> tuple[Decimal, Decimal]:
    left, right = found.written.split(":")
    return Decimal(left.replace(",", "")), Decimal(right.replace(",", ""))


@family(
    "ratio_to_percent",
    "Ratio strength to percent",
    "Write a ratio strength such as 1:1000 as a percent.",
    AMOUNT,
    [p("ratio", "Ratio strength", "1:1000", "such as 1:1000 or 1:10,000")],
)
def ratio_to_percent(inputs: Inputs) -> Result:
    """A ratio strength as a percent."""
    found = inputs.amount("ratio", ("percent",), "a ratio strength")
    if not found.written:
        raise inputs.needs("ratio", "a ratio strength written 1:x")
    part, whole = _ratio_parts(found)
    steps = [
        f"{found.written} means {format_number(part)} part in {format_number(whole)} parts "
        f"({format_number(part)} g in {format_number(whole)} mL when w/v).",
        f"Percent = {format_number(part)} ÷ {format_number(whole)} × 100 = {show(found.value)}%.",
    ]
    extra = {}
    if found.unit.basis in ("", "w/v"):
        extra["mg_per_ml"] = inputs.other_answer(
            found.value * 10, "mg/mL", AMOUNT, f"As w/v, {show(found.value)}% = {show(found.value)} g per 100 mL"
        )
    return inputs.answer(found.value, "%", AMOUNT, steps, extra=extra, subject="ratio")


@family(
    "percent_to_ratio",
    "Percent to ratio strength",
    "Write a percent strength as a ratio strength 1:x.",
    WHOLE,
    [p("percent", "Percent strength", "0.1%", "such as 0.1% or 0.02")],
)
def percent_to_ratio(inputs: Inputs) -> Result:
    """A percent strength as a ratio strength 1:x."""
    found = inputs.amount("percent", ("percent",), "a percent", bare="%")
    if found.value > 100:
        raise CalcError("percent cannot be more than 100% for a ratio strength", "percent")
    x = HUNDRED / found.value
    steps = [f"1:x with x = 100 ÷ percent = 100 ÷ {show(found.value)} = {show(x)}."]
    return inputs.answer(x, "", WHOLE, steps, write=ratio_text, subject="percent")


# ---------------------------------------------------------------------------------------


@family(
    "dilution",
    "Dilution (C1 × V1 = C2 × V2)",
    "Give any three of the stock strength and volume and the final strength and volume; get the fourth.",
    MEASURE,
    [
        p("c1", "Stock strength (C1)", "10%", "the strength you have, such as 10% or 50 mg/mL", False),
        p("v1", "Stock volume (V1)", "50 mL", "the volume of stock used, such as 50 mL", False),
        p("c2", "Final strength (C2)", "2%", "the strength wanted, such as 2%", False),
        p("v2", "Final volume (V2)", "250 mL", "the volume to make, such as 250 mL", False),
    ],
    [("c1", "v1", "c2"), ("c1", "c2", "v2"), ("c1", "v1", "v2"), ("v1", "c2", "v2")],
)
def dilution(inputs: Inputs) -> Result:
    """The missing one of C1, V1, C2 and V2."""
    given = inputs.exactly(3, ("c1", "v1", "c2", "v2"))
    strengths = {n: strength(inputs, n) for n in ("c1", "c2") if n in given}
    volumes = {
        n: inputs.amount(n, ("volume", "mass"), "a volume (or a weight, for w/w)") for n in ("v1", "v2") if n in given
    }
    c, c_unit = strengths_in(inputs, tuple(strengths), strengths)
    _check_basis(strengths, volumes)
    first_volume = next(iter(volumes.values()))
    v_unit = measuring_unit(first_volume.unit)
    steps: list[str] = []
    v = {n: in_unit(inputs, q, v_unit, n, steps) for n, q in volumes.items()}
    steps.append("C1 × V1 = C2 × V2")

    def cs(name: str) -> str:
        """A strength for the steps."""
        return show_quantity(c[name], c_unit)

    def vs(name: str) -> str:
        """A volume for the steps."""
        return show_quantity(v[name], v_unit)

    extra: dict[str, Result] = {}
    if "v2" not in given:
        if c["c2"] > c["c1"]:
            raise CalcError("C2 must be weaker than C1: a dilution cannot make a stronger solution", "c2")
        v["v2"] = c["c1"] * v["v1"] / c["c2"]
        steps.append(f"V2 = C1 × V1 ÷ C2 = {cs('c1')} × {vs('v1')} ÷ {cs('c2')} = {show_quantity(v['v2'], v_unit)}.")
        answer, unit, missing = v["v2"], v_unit.text, "v2"
    elif "v1" not in given:
        if c["c2"] > c["c1"]:
            raise CalcError("C2 must be weaker than C1: a dilution cannot make a stronger solution", "c2")
        v["v1"] = c["c2"] * v["v2"] / c["c1"]
        steps.append(f"V1 = C2 × V2 ÷ C1 = {cs('c2')} × {vs('v2')} ÷ {cs('c1')} = {show_quantity(v['v1'], v_unit)}.")
        answer, unit, missing = v["v1"], v_unit.text, "v1"
    elif "c2" not in given:
        if v["v1"] > v["v2"]:
            raise CalcError("V2 must be at least V1: diluting adds volume", "v2")
        c["c2"] = c["c1"] * v["v1"] / v["v2"]
        steps.append(f"C2 = C1 × V1 ÷ V2 = {cs('c1')} × {vs('v1')} ÷ {vs('v2')} = {show_quantity(c['c2'], c_unit)}.")
        answer, unit, missing = c["c2"], c_unit.text, "c2"
    else:
        if v["v1"] > v["v2"]:
            raise CalcError("V2 must be at least V1: diluting adds volume", "v2")
        c["c1"] = c["c2"] * v["v2"] / v["v1"]
        steps.append(f"C1 = C2 × V2 ÷ V1 = {cs('c2')} × {vs('v2')} ÷ {vs('v1')} = {show_quantity(c['c1'], c_unit)}.")
        answer, unit, missing = c["c1"], c_unit.text, "c1"
    if missing in ("v1", "v2"):
        diluent = v["v2"] - v["v1"]
        extra["diluent"] = inputs.other_answer(
            diluent,
            v_unit.text,
            MEASURE,
            f"Diluent to add = V2 − V1 = {show_quantity(v['v2'], v_unit)} − {show_quantity(v['v1'], v_unit)}",
        )
        steps.append(f"Diluent to add = V2 − V1 = {show_quantity(diluent, v_unit)}.")
    return inputs.answer(answer, unit, MEASURE, steps, extra=extra, subject=missing)


@family(
    "alligation",
    "Alligation",
    "How much of a higher and a lower strength to mix to make a strength in between.",
    MEASURE,
    [
        p("high", "Higher strength", "70%", "the stronger stock, such as 70% or 2.5%"),
        p("low", "Lower strength", "10%", "the weaker stock, such as 10%, or 0% for a diluent"),
        p("target", "Strength wanted", "40%", "between the two, such as 40%"),
        p("total", "Total to make", "300 mL", "the amount to prepare, such as 300 mL or 30 g"),
    ],
)
def alligation(inputs: Inputs) -> Result:
    """Amounts of a higher and a lower strength that make a strength between them."""
    found = {
        "high": strength(inputs, "high"),
        "low": strength(inputs, "low", allow_zero=True),
        "target": strength(inputs, "target"),
    }
    s, unit = strengths_in(inputs, ("high", "low", "target"), found)
    total = inputs.amount("total", ("volume", "mass"), "an amount to prepare (a volume or a weight)")
    _check_basis(found, {"total": total})
    if not s["low"] < s["high"]:
        raise CalcError("high must be stronger than low", "high")
    if not s["low"] < s["target"] < s["high"]:
        raise CalcError("target must be between the low and high strengths", "target")
    high_parts = s["target"] - s["low"]
    low_parts = s["high"] - s["target"]
    parts = high_parts + low_parts
    steps: list[str] = []
    t_unit = measuring_unit(total.unit)
    whole = in_unit(inputs, total, t_unit, "total", steps)
    high_amount = whole * high_parts / parts
    low_amount = whole * low_parts / parts
    t = t_unit.text
    whole_text = show_quantity(whole, t_unit)
    steps += [
        f"Parts of the higher strength = wanted − lower = {show(s['target'])} − {show(s['low'])} = {show_quantity(high_parts, 'parts')}.",
        f"Parts of the lower strength = higher − wanted = {show(s['high'])} − {show(s['target'])} = {show_quantity(low_parts, 'parts')}.",
        f"Total parts = {show(high_parts)} + {show(low_parts)} = {show(parts)}.",
        f"Higher strength: {show(high_parts)}/{show(parts)} × {whole_text} = {show(high_amount)} {t}.",
        f"Lower strength: {show(low_parts)}/{show(parts)} × {whole_text} = {show(low_amount)} {t}.",
    ]
    if unit.special != "%":
        steps.insert(0, f"Strengths compared in {unit.text}.")
    extra = {
        "low_amount": inputs.other_answer(low_amount, t, MEASURE, "Amount of the lower strength"),
        "high_parts": inputs.other_answer(high_parts, "parts", EXACT, "Parts of the higher strength"),
        "low_parts": inputs.other_answer(low_parts, "parts", EXACT, "Parts of the lower strength"),
    }
    return inputs.answer(high_amount, t, MEASURE, steps, extra=extra, subject="total")


@family(
    "reconstitution",
    "Reconstitution",
    "The concentration of a powder once the diluent is added, allowing for the powder's volume.",
    AMOUNT,
    [
        p("drug_amount", "Drug in the vial", "1 g", "such as 1 g or 5,000,000 units"),
        p("diluent_volume", "Diluent added", "9.6 mL", "such as 9.6 mL"),
        p("powder_volume", "Powder volume", "0.4 mL", "the volume the powder adds, such as 0.4 mL", False),
        p("final_volume", "Final volume", "10 mL", "or the final volume from the label, such as 10 mL", False),
    ],
    [("drug_amount", "diluent_volume", "powder_volume"), ("drug_amount", "diluent_volume", "final_volume")],
)
def reconstitution(inputs: Inputs) -> Result:
    """Concentration of a reconstituted powder."""
    drug = drug_amount(inputs, "drug_amount")
    diluent = inputs.amount("diluent_volume", ("volume",), "a volume")
    which = inputs.exactly(1, ("powder_volume", "final_volume"))[0]
    steps: list[str] = []
    diluent_ml = in_unit(inputs, diluent, unit_of("mL"), "diluent_volume", steps)
    extra: dict[str, Result] = {}
    if which == "powder_volume":
        powder = inputs.amount("powder_volume", ("volume",), "a volume", allow_zero=True)
        powder_ml = in_unit(inputs, powder, unit_of("mL"), "powder_volume", steps)
        final_ml = diluent_ml + powder_ml
        steps.append(
            f"Final volume = diluent + powder volume = {show(diluent_ml)} mL + {show(powder_ml)} mL = {show(final_ml)} mL."
        )
        extra["final_volume"] = inputs.other_answer(final_ml, "mL", VOLUME, "Final volume")
    else:
        final = inputs.amount("final_volume", ("volume",), "a volume")
        final_ml = in_unit(inputs, final, unit_of("mL"), "final_volume", steps)
        if final_ml < diluent_ml:
            raise CalcError("final volume cannot be less than the diluent added", "final_volume")
        powder_ml = final_ml - diluent_ml
        steps.append(
            f"Powder volume = final − diluent = {show(final_ml)} mL − {show(diluent_ml)} mL = {show(powder_ml)} mL."
        )
        extra["powder_volume"] = inputs.other_answer(powder_ml, "mL", VOLUME, "Powder volume")
    top = unit_of("mg") if drug.kind == "mass" else Unit(drug.unit.top)
    amount = in_unit(inputs, drug, top, "drug_amount", steps)
    concentration = amount / final_ml
    per = f"{top.text}/mL"
    steps.append(
        f"Concentration = drug ÷ final volume = {show(amount)} {top.text} ÷ {show(final_ml)} mL = {show(concentration)} {per}."
    )
    return inputs.answer(concentration, per, AMOUNT, steps, extra=extra, subject="drug_amount")


@family(
    "compound_scale",
    "Scaling a formula",
    "Scale one ingredient of a compounding formula to make a different total amount.",
    MEASURE,
    [
        p("amount", "Ingredient in the formula", "10 g", "the ingredient's amount in the formula"),
        p("from_total", "Formula total", "100 g", "the total the formula makes, such as 100 g"),
        p("to_total", "Total wanted", "30 g", "the total you need, such as 30 g"),
    ],
)
def compound_scale(inputs: Inputs) -> Result:
    """One ingredient of a formula scaled to a new total."""
    amount = inputs.amount(
        "amount", (*DRUG_KINDS, "volume", "tablets", "capsules", "drops"), "an ingredient amount"
    )
    source = inputs.amount("from_total", ("mass", "volume", "tablets", "capsules"), "a total weight or volume")
    target = inputs.amount("to_total", (source.kind,), f"a total of the same kind as the formula total ({source.unit.text})")
    steps: list[str] = []
    wanted = in_unit(inputs, target, source.unit, "to_total", steps)
    factor = wanted / source.value
    unit = measuring_unit(amount.unit)
    each = in_unit(inputs, amount, unit, "amount", steps)
    scaled = each * factor
    steps += [
        f"Factor = total wanted ÷ formula total = {show(wanted)} {source.unit.text} ÷ {source.text} = {show(factor)}.",
        f"Ingredient = {show_quantity(each, unit)} × {show(factor)} = {show(scaled)} {unit.text}.",
    ]
    return inputs.answer(scaled, unit.text, MEASURE, steps, subject="amount")


def _sg_rounding(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit == "":
        return HUNDREDTHS.apply(value, unit)
    return MEASURE.apply(value, unit)


SG_ROUNDING = Rounding(
    "Specific gravity to hundredths; weights to tenths of a gram; volumes of 1 mL or more to "
    "tenths, under 1 mL to hundredths.",
    _sg_rounding,
)


@family(
    "specific_gravity",
    "Specific gravity",
    "Give any two of weight, volume and specific gravity; get the third (water = 1).",
    SG_ROUNDING,
    [
        p("weight", "Weight", "126 g", "the weight in g, such as 126 g", False),
        p("volume", "Volume", "100 mL", "the volume in mL, such as 100 mL", False),
        p("sg", "Specific gravity", "1.26", "a plain number such as 1.26", False),
    ],
    [("weight", "volume"), ("volume", "sg"), ("weight", "sg")],
)
def specific_gravity(inputs: Inputs) -> Result:
    """The missing one of weight, volume and specific gravity."""
    given = inputs.exactly(2, ("weight", "volume", "sg"))
    steps = ["Specific gravity = weight (g) ÷ volume (mL) of the same substance."]
    grams = ml = sg = None
    if "weight" in given:
        grams = in_unit(inputs, inputs.amount("weight", ("mass",), "a weight"), unit_of("g"), "weight", steps)
    if "volume" in given:
        ml = in_unit(inputs, inputs.amount("volume", ("volume",), "a volume"), unit_of("mL"), "volume", steps)
    if "sg" in given:
        sg = inputs.number("sg", maximum=Decimal(25))
    if sg is None:
        sg = grams / ml
        steps.append(f"SG = {show(grams)} g ÷ {show(ml)} mL = {show(sg)}.")
        return inputs.answer(sg, "", SG_ROUNDING, steps, subject="weight")
    if grams is None:
        grams = sg * ml
        steps.append(f"Weight = SG × volume = {show(sg)} × {show(ml)} mL = {show(grams)} g.")
        return inputs.answer(grams, "g", SG_ROUNDING, steps, subject="volume")
    ml = grams / sg
    steps.append(f"Volume = weight ÷ SG = {show(grams)} g ÷ {show(sg)} = {show(ml)} mL.")
    return inputs.answer(ml, "mL", SG_ROUNDING, steps, subject="weight")


# ---------------------------------------------------------------------------------------

_MW_UNITS = ("g/mol", "mg/mmol")
_MW_HELP = "in g/mol, such as 74.5 for KCl"
_VALENCE_HELP = "the charge of the ion, such as 1 for K⁺ or 2 for Ca²⁺"


@family(
    "milliequivalents",
    "Milliequivalents",
    "Milliequivalents (mEq) in a weight of an electrolyte.",
    AMOUNT,
    [
        p("mass", "Weight of the salt", "1.5 g", "such as 1.5 g or 750 mg"),
        p("molecular_weight", "Molecular weight", "74.5", _MW_HELP),
        p("valence", "Valence", "1", _VALENCE_HELP),
    ],
)
def milliequivalents(inputs: Inputs) -> Result:
    """mEq in a weight of an electrolyte."""
    mass = inputs.amount("mass", ("mass",), "a weight")
    steps: list[str] = []
    mg = in_unit(inputs, mass, unit_of("mg"), "mass", steps)
    weight = inputs.number("molecular_weight", units=_MW_UNITS)
    valence = inputs.number("valence", integer=True, maximum=Decimal(7))
    meq = mg * valence / weight
    steps.append(
        f"mEq = mg × valence ÷ molecular weight = {show(mg)} mg × {format_number(valence)} ÷ "
        f"{format_number(weight)} = {show(meq)} mEq."
    )
    return inputs.answer(meq, "mEq", AMOUNT, steps, subject="mass")


@family(
    "meq_to_mass",
    "Milliequivalents to weight",
    "The weight of an electrolyte that supplies a number of milliequivalents.",
    AMOUNT,
    [
        p("meq", "Milliequivalents", "20 mEq", "such as 20 mEq"),
        p("molecular_weight", "Molecular weight", "74.5", _MW_HELP),
        p("valence", "Valence", "1", _VALENCE_HELP),
    ],
)
def meq_to_mass(inputs: Inputs) -> Result:
    """The weight of an electrolyte that gives a number of mEq."""
    meq_found = inputs.amount("meq", ("mEq",), "milliequivalents (mEq)", bare="mEq")
    steps: list[str] = []
    meq = in_unit(inputs, meq_found, unit_of("mEq"), "meq", steps)
    weight = inputs.number("molecular_weight", units=_MW_UNITS)
    valence = inputs.number("valence", integer=True, maximum=Decimal(7))
    mg = meq * weight / valence
    steps.append(
        f"mg = mEq × molecular weight ÷ valence = {show(meq)} × {format_number(weight)} ÷ "
        f"{format_number(valence)} = {show(mg)} mg."
    )
    return inputs.answer(mg, "mg", AMOUNT, steps, subject="meq")

