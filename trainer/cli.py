"""`flask trainer …` commands: accounts, demo data, content import and export, regrades."""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from trainer.database import writing
from trainer.extensions import db
from trainer.models import LEARNER_TYPES, ROLES, AuditEvent
from trainer.services import accounts, regrades
from trainer.services.questions import get_question

# Commands that work without a migrated database: init migrates it, coverage reads files only,
# restore replaces the whole database with a backup (into a fresh instance, say).
WITHOUT_SCHEMA = frozenset({"init", "coverage", "restore"})


@click.group("trainer", cls=AppGroup, help="RxTrainer administration commands.")
@click.pass_context
@with_appcontext
def trainer_cli(ctx):
    # A database that was never migrated (or is behind) would fail deep inside a command with a
    # stack trace; say what to do instead, in one line.
    if ctx.invoked_subcommand in WITHOUT_SCHEMA:
        return
    from trainer.database import schema_problem

    problem = schema_problem(current_app.extensions["migrate"].migrate.get_config())
    if problem:
        raise click.ClickException(problem)

DEMO_ACCOUNTS = [
    # (email, name, role, learner type)
    ("student@demo.rxtrainer.local", "Sam Student", "learner", "student"),
    ("tech@demo.rxtrainer.local", "Taylor Technician", "learner", "technician"),
    ("instructor@demo.rxtrainer.local", "Iris Instructor", "instructor", "technician"),
    ("admin@demo.rxtrainer.local", "Ada Admin", "admin", "technician"),
]
DEMO_INSTRUCTOR = "instructor@demo.rxtrainer.local"


def _demo_instructors_course():
    """Give the demo instructor a course of their own to edit: a copy of the first shipped course.

    Shipped content is changed by admins only (trainer.services.ownership), so without this
    the demo instructor could read everything and change nothing until they copied something.
    Nothing is made when they own a course already or no shipped course is imported yet.
    """
    from sqlalchemy import select

    from trainer.models import Course
    from trainer.services import ownership

    instructor = accounts.find_user_by_email(DEMO_INSTRUCTOR)
    if instructor is None or db.session.scalar(select(Course.id).where(Course.owner_id == instructor.id)):
        return None
    shipped = db.session.scalar(select(Course).where(Course.owner_id.is_(None), Course.status == "published")
                                .order_by(Course.slug).limit(1))
    return ownership.copy_course(shipped, actor=instructor).course if shipped is not None else None


def register_cli(app) -> None:
    """Attach the command group to `app`."""
    app.cli.add_command(trainer_cli)


