"""Courses as learners meet them: published courses with modules, knowledge-check
questions from the bank, a post-test quiz, and post-test attempts.

Modules are rendered, stored and indexed by trainer.services.courses (the code the import and
the editor use); questions and quizzes are saved by trainer.services.questions. Rows are committed:
the test's transaction is rolled back afterwards.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from trainer.extensions import db
from trainer.models import Attempt, Course, Module, Quiz, utcnow
from trainer.services import knowledge_checks
from trainer.services.courses import apply_module_text
from trainer.services.questions import save_question, save_quiz
from trainer.services.search import index_module

EXPLANATION = "Bid comes from the Latin bis in die: twice a day."
RIGHT_FEEDBACK = "Yes: two doses, about twelve hours apart."
WRONG_FEEDBACK = "That would be tid, three times a day."


def check_question_data(uid: str) -> dict:
    """A single-choice knowledge check in bank format (the right answer is "Twice a day")."""
    return {
        "id": uid,
        "type": "single_choice",
        "stem": "What does **bid** mean on a prescription?",
        "choices": [
            {"text": "Twice a day", "correct": True, "feedback": RIGHT_FEEDBACK},
            {"text": "Three times a day", "feedback": WRONG_FEEDBACK},
            {"text": "At bedtime"},
        ],
        "explanation": EXPLANATION,
        "tags": ["sig"],
        "difficulty": "easy",
    }


def make_question(uid: str, data: dict | None = None):
    """Save a bank question (default: a single-choice check) and return it."""
    question, _ = save_question(data or check_question_data(uid), source="tests")
    db.session.commit()
    return question


def module_markdown(number: int, checks: list[str], *, words: str = "") -> str:
    """A module body with two sections and a knowledge check directive per uid."""
    directives = "\n\n".join(f"[[check: {uid}]]" for uid in checks)
    return (
        f"# Module {number}\n\n"
        f"An introduction to part {number}. {words}\n\n"
        "## Reading the sig\n\n"
        "Take *1 tab po bid*: one tablet by mouth twice a day.\n\n"
        f"{directives}\n\n"
        "## Counting the days supply\n\n"
        "Divide the quantity by the daily dose.\n"
    )


def make_course(
    slug: str = "sig-codes",
    *,
    title: str = "Sig codes",
    modules: int = 3,
    checks_per_module: int = 1,
    status: str = "published",
    pass_mark: int = 80,
    quiz_pass_mark: int = 60,
    post_test: bool = True,
    ce_hours: str = "2",
    ce_topic: str = "04",
    audience: str = "both",
    uan: str | None = None,
    prerequisites: list[str] | None = None,
    module_words: str = "",
) -> Course:
    """A course with `modules` modules, each with its own knowledge checks, and a post-test.

    The post-test quiz has its own, lower pass mark (`quiz_pass_mark`), so tests can tell
    the course's pass mark from the quiz's.
    """
    quiz = None
    if post_test:
        # A CE post-test draws from a pool twice the size of what it shows (trainer.ce.post_test).
        for number in (1, 2):
            data = check_question_data(f"{slug}-pt-0{number}")
            make_question(data["id"], {**data, "tags": [f"post-test-{slug}"]})
        quiz, _ = save_quiz({
            "slug": f"{slug}-post-test", "title": f"{title} post-test", "pass_mark": quiz_pass_mark,
            "items": [{"draw": 1, "tags": [f"post-test-{slug}"]}],
        }, source="tests")
    course = Course(
        slug=slug, title=title, status=status, summary=f"All about {title.lower()}.",
        summary_html=f"<p>All about {title.lower()}.</p>", audience=audience,
        ce_hours=Decimal(ce_hours), ce_topic=ce_topic, activity_type="knowledge", uan=uan,
        post_test_quiz_id=quiz.id if quiz else None, pass_mark=pass_mark,
        prerequisites=list(prerequisites or []), references=["ISMP error-prone abbreviations"],
        version=1,
    )
    db.session.add(course)
    db.session.flush()
    for number in range(1, modules + 1):
        uids = [f"{slug}-kc-{number}-{n}" for n in range(1, checks_per_module + 1)]
        for uid in uids:
            make_question(uid)
        add_module(course, number, uids, words=module_words)
    db.session.commit()
    return course


def add_module(course: Course, number: int, checks: list[str], *, words: str = "") -> Module:
    """Append a module, rendered and indexed as the import and the editor do."""
    module = Module(course_id=course.id, slug=f"module-{number}", position=number - 1, version=1)
    db.session.add(module)
    apply_module_text(
        module, title=f"Module {number}", objectives=[f"Explain part {number}"], minutes=10,
        references=["USP <17>"], markdown=module_markdown(number, checks, words=words),
    )
    db.session.flush()
    index_module(module)
    return module


def modules_of(course: Course) -> list[Module]:
    """The course's modules, freshly loaded, in order."""
    db.session.expire_all()
    return list(db.session.get(Course, course.id).modules)


def right_choice(item) -> str:
    """The shown id of the correct choice of a single-choice item."""
    return item.instance["key"]


def wrong_choice(item) -> str:
    """A shown id of an incorrect choice."""
    return next(c["id"] for c in item.instance["choices"] if c["id"] != item.instance["key"])


def answer_checks(user, module: Module, *, correct: bool = True) -> None:
    """Answer every knowledge check of a module, through the quiz engine."""
    for uid in module.checks:
        item = knowledge_checks.module_check_item(user, module, uid)
        knowledge_checks.answer_module_check(user, module, uid, right_choice(item) if correct else wrong_choice(item))
    db.session.commit()


def post_test_attempt(user, course: Course, percent: float, *, minutes_ago: int = 5) -> Attempt:
    """A submitted post-test attempt with the given percent (passed by the quiz's own mark)."""
    quiz = db.session.get(Quiz, course.post_test_quiz_id)
    submitted = utcnow() - timedelta(minutes=minutes_ago)
    attempt = Attempt(
        user_id=user.id, kind="quiz", quiz_id=quiz.id, status="submitted", seed=1,
        settings=quiz.settings(), started_at=submitted - timedelta(minutes=10), submitted_at=submitted,
        score=Decimal(str(percent)) / 100, max_score=Decimal(1), percent=Decimal(str(percent)),
        passed=percent >= quiz.pass_mark,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt
