"""Aiken: single-choice questions in Moodle's plainest format, read and written."""

from __future__ import annotations

from tests.unit.questions.samples import ALL, SINGLE
from trainer.questions.aiken import parse_aiken, write_aiken

VALID = """\
Which schedule is hydrocodone/acetaminophen in?
A. Schedule II
B) Schedule III
C. Schedule IV
ANSWER: A

What does 2*3 make
when written out?
A. six
B. five
ANSWER: A
"""


def test_questions_choices_and_the_answer_letter():
    result = parse_aiken(VALID, "week3.txt")
    assert result.problems == []
    first = result.questions[0]
    assert first["type"] == "single_choice"
    assert first["stem"] == "Which schedule is hydrocodone/acetaminophen in?"
    assert first["choices"] == [
        {"text": "Schedule II", "correct": True},
        {"text": "Schedule III"},
        {"text": "Schedule IV"},
    ]


def test_text_is_plain_and_may_run_over_several_lines():
    second = parse_aiken(VALID).questions[1]
    assert second["stem"] == "What does 2\\*3 make\nwhen written out?"


def test_an_answer_that_is_not_a_choice_is_reported_with_its_line():
    result = parse_aiken("Q?\nA. a\nB. b\nANSWER: D\n", "bad.txt")
    assert result.questions == []
    assert [(p.line, p.message) for p in result.problems] == [
        (4, "the answer 'D' is not one of the choices")
    ]


def test_a_question_without_an_answer_line_is_reported():
    result = parse_aiken(VALID + "\nLast?\nA. x\nB. y\n")
    assert len(result.questions) == 2
    assert result.problems[0].message == "the last question has no ANSWER: line"


def test_one_choice_is_not_a_question():
    result = parse_aiken("Q?\nA. only\nANSWER: A\n")
    assert "at least two choices" in result.problems[0].message


def test_aiken_to_site_to_aiken_compares_equal():
    first = parse_aiken(VALID).questions
    text, report = write_aiken(first)
    assert report == []
    assert parse_aiken(text).questions == first


def test_the_writer_says_what_aiken_cannot_hold():
    text, report = write_aiken(ALL)
    assert "ANSWER: " in text
    assert f"{SINGLE['id']}: Aiken has no place for the explanation or feedback" in report
    assert any(line.startswith("skipped safety-ismp-001: multiple_response") for line in report)
