"""Regrading after a key fix reaches readiness too: mastery evidence is rescored, mock exam items
are rebuilt with four options, and a pretest item still never counts."""

from __future__ import annotations

import copy

from sqlalchemy import select

from tests.factories.quizzes import key_response, make_question, question_data, quiz_of
from tests.factories.readiness import FULL_PTCE, exam_bank
from trainer.extensions import db
from trainer.models import AreaMastery, MasteryEvidence, utcnow
from trainer.services import mock_exams, quizzes, regrades
from trainer.services.questions import save_question

NOW = utcnow().replace(microsecond=0)
WRONG_KEY = [
    {"text": "Schedule II"}, {"text": "Schedule III", "correct": True}, {"text": "Schedule IV"}, {"text": "Schedule V"},
]


def test_a_regrade_rescores_the_evidence_and_the_mastery(app, user_factory):
    question = make_question("rg-hydrocodone", "single_choice", choices=copy.deepcopy(WRONG_KEY))
    learner = user_factory()
    attempt = quizzes.start_attempt(learner, quiz_of([question], "rg"), now=NOW)
    item = attempt.items[0]
    quizzes.save_answer(attempt, 0, next(c["id"] for c in item.instance["choices"] if c["text"] == "Schedule II"), now=NOW)
    quizzes.submit_attempt(attempt, now=NOW)
    db.session.commit()
    assert db.session.get(AreaMastery, (learner.id, "ptce-2020:2.2")).wrong == 1
    save_question(question_data("rg-hydrocodone", "single_choice"), source="tests", note="key fixed")
    regrades.apply_regrade(regrades.plan_regrade(question), now=NOW)
    db.session.commit()
    db.session.expire_all()
    evidence = db.session.scalar(select(MasteryEvidence).where(MasteryEvidence.attempt_item_id == item.id))
    assert evidence.score == 1
    row = db.session.get(AreaMastery, (learner.id, "ptce-2020:2.2"))
    assert (row.right, row.wrong) == (1, 0)


def test_a_mock_exam_item_is_rebuilt_with_four_options_and_its_own_numbers(app, user_factory):
    exam_bank(FULL_PTCE, calculated_in="4")
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=NOW, seed=4)
    quizzes.submit_attempt(attempt, now=NOW)
    db.session.commit()
    item = next(i for i in attempt.items if i.instance.get("asked_as") == "calculated")
    plan = regrades.plan_regrade(item.question)
    rebuilt = next(entry for entry in plan.items if entry.item.id == item.id)
    assert rebuilt.instance == item.instance
    assert not plan.unbuildable


def test_a_regrade_never_counts_a_pretest_item(app, user_factory):
    exam_bank(FULL_PTCE)
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=NOW, seed=9)
    pretest = next(i for i in attempt.items if not i.scored)
    quizzes.save_answer(attempt, pretest.position, key_response(pretest.instance), now=NOW)
    quizzes.submit_attempt(attempt, now=NOW)
    db.session.commit()
    assert pretest.correct and attempt.score == 0
    plan = regrades.plan_regrade(pretest.question)
    change = next(c for c in plan.attempts if c.attempt.id == attempt.id)
    assert change.new_score == 0 and attempt.max_score == 80
