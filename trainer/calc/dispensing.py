"""Dispensing: days supply and the quantity to dispense."""

from __future__ import annotations

from decimal import Decimal

from trainer.calc.core import COUNT_KINDS, DRUG_KINDS, Inputs, Result, family, p
from trainer.calc.dosing import in_unit, per_ml
from trainer.calc.errors import CalcError
from trainer.calc.numbers import AMOUNT, DAYS_DOWN, UP_TO_WHOLE, format_number, show
from trainer.calc.units import NUMBER, Quantity, show_quantity, unit_of

DROPS_NOTE = (
    "1 mL = 20 gtt (the usual assumption for eye and ear drops when the package does not say; "
    "payers may set their own)"
)
INSULIN_NOTE = (
    "Check the labeling's in-use (discard) period for an opened vial or pen, often 28 days: "
    "the days supply may have to be limited to it."
)


def _counts(inputs: Inputs, first: Quantity, second: Quantity) -> tuple[Quantity, Quantity]:
    """Give a plain-number count the form of the other amount ("30" with "1 tab")."""
    if first.unit is NUMBER and second.unit is not NUMBER and second.kind in COUNT_KINDS:
        first = Quantity(first.value, second.unit)
    if second.unit is NUMBER and first.unit is not NUMBER and first.kind in COUNT_KINDS:
        second = Quantity(second.value, first.unit)
    return first, second


def _drops_per_ml(inputs: Inputs, steps: list[str]) -> Decimal:
    if not inputs.given("drops_per_ml"):
        inputs.notes.append(DROPS_NOTE)
        return Decimal(20)
    found = inputs.amount("drops_per_ml", ("drops/volume",), "drops per mL", bare="gtt/mL")
    return in_unit(inputs, found, unit_of("gtt/mL"), "drops_per_ml", steps)


def _note_unused(inputs: Inputs, used: set[str], why: dict[str, str], steps: list[str]) -> None:
    # An optional field left filled in on a form is harmless here, but the learner should know.
    for name, reason in why.items():
        if name not in used and inputs.given(name):
            steps.append(f"Not used: {inputs.name(name)} {reason}.")


_UNUSED = {
    "drops_per_ml": "is only used when the dose is in drops (gtt) and the quantity in mL",
    "concentration": "is only used when the dose is in units or mg and the quantity in mL",
    "priming": "is only used for insulin pens, when the dose is in units",
}


@family(
    "days_supply",
    "Days supply",
    "How many whole days a quantity lasts: tablets, liquids, eye and ear drops, insulin, inhalers.",
    DAYS_DOWN,
    [
        p("quantity", "Quantity dispensed", "30 tab", "such as 30 tab, 240 mL, 5 mL of drops, 15 mL of insulin or 200 puffs"),
        p("dose", "Each dose", "1 tab", "such as 1 tab, 5 mL, 2 gtt, 20 units or 2 puffs"),
        p("per_day", "Doses a day", "2", "a number, or bid, tid, qid, q6h, daily"),
        p("drops_per_ml", "Drops per mL", "20 gtt/mL", "for drops: 20 gtt/mL unless the package says otherwise", False),
        p("concentration", "Concentration", "100 units/mL", "for insulin (U-100 = 100 units/mL) or mg in a liquid", False),
        p("priming", "Priming per injection", "2 units", "insulin pens: units used to prime before each injection", False),
    ],
    [
        ("quantity", "dose", "per_day"),
        {"quantity": "15 mL", "dose": "20 units", "per_day": "2", "concentration": "100 units/mL", "priming": "2 units"},
        {"quantity": "5 mL", "dose": "2 gtt", "per_day": "2", "drops_per_ml": "20 gtt/mL"},
    ],
)
def days_supply(inputs: Inputs) -> Result:
    """Whole days a quantity lasts at a dose and frequency."""
    quantity = inputs.amount("quantity", what="the quantity dispensed")
    dose = inputs.amount("dose", what="the amount of one dose")
    quantity, dose = _counts(inputs, quantity, dose)
    per_day = inputs.frequency("per_day")
    steps: list[str] = []
    used: set[str] = set()
    total, each, unit = _supply(inputs, quantity, dose, steps, used)
    _note_unused(inputs, used, _UNUSED, steps)
    daily = each * per_day
    steps.append(
        f"Used each day = {show_quantity(each, unit)} × {format_number(per_day)} = {show_quantity(daily, unit)}."
    )
    days = total / daily
    steps.append(
        f"Days supply = {show_quantity(total, unit)} ÷ {show_quantity(daily, unit)} a day = {show(days)} days."
    )
    if days < 1:
        raise CalcError("quantity is less than one day's supply at this dose", "quantity")
    if "concentration" in used and dose.kind == "units":
        steps.append(INSULIN_NOTE)
    return inputs.answer(days, "days", DAYS_DOWN, steps, subject="quantity")


