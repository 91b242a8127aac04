"""The shipped courses and question bank meet the review's standards (issue 14): every fact
cites a public source, the 2026 tags agree with what that outline dropped, and the
calculated templates draw plausible numbers whose worked steps match their rounding."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from trainer.calc import format_number
from trainer.content import load_courses
from trainer.content.citations import citation_problems
from trainer.questions.bank import load_bank_dir
from trainer.questions.calculated import compute, every_draw_to_check
from trainer.questions.coverage import retired_topic_problems

ROOT = Path(__file__).resolve().parents[3]

# Drip rates a nurse can count and that an ordinary gravity infusion gives
# (calc-fundamentals, module 4: over 100 gtt/min on macrodrip tubing is implausible).
PLAUSIBLE_GTT_PER_MIN = (Decimal(5), Decimal(100))


@pytest.fixture(scope="module")
def bank():
    return load_bank_dir(ROOT / "question_bank")


@pytest.fixture(scope="module")
def courses():
    return load_courses(ROOT / "courses")


def _keyed_texts(question: dict):
    """The text a question teaches as right: correct choices, matching answers, accepted answers."""
    for choice in question.get("choices") or []:
        if choice.get("correct"):
            yield choice.get("text", "")
    for pair in question.get("pairs") or []:
        yield pair["right"]
    yield from question.get("items") or []
    yield from (str(a) for a in question.get("answers") or [])


def test_every_question_cites_a_public_source_and_no_repository_path(bank):
    problems = {
        qid: found for qid, q in bank.questions.items() if (found := citation_problems(q["references"]))
    }
    assert problems == {}


def test_every_course_and_module_cites_a_public_source_and_no_repository_path(courses):
    problems = {}
    for course in courses:
        if found := citation_problems(course.references):
            problems[course.slug] = found
        for module in course.modules:
            if found := citation_problems(module.references):
                problems[f"{course.slug}/{module.slug}"] = found
    assert problems == {}


def test_no_question_is_tagged_to_the_2026_outline_on_a_topic_it_dropped(bank):
    assert retired_topic_problems(bank.questions) == []


def test_no_question_keys_subcut_which_ismp_replaced_with_subq(bank):
    # ISMP's 2021 list: write SUBQ (capitals, no spaces or periods) or subcutaneous(ly).
    # A distractor may still name "subcut" to explain why it is outdated.
    offenders = [
        qid
        for qid, q in bank.questions.items()
        if any(re.search(r"\bsubcut\b", text, re.IGNORECASE) for text in _keyed_texts(q))
    ]
    assert offenders == []


def _calculated(bank, family=None):
    return [
        (qid, q)
        for qid, q in sorted(bank.questions.items())
        if q["type"] == "calculated" and (family is None or q["answer"].get("family") == family)
    ]


def test_every_drip_rate_template_draws_a_rate_that_can_be_counted(bank):
    templates = _calculated(bank, "drip_rate")
    assert templates, "the bank has drip-rate templates"
    low, high = PLAUSIBLE_GTT_PER_MIN
    implausible = []
    for qid, spec in templates:
        for values in every_draw_to_check(spec):
            draw = compute(spec, values)
            if not low <= draw.answer <= high:
                implausible.append((qid, values, draw.answer))
                break
    assert implausible == []


def test_every_calculated_template_states_the_rounding_its_key_uses(bank):
    disagreements = []
    for qid, spec in _calculated(bank):
        step = spec["answer"].get("round_to")
        if step is None or "family" not in spec["answer"]:
            continue
        asked = f"nearest {format_number(Decimal(str(step)))}"
        for values in list(every_draw_to_check(spec))[:20]:
            steps = compute(spec, values).steps
            if not any(asked in line for line in steps) or (
                step != "0.1" and any("to tenths" in line for line in steps)
            ):
                disagreements.append((qid, steps[-1]))
                break
    assert disagreements == []


def test_budesonide_formoterol_is_drawn_at_its_labelled_two_inhalations(bank):
    templates = [(qid, q) for qid, q in _calculated(bank) if "budesonide/formoterol" in q["stem"]]
    assert templates
    for _qid, spec in templates:
        for values in every_draw_to_check(spec):
            assert compute(spec, values).values.get("puffs", 2) == 2
            assert "2 puffs" in spec["answer"]["params"]["dose"]
