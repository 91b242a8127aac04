"""`flask trainer regrade QUESTION_ID`: preview first, then regrade stored answers and log it."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from tests.factories.quizzes import fresh, make_question, make_questions, question_data, quiz_of
from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, AuditEvent, Regrade
from trainer.services import quizzes, regrades
from trainer.services.questions import save_question

WRONG_KEY = [
    {"text": "Schedule II"}, {"text": "Schedule III", "correct": True}, {"text": "Schedule IV"}, {"text": "Schedule V"},
]


@pytest.fixture
def mis_keyed(app, user_factory):
    """A quiz whose question had the wrong key; one learner gave the truly right answer, one the old key."""
    question = make_question("law-hydrocodone", "single_choice", choices=copy.deepcopy(WRONG_KEY))
    other = make_questions(types=("true_false",))["true_false"]
    quiz = quiz_of([question, other], "law", pass_mark=100)
    attempts = []
    for answer in ("Schedule II", "Schedule III"):
        learner = user_factory()
        attempt = quizzes.start_attempt(learner, quiz)
        first = attempt.items[0]
        quizzes.save_answer(attempt, 0, next(c["id"] for c in first.instance["choices"] if c["text"] == answer))
        quizzes.save_answer(attempt, 1, False)
        quizzes.submit_attempt(attempt)
        attempts.append(attempt)
    db.session.commit()
    fixed = question_data("law-hydrocodone", "single_choice")  # the factory's choices: Schedule II is right
    save_question(fixed, source="tests", note="key fixed")
    db.session.commit()
    return question, attempts


def test_the_preview_lists_the_changes_and_writes_nothing_unless_confirmed(runner, mis_keyed):
    question, (right, wrong) = mis_keyed
    assert (right.percent, wrong.percent) == (50, 100)
    result = runner.invoke(args=["trainer", "regrade", question.uid], input="n\n")
    assert result.exit_code == 0, result.output
    assert right.user.email in result.output and "1/2 (50%) → 2/2 (100%), now passed" in result.output
    assert wrong.user.email in result.output and "2/2 (100%) → 1/2 (50%), now not passed" in result.output
    assert "Nothing was changed." in result.output
    assert fresh(Attempt, right.id).percent == 50 and fresh(Attempt, wrong.id).passed is True
    assert db.session.scalars(select(Regrade)).all() == []


def test_regrade_with_yes_rescores_and_logs_it(runner, mis_keyed):
    question, (right, wrong) = mis_keyed
    result = runner.invoke(args=["trainer", "regrade", question.uid, "--yes"])
    assert result.exit_code == 0, result.output
    after_right, after_wrong = fresh(Attempt, right.id), fresh(Attempt, wrong.id)
    assert (after_right.percent, after_right.passed) == (100, True)
    assert (after_wrong.percent, after_wrong.passed) == (50, False)
    item = after_right.items[0]
    assert item.correct is True and item.question_version_id == question.current_version_id
    assert item.instance["seed"] == right.items[0].instance["seed"]
    regrade = db.session.scalars(select(Regrade)).one()
    assert regrade.question_id == question.id and regrade.to_version_id == question.current_version_id
    assert {(c["attempt_id"], c["old_score"], c["new_score"]) for c in regrade.changes} == {
        (right.id, "0.0000", "1.0000"), (wrong.id, "1.0000", "0.0000")
    }
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question_regraded")).one()
    assert event.subject == question.uid and event.details["items_changed"] == 2


def test_regrading_after_confirming_at_the_prompt_writes(runner, mis_keyed):
    question, (right, _) = mis_keyed
    result = runner.invoke(args=["trainer", "regrade", question.uid], input="y\n")
    assert result.exit_code == 0 and "Regraded 2 item(s)" in result.output
    assert fresh(Attempt, right.id).percent == 100


def test_regrade_rebuilds_calculated_items_with_their_own_seed(app, user_factory):
    question = make_question("calc-regrade", "calculated")
    quiz = quiz_of([question], "calc")
    attempt = quizzes.start_attempt(user_factory(), quiz)
    before = copy.deepcopy(attempt.items[0].instance)
    quizzes.save_answer(attempt, 0, before["answer_text"])
    quizzes.submit_attempt(attempt)
    make_question("calc-regrade", "calculated", tolerance=0.1)
    plan = regrades.plan_regrade(question)
    assert plan.shown_differently == 0 and plan.changed_items == []
    regrades.apply_regrade(plan)
    item = db.session.get(AttemptItem, attempt.items[0].id)
    assert item.instance["values"] == before["values"] and item.instance["tolerance"] != before["tolerance"]
    assert item.correct is True


def test_an_unknown_question_is_reported(runner, app):
    result = runner.invoke(args=["trainer", "regrade", "no-such-question", "--yes"])
    assert result.exit_code != 0 and "no question has the id no-such-question" in result.output


def test_a_question_nobody_answered_has_nothing_to_regrade(runner, app):
    make_question("unused-q", "true_false")
    result = runner.invoke(args=["trainer", "regrade", "unused-q", "--yes"])
    assert result.exit_code == 0 and "Nothing to regrade" in result.output
