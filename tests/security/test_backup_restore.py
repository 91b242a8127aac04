"""Backup and restore: a backup restored into a fresh instance holds every row of every table.

`flask trainer backup PATH` on a site with learners, questions, attempts, CE records and
cohorts, then `flask trainer restore PATH` into a fresh instance (an empty database that
has never been migrated), then every table compared row by row. On SQLite always; on
PostgreSQL when TEST_DATABASE_URL is set and pg_dump is installed.
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from tests.conftest import IsolatedCliRunner, base_config, migrate_database
from trainer import create_app
from trainer.extensions import db
from trainer.services import backup as backups


def _app(url: str):
    app = create_app(base_config(url))
    app.test_cli_runner_class = IsolatedCliRunner
    return app


def _fill(url: str) -> None:
    """A small site: people, questions, a quiz and attempts, CE records, a cohort."""
    from tests.factories import ce as ce_make
    from tests.factories.quizzes import make_questions, quiz_of
    from tests.factories.teaching import enrol, make_cohort
    from trainer.models import utcnow
    from trainer.services import accounts
    from trainer.services.quizzes import start_attempt, submit_attempt

    app = _app(url)
    with app.app_context():
        learner = accounts.create_user("kept@example.org", "Kept Learner", "correct horse battery")
        teacher = accounts.create_user("teacher@example.org", "Tia Teacher", "correct horse battery",
                                       role="instructor")
        db.session.commit()
        quiz = quiz_of(list(make_questions("kept").values()), "kept-quiz")
        attempt = start_attempt(learner, quiz)
        submit_attempt(attempt)
        start_attempt(learner, quiz)
        db.session.commit()
        today = utcnow().date()
        ce_make.credential(learner, expires=today + timedelta(days=300))
        ce_make.entry(learner, title="Kept law course", completed=today - timedelta(days=5), today=today)
        enrol(make_cohort(teacher, "Kept class"), [learner])
        db.session.commit()
        db.engine.dispose()


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, in a stable order."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    found = {}
    with engine.connect() as conn:
        for table in sorted(metadata.tables.values(), key=lambda t: t.name):
            if table.name.startswith("module_search"):
                continue  # SQLite's FTS5 shadow tables: rebuilt from modules, compared through them
            rows = conn.execute(select(table)).all()
            found[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    engine.dispose()
    return found


def _databases(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return [("sqlite", f"sqlite:///{tmp_path / 'site.db'}", f"sqlite:///{tmp_path / 'fresh' / 'site.db'}")]
    return [("postgresql", *(make_url(base).set(database=f"backup_{name}_{os.getpid()}")
                             .render_as_string(hide_password=False) for name in ("site", "fresh")))]


@pytest.fixture
def site_and_fresh(tmp_path):
    """The site's database (migrated and filled) and a fresh one (nothing in it at all)."""
    kind, site, fresh = _databases(tmp_path)[0]
    if kind == "postgresql":
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("pg_dump and pg_restore are not installed (the commands are printed instead)")
        admin = create_engine(make_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for url in (site, fresh):
                name = make_url(url).database
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    else:
        (tmp_path / "fresh").mkdir()  # a fresh instance: its folder, no database file yet
    migrate_database(site)
    _fill(site)
    yield site, fresh
    if kind == "postgresql":
        with admin.connect() as conn:
            for url in (site, fresh):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.slow
def test_a_backup_restored_into_a_fresh_instance_has_every_row(site_and_fresh, tmp_path):
    site, fresh = site_and_fresh
    path = tmp_path / "site.backup"
    result = _app(site).test_cli_runner().invoke(args=["trainer", "backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.is_file()

    result = _app(fresh).test_cli_runner().invoke(args=["trainer", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output

    before, after = _rows(site), _rows(fresh)
    assert set(before) == set(after)
    for table in before:
        assert after[table] == before[table], f"{table} differs after the restore"
    assert before["users"] and before["attempts"] and before["ce_credits"] and before["cohorts"]


def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    path = tmp_path / "taken.backup"
    path.write_bytes(b"an earlier backup")
    result = runner.invoke(args=["trainer", "backup", str(path)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert path.read_bytes() == b"an earlier backup"


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_site(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    with pytest.raises(backups.BackupError, match="not an SQLite database"):
        backups.restore(f"sqlite:///{tmp_path / 'target.db'}", path)
    other = tmp_path / "other.db"
    import sqlite3

    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(backups.BackupError, match="not a backup of this site"):
        backups.restore(f"sqlite:///{tmp_path / 'target.db'}", other)


def test_restore_asks_before_it_replaces_the_database(app, runner, tmp_path):
    path = tmp_path / "site.backup"
    path.write_bytes(b"x")
    result = runner.invoke(args=["trainer", "restore", str(path)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_without_pg_dump_the_postgresql_commands_are_printed(monkeypatch, tmp_path):
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    url = "postgresql+psycopg://trainer:secret@db.example.org:5432/rxtrainer"
    outcome = backups.backup(url, tmp_path / "site.dump")
    assert not outcome.ran
    assert "pg_dump --format=custom --no-owner --file" in outcome.message
    assert "postgresql://trainer:***@db.example.org:5432/rxtrainer" in outcome.message
    assert "secret" not in outcome.message
    restore = backups.restore(url, _a_file(tmp_path))
    assert "pg_restore --clean --if-exists --no-owner --single-transaction" in restore.message


def _a_file(tmp_path):
    path = tmp_path / "site.dump"
    path.write_bytes(b"PGDMP")
    return path
