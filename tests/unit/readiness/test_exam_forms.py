"""Mock exam forms: items per domain by the largest remainder method, and the draw itself."""

from __future__ import annotations

import math
import random
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.questions.bank import load_bank_dir
from trainer.questions.blueprints import exam_outlines
from trainer.readiness.exam_forms import draw_form, largest_remainder, plan_form

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = exam_outlines(load_bank_dir(ROOT / "question_bank").blueprints)


def test_ptce_2020_scored_items_by_hand():
    # quotas 32, 10, 21, 17 of 80: all whole
    weights = {"1": Decimal("40"), "2": Decimal("12.5"), "3": Decimal("26.25"), "4": Decimal("21.25")}
    assert largest_remainder(80, weights) == {"1": 32, "2": 10, "3": 21, "4": 17}


def test_ptce_2020_pretest_items_by_hand():
    # quotas 4, 1.25, 2.625, 2.125 of 10: floors 4, 1, 2, 2 leave one, for the largest remainder (.625)
    weights = {"1": 40, "2": 12.5, "3": 26.25, "4": 21.25}
    assert largest_remainder(10, weights) == {"1": 4, "2": 1, "3": 3, "4": 2}


def test_ties_go_to_the_larger_weight_then_the_earlier_domain():
    assert largest_remainder(1, {"a": 1, "b": 1}) == {"a": 1, "b": 0}
    assert largest_remainder(2, {"a": 1, "b": 2, "c": 2}) == {"a": 0, "b": 1, "c": 1}


def test_nothing_to_allocate_to_is_refused():
    with pytest.raises(ValueError):
        largest_remainder(5, {})
    assert largest_remainder(0, {"a": 0}) == {"a": 0}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 500),
    st.lists(st.decimals(min_value=Decimal("0.01"), max_value=100, places=2), min_size=1, max_size=8),
)
def test_counts_add_up_and_stay_within_one_of_their_quota(total, weights):
    named = {str(i): w for i, w in enumerate(weights)}
    counts = largest_remainder(total, named)
    assert sum(counts.values()) == total
    whole = sum(Fraction(str(w)) for w in weights)
    for key, weight in named.items():
        quota = total * Fraction(str(weight)) / whole
        assert math.floor(quota) <= counts[key] <= math.ceil(quota)


def test_every_shipped_outline_is_an_exam_form():
    assert set(SHIPPED) == {"ptce-2020", "ptce-2026", "excpt"}


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_the_scored_items_of_every_outline_version_follow_its_weights(code):
    outline = SHIPPED[code]
    plan = plan_form(code, [(d.code, d.title, d.weight) for d in outline.domains],
                     outline.scored_items, outline.unscored_items, dict.fromkeys("1234", 10_000))
    assert plan.scored == outline.scored_items
    assert plan.unscored == outline.unscored_items
    for domain, planned in zip(outline.domains, plan.domains, strict=True):
        quota = Fraction(outline.scored_items) * Fraction(str(domain.weight)) / 100
        assert math.floor(quota) <= planned.scored <= math.ceil(quota), domain.code


@pytest.mark.parametrize(("code", "scored", "unscored"), [
    ("ptce-2020", [32, 10, 21, 17], [4, 1, 3, 2]),
    ("ptce-2026", [28, 15, 19, 18], [4, 2, 2, 2]),   # 3.5, 1.875, 2.375, 2.25 of 10
    ("excpt", [25, 15, 45, 15], [5, 3, 9, 3]),
])
def test_items_per_domain_worked_by_hand(code, scored, unscored):
    outline = SHIPPED[code]
    plan = plan_form(code, [(d.code, d.title, d.weight) for d in outline.domains],
                     outline.scored_items, outline.unscored_items, dict.fromkeys("1234", 500))
    assert [d.scored for d in plan.domains] == scored
    assert [d.unscored for d in plan.domains] == unscored


def _plan(available):
    return plan_form("ptce-2020", [("1", "Medications", 40), ("2", "Federal", 12.5),
                                   ("3", "Safety", 26.25), ("4", "Order entry", 21.25)],
                     80, 10, available)


def test_a_domain_short_of_questions_takes_what_there_is_and_says_how_many_are_missing():
    plan = _plan({"1": 30, "2": 50, "3": 50, "4": 50})
    medications = plan.domains[0]
    assert (medications.scored, medications.unscored, medications.missing) == (30, 0, 6)
    assert plan.short == (medications,)
    assert plan.scored == 78


def test_scored_items_come_before_pretest_items_when_a_domain_is_short():
    plan = _plan({"1": 34, "2": 50, "3": 50, "4": 50})
    assert (plan.domains[0].scored, plan.domains[0].unscored) == (32, 2)


def _pools():
    return {str(d): list(range(d * 1000, d * 1000 + 60)) for d in range(1, 5)}


def test_the_drawn_form_has_the_planned_items_per_domain():
    plan = _plan({code: 60 for code in "1234"})
    form = draw_form(plan, _pools(), random.Random(7))
    assert len(form) == 90
    assert len({item.question for item in form}) == 90
    scored = Counter(item.domain for item in form if item.scored)
    unscored = Counter(item.domain for item in form if not item.scored)
    assert scored == {"1": 32, "2": 10, "3": 21, "4": 17}
    assert unscored == {"1": 4, "2": 1, "3": 3, "4": 2}


def test_the_same_seed_draws_the_same_form():
    plan = _plan({code: 60 for code in "1234"})
    assert draw_form(plan, _pools(), random.Random(3)) == draw_form(plan, _pools(), random.Random(3))
    assert draw_form(plan, _pools(), random.Random(3)) != draw_form(plan, _pools(), random.Random(4))


def test_pretest_items_are_spread_among_the_scored_ones():
    plan = _plan({code: 60 for code in "1234"})
    positions = [i for i, item in enumerate(draw_form(plan, _pools(), random.Random(11))) if not item.scored]
    assert positions != list(range(80, 90))


def test_a_question_in_two_pools_is_drawn_once():
    plan = plan_form("x", [("1", "A", 50), ("2", "B", 50)], 4, 0, {"1": 2, "2": 2})
    form = draw_form(plan, {"1": [1, 2], "2": [2, 3]}, random.Random(1))
    assert len({item.question for item in form}) == len(form)
