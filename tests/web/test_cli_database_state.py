"""Commands on a database that was never migrated, or is behind, say so in one line."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import base_config
from trainer import create_app
from trainer.extensions import db


def _runner(url: str):
    app = create_app({**base_config(url)})
    return app, app.test_cli_runner()


@pytest.fixture
def empty_database(tmp_path):
    return f"sqlite:///{tmp_path / 'never-migrated.db'}"


@pytest.mark.parametrize("args", [
    ["trainer", "import", "--check"], ["trainer", "import"], ["trainer", "export"],
    ["trainer", "create-user", "a@example.org", "--password", "a sturdy pass phrase"],
    ["trainer", "rebuild-mastery"], ["trainer", "mock-exam-check"],
])
def test_a_command_on_a_database_never_migrated_prints_one_line(empty_database, args):
    app, runner = _runner(empty_database)
    result = runner.invoke(args=args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1
    assert lines == ["Error: the database has no tables yet: run `flask --app app trainer init` "
                     "(or `flask --app app db upgrade`) first"]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with app.app_context():
        db.engine.dispose()


def test_a_database_behind_the_code_names_both_revisions(tmp_path):
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0001_initial')"))
    engine.dispose()
    app, runner = _runner(url)
    result = runner.invoke(args=["trainer", "import", "--check"])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if line.strip()]
    assert line.startswith("Error: the database is at revision 0001_initial and this code needs ")
    assert line.endswith("run `flask --app app db upgrade` first")
    with app.app_context():
        db.engine.dispose()


def test_coverage_reads_files_and_needs_no_database(empty_database):
    app, runner = _runner(empty_database)
    result = runner.invoke(args=["trainer", "coverage"])
    assert "no tables yet" not in result.output
    with app.app_context():
        db.engine.dispose()


def test_a_migrated_database_runs_commands_as_before(runner):
    result = runner.invoke(args=["trainer", "mock-exam-check"])
    assert "no tables yet" not in result.output and "revision" not in result.output
