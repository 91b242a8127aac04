"""The codes an answer counts for: its own, their domains, and crosswalked domains."""

from __future__ import annotations

from decimal import Decimal

from trainer.questions.blueprints import ExamDomain, ExamOutline
from trainer.readiness.areas import counted_codes, crosswalk_domain


def outline(code, *domains):
    return ExamOutline(code=code, exam="", title="", official=False, items=10, scored_items=10,
                       time_limit_minutes=10, domains=tuple(domains))


PTCE = outline("ptce-2020", ExamDomain("1", "Medications", Decimal(50), {"1.1": "Names"}),
               ExamDomain("4", "Order entry", Decimal(50), {"4.2": "Calculations"}))
EXCPT = outline("excpt", ExamDomain("1", "Laws", Decimal(50), maps_from=("ptce-2020:2",)),
                ExamDomain("3", "Dispensing", Decimal(50), maps_from=("ptce-2020:4", "ptce-2020:1.4")))
OUTLINES = {"ptce-2020": PTCE, "excpt": EXCPT}


def test_an_area_counts_for_itself_and_its_domain():
    assert counted_codes(["ptce-2020:4.2"], {"ptce-2020": PTCE}) == ["ptce-2020:4.2", "ptce-2020:4"]


def test_a_domain_code_counts_once():
    assert counted_codes(["ptce-2026:4"], {}) == ["ptce-2026:4"]


def test_a_crosswalk_adds_the_other_outlines_domain():
    assert counted_codes(["ptce-2020:4.2", "ptce-2026:4"], OUTLINES) == [
        "ptce-2020:4.2", "ptce-2020:4", "ptce-2026:4", "excpt:3",
    ]


def test_a_crosswalk_matches_a_named_area_only_exactly():
    assert crosswalk_domain(EXCPT, ["ptce-2020:1.4"]) == "3"
    assert crosswalk_domain(EXCPT, ["ptce-2020:1.41"]) is None
    assert crosswalk_domain(EXCPT, ["ptce-2020:1.1"]) is None


def test_a_questions_own_codes_win_over_the_crosswalk():
    assert crosswalk_domain(EXCPT, ["excpt:1", "ptce-2020:4.2"]) == "1"
    assert counted_codes(["excpt:1", "ptce-2020:4.2"], OUTLINES) == [
        "excpt:1", "ptce-2020:4.2", "ptce-2020:4",
    ]
