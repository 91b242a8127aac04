"""IV infusions: flow rates, drip rates, infusion time and volume infused."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from trainer.calc.core import DRUG_KINDS, Inputs, Result, family, p
from trainer.calc.dosing import in_unit, per_ml, weight_kg
from trainer.calc.errors import CalcError
from trainer.calc.numbers import (
    HUNDREDTHS,
    TENTHS,
    VOLUME,
    WHOLE,
    WHOLE_DROPS,
    Rounding,
    format_number,
    show,
)
from trainer.calc.units import Quantity, Unit, unit_of

RATE = Rounding("Flow rates to tenths of a mL/hr.", TENTHS.apply)


def _time(inputs: Inputs, name: str, unit: str, steps: list[str]) -> Decimal:
    found = inputs.amount(name, ("time",), "a time in min or hr")
    return in_unit(inputs, found, unit_of(unit), name, steps)


def _volume_ml(inputs: Inputs, name: str, steps: list[str]) -> Decimal:
    found = inputs.amount(name, ("volume",), "a volume")
    return in_unit(inputs, found, unit_of("mL"), name, steps)


def _flow_rate(inputs: Inputs, name: str, steps: list[str]) -> Decimal:
    """A flow rate in mL/hr."""
    found = inputs.amount(name, ("volume/time",), "a flow rate in mL/hr")
    return in_unit(inputs, found, unit_of("mL/hr"), name, steps)


@family(
    "iv_rate",
    "IV flow rate",
    "The pump rate in mL/hr: from a volume and time, or from a dose rate and the bag's concentration.",
    RATE,
    [
        p("volume", "Volume", "1000 mL", "the volume to infuse, such as 1000 mL", False),
        p("time", "Time", "8 hr", "how long, such as 8 hr or 2 h 30 min", False),
        p(
            "dose_rate",
            "Dose rate",
            "5 mcg/kg/min",
            "such as 1000 units/hr, 2 mg/min or 5 mcg/kg/min",
            False,
        ),
        p("weight", "Patient weight", "70 kg", "needed when the dose rate is per kg", False),
        p(
            "concentration",
            "Bag concentration",
            "400 mg/250 mL",
            "the drug in the bag, such as 25,000 units/250 mL",
            False,
        ),
    ],
    [("volume", "time"), ("dose_rate", "weight", "concentration")],
)
def iv_rate(inputs: Inputs) -> Result:
    """Pump rate in mL/hr from volume and time, or from a dose rate and concentration."""
    by_volume = [n for n in ("volume", "time") if inputs.given(n)]
    by_dose = [n for n in ("dose_rate", "weight", "concentration") if inputs.given(n)]
    if by_volume and by_dose:
        raise CalcError(
            "give either volume and time, or dose rate and concentration, not both", by_dose[0]
        )
    if not by_volume and not by_dose:
        raise CalcError("give volume and time, or dose rate and concentration", "volume")
    if not by_dose:
        steps: list[str] = []
        ml = _volume_ml(inputs, "volume", steps)
        hours = _time(inputs, "time", "hr", steps)
        rate = ml / hours
        steps.append(f"Rate = volume ÷ time = {show(ml)} mL ÷ {show(hours)} hr = {show(rate)} mL/hr.")
        return inputs.answer(rate, "mL/hr", RATE, steps, subject="volume")
    return _rate_from_dose(inputs)


def _rate_from_dose(inputs: Inputs) -> Result:
    rate = inputs.amount("dose_rate", what="an amount of drug per unit of time")
    unit = rate.unit
    if (
        unit.top is None
        or unit.top.kind not in DRUG_KINDS
        or not unit.per
        or unit.per[-1][1].kind != "time"
        or len(unit.per) > 2
        or (len(unit.per) == 2 and unit.per[0][1].kind != "mass")
    ):
        raise inputs.wrong_kind("dose_rate", rate, "an amount of drug per time (per kg if by weight)")
    top = Unit(unit.top)
    per_time = unit.per[-1]
    steps: list[str] = []
    amount = rate.value / per_time[0]
    if len(unit.per) == 2:
        count, weight_word = unit.per[0]
        if not inputs.given("weight"):
            raise CalcError(
                f"weight is required because the dose rate is per {weight_word.symbol}, such as 70 kg",
                "weight",
            )
        weight = weight_kg(inputs, "weight", steps, weight_word.symbol)
        amount = amount * weight / count
        steps.append(
            f"Dose rate for this patient = {rate.text} × {show(weight)} {weight_word.symbol} = "
            f"{show(amount)} {top.text}/{per_time[1].symbol}."
        )
    elif inputs.given("weight"):
        raise CalcError("weight is only used when the dose rate is per kg", "weight")
    hour = unit_of("hr").top
    per_hour = amount * hour.factor / per_time[1].factor
    if per_time[1].name != "hour" or per_time[0] != 1:
        steps.append(f"Per hour: {show(amount)} {top.text}/{per_time[1].symbol} = {show(per_hour)} {top.text}/hr.")
    amount_per_ml, conc_top, how = per_ml(inputs, "concentration", top.top.kind, top)
    steps.insert(0, f"Concentration: {how}.")
    per_hour = in_unit(inputs, Quantity(per_hour, top), conc_top, "dose_rate", steps)
    ml_per_hr = per_hour / amount_per_ml
    steps.append(
        f"Rate = dose per hour ÷ concentration = {show(per_hour)} {conc_top.text}/hr ÷ "
        f"{show(amount_per_ml)} {conc_top.text}/mL = {show(ml_per_hr)} mL/hr."
    )
    return inputs.answer(ml_per_hr, "mL/hr", RATE, steps, subject="dose_rate")


@family(
    "drip_rate",
    "Drip rate",
    "Drops per minute for a gravity infusion, from the volume, time and the set's drop factor.",
    WHOLE_DROPS,
    [
        p("volume", "Volume", "1000 mL", "such as 1000 mL"),
        p("time", "Time", "8 hr", "such as 8 hr or 30 min"),
        p("drop_factor", "Drop factor", "15 gtt/mL", "from the tubing package: 10, 15, 20 or 60 gtt/mL"),
    ],
)
def drip_rate(inputs: Inputs) -> Result:
    """Drops per minute for a gravity infusion."""
    steps: list[str] = []
    ml = _volume_ml(inputs, "volume", steps)
    minutes = _time(inputs, "time", "min", steps)
    factor = inputs.amount("drop_factor", ("drops/volume",), "drops per mL", bare="gtt/mL")
    gtt_per_ml = in_unit(inputs, factor, unit_of("gtt/mL"), "drop_factor", steps)
    rate = ml * gtt_per_ml / minutes
    steps.append(
        f"Drip rate = volume × drop factor ÷ minutes = {show(ml)} mL × {show(gtt_per_ml)} gtt/mL ÷ "
        f"{show(minutes)} min = {show(rate)} gtt/min."
    )
    flow = inputs.other_answer(ml / minutes * 60, "mL/hr", RATE, "Flow rate = volume ÷ hours")
    return inputs.answer(rate, "gtt/min", WHOLE_DROPS, steps, extra={"ml_per_hr": flow}, subject="volume")


def hours_and_minutes(hours: Decimal) -> str:
    """A time in hours written as hours and whole minutes: 8 hr 20 min."""
    minutes = int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return f"{format_number(whole)} hr {rest} min"
    if whole:
        return f"{format_number(whole)} hr"
    return f"{rest} min"


@family(
    "infusion_time",
    "Infusion time",
    "How long an infusion lasts at a given flow rate.",
    Rounding("Hours to hundredths; the text also gives hours and whole minutes.", HUNDREDTHS.apply),
    [
        p("volume", "Volume", "1000 mL", "such as 1000 mL"),
        p("rate", "Flow rate", "120 mL/hr", "such as 120 mL/hr"),
    ],
)
def infusion_time(inputs: Inputs) -> Result:
    """How long an infusion lasts at a flow rate."""
    steps: list[str] = []
    ml = _volume_ml(inputs, "volume", steps)
    rate = _flow_rate(inputs, "rate", steps)
    hours = ml / rate
    split = hours_and_minutes(hours)
    also = "" if split == f"{show(hours)} hr" else f" ({split})"
    steps.append(f"Time = volume ÷ rate = {show(ml)} mL ÷ {show(rate)} mL/hr = {show(hours)} hr{also}.")
    minutes = inputs.other_answer(hours * 60, "min", WHOLE, "In minutes")

    def write(value: Decimal) -> str:
        """The hours, and hours and minutes when they differ."""
        text = f"{format_number(value)} hr"
        return text if split == text else f"{text} ({split})"

    return inputs.answer(
        hours, "hr", HUNDREDTHS, steps, extra={"minutes": minutes}, write=write, subject="volume"
    )


@family(
    "infused_volume",
    "Volume infused",
    "How much has been infused at a flow rate over a time.",
    VOLUME,
    [
        p("rate", "Flow rate", "125 mL/hr", "such as 125 mL/hr"),
        p("time", "Time", "6 hr", "such as 6 hr or 2 h 30 min"),
    ],
)
def infused_volume(inputs: Inputs) -> Result:
    """Volume infused at a flow rate over a time."""
    steps: list[str] = []
    rate = _flow_rate(inputs, "rate", steps)
    hours = _time(inputs, "time", "hr", steps)
    ml = rate * hours
    steps.append(f"Volume = rate × time = {show(rate)} mL/hr × {show(hours)} hr = {show(ml)} mL.")
    return inputs.answer(ml, "mL", VOLUME, steps, subject="rate")
