"""NDC shapes, the 11-digit billing form and the 12-digit form of the 2026 final rule."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.rx import NDC, Check, NdcError, ndc

DAISYBILL = "https://kb.daisybill.com/articles/how-do-i-convert-a-10-digit-ndc-number-to-11-digits"


@pytest.mark.parametrize(
    ("ten", "eleven", "padded"),
    [
        # the three worked examples of the conversion guide (source: DAISYBILL)
        ("0002-7597-01", "00002-7597-01", "labeler"),
        ("50242-040-62", "50242-0040-62", "product"),
        ("60575-4112-1", "60575-4112-01", "package"),
    ],
)
def test_published_conversions_to_11_digits(ten, eleven, padded):
    assert ndc.to_11(ten) == eleven
    assert ndc.billing(ten) == eleven.replace("-", "")
    assert ndc.padded_segment(ten) == padded


def test_parse_names_the_shape():
    assert ndc.parse("50242-040-62") == NDC("50242", "040", "62", shape="5-3-2")
    assert ndc.parse("0002-7597-01").shape == "4-4-2"
    assert ndc.parse("00002759701") == NDC("00002", "7597", "01", "5-4-2")


def test_ten_digits_without_hyphens_are_ambiguous():
    with pytest.raises(NdcError, match="ambiguous"):
        ndc.to_11("0002759701")


def test_twelve_digits_are_the_2026_format():
    # FDA final rule, 91 FR 10749: existing NDCs gain leading zeros to become 6-4-2
    assert ndc.to_12("0002-7597-01") == "000002-7597-01"
    assert ndc.to_12("50242-040-62") == "050242-0040-62"
    assert ndc.to_12("60575-4112-1") == "060575-4112-01"
    assert ndc.parse("000002759701") == NDC("000002", "7597", "01", "6-4-2")
    assert ndc.to_11("000002-7597-01") == "00002-7597-01"


def test_a_six_digit_labeler_has_no_11_digit_form():
    with pytest.raises(NdcError, match="six-digit labeler"):
        ndc.to_11("123456-7890-12")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0002-7597", "digits in three hyphenated segments"),
        ("002-7597-01", "segments are 3-4-2"),
        ("0002-7597-01-1", "digits in three hyphenated segments"),
        ("123456789", "has 10, 11 or 12 digits; this has 9"),
        ("ABCDE-123-45", "digits in three hyphenated segments"),
    ],
)
def test_unreadable_ndcs_say_why(text, message):
    with pytest.raises(NdcError, match=message):
        ndc.parse(text)
    assert ndc.check(text).problems[0][0] == "ndc"


def test_unicode_dashes_are_read_as_hyphens():
    assert ndc.to_11("0002\u20137597\u201201") == "00002-7597-01"


def test_same_product_across_shapes():
    assert ndc.same_product("0002-7597-01", "00002759701")
    assert not ndc.same_product("0002-7597-01", "0002-7597-02")
    assert not ndc.same_product(None, "0002-7597-01")


@pytest.mark.parametrize(
    "bad",
    [None, "", 42, 2.5, [], {}, "x" * 10_000, "0002-7597-0１", "０００２-７５９７-０１x", "\u0000"],
)
def test_check_never_raises(bad):
    assert isinstance(ndc.check(bad), Check)


def test_parse_raises_only_ndc_error():
    for bad in (None, 42, [], "x" * 10_000, "0002—7597—01—"):
        with pytest.raises(NdcError):
            ndc.parse(bad)


shaped = st.sampled_from(ndc.TEN_DIGIT_SHAPES).flatmap(
    lambda shape: st.tuples(
        *(st.text(alphabet="0123456789", min_size=n, max_size=n) for n in ndc.SHAPES[shape]),
        st.just(shape),
    )
)


@settings(max_examples=300, deadline=None)
@given(shaped)
def test_every_shape_round_trips_through_its_11_digit_form(parts):
    *segments, shape = parts
    original = "-".join(segments)
    eleven = ndc.to_11(original)
    assert len(eleven.replace("-", "")) == 11
    assert ndc.from_11(eleven, shape) == original
    assert ndc.from_11(ndc.to_12(original), shape) == original


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parse_raises_nothing_but_ndc_error(text):
    with contextlib.suppress(NdcError):
        ndc.parse(text)
