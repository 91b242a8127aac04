"""The public API: FAMILIES metadata, parse_amount, convert_amount, units, purity and speed."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from trainer.calc import (
    FAMILIES,
    Amount,
    CalcError,
    Result,
    convert_amount,
    parse_amount,
    solve,
)

ROOT = Path(__file__).resolve().parents[3]
D = Decimal

ISSUE_FAMILIES = {
    "convert": {"value", "to"},
    "dose_volume": {"dose", "concentration"},
    "dose_count": {"dose", "strength"},
    "weight_based_dose": {"weight", "dose_rate", "doses_per_day"},
    "bsa_mosteller": {"height", "weight"},
    "bsa_dose": {"bsa", "dose_rate"},
    "iv_rate": {"volume", "time", "dose_rate", "weight", "concentration"},
    "drip_rate": {"volume", "time", "drop_factor"},
    "infusion_time": {"volume", "rate"},
    "infused_volume": {"rate", "time"},
    "dilution": {"c1", "v1", "c2", "v2"},
    "alligation": {"high", "low", "target", "total"},
    "percent_strength": {"amount", "total"},
    "percent_amount": {"percent", "total"},
    "ratio_to_percent": {"ratio"},
    "percent_to_ratio": {"percent"},
    "milliequivalents": {"mass", "molecular_weight", "valence"},
    "meq_to_mass": {"meq", "molecular_weight", "valence"},
    "days_supply": {"quantity", "dose", "per_day", "drops_per_ml", "concentration"},
    "quantity_to_dispense": {"dose", "per_day", "days"},
    "reconstitution": {"drug_amount", "diluent_volume", "powder_volume", "final_volume"},
    "clarks_rule": {"weight", "adult_dose"},
    "youngs_rule": {"age", "adult_dose"},
    "temperature": {"value", "to"},
    "roman": {"value"},
    "compound_scale": {"amount", "from_total", "to_total"},
    "specific_gravity": {"weight", "volume", "sg"},
    "markup": {"cost", "markup_percent", "price"},
}


def test_every_family_of_the_issue_is_there_with_its_parameters():
    for name, params in ISSUE_FAMILIES.items():
        assert name in FAMILIES, name
        assert params <= {p.name for p in FAMILIES[name].params}, name
    assert "grain_mg" in {p.name for p in FAMILIES["convert"].params}


@pytest.mark.parametrize("name", list(FAMILIES))
def test_family_metadata_is_complete(name):
    family = FAMILIES[name]
    assert family.name == name
    assert family.title and family.title[0].isupper()
    assert family.description.endswith(".") and family.description.count(". ") == 0
    assert family.rounding.endswith(".")
    names = [p.name for p in family.params]
    assert len(names) == len(set(names))
    for param in family.params:
        assert param.label and param.example and param.help, param
        assert isinstance(param.required, bool)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_every_family_solves_with_its_own_examples(name):
    family = FAMILIES[name]
    used = set()
    for index in range(len(family.example_sets)):
        params = family.example_params(index)
        result = solve(name, **params)
        assert isinstance(result, Result) and result.text and result.steps
        used |= set(params.items())
    # every parameter's own example is exercised, with that very value
    for param in family.params:
        assert (param.name, param.example) in used, (name, param.name)
    # and the required ones alone are enough
    required = {p.name: p.example for p in family.params if p.required}
    if required:
        assert family.example_sets[0].keys() >= required.keys()


def test_families_are_in_teaching_order():
    order = list(FAMILIES)
    assert order.index("convert") < order.index("dose_volume") < order.index("iv_rate") < order.index("days_supply")
    assert order[-1] == "markup"


def test_issue_example_result():
    r = solve("dose_volume", dose="400 mg", concentration="250 mg/5 mL", round_to=None)
    assert r.value == D("8") and r.unit == "mL" and r.text == "8 mL"
    assert any("250 mg/5 mL" in step for step in r.steps)
    assert r.extra == {}
    assert r.as_dict() == {"value": "8", "unit": "mL", "text": "8 mL", "steps": r.steps, "extra": {}}


def test_roman_both_ways():
    assert solve("roman", value="XIV").value == 14
    assert solve("roman", value=14).text == "XIV"


@pytest.mark.parametrize(("typed", "numeral"), [("½", "ss"), ("1/2", "ss"), ("7½", "VIIss"), ("7 1/2", "VIIss")])
def test_roman_takes_a_half_written_as_a_fraction(typed, numeral):
    result = solve("roman", value=typed)
    assert (result.text, result.value) == (numeral, solve("roman", value=numeral).value)


# ---- parse_amount and convert_amount ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("0.5 g", "0.5", "g"),
        ("250 mg/5 mL", "250", "mg/5 mL"),
        ("44 lb", "44", "lb"),
        ("10 mg/kg/day", "10", "mg/kg/day"),
        ("5 mcg/kg/min", "5", "mcg/kg/min"),
        ("1000 units/hr", "1000", "units/hr"),
        ("15 gtt/mL", "15", "gtt/mL"),
        ("2 h 30 min", "150", "min"),
        ("5 ft 4 in", "64", "in"),
        ("0.9%", "0.9", "%"),
        ("0.9 % w/v", "0.9", "% w/v"),
        ("1:1000", "0.1", "%"),
        ("98.6 °F", "98.6", "°F"),
        ("37C", "37", "°C"),
        ("250 µg", "250", "mcg"),
        ("250 μg", "250", "mcg"),
        ("250 MCG", "250", "mcg"),
        ("5 ml", "5", "mL"),
        ("5 cc", "5", "mL"),
        ("1.73 m²", "1.73", "m²"),
        ("1.73 m2", "1.73", "m²"),
        ("20 mEq", "20", "mEq"),
        ("20 meq", "20", "mEq"),
        ("30 tabs", "30", "tablets"),
        ("1 tablet", "1", "tablets"),
        ("2 caps", "2", "capsules"),
        ("2 capsules", "2", "capsules"),
        ("1,000 units", "1000", "units"),
        ("½ tab", "0.5", "tablets"),
        ("1½ tab", "1.5", "tablets"),
        ("2½ tsp", "2.5", "tsp"),
        ("1 1/2 tab", "1.5", "tablets"),
        ("gr 1/150", "0.006666666666666666666666666667", "grains"),
        ("8 fl oz", "8", "fl oz"),
        ("2 fluid ounces", "2", "fl oz"),
        ("1 pt", "1", "pints"),
        ("3 tsp", "3", "tsp"),
        ("U-100", "100", "units/mL"),
        ("$12.50", "12.50", "$"),
        ("12.50 USD", "12.50", "$"),
        ("12.50 dollars", "12.50", "$"),
        ("30", "30", ""),
        ("2 days", "2", "days"),
        ("1 wk", "1", "weeks"),
        ("100 mg/m2", "100", "mg/m²"),
        ("5 mg per kg", "5", "mg/kg"),
        ("125 mL/h", "125", "mL/hr"),
        ("2 puffs", "2", "puffs"),
        ("1 L", "1", "L"),
    ],
)
def test_parse_amount(text, value, unit):
    amount = parse_amount(text)
    assert amount == Amount(D(value), unit)
    assert isinstance(amount.value, Decimal)


@pytest.mark.parametrize("junk", ["", "garbage", "mg", "5 furlongs", "1,5 mg", "5 mg mg", None, 5, "1e3 mg", "5 Mg/"])
def test_parse_amount_refuses_garbage(junk):
    with pytest.raises(CalcError):
        parse_amount(junk)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("0.5", "g", "mg", "500"),
        ("500", "mcg", "mg", "0.5"),
        ("44", "lb", "kg", "20"),
        ("1", "lb", "g", "454"),
        ("1", "lb", "oz", "16"),
        ("1", "oz", "g", "28.35"),
        ("1", "grain", "mg", "65"),
        ("1", "pint", "mL", "480"),
        ("1", "gallon", "fl oz", "128"),
        ("1", "tbsp", "tsp", "3"),
        ("2", "tsp", "mL", "10"),
        ("1", "kg", "lb", "2.2"),
        ("1", "L", "mL", "1000"),
        ("90", "min", "hr", "1.5"),
        ("1", "day", "hr", "24"),
        ("50", "mg/mL", "mg/5 mL", "250"),
        ("0.1", "%", "mg/mL", "1"),
        ("1", "mg/mL", "%", "0.1"),
        ("98.6", "°F", "°C", "37"),
        ("1", "tablet", "tab", "1"),
        ("1", "units/mL", "units/L", "1000"),
        ("21000", "mcg/hr", "mg/hr", "21"),
        ("5", "", "", "5"),
        ("5", "$", "$", "5"),
        # one currency however it is written, so a question in USD can take the markup family's $
        ("12.5", "$", "USD", "12.5"),
        ("12.5", "USD", "$", "12.5"),
        ("12.5", "usd", "dollars", "12.5"),
    ],
)
def test_convert_amount(value, source, target, expected):
    assert convert_amount(D(value), source, target) == D(expected)


def test_markup_takes_dollars_written_as_usd():
    result = solve("markup", cost="20 USD", price="25 usd")
    assert (result.value, result.unit) == (25, "%")
    assert result.extra["markup"].text == "$5.00"


@pytest.mark.parametrize(
    ("source", "target"),
    [("$", "mg"), ("USD", "%"), ("g", "mL"), ("mg", "units"), ("mEq", "mg"), ("gtt", "mL"), ("tab", "cap"), ("oz", "mL"), ("mg/mL", "mg"), ("%", "mg")],
)
def test_convert_amount_refuses_different_kinds(source, target):
    with pytest.raises(CalcError) as caught:
        convert_amount(D(1), source, target)
    assert "cannot convert" in caught.value.message


def test_household_conventions_are_selectable_and_stated():
    default = solve("convert", value="1 pint", to="mL")
    assert default.value == 480 and any("480 mL (pharmacy convention" in s for s in default.steps)
    us = solve("convert", value="1 pint", to="mL", pint_ml="473")
    assert us.value == 473 and any("473 mL" in s for s in us.steps)
    assert solve("convert", value="1 grain", to="mg", grain_mg="64.8").value == D("64.8")
    assert solve("convert", value="1 kg", to="lb", lb_per_kg="2.2046").value == D("2.2046")
    assert solve("convert", value="1 fl oz", to="mL", floz_ml=29.57).value == D("29.57")
    assert solve("convert", value="1 lb", to="g", lb_g="453.59").value == D("453.59")
    assert solve("convert", value="1 oz", to="g", oz_g="30").value == 30


def test_weight_in_pounds_uses_two_point_two_and_says_so():
    result = solve("weight_based_dose", weight="44 lb", dose_rate="5 mg/kg")
    assert result.value == 100
    assert any("1 kg = 2.2 lb" in step for step in result.steps)


def test_pounds_and_ounces_go_to_kg_the_way_pounds_do():
    # 7 lb 8 oz is 7.5 lb ÷ 2.2 = 3.409 kg, not 120 oz × 28.35 g = 3.402 kg
    mixed = solve("weight_based_dose", weight="7 lb 8 oz", dose_rate="10 mg/kg")
    assert mixed.value == solve("weight_based_dose", weight="7.5 lb", dose_rate="10 mg/kg").value == D("34.1")
    assert any("1 lb = 16 oz; 1 kg = 2.2 lb" in step for step in mixed.steps)


def test_eye_drops_state_the_drop_convention():
    result = solve("days_supply", quantity="5 mL", dose="1 gtt", per_day=4)
    assert result.value == 25
    assert any("20 gtt" in step for step in result.steps)


def test_insulin_pen_priming_counts_against_the_supply():
    plain = solve("days_supply", quantity="3 mL", dose="10 units", per_day=1, concentration="U-100")
    primed = solve("days_supply", quantity="3 mL", dose="10 units", per_day=1, concentration="U-100", priming="2 units")
    assert (plain.value, primed.value) == (30, 25)
    assert any("discard" in step for step in primed.steps)


# ---- purity --------------------------------------------------------------------


def test_import_is_pure_and_light():
    code = (
        "import sys\n"
        "import trainer.calc\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'sqlalchemy', 'werkzeug', 'flask_sqlalchemy', 'flask_login', 'pint') "
        "or m.startswith('trainer.models'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    bad = out.stdout.split("\n")[0]
    assert bad == "", "trainer.calc must not import the web stack, and loads Pint only when first used"