def _supply(
    inputs: Inputs, quantity: Quantity, dose: Quantity, steps: list[str], used: set[str]
) -> tuple[Decimal, Decimal, str]:
    """(total in the package, amount used per dose, the unit both are counted in)."""
    if quantity.unit is NUMBER and dose.unit is NUMBER:
        steps.append("Quantity and dose are counts of the same dosage unit.")
        return quantity.value, dose.value, "doses"
    if dose.unit is NUMBER:
        raise inputs.wrong_kind("dose", dose, "the amount of one dose")
    if quantity.unit is NUMBER:
        raise inputs.wrong_kind("quantity", quantity, "the quantity dispensed")
    kind = dose.kind
    if kind in COUNT_KINDS:
        if quantity.kind != kind:
            raise CalcError(f"quantity must be counted in {dose.unit.text} like the dose", "quantity")
        return quantity.value, dose.value, dose.unit.text
    if kind == "volume":
        if quantity.kind != "volume":
            raise CalcError("quantity must be a volume (such as 240 mL) when the dose is a volume", "quantity")
        total = in_unit(inputs, quantity, unit_of("mL"), "quantity", steps)
        each = in_unit(inputs, dose, unit_of("mL"), "dose", steps)
        return total, each, "mL"
    if kind == "drops":
        each = inputs.to(dose, unit_of("gtt"), "dose")
        if quantity.kind == "drops":
            return inputs.to(quantity, unit_of("gtt"), "quantity"), each, "gtt"
        if quantity.kind != "volume":
            raise CalcError("quantity must be a volume (such as 5 mL) when the dose is in drops", "quantity")
        used.add("drops_per_ml")
        ml = in_unit(inputs, quantity, unit_of("mL"), "quantity", steps)
        per_ml_drops = _drops_per_ml(inputs, steps)
        total = ml * per_ml_drops
        steps.append(f"Drops in the package = {show(ml)} mL × {show(per_ml_drops)} gtt/mL = {show(total)} gtt.")
        return total, each, "gtt"
    if kind in DRUG_KINDS:
        top = dose.unit
        each = dose.value
        if inputs.given("priming"):
            if kind != "units":
                raise CalcError("priming is only used for insulin pens, when the dose is in units", "priming")
            used.add("priming")
            prime = inputs.amount("priming", ("units",), "units per injection", allow_zero=True, bare="units")
            prime_units = inputs.to(prime, top, "priming")
            each = dose.value + prime_units
            steps.append(
                f"Each injection uses the dose plus the priming: {dose.text} + {prime.text} = {show(each)} {top.text}."
            )
        if quantity.kind == kind:
            return inputs.to(quantity, top, "quantity"), each, top.text
        if quantity.kind != "volume":
            raise CalcError(
                f"quantity must be in {top.text}, or a volume with a concentration", "quantity"
            )
        if not inputs.given("concentration"):
            raise CalcError(
                f"concentration is required to turn the quantity into {top.text}, such as "
                f"{'100 units/mL' if kind == 'units' else '250 mg/5 mL'}",
                "concentration",
            )
        used.add("concentration")
        amount_per_ml, conc_top, how = per_ml(inputs, "concentration", kind, top)
        ml = in_unit(inputs, quantity, unit_of("mL"), "quantity", steps)
        steps.append(f"Concentration: {how}.")
        total = ml * amount_per_ml
        steps.append(f"Total in the package = {show(ml)} mL × {show(amount_per_ml)} {conc_top.text}/mL = {show(total)} {conc_top.text}.")
        each = inputs.to(Quantity(each, top), conc_top, "dose")
        return total, each, conc_top.text
    raise inputs.wrong_kind("dose", dose, "the amount of one dose in tablets, capsules, mL, gtt, puffs or units")


