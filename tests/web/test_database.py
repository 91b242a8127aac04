"""The database: connection settings, write locking, and migrations that match the models."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
    table,
    text,
)
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from trainer.database import (
    commit_read_only_transactions,
    configure_sqlite,
    include_in_autogenerate,
    ping_idle_connections,
    writing,
)
from trainer.extensions import db


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    configure_sqlite(engine, busy_timeout_ms=1234)
    yield engine
    engine.dispose()


def _pragma(engine, name):
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_every_sqlite_connection_uses_wal(sqlite_engine):
    assert _pragma(sqlite_engine, "journal_mode") == "wal"


def test_every_sqlite_connection_enforces_foreign_keys(sqlite_engine):
    assert _pragma(sqlite_engine, "foreign_keys") == 1


def test_every_sqlite_connection_waits_when_busy(sqlite_engine):
    assert _pragma(sqlite_engine, "busy_timeout") == 1234


def _begins(engine, work):
    statements = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, stmt, *a: statements.append(stmt))
    work()
    return [s for s in statements if s.startswith("BEGIN")]


def test_reads_begin_a_deferred_transaction(sqlite_engine):
    def read():
        with sqlite_engine.begin() as conn:
            conn.execute(text("SELECT 1"))

    assert _begins(sqlite_engine, read) == ["BEGIN"]


def test_writes_begin_immediate_so_they_take_the_lock_first(sqlite_engine):
    def write():
        with writing(), sqlite_engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x)"))

    assert _begins(sqlite_engine, write) == ["BEGIN IMMEDIATE"]


def test_a_second_writer_waits_for_the_lock_instead_of_failing_midway(sqlite_engine, tmp_path):
    with writing(), sqlite_engine.connect() as first:
        first.begin()
        # BEGIN IMMEDIATE holds the write lock from the start, so a competing writer
        # is refused at its own BEGIN (after busy_timeout), never halfway through.
        other = sqlite3.connect(tmp_path / "pragmas.db", timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        first.rollback()


def test_an_http_post_begins_immediate(make_app, database_url, user_factory):
    if not database_url.startswith("sqlite"):
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    app = make_app()
    with app.app_context():
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda c, cur, stmt, *a: statements.append(stmt))
    app.test_client().post("/login", data={"email": "nobody@example.org", "password": "wrong password"})
    app.test_client().get("/login")
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]


def test_the_migrations_match_the_models(app):
    connection = app.extensions["test_connection"]
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": include_in_autogenerate}
    )
    assert compare_metadata(context, db.metadata) == []


def test_migrations_upgrade_an_empty_database_and_downgrade_again(make_app, tmp_path, monkeypatch):
    from flask_migrate import downgrade, upgrade

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}")
    with app.app_context():
        upgrade()
        assert "users" in _tables(db.engine)
        downgrade(revision="base")
        assert _tables(db.engine) == {"alembic_version"}
        upgrade()
        assert "module_search" in _tables(db.engine)
        downgrade(revision="base")
        upgrade()


def _tables(engine):
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        return {row[0] for row in rows}


def test_the_apps_own_sqlite_connections_carry_the_pragmas(make_app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the pragmas are SQLite's")
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=4321)
    with app.app_context():
        assert _pragma(db.engine, "journal_mode") == "wal"
        assert _pragma(db.engine, "foreign_keys") == 1
        assert _pragma(db.engine, "busy_timeout") == 4321


# --- checking pooled connections ----------------------------------------------------------

@pytest.fixture
def pooled_engine(database_url):
    """An engine on the test database (SQLite or PostgreSQL) with one pooled connection."""
    engines = []

    def make(idle_seconds):
        engine = create_engine(database_url, pool_size=1, max_overflow=0)
        ping_idle_connections(engine, idle_seconds=idle_seconds)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


def _pings(engine, monkeypatch):
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(1) or real_ping(connection))
    return pings


def _select_one(engine):
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT 1").scalar()


def test_a_connection_in_steady_use_is_handed_out_without_a_ping(pooled_engine, monkeypatch):
    engine = pooled_engine(idle_seconds=60)
    pings = _pings(engine, monkeypatch)
    for _ in range(3):
        _select_one(engine)
    assert pings == []


def test_a_connection_that_sat_idle_is_pinged_before_use(pooled_engine, monkeypatch):
    engine = pooled_engine(idle_seconds=0)
    pings = _pings(engine, monkeypatch)
    for _ in range(3):
        _select_one(engine)
    assert len(pings) == 2  # not the first checkout: that connection was just made


def test_a_connection_that_died_while_idle_is_replaced_at_checkout(pooled_engine):
    engine = pooled_engine(idle_seconds=0)
    with engine.connect() as connection:
        dropped = connection.connection.dbapi_connection
    dropped.close()  # as a restart of the database server leaves it
    assert _select_one(engine) == 1


# --- ending read-only transactions ---------------------------------------------------------

PROBE = Table("read_commit_probe", MetaData(), Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
COUNT_PROBE = select(func.count()).select_from(PROBE)


@pytest.fixture
def probe_engine(database_url):
    """One pooled connection (so a temporary table lives on), read-only transactions committed."""
    engines = []

    def make(*, commit_reads=True):
        engine = create_engine(database_url, pool_size=1, max_overflow=0)
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, busy_timeout_ms=1000)
        if commit_reads:
            commit_read_only_transactions(engine)
        with engine.begin() as connection:
            PROBE.create(connection)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()  # the temporary table goes with the connection


def _probe_rows(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(COUNT_PROBE).scalar_one()


def _prepared_statements(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one()


def _needs_postgresql(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are psycopg's, on PostgreSQL")


def test_reads_keep_their_prepared_statements_from_one_transaction_to_the_next(probe_engine):
    engine = probe_engine()
    _needs_postgresql(engine)
    for _ in range(6):  # psycopg prepares a statement on its sixth run on a connection
        _probe_rows(engine)
    assert _prepared_statements(engine) >= 1


def test_without_it_every_rollback_throws_the_prepared_statements_away(probe_engine):
    engine = probe_engine(commit_reads=False)
    _needs_postgresql(engine)
    for _ in range(6):
        _probe_rows(engine)
    assert _prepared_statements(engine) == 0


def test_a_write_left_uncommitted_is_still_rolled_back(probe_engine):
    engine = probe_engine()
    with engine.connect() as connection:
        connection.execute(insert(PROBE).values(id=1))
    assert _probe_rows(engine) == 0


def test_a_write_after_reads_is_still_rolled_back(probe_engine):
    engine = probe_engine()
    with engine.connect() as connection:
        connection.execute(COUNT_PROBE)
        connection.execute(insert(PROBE).values(id=1))
        connection.execute(COUNT_PROBE)
    assert _probe_rows(engine) == 0


def test_sql_text_counts_as_a_write(probe_engine):
    engine = probe_engine()
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO read_commit_probe (id) VALUES (1)"))
    assert _probe_rows(engine) == 0


def test_an_orm_session_closed_without_commit_keeps_nothing(probe_engine):
    engine = probe_engine()
    with Session(engine) as session:
        session.execute(COUNT_PROBE)
        session.execute(insert(PROBE), [{"id": 1}, {"id": 2}])
    assert _probe_rows(engine) == 0


def test_a_failed_read_rolls_back_and_leaves_the_connection_usable(probe_engine):
    engine = probe_engine()
    with engine.connect() as connection, pytest.raises(DatabaseError):
        connection.execute(COUNT_PROBE)
        connection.execute(select(func.count()).select_from(table("no_such_table")))
    assert _probe_rows(engine) == 0


def _prepared_after_six_requests(app) -> int:
    with app.app_context():
        _needs_postgresql(db.engine)
        for _ in range(6):
            db.session.execute(select(func.count()).select_from(table("users"))).scalar_one()
            db.session.remove()  # as at the end of each request
        return db.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()


def test_the_app_keeps_prepared_statements_on_postgresql(make_app):
    assert _prepared_after_six_requests(make_app()) >= 1


def test_the_app_prepares_nothing_when_told_not_to(make_app, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("PG_PREPARED_STATEMENTS", "off")
    assert _prepared_after_six_requests(make_app()) == 0
