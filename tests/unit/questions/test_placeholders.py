"""The safe formatter for {name} placeholders in author text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.questions.placeholders import (
    PlaceholderError,
    escape_braces,
    fill_placeholders,
    placeholder_names,
    placeholder_problems,
    plain_number,
)


def test_fills_names_and_keeps_the_rest():
    assert fill_placeholders("Give {dose} mg of {drug}.", {"dose": 250, "drug": "amoxicillin"}) == (
        "Give 250 mg of amoxicillin."
    )


def test_escaped_braces_are_literal():
    assert fill_placeholders("{{dose}} is {dose}; }} and {{", {"dose": 5}) == "{dose} is 5; } and {"


def test_numbers_use_the_formatter_given():
    def commas(value):
        return f"{value:,}"

    assert fill_placeholders("{n} units", {"n": Decimal(5000)}, commas) == "5,000 units"
    assert fill_placeholders("{n}", {"n": Decimal("2.50")}) == "2.5"
    assert fill_placeholders("{n}", {"n": 0.1}) == "0.1"


@pytest.mark.parametrize(
    "template",
    [
        "{dose",
        "dose}",
        "{ dose.__class__ }",
        "{0}",
        "{dose!r}",
        "{dose:>10}",
        "{}",
        "{a}{b",
        "{{{x}}",
    ],
)
def test_anything_but_a_plain_name_is_refused(template):
    with pytest.raises(PlaceholderError):
        fill_placeholders(template, {"dose": 1, "a": 1, "x": 1})


def test_attribute_access_and_format_specs_are_never_evaluated():
    class Secret:
        password = "hunter2"  # noqa: S105

        def __format__(self, spec):
            raise AssertionError("format() must not be called")

    for template in ("{secret.password}", "{secret[0]}", "{secret:x}"):
        with pytest.raises(PlaceholderError):
            fill_placeholders(template, {"secret": Secret()})


def test_unknown_names_are_an_error():
    with pytest.raises(PlaceholderError, match="unknown placeholder {strength}"):
        fill_placeholders("{dose} {strength}", {"dose": 1})


def test_names_and_problems():
    assert placeholder_names("{a} {b} {a} {{c}}") == ["a", "b"]
    assert placeholder_problems("{a} {zz}", {"a"}) == ["unknown placeholder {zz}"]
    assert placeholder_problems("{a", {"a"})[0].startswith("unmatched '{'")
    assert placeholder_problems(3, set()) == ["must be text"]


def test_plain_number_never_uses_an_exponent():
    assert plain_number(Decimal("1E+3")) == "1000"
    assert plain_number(Decimal("0.000010")) == "0.00001"
    assert plain_number(Decimal("-0")) == "0"
    assert plain_number(Decimal("12.340")) == "12.34"


@given(st.text(max_size=200))
def test_escaped_text_fills_back_to_itself(text):
    assert fill_placeholders(escape_braces(text), {}) == text


@given(
    st.text(max_size=200),
    st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), st.integers()),
)
def test_filling_never_raises_anything_but_placeholder_error(template, values):
    try:
        result = fill_placeholders(template, values)
    except PlaceholderError as exc:
        assert exc.message
    else:
        assert isinstance(result, str)
