"""Question files in and out of the bank: plan an import, keep the upload until it is confirmed, save it.

The page and `flask trainer import-questions` share this: the file is read by the pure
readers (trainer.questions.imports), each question is checked against the site's
blueprint codes and told whether saving would create, update or leave it unchanged, and
only then saved, all in one transaction. A file with a problem saves nothing unless the
instructor asks for only its valid questions.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from trainer.content.source import SourceProblem
from trainer.extensions import db
from trainer.models import AuditEvent, PendingImport, Question, utcnow
from trainer.questions import QUESTION_TYPES, validate_question
from trainer.questions.aiken import write_aiken
from trainer.questions.gift import write_gift
from trainer.questions.imports import read_question_file
from trainer.questions.interchange import FORMAT_LABELS
from trainer.questions.moodle_xml import write_moodle_xml
from trainer.questions.question import needs_explanation
from trainer.services import ownership
from trainer.services.questions import content_hash, save_question

PENDING_FOR = timedelta(days=1)
EXPORT_FORMATS = {
    "gift": ("GIFT (Moodle)", "rxtrainer-questions.gift", "text/plain"),
    "moodle_xml": ("Moodle XML", "rxtrainer-questions.xml", "application/xml"),
    "aiken": ("Aiken (single choice only)", "rxtrainer-questions.txt", "text/plain"),
}


@dataclass
class ImportRow:
    """One valid question of an upload and what saving it would do."""

    data: dict
    outcome: str  # create, update or unchanged
    existing: Question | None = None

    @property
    def type_label(self) -> str:
        """The question type's name for people."""
        type_ = QUESTION_TYPES.get(self.data["type"])
        return type_.label if type_ else self.data["type"]

    @property
    def needs_explanation(self) -> bool:
        """Whether it is saved as a draft until someone writes its explanation."""
        return needs_explanation(self.data)


@dataclass
class ImportPlan:
    """A read upload: its format, each valid question with its outcome, problems and notes."""

    filename: str
    format: str | None
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    notes: list[SourceProblem] = field(default_factory=list)

    @property
    def format_label(self) -> str:
        """The format's name for people."""
        return FORMAT_LABELS.get(self.format or "", "unknown")

    @property
    def refused(self) -> int:
        """How many questions have problems (each counted once however many it has)."""
        return len({(p.item, p.line) for p in self.problems})

    @property
    def drafts_needing_explanation(self) -> int:
        """How many questions come in as drafts that need an explanation."""
        return sum(1 for row in self.rows if row.needs_explanation)

    @property
    def file_refused(self) -> bool:
        """Whether the file as a whole could not be read (no question is even listed)."""
        return any(p.item == "file" for p in self.problems)


def plan_import(
    data: bytes,
    filename: str,
    fmt: str | None,
    defaults: dict,
    *,
    blueprint_codes: frozenset[str] | None = None,
    reserved_ids: Iterable[str] = (),
    author=None,
) -> ImportPlan:
    """Read an upload and say, for each question, whether saving creates, updates or leaves it.

    With `author` (an upload in the teach area), a question already in the bank that they
    may not change is refused: an import must not be a way round trainer.services.ownership.
    """
    read = read_question_file(data, filename, fmt, defaults, require_metadata=True)
    plan = ImportPlan(filename, read.format, problems=list(read.result.problems), notes=list(read.result.notes))
    reserved = set(reserved_ids)
    questions = read.result.questions
    existing = {
        q.uid: q
        for q in db.session.scalars(
            select(Question)
            .where(Question.uid.in_([q["id"] for q in questions]))
            .options(selectinload(Question.current_version))
        )
    }
    for question in questions:
        # an exported file's own fields may name blueprint codes this site does not know
        extra = validate_question(question, blueprint_codes=blueprint_codes)
        if question["id"] in reserved:
            extra.append(("id", f"{question['id']} is the address of a bank page; give the question a title"))
        if extra:
            plan.problems.extend(SourceProblem(filename, None, message, question["id"], name) for name, message in extra)
            continue
        found = existing.get(question["id"])
        if found is not None and author is not None and not ownership.may_edit(author, found):
            why = ("is shipped content, changed by an administrator" if ownership.is_shipped(found)
                   else "belongs to another instructor")
            plan.problems.append(SourceProblem(
                filename, None, f"{question['id']} is already in the bank and {why}; "
                "give the question another id to import it as your own.", question["id"], "id"))
            continue
        if found is None:
            outcome = "create"
        elif found.current_version is not None and found.current_version.content_hash == content_hash(question):
            outcome = "unchanged"
        else:
            outcome = "update"
        plan.rows.append(ImportRow(question, outcome, found))
    plan.problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return plan


