"""Mock exams: forms drawn by the outline's weights, four options with fresh numbers, the clock
enforced by the server, pretest items that never count, shortages told rather than failed."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.factories.quizzes import key_response, wrong_response
from tests.factories.readiness import FULL_PTCE, answer_all, exam_bank, four_option_question
from trainer.extensions import db
from trainer.models import utcnow
from trainer.services import mock_exams, quizzes

START = utcnow().replace(microsecond=0)


@pytest.fixture
def full_bank(app):
    return exam_bank(FULL_PTCE)


def domains_of(attempt, scored=True):
    return Counter(
        attempt.settings["item_domains"][item.position] for item in attempt.items if item.scored is scored
    )


def test_a_ptce_2020_form_has_90_items_80_scored_by_the_weights(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START, seed=1)
    assert len(attempt.items) == 90
    assert domains_of(attempt) == {"1": 32, "2": 10, "3": 21, "4": 17}
    assert domains_of(attempt, scored=False) == {"1": 4, "2": 1, "3": 3, "4": 2}
    assert len({item.question_id for item in attempt.items}) == 90


def test_a_ptce_2026_form_follows_its_own_weights(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2026", now=START, seed=2)
    assert domains_of(attempt) == {"1": 28, "2": 15, "3": 19, "4": 18}
    assert attempt.settings["outline"] == "ptce-2026"


def test_the_ptce_clock_is_an_hour_and_fifty_minutes(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    assert attempt.deadline_at == START + timedelta(minutes=110)


def test_a_learner_may_choose_extra_time(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START, extra_time_percent=50)
    assert attempt.deadline_at == START + timedelta(minutes=165)
    with pytest.raises(quizzes.QuizUnavailable):
        mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START, extra_time_percent=30)


def test_an_excpt_form_counts_ptce_questions_through_the_crosswalk_and_runs_2_hours_10(app, user_factory):
    exam_bank({"1": 18, "2": 30, "3": 18, "4": 54})  # by PTCE domain: just enough
    attempt = mock_exams.start_mock_exam(user_factory(), "excpt", now=START, seed=3)
    assert attempt.deadline_at == START + timedelta(minutes=130)
    # ExCPT 1 Laws ← PTCE 2; 2 Drugs ← PTCE 1.1; 3 Dispensing ← PTCE 4; 4 Safety ← PTCE 3
    assert domains_of(attempt) == {"1": 25, "2": 15, "3": 45, "4": 15}
    assert sum(domains_of(attempt, scored=False).values()) == 20
    assert len(attempt.items) == 120


def test_every_item_is_asked_with_four_options(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    assert {item.instance["type"] for item in attempt.items} == {"single_choice"}
    assert {len(item.instance["choices"]) for item in attempt.items} == {4}


def test_calculated_items_come_as_four_options_with_fresh_numbers(app, user_factory):
    exam_bank({"1": 36, "2": 11, "3": 24, "4": 19}, calculated_in="4")
    learner = user_factory()
    first = mock_exams.start_mock_exam(learner, "ptce-2020", now=START, seed=10)
    calculated = [i for i in first.items if i.instance.get("asked_as") == "calculated"]
    assert len(calculated) == 19
    quizzes.submit_attempt(first, now=START)
    second = mock_exams.start_mock_exam(learner, "ptce-2020", now=START, seed=11)
    stems = lambda attempt: {i.question_id: i.instance["stem"] for i in attempt.items if i.instance.get("asked_as")}  # noqa: E731
    both = set(stems(first)) & set(stems(second))
    assert any(stems(first)[q] != stems(second)[q] for q in both)


def test_only_four_option_questions_are_drawn(app, user_factory):
    exam_bank({"1": 40, "2": 14, "3": 26, "4": 22})
    three = four_option_question("three-choices", "1")
    three.current_version.data = {**three.current_version.data, "choices": three.current_version.data["choices"][:3]}
    db.session.commit()
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    assert three.id not in {item.question_id for item in attempt.items}


def test_a_learner_resumes_their_open_mock_exam(full_bank, user_factory):
    learner = user_factory()
    first = mock_exams.start_mock_exam(learner, "ptce-2020", now=START)
    assert mock_exams.start_mock_exam(learner, "ptce-2026", now=START + timedelta(minutes=5)) is first


# ---- the clock ----------------------------------------------------------------------------------


def test_answers_are_saved_until_the_deadline_and_refused_after_it(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    quizzes.save_answer(attempt, 0, key_response(attempt.items[0].instance), now=START + timedelta(minutes=109))
    with pytest.raises(quizzes.AnswerRefused):
        quizzes.save_answer(attempt, 1, key_response(attempt.items[1].instance),
                            now=START + timedelta(minutes=110))
    assert attempt.status == "expired"
    assert attempt.submitted_at == START + timedelta(minutes=110)
    assert attempt.items[0].correct and attempt.items[1].response is None


def test_a_mock_exam_past_its_deadline_closes_when_next_seen(full_bank, user_factory):
    learner = user_factory()
    attempt = mock_exams.start_mock_exam(learner, "ptce-2020", now=START)
    later = mock_exams.start_mock_exam(learner, "ptce-2020", now=START + timedelta(hours=3))
    assert attempt.status == "expired" and later is not attempt


def test_mark_for_review_works_as_in_a_quiz(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    quizzes.set_flag(attempt, 4, True, now=START)
    assert [item.position for item in attempt.items if item.flagged] == [4]


# ---- pretest items never count ---------------------------------------------------------------------


def _score_with_pretest(user_factory, pretest_right: bool | None):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START, seed=77)
    answer_all(attempt, right=True, now=START, only=lambda item: item.scored and item.position % 3)
    answer_all(attempt, right=False, now=START, only=lambda item: item.scored and not item.position % 3)
    answer_all(attempt, right=pretest_right, now=START, only=lambda item: not item.scored)
    quizzes.submit_attempt(attempt, now=START + timedelta(minutes=30))
    return attempt


@pytest.mark.parametrize("pretest_right", [True, False, None])
def test_unscored_items_never_change_the_score(full_bank, user_factory, pretest_right):
    baseline = _score_with_pretest(user_factory, True)
    other = _score_with_pretest(user_factory, pretest_right)
    assert (other.score, other.max_score, other.percent) == (baseline.score, baseline.max_score, baseline.percent)
    assert other.max_score == 80


def test_the_score_report_counts_scored_items_by_domain(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START, seed=5)
    answer_all(attempt, right=True, now=START,
               only=lambda item: attempt.settings["item_domains"][item.position] == "1")
    quizzes.submit_attempt(attempt, now=START)
    report = mock_exams.score_report(attempt)
    assert [(d.code, d.right, d.items) for d in report.domains] == [("1", 32, 32), ("2", 0, 10), ("3", 0, 21), ("4", 0, 17)]
    assert (report.right, report.scored, report.unscored, report.percent) == (32, 80, 10, 40)
    assert not report.at_assumed_pass_level


# ---- a bank too small -----------------------------------------------------------------------------


def test_a_domain_short_of_questions_gives_a_shorter_form_and_says_so(app, user_factory):
    exam_bank({"1": 20, "2": 14, "3": 26, "4": 22})
    plan = mock_exams.form_plan(mock_exams.outlines()["ptce-2020"])
    assert [(d.code, d.available, d.missing) for d in plan.short] == [("1", 20, 16)]
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    assert len(attempt.items) == 74
    assert domains_of(attempt)["1"] == 20
    assert attempt.settings["missing"] == {"1": 16}


def test_an_empty_bank_refuses_to_start_with_a_reason(app, user_factory):
    with pytest.raises(quizzes.QuizUnavailable, match="no four-option questions"):
        mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)


def test_the_bank_check_lists_every_outline(app):
    exam_bank({"1": 3})
    checked = {outline.code: plan for outline, plan in mock_exams.bank_check()}
    assert set(checked) == {"ptce-2020", "ptce-2026", "excpt"}
    assert checked["ptce-2020"].domains[0].available == 3
    assert checked["excpt"].domains[1].available == 3  # PTCE 1.1 counts for ExCPT 2


def test_wrong_answers_are_still_wrong(full_bank, user_factory):
    attempt = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    quizzes.save_answer(attempt, 0, wrong_response(attempt.items[0].instance), now=START)
    quizzes.submit_attempt(attempt, now=START)
    assert attempt.items[0].correct is False
