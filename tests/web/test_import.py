"""`flask trainer import` and `export`: all or nothing, idempotent, errors with file and line."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trainer.content import ImportFailed, load_courses
from trainer.extensions import db
from trainer.models import Course, Module, ModuleRevision, Question, QuestionVersion, Quiz
from trainer.questions.bank import load_bank_dir
from trainer.services.content_import import export_content, import_content
from trainer.services.search import search_modules

ROOT = Path(__file__).resolve().parents[2]

QUESTION = """\
  - id: {qid}
    type: single_choice
    stem: {stem}
    choices:
      - text: Schedule II
        correct: true
      - text: Schedule III
      - text: Schedule IV
      - text: Schedule V
    explanation: Hydrocodone combination products moved to Schedule II in 2014.
    tags: [schedules]
    difficulty: easy
    blueprint: [ptce-2020:2.2, ptce-2026:2]
    references: ["79 FR 49661"]
"""

# The course's post-test awards CE, so it draws from a pool of twice what it shows.
QUIZ = """\
slug: law-check
title: Law check
pass_mark: 80
items:
  - draw: 1
    tags: [schedules]
"""

COURSE = """\
title: Law basics
summary: A short course.
audience: both
ce:
  hours: 1
  topic: "03"
  activity_type: knowledge
  uan: null
post_test:
  quiz: law-check
  pass_mark: 80
prerequisites: []
references: ["21 CFR 1306"]
status: published
"""

MODULE = """\
---
title: Schedules
objectives: [Name the schedules]
minutes: 10
references: ["21 USC 812"]
---
# Schedules

{body}

