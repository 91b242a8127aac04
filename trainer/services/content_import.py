"""Shipped content files to the database and back: `flask trainer import` and `export`.

An import reads and checks everything first (the bank, the quizzes, the courses and
the references between them) and writes nothing unless all of it is valid; then it
writes everything in one transaction.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from trainer.content import (
    ImportFailed,
    SourceProblem,
    check_references,
    load_courses,
    write_course,
)
from trainer.content.glossary import load_glossary
from trainer.database import writing
from trainer.extensions import db
from trainer.models import AuditEvent, Course, Question, Quiz
from trainer.questions.bank import (
    BLUEPRINTS_FILE,
    Bank,
    dump_bank_file,
    dump_quiz_file,
    load_bank_dir,
)
from trainer.rx.formulary import DrugReference, load_drug_dir
from trainer.services import drugs as drug_service
from trainer.services import post_tests
from trainer.services.courses import course_source_of, glossary, save_course_source
from trainer.services.flashcards import sync_builtin_decks
from trainer.services.questions import quiz_file_data, save_question, save_quiz
from trainer.services.scenarios import export_scenarios, read_scenarios, save_scenario

BANK_DIR = "question_bank"
COURSES_DIR = "courses"
DRUGS_DIR = "data"  # question_bank/data: the drug reference


@dataclass
class ImportReport:
    """What an import did (or, with check_only, would do), counted by kind and outcome."""

    counts: dict[str, Counter] = field(default_factory=dict)
    checked_only: bool = False

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def lines(self) -> list[str]:
        """One line per kind, e.g. "questions: 12 created, 3 updated, 200 unchanged"."""
        out = []
        for kind, counter in self.counts.items():
            parts = [f"{n} {outcome}" for outcome, n in sorted(counter.items())]
            out.append(f"{kind}: " + ", ".join(parts))
        return out


def read_content(root: Path) -> tuple[Bank, list]:
    """Load and check every content file under `root`; raise ImportFailed with all problems."""
    problems: list[SourceProblem] = []
    bank, courses = None, []
    try:
        bank = load_bank_dir(root / BANK_DIR)
    except ImportFailed as failed:
        problems.extend(failed.problems)
    courses_root = root / COURSES_DIR
    if courses_root.is_dir():
        try:
            courses = load_courses(courses_root, glossary())
        except ImportFailed as failed:
            problems.extend(failed.problems)
    if bank is not None and courses:
        # A course may also use questions and quizzes that exist only in the database
        # (written in the browser).
        known_questions = set(bank.questions) | set(db.session.scalars(select(Question.uid)))
        known_quizzes = set(bank.quizzes) | set(db.session.scalars(select(Quiz.slug)))
        problems.extend(check_references(courses, known_questions, known_quizzes))
    if problems:
        raise ImportFailed(problems)
    return bank, courses


def read_drugs(root: Path) -> DrugReference | None:
    """The drug reference under question_bank/data, checked; None when the folder has none."""
    folder = root / BANK_DIR / DRUGS_DIR
    if not folder.is_dir() or not any(folder.glob("drugs-*.yaml")):
        return None
    return load_drug_dir(folder, label_root=f"{BANK_DIR}/{DRUGS_DIR}")


def _own_glossary(root: Path) -> dict[str, str]:
    """courses/glossary.yaml's own terms, for the flashcard deck built from it (none if it is missing)."""
    path = root / COURSES_DIR / "glossary.yaml"
    return load_glossary(path, shared=False) if path.is_file() else {}


def _post_test_pool_problems(saved) -> list[SourceProblem]:
    """Published CE courses whose post-test draws from too small a pool (counted in the bank as imported)."""
    problems = []
    for source, course in saved:
        if course.status != "published" or not course.ce_hours or course.post_test is None:
            continue
        for message in post_tests.pool_report(course.post_test):
            problems.append(SourceProblem(
                source.file or f"{COURSES_DIR}/{source.slug}/course.yaml", source.line_of("post_test.quiz"),
                f"the post-test {course.post_test.slug!r} cannot award CE: {message}",
                item=source.slug, field="post_test.quiz",
            ))
    return problems


