"""Seed the e2e database with a site in use, so the page audit reaches every kind of page.

Run by tests/e2e/conftest.py against the server's temporary database (never the real
instance): `python -m tests.e2e.seed_site STUDENT TECHNICIAN INSTRUCTOR ADMIN PASSWORD KEYBOARD_QUIZ`.
Three people who use the site as the issue's new users did, with the history that makes
their pages exist: a student with a submitted quiz (results and review), a quiz in
progress, a mock exam report and flashcards reviewed; a working technician with a CE
credential, CE entries and a course credit; an instructor with a cohort of both, an
assignment and grades. Everything goes through the services the pages use.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from trainer import create_app
from trainer.database import writing
from trainer.extensions import db


def main(student_email: str, technician_email: str, instructor_email: str, admin_email: str,
         password: str, keyboard_quiz: str) -> None:
    from tests.factories import ce as ce_factory
    from tests.factories.quizzes import key_response, wrong_response
    from tests.factories.teaching import assign, enrol, make_cohort
    from trainer.models import Course, utcnow
    from trainer.services import accounts, flashcards, mock_exams, quizzes
    from trainer.services.mastery import outlines
    from trainer.services.questions import save_quiz

    now = utcnow()
    # For test_keyboard.py: one question of each kind a learner answers with other keys.
    save_quiz({
        "slug": keyboard_quiz, "title": "E2E keyboard quiz", "pass_mark": 80,
        "description": "One question of each answer kind, answered with the keyboard alone.",
        "feedback": "deferred", "show_answers": "after_submit",
        "items": [{"draw": 1, "type": kind} for kind in (
            "single_choice", "true_false", "multiple_response", "calculated", "matching", "ordering")],
    }, source="tests/e2e")
    student = accounts.create_user(student_email, "Sam Student", password, role="learner",
                                   learner_type="student")
    technician = accounts.create_user(technician_email, "Terry Technician", password, role="learner",
                                      learner_type="technician")
    instructor = accounts.create_user(instructor_email, "Indira Instructor", password, role="instructor")
    accounts.create_user(admin_email, "Ada Admin", password, role="admin")
    db.session.commit()

    # The student: one quiz submitted half right (results, review), one left open (the attempt page).
    submitted = quizzes.start_attempt(student, quizzes.published_quiz("days-supply"), now=now - timedelta(days=2))
    for item in submitted.items:
        response = key_response(item.instance) if item.position % 2 == 0 else wrong_response(item.instance)
        quizzes.save_answer(submitted, item.position, response, now=now - timedelta(days=2))
    quizzes.submit_attempt(submitted, now=now - timedelta(days=2))
    quizzes.start_attempt(student, quizzes.published_quiz("calculations-1"), now=now)
    # A mock exam handed in unanswered: its report page.
    mock = mock_exams.start_mock_exam(student, next(iter(outlines())), now=now - timedelta(days=1))
    quizzes.submit_attempt(mock, now=now - timedelta(days=1))
    deck = flashcards.deck_by_slug("error-prone-abbreviations")
    if deck is not None:
        card, _ = flashcards.next_card(student, deck, now)
        flashcards.record_review(student, card, 3, now)
    db.session.commit()

    # The technician: a credential, CE done elsewhere, and a course's credit (certificate).
    ce_factory.credential(technician, expires=date.today() + timedelta(days=400))
    ce_factory.entry(technician, completed=date.today() - timedelta(days=30), today=date.today())
    course = db.session.execute(
        db.select(Course).where(Course.ce_hours > 0).order_by(Course.slug)).scalars().first()
    if course is not None:
        ce_factory.course_credit(technician, course)

    # The instructor: a cohort of both learners, with the submitted quiz assigned and graded.
    cohort = make_cohort(instructor, "Evening class")
    enrol(cohort, [student, technician])
    assign(cohort, "quiz", submitted.quiz_id)
    db.session.commit()


if __name__ == "__main__":
    app = create_app()
    with app.app_context(), writing():
        main(*sys.argv[1:7])
