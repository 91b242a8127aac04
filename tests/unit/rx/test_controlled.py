"""Controlled-substance rules against 21 CFR Part 1306 (the section is named in each test)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rx.factories import patient, prescriber, prescription
from trainer.rx import controlled


def test_the_issue_example_c3_with_six_refills():
    # 21 CFR 1306.22(a): C-III and C-IV, at most five refills
    found = controlled.check_refills(
        schedule="CIII", refills=6, written=date(2026, 1, 5), fill_date=date(2026, 3, 1)
    )
    assert not found.valid
    assert [f for f, _ in found.problems] == ["refills"]
    assert "at most 5" in found.problems[0][1] and "1306.22" in found.problems[0][1]


@pytest.mark.parametrize("schedule", ["C-III", "CIV", "4", "III"])
def test_five_refills_within_six_months_is_allowed(schedule):
    assert controlled.check_refills(
        schedule, 5, date(2026, 1, 5), date(2026, 7, 5), refill_number=5
    ).valid


def test_c3_refill_after_six_months_is_refused():
    # 21 CFR 1306.22(a): no filling or refilling more than six months after the date of issue
    found = controlled.check_refills("CIV", 5, date(2026, 1, 5), date(2026, 7, 6))
    assert not found.valid and "six months" in found.problems[0][1]


def test_six_months_from_the_31st_ends_on_the_months_last_day():
    assert controlled.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_c2_has_no_refills():
    # 21 CFR 1306.12(a)
    found = controlled.check_refills("CII", 1, date(2026, 1, 5), date(2026, 1, 6))
    assert not found.valid and "1306.12" in found.problems[0][1]
    assert controlled.check_refills("CII", 0, date(2026, 1, 5), date(2026, 1, 6)).valid


def test_c5_has_no_federal_refill_limit():
    found = controlled.check_refills(
        "CV", 11, date(2026, 1, 5), date(2026, 12, 1), refill_number=11
    )
    assert found.valid
    assert "no refill or time limit" in found.notes[0] and "state may be stricter" in found.notes[0]


def test_a_refill_beyond_those_authorised_is_refused():
    assert not controlled.check_refills(
        "CIV", 2, date(2026, 1, 5), date(2026, 2, 5), refill_number=3
    ).valid


def test_schedule_i_cannot_be_prescribed():
    assert not controlled.check_refills("CI", 0, date(2026, 1, 5), date(2026, 1, 5)).valid


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"schedule": "CVI"}, "schedule"),
        ({"schedule": ["CII"]}, "schedule"),
        ({"refills": -1}, "refills"),
        ({"refills": "five"}, "refills"),
        ({"written": "2026-01-05"}, "written"),
        ({"fill_date": None}, "fill_date"),
    ],
)
def test_bad_input_is_a_problem(kwargs, field):
    args = {
        "schedule": "CIII",
        "refills": 1,
        "written": date(2026, 1, 5),
        "fill_date": date(2026, 2, 1),
    } | kwargs
    found = controlled.check_refills(**args)
    assert not found.valid and field in [f for f, _ in found.problems]


def test_c2_partial_fills_at_patient_request_within_30_days():
    # 21 CFR 1306.13(b), 2023 rule: remaining portions within 30 days of the date written
    written = date(2026, 1, 1)
    assert controlled.check_partial_fills(
        "CII", 60, [(date(2026, 1, 2), 20), (date(2026, 1, 30), 40)], written
    ).valid
    late = controlled.check_partial_fills(
        "CII", 60, [(date(2026, 1, 2), 20), (date(2026, 2, 1), 40)], written
    )
    assert not late.valid and "30 days" in late.problems[0][1]


def test_c2_partial_fills_never_exceed_the_quantity():
    found = controlled.check_partial_fills(
        "CII", 60, [(date(2026, 1, 2), 40), (date(2026, 1, 3), 40)], date(2026, 1, 1)
    )
    assert not found.valid and "more than the 60 prescribed" in found.problems[0][1]


def test_c2_short_supply_rest_within_72_hours():
    # 21 CFR 1306.13(a)
    ok = controlled.check_partial_fills(
        "CII",
        60,
        [(date(2026, 1, 2), 20), (date(2026, 1, 5), 40)],
        date(2026, 1, 1),
        requested_by="pharmacy_short",
    )
    late = controlled.check_partial_fills(
        "CII",
        60,
        [(date(2026, 1, 2), 20), (date(2026, 1, 6), 40)],
        date(2026, 1, 1),
        requested_by="pharmacy_short",
    )
    assert ok.valid and not late.valid


def test_c2_partial_fills_for_a_terminal_patient_within_60_days():
    # 21 CFR 1306.13(c)
    fills = [(date(2026, 1, 2), 10), (date(2026, 2, 28), 10)]
    assert controlled.check_partial_fills(
        "CII", 60, fills, date(2026, 1, 1), requested_by="terminal"
    ).valid


def test_unfilled_electronic_prescription_transfers_once():
    # 21 CFR 1306.08(e), 88 FR 48365 (2023): schedules II–V, electronic, once, for initial filling
    for schedule in ("CII", "CIII", "CV"):
        assert controlled.check_transfer(schedule, electronic=True, filled=False).valid
        assert not controlled.check_transfer(
            schedule, electronic=True, filled=False, previous_transfers=1
        ).valid
        assert not controlled.check_transfer(schedule, electronic=False, filled=False).valid


def test_refills_of_c3_to_c5_transfer_once_unless_databases_are_shared():
    # 21 CFR 1306.25(a)
    assert controlled.check_transfer("CIV", electronic=False, filled=True).valid
    again = controlled.check_transfer("CIV", electronic=False, filled=True, previous_transfers=1)
    assert not again.valid and "one time only" in again.problems[0][1]
    assert controlled.check_transfer(
        "CIV", electronic=False, filled=True, previous_transfers=2, shared_database=True
    ).valid


def test_a_filled_c2_cannot_be_transferred():
    assert not controlled.check_transfer("CII", electronic=True, filled=True).valid


def test_required_elements_of_a_controlled_prescription():
    # 21 CFR 1306.05(a)
    complete = prescription("alprazolam", schedule="CIV")
    assert controlled.check_required_elements(complete).valid
    missing = prescription(
        "alprazolam", schedule="CIV", prescriber=prescriber(dea=None), sig="", strength=""
    )
    fields = [f for f, _ in controlled.check_required_elements(missing).problems]
    assert fields == ["strength", "sig", "prescriber.dea"]


def test_a_non_controlled_prescription_needs_no_dea_number():
    rx = prescription(prescriber=prescriber(dea=None), patient=patient(address=patient().address))
    assert controlled.check_required_elements(rx).valid


def test_emergency_oral_c2_follow_up_within_seven_days():
    # 21 CFR 1306.11(d)
    assert controlled.check_emergency_c2(date(2026, 1, 1), date(2026, 1, 8)).valid
    late = controlled.check_emergency_c2(date(2026, 1, 1), date(2026, 1, 9))
    assert not late.valid and "notify the DEA" in late.problems[0][1]
    overdue = controlled.check_emergency_c2(date(2026, 1, 1), today=date(2026, 1, 10))
    assert not overdue.valid


def test_multiple_c2_prescriptions_up_to_90_days():
    # 21 CFR 1306.12(b)
    written = date(2026, 1, 1)
    series = [
        (None, Decimal(30), 30),
        (date(2026, 1, 31), Decimal(30), 30),
        (date(2026, 3, 2), Decimal(30), 30),
    ]
    assert controlled.check_c2_series(series, written).valid
    too_long = [*series, (date(2026, 4, 1), Decimal(30), 30)]
    assert not controlled.check_c2_series(too_long, written).valid
    undated = [(None, Decimal(30), 30), (None, Decimal(30), 30)]
    assert "earliest date" in controlled.check_c2_series(undated, written).problems[0][1]