[[check: law-t-001]]
"""


def write_content(root: Path, *, stem="Which schedule is hydrocodone/acetaminophen in?",
                  body="Controlled substances are grouped into five schedules.", module=None,
                  questions=None, course=COURSE, quiz=QUIZ) -> Path:
    """A minimal but complete content folder: one question, one quiz, one course with one module."""
    bank = root / "question_bank"
    (bank / "quizzes").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "question_bank" / "blueprints.yaml", bank / "blueprints.yaml")
    text = "questions:\n" + (questions or QUESTION.format(qid="law-t-001", stem=stem)
                              + QUESTION.format(qid="law-t-002", stem="Which schedule is codeine cough syrup in?"))
    (bank / "law.yaml").write_text(text)
    (bank / "quizzes" / "law-check.yaml").write_text(quiz)
    course_dir = root / "courses" / "law-basics"
    course_dir.mkdir(parents=True, exist_ok=True)
    (course_dir / "course.yaml").write_text(course)
    (course_dir / "01-schedules.md").write_text(module or MODULE.format(body=body))
    return root


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def content(tmp_path):
    return write_content(tmp_path / "content")


def test_import_loads_questions_quizzes_and_courses(app, content):
    report = import_content(content)
    assert report.lines() == ["questions: 2 created", "quizzes: 1 created", "courses: 1 created",
                              "flashcard decks: 4 created"]
    assert (count(Question), count(Quiz), count(Course), count(Module)) == (2, 1, 1, 1)


def test_import_twice_changes_nothing(app, content):
    import_content(content)
    report = import_content(content)
    assert report.lines() == ["questions: 2 unchanged", "quizzes: 1 unchanged", "courses: 1 unchanged",
                              "flashcard decks: 4 unchanged"]
    assert count(QuestionVersion) == 2 and count(ModuleRevision) == 0


def test_a_changed_question_gets_a_new_version(app, content, tmp_path):
    import_content(content)
    import_content(write_content(content, stem="Hydrocodone/APAP is in which schedule?"))
    question = db.session.scalar(select(Question).where(Question.uid == "law-t-001"))  # the one whose stem changed
    assert [v.number for v in question.versions] == [1, 2]
    assert question.current_version.number == 2


def test_a_changed_module_keeps_its_previous_text_as_a_revision(app, content):
    import_content(content)
    import_content(write_content(content, body="Schedules run from I to V; warfarin is not controlled."))
    module = db.session.scalar(select(Module))
    assert module.version == 2
    assert "five schedules" in module.revisions[0].markdown
    assert module.revisions[0].reason == "import"


def test_import_renders_and_stores_module_html_once(app, content):
    import_content(content)
    module = db.session.scalar(select(Module))
    assert "<h1" in module.html and module.checks == ["law-t-001"]
    assert 'data-question="law-t-001"' in module.html


def test_imported_modules_are_searchable_and_reindexed_on_change(app, content):
    import_content(content)
    assert search_modules("five schedules")
    import_content(write_content(content, body="Warfarin needs regular INR monitoring."))
    assert search_modules("warfarin") and not search_modules("five schedules")


def test_a_bad_question_fails_the_import_naming_file_line_and_id(app, content):
    broken = QUESTION.format(qid="law-t-001", stem="ok").replace("difficulty: easy", "difficulty: impossible")
    write_content(content, questions=broken)
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    problems = [str(p) for p in failed.value.problems]
    assert any("law.yaml:" in p and "[law-t-001]" in p and "difficulty" in p for p in problems)


def test_a_failed_import_writes_nothing_at_all(app, content):
    write_content(content, module=MODULE.format(body="text").replace("[[check: law-t-001]]", "[[quiz: law-check]]"))
    with pytest.raises(ImportFailed):
        import_content(content)
    assert (count(Question), count(Quiz), count(Course)) == (0, 0, 0)


def test_an_unknown_directive_is_reported_with_file_and_line(app, content):
    write_content(content, module=MODULE.format(body="text").replace("[[check: law-t-001]]", "[[quiz: law-check]]"))
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    assert any("01-schedules.md:11" in str(p) and "quiz" in str(p) for p in failed.value.problems)


def test_a_course_naming_a_missing_quiz_fails(app, content):
    write_content(content, course=COURSE.replace("quiz: law-check", "quiz: no-such-quiz"))
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    assert any("course.yaml:" in str(p) and "no-such-quiz" in str(p) for p in failed.value.problems)


def test_a_ce_course_whose_post_test_pool_is_too_small_fails_naming_the_course_file(app, content):
    write_content(content, quiz=QUIZ.replace("  - draw: 1\n    tags: [schedules]", "  - question: law-t-001"))
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    (problem,) = [str(p) for p in failed.value.problems]
    assert "course.yaml:" in problem and "[law-basics]" in problem
    assert "cannot award CE" in problem and "needs at least 2" in problem
    assert (count(Question), count(Quiz), count(Course)) == (0, 0, 0)


def test_a_module_checking_a_missing_question_fails(app, content):
    write_content(content, module=MODULE.format(body="x").replace("law-t-001", "law-t-999"))
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    assert any("law-t-999" in str(p) for p in failed.value.problems)


SECOND_MODULE = """\
---
title: Penalties
objectives: [Name a penalty]
minutes: 5
references: ["21 USC 841"]
---
# Penalties

