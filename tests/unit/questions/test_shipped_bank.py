"""The shipped bank (question_bank/) has what issue 5 promises: enough questions, every
PTCE 2020 knowledge area, calculated templates over every trainer.calc family, and the
ready quizzes."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.calc import FAMILIES
from trainer.questions.bank import load_bank_dir

BANK = Path(__file__).resolve().parents[3] / "question_bank"

# The PTCE content outline in force 2020–2025 (shared/reference/exam-blueprints.md).
PTCE_2020_AREAS = (
    [f"ptce-2020:1.{n}" for n in range(1, 11)]
    + [f"ptce-2020:2.{n}" for n in range(1, 6)]
    + [f"ptce-2020:3.{n}" for n in range(1, 7)]
    + [f"ptce-2020:4.{n}" for n in range(1, 6)]
)
READY_QUIZZES = (
    "calculations-1",  # conversions and dose volume
    "calculations-2",  # IV and weight-based
    "days-supply",
    "controlled-substances",
    "medication-safety",
    "top-drugs",  # brand, generic and class
)


@pytest.fixture(scope="module")
def bank():
    return load_bank_dir(BANK)


@pytest.fixture(scope="module")
def published(bank):
    return [q for q in bank.questions.values() if q.get("status", "published") == "published"]


def test_at_least_200_published_questions(published):
    assert len(published) >= 200


def test_the_outline_file_has_every_ptce_2020_knowledge_area(bank):
    assert set(PTCE_2020_AREAS) <= bank.blueprints.codes


@pytest.mark.parametrize("area", PTCE_2020_AREAS)
def test_every_ptce_2020_knowledge_area_has_questions(published, area):
    assert any(area in q["blueprint"] for q in published), f"no published question covers {area}"


def test_at_least_60_calculated_templates(published):
    assert sum(1 for q in published if q["type"] == "calculated") >= 60


def test_the_calculated_templates_use_every_calc_family(published):
    used = {q["answer"].get("family") for q in published if q["type"] == "calculated"}
    assert set(FAMILIES) - used == set()


def test_the_ready_quizzes_are_shipped(bank):
    # load_bank_dir has checked each one: its fixed questions exist and its draws can be filled
    assert len(bank.quizzes) >= 6
    assert set(READY_QUIZZES) <= set(bank.quizzes)



def test_every_shipped_calculated_hint_fits_every_draw(bank):
    from trainer.questions.calculated import check_draws

    hint_fields = ("explanation", "feedback", "feedback_wrong")
    problems = {
        q["id"]: [p for p in check_draws(q, limit=10) if p[0].startswith(hint_fields) or "feedback" in p[0]]
        for q in bank.questions.values() if q["type"] == "calculated"
    }
    assert {uid: found for uid, found in problems.items() if found} == {}
    assert len(problems) >= 50  # the check ran over the bank's templates, not over nothing
