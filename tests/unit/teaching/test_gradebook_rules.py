"""Gradebook rules: status, late policies, weighted totals, sorting, filtering and CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from trainer.teaching.gradebook import (
    Cell,
    LatePolicy,
    LearnerRow,
    Work,
    days_late,
    filter_rows,
    grade_cell,
    gradebook_csv,
    percent_text,
    sort_rows,
    spreadsheet_safe,
    weighted_total,
)

OPENS = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 9, 23, 59, tzinfo=UTC)
ACCEPT = LatePolicy("accept")
REFUSE = LatePolicy("refuse")
PENALTY = LatePolicy("penalty", 10)


def work(started_days, finished_days=None, percent=None, progress=None):
    """A try that started (and finished) that many days after the opening."""
    started = OPENS + timedelta(days=started_days)
    finished = OPENS + timedelta(days=finished_days) if finished_days is not None else None
    return Work(started, finished, Decimal(percent) if percent is not None else None, progress)


def cell(works, *, now=DUE + timedelta(days=30), policy=ACCEPT, **kwargs):
    return grade_cell(opens_at=OPENS, due_at=DUE, policy=policy, work=works, now=now, **kwargs)


# ---- before the due date ---------------------------------------------------------------------


def test_before_the_opening_nothing_is_due_yet():
    assert cell([], now=OPENS - timedelta(hours=1)).status == "upcoming"


def test_open_and_not_started():
    assert cell([], now=OPENS + timedelta(days=1)).status == "open"


def test_an_unfinished_try_before_the_due_date_is_in_progress_with_its_progress():
    result = cell([work(1, progress=40)], now=OPENS + timedelta(days=2))
    assert (result.status, result.progress) == ("in_progress", 40)


# ---- finished work ------------------------------------------------------------------------------


def test_work_finished_on_time_is_done_and_the_best_try_counts():
    result = cell([work(1, 1, "60"), work(2, 2, "85"), work(3, 3, "70")])
    assert (result.status, result.score, result.days_late) == ("done", Decimal("85"), 0)


def test_finishing_exactly_at_the_due_date_is_on_time():
    result = cell([Work(OPENS, DUE, Decimal("90"))])
    assert result.status == "done"


def test_a_quiz_attempt_started_before_the_opening_does_not_count():
    result = cell([work(-3, -3, "100")])
    assert result.status == "missing"


def test_a_course_finished_before_the_opening_counts_when_the_kind_says_so():
    result = cell([work(-30, -20, "100")], counts_before_open=True)
    assert (result.status, result.score) == ("done", Decimal("100"))


def test_days_late_count_a_part_of_a_day_as_a_day():
    assert days_late(DUE + timedelta(minutes=1), DUE) == 1
    assert days_late(DUE + timedelta(days=1), DUE) == 1
    assert days_late(DUE + timedelta(days=1, seconds=1), DUE) == 2
    assert days_late(DUE, DUE) == 0


def test_accepted_late_work_counts_in_full_and_is_marked_late():
    late = Work(OPENS, DUE + timedelta(hours=30), Decimal("90"))  # 30 hours late: 2 days
    result = cell([late], policy=ACCEPT)
    assert (result.status, result.score, result.days_late) == ("late", Decimal("90"), 2)


def test_a_late_penalty_takes_points_per_day_by_hand():
    # 90% finished 2 days late at 10 points a day: 90 - 20 = 70
    late = Work(OPENS, DUE + timedelta(hours=30), Decimal("90"))
    result = cell([late], policy=PENALTY)
    assert (result.status, result.score, result.raw) == ("late", Decimal("70"), Decimal("90"))


def test_a_late_penalty_never_goes_below_zero():
    late = Work(OPENS, DUE + timedelta(days=20), Decimal("90"))
    assert cell([late], policy=PENALTY).score == 0


def test_a_better_late_try_counts_only_when_it_beats_the_on_time_one_after_the_penalty():
    on_time = work(1, 1, "60")
    late_by_one_day = Work(OPENS, DUE + timedelta(hours=5), Decimal("75"))  # 75 - 10 = 65 > 60
    result = cell([on_time, late_by_one_day], policy=PENALTY)
    assert (result.status, result.score) == ("late", Decimal("65"))
    late_by_three_days = Work(OPENS, DUE + timedelta(days=2, hours=5), Decimal("75"))  # 75 - 30 = 45 < 60
    result = cell([on_time, late_by_three_days], policy=PENALTY)
    assert (result.status, result.score) == ("done", Decimal("60"))


def test_at_equal_scores_the_on_time_try_wins():
    result = cell([Work(OPENS, DUE + timedelta(days=1), Decimal("80")), work(1, 1, "80")])
    assert result.status == "done"


def test_refused_late_work_leaves_the_cell_missing_with_a_note():
    result = cell([Work(OPENS, DUE + timedelta(hours=1), Decimal("95"))], policy=REFUSE)
    assert (result.status, result.score, result.note) == ("missing", None, "finished late: not counted")


def test_nothing_by_the_due_date_is_missing():
    assert cell([], now=DUE + timedelta(seconds=1)).status == "missing"


def test_an_unfinished_try_past_the_due_date_stays_in_progress_unless_late_work_is_refused():
    unfinished = [work(1, progress=50)]
    assert cell(unfinished, policy=ACCEPT).status == "in_progress"
    assert cell(unfinished, policy=REFUSE).status == "missing"


def test_work_still_unfinished_after_the_due_date_counts_zero_in_the_total_until_finished():
    overdue = cell([work(1, progress=50)], policy=ACCEPT)
    # (80 + 0) / 2: an attempt left open does not keep the assignment out of the total
    assert overdue.overdue and weighted_total([Cell("done", score=Decimal(80)), overdue], [Decimal(1)] * 2) == 40


def test_an_extension_is_simply_a_later_due_date():
    finished = Work(OPENS, DUE + timedelta(days=2), Decimal("88"))
    extended = grade_cell(opens_at=OPENS, due_at=DUE + timedelta(days=3), policy=REFUSE,
                          work=[finished], now=DUE + timedelta(days=4))
    assert (extended.status, extended.score) == ("done", Decimal("88"))


# ---- totals ---------------------------------------------------------------------------------------------


def test_weighted_total_by_hand():
    # (80·1 + 60·2 + 0·1) / (1 + 2 + 1) = 200 / 4 = 50; the open cell is left out
    cells = [Cell("done", score=Decimal("80")), Cell("late", score=Decimal("60")), Cell("missing"), Cell("open")]
    weights = [Decimal(1), Decimal(2), Decimal(1), Decimal(5)]
    assert weighted_total(cells, weights) == Decimal("50.00")


def test_weighted_total_rounds_to_two_places():
    # (100 + 0 + 0) / 3 = 33.333…
    cells = [Cell("done", score=Decimal(100)), Cell("missing"), Cell("missing")]
    assert weighted_total(cells, [Decimal(1)] * 3) == Decimal("33.33")


def test_weighted_total_skips_weight_zero_and_is_unknown_when_nothing_is_settled():
    assert weighted_total([Cell("done", score=Decimal(40)), Cell("done", score=Decimal(90))],
                          [Decimal(0), Decimal(1)]) == Decimal("90.00")
    assert weighted_total([Cell("open"), Cell("in_progress")], [Decimal(1), Decimal(1)]) is None


# ---- the table ------------------------------------------------------------------------------------------


def rows():
    return [
        LearnerRow(1, "Zoe Adams", "zoe@example.org", [Cell("done", score=Decimal(90)), Cell("missing")], Decimal(45)),
        LearnerRow(2, "amir Baker", "amir@example.org", [Cell("late", score=Decimal(70), days_late=1),
                                                         Cell("done", score=Decimal(80))], Decimal(75)),
        LearnerRow(3, "Mia Chen", "mia@example.org", [Cell("open"), Cell("in_progress")], None),
    ]


def test_rows_sort_by_name_ignoring_case():
    assert [r.learner_id for r in sort_rows(rows(), "name")] == [2, 3, 1]


def test_rows_sort_by_total_with_the_unknown_last_both_ways():
    assert [r.learner_id for r in sort_rows(rows(), "total")] == [1, 2, 3]
    assert [r.learner_id for r in sort_rows(rows(), "total", descending=True)] == [2, 1, 3]


def test_rows_sort_by_one_assignment_column():
    assert [r.learner_id for r in sort_rows(rows(), "a0", descending=True)] == [1, 2, 3]


def test_an_unknown_sort_key_keeps_name_order():
    assert [r.learner_id for r in sort_rows(rows(), "nonsense")] == [2, 3, 1]


def test_filters_pick_learners_with_missing_late_or_unfinished_work():
    assert [r.learner_id for r in filter_rows(rows(), "missing")] == [1]
    assert [r.learner_id for r in filter_rows(rows(), "late")] == [2]
    assert [r.learner_id for r in filter_rows(rows(), "behind")] == [1, 2]
    assert [r.learner_id for r in filter_rows(rows(), "in_progress")] == [3]
    assert [r.learner_id for r in filter_rows(rows(), "all", text="CHEN")] == [3]
    assert [r.learner_id for r in filter_rows(rows(), "all", text="amir@")] == [2]


def test_percent_text_drops_needless_decimals():
    assert [percent_text(Decimal(v)) for v in ("85.00", "72.50", "33.333")] == ["85", "72.5", "33.33"]
    assert percent_text(None) == ""


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)"])
def test_spreadsheet_formulas_are_neutralised(text):
    assert spreadsheet_safe(text) == "'" + text


def test_gradebook_csv_has_a_score_and_a_status_column_per_assignment():
    text = gradebook_csv(["Week 1 quiz", "=cmd"], sort_rows(rows(), "name"))
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["name", "email", "Week 1 quiz", "Week 1 quiz (status)", "'=cmd", "'=cmd (status)", "total"]
    assert table[1] == ["amir Baker", "amir@example.org", "70", "late (1 day)", "80", "done", "75"]
    assert table[3] == ["Zoe Adams", "zoe@example.org", "90", "done", "0", "missing", "45"]
    assert table[2][2:] == ["", "not started", "", "in progress", ""]


def test_policies_describe_themselves():
    assert "10 percentage points a day" in PENALTY.describe()
    assert "not counted" in REFUSE.describe()


def test_work_unfinished_past_its_due_date_counts_as_behind():
    late_starter = LearnerRow(4, "Dee", "dee@example.org", [Cell("in_progress", overdue=True)])
    assert filter_rows([late_starter], "behind") == [late_starter]
    assert filter_rows([late_starter], "missing") == []
