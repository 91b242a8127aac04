"""`flask trainer seed-load`: a database filled in bulk for the load bench, at any scale."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.bank import make_question
from tests.factories.courses import make_course
from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, ModuleProgress, Quiz, QuizItem, User
from trainer.services import accounts
from trainer.services.seed_load import EMAIL, LoadPlan, SeedRefused, seed_load

PASSWORD = "seeded learners' password"  # noqa: S105 - test data
SMALL = LoadPlan(users=12, quizzes=3, answers=60, questions_per_quiz=4, modules_per_user=2)


@pytest.fixture
def bank(app):
    for n in range(6):
        make_question(f"seed-q-{n}")
    make_course("seeded-course", modules=3)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_plan_is_written_in_full(bank):
    written = seed_load(SMALL, PASSWORD)
    assert written == {"users": 12, "quizzes": 3, "quiz items": 12, "attempts": 15, "answers": 60,
                       "module progress": 24}
    assert count(User, User.email.like("load-%")) == 12
    assert count(Quiz, Quiz.slug.like("load-quiz-%")) == 3
    assert count(QuizItem) >= 12
    assert count(ModuleProgress) == 24


def test_every_seeded_attempt_has_one_answer_a_question(bank):
    seed_load(SMALL, PASSWORD)
    per_attempt = db.session.execute(
        select(AttemptItem.attempt_id, func.count()).group_by(AttemptItem.attempt_id)
    ).all()
    assert len(per_attempt) == 15 and {n for _, n in per_attempt} == {4}


def test_submitted_attempts_carry_their_scores(bank):
    seed_load(SMALL, PASSWORD)
    for attempt in db.session.scalars(select(Attempt).where(Attempt.status == "submitted")):
        assert attempt.max_score == 4
        assert attempt.score == sum(item.score for item in attempt.items)
        assert attempt.passed == (attempt.percent >= 80)


def test_seeded_learners_log_in_with_the_given_password(bank, client):
    seed_load(SMALL, PASSWORD)
    learner = accounts.find_user_by_email(EMAIL.format(n=12))
    assert accounts.verify_password(learner, PASSWORD)
    response = client.post("/login", data={"email": EMAIL.format(n=1), "password": PASSWORD})
    assert response.status_code == 302


def test_rows_added_after_seeding_get_new_ids(bank, user_factory):
    seed_load(SMALL, PASSWORD)
    highest = db.session.scalar(select(func.max(User.id)))
    assert user_factory().id > highest


def test_a_seeded_database_is_not_seeded_twice(bank):
    seed_load(SMALL, PASSWORD)
    with pytest.raises(SeedRefused, match="seeded already"):
        seed_load(SMALL, PASSWORD)


def test_a_bank_too_small_for_the_quizzes_is_refused(app):
    make_question("only-one")
    with pytest.raises(SeedRefused, match="published questions"):
        seed_load(SMALL, PASSWORD)


def test_the_scale_keeps_the_shape():
    plan = LoadPlan().scaled(0.01)
    assert (plan.users, plan.quizzes, plan.answers) == (1_000, 20, 50_000)
    assert plan.attempts == 2_500


def test_the_command_reports_rows_time_and_size(bank, runner):
    result = runner.invoke(args=["trainer", "seed-load", "--users", "5", "--quizzes", "1",
                                 "--answers", "40", "--questions-per-quiz", "4", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Wrote 5 users, 1 quizzes" in result.output
    assert "the database is now" in result.output and "MiB" in result.output
    assert EMAIL.format(n=1) in result.output
