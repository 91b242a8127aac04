"""`flask trainer backup PATH` and `flask trainer restore PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from trainer.cli import trainer_cli
from trainer.extensions import db
from trainer.services import backup as backups


@trainer_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path):
    """Write a backup of the whole database to PATH (SQLite: online, while the site runs)."""
    try:
        outcome = backups.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(outcome.message)
    if not outcome.ran:
        raise SystemExit(1)


@trainer_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore_command(path: Path, yes: bool):
    """Replace the whole database with the backup at PATH. Stop the site first."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Is the site stopped?",
                      abort=True)
    # No connection of ours may hold the file (SQLite) or a lock (PostgreSQL) meanwhile.
    db.session.remove()
    db.engine.dispose()
    try:
        outcome = backups.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(outcome.message)
    if not outcome.ran:
        raise SystemExit(1)
