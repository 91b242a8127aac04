"""Grading edge cases of the choice, matching, short-answer and ordering types."""

from __future__ import annotations

import pytest

from tests.unit.questions.samples import (
    MATCHING,
    MULTIPLE,
    ORDERING,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    question,
)
from trainer.questions import (
    generate_question,
    grade_response,
    public_question_view,
    validate_question,
)


def shown_id_of(instance: dict, text: str) -> str:
    return next(c["id"] for c in instance["choices"] if c["text"] == text)


# ---- single choice --------------------------------------------------------------------


def test_single_choice_key_and_feedback():
    instance = generate_question(SINGLE, 5)
    right = grade_response(instance, shown_id_of(instance, "Schedule II"))
    assert right.correct and right.score == 1.0
    assert "Rescheduled in October 2014." in right.feedback
    wrong = grade_response(instance, shown_id_of(instance, "Schedule III"))
    assert not wrong.correct and wrong.score == 0.0
    assert wrong.feedback == ["Not correct.", "It was, until 2014."]


def test_single_choice_accepts_the_id_in_capitals_and_with_spaces():
    instance = generate_question(SINGLE, 5)
    key = instance["key"]
    assert grade_response(instance, f"  {key.upper()} ").correct


@pytest.mark.parametrize("response", ["e", "ab", ["a"], 0, "Schedule II"])
def test_single_choice_unknown_ids_are_unparseable(response):
    result = grade_response(generate_question(SINGLE, 5), response)
    assert not result.correct and result.flags == ["unparseable"]


def test_single_choice_blank_is_flagged_blank():
    assert grade_response(generate_question(SINGLE, 5), " ").flags == ["blank"]


def test_single_choice_without_shuffle_keeps_the_file_order():
    fixed = {**SINGLE, "shuffle": False}
    instance = generate_question(fixed, 9)
    assert [c["text"] for c in instance["choices"]] == [c["text"] for c in SINGLE["choices"]]
    assert [c["id"] for c in instance["choices"]] == ["a", "b", "c", "d"]


def test_a_quiz_can_turn_choice_shuffling_off():
    instance = generate_question(SINGLE, 9, shuffle_choices=False)
    assert [c["source"] for c in instance["choices"]] == ["a", "b", "c", "d"]


def test_shown_choices_keep_their_file_position_for_item_analysis():
    instance = generate_question(SINGLE, 9)
    by_source = {c["source"]: c["text"] for c in instance["choices"]}
    assert by_source == {
        "a": "Schedule II",
        "b": "Schedule III",
        "c": "Schedule IV",
        "d": "Schedule V",
    }


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ([{"text": "A"}, {"text": "B"}], "choices"),
        ([{"text": "A", "correct": True}], "choices"),
        ([{"text": "A", "correct": True}, {"text": "A"}], "choices[1].text"),
        ([{"text": "A", "correct": "yes"}, {"text": "B"}], "choices[0].correct"),
        ([{"text": "A", "correct": True, "weight": 50}, {"text": "B"}], "choices[0].weight"),
        ([{"text": ""}, {"text": "B", "correct": True}], "choices[0].text"),
        (["A", {"text": "B", "correct": True}], "choices[0]"),
    ],
)
def test_single_choice_spec_problems_name_the_field(choices, field):
    problems = validate_question({**SINGLE, "choices": choices})
    assert field in [f for f, _ in problems], problems


# ---- multiple response ----------------------------------------------------------------


def ids(instance, *texts):
    return [shown_id_of(instance, t) for t in texts]


def test_multiple_response_partial_credit_by_default():
    instance = generate_question(MULTIPLE, 2)
    assert grade_response(instance, ids(instance, "cc", "IU")).score == 1.0
    half = grade_response(instance, ids(instance, "cc"))
    assert half.score == 0.5 and not half.correct and half.feedback[0] == "Partly correct."
    # a wrong choice costs 1/k, never below zero
    assert grade_response(instance, ids(instance, "cc", "IU", "mL")).score == 0.5
    assert grade_response(instance, ids(instance, "cc", "mL")).score == 0.0
    assert grade_response(instance, ids(instance, "mL", "mcg")).score == 0.0
    assert grade_response(instance, ids(instance, "cc", "IU", "mL", "mcg")).score == 0.0


