"""Generated scenarios: `flask trainer scenarios generate` and the "practise a random scenario" button."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from trainer.extensions import db
from trainer.models import ScenarioRun
from trainer.rx.scenarios import from_dict, generate, load_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def reference(app):
    """The whole shipped drug reference in the database (the generator's templates draw on it)."""
    from trainer.rx.formulary import load_drug_dir
    from trainer.services.drugs import reference, save_reference

    save_reference(load_drug_dir(ROOT / "question_bank" / "data"))
    db.session.commit()
    return reference()


def test_the_command_prints_a_scenario_file_that_reads_back_as_the_generated_scenario(runner, reference):
    result = runner.invoke(args=["trainer", "scenarios", "generate", "--kinds", "dea_check_digit", "--seed", "7"])
    assert result.exit_code == 0, result.output
    items = load_text(result.output, "generated.yaml", reference)  # validated through the rules core
    assert len(items) == 1
    made = generate(["dea_check_digit"], 7, reference)
    # a file gives the plan's membership date on the card; everything else is the same
    card = replace(made.insurance, effective=made.plan.members[0].effective)
    assert replace(items[0], source="") == replace(made, source="", insurance=card)


def test_the_same_seed_gives_the_same_file(runner, reference):
    args = ["trainer", "scenarios", "generate", "--kinds", "allergy", "--seed", "3"]
    assert runner.invoke(args=args).output == runner.invoke(args=args).output


def test_the_command_writes_a_file_the_import_accepts(runner, reference, tmp_path):
    out = tmp_path / "generated.yaml"
    result = runner.invoke(args=["trainer", "scenarios", "generate", "--kinds", "refill_too_soon", "--seed", "11",
                                 "--count", "2", "--output", str(out)])
    assert result.exit_code == 0 and "wrote 2 scenario(s)" in result.output
    data = yaml.safe_load(out.read_text())
    assert len(data["scenarios"]) == 2
    for item in data["scenarios"]:
        from_dict(item, reference)


def test_the_command_refuses_kinds_that_cannot_meet(runner, reference):
    result = runner.invoke(args=["trainer", "scenarios", "generate", "--kinds", "c2_refills,expired", "--seed", "1"])
    assert result.exit_code != 0 and "different schedules" in result.output
    result = runner.invoke(args=["trainer", "scenarios", "generate", "--kinds", "no_such_kind", "--seed", "1"])
    assert result.exit_code != 0 and "unknown kind" in result.output


def test_the_random_button_starts_a_run_of_a_generated_scenario(client, auth, reference):
    auth.login("learner")
    response = client.post("/scenarios/random", data={"mode": "practice", "kinds": ["error_prone_abbreviation"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    run_id = int(re.search(r"/runs/(\d+)", response.headers["Location"]).group(1))
    run = db.session.get(ScenarioRun, run_id)
    assert run.scenario_id is None and run.spec == {"generated": {"kinds": ["error_prone_abbreviation"], "seed": run.seed}}
    html = client.get(f"/scenarios/runs/{run_id}/review").get_data(as_text=True)
    assert "Review the prescription" in html and "Error-prone" not in html.split("<select")[0]
    response = client.post(f"/scenarios/runs/{run_id}/review", data={
        "action": "contact_prescriber", "marks-0-field": "sig", "marks-0-kind": "error_prone_abbreviation"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ScenarioRun, run_id).state["review"]["score"] == 1.0


def test_kinds_that_cannot_meet_are_refused_beside_the_field(client, auth, reference):
    auth.login("learner")
    response = client.post("/scenarios/random", data={"mode": "practice", "kinds": ["allergy", "interaction"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="kinds-error"' in html
    assert "cannot be planted in one prescription" in html and "“Drug the patient is allergic to”" in html
    assert 'value="allergy"' in html and "allergy," not in html  # titles, not the internal codes
