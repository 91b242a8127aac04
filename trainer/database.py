"""Engine set-up: SQLite pragmas on every connection, and write transactions that lock early.

Python 3.11's sqlite3 driver starts transactions itself, lazily, just before the first
write. A request that reads and then writes would then upgrade a read lock to a write
lock mid-transaction, and under concurrent writers SQLite answers SQLITE_BUSY at once
instead of waiting. So we switch the driver's own transaction handling off and issue
BEGIN ourselves: BEGIN IMMEDIATE when the work will write (any unsafe HTTP method, any
CLI command that changes data), plain BEGIN otherwise.

(SQLAlchemy's documented recipe sets `dbapi_connection.autocommit`, an attribute that
only exists from Python 3.12; on 3.11 it silently does nothing, which is why the tests
read the pragmas back from a live connection.)
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "trainer_write_intent", default=False
)


def set_write_intent(value: bool) -> contextvars.Token:
    """Declare whether the current unit of work will write (so SQLite locks at BEGIN)."""
    return _write_intent.set(value)


def reset_write_intent(token: contextvars.Token) -> None:
    """Undo set_write_intent."""
    _write_intent.reset(token)


@contextlib.contextmanager
def writing():
    """Context in which new SQLite transactions start with BEGIN IMMEDIATE."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the pragma and BEGIN listeners on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # isolation_level=None: the driver stops issuing its own BEGIN (see module doc).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if ":memory:" not in str(engine.url) and engine.url.database:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


# A pooled connection unused for this long is checked with a round trip before a request
# gets it: long enough that a busy worker (a request every few milliseconds) never pays
# for the check, short enough that an idle server finds out the database restarted.
IDLE_BEFORE_PING_SECONDS = 10.0


def ping_idle_connections(engine: Engine, idle_seconds: float = IDLE_BEFORE_PING_SECONDS) -> None:
    """Check a pooled connection at checkout only if it sat unused for `idle_seconds`.

    SQLAlchemy's pool_pre_ping checks every checkout, one more round trip to the database
    server per request. A connection dropped while in steady use (the server restarted
    under load) is found by the request that uses it: it gets the error page, SQLAlchemy
    invalidates the pool on that disconnect, and the requests after it reconnect.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["trainer_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get("trainer_idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # just made, or just used
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception:  # a dropped connection answers the ping with the driver's own error
            alive = False
        if not alive:
            # The server likely restarted: every connection pooled before now is gone too.
            raise exc.InvalidatePoolError("the pooled connection no longer answers")


_ONLY_READ = "trainer_transaction_only_read"


def commit_read_only_transactions(engine: Engine) -> None:
    """End a transaction that ran nothing but SELECTs with COMMIT instead of ROLLBACK.

    For the data the two are the same. psycopg, though, forgets every prepared statement
    at each ROLLBACK, and every request's session ends with one, so no statement ever
    reached psycopg's threshold (five runs on a connection): PostgreSQL parsed and planned
    each statement of each page afresh. Ending clean reads with COMMIT lets them be
    prepared once per connection. Anything else in the transaction (an INSERT, UPDATE or
    DELETE, DDL, SQL text, a savepoint) or a statement that failed leaves it to roll back
    exactly as before.
    """

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.info[_ONLY_READ] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(connection, _cursor, _statement, _parameters, context, _executemany):
        if connection.info.get(_ONLY_READ) and not _is_plain_select(context):
            connection.info[_ONLY_READ] = False

    @event.listens_for(engine, "handle_error")
    def _on_error(context):
        if context.connection is not None:
            context.connection.info[_ONLY_READ] = False

    @event.listens_for(engine, "rollback")
    def _on_rollback(connection):
        if not connection.info.pop(_ONLY_READ, False) or connection.invalidated:
            return
        try:
            # SQLAlchemy's ROLLBACK, which follows, then finds no transaction open.
            connection.connection.dbapi_connection.commit()
        except Exception:  # the rollback that follows meets the same problem and reports it
            log.debug("committing a read-only transaction failed; rolling back", exc_info=True)


def _is_plain_select(context) -> bool:
    compiled = getattr(context, "compiled", None)
    if compiled is None:  # SQL text or a driver-level statement: it may write
        return False
    if context.isinsert or context.isupdate or context.isdelete:
        return False
    return bool(getattr(compiled.statement, "is_select", False))


# Search structures that SQLAlchemy models cannot describe (an FTS5 virtual table and
# its shadow tables; a PostgreSQL expression index). Migrations create them by hand;
# autogenerate must not propose dropping them.
UNMODELLED_PREFIXES = ("module_search", "ix_modules_search")


def include_in_autogenerate(name, type_, parent_names) -> bool:
    """Alembic include_name hook: skip the hand-made search structures."""
    return not (name and name.startswith(UNMODELLED_PREFIXES))


def schema_problem(migrate_config) -> str | None:
    """Why the database cannot serve this code (not migrated, behind, unreachable), in one line; else None.

    `migrate_config` is Flask-Migrate's Alembic config (the revisions this code ships).
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy.exc import DBAPIError

    from trainer.extensions import db

    needed = set(ScriptDirectory.from_config(migrate_config).get_heads())
    alembic_log = logging.getLogger("alembic.runtime.migration")
    level = alembic_log.level
    alembic_log.setLevel(logging.WARNING)  # "Context impl SQLiteImpl." is not for the operator
    try:
        current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    except DBAPIError as exc:
        db.session.rollback()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return f"cannot read the database ({reason})"
    finally:
        alembic_log.setLevel(level)
        # end the read transaction, so the command's own writes begin as writes (BEGIN IMMEDIATE)
        db.session.rollback()
    if not current:
        return ("the database has no tables yet: run `flask --app app trainer init` "
                "(or `flask --app app db upgrade`) first")
    if current != needed:
        return (f"the database is at revision {', '.join(sorted(current))} and this code needs "
                f"{', '.join(sorted(needed))}: run `flask --app app db upgrade` first")
    return None
