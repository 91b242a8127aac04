"""The YAML question bank: loading, every kind of problem with file, line and id, and writing back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trainer.content.source import ImportFailed
from trainer.questions.bank import dump_bank_file, dump_quiz_file, load_bank_dir, load_bank_file
from trainer.questions.quiz import matches_draw, quiz_time, validate_quiz

BLUEPRINTS = """\
outlines:
  - code: ptce-2020
    title: PTCE 2020
    domains:
      - code: "1"
        title: Medications
        weight: 40
        areas:
          "1.1": Generic and brand names
      - code: "4"
        title: Order Entry and Processing
        weight: 21.25
        areas:
          "4.2": Calculations
  - code: ptce-2026
    title: PTCE 2026
    domains:
      - {code: "4", title: Order Entry and Processing, weight: 22.5, areas: {}}
"""

# Line numbers for the tests: first question 2 (type 3, stem 4, choices 5, choice b 8,
# explanation 10, tags 11, difficulty 12, blueprint 13, references 14); second question
# 16 (answer 21, family 22, params 23, unit 27, sanity 28, tags 30, blueprint 32).
QUESTIONS = """\
questions:
  - id: drugs-brand-001
    type: single_choice
    stem: What is the generic name of Lipitor?
    choices:
      - text: atorvastatin
        correct: true
      - text: simvastatin
      - text: rosuvastatin
    explanation: Lipitor is atorvastatin calcium.
    tags: [brand-generic, statins]
    difficulty: easy
    blueprint: ["ptce-2020:1.1"]
    references: ["DailyMed: Lipitor"]

  - id: calc-dv-003
    type: calculated
    stem: |
      Give {dose} mg from {strength} mg/5 mL. How many mL?
    variables: {dose: {min: 100, max: 500, step: 50}, strength: {choices: [125, 250]}}
    answer:
      family: dose_volume
      params:
        dose: "{dose} mg"
        concentration: "{strength} mg/5 mL"
      round_to: "0.1"
    unit: mL
    sanity: {min: 1, max: 20}
    explanation: Volume = dose ÷ concentration.
    tags: [dose-volume]
    difficulty: medium
    blueprint: ["ptce-2020:4.2", "ptce-2026:4"]
    references: [shared/reference/calculations.md]
"""

MORE_QUESTIONS = """\
questions:
  - id: drugs-brand-002
    type: short_answer
    stem: What is the generic name of Zocor?
    answers: [simvastatin]
    explanation: Zocor is simvastatin.
    tags: [brand-generic, statins]
    difficulty: easy
    blueprint: ["ptce-2020:1.1"]
    references: ["DailyMed: Zocor"]
    status: published
"""

QUIZ = """\
slug: statins
title: Statins
description: Brand and generic.
pass_mark: 80
time_limit_minutes: 10
attempts_allowed: 0
shuffle_questions: true
shuffle_choices: true
feedback: immediate
show_answers: after_submit
available_from: 2026-01-01T00:00:00Z
available_until: null
items:
  - question: calc-dv-003
  - draw: 2
    tags: [statins]
    blueprint: ptce-2020:1