def apply_import(plan: ImportPlan, *, actor=None) -> dict[str, int]:
    """Save a plan's valid questions (the caller has decided problems may be left out); counts by outcome."""
    source = f"{plan.format or 'file'}:{plan.filename}"[:200]
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in plan.rows:
        if row.outcome == "unchanged":
            counts["unchanged"] += 1
            continue
        _, outcome = save_question(row.data, source=source, actor=actor, note=f"imported from {plan.format_label}")
        counts[outcome] = counts.get(outcome, 0) + 1
    AuditEvent.record(
        "questions_imported",
        subject=source,
        actor=actor,
        skipped=plan.refused,
        needing_explanation=plan.drafts_needing_explanation,
        **counts,
    )
    return counts


def stash_upload(user, filename: str, fmt: str | None, data: bytes, defaults: dict) -> PendingImport:
    """Keep an upload until its preview is confirmed; uploads older than a day are removed now."""
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_FOR))
    pending = PendingImport(
        token=secrets.token_urlsafe(32),
        user_id=user.id,
        filename=filename[:100],
        format=fmt,
        data=data,
        defaults=defaults,
    )
    db.session.add(pending)
    return pending


def pending_upload(token: str, user) -> PendingImport | None:
    """The user's own kept upload for this token, if it is still there."""
    if not token or len(token) > 64:
        return None
    pending = db.session.scalar(
        select(PendingImport).where(PendingImport.token == token, PendingImport.user_id == user.id)
    )
    if pending is None or pending.created_at < utcnow() - PENDING_FOR:
        return None
    return pending


def export_questions(questions: list[dict], fmt: str) -> tuple[str, str, str, list[str]]:
    """(body, file name, media type, what was left out) of questions as GIFT, Moodle XML or Aiken.

    GIFT and Moodle XML name what they left out in comments inside the file; Aiken has no
    comments, so its report comes back separately.
    """
    _, name, mimetype = EXPORT_FORMATS[fmt]
    if fmt == "gift":
        return write_gift(questions), name, mimetype, []
    if fmt == "moodle_xml":
        return write_moodle_xml(questions), name, mimetype, []
    text, report = write_aiken(questions)
    return text, name, mimetype, report


def site_blueprint_codes() -> frozenset[str] | None:
    """The exam outline codes questions may name (question_bank/blueprints.yaml), or None without the file."""
    from pathlib import Path

    from flask import current_app

    from trainer.content.source import ImportFailed, ProblemList, load_yaml
    from trainer.questions.blueprints import read_blueprints

    cache = current_app.extensions.setdefault("trainer_interchange", {})
    if "codes" not in cache:
        path = Path(current_app.config["CONTENT_ROOT"]) / "question_bank" / "blueprints.yaml"
        codes = None
        if path.is_file():
            try:
                found = ProblemList(str(path))
                loaded = read_blueprints(load_yaml(path.read_text(encoding="utf-8"), str(path)), found)
                codes = frozenset(loaded.codes) or None
            except ImportFailed:
                codes = None
        cache["codes"] = codes
    return cache["codes"]
