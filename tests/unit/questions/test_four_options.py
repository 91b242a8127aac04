"""Calculated and numeric questions asked with four options, as on the PTCE: fresh numbers,
the key among three wrong amounts, graded as a single choice."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.questions.samples import (
    CALCULATED,
    CALCULATED_FORMULA,
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SINGLE,
)
from trainer.questions import generate_question, grade_response, public_question_view
from trainer.questions.four_options import (
    NotFourOptions,
    as_four_options,
    asks_four_options,
    exam_instance,
    wrong_amounts,
)


def amounts(instance: dict) -> list[Decimal]:
    return [Decimal(c["text"].split()[0].replace(",", "")) for c in instance["choices"]]


def test_which_questions_a_four_option_exam_can_ask():
    assert asks_four_options(SINGLE)
    assert asks_four_options(CALCULATED) and asks_four_options(NUMERIC)
    assert not asks_four_options({**SINGLE, "choices": SINGLE["choices"][:3]})
    assert not asks_four_options(MULTIPLE) and not asks_four_options(MATCHING)
    with pytest.raises(NotFourOptions):
        exam_instance(MULTIPLE, 1)


def test_a_single_choice_question_is_asked_as_it_is():
    assert exam_instance(SINGLE, 5) == generate_question(SINGLE, 5)


def test_a_calculated_question_keeps_its_fresh_numbers_and_working():
    plain = generate_question(CALCULATED, 42)
    exam = exam_instance(CALCULATED, 42)
    assert exam["stem"] == plain["stem"]
    assert exam["steps"] == plain["steps"]
    assert exam["answer_text"] == plain["answer_text"]
    assert exam["type"] == "single_choice" and exam["asked_as"] == "calculated"


def test_other_seeds_draw_other_numbers():
    stems = {exam_instance(CALCULATED, seed)["stem"] for seed in range(20)}
    assert len(stems) > 5


def test_the_same_seed_gives_the_same_four_options():
    assert exam_instance(CALCULATED, 9) == exam_instance(CALCULATED, 9)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**31 - 2), st.sampled_from([CALCULATED, CALCULATED_FORMULA, NUMERIC]))
def test_four_distinct_amounts_smallest_first_and_only_the_key_grades_right(seed, question):
    instance = exam_instance(question, seed)
    values = amounts(instance)
    assert len(values) == 4 and values == sorted(set(values))
    right = [c["id"] for c in instance["choices"] if grade_response(instance, c["id"]).correct]
    assert right == [instance["key"]]


def test_the_page_never_sees_the_key():
    view = public_question_view(exam_instance(CALCULATED, 3))
    assert "key" not in view and "answer_text" not in view and "steps" not in view
    assert len(view["choices"]) == 4


def test_wrong_amounts_are_kept_apart_from_the_key_and_inside_the_plausible_range():
    instance = generate_question(CALCULATED, 17)
    key = Decimal(instance["answer"])
    for seed in range(50):
        wrong = wrong_amounts(instance, random.Random(seed), CALCULATED["sanity"])
        assert all(abs(w - key) > max(Decimal("0.05"), key / 20) for w in wrong)
        assert all(Decimal("0.5") <= w <= 60 for w in wrong) or key * 10 > 60


def test_a_decimal_slip_is_offered_when_it_is_plausible():
    instance = {"type": "numeric", "answer": "8", "unit": "mL", "round_to": None, "tolerance": "0.05"}
    for seed in range(20):
        wrong = wrong_amounts(instance, random.Random(seed), {"min": 0.1, "max": 100})
        assert {Decimal("80"), Decimal("0.8")} & set(wrong)


def test_the_key_is_not_always_the_largest_option():
    places = {exam_instance(CALCULATED, seed)["key"] for seed in range(60)}
    assert places == {"a", "b", "c", "d"}


def test_money_is_written_with_cents():
    instance = {"type": "numeric", "answer": "12.5", "unit": "USD", "round_to": "0.01",
                "tolerance": "0.005", "stem": "Price?"}
    options = as_four_options(instance, random.Random(1), {"min": 1, "max": 500})
    assert "$12.50" in [c["text"] for c in options["choices"]]
