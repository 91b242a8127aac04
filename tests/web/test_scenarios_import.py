"""Scenario files through `flask trainer import`: idempotent, all or nothing, --check writes
nothing, and a broken file is reported by file, line, scenario id and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories.scenarios import SCENARIO_YAML, save_drugs
from trainer.content import ImportFailed
from trainer.extensions import db
from trainer.models import Question, Scenario
from trainer.services.content_import import import_content

ROOT = Path(__file__).resolve().parents[2]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def write_scenarios(root: Path, text: str = SCENARIO_YAML) -> Path:
    """A content folder holding only the exam outlines and one scenario file."""
    bank = root / "question_bank"
    (bank / "scenarios").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "question_bank" / "blueprints.yaml", bank / "blueprints.yaml")
    (bank / "scenarios" / "simvastatin.yaml").write_text(text)
    return root


@pytest.fixture
def content(app, tmp_path):
    save_drugs()  # the drug reference the site serves (no data folder in this content)
    db.session.commit()
    return write_scenarios(tmp_path / "content")


def test_import_loads_the_scenarios(app, content):
    report = import_content(content)
    assert report.counts["scenarios"] == {"created": 4}
    kinds = dict(db.session.execute(select(Scenario.slug, Scenario.kind)).all())
    assert kinds == {"test-simvastatin-written": "dispense", "test-simvastatin-claim": "dispense",
                     "test-check-strength": "validation", "test-simvastatin-expired": "dispense"}
    stored = db.session.scalar(select(Scenario).where(Scenario.slug == "test-simvastatin-written"))
    assert stored.blueprint == ["ptce-2020:4.4"] and stored.source == "question_bank/scenarios/simvastatin.yaml"
    assert stored.spec["prescription"]["written"] == "2026-02-27"  # JSON keeps dates as text


def test_importing_twice_changes_nothing(app, content):
    import_content(content)
    hashes = dict(db.session.execute(select(Scenario.slug, Scenario.version_hash)).all())
    again = import_content(content)
    assert again.counts["scenarios"] == {"unchanged": 4}
    assert dict(db.session.execute(select(Scenario.slug, Scenario.version_hash)).all()) == hashes


def test_a_changed_scenario_is_updated(app, content):
    import_content(content)
    write_scenarios(content, SCENARIO_YAML.replace("Simvastatin on a written pad", "Simvastatin, written"))
    report = import_content(content)
    assert report.counts["scenarios"] == {"updated": 1, "unchanged": 3}


def test_check_only_writes_nothing(app, content):
    report = import_content(content, check_only=True)
    assert report.counts["scenarios"] == {"valid": 4}
    assert count(Scenario) == 0


def test_the_check_flag_of_the_command_writes_nothing(runner, content):
    result = runner.invoke(args=["trainer", "import", str(content), "--check"])
    assert result.exit_code == 0, result.output
    assert "scenarios: 4 valid" in result.output
    assert count(Scenario) == 0


def test_a_broken_scenario_names_file_line_id_and_field_and_nothing_is_written(app, content):
    broken = SCENARIO_YAML.replace("      days_supply: 30\n      refills: 3\n      daw: 0\n      ndc: 99998-364-00\n",
                                   "      days_supply: 45\n      refills: 3\n      daw: 0\n      ndc: 99998-364-00\n", 1)
    write_scenarios(content, broken)
    (content / "question_bank" / "extra.yaml").write_text(
        "questions:\n  - id: extra-001\n    type: true_false\n    stem: A statin lowers cholesterol.\n"
        "    answer: true\n    explanation: It does.\n    tags: [statins]\n    difficulty: easy\n"
        "    blueprint: [ptce-2020:1.1]\n    references: [label]\n")
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    problem = next(p for p in failed.value.problems if p.item == "test-simvastatin-written")
    assert problem.file == "simvastatin.yaml" and problem.field == "expected.days_supply"
    line = SCENARIO_YAML.splitlines().index("      days_supply: 30") + 1
    assert problem.line == line
    assert count(Scenario) == 0 and count(Question) == 0  # all or nothing


def test_the_command_lists_a_broken_file_and_says_nothing_changed(runner, content):
    write_scenarios(content, SCENARIO_YAML.replace("presentation: written", "presentation: faxed", 1))
    result = runner.invoke(args=["trainer", "import", str(content)])
    assert result.exit_code != 0
    assert "simvastatin.yaml:" in result.output and "[test-simvastatin-written]" in result.output
    assert "prescription.presentation" in result.output and "nothing was changed" in result.output


def test_yaml_aliases_are_refused(app, content):
    write_scenarios(content, SCENARIO_YAML.replace("    tags: [written]", "    tags: &t [written]", 1))
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    assert any(p.file == "simvastatin.yaml" for p in failed.value.problems)


def test_the_shipped_scenarios_import_cleanly_and_idempotently(app):
    first = import_content(ROOT)
    assert first.counts["scenarios"]["created"] >= 55
    kinds = dict(db.session.execute(select(Scenario.kind, func.count()).group_by(Scenario.kind)).all())
    assert kinds["dispense"] >= 40 and kinds["validation"] >= 15
    second = import_content(ROOT)
    assert set(second.counts["scenarios"]) == {"unchanged"}


def test_every_shipped_scenario_reads_back_from_storage_as_it_was_loaded(app):
    """The database keeps a scenario as JSON (dates as text); reading it back gives the same record."""
    from dataclasses import replace

    from trainer.rx.formulary import load_drug_dir
    from trainer.rx.scenarios import load_dir
    from trainer.services import scenario_core
    from trainer.services.drugs import save_reference
    from trainer.services.scenarios import read_scenarios

    save_reference(load_drug_dir(ROOT / "question_bank" / "data"))
    loaded = {item.id: replace(item, source="") for item in load_dir(ROOT / "question_bank" / "scenarios")}
    stored = {spec["id"]: replace(scenario_core.read(spec, source), source="") for spec, source in read_scenarios(ROOT)}
    assert stored == loaded


def test_export_writes_scenario_files_that_import_back_unchanged(app, content, tmp_path):
    from trainer.services.content_import import export_content

    import_content(content)
    out = tmp_path / "exported"
    assert export_content(out, outlines_from=content)["scenarios"] == 4
    assert (out / "question_bank" / "scenarios" / "simvastatin.yaml").is_file()
    again = import_content(out)
    assert again.counts["scenarios"] == {"unchanged": 4}
