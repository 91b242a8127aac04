"""Backups of the whole database and restoring one, on SQLite and PostgreSQL.

SQLite: the online backup API copies a consistent snapshot page by page while the site
keeps serving (WAL readers and writers are not blocked for long), and restoring uses the
same API the other way. PostgreSQL: `pg_dump --format=custom` and `pg_restore`, the
server's own tools; without them on the PATH the commands are printed for the operator.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# A backup must hold the schema's version, or it is not a backup of this site.
REQUIRED_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in one line."""


@dataclass
class Outcome:
    """What a backup or restore did: a line for the operator, and a command when one was printed."""

    message: str
    command: list[str] | None = None
    ran: bool = True


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as pg_dump and pg_restore read it (no +driver, password kept)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def pg_dump_command(url: URL, path: Path) -> list[str]:
    return ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), "--dbname", libpq_url(url)]


def pg_restore_command(url: URL, path: Path) -> list[str]:
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            "--dbname", libpq_url(url), str(path)]


def _shown(command: list[str]) -> str:
    """The command for a terminal, the password hidden."""
    return " ".join(make_url(part).render_as_string(hide_password=True) if part.startswith("postgresql://")
                    else part for part in command)


def backup(database_url: str | URL, path: Path) -> Outcome:
    """Write a backup of the database at `database_url` to `path` (which must not exist)."""
    url = make_url(database_url)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose a new file name")
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return Outcome(f"Backed up {_sqlite_path(url)} to {path} ({path.stat().st_size:,} bytes).")
    if url.get_backend_name() == "postgresql":
        return _run_or_print(pg_dump_command(url, path), f"Backed up the database to {path}.")
    raise BackupError(f"no backup method for {url.get_backend_name()} databases")


def restore(database_url: str | URL, path: Path) -> Outcome:
    """Replace the database at `database_url` with the backup at `path`."""
    url = make_url(database_url)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(path)
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return Outcome(f"Restored {target_path} from {path}.")
    if url.get_backend_name() == "postgresql":
        return _run_or_print(pg_restore_command(url, path), f"Restored the database from {path}.")
    raise BackupError(f"no restore method for {url.get_backend_name()} databases")


def _check_sqlite_backup(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite's quick check failed)")
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database: {exc}") from None
    if REQUIRED_TABLE not in tables:
        raise BackupError(f"{path} is not a backup of this site (it has no {REQUIRED_TABLE} table)")


def _run_or_print(command: list[str], done: str) -> Outcome:
    if shutil.which(command[0]) is None:
        return Outcome(f"{command[0]} is not installed here; run this where it is:\n  {_shown(command)}",
                       command, ran=False)
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed program
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}")
    return Outcome(done, command)
