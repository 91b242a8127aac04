"""Exam outlines as forms: weights, items and time read from blueprints.yaml, and their problems."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from trainer.content.source import ProblemList, load_yaml
from trainer.questions.bank import load_bank_dir
from trainer.questions.blueprints import exam_outlines, read_blueprints

ROOT = Path(__file__).resolve().parents[3]

FORM = """\
outlines:
  - code: ptce-2020
    exam: PTCE
    title: PTCE 2020
    official: true
    items: 90
    scored_items: 80
    time_limit_minutes: 110
    score_scale: {min: 1000, max: 1600, pass: 1400}
    effective_from: 2020-01-01
    effective_until: 2025-12-31
    sources: [https://www.ptcb.org/guidebook/ptce-content-outline]
    domains:
      - {code: "1", title: Medications, weight: 60, areas: {"1.1": Names}}
      - {code: "2", title: Federal Requirements, weight: 40, areas: {"2.1": Waste}}
  - code: excpt
    exam: ExCPT
    title: ExCPT
    items: 120
    scored_items: 100
    time_limit_minutes: 130
    domains:
      - {code: "1", title: Laws, weight: 50, areas: {}, maps_from: ["ptce-2020:2"]}
      - {code: "2", title: Drugs, weight: 50, areas: {}, maps_from: ["ptce-2020:1.1"]}
"""


def read(text: str):
    problems = ProblemList("blueprints.yaml")
    blueprints = read_blueprints(load_yaml(text, "blueprints.yaml"), problems)
    return blueprints, [(p.field, p.message) for p in problems.problems]


def test_a_form_outline_is_read_with_its_weights_items_and_time():
    blueprints, problems = read(FORM)
    assert problems == []
    ptce = exam_outlines(blueprints)["ptce-2020"]
    assert (ptce.items, ptce.scored_items, ptce.unscored_items, ptce.time_limit_minutes) == (90, 80, 10, 110)
    assert [(d.code, d.weight) for d in ptce.domains] == [("1", Decimal(60)), ("2", Decimal(40))]
    assert ptce.domain("1").areas == {"1.1": "Names"}
    assert ptce.score_scale == (1000, 1600, 1400)
    assert ptce.official and ptce.sources == ("https://www.ptcb.org/guidebook/ptce-content-outline",)


def test_an_outline_applies_between_its_dates():
    ptce = exam_outlines(read(FORM)[0])["ptce-2020"]
    assert ptce.in_force(date(2023, 5, 1))
    assert not ptce.in_force(date(2026, 1, 1))


def test_a_crosswalk_names_the_codes_a_domain_counts():
    excpt = exam_outlines(read(FORM)[0])["excpt"]
    assert excpt.domain("1").maps_from == ("ptce-2020:2",)
    assert not excpt.official


def test_weights_of_a_form_must_add_up_to_100():
    _, problems = read(FORM.replace("weight: 60", "weight: 55"))
    assert ("domains", "the domain weights add up to 95, not 100") in problems


def test_a_form_needs_a_weight_on_every_domain():
    _, problems = read(FORM.replace(", weight: 60", ""))
    assert ("domains", "an exam form needs a weight on every domain") in problems


@pytest.mark.parametrize(("change", "field"), [
    (("scored_items: 80", "scored_items: 95"), "scored_items"),
    (("time_limit_minutes: 110", "time_limit_minutes: soon"), "time_limit_minutes"),
    (("pass: 1400", "pass: 1700"), "score_scale"),
    (("weight: 60", "weight: -60"), "domains[0].weight"),
    (('maps_from: ["ptce-2020:2"]', 'maps_from: ["ptce-2020:9"]'), "domains[0].maps_from"),
    (('maps_from: ["ptce-2020:1.1"]', 'maps_from: ["ptce-2020:2.1"]'), "domains[1].maps_from"),
])
def test_a_wrong_form_field_is_reported(change, field):
    _, problems = read(FORM.replace(*change))
    assert field in {f for f, _ in problems}


def test_an_outline_without_form_fields_only_names_areas():
    blueprints, problems = read(FORM.replace("    scored_items: 80\n", "", 1))
    assert problems == []
    assert "ptce-2020" not in exam_outlines(blueprints)
    assert "ptce-2020:1.1" in blueprints.codes


def test_the_shipped_2026_weights_are_marked_unofficial():
    outlines = exam_outlines(load_bank_dir(ROOT / "question_bank").blueprints)
    assert outlines["ptce-2020"].official
    assert not outlines["ptce-2026"].official
    assert not outlines["excpt"].official
    assert all(o.sources for o in outlines.values())


def test_the_shipped_forms_are_timed_as_the_exams_are():
    outlines = exam_outlines(load_bank_dir(ROOT / "question_bank").blueprints)
    assert (outlines["ptce-2020"].items, outlines["ptce-2020"].time_limit_minutes) == (90, 110)
    assert (outlines["ptce-2026"].items, outlines["ptce-2026"].time_limit_minutes) == (90, 110)
    assert (outlines["excpt"].items, outlines["excpt"].scored_items) == (120, 100)
    assert outlines["excpt"].time_limit_minutes == 130
