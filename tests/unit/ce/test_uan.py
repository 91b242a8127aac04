"""ACPE Universal Activity Numbers: real shapes parse, malformed ones say what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.ce import TOPICS, Uan, UanError, parse_uan, uan_problems


def test_the_example_from_the_issue_parses_into_its_parts():
    assert parse_uan("JA4008164-0000-24-027-H03-T") == Uan(
        provider="JA4008164", joint="0000", year=2024, sequence="027", format="H", topic="03", audience="T"
    )


@pytest.mark.parametrize(
    ("text", "provider", "joint", "year", "fmt", "topic", "audience"),
    [
        ("0669-0000-23-023-H03-T", "0669", "0000", 2023, "H", "03", "T"),  # the reference's example
        ("0175-0000-14-105-L05-T", "0175", "0000", 2014, "L", "05", "T"),  # a live patient-safety activity
        ("0798-9999-18-246-H04-P", "0798", "9999", 2018, "H", "04", "P"),  # jointly provided (9999)
        ("0204-0000-20-755-H08-P", "0204", "0000", 2020, "H", "08", "P"),  # pain management / opioids
        ("JA4008164-0000-24-001-H05-T", "JA4008164", "0000", 2024, "H", "05", "T"),  # jointly accredited id
        ("0121-0000-13-003-H05-T", "0121", "0000", 2013, "H", "05", "T"),
    ],
)
def test_real_activity_numbers_parse(text, provider, joint, year, fmt, topic, audience):
    uan = parse_uan(text)
    assert (uan.provider, uan.joint, uan.year, uan.format, uan.topic, uan.audience) == (
        provider, joint, year, fmt, topic, audience,
    )  # fmt: skip
    assert str(uan) == text


def test_lower_case_and_surrounding_spaces_are_accepted():
    assert str(parse_uan("  ja4008164-0000-24-027-h03-t ")) == "JA4008164-0000-24-027-H03-T"


def test_the_p_and_t_numbers_of_one_course_stay_distinct():
    pharmacist, technician = parse_uan("0669-0000-23-023-H03-P"), parse_uan("0669-0000-23-023-H03-T")
    assert pharmacist != technician
    assert technician.is_technician and not pharmacist.is_technician


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_acpe_topic_designator_is_known_by_name(topic):
    assert parse_uan(f"0669-0000-23-023-H{topic}-T").topic_name == TOPICS[topic]


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("197-000-15-001-L05-T", "provider", "four digits"),  # a shortened form seen on a help page
        ("0669-0000-23-023-H09-T", "topic", "01–08"),
        ("0669-0000-23-023-H99-T", "topic", "01–08"),
        ("0669-0000-23-023-X03-T", "format", "L (live)"),
        ("0669-0000-23-023-H03-X", "audience", "P (pharmacist) or T"),
        ("0669-0000-23-23-H03-T", "sequence", "three digits"),
        ("0669-0000-2023-023-H03-T", "year", "two digits"),
        ("0669-0000-23-023-03-T", "designator", "format letter"),
        ("0669-0000-23-023-H03", "uan", "six parts"),
        ("0669000023023H03T", "uan", "six parts"),
        ("0669–0000–23–023–H03–T", "uan", "six parts"),  # en dashes from a word processor
        ("", "uan", "Enter the activity number"),
        ("JA-0000-24-027-H03-T", "provider", "letters and digits"),
    ],
)
def test_malformed_numbers_are_refused_with_a_message_naming_the_part(text, field, words):
    with pytest.raises(UanError) as caught:
        parse_uan(text)
    fields = [f for f, _ in caught.value.problems]
    assert field in fields
    assert words in str(caught.value)


def test_problems_come_back_as_field_and_message_pairs():
    assert uan_problems("0669-0000-23-023-H03-T") == []
    assert uan_problems("0669-0000-23-023-Q09-X") == [
        ("format", "The format letter is L (live), H (home study) or B (blended), not 'Q'."),
        ("topic", "The topic designator is 01–08 (ACPE's topics), not '09'."),
        ("audience", "The audience is P (pharmacist) or T (pharmacy technician), not 'X'."),
    ]


provider_ids = st.one_of(
    st.from_regex(r"\A\d{4}\Z"), st.from_regex(r"\A(JA|[A-Z])\d{4,9}\Z")
)
well_formed = st.builds(
    lambda provider, joint, year, sequence, fmt, topic, audience: (
        f"{provider}-{joint}-{year:02d}-{sequence:03d}-{fmt}{topic}-{audience}"
    ),
    provider_ids,
    st.sampled_from(["0000", "9999"]),
    st.integers(0, 99),
    st.integers(0, 999),
    st.sampled_from("LHB"),
    st.sampled_from(sorted(TOPICS)),
    st.sampled_from("PT"),
)


@given(well_formed)
def test_every_well_formed_number_parses_and_prints_back_unchanged(text):
    assert str(parse_uan(text)) == text


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_uan_error(text):
    try:
        parse_uan(text)
    except UanError as exc:
        assert exc.problems and all(isinstance(message, str) and message for _, message in exc.problems)
