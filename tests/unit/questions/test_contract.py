"""The contract every registered question type keeps, run over all of them."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.unit.questions.samples import ALL, BROKEN, COMMON, key_response
from trainer.questions import (
    QUESTION_TYPES,
    GradeResult,
    generate_question,
    get_type,
    grade_response,
    public_question_view,
    validate_question,
)

ROOT = Path(__file__).resolve().parents[3]
SEEDS = range(12)
IDS = [f"{q['type']}:{q['id']}" for q in ALL]
# types whose grade comes from the machine (an essay waits for a person, a description has none)
AUTO = [q for q in ALL if get_type(q["type"]).scored and not get_type(q["type"]).graded_by_hand]
BY_HAND = [q for q in ALL if get_type(q["type"]).graded_by_hand]
UNSCORED = [q for q in ALL if not get_type(q["type"]).scored]

GARBAGE = [
    None,
    "",
    "   ",
    "\x00",
    42,
    -1,
    3.5,
    float("nan"),
    float("inf"),
    Decimal("NaN"),
    [],
    {},
    (),
    [None],
    [[]],
    [{}],
    {"1": None},
    {"1": ["x"], "2": {"y": 1}},
    {None: "a"},
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{answer}",
    "__import__('os').system('true')",
    "z" * 100_000,
    "8" * 10_000,
    ["zz"] * 1000,
    {str(i): "zz" for i in range(1000)},
    b"bytes",
    object(),
    "8 mL" * 100,
    "1e999",
    "-",
    ".",
    "∞",
]


def test_every_registered_type_has_a_sample_and_a_broken_spec():
    assert set(QUESTION_TYPES) == {q["type"] for q in ALL} == set(BROKEN)
    assert set(QUESTION_TYPES) == {
        "single_choice",
        "multiple_response",
        "true_false",
        "numeric",
        "calculated",
        "matching",
        "short_answer",
        "ordering",
        "essay",
        "description",
        "rx_drill",
    }


@pytest.mark.parametrize("question", ALL, ids=IDS)
def test_the_sample_is_valid(question):
    assert validate_question(question) == []


@pytest.mark.parametrize("question", ALL, ids=IDS)
def test_the_same_seed_gives_the_same_instance(question):
    for seed in SEEDS:
        first = generate_question(question, seed)
        again = generate_question(question, seed)
        assert first == again
        assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
        assert first["seed"] == seed and first["question_id"] == question["id"]


def test_the_same_seed_gives_the_same_instance_in_another_process():
    # a fresh interpreter with another hash seed: nothing may depend on set or dict hashing
    code = (
        "import json\n"
        "from tests.unit.questions.samples import ALL\n"
        "from trainer.questions import generate_question\n"
        "print(json.dumps([generate_question(q, s) for q in ALL for s in range(5)], sort_keys=True))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    here = [generate_question(q, s) for q in ALL for s in range(5)]
    assert json.loads(result.stdout) == json.loads(json.dumps(here))


@pytest.mark.parametrize(
    "question",
    [q for q in AUTO if q["type"] not in ("true_false", "numeric", "short_answer")],
    ids=lambda q: q["id"],
)
def test_different_seeds_give_different_instances(question):
    instances = {
        json.dumps(generate_question(question, seed), sort_keys=True) for seed in range(30)
    }
    assert len(instances) > 1


@pytest.mark.parametrize("question", AUTO, ids=lambda q: q["id"])
def test_the_key_grades_as_correct(question):
    for seed in SEEDS:
        instance = generate_question(question, seed)
        result = grade_response(instance, key_response(instance))
        assert isinstance(result, GradeResult)
        assert result.correct is True, (seed, result)
        assert result.score == 1.0
        assert result.flags == []


@pytest.mark.parametrize("question", BY_HAND, ids=lambda q: q["id"])
def test_a_readable_answer_to_a_hand_graded_item_awaits_grading(question):
    for seed in SEEDS:
        instance = generate_question(question, seed)
        result = grade_response(instance, key_response(instance))
        assert (result.score, result.correct, result.flags) == (0.0, False, ["awaiting_grading"])


@pytest.mark.parametrize("question", UNSCORED, ids=lambda q: q["id"])
def test_an_unscored_item_is_never_scored(question):
    instance = generate_question(question, 0)
    for response in (None, "anything", ["a"]):
        result = grade_response(instance, response)
        assert (result.score, result.correct, result.flags) == (0.0, False, ["not_scored"])


@pytest.mark.parametrize("question", ALL, ids=IDS)
def test_garbage_grades_as_wrong_and_never_raises(question):
    instance = generate_question(question, 3)
    type_ = get_type(question["type"])
    for garbage in GARBAGE:
        # the type itself, not only the wrapper that would catch a slip
        result = type_.grade(instance, garbage)
        assert isinstance(result, GradeResult)
        assert result.correct is False and result.score == 0.0, (garbage, result)
        assert result.feedback, garbage
        assert all(isinstance(message, str) for message in result.feedback)
        assert 0.0 <= result.score <= 1.0 and not math.isnan(result.score)


@pytest.mark.parametrize(
    "question", [q for q in ALL if q["type"] != "true_false"], ids=lambda q: q["id"]
)
def test_booleans_grade_as_wrong_except_for_true_false(question):
    instance = generate_question(question, 3)
    for value in (True, False):
        assert get_type(question["type"]).grade(instance, value).correct is False


@pytest.mark.parametrize("question", ALL, ids=IDS)
def test_grading_a_damaged_instance_never_raises(question):
    instance = generate_question(question, 3)
    scrambled = {key: 7 for key in instance} | {"type": question["type"]}
    for damaged in ({}, {"type": question["type"]}, scrambled, {"type": "nonsense"}, None, [], "x"):
        result = grade_response(damaged, key_response(instance))
        assert result.correct is False and result.flags == ["ungradable"]


@pytest.mark.parametrize("qtype", sorted(BROKEN))
def test_a_broken_spec_is_reported(qtype):
    spec = {"id": "broken-001", "type": qtype, "stem": "Broken?", **COMMON, **BROKEN[qtype]}
    assert get_type(qtype).validate_spec(spec)
    problems = validate_question(spec)
    assert problems
    assert all(isinstance(f, str) and isinstance(m, str) and m for f, m in problems)


@pytest.mark.parametrize("qtype", sorted(BROKEN))
def test_an_empty_spec_is_reported_without_raising(qtype):
    for spec in (
        {},
        {"choices": None, "pairs": "x", "items": 3, "answers": {}, "variables": [], "answer": []},
    ):
        assert get_type(qtype).validate_spec(spec)


@pytest.mark.parametrize("question", ALL, ids=IDS)
def test_instances_survive_a_json_round_trip(question):
    for seed in SEEDS:
        instance = generate_question(question, seed)
        reloaded = json.loads(json.dumps(instance))
        assert reloaded == instance
        response = key_response(instance)
        assert grade_response(reloaded, response) == grade_response(instance, response)


# fields that would give an answer away, wherever they appear in the public view
SECRET_KEYS = {
    "key",
    "answer",
    "answers",
    "answer_text",
    "correct",
    "feedback",
    "feedback_true",
    "feedback_false",
    "explanation",
    "steps",
    "weights",
    "source",
    "values",
    "tolerance",
    "round_to",
}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    return set()


@pytest.mark.parametrize("question", ALL, ids=IDS)
def test_the_public_view_carries_no_key(question):
    for seed in SEEDS:
        instance = generate_question(question, seed)
        before = json.dumps(instance, sort_keys=True)
        view = public_question_view(instance)
        assert json.dumps(instance, sort_keys=True) == before, "public_view changed the instance"
        assert not _keys(view) & SECRET_KEYS
        text = json.dumps(view, ensure_ascii=False)
        assert instance["explanation"] not in text
        for feedback in (instance.get("feedback") or {}).values():
            assert feedback not in text
        # a number in the stem or the id may equal the answer by chance: search the rest
        # the rounding step ("1", "0.1") is a rule the learner is told, and may equal the answer's digits
        without_stem = json.dumps(
            {k: v for k, v in view.items() if k not in ("stem", "question_id", "rounding")}, ensure_ascii=False
        )
        if question["type"] in ("numeric", "calculated"):
            assert instance["answer_text"] not in without_stem
            assert instance["answer"] not in without_stem
        if question["type"] in ("short_answer", "true_false"):
            assert instance["answer_text"] not in text
        if question["type"] == "ordering":
            assert [item["text"] for item in view["items"]] != question["items"]


@pytest.mark.parametrize(
    "question",
    [q for q in ALL if q["type"] in ("single_choice", "multiple_response", "rx_drill")],
    ids=lambda q: q["id"],
)
def test_shown_choice_ids_do_not_follow_the_file_order(question):
    # the author wrote the key first; over many attempts the key must sit at every position
    positions = set()
    for seed in range(40):
        instance = generate_question(question, seed)
        key = instance["key"] if isinstance(instance["key"], str) else instance["key"][0]
        positions.add(key)
    assert len(positions) > 2
