"""The readiness report for one outline: domains and areas, strengths, weak areas, practice targets."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from trainer.questions.blueprints import ExamDomain, ExamOutline
from trainer.readiness.mastery import AreaEvidence, observe
from trainer.readiness.report import readiness_report

NOW = datetime(2026, 3, 1, tzinfo=UTC)
OUTLINE = ExamOutline(
    code="ptce-2020", exam="PTCE", title="PTCE 2020", official=True, items=90, scored_items=80,
    time_limit_minutes=110, assumed_pass_percent=70,
    domains=(
        ExamDomain("1", "Medications", Decimal(40), {"1.1": "Names", "1.2": "Equivalence"}),
        ExamDomain("2", "Federal Requirements", Decimal(60), {}),
    ),
)


def evidence(right: int, wrong: int) -> AreaEvidence:
    state = AreaEvidence()
    for score in [1] * right + [0] * wrong:
        state = observe(state, score, NOW)
    return state


def test_every_domain_and_area_is_reported_in_outline_order():
    report = readiness_report(OUTLINE, {}, NOW)
    assert [d.label for d in report.domains] == ["1", "2"]
    assert [a.label for a in report.domains[0].areas] == ["1.1", "1.2"]
    assert report.domains[0].weight == 40
    assert all(d.standing == "unknown" for d in report.domains)
    assert report.prediction is None


def test_strengths_and_weak_areas_come_from_the_finest_units():
    report = readiness_report(OUTLINE, {
        "ptce-2020:1": evidence(12, 4), "ptce-2020:1.1": evidence(9, 0), "ptce-2020:1.2": evidence(3, 4),
        "ptce-2020:2": evidence(1, 5),
    }, NOW)
    assert [p.code for p in report.strengths] == ["ptce-2020:1.1"]
    # 1.2: Beta(4, 5) 0.44; domain 2, which lists no areas, stands for itself: Beta(2, 6) 0.25
    assert [p.code for p in report.weak] == ["ptce-2020:2", "ptce-2020:1.2"]
    assert report.answered == 16 + 6


def test_the_prediction_weighs_the_domains():
    report = readiness_report(OUTLINE, {"ptce-2020:1": evidence(8, 0), "ptce-2020:2": evidence(0, 8)}, NOW)
    # Beta(9, 1) 0.9 × 0.4 + Beta(1, 9) 0.1 × 0.6
    assert report.prediction.expected == pytest.approx(0.9 * 0.4 + 0.1 * 0.6)
    assert report.prediction.likelihood < 0.01


def test_practice_goes_to_the_weakest_areas_by_how_far_they_are_from_mastery():
    report = readiness_report(OUTLINE, {
        "ptce-2020:1.1": evidence(9, 0), "ptce-2020:1.2": evidence(3, 4), "ptce-2020:2": evidence(1, 5),
    }, NOW)
    targets = report.practice_targets(10, areas=2)
    # 2: 1 − 0.25 = 0.75; 1.2: 1 − 0.444 = 0.556 → quotas 5.74, 4.26
    assert targets == {"ptce-2020:2": 6, "ptce-2020:1.2": 4}


def test_untried_areas_are_practised_before_strong_ones():
    report = readiness_report(OUTLINE, {"ptce-2020:1.1": evidence(9, 0), "ptce-2020:2": evidence(9, 1)}, NOW)
    assert list(report.practice_targets(9, areas=1)) == ["ptce-2020:1.2"]
