"""The shipped scenarios load, validate through the rules core, and cover what the issue asks:
40 dispensing scenarios and 15 pharmacist checks, every problem kind, every presentation,
controlled and non-controlled drugs, liquids for children and adults, eye drops, insulin,
inhalers, topicals and tapers."""

from __future__ import annotations

from collections import Counter

from trainer.rx.scenarios import (
    GENERATOR_KINDS,
    PRESENTATIONS,
    VALIDATION_KINDS,
    Scenario,
    ValidationExercise,
    checks,
    validate,
)
from trainer.rx.scenarios.kinds import ERROR_KINDS


def dispensing(shipped) -> list[Scenario]:
    return [s for s in shipped if isinstance(s, Scenario)]


def test_at_least_40_dispensing_scenarios_and_15_pharmacist_checks(shipped):
    kinds = Counter(item.kind for item in shipped)
    assert kinds["dispensing"] >= 40
    assert kinds["validation"] >= 15


def test_every_shipped_item_is_sound_by_the_rules_core(shipped, drugs):
    unsound = {item.id: validate(item, drugs) for item in shipped}
    assert {k: v for k, v in unsound.items() if v} == {}


def test_every_problem_kind_is_planted_somewhere(shipped):
    planted = {p.kind for item in shipped for p in item.problems}
    assert set(GENERATOR_KINDS) <= planted
    assert set(VALIDATION_KINDS) <= planted


def test_every_presentation_and_every_schedule(shipped, drugs):
    scenarios = dispensing(shipped)
    assert {s.prescription.presentation for s in scenarios} == set(PRESENTATIONS)
    schedules = {checks.schedule(s.prescription, drugs) for s in scenarios}
    assert None in schedules and {"CII", "CIII", "CIV", "CV"} <= schedules


def test_the_product_types_the_issue_names(shipped):
    scenarios = dispensing(shipped)
    forms = Counter(s.prescription.form for s in scenarios)
    tags = Counter(t for s in scenarios for t in s.tags)
    for tag in ("paediatric-liquid", "adult-liquid", "eye-drops", "insulin", "inhaler", "topical", "taper"):
        assert tags[tag] >= 2, tag
    assert forms["ophthalmic solution"] >= 2 and forms["inhaler"] >= 2
    assert forms["vial"] + forms["pen"] >= 2 and forms["cream"] + forms["ointment"] >= 2
    # the tags are true: a paediatric liquid is measured in mL for a child, a taper has steps
    for s in scenarios:
        if "paediatric-liquid" in s.tags:
            assert s.patient.age_on(s.date) < 12 and s.prescription.quantity_unit == "mL", s.id
        if "taper" in s.tags:
            assert " then " in s.prescription.sig, s.id


def test_in_use_periods_limit_the_days_supply_somewhere(by_id):
    assert by_id["insulin-glargine-vial-28-days"].expected.days_supply == 28
    assert by_id["latanoprost-in-use-limit"].expected.days_supply == 42


def test_every_item_counts_toward_blueprint_areas(shipped):
    for item in shipped:
        assert item.areas, item.id
        assert all(a.startswith("ptce-2020:") for a in item.areas), item.id


def test_every_planted_problem_teaches_and_cites(shipped):
    for item in shipped:
        for problem in item.problems:
            assert len(problem.note) > 20 and problem.consequence, (item.id, problem.kind)
            assert "http" in problem.rule or "CFR" in problem.rule, (item.id, problem.kind)


def test_pharmacist_checks_dispense_exactly_when_nothing_is_planted(shipped):
    exercises = [e for e in shipped if isinstance(e, ValidationExercise)]
    assert {e.dispense for e in exercises} == {True, False}
    assert all(e.dispense == (not e.problems) for e in exercises)


def test_only_an_expired_prescription_stops_the_fill(shipped):
    for s in dispensing(shipped):
        stops = any(ERROR_KINDS[p.kind].stops_fill for p in s.problems)
        assert s.expected.fillable is not stops, s.id


def test_a_refill_rule_states_the_plans_own_share(shipped):
    refills = [(s, p) for s in dispensing(shipped) for p in s.problems if p.kind == "refill_too_soon"]
    assert refills and all(f"{(s.plan.refill_threshold * 100).normalize():f}% of the last supply" in p.rule
                           for s, p in refills)