@trainer_cli.command("create-user")
@click.argument("email")
@click.option("--name", default=None, help="Full name (default: the part of the email before @).")
@click.option("--role", type=click.Choice(ROLES), default="learner", show_default=True)
@click.option("--learner-type", type=click.Choice(LEARNER_TYPES), default="technician", show_default=True)
@click.option("--password", default=None, help="Omit to be prompted (recommended: it keeps the password out of shell history).")
def create_user_command(email, name, role, learner_type, password):
    """Create an account, for example the first admin."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise click.ClickException(f"not an email address: {exc}") from None
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    name = name or email.split("@", 1)[0]
    problems = accounts.password_problems(password, email, name)
    if problems:
        raise click.ClickException("weak password: " + " ".join(problems))
    with writing():
        if accounts.find_user_by_email(email):
            raise click.ClickException(f"an account with email {email} already exists")
        user = accounts.create_user(email, name, password, role=role, learner_type=learner_type)
        db.session.flush()
        AuditEvent.record("account_created", subject=user.email, via="cli", role=role)
        db.session.commit()
    click.echo(f"Created {role} {user.email}.")


@trainer_cli.command("seed-demo")
@click.option("--reset-passwords", is_flag=True, help="Give existing demo accounts new passwords.")
def seed_demo_command(reset_passwords):
    """Create one demo account per role (development only) and print their passwords once."""
    if current_app.config["TRAINER_ENV"] == "production":
        raise click.ClickException("demo accounts are for development only (TRAINER_ENV=production)")
    created = []
    with writing():
        for email, name, role, learner_type in DEMO_ACCOUNTS:
            user = accounts.find_user_by_email(email)
            password = "demo-" + secrets.token_urlsafe(9)
            if user is None:
                accounts.create_user(email, name, password, role=role, learner_type=learner_type)
                created.append((email, role, password))
            elif reset_passwords:
                accounts.set_password(user, password)
                created.append((email, role, password))
        db.session.flush()
        demo_course = _demo_instructors_course()
        db.session.commit()
    if created:
        click.echo("Demo accounts (these passwords are shown only now):")
        for email, role, password in created:
            click.echo(f"  {role:<11} {email:<34} {password}")
    else:
        click.echo("Demo accounts already exist; their passwords were printed when they were made.")
        click.echo("New ones: flask --app app trainer seed-demo --reset-passwords")
    if demo_course is not None:
        click.echo(f"The demo instructor owns “{demo_course.title}”, a draft copy of a shipped course, "
                   "to edit; shipped courses are changed by the admin.")


@trainer_cli.command("init")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Create the demo accounts (never in production).")
@click.pass_context
def init_command(ctx, demo):
    """Prepare a database to serve: apply migrations, import the shipped content, add demo accounts."""
    from flask_migrate import upgrade

    upgrade()
    import_command = trainer_cli.get_command(ctx, "import")
    if import_command is not None:
        ctx.invoke(import_command)
    if demo and current_app.config["TRAINER_ENV"] != "production":
        ctx.invoke(seed_demo_command)


def _content_root(path: str | None):
    from pathlib import Path

    return Path(path) if path else Path(current_app.config["CONTENT_ROOT"])


@trainer_cli.command("import")
@click.argument("path", required=False)
@click.option("--check", is_flag=True, help="Validate every file and report; write nothing.")
def import_command(path=None, check=False):
    """Load courses/ and question_bank/ (under PATH, default the checkout) into the database."""
    from trainer.content import ImportFailed
    from trainer.services.content_import import import_content

    root = _content_root(path)
    try:
        report = import_content(root, check_only=check)
    except ImportFailed as failed:
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"import failed with {len(failed.problems)} problem(s); nothing was changed"
        ) from None
    verb = "checked (nothing written)" if check else "imported"
    click.echo(f"Content {verb} from {root}:")
    for line in report.lines():
        click.echo(f"  {line}")


@trainer_cli.command("export")
@click.argument("path")
def export_command(path):
    """Write the database's questions, quizzes and courses to files under PATH."""
    from trainer.services.content_import import export_content

    counts = export_content(_content_root(path))
    click.echo("Exported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" to {path}.")


# ---- regrade ---------------------------------------------------------------------------


def _points(value) -> str:
    return "–" if value is None else f"{float(value):g}"


def _percent(value) -> str:
    return "–" if value is None else f"{float(value):g}%"


def _verdict(change: regrades.AttemptRegrade) -> str:
    if change.attempt.kind != "quiz" or change.old_passed == change.new_passed:
        return ""
    return ", now passed" if change.new_passed else ", now not passed"


def describe_regrade(plan: regrades.RegradePlan) -> list[str]:
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
        for line in describe_regrade(plan):
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


@trainer_cli.command("coverage")
@click.argument("path", required=False)
def coverage_command(path=None):
    """Per outline and knowledge area: the modules that teach it, its questions, and domain shares."""
    from trainer.content import ImportFailed, load_courses
    from trainer.questions.bank import load_bank_dir
    from trainer.questions.coverage import (
        MIN_QUESTIONS_PER_AREA,
        SHARE_TOLERANCE_POINTS,
        ModuleTeaching,
        coverage_report,
    )

    root = _content_root(path)
    try:
        bank = load_bank_dir(root / "question_bank")
        courses = load_courses(root / "courses")
    except ImportFailed as failed:
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("the content does not load; run `flask trainer import --check`") from None
    modules = [
        ModuleTeaching(course.slug, module.slug, tuple(module.checks))
        for course in courses
        for module in course.modules
    ]
    report = coverage_report(bank.blueprints, bank.questions, bank.question_files, modules)
    for outline in bank.blueprints.outlines:
        click.echo(f"{outline['code']}: {outline.get('title', '')}")
        for area in (a for a in report.areas if a.outline == outline["code"]):
            taught = ", ".join(area.modules) if area.modules else "NO MODULE"
            click.echo(f"  {area.code:<15} {area.questions:>4} questions  {area.title}")
            click.echo(f"  {'':<15} taught in: {taught}")
        click.echo("")
    click.echo(
        f"Domain shares of the bank: {report.total_questions} published questions, "
        f"{report.drill_questions} calculation drills left out"
    )
    for share in report.shares:
        click.echo(
            f"  {share.code:<12} {share.title:<40} {share.questions:>7.1f} questions  "
            f"{share.share:5.1f}%  weight {share.weight}%  ({share.off_by:+.1f} points)"
        )
    if report.problems:
        click.echo("")
        click.echo(
            f"Short of the standard (a module and {MIN_QUESTIONS_PER_AREA} questions per area; "
            f"2020 shares within {SHARE_TOLERANCE_POINTS} points of the weights):"
        )
        for problem in report.problems:
            click.echo(f"  {problem}")
        raise SystemExit(1)
    click.echo("Every area has a module and enough questions; the 2020 shares are within tolerance.")


# ---- load-test data --------------------------------------------------------------------


@trainer_cli.command("seed-load")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Multiply every count (0.01 for a quick try).")
@click.option("--users", type=int, default=None, help="Learners (default 100,000 × scale).")
@click.option("--quizzes", type=int, default=None, help="Quizzes (default 2,000 × scale).")
@click.option("--answers", type=int, default=None, help="Answers (default 5,000,000 × scale).")
@click.option("--questions-per-quiz", type=int, default=20, show_default=True)
@click.option("--password", default=None,
              help="Password of every seeded learner (default: a random one, printed).")
def seed_load_command(scale, users, quizzes, answers, questions_per_quiz, password):
    """Fill the database like a busy site for the load bench: learners, quizzes, attempts, answers."""
    import time

    from trainer.services.seed_load import EMAIL, LoadPlan, SeedRefused, database_size, seed_load

    if current_app.config["TRAINER_ENV"] == "production":
        raise click.ClickException("seed-load is for load tests only (TRAINER_ENV=production)")
    plan = LoadPlan().scaled(scale)
    plan = LoadPlan(users=users or plan.users, quizzes=quizzes or plan.quizzes,
                    answers=answers or plan.answers, questions_per_quiz=questions_per_quiz)
    password = password or "load-" + secrets.token_urlsafe(9)
    click.echo(f"Seeding {plan.users:,} learners, {plan.quizzes:,} quizzes, {plan.attempts:,} attempts "
               f"with {plan.attempts * plan.questions_per_quiz:,} answers…")
    started = time.monotonic()
    with writing(), click.progressbar(length=plan.rows, label="rows", show_eta=True,
                                      show_percent=True) as bar:
        try:
            counts = seed_load(plan, password, progress=bar.update)
        except SeedRefused as refused:
            raise click.ClickException(str(refused)) from None
    elapsed = time.monotonic() - started
    size = database_size()
    click.echo("Wrote " + ", ".join(f"{n:,} {what}" for what, n in counts.items())
               + f" in {elapsed:.0f} s; the database is now {size / 2**20:,.0f} MiB.")
    click.echo(f"Learners log in as {EMAIL.format(n=1)} … {EMAIL.format(n=plan.users)} "
               f"with the password {password}")


# registers import-questions, backup and restore
from trainer import cli_backup, cli_interchange  # noqa: E402,F401


@trainer_cli.command("mock-exam-check")
def mock_exam_check_command():
    """Whether the bank can fill a full mock exam of every outline; exit status 1 if one is short."""
    from trainer.services.mock_exams import bank_check

    short = False
    for outline, plan in bank_check():
        verdict = "complete" if not plan.short else f"SHORT: a form would have {plan.items} of {outline.items} questions"
        click.echo(f"{outline.code} ({outline.exam}): {verdict}")
        for domain in plan.domains:
            wanted = domain.scored_wanted + domain.unscored_wanted
            gap = f", {domain.missing} missing" if domain.missing else ""
            click.echo(f"  {domain.code} {domain.title}: {domain.available} four-option questions "
                       f"published, {wanted} wanted{gap}")
        short = short or bool(plan.short)
    if short:
        raise SystemExit(1)


@trainer_cli.command("rebuild-mastery")
def rebuild_mastery_command():
    """Recompute every learner's mastery from the evidence log (after the outlines change)."""
    from trainer.services.mastery import rebuild_all_mastery

    with writing():
        learners, replayed = rebuild_all_mastery()
        db.session.commit()
    click.echo(f"Rebuilt the mastery of {learners} learner(s) from {replayed} piece(s) of evidence.")


scenarios_cli = AppGroup("scenarios", help="Prescription-processing scenarios.")
trainer_cli.add_command(scenarios_cli)


@scenarios_cli.command("generate")
@click.option("--kinds", default="", help="Comma-separated error kinds to plant (none: a clean scenario).")
@click.option("--seed", type=int, required=True, help="The same seed and kinds give the same scenario.")
@click.option("--count", type=click.IntRange(1, 100), default=1, show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write a scenario file here (default: print it).")
def generate_scenarios_command(kinds, seed, count, output):
    """Generate scenarios planting errors of the chosen kinds, as a scenario file."""
    from pathlib import Path

    from trainer.rx.scenarios import GENERATOR_KINDS
    from trainer.rx.scenarios.generator import compatible
    from trainer.services.scenarios import generated_yaml

    chosen = [k.strip() for k in kinds.split(",") if k.strip()]
    why = compatible(chosen)
    if why:
        raise click.ClickException(f"{why}\nkinds: {', '.join(GENERATOR_KINDS)}")
    try:
        text = generated_yaml(chosen, seed, count)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from None
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {count} scenario(s) to {output}")
    else:
        click.echo(text, nl=False)
