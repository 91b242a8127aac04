"""Item statistics, checked against values worked out by hand in each test."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.teaching.item_statistics import (
    Choice,
    Response,
    analyse_item,
    choice_counts,
    chosen_in_file_order,
    common_wrong_answers,
    facility,
    group_size,
    median,
    point_biserial,
    question_choices,
    summarise_totals,
    upper_lower_groups,
    upper_lower_index,
    value_difficulty,
)

# Eleven learners, best rest score first: item score, rest score (the attempt without this item).
ELEVEN_SCORES = [1, 1, 1, 0, 1, 1, 0, 1, 0, 0, 0]
ELEVEN_RESTS = [0.90, 0.85, 0.80, 0.75, 0.70, 0.60, 0.50, 0.40, 0.30, 0.20, 0.10]


def responses(scores, rests, **extra):
    return [Response(respondent=i, score=s, rest=r, **{k: v[i] for k, v in extra.items()})
            for i, (s, r) in enumerate(zip(scores, rests, strict=True))]


# ---- facility ------------------------------------------------------------------------


def test_facility_is_the_share_who_got_a_right_or_wrong_item_right():
    # 6 right out of 11
    assert facility(ELEVEN_SCORES) == pytest.approx(6 / 11)


def test_facility_of_partly_scored_items_is_the_mean_score():
    # (1 + 0.5 + 0.5 + 0) / 4 = 0.5
    assert facility([1, 0.5, 0.5, 0]) == 0.5


def test_facility_without_responses_is_unknown():
    assert facility([]) is None


# ---- point-biserial --------------------------------------------------------------------


def test_point_biserial_by_hand():
    # M1 (mean rest of the six right) = (.90 + .85 + .80 + .70 + .60 + .40) / 6 = 4.25 / 6 = 0.708333
    # M0 (mean rest of the five wrong) = (.75 + .50 + .30 + .20 + .10) / 5 = 0.37
    # mean rest = 6.10 / 11 = 0.554545; mean of squares = 4.135 / 11 = 0.375909
    # s (population) = sqrt(0.375909 - 0.554545²) = sqrt(0.068388) = 0.261511
    # sqrt(pq) = sqrt(6/11 · 5/11) = 0.497930
    # r = (0.708333 - 0.37) / 0.261511 · 0.497930 = 0.6442
    assert point_biserial(ELEVEN_SCORES, ELEVEN_RESTS) == pytest.approx(0.6442, abs=5e-5)


def test_point_biserial_small_case_by_hand():
    # scores 1,1,1,0,0 (p = .6), rests .9,.8,.5,.6,.2 (mean .6)
    # deviations: score .4,.4,.4,-.6,-.6; rest .3,.2,-.1,0,-.4
    # Σ products = .12 + .08 - .04 + 0 + .24 = .40; Σ score² = 1.2; Σ rest² = .30
    # r = .40 / sqrt(1.2 · .30) = .40 / .6 = 2/3
    assert point_biserial([1, 1, 1, 0, 0], [0.9, 0.8, 0.5, 0.6, 0.2]) == pytest.approx(2 / 3)


def test_point_biserial_is_negative_when_the_weaker_learners_get_it_right():
    reversed_scores = [1 - s for s in ELEVEN_SCORES]
    assert point_biserial(reversed_scores, ELEVEN_RESTS) == pytest.approx(-0.6442, abs=5e-5)


def test_point_biserial_is_unknown_when_everyone_scores_the_same_on_the_item():
    assert point_biserial([1, 1, 1], [0.2, 0.5, 0.9]) is None


def test_point_biserial_is_unknown_when_the_rest_scores_do_not_vary():
    assert point_biserial([1, 0, 1], [0.5, 0.5, 0.5]) is None


def test_point_biserial_refuses_lists_of_different_lengths():
    with pytest.raises(ValueError):
        point_biserial([1, 0], [0.5])


@given(st.lists(st.tuples(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0, 1)), min_size=2, max_size=60))
def test_point_biserial_is_a_correlation_between_minus_one_and_one(pairs):
    value = point_biserial([s for s, _ in pairs], [r for _, r in pairs])
    assert value is None or -1 - 1e-9 <= value <= 1 + 1e-9


# ---- upper/lower 27% ---------------------------------------------------------------------


def test_group_size_is_27_percent_rounded_half_up():
    # 11 · 0.27 = 2.97 → 3; 100 · 0.27 = 27; 5 · 0.27 = 1.35 → 1; 1 · 0.27 → 0
    assert [group_size(n) for n in (11, 100, 5, 1)] == [3, 27, 1, 0]


def test_upper_lower_index_by_hand():
    # groups of 3: upper = rests .90, .85, .80 → all right (3/3); lower = .30, .20, .10 → none (0/3)
    # D = 3/3 - 0/3 = 1.0
    assert upper_lower_index(ELEVEN_SCORES, ELEVEN_RESTS) == 1.0


def test_upper_lower_index_with_a_mixed_upper_group():
    # ten learners, groups of 3 (10 · .27 = 2.7 → 3)
    # upper (rests 1.0, .9, .8): scores 1, 0, 1 → 2/3; lower (rests .0, .1, .2): 1, 0, 0 → 1/3
    # D = 2/3 - 1/3 = 1/3
    scores = [1, 0, 1, 1, 0, 1, 0, 0, 0, 1]
    rests = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.2, 0.1, 0.0]
    assert upper_lower_index(scores, rests) == pytest.approx(1 / 3)


def test_upper_and_lower_groups_never_share_a_learner_even_when_all_tie():
    upper, lower = upper_lower_groups([0.5] * 8)
    assert len(upper) == len(lower) == 2 and not set(upper) & set(lower)


def test_upper_lower_index_needs_a_group_of_at_least_one():
    assert upper_lower_index([1], [0.5]) is None


# ---- choices, answers, time ---------------------------------------------------------------


CHOICES = [Choice("a", "Schedule II", True), Choice("b", "Schedule III", False),
           Choice("c", "Schedule IV", False), Choice("d", "Schedule V", False)]


def test_choice_counts_by_hand():
    chosen = [("a",), ("a",), ("b",), ("a",), ("c",), None, ("b",), ("a",)]
    picked = [Response(i, 1 if c == ("a",) else 0, chosen=c) for i, c in enumerate(chosen)]
    counts, no_answer = choice_counts(picked, CHOICES)
    # a: 4 of 8 = 50%; b: 2 = 25%; c: 1 = 12.5%; d: never; one learner gave no answer
    assert [(c.id, c.count, c.share) for c in counts] == [
        ("a", 4, 0.5), ("b", 2, 0.25), ("c", 1, 0.125), ("d", 0, 0.0)]
    assert no_answer == 1
    assert [c.correct for c in counts] == [True, False, False, False]


def test_choice_counts_split_by_upper_and_lower_group():
    chosen = [("a",), ("b",), ("a",), ("c",)]
    picked = [Response(i, 0, chosen=c) for i, c in enumerate(chosen)]
    counts, _ = choice_counts(picked, CHOICES, upper=[0, 1], lower=[3])
    by_id = {c.id: (c.upper, c.lower) for c in counts}
    assert by_id == {"a": (1, 0), "b": (1, 0), "c": (0, 1), "d": (0, 0)}


def test_a_multiple_response_answer_counts_each_choice_once():
    picked = [Response(0, 0.5, chosen=("a", "b", "a"))]
    counts, _ = choice_counts(picked, CHOICES)
    assert [c.count for c in counts] == [1, 1, 0, 0]


def test_common_wrong_answers_are_counted_after_trimming_and_case():
    given_answers = [("7.25 mL", 1), ("72.5", 0), ("72.5 ", 0), (" 72.5", 0), ("0.725", 0), ("ML  7", 0), ("ml 7", 0)]
    picked = [Response(i, s, answer=a) for i, (a, s) in enumerate(given_answers)]
    assert common_wrong_answers(picked) == [("72.5", 3), ("ml 7", 2), ("0.725", 1)]


def test_median_of_an_odd_and_an_even_count():
    assert median([5, 100, 7]) == 7
    assert median([30, 10, 20, 40]) == 25  # (20 + 30) / 2
    assert median([]) is None


def test_median_time_ignores_items_without_a_recorded_time():
    picked = [Response(0, 1, seconds=30), Response(1, 1, seconds=None), Response(2, 0, seconds=50),
              Response(3, 0, seconds=0)]
    stats = analyse_item(picked)
    assert (stats.median_seconds, stats.timed) == (40, 2)  # (30 + 50) / 2, from two timed answers


# ---- calculated items ---------------------------------------------------------------------------


DOSE = {"min": 100, "max": 500, "step": 50}  # 9 values: 100, 150, … 500
STRENGTH = {"choices": [125, 250, 400]}


def test_a_wide_range_is_split_into_four_bins_on_its_steps():
    # 9 values, bins by index 9·j//4 = 0, 2, 4, 6, 9: [100,150] [200,250] [300,350] [400,450,500]
    drawn = [Response(i, s, values={"dose": str(d)}) for i, (d, s) in enumerate(
        [(100, 1), (150, 1), (200, 1), (250, 0), (300, 1), (350, 1), (400, 0), (450, 0), (500, 1)])]
    (dose,) = value_difficulty(drawn, {"dose": DOSE})
    assert [(r.label, r.count, r.facility) for r in dose.ranges] == [
        ("100–150", 2, 1.0), ("200–250", 2, 0.5), ("300–350", 2, 1.0), ("400–500", 3, pytest.approx(1 / 3))]


def test_a_choice_variable_gets_one_row_per_value():
    drawn = [Response(0, 1, values={"strength": "125"}), Response(1, 0, values={"strength": "400"}),
             Response(2, 0, values={"strength": "400"}), Response(3, 1, values={"strength": "400"})]
    (strength,) = value_difficulty(drawn, {"strength": STRENGTH})
    assert [(r.label, r.count, r.facility) for r in strength.ranges] == [
        ("125", 1, 1.0), ("250", 0, None), ("400", 3, pytest.approx(1 / 3))]


def test_a_range_is_hard_when_well_below_the_overall_facility_with_enough_draws():
    # overall: 12 right of 20 = .60; strength 400: 1 right of 6 = .17 ≤ .60 - .20 → hard
    # strength 125: 7 of 7 = 1.0; strength 250: 4 of 7 = .57 (not .20 below)
    plan = [("125", 1)] * 7 + [("250", 1)] * 4 + [("250", 0)] * 3 + [("400", 1)] + [("400", 0)] * 5
    drawn = [Response(i, s, values={"strength": v}) for i, (v, s) in enumerate(plan)]
    (strength,) = value_difficulty(drawn, {"strength": STRENGTH})
    assert [r.hard for r in strength.ranges] == [False, False, True]


def test_a_small_range_gets_one_row_per_value_and_values_off_the_range_are_ignored():
    drawn = [Response(0, 1, values={"tabs": "1"}), Response(1, 0, values={"tabs": "2"}),
             Response(2, 0, values={"tabs": "99"}), Response(3, 0, values={"tabs": "x"})]
    (tabs,) = value_difficulty(drawn, {"tabs": {"min": 1, "max": 3, "step": 1}})
    assert [(r.label, r.count) for r in tabs.ranges] == [("1", 1), ("2", 1), ("3", 0)]


# ---- the whole item and its flags ----------------------------------------------------------------


def test_analyse_item_states_its_sample_and_both_indexes():
    stats = analyse_item(responses(ELEVEN_SCORES, ELEVEN_RESTS))
    assert stats.n == 11 and stats.group_size == 3
    assert stats.facility == pytest.approx(6 / 11)
    assert stats.point_biserial == pytest.approx(0.6442, abs=5e-5)
    assert stats.upper_lower == 1.0
    assert stats.flags == []


def test_negative_discrimination_is_flagged():
    stats = analyse_item(responses([1 - s for s in ELEVEN_SCORES], ELEVEN_RESTS))
    assert [f.code for f in stats.flags] == ["negative_discrimination"]
    assert "-0.64" in stats.flags[0].message


def test_an_item_almost_everyone_gets_right_is_flagged():
    # 19 of 20 right = 95%
    scores = [1] * 19 + [0]
    stats = analyse_item(responses(scores, [i / 20 for i in range(20, 0, -1)]))
    assert [f.code for f in stats.flags] == ["almost_all_right"]


def test_an_item_almost_no_one_gets_right_is_flagged():
    # 1 of 20 right = 5%, and that one learner had the best rest score
    scores = [1] + [0] * 19
    stats = analyse_item(responses(scores, [i / 20 for i in range(20, 0, -1)]))
    assert [f.code for f in stats.flags] == ["almost_all_wrong"]


def test_ninety_percent_right_is_not_flagged():
    scores = [1] * 9 + [0]
    stats = analyse_item(responses(scores, [i / 10 for i in range(10, 0, -1)]))
    assert stats.flags == []


def test_too_few_responses_raise_no_flag():
    # nine learners, all right: 100% facility, but fewer than ten responses
    stats = analyse_item(responses([1] * 9, [i / 9 for i in range(9)]))
    assert stats.facility == 1.0 and stats.flags == []


def test_an_item_without_rest_scores_still_has_a_facility():
    stats = analyse_item([Response(i, s) for i, s in enumerate([1, 0, 1])])
    assert stats.facility == pytest.approx(2 / 3)
    assert stats.point_biserial is None and stats.upper_lower is None and stats.group_size == 0


def test_analyse_item_counts_choices_for_a_choice_item_and_wrong_answers_otherwise():
    chosen = [("a",), ("b",), ("a",)]
    with_choices = analyse_item([Response(i, 1 if c == ("a",) else 0, rest=0.5, chosen=c)
                                 for i, c in enumerate(chosen)], choices=CHOICES)
    assert [c.count for c in with_choices.choices] == [2, 1, 0, 0] and with_choices.common_wrong == []
    typed = analyse_item([Response(0, 0, answer="72.5"), Response(1, 1, answer="7.25")])
    assert typed.choices == [] and typed.common_wrong == [("72.5", 1)]


def test_totals_summary():
    summary = summarise_totals([50, 70, 90, 100])
    assert (summary.n, summary.mean, summary.median) == (4, 77.5, 80)


@given(st.lists(st.tuples(st.sampled_from([0.0, 1.0]), st.floats(0, 1)), min_size=0, max_size=80))
def test_analyse_item_never_raises_and_stays_in_range(pairs):
    stats = analyse_item([Response(i, s, rest=r) for i, (s, r) in enumerate(pairs)])
    assert stats.n == len(pairs)
    if stats.facility is not None:
        assert 0 <= stats.facility <= 1
    if stats.upper_lower is not None:
        assert -1 <= stats.upper_lower <= 1
        assert not math.isnan(stats.upper_lower)


# ---- reading stored questions and answers ----------------------------------------------------------


def test_choices_of_a_question_are_named_by_their_place_in_the_file():
    data = {"type": "single_choice", "choices": [{"text": "II", "correct": True}, {"text": "III"}]}
    assert question_choices(data) == [Choice("a", "II", True), Choice("b", "III", False)]
    assert question_choices({"type": "true_false", "answer": False}) == [
        Choice("true", "True", False), Choice("false", "False", True)]
    assert question_choices({"type": "numeric"}) is None


def test_an_answer_is_mapped_from_the_shown_ids_back_to_the_file_ids():
    # this attempt showed the file's c first (as a) and a third (as c)
    instance = {"type": "multiple_response", "choices": [
        {"id": "a", "source": "c", "text": "x"}, {"id": "b", "source": "b", "text": "y"},
        {"id": "c", "source": "a", "text": "z"}]}
    assert chosen_in_file_order(instance, ["a", "c"]) == ["c", "a"]
    assert chosen_in_file_order({**instance, "type": "single_choice"}, "A") == ["c"]
    assert chosen_in_file_order(instance, ["zz"]) is None
    assert chosen_in_file_order(instance, None) is None


def test_a_true_false_answer_is_the_word():
    assert chosen_in_file_order({"type": "true_false"}, False) == ["false"]
    assert chosen_in_file_order({"type": "true_false"}, "True") == ["true"]
    assert chosen_in_file_order({"type": "numeric"}, "7") is None
