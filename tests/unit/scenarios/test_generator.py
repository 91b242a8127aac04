"""The generator: seeded and reproducible; every planted problem is one the rules core finds,
and a scenario with nothing planted passes every check."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.rx.scenarios import (
    GENERATOR_KINDS,
    checks,
    default_drugs,
    generate,
    generate_many,
    validate,
)
from trainer.rx.scenarios.generator import compatible

# Module level, not a fixture: hypothesis prints its arguments, and the reference is large.
DRUGS = default_drugs()
COMPATIBLE_SETS = [
    combo
    for size in (0, 1, 2, 3)
    for combo in itertools.combinations(GENERATOR_KINDS, size)
    if compatible(combo, DRUGS) is None
]


def core_kinds(scenario, drugs) -> set[str]:
    return {f.kind for f in checks.findings(scenario, drugs) if not f.kind.startswith("label:")}


def test_the_same_kinds_and_seed_give_the_same_scenario(drugs):
    first = generate(["dea_check_digit", "refill_too_soon"], seed=42, drugs=drugs)
    again = generate(["refill_too_soon", "dea_check_digit"], seed=42, drugs=drugs)
    assert first == again
    assert generate(["dea_check_digit", "refill_too_soon"], seed=43, drugs=drugs) != first


@pytest.mark.parametrize("kind", GENERATOR_KINDS)
def test_every_kind_can_be_planted_and_the_core_finds_exactly_it(drugs, kind):
    scenario = generate([kind], seed=1, drugs=drugs)
    assert scenario.kinds == (kind,)
    assert core_kinds(scenario, drugs) == {kind}
    assert validate(scenario, drugs) == []
    assert scenario.problems[0].note  # the core's own finding, shown in the debrief


@settings(max_examples=60, deadline=None)
@given(kinds=st.sampled_from(COMPATIBLE_SETS), seed=st.integers(min_value=0, max_value=10**6))
def test_every_planted_problem_is_found_by_the_core_and_nothing_else(kinds, seed):
    scenario = generate(kinds, seed=seed, drugs=DRUGS)
    assert set(scenario.kinds) == set(kinds)
    assert core_kinds(scenario, DRUGS) == set(kinds)
    assert validate(scenario, DRUGS) == []


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**6))
def test_a_scenario_with_nothing_planted_passes_every_check(seed):
    scenario = generate([], seed=seed, drugs=DRUGS)
    assert scenario.problems == ()
    assert checks.findings(scenario, DRUGS) == []
    response = checks.submit(scenario, checks.key_request(scenario), DRUGS)
    assert response.paid and response.dur_alerts == ()
    assert scenario.expected.review == "fill" and scenario.expected.fillable


@pytest.mark.parametrize(
    "kinds",
    [["c2_refills", "c3_over_six_months"], ["prior_auth", "refill_too_soon"], ["expired", "allergy"], ["no_such_kind"]],
)
def test_kinds_that_cannot_share_a_scenario_are_refused_with_the_reason(drugs, kinds):
    with pytest.raises(ValueError) as caught:
        generate(kinds, seed=1, drugs=drugs)
    assert str(caught.value) == compatible(kinds)


def test_generate_many_uses_consecutive_seeds(drugs):
    batch = generate_many(["lasa_on_shelf"], seed=10, count=3, drugs=drugs)
    assert [s.source for s in batch] == [f"generated:lasa_on_shelf:{n}" for n in (10, 11, 12)]
    assert batch[1] == generate(["lasa_on_shelf"], seed=11, drugs=drugs)
