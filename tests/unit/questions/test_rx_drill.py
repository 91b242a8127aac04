"""Prescription-rule drills: the key always agrees with trainer.rx, whatever the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.questions import generate_question, grade_response, validate_question
from trainer.questions.bank import load_bank_file
from trainer.rx import controlled, dea, ndc, sig

ROOT = Path(__file__).resolve().parents[3]
SEEDS = range(40)


def drill(rule: str, **settings) -> dict:
    return {
        "id": f"rx-test-{rule.replace('_', '-')}",
        "type": "rx_drill",
        "rule": rule,
        "settings": settings,
        "stem": "Lead-in.",
        "explanation": "Why.",
        "tags": ["rx"],
        "difficulty": "medium",
        "blueprint": ["ptce-2020:4.2"],
        "references": ["https://www.ecfr.gov/current/title-21/section-1306.22"],
    }


def _bold(stem: str) -> str:
    return stem.split("**")[1]


def test_dea_key_agrees_with_the_dea_check():
    for seed in SEEDS:
        instance = generate_question(drill("dea_check"), seed)
        number = _bold(instance["stem"])
        surname = instance["stem"].split("Dr. ")[1].split(" signs")[0].split()[-1]
        valid = dea.check(number, last_name=surname).valid
        assert instance["answer_text"].startswith("Valid") == valid, (seed, number, surname)


@pytest.mark.parametrize("shape", ndc.TEN_DIGIT_SHAPES)
def test_ndc_key_is_the_11_digit_form(shape):
    for seed in SEEDS:
        instance = generate_question(drill("ndc_to_11", shape=shape), seed)
        printed = _bold(instance["stem"])
        assert ndc.parse(printed).shape == shape
        assert instance["answer_text"] == ndc.to_11(printed)
        assert len({c["text"] for c in instance["choices"]}) == len(instance["choices"]) == 4


def test_ndc_key_in_the_12_digit_form():
    for seed in SEEDS:
        instance = generate_question(drill("ndc_to_11", target="12"), seed)
        assert instance["answer_text"] == ndc.to_12(_bold(instance["stem"]))


@pytest.mark.parametrize("route", ["oral", "eye", "ear", "inhaled", "injection", "rectal", "topical", "sublingual"])
def test_sig_key_is_the_translation_and_no_distractor_equals_it(route):
    for seed in SEEDS:
        instance = generate_question(drill("sig_translate", route=route), seed)
        assert instance["answer_text"] == sig.translate(_bold(instance["stem"]))
        texts = [c["text"] for c in instance["choices"]]
        assert len(set(texts)) == len(texts) >= 2


@pytest.mark.parametrize(
    ("schedule", "situation"),
    [("CII", "c2"), ("CIII", "allowed"), ("CIII", "too_many"), ("CIV", "expired"), ("CIV", "used_up"), ("CV", "allowed"), ("Rx", "used_up")],
)
def test_refill_key_follows_21_cfr_1306(schedule, situation):
    for seed in SEEDS:
        instance = generate_question(drill("refill_allowed", schedule=schedule, situation=situation), seed)
        allowed = instance["answer_text"].startswith("Yes")
        assert allowed == (situation == "allowed")
        assert "1306" in instance["explanation"] or allowed or schedule in ("CV", "Rx")


def test_an_impossible_refill_case_is_refused():
    problems = validate_question(drill("refill_allowed", schedule="CII", situation="expired"))
    assert ("settings.situation", "expired cannot happen with CII") in problems


def test_reject_key_is_the_ncpdp_message():
    for seed in SEEDS:
        instance = generate_question(drill("reject_meaning", codes=["75"], ask="meaning"), seed)
        assert instance["answer_text"] == "Prior Authorization Required"


def test_the_dur_reject_action_is_routing_to_the_pharmacist():
    instance = generate_question(drill("reject_meaning", codes=["88"], ask="action"), 1)
    assert "Route the DUR alert to the pharmacist" in instance["answer_text"]


@pytest.mark.parametrize(
    ("settings", "field"),
    [({"defect": "forged"}, "settings.defect"), ({"colour": 1}, "settings.colour"), ({"prefixes": ["P"]}, "settings.prefixes")],
)
def test_bad_settings_are_reported(settings, field):
    assert field in [f for f, _ in validate_question(drill("dea_check", **settings))]


def test_an_unknown_rule_is_reported():
    assert validate_question({**drill("dea_check"), "rule": "bake_cake"})[0][0] == "rule"


def test_the_shipped_drills_cover_every_rule_with_at_least_80_questions():
    questions = load_bank_file(ROOT / "question_bank" / "rx-rules.yaml")
    assert len(questions) >= 80
    assert {q["rule"] for q in questions} == {"dea_check", "ndc_to_11", "sig_translate", "refill_allowed", "reject_meaning"}
    for question in questions:
        assert any(b.startswith("ptce-2020:") for b in question["blueprint"])
        assert any(b.startswith("ptce-2026:") for b in question["blueprint"])
        assert all("https://" in r for r in question["references"]), question["id"]
        assert question["explanation"].strip()


def test_fresh_values_per_attempt():
    stems = {generate_question(drill("dea_check"), seed)["stem"] for seed in SEEDS}
    assert len(stems) > 30


def test_the_key_grades_correct_and_another_choice_wrong():
    instance = generate_question(drill("sig_translate"), 5)
    assert grade_response(instance, instance["key"]).correct
    other = next(c["id"] for c in instance["choices"] if c["id"] != instance["key"])
    assert not grade_response(instance, other).correct
    assert controlled.schedule_of("C-IV") == "CIV"