def test_multiple_response_counts_a_repeated_id_once():
    instance = generate_question(MULTIPLE, 2)
    cc = shown_id_of(instance, "cc")
    assert grade_response(instance, [cc, cc, cc]).score == 0.5


def test_multiple_response_weights_override_the_default():
    weighted = {
        **MULTIPLE,
        "choices": [
            {"text": "cc", "correct": True, "weight": 75},
            {"text": "IU", "correct": True, "weight": 25},
            {"text": "mL", "weight": -100},
            {"text": "mcg", "weight": 0},
        ],
    }
    assert validate_question(weighted) == []
    instance = generate_question(weighted, 1)
    assert grade_response(instance, ids(instance, "cc")).score == 0.75
    assert grade_response(instance, ids(instance, "cc", "mL")).score == 0.0
    # a zero-weight distractor costs nothing: full marks is full marks
    assert grade_response(instance, ids(instance, "cc", "IU", "mcg")).correct


def test_multiple_response_thirds_add_up_exactly():
    thirds = {
        **MULTIPLE,
        "choices": [{"text": t, "correct": True} for t in "ABC"] + [{"text": "D"}],
    }
    instance = generate_question(thirds, 0)
    assert grade_response(instance, ids(instance, "A", "B", "C")).correct
    assert grade_response(instance, ids(instance, "A", "B")).score == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([{"text": "A", "correct": True, "weight": 50}, {"text": "B"}], "add up to 50, not 100"),
        ([{"text": "A", "correct": True, "weight": -10}, {"text": "B"}], "positive weight"),
        ([{"text": "A", "correct": True}, {"text": "B", "weight": 20}], "cannot add to the mark"),
        ([{"text": "A", "correct": True}, {"text": "B", "weight": 200}], "between -100 and 100"),
        ([{"text": "A", "correct": True}, {"text": "B", "weight": "lots"}], "percentage"),
    ],
)
def test_multiple_response_weight_problems(choices, message):
    problems = validate_question({**MULTIPLE, "choices": choices})
    assert any(message in m for _, m in problems), problems


@pytest.mark.parametrize("response", ["a", "a,b", {"a": True}, [1, 2], ["a", None]])
def test_multiple_response_wrong_shapes(response):
    result = grade_response(generate_question(MULTIPLE, 2), response)
    assert not result.correct and result.score == 0.0


# ---- true/false -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "correct"),
    [(False, True), ("false", True), (" FALSE ", True), (True, False), ("true", False)],
)
def test_true_false_words_and_booleans(response, correct):
    assert grade_response(generate_question(TRUE_FALSE, 0), response).correct is correct


def test_true_false_feedback_for_the_answer_given():
    instance = generate_question(TRUE_FALSE, 0)
    assert grade_response(instance, "true").feedback == ["Not correct.", "It can be read as 50 mg."]
    assert grade_response(instance, "false").feedback == ["Correct."]


@pytest.mark.parametrize("response", ["yes", "t", "1", 1, 0, ["true"]])
def test_true_false_other_words_are_unparseable(response):
    result = grade_response(generate_question(TRUE_FALSE, 0), response)
    assert not result.correct and "unparseable" in result.flags


def test_true_false_public_view_is_only_the_stem():
    view = public_question_view(generate_question(TRUE_FALSE, 0))
    assert view == {
        "question_id": "safety-tz-001",
        "type": "true_false",
        "stem": TRUE_FALSE["stem"],
    }


# ---- matching -------------------------------------------------------------------------


def matching_response(instance, mapping):
    right = {o["text"]: o["id"] for o in instance["right"]}
    left = {i["text"]: i["id"] for i in instance["left"]}
    return {left[lt]: right[rt] for lt, rt in mapping.items()}


def test_matching_scores_the_share_of_pairs():
    instance = generate_question(MATCHING, 4)
    all_right = {"Lipitor": "atorvastatin", "Zocor": "simvastatin", "Crestor": "rosuvastatin"}
    assert grade_response(instance, matching_response(instance, all_right)).correct
    two = grade_response(
        instance, matching_response(instance, {**all_right, "Crestor": "pravastatin"})
    )
    assert two.score == pytest.approx(2 / 3) and not two.correct
    assert two.feedback == ["2 of 3 matched correctly."]
    one = grade_response(instance, matching_response(instance, {"Lipitor": "atorvastatin"}))
    assert one.score == pytest.approx(1 / 3)


