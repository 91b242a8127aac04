"""Rounding rules, round_to, and writing numbers the safe way (ISMP, Joint Commission)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainer.calc import CalcError, format_number, solve

D = Decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("5000.0"), "5,000"),
        (D("0.5"), "0.5"),
        (D(".5"), "0.5"),
        (D("5.0"), "5"),
        (D("5.10"), "5.1"),
        (D("1234567.890"), "1,234,567.89"),
        (D("0.000001"), "0.000001"),
        (D("-40"), "-40"),
        (D("0"), "0"),
        (D("-0.0"), "0"),
        (D("5E+3"), "5,000"),
        (250, "250"),
        (0.1, "0.1"),
        ("1000", "1,000"),
    ],
)
def test_format_number_writes_numbers_safely(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("junk", [None, "abc", float("nan"), D("Infinity"), [], True])
def test_format_number_refuses_non_numbers(junk):
    with pytest.raises(CalcError):
        format_number(junk)


# ---- each family's own rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "value", "rule"),
    [
        ("325 mg", D("6.5"), "volumes of 1 mL or more to tenths"),  # 6.5 mL
        ("333 mg", D("6.7"), "volumes of 1 mL or more to tenths"),  # 6.66 mL
        ("33 mg", D("0.66"), "volumes under 1 mL to hundredths"),  # 0.66 mL
        ("32.25 mg", D("0.65"), "volumes under 1 mL to hundredths"),  # 0.645 rounds half up
        ("49.97 mg", D("1"), "volumes under 1 mL to hundredths"),  # 0.9994 -> 1.00 -> 1
    ],
)
def test_volume_rule(dose, value, rule):
    result = solve("dose_volume", dose=dose, concentration="250 mg/5 mL")
    assert result.value == value
    assert rule in result.steps[-1]


def test_half_rounds_up_as_pharmacy_texts_do():
    # 0.125 tablet-free example: 2.25 mL -> 2.3 (half up), not 2.2 (banker's rounding)
    assert solve("dose_volume", dose="112.5 mg", concentration="50 mg/mL").value == D("2.3")


def test_drops_per_minute_are_whole_drops():
    result = solve("drip_rate", volume="1000 mL", time="8 hr", drop_factor="15 gtt/mL")
    assert result.exact == D("31.25") and result.value == D("31") and "whole drops" in result.steps[-1]


def test_days_supply_rounds_down_even_at_point_nine():
    result = solve("days_supply", quantity="59 tab", dose="1 tab", per_day=2)
    assert result.exact == D("29.5") and result.value == 29 and "rounded down" in result.steps[-1]


def test_days_supply_round_to_still_rounds_down():
    result = solve("days_supply", quantity="59 tab", dose="1 tab", per_day=4, round_to="0.5")
    assert result.exact == D("14.75") and result.value == D("14.5")
    assert "(down)" in result.steps[-1]


def test_quantity_to_dispense_rounds_up():
    result = solve("quantity_to_dispense", dose="0.4 mL", per_day=3, days=7)
    assert result.exact == D("8.4") and result.value == 9 and "up" in result.steps[-1]


def test_bsa_to_hundredths():
    result = solve("bsa_mosteller", height="160 cm", weight="64 kg")
    assert result.value == D("1.69") and "hundredths" in result.steps[-1]


def test_tablets_to_the_nearest_half_and_capsules_whole():
    assert solve("dose_count", dose="510 mg", strength="500 mg/tab").value == 1
    assert solve("dose_count", dose="740 mg", strength="500 mg/tab").value == D("1.5")
    assert solve("dose_count", dose="1010 mg", strength="500 mg/cap").value == 2
    assert "(within 5%)" in " ".join(solve("dose_count", dose="510 mg", strength="500 mg/tab").steps)


def test_a_tablet_count_more_than_five_percent_off_is_refused():
    with pytest.raises(CalcError) as caught:
        solve("dose_count", dose="500 mg", strength="300 mg")
    assert caught.value.field == "strength"


def test_small_doses_keep_three_significant_figures():
    # 0.0625 mg of digoxin is not rounded to 0.06 mg
    result = solve("weight_based_dose", weight="5 kg", dose_rate="0.0125 mg/kg/dose")
    assert result.value == D("0.0625")


def test_money_keeps_its_cents():
    result = solve("markup", cost="$10", markup_percent="25%")
    assert result.text == "$12.50"


def test_conversions_keep_exact_answers_and_round_repeating_ones():
    assert solve("convert", value="0.125 g", to="mg").value == D("125")
    result = solve("convert", value="1 L", to="fl oz")
    assert result.value == D("33.33") and "4 significant figures" in result.steps[-1]


def test_infusion_time_gives_hours_and_minutes():
    result = solve("infusion_time", volume="1000 mL", rate="120 mL/hr")
    assert result.value == D("8.33")
    assert result.text == "8.33 hr (8 hr 20 min)"
    assert result.extra["minutes"].value == 500


# ---- round_to ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "value"),
    [("0.01", D("13.13")), (D("0.01"), D("13.13")), ("1", D("13")), ("0.5", D("13")), (0.1, D("13.1"))],
)
def test_round_to_overrides_the_rule_and_says_so(step, value):
    result = solve("iv_rate", dose_rate="5 mcg/kg/min", weight="70 kg", concentration="400 mg/250 mL", round_to=step)
    assert result.exact == D("13.125")
    assert result.value == value
    assert result.steps[-1].endswith(", as asked.") or ", as asked" in result.steps[-1]
    assert "round_to" not in " ".join(result.steps)  # the setting's name is the author's, not the learner's


def test_half_tablets_with_round_to():
    result = solve("dose_count", dose="375 mg", strength="250 mg", round_to="0.5")
    assert result.value == D("1.5")


def test_round_to_applies_to_the_main_answer_only():
    result = solve("weight_based_dose", weight="44 lb", dose_rate="10 mg/kg/day", doses_per_day=3, round_to="1")
    assert result.value == 67
    assert result.extra["daily_dose"].value == 200


def test_an_answer_that_rounds_to_zero_is_refused_not_returned():
    with pytest.raises(CalcError, match="rounds to zero"):
        solve("dose_volume", dose="0.1 mg", concentration="250 mg/5 mL")
    tiny = solve("dose_volume", dose="0.1 mg", concentration="250 mg/5 mL", round_to="0.001")
    assert tiny.value == D("0.002")


def test_values_are_decimals_written_without_exponents():
    result = solve("convert", value="0.5 g", to="mg")
    assert isinstance(result.value, Decimal)
    assert str(result.value) == "500"
    assert result.as_dict()["value"] == "500"


# ---- amounts measured out are rounded in mL or g, whatever unit the total was given in ----


def test_alligation_of_litres_is_measured_in_ml():
    # in litres, 1.4737 L "to tenths" would be 1.5 L: 26 mL of 95% too much
    result = solve("alligation", high="95%", low="0%", target="70%", total="2 L")
    assert (result.value, result.unit) == (D("1473.7"), "mL")
    assert result.extra["low_amount"].value == D("526.3")
    assert "Total in mL: 2 L = 2,000 mL." in result.steps


def test_alligation_by_the_pound_is_weighed_in_grams_and_names_the_equivalent():
    result = solve("alligation", high="20%", low="1%", target="5%", total="1 lb")
    assert (result.value, result.unit) == (D("95.6"), "g")
    assert any("1 lb = 454 g" in step for step in result.steps)


def test_dilution_to_litres_is_measured_in_ml():
    result = solve("dilution", c1="95%", c2="70%", v2="2 L")
    assert (result.value, result.unit) == (D("1473.7"), "mL")
    assert result.extra["diluent"].text == "526.3 mL"


def test_a_scaled_ingredient_in_litres_is_measured_in_ml():
    result = solve("compound_scale", amount="1.2345 L", from_total="10 L", to_total="10 L")
    assert (result.value, result.unit) == (D("1234.5"), "mL")


def test_a_scaled_ingredient_in_mg_stays_in_mg():
    assert solve("compound_scale", amount="500 mg", from_total="1 kg", to_total="60 g").text == "30 mg"
