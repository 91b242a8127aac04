"""`flask trainer import-questions FILE --format …`: the import page's checks from the command line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import Question

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "questions" / "fixtures"
METADATA = ["--tag", "imported", "--blueprint", "ptce-2020:1.1", "--reference", "Moodle export"]


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Question))


def test_a_file_with_a_problem_imports_nothing_and_says_why(runner):
    result = runner.invoke(args=["trainer", "import-questions", str(FIXTURES / "moodle_export.xml"), *METADATA])
    assert result.exit_code == 1
    assert "read as Moodle XML; 10 valid, 1 with problems" in result.output
    assert "embedded answers (Cloze)" in result.output and "nothing was imported" in result.output
    assert _count() == 0


def test_a_problem_names_its_line_on_the_command_line(runner, tmp_path):
    from tests.unit.questions.moodle_lines import DOSAGE_3_LINE, THREE_DOSAGES

    path = tmp_path / "dosage.xml"
    path.write_text(THREE_DOSAGES)
    result = runner.invoke(args=["trainer", "import-questions", str(path), "--format", "moodle", *METADATA])
    assert result.exit_code == 1
    assert f'line {DOSAGE_3_LINE}, question 3 “Dosage 3” <question type="numerical">: ' in result.output
    assert _count() == 0


def test_skip_invalid_imports_the_valid_questions(runner):
    result = runner.invoke(args=["trainer", "import-questions", str(FIXTURES / "moodle_export.xml"), *METADATA,
                                 "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "Imported: 10 created, 0 updated, 0 unchanged." in result.output
    assert _count() == 10


def test_check_writes_nothing(runner, tmp_path):
    path = tmp_path / "week3.gift"
    path.write_text("::Q::Is it? {T####Because.}\n")
    result = runner.invoke(args=["trainer", "import-questions", str(path), *METADATA, "--check"])
    assert result.exit_code == 0 and "Checked only: nothing was written." in result.output
    assert _count() == 0


def test_the_format_can_be_given(runner, tmp_path):
    path = tmp_path / "aiken.txt"
    path.write_text("Q?\nA. yes\nB. no\nANSWER: A\n")
    result = runner.invoke(args=["trainer", "import-questions", str(path), "--format", "gift", *METADATA])
    # GIFT reads a block without braces as a description, exactly as Moodle does
    assert result.exit_code == 0 and "read as GIFT (Moodle)" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(Question.type)) == "description"


def test_a_file_over_the_limit_is_refused_before_reading(runner, tmp_path):
    path = tmp_path / "huge.gift"
    path.write_bytes(b"x" * (6 * 1024 * 1024))
    result = runner.invoke(args=["trainer", "import-questions", str(path), *METADATA])
    assert result.exit_code == 1 and "larger than 5 MB" in result.output
