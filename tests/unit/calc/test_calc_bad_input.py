"""Bad input: a CalcError naming the field, with a message a learner can act on."""

from __future__ import annotations

import decimal

import pytest

from trainer.calc import FAMILIES, CalcError, solve


def bad(family, params, field, words, id=None):
    return pytest.param(family, params, field, words, id=id or f"{family}-{field}")


BAD = [
    # convert
    bad("convert", {"value": "5 mL", "to": "mg"}, "to", "cannot convert 5 mL (a volume) to mg (a weight)", "convert-volume-to-mass"),
    bad("convert", {"value": "1 oz", "to": "mL"}, "value", "for a volume write fl oz", "convert-oz-vs-fl-oz"),
    bad("convert", {"value": "5 mg", "to": "furlongs"}, "to", "'furlongs', which is not a unit I know"),
    bad("convert", {"value": "-5 mg", "to": "g"}, "value", "cannot be negative"),
    bad("convert", {"value": "5", "to": "g"}, "value", "needs an amount with its unit, such as 0.5 g"),
    bad("convert", {"value": "1,5 mg", "to": "g"}, "value", "write decimals with a point", "convert-decimal-comma"),
    bad("convert", {"value": "1 pint", "to": "mL", "pint_ml": "500"}, "pint_ml", "480 or 473"),
    bad("convert", {"value": "1 grain", "to": "mg", "grain_mg": "70"}, "grain_mg", "65 or 64.8 or 60"),
    bad("convert", {"value": "5 Mtab", "to": "tab"}, "value", "not a unit I know", "convert-odd-prefix"),
    # temperature
    bad("temperature", {"value": "98.6", "to": "C"}, "value", "needs a unit"),
    bad("temperature", {"value": "98.6 F", "to": "mL"}, "to", "temperature scale"),
    bad("temperature", {"value": "-500 F", "to": "C"}, "value", "colder than absolute zero"),
    # roman
    bad("roman", {"value": "IIII"}, "value", "not a roman numeral written the standard way", "roman-iiii"),
    bad("roman", {"value": "0"}, "value", "more than zero", "roman-zero"),
    bad("roman", {"value": "4000"}, "value", "from ½ to 3,999", "roman-4000"),
    bad("roman", {"value": "2.3"}, "value", "whole or half number", "roman-fraction"),
    # dose_count
    bad("dose_count", {"dose": "500 mg", "strength": "300 mg"}, "strength", "not a half or whole tablet", "dose_count-not-splittable"),
    bad("dose_count", {"dose": "500 mg", "strength": "250 mg/5 mL"}, "strength", "use dose_volume", "dose_count-liquid"),
    bad("dose_count", {"dose": "5 mL", "strength": "250 mg"}, "dose", "is a volume (5 mL); give the amount of drug"),
    bad("dose_count", {"dose": "500 units", "strength": "250 mg"}, "strength", "both must measure the drug the same way"),
    bad("dose_count", {"dose": "500 mg", "strength": "400 mg/cap"}, "strength", "not a whole capsule", "dose_count-capsule"),
    # dose_volume
    bad("dose_volume", {"dose": "400 mg", "concentration": "250 mg"}, "concentration", "needs an amount per volume, such as 250 mg/5 mL", "dose_volume-no-volume"),
    bad("dose_volume", {"dose": "400 mg", "concentration": "250"}, "concentration", "needs a unit", "dose_volume-bare-number"),
    bad("dose_volume", {"dose": "5 mL", "concentration": "250 mg/5 mL"}, "dose", "is a volume", "dose_volume-mass-volume-mixup"),
    bad("dose_volume", {"dose": "400 mg", "concentration": "100 units/mL"}, "concentration", "both must measure the drug the same way", "dose_volume-units-vs-mg"),
    bad("dose_volume", {"dose": "400 mg", "concentration": "250 mg/5 mg"}, "concentration", "amount per volume", "dose_volume-per-mass"),
    bad("dose_volume", {"dose": "400 mg", "concentration": "250 mg/0 mL"}, "concentration", "more than zero", "dose_volume-zero-volume"),
    bad("dose_volume", {"dose": "0 mg", "concentration": "250 mg/5 mL"}, "dose", "must be more than zero", "dose_volume-zero"),
    bad("dose_volume", {"dose": "0.001 mg", "concentration": "250 mg/5 mL"}, "dose", "rounds to zero", "dose_volume-rounds-to-zero"),
    # weight_based_dose
    bad("weight_based_dose", {"weight": "70", "dose_rate": "5 mg/kg"}, "weight", "needs a unit (a weight in kg or lb)", "wbd-bare-weight"),
    bad("weight_based_dose", {"weight": "70 mL", "dose_rate": "5 mg/kg"}, "weight", "70 mL is a volume", "wbd-volume-weight"),
    bad("weight_based_dose", {"weight": "70 kg", "dose_rate": "5 mg"}, "dose_rate", "amount of drug per kg", "wbd-no-per-kg"),
    bad("weight_based_dose", {"weight": "70 kg", "dose_rate": "5 mg/m2"}, "dose_rate", "use bsa_dose", "wbd-bsa-rate"),
    bad("weight_based_dose", {"weight": "70 kg", "dose_rate": "5 mg/kg/day", "doses_per_day": "qod"}, "doses_per_day", "do-not-use list", "wbd-qod"),
    bad("weight_based_dose", {"weight": "70 kg", "dose_rate": "5 mg/kg/day", "doses_per_day": 0}, "doses_per_day", "more than zero", "wbd-zero-doses"),
    bad("weight_based_dose", {"weight": "70 kg", "dose_rate": "5 mcg/kg/min", "doses_per_day": 2}, "doses_per_day", "continuous rate", "wbd-rate-with-doses"),
    # bsa
    bad("bsa_mosteller", {"height": "160", "weight": "60 kg"}, "height", "needs a unit"),
    bad("bsa_mosteller", {"height": "160 kg", "weight": "60 kg"}, "height", "160 kg is a weight", "bsa-height-as-weight"),
    bad("bsa_mosteller", {"height": "160 cm", "weight": "60 cm"}, "weight", "60 cm is a length", "bsa-weight-as-length"),
    bad("bsa_dose", {"bsa": "1.7 m2", "dose_rate": "100 mg/kg"}, "dose_rate", "use weight_based_dose"),
    bad("bsa_dose", {"bsa": "1.7 kg", "dose_rate": "100 mg/m2"}, "bsa", "1.7 kg is a weight"),
    bad("bsa_dose", {"bsa": "17", "dose_rate": "100 mg/m2"}, "bsa", "not a real body surface area", "bsa-17"),
    # children's rules
    bad("clarks_rule", {"weight": "160 lb", "adult_dose": "500 mg"}, "weight", "under 150 lb"),
    bad("clarks_rule", {"weight": "30 lb", "adult_dose": "500"}, "adult_dose", "needs a unit"),
    bad("youngs_rule", {"age": "14", "adult_dose": "500 mg"}, "age", "1 to 12 years"),
    bad("youngs_rule", {"age": "6 months", "adult_dose": "500 mg"}, "age", "Fried's rule", "youngs-infant"),
    bad("frieds_rule", {"age": "30 months", "adult_dose": "500 mg"}, "age", "under 2 years"),
    bad("frieds_rule", {"age": "10 months", "adult_dose": "5 mg/kg"}, "adult_dose", "amount of drug"),
    # percent and ratio strength
    bad("percent_strength", {"amount": "5 mL", "total": "100 g"}, "amount", "w/v (g in mL), w/w (g in g) or v/v (mL in mL)"),
    bad("percent_strength", {"amount": "150 g", "total": "100 g"}, "amount", "cannot be more than the total", "percent_strength-too-much"),
    bad("percent_amount", {"percent": "2% w/w", "total": "100 mL"}, "total", "must be a weight for a w/w percent"),
    bad("percent_amount", {"percent": "150% v/v", "total": "100 mL"}, "percent", "more than 100%", "percent_amount-150"),
    bad("percent_amount", {"percent": "2 mg", "total": "100 mL"}, "percent", "needs a percent", "percent_amount-mass"),
    bad("ratio_to_percent", {"ratio": "1000"}, "ratio", "ratio strength"),
    bad("ratio_to_percent", {"ratio": "0:1000"}, "ratio", "more than zero", "ratio-zero"),
    bad("percent_to_ratio", {"percent": "0%"}, "percent", "more than zero"),
    bad("percent_to_ratio", {"percent": "150%"}, "percent", "more than 100%", "percent_to_ratio-150"),
    # milliequivalents
    bad("milliequivalents", {"mass": "1.5 g", "molecular_weight": "0", "valence": 1}, "molecular_weight", "more than zero"),
    bad("milliequivalents", {"mass": "1.5 g", "molecular_weight": "74.5", "valence": 1.5}, "valence", "whole number"),
    bad("milliequivalents", {"mass": "1.5 mL", "molecular_weight": "74.5", "valence": 1}, "mass", "1.5 mL is a volume"),
    bad("meq_to_mass", {"meq": "20 mg", "molecular_weight": "74.5", "valence": 1}, "meq", "20 mg is a weight"),
    bad("meq_to_mass", {"meq": "20 mEq", "molecular_weight": "abc", "valence": 1}, "molecular_weight", "plain number"),
    # reconstitution
    bad("reconstitution", {"drug_amount": "1 g", "diluent_volume": "9.6 mL"}, "powder_volume", "give either powder volume or final volume"),
    bad("reconstitution", {"drug_amount": "1 g", "diluent_volume": "9.6 mL", "powder_volume": "0.4 mL", "final_volume": "10 mL"}, "final_volume", "not both", "reconstitution-both"),
    bad("reconstitution", {"drug_amount": "1 g", "diluent_volume": "9.6 mL", "final_volume": "5 mL"}, "final_volume", "less than the diluent", "reconstitution-small-final"),
    bad("reconstitution", {"drug_amount": "10 mL", "diluent_volume": "9.6 mL", "powder_volume": "0.4 mL"}, "drug_amount", "is a volume"),
    bad("reconstitution", {"drug_amount": "1 g", "diluent_volume": "9.6 g", "powder_volume": "0.4 mL"}, "diluent_volume", "9.6 g is a weight"),
    # dilution and alligation
    bad("dilution", {"c1": "10%", "v1": "50 mL"}, "c2", "give exactly three of C1, V1, C2 and V2"),
    bad("dilution", {"c1": "10%", "v1": "50 mL", "c2": "2%", "v2": "250 mL"}, "v2", "(you gave four)", "dilution-four"),
    bad("dilution", {"c1": "2%", "v1": "50 mL", "c2": "10%"}, "c2", "cannot make a stronger solution", "dilution-stronger"),
    bad("dilution", {"c1": "10%", "v1": "50 mL", "v2": "25 mL"}, "v2", "at least V1", "dilution-smaller-v2"),
    bad("dilution", {"c1": "10% w/v", "v1": "50 g", "c2": "2%"}, "v1", "must be a volume", "dilution-basis"),
    bad("dilution", {"c1": "10 units/mL", "v1": "50 mL", "c2": "2%"}, "c2", "cannot be used as units per volume", "dilution-units-vs-percent"),
    bad("dilution", {"c1": "10% w/v", "v1": "50 mL", "c2": "2% w/w"}, "c2", "the strengths mix w/v and w/w", "dilution-mixed-percents"),
    bad("alligation", {"high": "10%", "low": "20%", "target": "15%", "total": "100 mL"}, "high", "stronger than low"),
    bad("alligation", {"high": "70%", "low": "10%", "target": "80%", "total": "100 mL"}, "target", "between the low and high", "alligation-outside"),
    bad("alligation", {"high": "70%", "low": "10%", "target": "40%", "total": "100 units"}, "total", "a volume or a weight"),
    # scaling and specific gravity
    bad("compound_scale", {"amount": "10 g", "from_total": "100 g", "to_total": "30 mL"}, "to_total", "same kind as the formula total"),
    bad("compound_scale", {"amount": "10 g", "from_total": "0 g", "to_total": "30 g"}, "from_total", "more than zero"),
    bad("specific_gravity", {"weight": "126 g"}, "volume", "give exactly two of weight, volume and specific gravity"),
    bad("specific_gravity", {"weight": "126 mL", "volume": "100 mL"}, "weight", "126 mL is a volume", "sg-volume-as-weight"),
    bad("specific_gravity", {"volume": "100 mL", "sg": "-1"}, "sg", "cannot be negative", "sg-negative"),
    # IV
    bad("iv_rate", {}, "volume", "give volume and time, or dose rate and concentration", "iv_rate-nothing"),
    bad("iv_rate", {"volume": "1000 mL", "time": "0 hr"}, "time", "time must be more than zero", "iv_rate-zero-time"),
    bad("iv_rate", {"volume": "1000 mL", "time": "-2 hr"}, "time", "time cannot be negative", "iv_rate-negative-time"),
    bad("iv_rate", {"volume": "1000 mL", "time": "8"}, "time", "needs a unit", "iv_rate-bare-time"),
    bad("iv_rate", {"volume": "1000 mg", "time": "8 hr"}, "volume", "1,000 mg is a weight", "iv_rate-mass-as-volume"),
    bad("iv_rate", {"volume": "1000 mL", "time": "8 hr", "dose_rate": "5 mg/hr"}, "dose_rate", "not both", "iv_rate-both-ways"),
    bad("iv_rate", {"dose_rate": "5 mcg/kg/min", "concentration": "400 mg/250 mL"}, "weight", "weight is required because the dose rate is per kg", "iv_rate-no-weight"),
    bad("iv_rate", {"dose_rate": "5 mcg/min", "weight": "70 kg", "concentration": "400 mg/250 mL"}, "weight", "only used when the dose rate is per kg", "iv_rate-stray-weight"),
    bad("iv_rate", {"dose_rate": "1000 units/hr", "concentration": "400 mg/250 mL"}, "concentration", "same way", "iv_rate-units-vs-mg"),
    bad("drip_rate", {"volume": "1000 mL", "time": "0 min", "drop_factor": "15 gtt/mL"}, "time", "more than zero"),
    bad("drip_rate", {"volume": "1000 mL", "time": "8 hr", "drop_factor": "15 mL/gtt"}, "drop_factor", "drops per mL"),
    bad("infusion_time", {"volume": "1000 mL", "rate": "0 mL/hr"}, "rate", "more than zero"),
    bad("infusion_time", {"volume": "1000 mL", "rate": "125 mg/hr"}, "rate", "flow rate in mL/hr", "infusion_time-mass-rate"),
    bad("infused_volume", {"rate": "125 mL/hr", "time": "-1 hr"}, "time", "cannot be negative"),
    bad("infused_volume", {"rate": "125 mL", "time": "1 hr"}, "rate", "flow rate", "infused_volume-no-time"),
    # dispensing
    bad("days_supply", {"quantity": "30 tab", "dose": "5 mL", "per_day": 2}, "quantity", "must be a volume", "days_supply-solid-vs-liquid"),
    bad("days_supply", {"quantity": "30 tab", "dose": "1 tab", "per_day": 0}, "per_day", "more than zero", "days_supply-zero-per-day"),
    bad("days_supply", {"quantity": "1 tab", "dose": "1 tab", "per_day": 2}, "quantity", "less than one day's supply", "days_supply-under-a-day"),
    bad("days_supply", {"quantity": "10 mL", "dose": "20 units", "per_day": 2}, "concentration", "concentration is required", "days_supply-insulin-no-strength"),
    bad("days_supply", {"quantity": "30 tab", "dose": "1 tab", "per_day": "qd"}, "per_day", "write daily", "days_supply-qd"),
    bad("quantity_to_dispense", {"dose": "500 mg", "per_day": 2, "days": 10}, "dose", "what is dispensed"),
    bad("quantity_to_dispense", {"dose": "1 tab", "per_day": 2, "days": "1 month"}, "days", "days or weeks", "qtd-month"),
    bad("quantity_to_dispense", {"dose": "1 tab", "per_day": 2, "days": "0"}, "days", "more than zero", "qtd-zero-days"),
    # business
    bad("markup", {"cost": "$20", "price": "$10"}, "price", "below cost"),
    bad("markup", {"cost": "$20"}, "markup_percent", "give either markup percent or price"),
    bad("markup", {"cost": "20 mg", "price": "$30"}, "cost", "amount of money"),
    # solve itself
    bad("dose_volume", {"dose": "400 mg", "concentration": "250 mg/5 mL", "colour": "red"}, "colour", "has no parameter 'colour'", "unknown-param"),
    bad("dose_volume", {"dose": "400 mg"}, "concentration", "concentration is required, such as 250 mg/5 mL", "missing-param"),
    bad("dose_volume", {"dose": None, "concentration": "250 mg/5 mL"}, "dose", "dose is required", "none-param"),
    bad("dose_volume", {"dose": "  ", "concentration": "250 mg/5 mL"}, "dose", "dose is required", "blank-param"),
    bad("nonesuch", {}, "family", "unknown calculation family", "unknown-family"),
]


