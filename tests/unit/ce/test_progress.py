"""The rule engine against the reference rules (shared/reference/ce-rules.md), case by case.

Unless a test says otherwise: PTCB's current rules, a cycle from 1 January 2025 to
31 December 2026, and today is 1 June 2026.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from trainer.ce import Activity, TopicProgress, cycle_for, load_rules, progress

from .factories import CYCLE_END, CYCLE_START, acpe, other, twenty_technician_hours

TODAY = date(2026, 6, 1)


def ptcb(activities, today=TODAY, rules="ptcb-cpht", **kwargs):
    return progress(load_rules(rules), CYCLE_START, CYCLE_END, activities, today, **kwargs)


def counted_hours(report):
    return [c.hours for c in report.counted]


# ------------------------------------------------------------------ the issue's own example


def test_the_issue_example_runs_as_written():
    report = progress(load_rules("ptcb-cpht"), cycle_start=date(2025, 1, 1), cycle_end=date(2026, 12, 31), activities=[
        Activity(title="Law for technicians", hours=Decimal("2"), completed=date(2025, 3, 1), topic="03",
                 audience="T", kind="acpe", format="H", uan="0669-0000-25-001-H03-T"),
    ], today=date(2026, 6, 1))  # fmt: skip
    assert report.earned_hours == Decimal("2")
    assert report.required_hours == Decimal("20")
    assert report.topics["03"] == TopicProgress(Decimal("2"), Decimal("1"))
    assert report.topics["05"] == TopicProgress(Decimal("0"), Decimal("1"))
    assert "1 more hour of patient safety (topic 05)" in report.missing
    assert report.status == "at_risk"


# ------------------------------------------------------------------------------ PTCB totals

PTCB_CASES = {
    "twenty technician hours with law and safety": (
        twenty_technician_hours(), Decimal(20), [], "complete",
    ),
    "law hour missing": (
        [acpe(1, "05"), acpe(19, "04")], Decimal(20), ["1 more hour of pharmacy law (topic 03)"], "on_track",
    ),
    "safety hour missing": (
        [acpe(1, "03"), acpe(19, "04")], Decimal(20), ["1 more hour of patient safety (topic 05)"], "on_track",
    ),
    "half an hour of law is not enough": (
        [acpe("0.5", "03"), acpe(1, "05"), acpe("18.5", "04")], Decimal(20),
        ["0.5 more hours of pharmacy law (topic 03)"], "on_track",
    ),
    "P hours over the cap count only up to 5": (
        [acpe(1, "03"), acpe(1, "05"), acpe(13, "04"), acpe(8, "04", "P")], Decimal(20), [], "complete",
    ),
    "in-service hours are rejected": (
        [acpe(1, "03"), acpe(1, "05"), acpe(16, "04"), other("in_service", 4)], Decimal(18),
        ["2 more hours in total"], "on_track",
    ),
    "college hours are capped at 10": (
        [acpe(1, "03"), acpe(1, "05"), acpe(6, "04"), other("college", 12)], Decimal(18),
        ["2 more hours in total"], "on_track",
    ),
    "too few technician-specific hours": (
        [acpe(1, "03"), acpe(1, "05"), acpe(12, "04"), acpe(5, "04", "P")], Decimal(19),
        ["1 more hour of technician-specific CE (ACPE activities marked T, or non-ACPE CE on technician subjects)",
         "1 more hour in total"],
        "on_track",
    ),
    "quarter hours add up exactly": (
        [acpe("0.25", topic) for topic in ["03"] * 4 + ["05"] * 4 + ["04"] * 72],
        Decimal(20), [], "complete",
    ),
}


@pytest.mark.parametrize(("activities", "earned", "missing", "status"), PTCB_CASES.values(), ids=PTCB_CASES.keys())
def test_ptcb_counting(activities, earned, missing, status):
    report = ptcb(activities)
    assert report.earned_hours == earned
    assert report.missing == missing
    assert report.status == status


def test_p_hours_beyond_the_cap_say_why_they_do_not_count():
    report = ptcb([acpe(3, "04", "P", completed=date(2025, 2, 1)), acpe(4, "04", "P", completed=date(2025, 3, 1))])
    assert counted_hours(report) == [Decimal(3), Decimal(2)]
    assert report.counted[0].reason is None
    assert report.counted[1].reason == (
        "At most 5 hours of pharmacist-specific (P) CE count in a cycle; "
        "3 had already been counted from other activities."
    )


def test_within_a_cap_a_required_topic_goes_first():
    early_general = acpe(5, "04", "P", completed=date(2025, 2, 1))
    later_law = acpe(1, "03", "P", completed=date(2025, 9, 1))
    report = ptcb([early_general, later_law])
    assert counted_hours(report) == [Decimal(4), Decimal(1)]
    assert report.topics["03"].met


def test_in_service_hours_carry_ptcbs_reason():
    report = ptcb([other("in_service", 2)])
    assert report.counted[0].hours == 0
    assert report.counted[0].reason == "PTCB has not accepted in-service hours since 1 January 2018."


def test_college_hours_over_the_cap_say_so():
    report = ptcb([other("college", 12)])
    assert report.counted[0].hours == Decimal(10)
    assert report.counted[0].reason == "At most 10 hours of college course credit count in a cycle."


def test_college_and_other_non_acpe_hours_are_technician_specific():
    report = ptcb([acpe(1, "03"), acpe(1, "05"), acpe(3, "04"), acpe(5, "04", "P"), other("college", 10)])
    assert report.technician == TopicProgress(Decimal(15), Decimal(15))
    assert report.status == "complete"


# ----------------------------------------------------------------------- the cycle's edges


@pytest.mark.parametrize(
    ("completed", "counts"),
    [
        (CYCLE_START, True),
        (CYCLE_END, True),
        (CYCLE_START - timedelta(days=1), False),
        (CYCLE_END + timedelta(days=1), False),
    ],
    ids=["first day", "last day", "day before", "day after"],
)
def test_activities_count_from_the_first_to_the_last_day_of_the_cycle(completed, counts):
    report = ptcb([acpe(2, "04", completed=completed)], today=date(2027, 1, 5))
    assert report.counted[0].hours == (Decimal(2) if counts else 0)


def test_an_activity_outside_the_cycle_says_so():
    report = ptcb([acpe(2, "04", completed=date(2024, 12, 31))])
    assert report.counted[0].reason == (
        "Completed on 31 December 2024, outside this cycle (1 January 2025 to 31 December 2026)."
    )


# ------------------------------------------------------------------------ hours count once


def test_the_same_uan_recorded_twice_counts_once():
    completed_here = acpe(2, "05", uan="0669-0000-25-001-H05-T", title="Safety course (here)")
    imported = acpe(2, "05", uan="0669-0000-25-001-H05-T", title="Safety course (CPE Monitor)",
                    completed=date(2025, 6, 2))  # fmt: skip
    report = ptcb([completed_here, imported])
    assert report.earned_hours == Decimal(2)
    assert report.counted[1].hours == 0
    assert "“Safety course (here)”" in report.counted[1].reason
    assert "count once" in report.counted[1].reason


def test_a_site_course_without_uan_completed_twice_counts_once_by_its_ref():
    first = other(hours=1, ref="course:sig-codes", completed=date(2025, 3, 1))
    again = other(hours=1, ref="course:sig-codes", completed=date(2025, 9, 1))
    assert ptcb([first, again]).earned_hours == Decimal(1)


def test_the_p_and_t_numbers_of_a_course_are_kept_apart():
    report = ptcb([acpe(2, "04", "T", uan="0669-0000-25-002-H04-T"), acpe(2, "04", "P", uan="0669-0000-25-002-H04-P")])
    assert counted_hours(report) == [Decimal(2), Decimal(2)]
    assert report.technician.earned == Decimal(2)


# ---------------------------------------------------------------- several credentials at once


def test_one_set_of_activities_counts_toward_several_credentials():
    activities = [*twenty_technician_hours(), other("in_service", 3)]
    ptcb_report = ptcb(activities)
    nha_report = ptcb(activities, rules="nha-cpht")
    texas_report = ptcb(activities, rules="tx-technician")
    assert (ptcb_report.earned_hours, ptcb_report.status) == (Decimal(20), "complete")
    assert (nha_report.earned_hours, nha_report.status) == (Decimal(23), "complete")
    assert texas_report.earned_hours == Decimal(23)
    assert texas_report.missing == [
        "1 more hour of Texas pharmacy laws or rules (topic 03)",
        "Complete a human trafficking prevention course approved by Texas HHSC",
    ]


def test_texas_law_needs_a_course_on_texas_law():
    general_law = acpe(1, "03")
    texas_law = acpe(1, "03", tags={"texas-law"})
    assert not ptcb([general_law], rules="tx-technician").topics["03"].met
    assert ptcb([texas_law], rules="tx-technician").topics["03"].met


def test_texas_caps_in_service_at_five_hours():
    report = ptcb([other("in_service", 7)], rules="tx-technician")
    assert report.counted[0].hours == Decimal(5)


def test_texas_exempts_the_first_cycle_from_hours_but_not_from_the_trafficking_course():
    rules = load_rules("tx-technician")
    exempt = progress(rules, CYCLE_START, CYCLE_END, [], TODAY, first_cycle=True)
    assert exempt.exempt
    assert exempt.missing == ["Complete a human trafficking prevention course approved by Texas HHSC"]
    done = progress(rules, CYCLE_START, CYCLE_END, [other(hours=1, tags={"tx-human-trafficking"})],
                    TODAY, first_cycle=True)  # fmt: skip
    assert done.status == "complete"


def test_nha_has_no_first_cycle_exemption():
    report = progress(load_rules("nha-cpht"), CYCLE_START, CYCLE_END, [], TODAY, first_cycle=True)
    assert not report.exempt
    assert "20 more hours in total" in report.missing


# ------------------------------------------------------------------- versions of the rules


def test_before_december_2020_ptcb_refused_p_hours():
    rules = load_rules("ptcb-cpht", on=date(2019, 6, 30))
    report = progress(rules, date(2017, 7, 1), date(2019, 6, 30), [acpe(2, "04", "P", completed=date(2018, 1, 1))],
                      today=date(2019, 1, 1))  # fmt: skip
    assert report.counted[0].hours == 0
    assert "pharmacist-specific" in report.counted[0].reason


def test_in_service_counted_up_to_five_hours_in_2016_and_2017():
    rules = load_rules("ptcb-cpht", on=date(2017, 6, 30))
    assert rules.effective == date(2016, 1, 1)
    report = progress(rules, date(2015, 7, 1), date(2017, 6, 30), [other("in_service", 6, completed=date(2016, 1, 1))],
                      today=date(2017, 1, 1))  # fmt: skip
    assert report.counted[0].hours == Decimal(5)


# ---------------------------------------------------------------- deadlines and the status


def test_ptcb_window_opens_60_days_before_expiry_and_the_deadline_is_30_days_before_it():
    report = ptcb([])
    assert report.window_opens == date(2026, 11, 1)
    assert report.deadline == date(2026, 12, 1)
    assert report.days_to_deadline == 183
    assert report.days_to_window == 153


def test_ptcb_deadline_is_30_days_before_an_expiry_in_mid_month():
    rules = load_rules("ptcb-cpht")
    report = progress(rules, cycle_start=date(2024, 6, 16), cycle_end=date(2026, 6, 15),
                      activities=[], today=date(2026, 1, 1))  # fmt: skip
    assert report.deadline == date(2026, 5, 16)


def test_texas_renewal_opens_75_days_before_expiry_and_is_due_by_expiry():
    report = ptcb([], rules="tx-technician")
    assert report.window_opens == date(2026, 10, 17)
    assert report.deadline == CYCLE_END


def test_nha_has_no_application_window():
    report = ptcb([], rules="nha-cpht")
    assert report.window_opens is None and report.days_to_window is None


@pytest.mark.parametrize(
    ("activities", "today", "status"),
    [
        (twenty_technician_hours(), date(2025, 2, 1), "complete"),
        ([], date(2025, 2, 1), "on_track"),  # the first three months carry no expectation
        ([acpe(10, "04")], date(2025, 12, 1), "on_track"),
        ([acpe(2, "04")], date(2025, 12, 1), "at_risk"),  # behind an even pace
        ([acpe(1, "03"), acpe(1, "05"), acpe(17, "04")], date(2026, 9, 15), "at_risk"),  # 77 days left
        ([acpe(19, "04")], date(2026, 12, 2), "overdue"),
    ],
    ids=["complete", "early", "on pace", "behind pace", "close to the deadline", "past the deadline"],
)
def test_status(activities, today, status):
    assert ptcb(activities, today=today).status == status


def test_the_cycle_follows_from_the_expiry_date_and_never_starts_before_issue():
    rules = load_rules("ptcb-cpht")
    assert cycle_for(rules, date(2026, 12, 31)) == (date(2025, 1, 1), date(2026, 12, 31), False)
    assert cycle_for(rules, date(2026, 12, 31), issued=date(2025, 3, 15)) == (
        date(2025, 3, 15), date(2026, 12, 31), True,
    )  # fmt: skip
    assert cycle_for(rules, date(2027, 2, 28))[0] == date(2025, 3, 1)
    assert cycle_for(rules, date(2026, 2, 28))[0] == date(2024, 2, 29)