"""


def write_bank(root: Path, **files: str) -> Path:
    contents = {
        "blueprints.yaml": BLUEPRINTS,
        "brands.yaml": QUESTIONS,
        "more.yaml": MORE_QUESTIONS,
        "quizzes/statins.yaml": QUIZ,
    }
    contents.update(
        {name.replace("__", "/").replace("_yaml", ".yaml"): text for name, text in files.items()}
    )
    for name, text in contents.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def problems_of(root: Path):
    with pytest.raises(ImportFailed) as caught:
        load_bank_dir(root)
    return caught.value.problems


def only(problems, **expected):
    matching = [p for p in problems if all(getattr(p, k) == v for k, v in expected.items())]
    assert len(matching) == 1, (expected, [str(p) for p in problems])
    return matching[0]


def test_a_good_bank_loads(tmp_path):
    bank = load_bank_dir(write_bank(tmp_path))
    assert sorted(bank.questions) == ["calc-dv-003", "drugs-brand-001", "drugs-brand-002"]
    assert bank.question_files == {
        "drugs-brand-001": "brands.yaml",
        "calc-dv-003": "brands.yaml",
        "drugs-brand-002": "more.yaml",
    }
    assert bank.quizzes["statins"]["items"][1] == {
        "draw": 2,
        "tags": ["statins"],
        "blueprint": "ptce-2020:1",
    }
    assert bank.blueprints.titles["ptce-2020:4.2"] == "Calculations"
    assert "ptce-2026:4" in bank.blueprints.codes
    assert bank.blueprints.domain_of("ptce-2020:4.2") == "ptce-2020:4"
    question = bank.questions["calc-dv-003"]
    assert (
        type(question) is dict
        and type(question["choices" if "choices" in question else "tags"]) is list
    )
    assert question["stem"] == "Give {dose} mg from {strength} mg/5 mL. How many mL?\n"


def test_a_single_file_loads(tmp_path):
    path = write_bank(tmp_path) / "brands.yaml"
    assert [q["id"] for q in load_bank_file(path)] == ["drugs-brand-001", "calc-dv-003"]


def test_not_valid_yaml_names_the_line(tmp_path):
    root = write_bank(
        tmp_path,
        brands_yaml=QUESTIONS.replace("    difficulty: easy\n", "    difficulty: [easy\n", 1),
    )
    problem = problems_of(root)[0]
    assert problem.file == str(root / "brands.yaml")
    assert problem.line is not None and 12 <= problem.line <= 14
    assert "not valid YAML" in problem.message


def test_a_file_without_questions_is_refused(tmp_path):
    root = write_bank(tmp_path, brands_yaml="- id: x\n")
    only(problems_of(root), file=str(root / "brands.yaml"), line=1)


def test_a_wrong_field_names_file_line_id_and_field(tmp_path):
    root = write_bank(
        tmp_path, brands_yaml=QUESTIONS.replace("difficulty: easy", "difficulty: trivial")
    )
    problem = only(problems_of(root), field="difficulty")
    assert (problem.file, problem.line, problem.item) == (
        str(root / "brands.yaml"),
        12,
        "drugs-brand-001",
    )
    assert (
        str(problem)
        == f"{root / 'brands.yaml'}:12 [drugs-brand-001] difficulty: must be easy, medium, hard"
    )


def test_a_nested_field_names_its_own_line(tmp_path):
    root = write_bank(
        tmp_path,
        brands_yaml=QUESTIONS.replace(
            "      - text: simvastatin\n", "      - text: simvastatin\n        correct: maybe\n"
        ),
    )
    problem = only(problems_of(root), field="choices[1].correct")
    assert problem.line == 9 and problem.item == "drugs-brand-001"


def test_an_unknown_family_is_reported_as_in_the_readme(tmp_path):
    root = write_bank(
        tmp_path, brands_yaml=QUESTIONS.replace("family: dose_volume", "family: dose_vol")
    )
    problem = only(problems_of(root), field="answer.family")
    assert problem.line == 22 and problem.item == "calc-dv-003"
    assert str(problem).startswith(
        f"{root / 'brands.yaml'}:22 [calc-dv-003] answer.family: unknown calculation family 'dose_vol'"
    )


def test_a_template_that_draws_absurd_answers_is_refused_at_import(tmp_path):
    root = write_bank(
        tmp_path,
        brands_yaml=QUESTIONS.replace("sanity: {min: 1, max: 20}", "sanity: {min: 1, max: 10}"),
    )
    problem = only(problems_of(root), field="sanity")
    assert problem.line == 28 and "outside 1–10" in problem.message


def test_an_unknown_blueprint_code_is_reported(tmp_path):
    root = write_bank(tmp_path, brands_yaml=QUESTIONS.replace('"ptce-2026:4"]', '"ptce-2026:4.9"]'))
    problem = only(problems_of(root), field="blueprint[1]")
    assert problem.line == 32 and "not an area or domain" in problem.message


def test_a_missing_common_field_is_reported_on_the_questions_line(tmp_path):
    root = write_bank(
        tmp_path, brands_yaml=QUESTIONS.replace('    references: ["DailyMed: Lipitor"]\n', "")
    )
    problem = only(problems_of(root), field="references")
    assert problem.line == 2 and problem.item == "drugs-brand-001"


def test_an_unknown_field_is_reported(tmp_path):
    root = write_bank(
        tmp_path,
        brands_yaml=QUESTIONS.replace(
            "    tags: [dose-volume]", "    tags: [dose-volume]\n    tolerence: 1"
        ),
    )
    problem = only(problems_of(root), field="tolerence")
    assert problem.item == "calc-dv-003" and problem.line == 31


def test_an_id_used_twice_in_one_file(tmp_path):
    root = write_bank(
        tmp_path, brands_yaml=QUESTIONS.replace("id: calc-dv-003", "id: drugs-brand-001")
    )
    problem = only(problems_of(root), field="id")
    assert problem.line == 16 and "line 2" in problem.message


def test_an_id_used_in_two_files(tmp_path):
    root = write_bank(
        tmp_path, more_yaml=MORE_QUESTIONS.replace("drugs-brand-002", "drugs-brand-001")
    )
    problem = only(problems_of(root), field="id")
    assert problem.file == str(root / "more.yaml") and problem.line == 2
    assert f"{root / 'brands.yaml'}:2" in problem.message


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    root = write_bank(
        tmp_path,
        brands_yaml=QUESTIONS.replace("difficulty: easy", "difficulty: trivial").replace(
            "unit: mL", "unit: 7"
        ),
        more_yaml=MORE_QUESTIONS.replace("answers: [simvastatin]", "answers: []"),
    )
    problems = problems_of(root)
    assert {(p.item, p.field) for p in problems} >= {
        ("drugs-brand-001", "difficulty"),
        ("calc-dv-003", "unit"),
        ("drugs-brand-002", "answers"),
    }


def test_a_missing_blueprints_file_is_reported(tmp_path):
    root = write_bank(tmp_path, blueprints_yaml=None)
    (root / "blueprints.yaml").unlink(missing_ok=True)
    only(problems_of(root), file=str(root / "blueprints.yaml"))


def test_a_broken_blueprints_file_is_reported(tmp_path):
    root = write_bank(
        tmp_path, blueprints_yaml=BLUEPRINTS.replace('"1.1": Generic', '"2.1": Generic')
    )
    problem = problems_of(root)[0]
    assert problem.file == str(root / "blueprints.yaml") and problem.line == 9


# ---- quizzes ----------------------------------------------------------------------------


def test_a_quiz_naming_a_missing_question(tmp_path):
    root = write_bank(
        tmp_path,
        quizzes__statins_yaml=QUIZ.replace("question: calc-dv-003", "question: calc-dv-999"),
    )
    problem = only(problems_of(root), field="items[0].question")
    assert problem.file == str(root / "quizzes" / "statins.yaml") and problem.line == 14
    assert problem.item == "statins" and "calc-dv-999" in problem.message


def test_a_draw_the_bank_cannot_fill(tmp_path):
    root = write_bank(tmp_path, quizzes__statins_yaml=QUIZ.replace("draw: 2", "draw: 3"))
    problem = only(problems_of(root), field="items[1].draw")
    assert problem.line == 15 and "only 2 published ones match" in problem.message


def test_draws_competing_for_the_same_questions(tmp_path):
    quiz = QUIZ + "  - draw: 1\n    tags: [brand-generic]\n"
    root = write_bank(tmp_path, quizzes__statins_yaml=quiz)
    problem = only(problems_of(root), field="items")
    assert "ask for 3 different questions but only 2 match" in problem.message


def test_a_retired_question_is_not_drawn(tmp_path):
    root = write_bank(
        tmp_path, more_yaml=MORE_QUESTIONS.replace("status: published", "status: retired")
    )
    only(problems_of(root), field="items[1].draw")


def test_a_quiz_slug_must_match_its_file(tmp_path):
    root = write_bank(
        tmp_path, quizzes__statins_yaml=QUIZ.replace("slug: statins", "slug: statins-quiz")
    )
    assert only(problems_of(root), field="slug").line == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("pass_mark: 80", "pass_mark: 180"), "pass_mark"),
        (("pass_mark: 80", "pass_mark: 79.5"), "pass_mark"),
        (("time_limit_minutes: 10", "time_limit_minutes: 1.5"), "time_limit_minutes"),
        (("available_until: null", "available_until: 2025-12-31"), "available_until"),
        (("feedback: immediate", "feedback: sometimes"), "feedback"),
        (("show_answers: after_submit", "show_answers: later"), "show_answers"),
        (("time_limit_minutes: 10", "time_limit_minutes: 0"), "time_limit_minutes"),
        (("attempts_allowed: 0", "attempts_allowed: -1"), "attempts_allowed"),
        (("available_until: null", "available_until: 2025-01-01T00:00:00Z"), "available_until"),
        (("available_until: null", "available_until: soon"), "available_until"),
        (("shuffle_choices: true", "shuffle_choices: sometimes"), "shuffle_choices"),
        (("    tags: [statins]", "    tag: [statins]"), "items[1].tag"),
        (("    tags: [statins]", "    difficulty: trivial"), "items[1].difficulty"),
        (("  - draw: 2", "  - draw: 0"), "items[1].draw"),
        (("  - question: calc-dv-003", "  - {question: calc-dv-003, draw: 1}"), "items[0]"),
        (("title: Statins", "titel: Statins"), "titel"),
    ],
)
def test_quiz_field_problems(tmp_path, change, field):
    root = write_bank(tmp_path, quizzes__statins_yaml=QUIZ.replace(*change))
    only(problems_of(root), field=field)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2026-01-01T08:00:00Z", "2026-01-01T08:00:00+00:00"),
        ("2026-01-01T08:00:00", "2026-01-01T08:00:00+00:00"),
        ("2026-01-01", "2026-01-01T00:00:00+00:00"),
        ("2026-01-01T10:00:00+02:00", "2026-01-01T08:00:00+00:00"),
        ('"2026-01-01T08:00"', "2026-01-01T08:00:00+00:00"),
    ],
)
def test_quiz_times_are_read_as_utc_with_or_without_a_zone(tmp_path, written, meant):
    root = write_bank(
        tmp_path,
        quizzes__statins_yaml=QUIZ.replace("2026-01-01T00:00:00Z", "2025-06-01").replace(
            "available_until: null", f"available_until: {written}"
        ),
    )
    until = load_bank_dir(root).quizzes["statins"]["available_until"]
    assert quiz_time(until).isoformat() == meant


def test_validate_quiz_needs_only_slug_title_pass_mark_and_items():
    assert validate_quiz({"slug": "q", "title": "Q", "pass_mark": 70, "items": [{"draw": 1}]}) == []
    assert {f for f, _ in validate_quiz({})} == {"slug", "title", "pass_mark", "items"}
    assert validate_quiz(None) == [("quiz", "must be a mapping of fields")]


def test_draw_filters():
    question = {
        "tags": ["a", "b"],
        "difficulty": "easy",
        "type": "numeric",
        "blueprint": ["ptce-2020:4.2"],
    }
    assert matches_draw(question, {"draw": 1, "tags": ["b", "z"]})
    assert not matches_draw(question, {"draw": 1, "tags": ["z"]})
    assert matches_draw(question, {"draw": 1, "blueprint": "ptce-2020:4"})
    assert matches_draw(question, {"draw": 1, "blueprint": "ptce-2020:4.2"})
    assert not matches_draw(question, {"draw": 1, "blueprint": "ptce-2020:4.21"})
    assert not matches_draw(question, {"draw": 1, "blueprint": "ptce-2020:4.1"})
    assert matches_draw(question, {"draw": 1, "difficulty": ["easy", "hard"], "type": "numeric"})
    assert not matches_draw({**question, "status": "draft"}, {"draw": 1})


# ---- writing back -----------------------------------------------------------------------


def test_load_dump_load_gives_the_same_questions(tmp_path):
    root = write_bank(tmp_path)
    questions = load_bank_file(root / "brands.yaml")
    text = dump_bank_file(questions)
    copy = tmp_path / "copy.yaml"
    copy.write_text(text, encoding="utf-8")
    assert load_bank_file(copy) == questions
    assert "stem: |\n      Give {dose} mg" in text  # multi-line text stays a readable block
    assert (
        text.index("id: drugs-brand-001")
        < text.index("type: single_choice")
        < text.index("choices:")
    )


def test_dump_keeps_unexpected_fields_and_quizzes_round_trip(tmp_path):
    bank = load_bank_dir(write_bank(tmp_path))
    text = dump_quiz_file(bank.quizzes["statins"])
    (tmp_path / "quizzes" / "statins.yaml").write_text(text, encoding="utf-8")
    assert load_bank_dir(tmp_path).quizzes == bank.quizzes


def test_the_shipped_bank_round_trips_through_dump(tmp_path):
    shipped = Path(__file__).resolve().parents[3] / "question_bank"
    files = sorted(p for p in shipped.glob("*.yaml") if p.name != "blueprints.yaml")
    if not files:
        pytest.skip("no shipped question files yet")
    for path in files:
        original = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        again = yaml.safe_load(dump_bank_file(original))["questions"]
        assert again == original, path.name