def import_content(root: Path, *, check_only: bool = False, actor=None) -> ImportReport:
    """Import (or only check) the content under `root`, all or nothing."""
    root = Path(root)
    report = ImportReport(checked_only=check_only)
    with writing():
        problems: list[SourceProblem] = []
        try:
            bank, courses = read_content(root)
        except ImportFailed as failed:
            problems.extend(failed.problems)
        try:
            reference = read_drugs(root)
        except ImportFailed as failed:
            problems.extend(failed.problems)
        scenario_specs: list = []
        if not problems:
            # checked against the drug data this import brings, or the one already served
            try:
                scenario_specs = read_scenarios(root, reference.drugs if reference else None)
            except ImportFailed as failed:
                problems.extend(failed.problems)
        if problems:
            raise ImportFailed(problems)
        if check_only:
            for _ in bank.questions:
                report.add("questions", "valid")
            for _ in bank.quizzes:
                report.add("quizzes", "valid")
            for _ in courses:
                report.add("courses", "valid")
            for _ in reference.drugs if reference else ():
                report.add("drugs", "valid")
            for _ in scenario_specs:
                report.add("scenarios", "valid")
            db.session.rollback()
            return report
        try:
            for uid, data in bank.questions.items():
                _, outcome = save_question(data, source=f"{BANK_DIR}/{bank.question_files.get(uid, '')}",
                                           actor=actor, note="import")
                report.add("questions", outcome)
            for slug, data in bank.quizzes.items():
                _, outcome = save_quiz(data, source=f"{BANK_DIR}/quizzes/{slug}.yaml", actor=actor)
                report.add("quizzes", outcome)
            saved = []
            for course in courses:
                model, outcome = save_course_source(course, actor=actor, origin=f"{COURSES_DIR}/{course.slug}")
                saved.append((course, model))
                report.add("courses", outcome)
            pools = _post_test_pool_problems(saved)
            if pools:
                raise ImportFailed(pools)
            if reference is not None:
                for outcome, number in drug_service.save_reference(reference).items():
                    report.counts.setdefault("drugs", Counter())[outcome] += number
            for spec, source in scenario_specs:
                _, outcome = save_scenario(spec, source=source, actor=actor)
                report.add("scenarios", outcome)
            decks = sync_builtin_decks(_own_glossary(root), drug_service.reference().values())
            for outcome in decks.values():
                report.add("flashcard decks", outcome)
            AuditEvent.record("content_imported", subject=str(root), actor=actor,
                              **{kind: dict(counter) for kind, counter in report.counts.items()})
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return report


def export_content(root: Path, outlines_from: Path | None = None) -> dict[str, int]:
    """Write every question, quiz and course in the database to files under `root`.

    The exam outlines (blueprints.yaml) are not kept in the database; they are copied
    from `outlines_from` (default: the content root the app was configured with).
    """
    root = Path(root)
    bank_root = root / BANK_DIR
    (bank_root / "quizzes").mkdir(parents=True, exist_ok=True)
    source_root = Path(outlines_from or current_app.config["CONTENT_ROOT"])
    outlines = source_root / BANK_DIR / BLUEPRINTS_FILE
    if outlines.resolve() != (bank_root / BLUEPRINTS_FILE).resolve():
        shutil.copyfile(outlines, bank_root / BLUEPRINTS_FILE)
    by_file: dict[str, list[dict]] = {}
    questions = db.session.scalars(select(Question).order_by(Question.uid)).all()
    for question in questions:
        source = question.source or ""
        name = Path(source).name if source.startswith(BANK_DIR + "/") and source.endswith(".yaml") else "authored.yaml"
        by_file.setdefault(name, []).append(dict(question.data))
    for name, items in by_file.items():
        (bank_root / name).write_text(dump_bank_file(items), encoding="utf-8")
    quizzes = db.session.scalars(select(Quiz).order_by(Quiz.slug)).all()
    for quiz in quizzes:
        (bank_root / "quizzes" / f"{quiz.slug}.yaml").write_text(dump_quiz_file(quiz_file_data(quiz)), encoding="utf-8")
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    for course in courses:
        write_course(course_source_of(course), root / COURSES_DIR)
    scenarios = export_scenarios(bank_root / "scenarios")
    return {"questions": len(questions), "quizzes": len(quizzes), "courses": len(courses), "scenarios": scenarios}
