"""What attempts record for item analysis: the time each question was the learner's current one,
and the choices a graded answer picked, by their place in the question file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories.quizzes import (
    autosave,
    fresh,
    key_response,
    make_questions,
    post_answer,
    quiz_of,
    start_via_web,
    submit_via_web,
)
from trainer.models import Attempt, utcnow
from trainer.services import quizzes
from trainer.web.quizzes import routes

START = utcnow().replace(microsecond=0)


@pytest.fixture
def quiz(app):
    questions = make_questions(types=("true_false", "short_answer", "single_choice"))
    return quiz_of(questions.values(), "timing")


@pytest.fixture
def attempt(quiz, user_factory):
    return quizzes.start_attempt(user_factory(), quiz, now=START)


def at(seconds: int):
    return START + timedelta(seconds=seconds)


def test_the_time_until_the_first_answer_counts_from_the_start(attempt):
    quizzes.save_answer(attempt, 0, True, now=at(20))
    assert attempt.items[0].seconds_on_item == 20


def test_each_save_adds_the_time_since_the_last(attempt):
    quizzes.save_answer(attempt, 0, True, now=at(20))
    quizzes.set_flag(attempt, 0, True, now=at(26))
    quizzes.save_answer(attempt, 0, False, now=at(30))
    assert attempt.items[0].seconds_on_item == 30


def test_moving_on_starts_the_next_questions_clock(attempt):
    quizzes.save_answer(attempt, 0, True, now=at(20))
    quizzes.visit(attempt, 1, now=at(20))
    quizzes.save_answer(attempt, 1, "metoprolol", now=at(65))
    assert (attempt.items[0].seconds_on_item, attempt.items[1].seconds_on_item) == (20, 45)


def test_a_long_stay_counts_at_most_ten_minutes(attempt):
    quizzes.save_answer(attempt, 0, True, now=at(3 * 3600))
    assert attempt.items[0].seconds_on_item == quizzes.MAX_SECONDS_PER_STAY == 600


def test_a_question_reached_without_the_clock_counts_from_its_first_save(attempt):
    # the learner opened question 3 by its address: nothing says when they got there
    quizzes.save_answer(attempt, 2, "a", now=at(50))
    quizzes.save_answer(attempt, 2, "b", now=at(58))
    assert attempt.items[2].seconds_on_item == 8
    assert attempt.items[0].seconds_on_item is None


def test_the_review_screen_stops_the_clock(attempt):
    quizzes.save_answer(attempt, 0, True, now=at(20))
    quizzes.visit(attempt, None, now=at(20))
    quizzes.save_answer(attempt, 0, False, now=at(400))  # back from the review screen by its link
    assert attempt.items[0].seconds_on_item == 20


def test_the_pages_record_time_on_each_question(client, auth, quiz, monkeypatch):
    class Clock:
        now = START

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    auth.login("learner")
    attempt_id = start_via_web(client, quiz)
    started = fresh(Attempt, attempt_id).started_at
    Clock.now = started + timedelta(seconds=12)
    post_answer(client, attempt_id, 1, fresh(Attempt, attempt_id).items[0].instance, True, go="next")
    Clock.now = started + timedelta(seconds=40)
    autosave(client, attempt_id, 2, response="metoprolol")
    Clock.now = started + timedelta(seconds=45)
    post_answer(client, attempt_id, 2, fresh(Attempt, attempt_id).items[1].instance, "metoprolol", go="finish")
    Clock.now = started + timedelta(seconds=300)
    submit_via_web(client, attempt_id)
    items = fresh(Attempt, attempt_id).items
    assert [item.seconds_on_item for item in items] == [12, 33, None]


def test_grading_records_the_choice_picked_by_its_place_in_the_file(attempt):
    item = attempt.items[2]
    chosen = key_response(item.instance)
    quizzes.save_answer(attempt, 2, chosen, now=at(5))
    quizzes.submit_attempt(attempt, now=at(10))
    # the key of the factory's single-choice question is its first choice in the file
    assert item.chosen == ["a"]
    assert attempt.items[0].chosen is None  # unanswered true/false: nothing picked
