"""Moodle XML: a Moodle export read into the site, and the site written back as Moodle XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.questions.samples import ALL
from trainer.questions import generate_question, grade_response, validate_question
from trainer.questions.moodle_xml import _MOODLE_TYPES as MOODLE_TYPES
from trainer.questions.moodle_xml import parse_moodle_xml, write_moodle_xml

FIXTURE = Path(__file__).parent / "fixtures" / "moodle_export.xml"


@pytest.fixture(scope="module")
def parsed():
    return parse_moodle_xml(FIXTURE.read_bytes(), "export.xml")


def by_id(result):
    return {q["id"]: q for q in result.questions}


def test_every_supported_type_is_imported_and_cloze_is_reported(parsed):
    assert [q["type"] for q in parsed.questions] == [
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "numeric",
        "matching",
        "essay",
        "description",
        "calculated",
        "calculated",
    ]
    (problem,) = parsed.problems
    assert problem.item == "Cloze" and "embedded answers (Cloze)" in problem.message
    assert 'question type="multianswer"' in problem.message
    for q in parsed.questions:
        assert validate_question(q, require_metadata=False) == [], q["id"]


def test_id_number_category_and_tags(parsed):
    q = parsed.questions[0]
    assert q["id"] == "safe-01"
    assert q["tags"] == ["pharmacy-math", "safety"]


def test_html_choices_are_sanitised_and_kept_as_html(parsed):
    q = by_id(parsed)["safe-01"]
    assert q["stem"] == "<p>Which dose is written <b>safely</b>?</p>"
    assert q["choices"][0] == {
        "text": "<b>0.5 mg</b>",
        "correct": True,
        "format": "html",
        "feedback": "Yes: leading zero.",
    }


def test_partial_credit_and_penalty_on_a_single_choice(parsed):
    q = by_id(parsed)["safe-01"]
    assert [c.get("weight") for c in q["choices"]] == [None, 50, -25]
    instance = generate_question({**q, "shuffle": False}, 1)
    assert grade_response(instance, "b").score == 0.5
    assert grade_response(instance, "c").score == 0.0


def test_multiple_answers_keep_their_weights_and_order_setting(parsed):
    q = by_id(parsed)["ismp-abbreviations"]
    assert q["choices"][2] == {"text": "mL", "weight": -100}
    assert q["shuffle"] is False


def test_true_false_feedback_per_answer(parsed):
    q = by_id(parsed)["trailing-zero"]
    assert (q["answer"], q["feedback_true"], q["feedback_false"]) == (False, "No.", "Right.")


def test_short_answer_weights_wildcards_and_feedback(parsed):
    q = by_id(parsed)["lipitor"]
    instance = generate_question(q, 0)
    assert grade_response(instance, "Atorvastatin").score == 1.0
    partly = grade_response(instance, "atorva")
    assert (partly.score, partly.feedback) == (0.5, ["Partly correct.", "Spell it out."])
    assert grade_response(instance, "simvastatin").feedback == [
        "Not correct.",
        "Look at the label.",
    ]


def test_numerical_with_unit_other_answers_and_catch_all(parsed):
    q = by_id(parsed)["dose-volume"]
    assert (q["answer"], q["tolerance"], q["unit"]) == (8, 0.05, "mL")
    assert q["other_answers"] == [
        {"answer": 8, "weight": 50, "tolerance": 0.5, "feedback": "Close."}
    ]
    instance = generate_question(q, 0)
    assert grade_response(instance, "8.3 mL").score == 0.5
    assert grade_response(instance, "12").feedback[-1] == "Set up the ratio again."
    assert any("unit penalty" in n.message for n in parsed.notes)


def test_matching_with_a_distractor(parsed):
    q = by_id(parsed)["statins"]
    assert q["pairs"][1] == {"left": "Zocor", "right": "simvastatin"}
    assert q["distractors"] == ["pravastatin"]


def test_essay_keeps_the_grader_information_as_the_rubric(parsed):
    assert by_id(parsed)["counselling"]["rubric"] == "Mentions the 14-day discard date."


def test_calculated_maps_wildcards_datasets_tolerance_and_inline_formulas(parsed):
    q = by_id(parsed)["drip-rate"]
    assert q["variables"] == {
        "v": {"choices": [500, 750, 1000]},
        "t": {"min": 2, "max": 8, "step": 1},
    }
    assert q["answer"] == {"formula": "v / t", "round_to": "0.1"}
    assert (q["tolerance_percent"], q["unit"]) == (1, "mL/hr")
    assert q["derived"] == {"shown_1": "v/60"}
    assert "{v} mL over {t} hours" in q["stem"] and "{shown_1}" in q["stem"]
    assert any("{V} is called v" in n.message for n in parsed.notes)
    instance = generate_question(q, 4)
    values = instance["values"]
    assert instance["answer"] == str(round(int(values["v"]) / int(values["t"]), 1)).rstrip(
        "0"
    ).rstrip(".")


def test_calculatedsimple_is_the_same_mapping(parsed):
    q = by_id(parsed)["tablets"]
    assert q["variables"] == {"dose": {"choices": [200, 400]}, "tab": {"choices": [100]}}
    assert q["answer"] == {"formula": "dose/tab", "round_to": "0.01"}
    assert q["sanity"]["min"] <= 2 and q["sanity"]["max"] >= 4


def test_a_calculated_formula_using_an_unknown_wildcard_is_reported():
    xml = FIXTURE.read_text().replace("<text>{V} / {t}</text>", "<text>{V} / {missing}</text>")
    result = parse_moodle_xml(xml)
    problem = next(p for p in result.problems if p.item == "Drip rate")
    assert "{missing}, which has no dataset" in problem.message


def test_a_calculated_formula_our_evaluator_refuses_is_reported():
    xml = FIXTURE.read_text().replace("<text>{V} / {t}</text>", "<text>log({V})</text>")
    result = parse_moodle_xml(xml)
    assert any(
        p.item == "Drip rate" and "cannot be used here" in p.message for p in result.problems
    )


def test_moodle_xml_to_site_to_moodle_xml_compares_equal(parsed):
    written = write_moodle_xml(parsed.questions)
    again = parse_moodle_xml(written)
    assert again.problems == []
    assert again.questions == parsed.questions
    assert write_moodle_xml(again.questions) == written


def test_site_to_moodle_xml_to_site_compares_equal_for_every_exportable_type():
    written = write_moodle_xml(ALL)
    again = parse_moodle_xml(written)
    # Moodle has no form for ordering or the site's own types, nor for a calculation family
    exported = [
        q
        for q in ALL
        if q["type"] in MOODLE_TYPES and "family" not in (q.get("answer") if q["type"] == "calculated" else {})
    ]
    assert again.problems == []
    assert again.questions == exported


def test_what_moodle_xml_cannot_hold_is_listed_in_the_export():
    written = write_moodle_xml(ALL)
    assert "skipped calc-dv-003: its answer comes from a calculation family" in written
    assert "skipped workflow-001: ordering questions have no Moodle XML form" in written


def test_the_export_uses_moodle_type_names():
    written = write_moodle_xml(ALL)
    for name in (
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "essay",
        "description",
        "calculated",
    ):
        assert f'<question type="{name}">' in written


def test_a_file_that_is_not_a_moodle_export_is_one_clear_problem():
    result = parse_moodle_xml(b"<html><body>hi</body></html>", "page.xml")
    assert result.questions == []
    assert [p.message for p in result.problems] == [
        "a Moodle XML export starts with <quiz>; this file does not"
    ]


# ---- problems name their line -------------------------------------------------------------------


def test_a_problem_in_the_third_question_names_its_line_and_element():
    from tests.unit.questions.moodle_lines import DOSAGE_3_LINE, THREE_DOSAGES

    result = parse_moodle_xml(THREE_DOSAGES, "dosage.xml")
    assert [q["id"] for q in result.questions] == ["dosage-1", "dosage-2"]
    (problem,) = result.problems
    assert problem.line == DOSAGE_3_LINE and problem.item == "Dosage 3"
    assert problem.message.startswith(f'line {DOSAGE_3_LINE}, question 3 “Dosage 3” <question type="numerical">: ')
    assert str(problem).startswith(f"dosage.xml:{DOSAGE_3_LINE} [Dosage 3]")


def test_a_question_the_bank_refuses_names_its_line_too():
    from tests.unit.questions.moodle_lines import DOSAGE_3_LINE, THREE_DOSAGES

    # read without trouble, refused by the bank's own checks: a multiple choice with no right answer
    xml = THREE_DOSAGES.replace(
        '<question type="numerical">\n    <name><text>Dosage 3',
        '<question type="multichoice">\n    <name><text>Dosage 3',
    ).replace(
        '<answer fraction="100"><text>twenty</text><tolerance>0</tolerance></answer>',
        '<single>true</single><answer fraction="0"><text>20 mg</text></answer>'
        '<answer fraction="0"><text>2 mg</text></answer>',
    )
    result = parse_moodle_xml(xml, "dosage.xml")
    assert result.problems and all(p.line == DOSAGE_3_LINE for p in result.problems)
    assert all(p.message.startswith(f"line {DOSAGE_3_LINE}, question 3 “Dosage 3”") for p in result.problems)


def test_the_shipped_fixtures_unsupported_question_names_its_line(parsed):
    from tests.unit.questions.moodle_lines import line_of_text

    (problem,) = parsed.problems
    line = line_of_text(FIXTURE.read_text(), '<question type="multianswer">')
    assert problem.line == line and problem.message.startswith(f"line {line}, question 11 ")


def test_line_numbers_leave_the_hardening_in_place():
    from trainer.questions.interchange import Refused
    from trainer.questions.moodle_xml import line_of, parse_xml_document

    root = parse_xml_document("<quiz>\n\n  <question/>\n</quiz>")
    assert line_of(root) == 1 and line_of(root.find("question")) == 3
    with pytest.raises(Refused, match="DTD or entities"):
        parse_xml_document('<!DOCTYPE quiz [<!ENTITY a "aaaa">]><quiz>&a;</quiz>')
    with pytest.raises(Refused, match=r"not well-formed XML \(line 2\)"):
        parse_xml_document("<quiz>\n<question></quiz>")
