"""The mastery model: Beta-Bernoulli with exponential decay, checked against values worked by hand.

Prior Beta(1, 1); an answer adds its score to α and the rest to β, weighted by
2^(−age / 30 days). Every expected value below is worked out in the comment beside it.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.readiness.mastery import (
    HALF_LIFE_DAYS,
    AreaEvidence,
    aged,
    beta_cdf,
    beta_quantile,
    decay,
    estimate,
    observe,
    predict_pass,
    standing,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def answers(*pairs) -> AreaEvidence:
    """Evidence from (score, days ago) pairs, observed in the order given."""
    evidence = AreaEvidence()
    for score, days_ago in pairs:
        evidence = observe(evidence, score, NOW - days_ago * DAY)
    return evidence


def test_the_half_life_is_thirty_days():
    assert HALF_LIFE_DAYS == 30
    assert decay(0) == 1
    assert decay(30) == pytest.approx(0.5)
    assert decay(60) == pytest.approx(0.25)


def test_without_answers_the_estimate_is_the_flat_prior():
    mastery = estimate(AreaEvidence(), NOW)
    # Beta(1, 1): mean 1/2, and the 90 % interval is [0.05, 0.95] (its CDF is x)
    assert (mastery.alpha, mastery.beta) == (1, 1)
    assert mastery.mean == pytest.approx(0.5)
    assert mastery.low == pytest.approx(0.05)
    assert mastery.high == pytest.approx(0.95)
    assert mastery.evidence == 0 and mastery.items == 0


def test_one_right_answer_today():
    mastery = estimate(answers((1, 0)), NOW)
    # Beta(2, 1): mean 2/3; CDF x², so the 5 % and 95 % points are √0.05 and √0.95
    assert (mastery.alpha, mastery.beta) == (2, 1)
    assert mastery.mean == pytest.approx(2 / 3)
    assert mastery.low == pytest.approx(math.sqrt(0.05), abs=1e-9)
    assert mastery.high == pytest.approx(math.sqrt(0.95), abs=1e-9)


def test_a_month_old_mistake_weighs_half_of_todays_right_answer():
    mastery = estimate(answers((0, 30), (1, 0)), NOW)
    # right 1, wrong 1 × 2^(−30/30) = 0.5: Beta(2, 1.5), mean 2 / 3.5
    assert mastery.alpha == pytest.approx(2)
    assert mastery.beta == pytest.approx(1.5)
    assert mastery.mean == pytest.approx(2 / 3.5)


def test_the_same_answers_in_the_other_order_weigh_the_other_way():
    mastery = estimate(answers((1, 30), (0, 0)), NOW)
    # right 0.5, wrong 1: Beta(1.5, 2), mean 1.5 / 3.5
    assert mastery.mean == pytest.approx(1.5 / 3.5)


def test_evidence_keeps_fading_until_it_is_read():
    evidence = answers((1, 0))
    later = estimate(evidence, NOW + 60 * DAY)
    # two half-lives: right 1 × 1/4 = 0.25, so Beta(1.25, 1), mean 1.25 / 2.25
    assert later.mean == pytest.approx(1.25 / 2.25)
    assert later.evidence == pytest.approx(0.25)
    assert later.items == 1


def test_an_answer_recorded_late_counts_as_old():
    in_order = answers((0, 30), (1, 0))
    late = answers((1, 0), (0, 30))
    assert estimate(late, NOW).mean == pytest.approx(estimate(in_order, NOW).mean)
    assert late.as_of == NOW


def test_partial_credit_counts_as_part_right_part_wrong():
    evidence = answers((0.5, 0))
    assert (evidence.right, evidence.wrong) == (0.5, 0.5)


def test_a_weight_scales_an_answer():
    evidence = observe(AreaEvidence(), 1, NOW, weight=0.5)
    assert (evidence.right, evidence.wrong, evidence.items) == (0.5, 0, 1)


def test_scores_outside_zero_to_one_are_clamped():
    assert observe(AreaEvidence(), 3, NOW).right == 1
    assert observe(AreaEvidence(), -1, NOW).wrong == 1


def test_aging_never_moves_evidence_backwards():
    evidence = answers((1, 0))
    assert aged(evidence, NOW - 10 * DAY) == evidence


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 400)), min_size=1, max_size=30))
def test_updating_one_answer_at_a_time_equals_summing_every_answer_at_once(pairs):
    evidence = answers(*pairs)
    now = NOW + 5 * DAY
    expected_right = sum(s * 0.5 ** ((days + 5) / 30) for s, days in pairs)
    expected_wrong = sum((1 - s) * 0.5 ** ((days + 5) / 30) for s, days in pairs)
    current = aged(evidence, now)
    assert current.right == pytest.approx(expected_right, rel=1e-9, abs=1e-12)
    assert current.wrong == pytest.approx(expected_wrong, rel=1e-9, abs=1e-12)


def test_confidence_grows_with_the_number_of_answers():
    few = estimate(answers(*[(1, 0)] * 4, (0, 0)), NOW)
    many = estimate(answers(*[(1, 0)] * 40, *[(0, 0)] * 10), NOW)
    # both 80 % right; 5 answers give Beta(5, 2), 50 give Beta(41, 11)
    assert many.high - many.low < (few.high - few.low) / 2


def test_confidence_fades_when_practice_stops():
    evidence = answers(*[(1, 0)] * 8, (0, 0), (0, 0))
    assert estimate(evidence, NOW + 90 * DAY).high - estimate(evidence, NOW + 90 * DAY).low > (
        estimate(evidence, NOW).high - estimate(evidence, NOW).low
    )


@pytest.mark.parametrize(("x", "a", "b", "expected"), [
    (0.3, 1, 1, 0.3),               # uniform: CDF x
    (0.3, 2, 1, 0.09),              # x²
    (0.3, 1, 2, 1 - 0.7 ** 2),      # 1 − (1 − x)²
    (0.5, 2, 2, 0.5),               # symmetric
    (0.2, 3, 2, 4 * 0.2 ** 3 - 3 * 0.2 ** 4),  # 4x³ − 3x⁴
])
def test_the_beta_cdf_matches_its_closed_forms(x, a, b, expected):
    assert beta_cdf(x, a, b) == pytest.approx(expected, abs=1e-10)


def test_the_beta_quantile_inverts_the_cdf():
    assert beta_quantile(0.05, 1, 2) == pytest.approx(1 - math.sqrt(0.95), abs=1e-9)
    assert beta_cdf(beta_quantile(0.9, 41, 11), 41, 11) == pytest.approx(0.9, abs=1e-9)


def test_standing_needs_three_recent_answers():
    assert standing(estimate(answers((1, 0), (1, 0)), NOW), 0.7) == "unknown"


def test_standing_compares_the_mean_with_the_passing_level():
    strong = estimate(answers(*[(1, 0)] * 9, (0, 0)), NOW)      # Beta(10, 2): 0.83
    developing = estimate(answers(*[(1, 0)] * 7, (0, 0), (0, 0)), NOW)  # Beta(8, 3): 0.73
    weak = estimate(answers((1, 0), (0, 0), (0, 0)), NOW)       # Beta(2, 3): 0.4
    assert standing(strong, 0.7) == "strong"
    assert standing(developing, 0.7) == "developing"
    assert standing(weak, 0.7) == "weak"


def test_no_pass_prediction_without_any_answers():
    assert predict_pass([(0.5, estimate(AreaEvidence(), NOW))] * 2, 80, 0.7) is None


def test_a_learner_exactly_at_the_passing_level_has_an_even_chance():
    at_cut = estimate(answers(*[(0.7, 0)] * 10), NOW)  # right 7, wrong 3: Beta(8, 4), mean 2/3
    prediction = predict_pass([(1.0, at_cut)], 80, at_cut.mean)
    assert prediction.likelihood == pytest.approx(0.5)
    assert prediction.expected == pytest.approx(8 / 12)


def test_the_expected_score_is_the_weighted_mean_of_the_domains():
    strong = estimate(answers(*[(1, 0)] * 7), NOW)    # Beta(8, 1): 8/9
    weak = estimate(answers((1, 0), (0, 0)), NOW)      # Beta(2, 2): 1/2
    prediction = predict_pass([(40, strong), (60, weak)], 80, 0.7)
    assert prediction.expected == pytest.approx(0.4 * 8 / 9 + 0.6 * 0.5)
    assert prediction.low < prediction.expected < prediction.high


def test_more_evidence_at_the_same_level_makes_a_pass_above_the_cut_more_likely():
    few = estimate(answers(*[(1, 0)] * 4, (0, 0)), NOW)
    many = estimate(answers(*[(1, 0)] * 80, *[(0, 0)] * 20), NOW)
    assert predict_pass([(1, many)], 80, 0.7).likelihood > predict_pass([(1, few)], 80, 0.7).likelihood


def test_the_prediction_says_how_sure_it_is():
    thin = predict_pass([(1, estimate(answers((1, 0)), NOW))], 80, 0.7)
    solid = predict_pass([(1, estimate(answers(*[(1, 0)] * 150), NOW))], 80, 0.7)
    assert thin.confidence == "low" and thin.thin_domains == 1
    assert solid.confidence == "high"
