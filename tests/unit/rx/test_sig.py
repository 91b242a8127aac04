"""Sig codes: meanings, patient directions and error-prone flags, against published examples."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.rx import Flag, abbreviations, sig

COURSE = "RxTrainer rx-intake module 3, table 'The verb matches the route' (USP <17> style)"


def test_the_issue_examples():
    assert sig.meaning("bid") == "twice a day"
    assert sig.meaning("nonsense") is None
    assert (
        sig.translate("i tab po bid pc x 10 days")
        == "Take 1 tablet by mouth twice a day after meals for 10 days."
    )
    assert sig.error_prone("1 tab po QD") == [Flag(token="QD", advice="write 'daily'")]


@pytest.mark.parametrize(
    ("text", "directions"),
    [
        # verbs by route: the course table (source: COURSE)
        ("1 tab po daily", "Take 1 tablet by mouth daily."),
        ("1 gtt OD bid", "Instill 1 drop into the right eye twice a day."),
        ("1 supp pr q6h prn n/v", "Insert 1 suppository rectally every 6 hours as needed for nausea and vomiting."),
        ("2 puffs inh q4h prn SOB", "Inhale 2 puffs by mouth every 4 hours as needed for shortness of breath."),
        ("apply top bid", "Apply to the affected area twice a day."),
        ("10 units SUBQ qhs", "Inject 10 units under the skin at bedtime."),
        ("1 tab sl q5min prn CP x 3 doses", "Dissolve 1 tablet under the tongue every 5 minutes as needed for chest pain up to 3 doses."),
        ("2 sprays NAS each nostril daily", "Use 2 sprays in each nostril daily."),
        ("ii gtts AU tid", "Instill 2 drops into both ears three times a day."),
        ("5 mL po tid x 7 days", "Take 5 mL by mouth three times a day for 7 days."),
        ("½ tab po qam", "Take ½ tablet by mouth every morning."),
        ("1-2 tabs po q4-6h prn pain max 8 tabs/day",
         "Take 1 to 2 tablets by mouth every 4 to 6 hours as needed for pain. Do not take more than 8 tablets a day."),
        ("2 tabs po daily x 3 days then 1 tab po daily x 3 days",
         "Take 2 tablets by mouth daily for 3 days, then take 1 tablet by mouth daily for 3 days."),
        ("1 patch TD q72h", "Apply 1 patch to the skin every 72 hours."),
        ("1 applicatorful pv qhs x 7 days", "Insert 1 applicatorful vaginally at bedtime for 7 days."),
    ],
)  # fmt: skip
def test_translations(text, directions):
    assert sig.translate(text) == directions


@pytest.mark.parametrize(
    ("text", "token", "advice"),
    [
        # ISMP List of Error-Prone Abbreviations (2021) and TJC "Do Not Use" list
        ("1 tab po qod", "qod", "write 'every other day'"),
        ("10 U SUBQ daily", "U", "write 'units'"),
        ("1 tab po qhs", "qhs", "write 'nightly' or 'at bedtime'"),
        ("1 gtt OS bid", "OS", "write 'left eye'"),
        ("2 gtts AD tid", "AD", "write 'right ear'"),
        (
            "10 units SC daily",
            "SC",
            "write 'SUBQ' (capitals, no spaces or periods) or 'subcutaneous(ly)'",
        ),
        (
            "10 units sub q daily",
            "sub q",
            "write 'SUBQ' (capitals, no spaces or periods) or 'subcutaneous(ly)'",
        ),
        ("5 cc po bid", "cc", "write 'mL'"),
        ("50 μg po daily", "μg", "write 'mcg'"),
        ("1 tab po tiw", "tiw", "write '3 times weekly'"),
        ("1 tab po hs", "hs", "write 'bedtime'"),
        ("ud", "ud", "write 'as directed'"),
    ],
)
def test_error_prone_abbreviations_are_flagged_with_what_to_write(text, token, advice):
    flags = sig.error_prone(text)
    assert Flag(token, advice) in flags, flags


@pytest.mark.parametrize(
    ("text", "token", "start"),
    [
        (".5 mg po daily", ".5", "Write a leading zero"),
        ("5.0 mg po daily", "5.0", "Leave off trailing zeros"),
        ("10mg po daily", "10mg", "Put a space"),
        ("100000 units IM x1", "100000", "Write commas"),
        ("1/2 tab po daily", "1/2", 'Write "half tablet"'),
        ("ii tabs po bid", "ii", "Write doses in Arabic numerals"),
    ],
)
def test_dose_designations_are_flagged(text, token, start):
    flags = sig.error_prone(text)
    assert any(f.token == token and f.advice.startswith(start) for f in flags), flags


def test_ordinary_words_are_not_flagged():
    assert (
        sig.error_prone("Take 1 tablet by mouth daily as directed with food in the morning") == []
    )
    assert sig.error_prone("1 tab po daily, mix in water") == []


def test_every_ismp_and_joint_commission_entry_is_flagged_when_written():
    for entry in abbreviations.error_prone_entries():
        flags = sig.error_prone(f"1 tab {entry.code} daily")
        # the reader folds compatibility characters first: the micro sign µ becomes Greek μ
        written = unicodedata.normalize("NFKC", entry.code)
        assert any(f.token == written for f in flags), entry.code


def test_the_dictionary_has_at_least_100_abbreviations_with_meanings():
    entries = abbreviations.ABBREVIATIONS
    assert len(entries) >= 100
    assert all(e.meaning and e.kind in abbreviations.KINDS for e in entries)


def test_subcutaneous_follows_the_current_ismp_list():
    # ISMP 2021: "SUBQ" (capitals, no spaces or periods) or "subcutaneous(ly)"; "subcut" is its older advice
    assert sig.error_prone("10 units SUBQ daily") == []
    assert "SUBQ" in abbreviations.BY_CODE["SC"].error.write
    assert 'subcut"' not in abbreviations.BY_CODE["SQ"].error.write
    assert "2021" in abbreviations.BY_CODE["subcut"].meaning


def test_cc_is_mistaken_for_units_as_ismp_says():
    assert abbreviations.BY_CODE["cc"].error.mistaken_for == '"u" (units)'


def test_read_gives_doses_a_day_and_the_amount():
    read = sig.read("2 caps po tid x 10 days")
    assert (read.amount, read.per_day) == (2, 3)
    assert read.clauses[0].duration_days == 10


def test_check_reports_missing_parts():
    found = sig.check("1 tab")
    assert not found.valid
    assert any("how often" in m for _, m in found.problems)
    assert any("route" in m for _, m in found.problems)
    assert sig.check("1 tab po bid").valid


@pytest.mark.parametrize(
    "bad",
    [None, "", "   ", 42, [], {"sig": 1}, "x" * 10_000, "\x00\x01", "１ tab po ｂｉｄ", "ｑｄ"],
)
def test_bad_input_gives_empty_directions_or_problems(bad):
    assert isinstance(sig.translate(bad), str)
    assert isinstance(sig.error_prone(bad), list)
    assert isinstance(sig.check(bad).problems, list)


sig_words = st.sampled_from(
    ["1", "2", "ii", ".5", "10mg", "tab", "tabs", "po", "bid", "qd", "q4-6h", "prn", "pain", "x", "10", "days",
     "then", "max", "8/day", "OU", "gtt", "SUBQ", "units", "U", ",", ";", "for", "x7d", "q", "6", "h", "½", "1-2"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(sig_words, st.text(max_size=6)), max_size=25).map(" ".join))
def test_translating_never_raises(text):
    directions = sig.translate(text)
    assert isinstance(directions, str)
    assert directions == "" or directions.endswith(".")


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(max_size=600), st.binary(max_size=20)))
def test_reading_anything_never_raises(value):
    sig.read(value)
    sig.meaning(value)
