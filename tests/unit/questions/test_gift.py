"""Moodle GIFT: reading uploads, refusing what does not fit, and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.questions.samples import (
    ALL,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    question,
)
from trainer.questions import validate_question
from trainer.questions.gift import parse_gift, write_gift

DEFAULTS = {
    "tags": ["imported"],
    "difficulty": "easy",
    "blueprint": ["ptce-2020:4.2"],
    "references": ["Moodle export, week 3"],
}

# Line numbers: category 3, first question 5, numeric 12, range 14, TF 16, short 18,
# matching 20, missing word 26, untitled 28, weights 30.
VALID = """\
// A comment line, ignored
// question: 1 name: Schedules
$CATEGORY: $course$/top/Law/Controlled Substances

::Hydrocodone schedule::Which schedule is hydrocodone/acetaminophen in? {
  =Schedule II#Rescheduled in 2014.
  ~Schedule III#It was, until 2014.
  ~Schedule IV
  ####Hydrocodone combination products moved to C-II in October 2014.
}

::Dose volume::[markdown]How many mL of 250 mg/5 mL hold 400 mg? {#8:0.05}

::Range::Pick a number from 1 to 5 {#1..5}

::Trailing zero::A trailing zero is safe. {FALSE#It is not safe.#Right: never write 5.0 mg.}

::Lipitor generic::What is the generic name of Lipitor? {=atorvastatin =atorvastatin calcium}

::Statins::Match the brand to its generic. {
  =Lipitor -> atorvastatin
  =Zocor -> simvastatin
  =Crestor -> rosuvastatin
  = -> pravastatin
}

Warfarin is a {~beta blocker =vitamin K antagonist ~statin} used to prevent clots.

What does 1\\:1000 epinephrine mean \\{as a ratio\\}? {=1 g in 1000 mL ~1 g in 100 mL ~1 mg in 1000 mL}

::ISMP::Which are error-prone abbreviations? {~%50%cc ~%50%IU ~%-100%mL ~%-100%mcg}
"""


@pytest.fixture(scope="module")
def parsed():
    return parse_gift(VALID, "week3.gift", defaults=DEFAULTS)


def by_id(result):
    return {q["id"]: q for q in result.questions}


def test_a_valid_file_gives_every_question_and_no_problems(parsed):
    assert parsed.problems == []
    assert list(by_id(parsed)) == [
        "hydrocodone-schedule",
        "dose-volume",
        "range",
        "trailing-zero",
        "lipitor-generic",
        "statins",
        "gift-7",
        "gift-8",
        "ismp",
    ]
    for q in parsed.questions:
        assert validate_question(q, require_metadata=False) == [], q["id"]
    # with general feedback (our explanation) and the defaults, a question is complete
    assert validate_question(by_id(parsed)["hydrocodone-schedule"]) == []


def test_multiple_choice_with_feedback_and_general_feedback(parsed):
    q = by_id(parsed)["hydrocodone-schedule"]
    assert q == {
        "id": "hydrocodone-schedule",
        "type": "single_choice",
        "stem": "Which schedule is hydrocodone/acetaminophen in?",
        "choices": [
            {"text": "Schedule II", "correct": True, "feedback": "Rescheduled in 2014."},
            {"text": "Schedule III", "feedback": "It was, until 2014."},
            {"text": "Schedule IV"},
        ],
        "explanation": "Hydrocodone combination products moved to C-II in October 2014.",
        "tags": ["imported", "controlled-substances"],
        "difficulty": "easy",
        "blueprint": ["ptce-2020:4.2"],
        "references": ["Moodle export, week 3"],
    }


def test_numeric_with_tolerance_and_range(parsed):
    questions = by_id(parsed)
    assert (questions["dose-volume"]["answer"], questions["dose-volume"]["tolerance"]) == (8, 0.05)
    assert questions["dose-volume"]["stem"] == "How many mL of 250 mg/5 mL hold 400 mg?"
    assert (questions["range"]["answer"], questions["range"]["tolerance"]) == (3, 2)


def test_true_false_feedback_goes_to_the_answer_it_is_for(parsed):
    q = by_id(parsed)["trailing-zero"]
    assert q["answer"] is False
    assert (
        q["feedback_true"] == "It is not safe."
    )  # the wrong answer's feedback comes first in GIFT
    assert q["feedback_false"] == "Right: never write 5.0 mg."


def test_short_answer_matching_and_missing_word(parsed):
    questions = by_id(parsed)
    assert questions["lipitor-generic"]["answers"] == ["atorvastatin", "atorvastatin calcium"]
    assert questions["statins"]["pairs"][1] == {"left": "Zocor", "right": "simvastatin"}
    assert questions["statins"]["distractors"] == ["pravastatin"]
    assert questions["gift-7"]["stem"] == "Warfarin is a _____ used to prevent clots."
    assert questions["gift-7"]["choices"][1] == {"text": "vitamin K antagonist", "correct": True}


def test_escapes(parsed):
    q = by_id(parsed)["gift-8"]
    assert q["stem"] == "What does 1:1000 epinephrine mean {as a ratio}?"


def test_weights_make_multiple_response(parsed):
    q = by_id(parsed)["ismp"]
    assert q["type"] == "multiple_response"
    # ±50% is the default for two correct choices; -100% is not, so it is kept
    assert q["choices"] == [
        {"text": "cc", "correct": True},
        {"text": "IU", "correct": True},
        {"text": "mL", "weight": -100},
        {"text": "mcg", "weight": -100},
    ]


def test_without_defaults_metadata_is_left_for_the_instructor():
    result = parse_gift("::Q1::Is it? {T}")
    assert result.problems == []
    assert result.questions[0] == {
        "id": "q1",
        "type": "true_false",
        "stem": "Is it?",
        "answer": True,
        "explanation": "",
        "tags": [],
        "difficulty": "medium",
        "blueprint": [],
        "references": [],
        "status": "draft",
    }
    strict = parse_gift("::Q1::Is it? {T}", require_metadata=True)
    assert strict.questions == []
    assert {p.field for p in strict.problems} == {"tags", "blueprint", "references"}
    assert all(p.line == 1 and p.item == "q1" and p.file == "upload.gift" for p in strict.problems)


def test_a_question_without_general_feedback_is_a_draft_that_needs_an_explanation():
    result = parse_gift("::Q1::Is it? {T}", defaults={"status": "published"})
    assert result.questions[0]["status"] == "draft"
    assert [n.message for n in result.notes] == [
        "has no general feedback: imported as a draft that needs an explanation"
    ]


def test_ids_are_unique_and_can_be_prefixed():
    text = "::Same::A? {T}\n\n::Same::B? {F}\n\nC? {T}\n\n::!!!::D? {T}"
    result = parse_gift(text, defaults={"id_prefix": "wk3-"})
    assert [q["id"] for q in result.questions] == [
        "wk3-same",
        "wk3-same-2",
        "wk3-gift-3",
        "wk3-gift-4",
    ]


def test_unknown_defaults_are_a_programming_error():
    with pytest.raises(ValueError, match="unknown question import defaults"):
        parse_gift("Q? {T}", defaults={"tag": ["x"]})


def test_a_category_line_without_a_blank_line_after_it():
    result = parse_gift("$CATEGORY: IV rates\n::Q::Drip? {T}")
    assert result.questions[0]["tags"] == ["iv-rates"] and result.questions[0]["id"] == "q"


def test_windows_line_ends_and_a_byte_order_mark():
    result = parse_gift("\ufeff::A::One? {T}\r\n\r\n::B::Two? {F}\r\n")
    assert [q["id"] for q in result.questions] == ["a", "b"]


# What Moodle's own reader refuses too, and what our types cannot hold.
MALFORMED = [
    ("::Open::No closing brace {=a ~b", "not closed with }"),
    ("::Backwards::Odd } then {T", "not closed with }"),
    ("::One choice::Pick {~a}", "at least two answers"),
    ("::None right::Pick {~%0%a ~%-50%b}", "no answer is correct"),
    ("::Num::How many? {#eight}", "is not a number"),
    ("::Num2::How many? {#=%50%8:1}", "no numerical answer is worth full marks"),
    ("::Range::How many? {#5..1}", "low..high"),
    ("::Match2::Match {=a -> b =c}", "=left -> right"),
    ("::Pairs::Match {=a -> b}", "at least two pairs"),
    ("::Short::Name it {=abc =%-50%ab}", "percentage from 0 to 100"),
    ("{T}", "no text"),
    ("::Empty::Pick {=a ~}", "an answer has no text"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED, ids=[m for _, m in MALFORMED])
def test_a_malformed_question_is_reported_and_nothing_is_imported_for_it(text, message):
    good = "::Fine::Is this fine? {T}"
    result = parse_gift(f"{good}\n\n// between\n\n{text}\n\n{good}", "bad.gift")
    assert [q["id"] for q in result.questions] == ["fine", "fine-2"]
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    problem = result.problems[0]
    assert message in problem.message
    assert (problem.file, problem.line) == ("bad.gift", 5)
    assert problem.item


def test_a_broken_rxtrainer_comment_is_reported():
    result = parse_gift("// rxtrainer: {not json\n::Q::Is it? {T}")
    assert result.questions == [] and result.problems[0].line == 1
    assert "not valid JSON" in result.problems[0].message


def test_lines_are_reported_for_each_question(parsed):
    result = parse_gift(
        VALID.replace("{#1..5}", "{#5..1}").replace("{=atorvastatin =atorvastatin calcium}", "{~atorvastatin}"),
        "w.gift",
    )
    assert sorted((p.line, p.item) for p in result.problems) == [
        (14, "Range"),
        (18, "Lipitor generic"),
    ]


# ---- writing and round trips ------------------------------------------------------------------

GIFT_TYPES = (
    "single_choice",
    "multiple_response",
    "true_false",
    "short_answer",
    "matching",
    "numeric",
    "essay",
    "description",
)


def test_write_then_parse_gives_the_same_questions():
    questions = [q for q in ALL if q["type"] in GIFT_TYPES]
    text = write_gift(questions)
    result = parse_gift(text)
    assert result.problems == []
    assert result.questions == questions


def test_types_gift_cannot_hold_are_listed_not_lost_silently():
    text = write_gift(ALL)
    assert "// skipped calc-dv-003: calculated questions have no GIFT form" in text
    assert "// skipped workflow-001: ordering questions have no GIFT form" in text


def test_numeric_settings_survive_the_round_trip():
    numeric = {
        **NUMERIC,
        "unit_required": True,
        "round_to": "0.1",
        "tolerance_percent": 1,
        "safety": {"naked_decimal": "penalise"},
        "status": "draft",
    }
    numeric.pop("tolerance")
    text = write_gift([numeric])
    assert "{#8:0.08" in text  # Moodle gets the percent as an absolute tolerance
    assert parse_gift(text).questions == [numeric]


def test_special_characters_survive_the_round_trip():
    tricky = question(
        "tricky-001",
        "single_choice",
        "Which is {right}?\n\nA = B ~ C # D: E \\ F",
        choices=[
            {"text": "1:1000 {w/v}", "correct": True, "feedback": "Yes #1"},
            {"text": "~50% = half"},
            {"text": "a\\b"},
        ],
    )
    tricky["explanation"] = "Line one.\nLine two: {braces} and ####."
    text = write_gift([tricky])
    assert parse_gift(text).questions == [tricky]


def test_written_gift_is_what_moodle_expects():
    text = write_gift([SINGLE, MULTIPLE, TRUE_FALSE, SHORT, MATCHING])
    assert "::law-sched-001::[markdown]Which schedule is hydrocodone/acetaminophen in?{" in text
    assert "\t=Schedule II#Rescheduled in October 2014." in text
    assert "\t~%50%cc" in text and "\t~%-50%mL" in text
    assert "FALSE#It can be read as 50 mg.}" in text or "FALSE#It can be read as 50 mg.####" in text
    assert "\t=Lipitor -> atorvastatin" in text and "\t= -> pravastatin" in text
    assert "$CATEGORY: rxtrainer/sample" in text


_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"),
            blacklist_characters="\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007",
        )
        | st.sampled_from(list("~=#{}:\\\n->%")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=150, deadline=None)
@given(stem=_text, right=_text, wrong=_text, feedback=_text, explanation=_text)
def test_any_text_round_trips(stem, right, wrong, feedback, explanation):
    if right == wrong or "\n" in right + wrong + feedback:
        return  # choice texts are single lines and must differ
    q = question(
        "prop-001",
        "single_choice",
        stem,
        choices=[{"text": right, "correct": True, "feedback": feedback}, {"text": wrong}],
    )
    q["explanation"] = explanation
    result = parse_gift(write_gift([q]))
    assert result.problems == [] and result.questions == [q]


def test_the_rxtrainer_comment_never_overrides_what_the_gift_text_says():
    text = '// rxtrainer: {"answer": true, "stem": "Other", "tags": ["kept"]}\n::Q::Is it? {F}'
    (q,) = parse_gift(text).questions
    assert (q["answer"], q["stem"], q["tags"]) == (False, "Is it?", ["kept"])
