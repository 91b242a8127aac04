"""`flask trainer import-questions FILE`: the import page's reading and checks, from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from trainer.cli import trainer_cli
from trainer.database import writing
from trainer.extensions import db
from trainer.models.questions import DIFFICULTIES, QUESTION_STATUSES
from trainer.questions.interchange import FORMATS, MAX_UPLOAD_BYTES
from trainer.services.interchange import apply_import, plan_import, site_blueprint_codes

# what an instructor may type for a format: Moodle's own name for its XML export
FORMAT_ALIASES = {"moodle": "moodle_xml"}


@trainer_cli.command("import-questions")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", *FORMATS, *FORMAT_ALIASES]), default="auto",
              show_default=True,
              help="The file's format (moodle is moodle_xml); auto detects GIFT, Moodle XML, Aiken or a Canvas QTI .zip.")
@click.option("--tag", "tags", multiple=True, help="A tag for every question (repeat for more).")
@click.option("--blueprint", "blueprint", multiple=True, help="A blueprint area for every question, e.g. ptce-2020:4.2.")
@click.option("--reference", "references", multiple=True, help="A source for every question.")
@click.option("--difficulty", type=click.Choice(DIFFICULTIES), default="medium", show_default=True)
@click.option("--status", type=click.Choice(QUESTION_STATUSES), default="draft", show_default=True)
@click.option("--id-prefix", default="", help="Put before every id, e.g. moodle-iv-.")
@click.option("--check", is_flag=True, help="Read and check the file; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid questions even when others have problems.")
def import_questions_command(file, fmt, tags, blueprint, references, difficulty, status, id_prefix, check, skip_invalid):
    """Import questions from a GIFT, Moodle XML, Aiken or Canvas QTI file, all or nothing."""
    if file.stat().st_size > MAX_UPLOAD_BYTES:
        raise click.ClickException(
            f"{file.name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it into smaller files"
        )
    defaults = {
        "tags": list(tags),
        "blueprint": list(blueprint),
        "references": list(references),
        "difficulty": difficulty,
        "status": status,
    }
    if id_prefix:
        defaults["id_prefix"] = id_prefix
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    with writing():
        plan = plan_import(file.read_bytes(), file.name, None if fmt == "auto" else fmt, defaults,
                           blueprint_codes=site_blueprint_codes())
        click.echo(f"{file.name}: read as {plan.format_label}; {len(plan.rows)} valid, {plan.refused} with problems.")
        for problem in plan.problems:
            click.echo(str(problem), err=True)
        for note in plan.notes:
            click.echo(f"note: {note}")
        if plan.drafts_needing_explanation:
            click.echo(f"{plan.drafts_needing_explanation} without general feedback come in as drafts "
                       "that need an explanation.")
        if plan.problems and not skip_invalid:
            raise click.ClickException("nothing was imported: fix the problems, or pass --skip-invalid")
        if not plan.rows:
            raise click.ClickException("nothing was imported: no question in the file is valid")
        if check:
            click.echo("Checked only: nothing was written.")
            return
        counts = apply_import(plan)
        db.session.commit()
    click.echo(f"Imported: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged.")
