"""Scenario files: read with line numbers, refused with a message naming file, line, scenario id
and field, and validated through the rules core."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer.rx.scenarios import Scenario, ScenarioError, from_dict, load_dir, load_file, load_text

from .conftest import CLEAN, SCENARIOS, line_of


def problems_of(text: str, drugs, file: str = "broken.yaml"):
    with pytest.raises(ScenarioError) as caught:
        load_text(text, file, drugs)
    return caught.value.problems


def broken(old: str, new: str) -> str:
    assert old in CLEAN
    return CLEAN.replace(old, new, 1)


def test_the_clean_scenario_loads_into_records(drugs):
    [scenario] = load_text(CLEAN, "clean.yaml", drugs)
    assert isinstance(scenario, Scenario)
    assert scenario.patient.name == "Maria Lopez"
    assert scenario.insurance.bin == "610014"
    assert scenario.plan.member("ZX1", "01").birth_date == scenario.patient.birth_date
    assert scenario.prescription.origin == "electronic"
    assert scenario.shelf[0].product.generic == "lisinopril"
    assert scenario.source == "clean.yaml:2"


def test_a_file_on_disk_is_named_in_messages(tmp_path: Path, drugs):
    path = tmp_path / "mine.yaml"
    path.write_text(broken("days_supply: 30", "days_supply: 15"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_file(path, drugs)
    [problem] = caught.value.problems
    assert problem.file == "mine.yaml"
    assert str(problem).startswith(f"mine.yaml:{line_of(CLEAN, 'days_supply: 30')} [lisinopril-clean] expected.days_supply:")


def test_yaml_aliases_and_anchors_are_refused_with_their_lines(drugs):
    text = broken("      address: {street: 42 Oak", "      address: &home {street: 42 Oak")
    text = text.replace(
        "      address: {street: 10 Clinic Road, city: Springfield, state: IL, zip: '62702'}",
        "      address: *home",
    )
    found = problems_of(text, drugs)
    assert [(p.line, "anchor" in p.message or "alias" in p.message) for p in found] == [
        (line_of(text, "&home"), True),
        (line_of(text, "*home"), True),
    ]


def test_a_yaml_syntax_error_names_its_line(drugs):
    text = broken("    title: Lisinopril, nothing wrong", "    title: [unclosed")
    [problem] = problems_of(text, drugs)
    assert problem.file == "broken.yaml" and problem.line is not None and "not valid YAML" in problem.message


def test_an_unknown_field_is_named_with_its_line(drugs):
    text = broken("      refills: 5\n", "      refills: 5\n      colour: blue\n")
    [problem] = problems_of(text, drugs)
    assert (problem.line, problem.item, problem.field) == (line_of(text, "colour"), "lisinopril-clean", "prescription.colour")


def test_a_missing_required_field_names_the_mapping(drugs):
    text = broken("      sig: 1 tab po daily\n", "")
    found = problems_of(text, drugs)
    assert any(p.field == "prescription.sig" and "required" in p.message for p in found)


def test_an_ndc_that_is_not_training_data_is_refused(drugs):
    text = broken("      - {ndc: 99998-883-39}", "      - {ndc: 00071-0156-23}")
    found = problems_of(text, drugs)
    assert [(p.line, p.field) for p in found if "not a product" in p.message] == [
        (line_of(text, "00071-0156-23"), "shelf[0].ndc")
    ]


def test_a_bad_date_is_named(drugs):
    text = broken("      written: 2026-03-01", "      written: first of March")
    found = problems_of(text, drugs)
    assert [(p.line, p.field) for p in found] == [(line_of(text, "first of March"), "prescription.written")]


def test_a_dea_number_that_fails_without_a_planted_problem_is_an_error(drugs):
    text = broken("dea: AP9458072", "dea: AP9458075")
    found = problems_of(text, drugs)
    [problem] = [p for p in found if p.field == "prescriber.dea"]
    assert problem.line == line_of(text, "dea: AP9458075")
    assert "dea_check_digit" in problem.message and "check digit should be 2" in problem.message


def test_a_planted_problem_the_core_does_not_find_is_an_error(drugs):
    text = broken(
        "    expected:\n",
        "    problems:\n      - {kind: dea_check_digit, note: planted but not there}\n    expected:\n",
    )
    text = text.replace("review: fill", "review: contact_prescriber")
    found = problems_of(text, drugs)
    assert any(
        p.field == "problems[0].kind" and p.line == line_of(text, "kind: dea_check_digit") and "does not find" in p.message
        for p in found
    )


def test_a_planted_problem_needs_a_resolution_for_the_fill_to_go_on(drugs):
    text = broken("dea: AP9458072", "dea: AP9458075").replace(
        "    expected:\n",
        "    problems:\n      - {kind: dea_check_digit, note: n}\n    expected:\n",
    ).replace("review: fill", "review: contact_prescriber")
    found = problems_of(text, drugs)
    assert [p.field for p in found] == ["expected.fillable"]
    fixed = text.replace("{kind: dea_check_digit, note: n}", "{kind: dea_check_digit, note: n, resolution: {prescriber.dea: AP9458072}}")
    [scenario] = load_text(fixed, "fixed.yaml", drugs)
    assert scenario.expected.review == "contact_prescriber"


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("days_supply: 30", "days_supply: 15", "expected.days_supply", "30 days"),
        ("directions: Take 1 tablet by mouth daily.", "directions: Take 1 tablet daily.", "expected.directions", "Take 1 tablet by mouth daily."),
        ("ndc: 99998-883-39\n      claim", "ndc: 0999-8753-31\n      claim", "expected.ndc", "99998-883-39"),
        ("refills: 5\n      ndc", "refills: 3\n      ndc", "expected.refills", "5"),
        ("claim: {rejects: [], dur: []}", "claim: {rejects: ['75'], dur: [], actions: {'75': request_prior_auth}}", "expected.claim.rejects", "paid"),
        ("review: fill", "review: contact_prescriber", "expected.review", "'fill'"),
    ],
)
def test_a_key_that_disagrees_with_the_core_is_refused_naming_the_field(drugs, old, new, field, says):
    text = broken(old, new)
    found = problems_of(text, drugs)
    assert [p.field for p in found] == [field]
    assert found[0].line == line_of(text, new.split("\n")[0].strip())
    assert says in found[0].message and found[0].item == "lisinopril-clean"


def test_the_payer_and_dur_keys_are_checked(drugs):
    text = broken("formulary: [{generic: lisinopril, tier: 1}]", "formulary: [{generic: lisinopril, tier: 1, prior_auth: true}]")
    found = problems_of(text, drugs)
    assert any(p.field == "prior_auth" and "prior_auth" in p.message for p in found)
    assert any(p.field == "expected.claim.rejects" and "75" in p.message for p in found)


def test_ids_must_be_unique_in_a_file_and_across_a_folder(tmp_path: Path, drugs):
    twice = CLEAN + CLEAN.split("scenarios:\n", 1)[1]
    found = problems_of(twice, drugs)
    assert [(p.field, p.line) for p in found] == [("id", len(CLEAN.splitlines()) + 1)]
    (tmp_path / "a.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(CLEAN, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_dir(tmp_path, drugs)
    assert [(p.file, p.item) for p in caught.value.problems] == [("b.yaml", "lisinopril-clean")]


def test_a_file_that_is_not_a_scenario_list_is_refused(drugs):
    [problem] = problems_of("- just a list\n", drugs)
    assert problem.line == 1 and "scenarios:" in problem.message


def test_from_dict_validates_a_form_through_the_core(drugs):
    import yaml

    data = yaml.safe_load(CLEAN)["scenarios"][0]
    scenario = from_dict(data, drugs)
    assert scenario.id == "lisinopril-clean"
    data["expected"]["days_supply"] = 31
    with pytest.raises(ScenarioError) as caught:
        from_dict(data, drugs)
    assert [p.field for p in caught.value.problems] == ["expected.days_supply"]


def test_the_readme_examples_load_and_validate(drugs):
    text = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(blocks) == 2
    loaded = [item for block in blocks for item in load_text(block, "README.md", drugs)]
    assert [i.kind for i in loaded] == ["dispensing", "validation"]


@pytest.mark.parametrize(
    ("trap", "says"),
    [
        ("{ndc: 0999-0968-48, trap: lasa}", "no look-alike/sound-alike pair"),  # atorvastatin is no look-alike
        ("{ndc: 99998-319-14, trap: wrong_strength}", "not lisinopril tablet in another strength"),  # buspirone
        ("{ndc: 99998-883-39, trap: wrong_form}", "the prescribed one"),
    ],
)
def test_a_shelf_trap_must_be_what_it_says(drugs, trap, says):
    text = broken("      - {ndc: 99998-883-39}\n", "      - {ndc: 99998-883-39}\n      - " + trap + "\n")
    found = problems_of(text, drugs)
    assert [p.field for p in found] == ["shelf[1].trap"] and says in found[0].message
    assert found[0].line == line_of(text, trap)


def test_parse_reads_stored_data_without_validating_it(drugs):
    import yaml

    from trainer.rx.scenarios import loader

    data = yaml.safe_load(CLEAN.replace("days_supply: 30", "days_supply: 31"))["scenarios"][0]
    assert loader.parse(data, drugs).expected.days_supply == 31
    with pytest.raises(ScenarioError):
        loader.parse({"id": "x"}, drugs)


def test_an_area_not_in_the_blueprints_is_refused(drugs):
    text = broken("    areas: ['ptce-2020:4.2']", "    areas: ['ptce-2020:4.2', 'ptce-2020:9.9']")
    [problem] = problems_of(text, drugs)
    assert (problem.line, problem.field) == (line_of(text, "9.9"), "areas[1]")
    assert "blueprints.yaml" in problem.message


def test_every_kind_counts_toward_a_known_blueprint_area():
    from trainer.rx.scenarios import ERROR_KINDS, VALIDATION_KINDS
    from trainer.rx.scenarios.loader import default_areas

    assert {k.area for k in (*ERROR_KINDS.values(), *VALIDATION_KINDS.values())} <= default_areas()


def test_copay_tiers_read_the_same_from_a_file_and_from_stored_json(drugs):
    import json

    import yaml

    data = yaml.safe_load(CLEAN)["scenarios"][0]
    data.setdefault("plan", {})["copays"] = {2: 12}
    stored = json.loads(json.dumps(data, default=str))  # dates as text, as the stored copy keeps them
    assert stored["plan"]["copays"] == {"2": 12}
    assert from_dict(stored, drugs).plan.copays[2] == from_dict(data, drugs).plan.copays[2] == 12
