"""Days supply for insulin, eye drops, inhalers, PRN maximums and tapers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.rx import supply

REFERENCE = (
    "RxTrainer calculations reference: a 10 mL U-100 vial at 20 units a day is 28 days, not 50"
)


def test_an_insulin_vial_is_limited_by_its_discard_period():
    # source: REFERENCE; insulin labels, section 16: discard an opened vial after 28 days
    found = supply.insulin(vials=1, units_per_day=20)
    assert found.days == 28
    assert "50 days" in " ".join(found.steps) and "28-day discard period" in found.limited_by


def test_two_vials_are_each_limited():
    assert supply.insulin(vials=2, units_per_day=20).days == 56


def test_pens_used_up_before_their_discard_period_count_every_unit():
    # 5 pens × 300 units = 1,500 units; 20 units + 2 units priming a day = 68 days
    assert supply.insulin(pens=5, units_per_day=20, priming_units=2).days == 68
    assert supply.insulin(pens=5, units_per_day=30).days == 50


def test_a_u200_pen():
    # 3 mL of 200 units/mL at 40 units a day: 15 days
    assert supply.insulin(pens=1, units_per_ml=200, units_per_day=40).days == 15


def test_eye_drops_at_20_drops_per_ml():
    # calculations reference: 5 mL × 20 gtt/mL ÷ 2 gtt a day = 50 days
    assert supply.eye_drops(ml=5, drops_per_dose=1, doses_per_day=2).days == 50
    assert supply.eye_drops(ml=2.5, drops_per_dose=1, doses_per_day=1, eyes=2).days == 25
    assert supply.eye_drops(ml=5, drops_per_dose=1, doses_per_day=2, drops_per_ml=15).days == 37


def test_eye_drops_with_an_in_use_period():
    assert supply.eye_drops(ml=5, drops_per_dose=1, doses_per_day=1, in_use_days=28).days == 28


def test_an_inhaler_by_actuations():
    # 200 actuations ÷ (2 puffs × 4 a day) = 25 days
    assert supply.inhaler(actuations=200, puffs_per_dose=2, doses_per_day=4).days == 25
    assert supply.inhaler(actuations=120, puffs_per_dose=2, doses_per_day=2).days == 30


def test_a_prn_sig_uses_its_maximum():
    found = supply.from_sig(30, "1-2 tabs po q4-6h prn pain max 8 tabs/day")
    assert found.days == 3


def test_a_prn_sig_without_a_maximum_uses_the_most_it_allows():
    assert supply.from_sig(24, "1-2 tabs po q6h prn pain").days == 3


def test_a_taper_is_the_sum_of_its_steps():
    found = supply.taper(
        "3 tabs po daily x 2 days then 2 tabs po daily x 2 days then 1 tab po daily x 2 days"
    )
    assert (found.quantity, found.days) == (Decimal(12), 6)


@pytest.mark.parametrize(
    "call",
    [
        lambda: supply.insulin(vials=1, units_per_day=0),
        lambda: supply.insulin(vials=1, pens=1, units_per_day=20),
        lambda: supply.insulin(units_per_day=20),
        lambda: supply.eye_drops(ml="lots", drops_per_dose=1, doses_per_day=2),
        lambda: supply.inhaler(actuations=None, puffs_per_dose=2, doses_per_day=2),
        lambda: supply.from_sig(30, None),
        lambda: supply.from_sig(30, "1 tab"),
        lambda: supply.taper("1 tab po daily"),
        lambda: supply.days_supply("10 mL", "20 units", 1, in_use_days=-3),
    ],
)
def test_bad_input_is_a_problem(call):
    found = call()
    assert not found.ok and found.problems and found.days is None


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 10), st.integers(1, 200))
def test_insulin_days_never_exceed_the_discard_period_per_vial(vials, units):
    found = supply.insulin(vials=vials, units_per_day=units)
    assert found.days is None or found.days <= 28 * vials
