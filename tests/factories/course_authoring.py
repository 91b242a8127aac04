"""Courses, modules, quizzes and bank questions for the course authoring tests.

Rows are made straight in the database (committed: the test's transaction is rolled
back afterwards), with module HTML rendered by the same code the editor uses.
"""

from __future__ import annotations

from decimal import Decimal

from trainer.extensions import db
from trainer.models import Course, Module, Question, Quiz
from trainer.services.courses import apply_module_text
from trainer.services.search import index_module

MODULE_TEXT = """# Reading the sig

A sig tells the patient how to take the medicine: *1 tab po bid* means one tablet by
mouth twice a day.

## Routes

Match the verb to the route: take, apply, instil, inhale.
"""


def make_question(uid: str = "kc-sig-01", title: str = "What does bid mean?") -> Question:
    """A bank question (only what the authoring pages read: its uid and title)."""
    question = Question(uid=uid, type="single_choice", status="published", title=title)
    db.session.add(question)
    db.session.commit()
    return question


def make_quiz(slug: str = "sig-post-test", title: str = "Sig codes post-test") -> Quiz:
    """A quiz that may close a course awarding CE: it draws 1 question from a pool of 2."""
    from tests.factories.courses import check_question_data
    from trainer.services.questions import save_question, save_quiz

    for number in (1, 2):
        data = check_question_data(f"{slug}-pool-{number}")
        save_question({**data, "tags": [f"pool-{slug}"]}, source="tests")
    quiz, _ = save_quiz({"slug": slug, "title": title, "items": [{"draw": 1, "tags": [f"pool-{slug}"]}]},
                        source="tests")
    db.session.commit()
    return quiz


def make_course(slug: str = "sig-codes", title: str = "Sig codes", status: str = "draft",
                **fields) -> Course:
    """A course with no modules."""
    values = {
        "summary": "Reading and writing **sig codes**.", "summary_html": "<p>Reading and writing "
        "<strong>sig codes</strong>.</p>", "audience": "both", "ce_hours": Decimal("1.5"),
        "ce_topic": "04", "activity_type": "knowledge", "pass_mark": 80, "prerequisites": [],
        "references": ["ISMP List of Error-Prone Abbreviations"], "version": 1,
    }
    values.update(fields)
    course = Course(slug=slug, title=title, status=status, **values)
    db.session.add(course)
    db.session.commit()
    return course


def make_module(course: Course, slug: str = "reading-the-sig", title: str = "Reading the sig",
                markdown: str = MODULE_TEXT, **fields) -> Module:
    """A module at the end of the course, rendered and indexed as the editor would."""
    position = max((m.position for m in course.modules), default=-1) + 1
    module = Module(slug=slug, position=position, version=fields.pop("version", 1))
    course.modules.append(module)
    apply_module_text(
        module, title=title, objectives=fields.get("objectives", ["Read a sig aloud"]),
        minutes=fields.get("minutes", 15), references=fields.get("references", ["USP <17>"]),
        markdown=markdown,
    )
    db.session.flush()
    index_module(module)
    db.session.commit()
    return module