@pytest.mark.parametrize(("family", "params", "field", "words"), BAD)
def test_bad_input_names_the_field(family, params, field, words):
    with pytest.raises(CalcError) as caught:
        solve(family, **params)
    assert caught.value.field == field
    assert words in caught.value.message
    assert caught.value.as_pair() == (field, caught.value.message)
    assert str(caught.value) == caught.value.message


def test_every_family_has_bad_input_tests():
    covered = {row.values[0] for row in BAD}
    assert set(FAMILIES) <= covered


def test_the_issue_example_message_is_word_for_word():
    with pytest.raises(CalcError) as caught:
        solve("dose_volume", dose="400 mg", concentration="250 mg")
    assert caught.value.message == "concentration needs an amount per volume, such as 250 mg/5 mL"


def test_a_close_family_name_is_suggested():
    with pytest.raises(CalcError, match="Did you mean dose_volume"):
        solve("dose_vol")


@pytest.mark.parametrize("step", ["0", "-1", "abc", "", [], "1e-9", "inf"])
def test_bad_round_to(step):
    if step == "":
        assert solve("dose_volume", dose="400 mg", concentration="250 mg/5 mL", round_to=step).text == "8 mL"
        return
    with pytest.raises(CalcError) as caught:
        solve("dose_volume", dose="400 mg", concentration="250 mg/5 mL", round_to=step)
    assert caught.value.field == "round_to"


