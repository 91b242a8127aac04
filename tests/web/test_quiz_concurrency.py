"""Two submits of one attempt at the same moment, on two real connections, count once.

This test commits for real (two transactions must see each other), so it builds its
own rows with names no other test uses and deletes them afterwards.
"""

from __future__ import annotations

import threading

from sqlalchemy import delete, select, update

from tests.factories.quizzes import make_question, quiz_of
from trainer.database import writing
from trainer.extensions import db
from trainer.models import Attempt, Question, QuestionVersion, Quiz, User
from trainer.services import accounts, quizzes


def _cleanup(app, user_id, quiz_id, question_uid):
    with app.app_context(), writing():
        db.session.execute(delete(Attempt).where(Attempt.user_id == user_id))
        db.session.execute(delete(Quiz).where(Quiz.id == quiz_id))
        question_id = db.session.scalar(select(Question.id).where(Question.uid == question_uid))
        db.session.execute(update(Question).where(Question.id == question_id).values(current_version_id=None))
        db.session.execute(delete(QuestionVersion).where(QuestionVersion.question_id == question_id))
        db.session.execute(delete(Question).where(Question.id == question_id))
        db.session.execute(delete(User).where(User.id == user_id))
        db.session.commit()


def test_two_submits_at_once_close_the_attempt_once(make_app):
    app = make_app()
    uid = "concurrency-submit-q"
    with app.app_context(), writing():
        user = accounts.create_user("concurrent@example.org", "Concurrent", "correct horse battery")
        db.session.flush()
        quiz = quiz_of([make_question(uid, "true_false")], "concurrency-submit")
        attempt = quizzes.start_attempt(user, quiz)
        db.session.commit()
        ids = (user.id, quiz.id, attempt.id)
    user_id, quiz_id, attempt_id = ids
    first_has_lock = threading.Event()
    outcomes: dict[str, bool] = {}
    errors: list[BaseException] = []

    def submit(name: str, hold: bool):
        try:
            if not hold:
                # touch nothing before the first holds the row: on SQLite even reading the
                # user begins a write transaction (BEGIN IMMEDIATE), which could win the race
                first_has_lock.wait(5)
            with app.app_context(), writing():
                learner = db.session.get(User, user_id)
                locked = quizzes.learner_attempt(attempt_id, learner, lock=True)
                if hold:
                    first_has_lock.set()
                    threading.Event().wait(0.4)  # the other submit arrives while this one holds the row
                outcomes[name] = quizzes.submit_attempt(locked)
                db.session.commit()
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
            first_has_lock.set()

    try:
        threads = [threading.Thread(target=submit, args=("first", True)),
                   threading.Thread(target=submit, args=("second", False))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert errors == []
        assert outcomes == {"first": True, "second": False}
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.status == "submitted" and attempt.max_score == 1
    finally:
        _cleanup(app, user_id, quiz_id, uid)
