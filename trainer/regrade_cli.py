"""`flask trainer regrade QUESTION_ID`: regrade stored answers after a question's key was fixed.

Importing this module adds the command to the `flask trainer` group (trainer.cli does).
"""

from __future__ import annotations

import click

from trainer.cli import trainer_cli
from trainer.database import writing
from trainer.extensions import db
from trainer.services import regrades
from trainer.services.questions import get_question


def _points(value) -> str:
    return "–" if value is None else f"{float(value):g}"


def _percent(value) -> str:
    return "–" if value is None else f"{float(value):g}%"


def _verdict(change: regrades.AttemptRegrade) -> str:
    if change.attempt.kind != "quiz" or change.old_passed == change.new_passed:
        return ""
    return ", now passed" if change.new_passed else ", now not passed"


def describe(plan: regrades.RegradePlan) -> list[str]:
    """The preview: one line per attempt whose score changes."""
    question = plan.question
    lines = [
        f"Regrade {question.uid} against its current version "
        f"({question.current_version.number}): {len(plan.items)} stored item(s), "
        f"{len(plan.changed_items)} change score, {len(plan.changed_attempts)} attempt(s) change."
    ]
    for change in plan.changed_attempts:
        attempt = change.attempt
        where = f"quiz {attempt.quiz.slug}" if attempt.quiz is not None else "module knowledge check"
        lines.append(
            f"  {attempt.user.email}  attempt {attempt.id} ({where}): "
            f"{_points(change.old_score)}/{_points(attempt.max_score)} ({_percent(change.old_percent)}) → "
            f"{_points(change.new_score)}/{_points(attempt.max_score)} ({_percent(change.new_percent)})"
            f"{_verdict(change)}"
        )
    open_items = [i for i in plan.changed_items if i.item.attempt.status == "in_progress"
                  and i.item.attempt.kind == "quiz"]
    if open_items:
        lines.append(f"  {len(open_items)} item(s) in attempts still in progress are regraded too.")
    if plan.unbuildable:
        lines.append(
            f"  Warning: {len(plan.unbuildable)} item(s) cannot be rebuilt from the current version with "
            "their seed and are left as they are."
        )
    if plan.shown_differently:
        lines.append(
            f"  Warning: {plan.shown_differently} item(s) would now look different from what the learner "
            "saw (stem, choices or numbers changed). Regrading is meant for key fixes."
        )
    return lines


@trainer_cli.command("regrade")
@click.argument("question_id")
@click.option("--yes", is_flag=True, help="Write the changes without asking.")
def regrade_command(question_id, yes):
    """Regrade every stored answer to QUESTION_ID (a bank id) against the question's current version."""
    with writing():
        question = get_question(question_id)
        if question is None or question.current_version is None:
            raise click.ClickException(f"no question has the id {question_id}")
        plan = regrades.plan_regrade(question)
        for line in describe(plan):
            click.echo(line)
        if not plan.items:
            click.echo("Nothing to regrade: no attempt has used this question.")
            return
        if not yes and not click.confirm("Write these changes?", default=False):
            db.session.rollback()
            click.echo("Nothing was changed.")
            return
        regrade = regrades.apply_regrade(plan)
        db.session.commit()
    click.echo(f"Regraded {len(plan.items)} item(s); logged as regrade {regrade.id}.")
