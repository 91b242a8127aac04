"""Canvas QTI 1.2: a Canvas quiz export package read into the site."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from trainer.questions import generate_question, grade_response, validate_question
from trainer.questions.qti import parse_qti_zip

QUIZ = (Path(__file__).parent / "fixtures" / "canvas" / "quiz.xml").read_text()


def package(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CANVAS = {
    "imsmanifest.xml": "<manifest/>",
    "g1/g1.xml": QUIZ,
    "g1/assessment_meta.xml": "<quiz/>",
    "non_cc_assessments/g1.xml.qti": QUIZ,
}


@pytest.fixture(scope="module")
def parsed():
    return parse_qti_zip(package(CANVAS), "canvas.zip")


def by_id(result):
    return {q["id"]: q for q in result.questions}


def test_each_supported_canvas_type_is_imported_once(parsed):
    assert [q["type"] for q in parsed.questions] == [
        "single_choice",
        "true_false",
        "multiple_response",
        "numeric",
        "short_answer",
        "matching",
        "essay",
        "description",
    ]
    for q in parsed.questions:
        assert validate_question(q, require_metadata=False) == []


def test_an_unsupported_type_is_named(parsed):
    (problem,) = parsed.problems
    assert problem.item == "Formula"
    assert "Canvas formula (calculated) questions have no equivalent" in problem.message
    assert problem.message.startswith("g1/g1.xml line ") and ", item i9: " in problem.message


def test_multiple_choice_keeps_its_feedback_and_general_feedback(parsed):
    q = by_id(parsed)["hydrocodone"]
    assert q["choices"] == [
        {"text": "Schedule II", "correct": True},
        {"text": "Schedule III", "feedback": "Until 2014."},
    ]
    assert q["explanation"] == "Moved to C-II in 2014."
    assert q["tags"] == ["week-3-quiz"]


def test_multiple_answers_take_the_and_of_the_right_choices(parsed):
    q = by_id(parsed)["ismp"]
    assert [c.get("correct", False) for c in q["choices"]] == [True, True, False]


def test_numerical_exact_answer_with_margin(parsed):
    q = by_id(parsed)["dose-volume"]
    assert (q["answer"], q["tolerance"]) == (8, 0.05)


def test_matching_pairs_and_unused_options_as_distractors(parsed):
    q = by_id(parsed)["statins"]
    assert q["pairs"] == [
        {"left": "Lipitor", "right": "atorvastatin"},
        {"left": "Zocor", "right": "simvastatin"},
    ]
    assert q["distractors"] == ["pravastatin"]
    instance = generate_question(q, 0)
    assert grade_response(instance, dict(instance["key"])).correct


def test_a_package_without_an_assessment_is_one_clear_problem():
    result = parse_qti_zip(package({"imsmanifest.xml": "<manifest/>"}))
    assert [p.message for p in result.problems] == [
        "the package holds no QTI assessment (questestinterop) file"
    ]


def test_a_problem_names_the_items_file_and_its_line_there(parsed):
    (problem,) = parsed.problems
    line = next(n for n, text in enumerate(QUIZ.splitlines(), start=1) if 'ident="i9"' in text)
    assert problem.message.startswith(f"g1/g1.xml line {line}, item i9: ")
