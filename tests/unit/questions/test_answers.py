"""Typed numeric answers: reading them, safety flags, units, tolerance and rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.questions.samples import NUMERIC, question
from trainer.questions import (
    generate_question,
    grade_response,
    public_question_view,
    validate_question,
)
from trainer.questions.answers import AnswerUnreadable, amount_text, read_answer
from trainer.rx.abbreviations import DO_NOT_USE_FORMS


@pytest.mark.parametrize(
    ("text", "value", "unit", "flags"),
    [
        ("8", "8", None, ()),
        ("8 mL", "8", "mL", ()),
        ("8mL", "8", "mL", ("no_space",)),
        ("10mg", "10", "mg", ("no_space",)),
        ("100000 units", "100000", "units", ("no_thousands_comma",)),
        ("8 ml", "8", "mL", ("lowercase_l",)),
        ("1 l", "1", "L", ("lowercase_l",)),
        ("8 mL.", "8", "mL", ("unit_period",)),
        ("1000", "1000", None, ("no_thousands_comma",)),
        ("  8   mL ", "8", "mL", ()),
        ("8.0", "8.0", None, ("trailing_zero",)),
        ("5.0 mg", "5.0", "mg", ("trailing_zero",)),
        ("2.50 mL", "2.50", "mL", ("trailing_zero",)),
        ("8,000", "8000", None, ()),
        ("1,234,567.5 units", "1234567.5", "units", ()),
        (".5 mL", "0.5", "mL", ("naked_decimal",)),
        (".50", "0.50", None, ("naked_decimal", "trailing_zero")),
        ("0.5 mL", "0.5", "mL", ()),
        ("-40 °F", "-40", "°F", ()),
        ("\u22125", "-5", None, ()),
        ("+5", "5", None, ()),
        ("2 cc", "2", "mL", ("cc",)),
        ("2 CC", "2", "mL", ("cc",)),
        ("50 µg", "50", "mcg", ("microgram_symbol",)),
        ("50 μg", "50", "mcg", ("microgram_symbol",)),
        ("50 ug", "50", "mcg", ("microgram_symbol",)),
        ("100 U", "100", "units", ("u",)),
        ("100 IU", "100", "units", ("iu",)),
        ("10 U/hr", "10", "units/hr", ("u",)),
        ("5 mg/cc", "5", "mg/mL", ("cc",)),
        ("5 mcg/kg/min", "5", "mcg/kg/min", ()),
        ("8 units", "8", "units", ()),
        ("250 mg/5 mL", "250", "mg/5 mL", ()),
        ("8", "8", None, ()),
        (8, "8", None, ()),
        (Decimal("2.5"), "2.5", None, ()),
        (0.1, "0.1", None, ()),
    ],
)
def test_reads_numbers_units_and_unsafe_forms(text, value, unit, flags):
    entered = read_answer(text)
    assert entered.value == Decimal(value)
    assert str(entered.value) == value or isinstance(text, (int, float, Decimal))
    assert entered.unit == unit
    assert entered.flags == flags


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("", "blank"),
        ("   ", "blank"),
        (None, "blank"),
        ("eight", "unparseable"),
        ("mL 8", "unparseable"),
        ("8,00", "unparseable"),
        ("1,5", "unparseable"),
        ("8.", "unparseable"),
        ("8 000", "unparseable"),
        ("1/2", "unparseable"),
        ("½", "unparseable"),
        ("8 mL; DROP TABLE answers", "unparseable"),
        ("8 <b>mL</b>", "unparseable"),
        ("1" * 40, "unparseable"),
        ("8 " + "m" * 100, "unparseable"),
        (True, "unparseable"),
        ([8], "unparseable"),
        (float("nan"), "unparseable"),
        (float("inf"), "unparseable"),
    ],
)
def test_refuses_what_is_not_a_number_and_unit(text, flag):
    with pytest.raises(AnswerUnreadable) as caught:
        read_answer(text)
    assert caught.value.flag == flag and caught.value.message


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80), st.integers(), st.floats(), st.decimals(), st.none(), st.booleans()
    )
)
def test_reading_anything_gives_an_amount_or_answer_unreadable(text):
    try:
        entered = read_answer(text)
    except AnswerUnreadable as exc:
        assert exc.flag in ("blank", "unparseable")
    else:
        assert entered.value.is_finite()


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False))
def test_safely_written_numbers_read_back_exactly(value):
    from trainer.calc import format_number

    entered = read_answer(f"{format_number(value)} mg")
    assert entered.value == value and entered.unit == "mg" and entered.flags == ()


# ---- grading ----------------------------------------------------------------------------


def grade(spec: dict, response):
    return grade_response(generate_question(spec, 0), response)


@pytest.mark.parametrize(
    "response", ["8", "8 mL", "8 ml", "8 milliliters", "8.04 mL", "7.96", "0.008 L"]
)
def test_numeric_accepts_the_number_in_its_unit_or_an_equivalent(response):
    result = grade(NUMERIC, response)
    assert result.correct and result.score == 1.0, result


def test_a_trailing_zero_loses_the_mark_and_says_why():
    result = grade(NUMERIC, "8.0 mL")
    assert not result.correct and result.flags == ["trailing_zero"]
    assert result.feedback[0] == "The number is right, but the way it is written loses the mark."
    assert any("trailing zero" in m for m in result.feedback)


def test_a_missing_leading_zero_on_a_wrong_value_says_the_value_is_wrong_too():
    one_tablet = question("n-020", "numeric", "?", answer=1, unit="tablets")
    result = grade(one_tablet, ".5")
    assert not result.correct
    assert result.feedback[0] == "The value is not correct, and the way it is written is error-prone too:"
    assert "leading zero" in result.feedback[1]


def test_a_do_not_use_form_cannot_be_set_to_warn():
    lenient = {**NUMERIC, "safety": {"trailing_zero": "warn"}}
    assert [field for field, _ in validate_question(lenient)] == ["safety.trailing_zero"]


def test_the_key_agrees_in_number_with_its_unit():
    assert amount_text(Decimal(1), "tablets") == "1 tablet"
    assert amount_text(Decimal(2), "tablets") == "2 tablets"
    assert amount_text(Decimal(1), "mL") == "1 mL"


def test_numeric_outside_the_tolerance_is_wrong():
    result = grade(NUMERIC, "8.1 mL")
    assert not result.correct and result.feedback == ["Not correct."]


def test_right_number_wrong_unit_has_its_own_feedback():
    result = grade(NUMERIC, "8 mg")
    assert not result.correct and result.flags == ["wrong_unit"]
    assert result.feedback == ["Right number, wrong unit: the answer is in mL."]


@pytest.mark.parametrize("response", ["8 L", "8 mcL", "8 microliters"])
def test_right_number_in_a_convertible_but_wrong_unit_is_told_so(response):
    # 8 L is 8,000 mL: converting alone would only say "Not correct."
    result = grade(NUMERIC, response)
    assert not result.correct and result.flags == ["wrong_unit"]
    assert result.feedback == ["Right number, wrong unit: the answer is in mL."]


def test_wrong_number_in_a_wrong_unit():
    result = grade(NUMERIC, "9 tablets")
    assert result.flags == ["wrong_unit"] and "not the unit asked for" in result.feedback[0]


def test_equivalent_units_can_be_refused():
    strict = {**NUMERIC, "accept_equivalent_units": False}
    result = grade(strict, "0.008 L")
    assert not result.correct and result.flags == ["wrong_unit"]
    assert result.feedback == ["That is the right amount, but give it in mL as asked."]
    assert grade(strict, "8 mL").correct


def test_a_required_unit_must_be_given():
    required = {**NUMERIC, "unit_required": True}
    result = grade(required, "8")
    assert not result.correct and result.flags == ["missing_unit"]
    assert grade(required, "8 mL").correct
    # the unit is then part of the question: the page does not show it beside the box
    assert "unit" not in public_question_view(generate_question(required, 0))
    assert public_question_view(generate_question(NUMERIC, 0))["unit"] == "mL"


def test_a_question_without_a_unit_reads_any_unit_as_given():
    count = question("days-001", "numeric", "How many days?", answer=30)
    assert grade(count, "30").correct
    assert grade(count, "30 days").correct


def test_exact_by_default_and_percent_tolerance():
    exact = question("n-001", "numeric", "How many?", answer=2.5, unit="mL")
    assert grade(exact, "2.5").correct
    assert not grade(exact, "2.51").correct
    percent = {**exact, "tolerance_percent": 2}
    assert grade(percent, "2.55").correct
    assert not grade(percent, "2.56").correct


def test_not_rounded_as_asked_has_its_own_feedback():
    rounded = question(
        "n-002", "numeric", "How many mL?", answer=2.5, unit="mL", round_to="0.1", tolerance=0.05
    )
    result = grade(rounded, "2.53 mL")
    assert not result.correct and result.flags == ["not_rounded"]
    assert result.feedback == ["Not rounded as asked: give the answer to the nearest 0.1 mL."]
    assert grade(rounded, "2.5").correct
    half = question(
        "tabs-001", "numeric", "How many tablets?", answer=1.5, unit="tablets", round_to=0.5
    )
    assert grade(half, "1.5 tablets").correct
    assert grade(half, "1.5 tablet").correct
    assert grade(half, "1.25").flags == ["not_rounded"]


def test_thousands_with_commas():
    heparin = question("hep-001", "numeric", "How many units?", answer=5000, unit="units")
    assert grade(heparin, "5,000 units").correct and grade(heparin, "5,000 units").flags == []
    # issue 14: the grader flags what the courses teach against, as ISMP does
    without = grade(heparin, "5000")
    assert without.correct and without.flags == ["no_thousands_comma"]


def test_the_cc_advice_says_what_ismp_says():
    result = grade(question("n-014", "numeric", "?", answer=2, unit="mL"), "2 cc")
    assert any('mistaken for "u" (units)' in m for m in result.feedback)
    assert not any("00" in m for m in result.feedback)


SAFETY_CASES = [
    ("naked_decimal", question("n-003", "numeric", "?", answer=0.5, unit="mL"), ".5 mL"),
    ("trailing_zero", question("n-004", "numeric", "?", answer=5, unit="mg"), "5.0 mg"),
    ("cc", question("n-005", "numeric", "?", answer=2, unit="mL"), "2 cc"),
    ("microgram_symbol", question("n-006", "numeric", "?", answer=50, unit="mcg"), "50 µg"),
    ("u", question("n-007", "numeric", "?", answer=5000, unit="units"), "5,000 U"),
    ("iu", question("n-008", "numeric", "?", answer=400, unit="units"), "400 IU"),
    ("no_space", question("n-010", "numeric", "?", answer=10, unit="mg"), "10mg"),
    ("no_thousands_comma", question("n-011", "numeric", "?", answer=100000, unit="units"), "100000 units"),
    ("lowercase_l", question("n-012", "numeric", "?", answer=8, unit="mL"), "8 ml"),
    ("unit_period", question("n-013", "numeric", "?", answer=5, unit="mg"), "5 mg."),
]


@pytest.mark.parametrize(
    ("form", "spec", "response"), SAFETY_CASES, ids=[c[0] for c in SAFETY_CASES]
)
def test_each_unsafe_form_warns_by_default_unless_it_is_on_the_do_not_use_list(form, spec, response):
    result = grade(spec, response)
    assert result.flags == [form]
    assert len(result.feedback) == 2
    if form in DO_NOT_USE_FORMS:
        assert not result.correct and result.score == 0.0
        assert result.feedback[0] == "The number is right, but the way it is written loses the mark."
    else:
        assert result.correct and result.score == 1.0 and result.feedback[0] == "Correct."


@pytest.mark.parametrize(
    ("form", "spec", "response"), SAFETY_CASES, ids=[c[0] for c in SAFETY_CASES]
)
def test_each_unsafe_form_can_lose_the_mark(form, spec, response):
    strict = {**spec, "safety": {form: "penalise"}}
    assert validate_question(strict) == []
    result = grade(strict, response)
    assert not result.correct and result.score == 0.0
    assert result.flags == [form]
    assert result.feedback[0] == "The number is right, but the way it is written loses the mark."


def test_an_unsafe_form_is_flagged_on_a_wrong_answer_too():
    result = grade(question("n-009", "numeric", "?", answer=0.5, unit="mL"), ".6 mL")
    assert not result.correct and result.flags == ["naked_decimal"]


def test_feedback_on_a_wrong_answer_never_gives_the_number():
    for response in ("9", "8 mg", "9 tablets", "8.11", "eight", ".9 cc"):
        assert "8" not in " ".join(grade(NUMERIC, response).feedback), response


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answer": "eight"}, "answer"),
        ({"answer": True}, "answer"),
        ({"tolerance": -1}, "tolerance"),
        ({"tolerance_percent": 150}, "tolerance_percent"),
        ({"tolerance_percent": 1}, "tolerance_percent"),  # with tolerance: one or the other
        ({"round_to": 0}, "round_to"),
        ({"round_to": "0.1", "answer": 8.25}, "answer"),
        ({"unit_required": "yes"}, "unit_required"),
        ({"unit": None, "unit_required": True}, "unit_required"),
        ({"safety": {"naked_decimal": "forbid"}}, "safety.naked_decimal"),
        ({"safety": {"roman_numerals": "warn"}}, "safety.roman_numerals"),
        ({"unit": "<b>"}, "unit"),
        ({"stem": "Give {answer} mL"}, "stem"),
        ({"stem": "Use {dose}"}, "stem"),
        ({"explanation": "It is {answer} mL {"}, "explanation"),
    ],
)
def test_numeric_spec_problems(change, field):
    spec = {**NUMERIC, **change}
    if spec.get("unit") is None:
        spec.pop("unit")
    problems = validate_question(spec)
    assert field in [f for f, _ in problems], problems


def test_numeric_explanation_can_show_the_answer():
    spec = {**NUMERIC, "answer": 5000, "explanation": "{answer} mL, and {{braces}}."}
    assert validate_question(spec) == []
    assert generate_question(spec, 0)["explanation"] == "5,000 mL, and {braces}."


def test_money_is_written_with_cents():
    price = question(
        "price-001", "numeric", "What is the price?", answer=12.5, unit="USD", round_to="0.01"
    )
    for response in ("12.50", "$12.50", "$ 12.50 USD", "12.5 dollars"):
        result = grade(price, response)
        assert result.correct and result.flags == [], (response, result)
    assert read_answer("$12.50").unit == "USD"


def test_another_spelling_of_the_unit_is_the_same_unit_even_when_equivalents_are_refused():
    strict = {**NUMERIC, "accept_equivalent_units": False}
    assert grade(strict, "8 milliliters").correct
