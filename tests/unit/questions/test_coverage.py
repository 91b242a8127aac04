"""The coverage report: modules and questions per knowledge area, domain shares beside the
blueprint weights, and questions tagged to an outline on a topic it dropped."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainer.content.source import ProblemList
from trainer.questions.blueprints import read_blueprints
from trainer.questions.coverage import (
    ModuleTeaching,
    coverage_report,
    is_drill,
    retired_topic_problems,
)

OUTLINES = {
    "outlines": [
        {
            "code": "ptce-2020",
            "exam": "PTCE",
            "domains": [
                {"code": "1", "title": "Medications", "weight": 60, "areas": {"1.1": "Names", "1.8": "NTI"}},
                {"code": "2", "title": "Federal", "weight": 40, "areas": {"2.1": "Waste"}},
            ],
        },
        {
            "code": "ptce-2026",
            "exam": "PTCE",
            "domains": [
                {"code": "1", "title": "Medications", "weight": 50, "areas": {}},
                {"code": "2", "title": "Federal", "weight": 50, "areas": {}},
            ],
        },
        {
            "code": "excpt",
            "exam": "ExCPT",
            "domains": [
                {"code": "1", "title": "Laws", "weight": 30, "areas": {}, "maps_from": ["ptce-2020:2"]},
                {"code": "2", "title": "Drugs", "weight": 70, "areas": {}, "maps_from": ["ptce-2020:1.1"]},
            ],
        },
    ]
}


@pytest.fixture
def blueprints():
    return read_blueprints(OUTLINES, ProblemList("blueprints.yaml"))


def question(*codes, status="published", tags=()):
    return {"blueprint": list(codes), "status": status, "tags": list(tags)}


def bank(spec):
    """{id: (file, question)} → (questions, files)."""
    return {qid: q for qid, (_, q) in spec.items()}, {qid: f for qid, (f, _) in spec.items()}


def area(report, code):
    (found,) = [a for a in report.areas if a.code == code]
    return found


def share(report, code):
    (found,) = [s for s in report.shares if s.code == code]
    return found


def test_a_file_named_calc_something_holds_drills():
    assert is_drill("calc-iv.yaml")
    assert is_drill("question_bank/calc-dosing.yaml")
    assert not is_drill("course-calc-fundamentals.yaml")
    assert not is_drill(None)


def test_an_area_counts_the_published_questions_tagged_with_it(blueprints):
    questions, files = bank(
        {
            "a": ("meds.yaml", question("ptce-2020:1.1")),
            "b": ("calc-x.yaml", question("ptce-2020:1.1")),
            "c": ("meds.yaml", question("ptce-2020:1.1", status="draft")),
        }
    )
    report = coverage_report(blueprints, questions, files, [])
    assert area(report, "ptce-2020:1.1").questions == 2


def test_a_module_teaches_the_areas_its_knowledge_checks_are_tagged_with(blueprints):
    questions, files = bank({"kc": ("course.yaml", question("ptce-2020:1.1", "ptce-2026:1"))})
    module = ModuleTeaching("top-medications", "names", ("kc",))
    report = coverage_report(blueprints, questions, files, [module])
    assert area(report, "ptce-2020:1.1").modules == ("top-medications/names",)
    assert area(report, "ptce-2026:1").modules == ("top-medications/names",)
    assert area(report, "ptce-2020:2.1").modules == ()


def test_an_outline_without_areas_is_reported_by_domain(blueprints):
    report = coverage_report(blueprints, {}, {}, [])
    assert [a.code for a in report.areas if a.outline == "ptce-2026"] == ["ptce-2026:1", "ptce-2026:2"]


def test_an_area_without_a_module_or_with_fewer_than_ten_questions_is_a_problem(blueprints):
    questions, files = bank({f"q{n}": ("m.yaml", question("ptce-2020:1.1")) for n in range(10)})
    module = ModuleTeaching("c", "m", ("q0",))
    report = coverage_report(blueprints, questions, files, [module])
    about_1_1 = [p for p in report.problems if p.startswith("ptce-2020:1.1 ")]
    about_2_1 = [p for p in report.problems if p.startswith("ptce-2020:2.1 ")]
    assert about_1_1 == []
    assert any("no module" in p for p in about_2_1)
    assert any("0 question(s), fewer than 10" in p for p in about_2_1)


def test_shares_leave_out_the_calculation_drills(blueprints):
    questions, files = bank(
        {
            "m1": ("meds.yaml", question("ptce-2020:1.1")),
            "m2": ("meds.yaml", question("ptce-2020:1.1")),
            "f1": ("law.yaml", question("ptce-2020:2.1")),
            "d1": ("calc-iv.yaml", question("ptce-2020:2.1")),
        }
    )
    report = coverage_report(blueprints, questions, files, [])
    assert report.drill_questions == 1
    assert share(report, "ptce-2020:1").questions == 2
    assert share(report, "ptce-2020:2").questions == 1
    assert share(report, "ptce-2020:1").share == Decimal(200) / 3


def test_a_question_in_two_domains_counts_half_to_each(blueprints):
    questions, files = bank({"q": ("x.yaml", question("ptce-2020:1.1", "ptce-2020:2.1", "ptce-2020:1.8"))})
    report = coverage_report(blueprints, questions, files, [])
    assert share(report, "ptce-2020:1").questions == Decimal("0.5")
    assert share(report, "ptce-2020:2").share == 50


def test_a_2020_domain_more_than_five_points_off_its_weight_is_a_problem(blueprints):
    # 7 of 10 in Medications is 70% against 60%: ten points off; Federal 30% against 40%
    spec = {f"m{n}": ("x.yaml", question("ptce-2020:1.1")) for n in range(7)}
    spec |= {f"f{n}": ("x.yaml", question("ptce-2020:2.1")) for n in range(3)}
    report = coverage_report(blueprints, *bank(spec), [])
    off = [p for p in report.problems if "points off" in p]
    assert len(off) == 2
    assert off[0].startswith("ptce-2020:1 (Medications): 70.0% of the bank against a weight of 60%")


def test_a_share_within_five_points_is_not_a_problem(blueprints):
    spec = {f"m{n}": ("x.yaml", question("ptce-2020:1.1")) for n in range(13)}
    spec |= {f"f{n}": ("x.yaml", question("ptce-2020:2.1")) for n in range(7)}
    report = coverage_report(blueprints, *bank(spec), [])  # 65% and 35%
    assert not [p for p in report.problems if "points off" in p]


def test_the_unofficial_2026_shares_are_reported_but_not_held_to_the_weights(blueprints):
    spec = {f"m{n}": ("x.yaml", question("ptce-2026:1")) for n in range(9)}
    spec |= {"f": ("x.yaml", question("ptce-2026:2"))}
    report = coverage_report(blueprints, *bank(spec), [])
    assert share(report, "ptce-2026:1").share == 90
    assert not [p for p in report.problems if p.startswith("ptce-2026:1 (Medications)") and "points" in p]


@pytest.mark.parametrize("tag", ["alligation", "non-sterile-compounding"])
def test_a_question_on_a_topic_the_2026_outline_dropped_cannot_carry_a_2026_code(tag):
    questions = {"q": question("ptce-2020:4.2", "ptce-2026:4", tags=[tag])}
    [(qid, message)] = retired_topic_problems(questions)
    assert qid == "q"
    assert tag in message


def test_a_question_only_on_areas_the_2026_outline_dropped_cannot_carry_a_2026_code():
    questions = {"q": question("ptce-2020:1.8", "ptce-2026:1", tags=["nti"])}
    [(qid, message)] = retired_topic_problems(questions)
    assert "ptce-2020:1.8" in message


def test_a_dropped_area_beside_a_kept_one_may_carry_a_2026_code():
    # digoxin toxicity is an NTI fact and an adverse-effect fact; the second stays in 2026
    questions = {"q": question("ptce-2020:1.8", "ptce-2020:1.5", "ptce-2026:1", tags=["nti"])}
    assert retired_topic_problems(questions) == []


def test_a_question_on_a_dropped_topic_without_a_2026_code_is_consistent():
    questions = {"q": question("ptce-2020:4.2", tags=["alligation"])}
    assert retired_topic_problems(questions) == []


def test_an_outline_that_names_no_exam_is_listed_but_not_held_to_the_standard():
    data = {
        "outlines": [
            {
                "code": "credentialing",
                "exam": "none",
                "domains": [{"code": "1", "title": "Recertification", "weight": 100, "areas": {"1.1": "CE"}}],
            }
        ]
    }
    blueprints = read_blueprints(data, ProblemList("blueprints.yaml"))
    report = coverage_report(blueprints, {}, {}, [])
    assert [a.code for a in report.areas] == ["credentialing:1.1"]
    assert report.problems == []


def test_a_domain_with_a_crosswalk_counts_the_questions_and_modules_it_maps_from(blueprints):
    questions, files = bank({
        "waste": ("law.yaml", question("ptce-2020:2.1")),
        "names": ("meds.yaml", question("ptce-2020:1.1")),
        "nti": ("meds.yaml", question("ptce-2020:1.8")),
    })
    module = ModuleTeaching("law", "disposal", ("waste",))
    report = coverage_report(blueprints, questions, files, [module])
    assert (area(report, "excpt:1").questions, area(report, "excpt:1").modules) == (1, ("law/disposal",))
    assert (area(report, "excpt:2").questions, area(report, "excpt:2").modules) == (1, ())
    assert share(report, "excpt:1").questions == 1 and share(report, "excpt:2").questions == 1