def test_matching_offers_the_distractor_and_shuffles_the_options():
    orders = set()
    for seed in range(10):
        instance = generate_question(MATCHING, seed)
        assert sorted(o["text"] for o in instance["right"]) == [
            "atorvastatin",
            "pravastatin",
            "rosuvastatin",
            "simvastatin",
        ]
        orders.add(tuple(o["text"] for o in instance["right"]))
    assert len(orders) > 1


def test_matching_two_items_may_share_an_answer():
    shared = {
        **MATCHING,
        "pairs": [
            {"left": "Lipitor", "right": "atorvastatin"},
            {"left": "atorvastatin calcium tablets", "right": "atorvastatin"},
            {"left": "Zocor", "right": "simvastatin"},
        ],
        "distractors": [],
    }
    assert validate_question(shared) == []
    instance = generate_question(shared, 0)
    assert len(instance["right"]) == 2
    assert grade_response(instance, dict(instance["key"])).correct


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pairs": [{"left": "A", "right": "a"}]}, "pairs"),
        ({"pairs": [{"left": "A", "right": "a"}, {"left": "A", "right": "b"}]}, "pairs[1].left"),
        ({"pairs": [{"left": "A", "right": "a"}, {"left": "B"}]}, "pairs[1].right"),
        ({"distractors": ["atorvastatin"]}, "distractors[0]"),
        ({"distractors": "pravastatin"}, "distractors"),
    ],
)
def test_matching_spec_problems(change, field):
    assert field in [f for f, _ in validate_question({**MATCHING, **change})]


# ---- short answer ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        ("atorvastatin", True),
        ("  Atorvastatin  ", True),
        ("ATORVASTATIN   CALCIUM", True),
        ("atorvastatin\tcalcium", True),
        ("ａｔｏｒｖａｓｔａｔｉｎ", True),  # full-width letters are the same word
        ("atorva statin", False),
        ("simvastatin", False),
        ("atorvastatin.", False),
    ],
)
def test_short_answer_normalises(response, correct):
    assert grade_response(generate_question(SHORT, 0), response).correct is correct


def test_short_answer_can_be_case_sensitive():
    strict = {**SHORT, "answers": ["NaCl"], "case_sensitive": True}
    instance = generate_question(strict, 0)
    assert grade_response(instance, "NaCl").correct
    assert not grade_response(instance, "nacl").correct


def test_short_answer_duplicates_after_normalising_are_refused():
    problems = validate_question({**SHORT, "answers": ["atorvastatin", " ATORVASTATIN "]})
    assert ("answers[1]", "is the same as another accepted answer") in problems


# ---- ordering -------------------------------------------------------------------------


def order_response(instance, texts):
    by_text = {i["text"]: i["id"] for i in instance["items"]}
    return [by_text[t] for t in texts]


def test_ordering_scores_items_in_place():
    instance = generate_question(ORDERING, 6)
    items = ORDERING["items"]
    assert grade_response(instance, order_response(instance, items)).correct
    swapped = [items[1], items[0], items[2], items[3]]
    result = grade_response(instance, order_response(instance, swapped))
    assert result.score == 0.5 and result.feedback == ["2 of 4 items are in the right place."]
    assert grade_response(instance, order_response(instance, items[::-1])).score == 0.0


def test_ordering_is_never_shown_in_the_right_order():
    two = question("two-steps", "ordering", "Order these.", items=["first", "second"])
    for seed in range(20):
        instance = generate_question(two, seed)
        assert [i["text"] for i in instance["items"]] == ["second", "first"]


@pytest.mark.parametrize("response", [["a", "b", "c", "d", "a"], ["x"], "abcd", [1, 2, 3, 4]])
def test_ordering_wrong_shapes(response):
    result = grade_response(generate_question(ORDERING, 6), response)
    assert not result.correct


def test_ordering_a_short_list_scores_what_is_in_place():
    instance = generate_question(ORDERING, 6)
    first = order_response(instance, ORDERING["items"][:1])
    assert grade_response(instance, first).score == 0.25


def test_ordering_duplicates_are_refused():
    problems = validate_question({**ORDERING, "items": ["a", "b", "a"]})
    assert ("items[2]", "appears twice") in problems


def test_unknown_fields_are_reported():
    problems = validate_question({**SINGLE, "tolerence": 1})
    assert ("tolerence", "unknown field for a single_choice question") in problems
