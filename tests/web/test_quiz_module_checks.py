"""Knowledge checks inside course modules: one attempt per learner and module, one seeded item
per check question, graded on answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories.quizzes import key_response, make_questions, wrong_response
from trainer.extensions import db
from trainer.models import Attempt, Course, Module
from trainer.services import knowledge_checks
from trainer.services.attempts import item_seed, public_view


@pytest.fixture
def module(app):
    questions = make_questions(types=("single_choice", "calculated", "true_false"))
    course = Course(slug="calc-basics", title="Calculation basics")
    db.session.add(course)
    db.session.flush()
    module = Module(course_id=course.id, slug="dose-volume", position=1, title="Dose volume",
                    checks=[q.uid for q in questions.values()])
    db.session.add(module)
    db.session.commit()
    return module


def test_the_first_view_makes_a_seeded_item_in_the_learners_module_check_attempt(module, user_factory):
    learner = user_factory()
    item = knowledge_checks.module_check_item(learner, module, "qt-calculated")
    attempt = item.attempt
    assert (attempt.kind, attempt.module_id, attempt.quiz_id, attempt.user_id) == (
        "module_check", module.id, None, learner.id
    )
    assert item.instance["seed"] == item_seed(attempt.seed, item.position)
    assert "answer" not in public_view(item) and "steps" not in public_view(item)
    assert knowledge_checks.module_check_item(learner, module, "qt-calculated").id == item.id


def test_each_check_gets_its_own_item_in_one_attempt(module, user_factory):
    learner = user_factory()
    items = [knowledge_checks.module_check_item(learner, module, uid) for uid in module.checks]
    assert len({item.attempt_id for item in items}) == 1
    assert sorted(item.position for item in items) == [0, 1, 2]
    assert set(knowledge_checks.module_check_items(learner, module)) == set(module.checks)


def test_learners_get_their_own_attempts(module, user_factory):
    one, two = user_factory(), user_factory()
    assert knowledge_checks.module_check_item(one, module, "qt-true-false").attempt_id != \
        knowledge_checks.module_check_item(two, module, "qt-true-false").attempt_id


def test_an_answer_is_graded_and_stored(module, user_factory):
    learner = user_factory()
    instance = knowledge_checks.module_check_item(learner, module, "qt-single-choice").instance
    item, result = knowledge_checks.answer_module_check(learner, module, "qt-single-choice", wrong_response(instance))
    assert result.correct is False and item.correct is False and item.graded_at is not None
    item, result = knowledge_checks.answer_module_check(learner, module, "qt-single-choice", key_response(instance))
    assert result.correct is True and result.score == 1 and item.score == 1
    assert item.attempt.score == 1 and item.attempt.passed is None


def test_a_blank_answer_is_not_stored(module, user_factory):
    learner = user_factory()
    item, result = knowledge_checks.answer_module_check(learner, module, "qt-true-false", "  ")
    assert result.correct is False and "blank" in result.flags
    assert item.graded_at is None and item.response is None


def test_a_question_that_is_not_a_check_of_the_module_is_refused(module, user_factory):
    with pytest.raises(LookupError):
        knowledge_checks.module_check_item(user_factory(), module, "some-other-question")


def test_answered_checks_reports_per_module_in_one_query(module, user_factory, count_queries):
    learner = user_factory()
    instance = knowledge_checks.module_check_item(learner, module, "qt-true-false").instance
    knowledge_checks.answer_module_check(learner, module, "qt-true-false", key_response(instance))
    knowledge_checks.module_check_item(learner, module, "qt-calculated")  # seen, not answered
    db.session.commit()
    module_id, _ = module.id, learner.id  # loaded now, so only the call below is counted
    with count_queries() as queries:
        answered = knowledge_checks.answered_checks(learner, [module_id, 999])
    assert answered == {module_id: {"qt-true-false"}, 999: set()} and len(queries) == 1
    assert knowledge_checks.answered_checks(user_factory(), [module.id]) == {module.id: set()}


def test_module_checks_are_answered_once_every_check_is(module, user_factory):
    learner = user_factory()
    assert knowledge_checks.module_checks_answered(learner, module) is False
    for uid in module.checks:
        instance = knowledge_checks.module_check_item(learner, module, uid).instance
        knowledge_checks.answer_module_check(learner, module, uid, wrong_response(instance))
        assert knowledge_checks.module_checks_answered(learner, module) is (uid == module.checks[-1])
    attempts = db.session.scalars(select(Attempt).where(Attempt.kind == "module_check")).all()
    assert len(attempts) == 1


def test_a_module_without_checks_counts_as_answered(module, user_factory):
    module.checks = []
    assert knowledge_checks.module_checks_answered(user_factory(), module) is True


def test_module_check_attempts_stay_out_of_the_quiz_pages(client, auth, module):
    learner = auth.login()
    item = knowledge_checks.module_check_item(learner, module, "qt-true-false")
    db.session.commit()
    assert client.get(f"/quizzes/attempts/{item.attempt_id}").status_code == 404
