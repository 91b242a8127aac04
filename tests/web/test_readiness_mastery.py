"""Mastery evidence from every source: quizzes at submit, checked answers, knowledge checks,
the simulator's hook; running sums that equal the log; regrades; the missed-question queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories.courses import check_question_data, make_course, modules_of
from tests.factories.courses import make_question as make_check_question
from tests.factories.quizzes import key_response, quiz_of, wrong_response
from tests.factories.readiness import graded_quiz, tagged_question
from trainer.extensions import db
from trainer.models import AreaMastery, MasteryEvidence, MissedQuestion, utcnow
from trainer.services import knowledge_checks, mastery, missed_questions, quizzes, readiness
from trainer.services.mastery import Evidence, record_evidence

NOW = utcnow().replace(microsecond=0)
DAY = timedelta(days=1)


def sums(user) -> dict[str, tuple[float, float, int]]:
    db.session.expire_all()
    return {
        row.code: (round(row.right, 6), round(row.wrong, 6), row.items)
        for row in db.session.scalars(select(AreaMastery).where(AreaMastery.user_id == user.id))
    }


@pytest.fixture
def questions(app):
    return [tagged_question(f"mq-{n}", "ptce-2020:4.2", "ptce-2026:4") for n in range(3)]


def test_a_submitted_quiz_counts_each_answer_for_its_area_domain_and_crosswalk(questions, user_factory):
    learner = user_factory()
    graded_quiz(learner, questions, right=[True, True, False], now=NOW)
    # two right, one wrong, all today: right 2, wrong 1 for every code the questions count for
    assert sums(learner) == {
        "ptce-2020:4.2": (2, 1, 3), "ptce-2020:4": (2, 1, 3), "ptce-2026:4": (2, 1, 3), "excpt:3": (2, 1, 3),
    }


def test_older_answers_weigh_less_when_new_ones_arrive(questions, user_factory):
    learner = user_factory()
    graded_quiz(learner, questions[:1], right=[False], now=NOW - 30 * DAY, slug="old")
    graded_quiz(learner, questions[1:2], right=[True], now=NOW, slug="new")
    # the month-old miss is halved when today's right answer is added: right 1, wrong 0.5
    assert sums(learner)["ptce-2020:4.2"] == (1, 0.5, 2)


def test_an_unanswered_item_is_not_evidence(questions, user_factory):
    learner = user_factory()
    attempt = quizzes.start_attempt(learner, quiz_of(questions[:2], "blank"), now=NOW)
    quizzes.save_answer(attempt, 0, key_response(attempt.items[0].instance), now=NOW)
    quizzes.submit_attempt(attempt, now=NOW)
    assert sums(learner)["ptce-2020:4.2"] == (1, 0, 1)


def test_a_checked_answer_counts_once_not_again_at_submit(questions, user_factory):
    learner = user_factory()
    attempt = quizzes.start_attempt(learner, quiz_of(questions[:1], "check", feedback="immediate"), now=NOW)
    quizzes.save_answer(attempt, 0, wrong_response(attempt.items[0].instance), now=NOW, check=True)
    quizzes.submit_attempt(attempt, now=NOW)
    assert sums(learner)["ptce-2020:4.2"] == (0, 1, 1)


def test_an_attempt_closed_by_its_deadline_counts_the_answers_saved(questions, user_factory):
    learner = user_factory()
    attempt = quizzes.start_attempt(learner, quiz_of(questions[:2], "timed", time_limit_minutes=10), now=NOW)
    quizzes.save_answer(attempt, 0, key_response(attempt.items[0].instance), now=NOW)
    quizzes.close_if_overdue(attempt, NOW + timedelta(minutes=11))
    assert attempt.status == "expired"
    assert sums(learner)["ptce-2020:4.2"] == (1, 0, 1)


def test_a_knowledge_check_answer_is_evidence(app, user_factory):
    module = modules_of(make_course("mastery-course", modules=1))[0]
    learner = user_factory()
    uid = module.checks[0]
    make_check_question(uid, {**check_question_data(uid), "blueprint": ["ptce-2020:4.2"]})
    item = knowledge_checks.module_check_item(learner, module, uid)
    knowledge_checks.answer_module_check(learner, module, uid, key_response(item.instance), now=NOW)
    row = db.session.scalar(select(MasteryEvidence).where(MasteryEvidence.user_id == learner.id))
    assert row.source == "module_check" and row.score == 1


def test_the_simulator_hook_records_a_scenario_result(app, user_factory):
    learner = user_factory()
    record_evidence(learner.id, [Evidence(codes=("ptce-2020:2.2",), score=0.5, occurred_at=NOW,
                                          source="scenario", reference="scenario:early-refill")])
    assert sums(learner) == {"ptce-2020:2.2": (0.5, 0.5, 1), "ptce-2020:2": (0.5, 0.5, 1), "excpt:1": (0.5, 0.5, 1)}
    logged = db.session.scalar(select(MasteryEvidence).where(MasteryEvidence.user_id == learner.id))
    assert logged.reference == "scenario:early-refill"


def test_a_flashcard_counts_half_as_much_as_an_exam_item(app, user_factory):
    learner = user_factory()
    record_evidence(learner.id, [Evidence(codes=("ptce-2020:3.2",), score=1, occurred_at=NOW, source="flashcard")])
    assert sums(learner)["ptce-2020:3.2"] == (0.5, 0, 1)


def test_evidence_without_codes_is_ignored(app, user_factory):
    learner = user_factory()
    assert record_evidence(learner.id, [Evidence(codes=(), score=1, occurred_at=NOW, source="quiz")]) == []


def test_rebuilding_from_the_log_gives_the_running_sums(questions, user_factory):
    learner = user_factory()
    graded_quiz(learner, questions[:2], right=[True, False], now=NOW - 10 * DAY, slug="a")
    graded_quiz(learner, questions[2:], right=[True], now=NOW, slug="b")
    before = sums(learner)
    assert mastery.rebuild_mastery(learner.id) == 3
    assert sums(learner) == before


def test_a_wrong_answer_queues_the_question_and_it_is_due_a_day_later(questions, user_factory):
    learner = user_factory()
    graded_quiz(learner, questions, right=[True, False, False], now=NOW)
    assert missed_questions.due_count(learner.id, NOW) == 0
    assert missed_questions.due_count(learner.id, NOW + DAY) == 2
    assert set(missed_questions.due_questions(learner.id, NOW + DAY, 10)) == {questions[1].id, questions[2].id}


def test_two_right_answers_when_due_clear_a_missed_question(questions, user_factory):
    learner = user_factory()
    graded_quiz(learner, questions[:1], right=[False], now=NOW, slug="miss")
    graded_quiz(learner, questions[:1], right=[True], now=NOW + DAY, slug="first")
    row = db.session.get(MissedQuestion, (learner.id, questions[0].id))
    assert (row.right, row.cleared, row.due_at) == (1, False, NOW + 4 * DAY)
    graded_quiz(learner, questions[:1], right=[True], now=NOW + 4 * DAY, slug="second")
    db.session.refresh(row)
    assert row.cleared
    assert missed_questions.queue_summary(learner.id, NOW + 30 * DAY) == {
        "due": 0, "waiting": 0, "cleared": 1, "next_due": None,
    }


def test_an_exam_goal_is_checked_and_kept(app, user_factory):
    learner = user_factory()
    today = NOW.date()
    assert readiness.set_goal(learner.id, "nope", today - DAY, today) == [
        ("outline", "Choose one of the exams listed."), ("exam_date", "Give a date after today."),
    ]
    assert readiness.set_goal(learner.id, "excpt", today + 20 * DAY, today) == []
    goal = readiness.goal_of(learner.id, today)
    assert (goal.outline.code, goal.exam_date, goal.chosen) == ("excpt", today + 20 * DAY, True)


def test_without_a_goal_the_ptce_outline_in_force_is_used(app, user_factory):
    goal = readiness.goal_of(user_factory().id, NOW.date().replace(year=2026, month=6))
    assert goal.outline.code == "ptce-2026" and not goal.chosen


def test_an_essay_counts_when_an_instructor_grades_it_and_a_description_never(app, user_factory):
    from decimal import Decimal

    from trainer.services.grading import grade_by_hand
    from trainer.services.questions import save_question

    common = {"tags": ["t"], "difficulty": "medium", "blueprint": ["ptce-2020:1.7"], "references": ["tests"]}
    description, _ = save_question({"id": "rd-case", "type": "description", "stem": "A prescription.", **common},
                                   source="tests")
    essay, _ = save_question({"id": "rd-essay", "type": "essay", "stem": "Why refrigerate it?",
                              "rubric": "Potency.", "explanation": "It keeps 14 days cold.", **common},
                             source="tests")
    learner, instructor = user_factory(), user_factory(role="instructor")
    attempt = quizzes.start_attempt(learner, quiz_of([description, essay], "essay-mastery"), now=NOW)
    quizzes.save_answer(attempt, 1, "It loses potency.", now=NOW)
    quizzes.submit_attempt(attempt, now=NOW)
    assert sums(learner) == {}  # the essay awaits its grader; the description is no question
    grade_by_hand(attempt.items[1], Decimal(50), "Half of it.", grader=instructor)
    assert sums(learner)["ptce-2020:1.7"] == (0.5, 0.5, 1)
    grade_by_hand(attempt.items[1], Decimal(100), "All of it.", grader=instructor)
    assert sums(learner)["ptce-2020:1.7"] == (1, 0, 1)
