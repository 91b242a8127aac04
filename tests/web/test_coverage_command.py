"""`flask trainer coverage`: the modules and questions per knowledge area, the domain
shares, and a non-zero exit when the content falls short."""

from __future__ import annotations

from pathlib import Path

import pytest

BLUEPRINTS = """\
outlines:
  - code: mini-2020
    title: A one-area outline
    domains:
      - code: "1"
        title: Medications
        weight: 100
        areas:
          "1.1": Brand and generic names
"""

QUESTION = """\
  - id: mini-{n:03d}
    type: true_false
    stem: Atorvastatin is Lipitor ({n}).
    answer: true
    explanation: Lipitor is atorvastatin.
    tags: [brand-generic]
    difficulty: easy
    blueprint: [mini-2020:1.1]
    references: ["Lipitor prescribing information, DailyMed"]
"""

COURSE = """\
title: Names
summary: Drug names.
audience: both
ce: {hours: 1, topic: "01", activity_type: knowledge, uan: null}
post_test: {quiz: null, pass_mark: 80}
prerequisites: []
references: ["Lipitor prescribing information, DailyMed"]
status: draft
"""

MODULE = """\
---
title: Brand names
objectives: [Name the brand of atorvastatin]
minutes: 10
references: ["Lipitor prescribing information, DailyMed"]
---
# Brand names

Atorvastatin is sold as Lipitor.

[[check: mini-001]]
"""


def write_content(root: Path, questions: int) -> Path:
    bank = root / "question_bank"
    bank.mkdir(parents=True)
    (bank / "blueprints.yaml").write_text(BLUEPRINTS)
    (bank / "names.yaml").write_text(
        "questions:\n" + "".join(QUESTION.format(n=n) for n in range(1, questions + 1))
    )
    course = root / "courses" / "names"
    course.mkdir(parents=True)
    (course / "course.yaml").write_text(COURSE)
    (course / "01-brand-names.md").write_text(MODULE)
    return root


@pytest.fixture
def covered(tmp_path):
    return write_content(tmp_path / "content", questions=10)


def test_it_lists_each_area_with_its_questions_and_modules(runner, covered):
    result = runner.invoke(args=["trainer", "coverage", str(covered)])
    assert "mini-2020:1.1" in result.output
    assert "10 questions  Brand and generic names" in result.output
    assert "taught in: names/brand-names" in result.output


def test_it_reports_each_domain_share_beside_its_weight(runner, covered):
    result = runner.invoke(args=["trainer", "coverage", str(covered)])
    assert "mini-2020:1" in result.output
    assert "100.0%  weight 100%" in result.output


def test_it_exits_zero_when_every_area_is_covered(runner, covered):
    result = runner.invoke(args=["trainer", "coverage", str(covered)])
    assert result.exit_code == 0, result.output


def test_it_exits_non_zero_naming_an_area_with_fewer_than_ten_questions(runner, tmp_path):
    content = write_content(tmp_path / "content", questions=3)
    result = runner.invoke(args=["trainer", "coverage", str(content)])
    assert result.exit_code != 0
    assert "mini-2020:1.1 (Brand and generic names): 3 question(s), fewer than 10" in result.output


def test_it_exits_non_zero_naming_an_area_no_module_teaches(runner, covered):
    module = covered / "courses" / "names" / "01-brand-names.md"
    module.write_text(module.read_text().replace("[[check: mini-001]]\n", ""))
    result = runner.invoke(args=["trainer", "coverage", str(covered)])
    assert result.exit_code != 0
    assert "no module teaches it" in result.output


def test_content_that_does_not_load_is_reported_without_a_traceback(runner, covered):
    (covered / "question_bank" / "names.yaml").write_text("questions: [\n")
    result = runner.invoke(args=["trainer", "coverage", str(covered)])
    assert result.exit_code != 0
    assert "names.yaml" in result.output
    assert "Traceback" not in result.output