{line}
"""


def second_module(content: Path, text: str, name: str = "02-penalties.md") -> str:
    path = content / "courses" / "law-basics" / name
    path.write_text(text)
    return str(path)


def bad_front_matter(content):
    return second_module(content, SECOND_MODULE.format(line="Text.").replace("title: Penalties\n", "")), 2


def unknown_directive(content):
    return second_module(content, SECOND_MODULE.format(line="[[quiz: law-check]]")), 9


def missing_module(content):
    second_module(content, SECOND_MODULE.format(line="Text."), name="03-penalties.md")
    return str(content / "courses" / "law-basics"), None  # a file that is not there has no line


def missing_quiz(content):
    (content / "courses" / "law-basics" / "course.yaml").write_text(
        COURSE.replace("quiz: law-check", "quiz: no-such-quiz"))
    return str(content / "courses" / "law-basics" / "course.yaml"), 10


def missing_question(content):
    return second_module(content, SECOND_MODULE.format(line="[[check: law-t-999]]")), 9


@pytest.mark.parametrize(
    "break_it", [bad_front_matter, unknown_directive, missing_module, missing_quiz, missing_question]
)
def test_a_bad_file_fails_the_whole_import_naming_file_and_line(app, content, break_it):
    import_content(content)
    # Good changes beside the bad file: none of them may be written.
    write_content(content, stem="Hydrocodone/APAP is in which schedule?", body="Changed text.")
    file, line = break_it(content)
    with pytest.raises(ImportFailed) as failed:
        import_content(content)
    assert [(p.file, p.line) for p in failed.value.problems] == [(file, line)]
    db.session.expire_all()
    module = db.session.scalar(select(Module))
    assert "five schedules" in module.markdown and module.version == 1
    assert (count(Module), count(ModuleRevision), count(QuestionVersion)) == (1, 0, 2)
    assert db.session.scalar(select(Course.version)) == 1


def test_an_error_while_writing_leaves_nothing_half_written(app, content, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("trainer.services.content_import.save_course_source", fail)
    with pytest.raises(RuntimeError):
        import_content(content)
    assert (count(Question), count(Quiz), count(Course)) == (0, 0, 0)


def test_check_only_validates_without_writing(app, content):
    report = import_content(content, check_only=True)
    assert report.checked_only and count(Question) == 0
    assert report.lines() == ["questions: 2 valid", "quizzes: 1 valid", "courses: 1 valid"]


def test_the_import_command_reports_counts(runner, content):
    result = runner.invoke(args=["trainer", "import", str(content)])
    assert result.exit_code == 0, result.output
    assert "questions: 2 created" in result.output


def test_the_import_command_lists_problems_and_says_nothing_changed(runner, content):
    write_content(content, course=COURSE.replace('topic: "03"', 'topic: "99"'))
    result = runner.invoke(args=["trainer", "import", str(content)])
    assert result.exit_code != 0
    assert "course.yaml:" in result.output and "nothing was changed" in result.output


def test_the_check_flag_writes_nothing(runner, content):
    result = runner.invoke(args=["trainer", "import", str(content), "--check"])
    assert result.exit_code == 0 and "nothing written" in result.output
    assert count(Question) == 0


def test_export_writes_files_that_import_back_the_same(app, content, tmp_path):
    import_content(content)
    out = tmp_path / "exported"
    export_content(out)
    original = load_bank_dir(content / "question_bank")
    exported = load_bank_dir(out / "question_bank")
    assert exported.questions == original.questions
    assert exported.quizzes.keys() == original.quizzes.keys()
    assert load_courses(out / "courses", {}) == load_courses(content / "courses", {})


def test_a_draft_written_in_the_browser_exports_to_files_that_import_again(app, content, tmp_path):
    from tests.factories.course_authoring import make_course, make_module

    import_content(content)
    make_module(make_course("browser-draft", status="draft"))  # no post-test chosen yet
    make_course("browser-empty", status="draft")  # no module yet
    out = tmp_path / "exported"
    export_content(out, outlines_from=content)
    assert "quiz: null" in (out / "courses" / "browser-draft" / "course.yaml").read_text()
    import_content(out)
    drafts = db.session.scalars(select(Course).where(Course.status == "draft").order_by(Course.slug)).all()
    assert [(c.slug, c.post_test_quiz_id, len(c.modules)) for c in drafts] == [
        ("browser-draft", None, 1), ("browser-empty", None, 0)]


@pytest.mark.shipped_content
def test_the_shipped_content_imports_cleanly_and_idempotently(app, shipped_import):
    # The first import, into an empty database, is the one this test process ran once (conftest.py).
    first = re.search(r"questions: (\d+) created", shipped_import.output)
    second = import_content(ROOT)
    assert first and int(first.group(1)) >= 200, shipped_import.output
    assert set(second.counts["questions"]) == {"unchanged"}
    assert set(second.counts["courses"]) == {"unchanged"}


@pytest.mark.shipped_content
def test_every_shipped_module_has_a_post_test_and_sources(app):
    courses = db.session.scalars(select(Course)).all()
    assert len(courses) >= 5
    for course in courses:
        assert course.post_test_quiz_id is not None, course.slug
        assert len(course.modules) >= 4, course.slug
        for module in course.modules:
            assert module.references and module.checks, f"{course.slug}/{module.slug}"


def _dedent(text: str) -> str:
    return textwrap.dedent(text)