GARBAGE = [
    None,
    "",
    " ",
    [],
    {},
    ["400 mg"],
    True,
    object(),
    float("nan"),
    float("inf"),
    -1,
    0,
    10**40,
    decimal.Decimal("NaN"),
    decimal.Decimal("sNaN"),
    decimal.Decimal("-Infinity"),
    decimal.Decimal("1e999999"),
    "nan",
    "inf mg",
    "Infinity",
    "1e999999 mg",
    "9" * 200,
    "0." + "0" * 40 + "1 mg",
    "-0 mg",
    "mg",
    "\x00",
    "💊 mg",
    "١٢ mg",  # Arabic-Indic digits
    "½ tab",
    "1/0 mg",
    "250 mg/5 mL/5 mL/5 mL",
    "((((",
    "2 h 30 min 15 sec 4 day",
    "1:0",
    "$$$",
    "°",
    "U-",
    "gr",
    "gr xyz",
    "1 1/2/3 mg",
    "5 m2 m2",
    "10 mg/kg/day/dose/hr",
]


@pytest.mark.parametrize("family", list(FAMILIES))
def test_garbage_in_any_parameter_only_ever_raises_calc_error(family):
    spec = FAMILIES[family]
    for index in range(len(spec.example_sets)):
        base = spec.example_params(index)
        for name in base:
            for junk in GARBAGE:
                try:
                    solve(family, **{**base, name: junk})
                except CalcError as error:
                    assert not error.message.startswith("internal error"), (name, junk, error.__cause__)
                    assert 0 < len(error.message) < 300


@pytest.mark.parametrize("family", [1, None, ["dose_volume"], "DOSE_VOLUME", "", "x" * 1000])
def test_garbage_family_names(family):
    with pytest.raises(CalcError) as caught:
        solve(family)
    assert caught.value.field == "family"