@family(
    "quantity_to_dispense",
    "Quantity to dispense",
    "How much to dispense for a number of days.",
    UP_TO_WHOLE,
    [
        p("dose", "Each dose", "1 tab", "such as 1 tab, 5 mL, 2 gtt or 20 units"),
        p("per_day", "Doses a day", "3", "a number, or bid, tid, qid, q6h, daily"),
        p("days", "Days", "10", "the days supply, such as 10 or 2 weeks"),
        p("drops_per_ml", "Drops per mL", "20 gtt/mL", "for drops: 20 gtt/mL unless the package says otherwise", False),
        p("concentration", "Concentration", "100 units/mL", "for insulin or mg in a liquid, to get mL", False),
    ],
    [
        ("dose", "per_day", "days"),
        {"dose": "20 units", "per_day": "2", "days": "30", "concentration": "100 units/mL"},
        {"dose": "1 gtt", "per_day": "4", "days": "30", "drops_per_ml": "20 gtt/mL"},
    ],
)
def quantity_to_dispense(inputs: Inputs) -> Result:
    """The quantity that lasts a number of days."""
    dose = inputs.amount("dose", what="the amount of one dose")
    per_day = inputs.frequency("per_day")
    days_found = inputs.amount("days", ("time",), "a number of days", bare="days")
    if days_found.unit.top.name in ("month", "year"):
        raise CalcError("days must be given in days or weeks, such as 30 (a month is not a fixed number of days)", "days")
    steps: list[str] = []
    days = inputs.to(days_found, unit_of("days"), "days")
    if days_found.unit.top.name != "day":
        steps.append(f"{days_found.text} = {show(days)} days.")
    doses = per_day * days
    steps.append(f"Doses needed = {format_number(per_day)} a day × {show(days)} days = {show(doses)} doses.")
    used: set[str] = set()
    extra: dict[str, Result] = {}
    kind = dose.kind
    if dose.unit is NUMBER or kind in COUNT_KINDS:
        total, unit = dose.value * doses, dose.unit.text
        steps.append(f"Quantity = {dose.text} × {show(doses)} = {show(total)}{' ' + unit if unit else ''}.")
    elif kind == "volume":
        each = in_unit(inputs, dose, unit_of("mL"), "dose", steps)
        total, unit = each * doses, "mL"
        steps.append(f"Quantity = {show(each)} mL × {show(doses)} = {show(total)} mL.")
    elif kind == "drops":
        used.add("drops_per_ml")
        drops = inputs.to(dose, unit_of("gtt"), "dose") * doses
        per_ml_drops = _drops_per_ml(inputs, steps)
        total, unit = drops / per_ml_drops, "mL"
        steps.append(f"Drops needed = {dose.text} × {show(doses)} = {show(drops)} gtt.")
        steps.append(f"Volume = {show(drops)} gtt ÷ {show(per_ml_drops)} gtt/mL = {show(total)} mL.")
        extra["drops"] = inputs.other_answer(drops, "gtt", UP_TO_WHOLE, "Drops needed")
    elif kind in DRUG_KINDS:
        top = dose.unit
        drug_total = dose.value * doses
        steps.append(f"Total drug = {dose.text} × {show(doses)} = {show(drug_total)} {top.text}.")
        if not inputs.given("concentration"):
            if kind != "units":
                raise CalcError(
                    "dose needs to be what is dispensed (such as 1 tab or 5 mL), or give the concentration to work out mL",
                    "dose",
                )
            total, unit = drug_total, top.text
        else:
            used.add("concentration")
            amount_per_ml, conc_top, how = per_ml(inputs, "concentration", kind, top)
            in_conc = inputs.to(Quantity(drug_total, top), conc_top, "dose")
            total, unit = in_conc / amount_per_ml, "mL"
            steps.append(f"Concentration: {how}.")
            steps.append(f"Volume = {show(in_conc)} {conc_top.text} ÷ {show(amount_per_ml)} {conc_top.text}/mL = {show(total)} mL.")
            extra["total_dose"] = inputs.other_answer(drug_total, top.text, AMOUNT, "Total drug")
    else:
        raise inputs.wrong_kind("dose", dose, "the amount of one dose in tablets, capsules, mL, gtt, puffs or units")
    _note_unused(inputs, used, {k: v for k, v in _UNUSED.items() if k != "priming"}, steps)
    return inputs.answer(total, unit, UP_TO_WHOLE, steps, extra=extra, subject="dose")

