"""Time limits, enforced by the server with the clock injected: deadlines, extra time, the
window's end, answers after the deadline, and attempts that close themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories.quizzes import (
    autosave,
    fresh,
    grant_extra_time,
    make_questions,
    quiz_of,
    start_via_web,
    submit_via_web,
)
from trainer.extensions import db
from trainer.models import Attempt, utcnow
from trainer.services import quizzes
from trainer.web.quizzes import routes

START = utcnow().replace(microsecond=0)


@pytest.fixture
def clock(monkeypatch):
    """The pages' clock, set by the test: clock.now = …"""

    class Clock:
        now = START

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    return Clock


@pytest.fixture
def timed_quiz(app):
    questions = make_questions(types=("true_false", "short_answer"))
    return quiz_of(questions.values(), "timed", time_limit_minutes=30)


def test_the_deadline_is_the_start_plus_the_time_limit(timed_quiz, user_factory):
    attempt = quizzes.start_attempt(user_factory(), timed_quiz, now=START)
    assert attempt.deadline_at == START + timedelta(minutes=30)


def test_an_untimed_quiz_has_no_deadline(app, user_factory):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "untimed")
    assert quizzes.start_attempt(user_factory(), quiz, now=START).deadline_at is None


def test_extra_time_extends_the_deadline(timed_quiz, user_factory):
    learner, other = user_factory(), user_factory()
    grant_extra_time(timed_quiz, learner, 15)
    assert quizzes.start_attempt(learner, timed_quiz, now=START).deadline_at == START + timedelta(minutes=45)
    assert quizzes.start_attempt(other, timed_quiz, now=START).deadline_at == START + timedelta(minutes=30)


def test_the_deadline_is_never_after_the_quiz_closes(timed_quiz, user_factory):
    timed_quiz.available_until = START + timedelta(minutes=10)
    db.session.commit()
    assert quizzes.start_attempt(user_factory(), timed_quiz, now=START).deadline_at == START + timedelta(minutes=10)


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_is_graded_on_what_was_saved(timed_quiz, user_factory):
    attempt = quizzes.start_attempt(user_factory(), timed_quiz, now=START)
    quizzes.save_answer(attempt, 0, False, now=START + timedelta(minutes=29))
    with pytest.raises(quizzes.AnswerRefused, match="Time is up"):
        quizzes.save_answer(attempt, 1, "metoprolol", now=START + timedelta(minutes=30))
    assert attempt.status == "expired" and attempt.submitted_at == attempt.deadline_at
    assert attempt.items[1].response is None
    assert attempt.score == 1 and attempt.percent == 50


def test_extra_time_lets_an_answer_in_after_the_usual_limit(timed_quiz, user_factory):
    learner = user_factory()
    grant_extra_time(timed_quiz, learner, 10)
    attempt = quizzes.start_attempt(learner, timed_quiz, now=START)
    quizzes.save_answer(attempt, 0, False, now=START + timedelta(minutes=35))
    assert attempt.status == "in_progress" and attempt.items[0].response is False


def test_the_page_refuses_an_autosave_after_the_deadline(client, auth, timed_quiz, clock):
    auth.login()
    attempt_id = start_via_web(client, timed_quiz)
    clock.now = START + timedelta(minutes=10)
    assert autosave(client, attempt_id, 1, response=False).status_code == 200
    clock.now = START + timedelta(minutes=30, seconds=1)
    late = autosave(client, attempt_id, 2, response="metoprolol")
    body = late.get_json()
    assert late.status_code == 409 and "Time is up" in body["error"]
    assert body["closed"] is True and body["redirect"].endswith(f"/quizzes/attempts/{attempt_id}/results")
    attempt = fresh(Attempt, attempt_id)
    assert attempt.status == "expired" and attempt.items[1].response is None and attempt.score == 1


def test_an_attempt_past_its_deadline_closes_itself_on_the_next_visit(client, auth, timed_quiz, clock):
    auth.login()
    attempt_id = start_via_web(client, timed_quiz)
    autosave(client, attempt_id, 2, response="metoprolol")
    clock.now = START + timedelta(hours=2)
    response = client.get(f"/quizzes/attempts/{attempt_id}")
    assert response.location.endswith(f"/quizzes/attempts/{attempt_id}/results")
    page = client.get(response.location).get_data(as_text=True)
    assert "Time is up" in page and "50%" in page
    assert fresh(Attempt, attempt_id).status == "expired"


def test_a_late_submit_closes_the_attempt_as_expired(client, auth, timed_quiz, clock):
    auth.login()
    attempt_id = start_via_web(client, timed_quiz)
    clock.now = START + timedelta(minutes=31)
    submit_via_web(client, attempt_id)
    attempt = fresh(Attempt, attempt_id)
    assert attempt.status == "expired" and attempt.submitted_at == START + timedelta(minutes=30)


def test_the_page_shows_the_time_left_and_the_deadline_for_the_countdown(client, auth, timed_quiz, clock):
    auth.login()
    attempt_id = start_via_web(client, timed_quiz)
    clock.now = START + timedelta(minutes=12)
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    deadline = (START + timedelta(minutes=30)).isoformat()
    assert f'data-deadline="{deadline}"' in page and "18 minutes" in page
    assert "js/quizzes.js" in page and "Less than 5 minutes" not in page


def test_the_page_warns_before_the_end(client, auth, timed_quiz, clock):
    auth.login()
    attempt_id = start_via_web(client, timed_quiz)
    clock.now = START + timedelta(minutes=27)
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert "Less than 5 minutes left" in page and "time-warn" in page


def test_starting_after_an_overdue_attempt_closes_it_and_begins_anew(client, auth, timed_quiz, clock):
    auth.login()
    first = start_via_web(client, timed_quiz)
    clock.now = START + timedelta(hours=1)
    second = start_via_web(client, timed_quiz)
    assert second != first and fresh(Attempt, first).status == "expired"


# ---- extra time granted while an attempt is under way (WCAG 2.2.1) ---------------------------


def test_extra_time_granted_mid_attempt_extends_the_attempt_in_progress(timed_quiz, user_factory):
    learner = user_factory()
    attempt = quizzes.start_attempt(learner, timed_quiz, now=START)
    grant_extra_time(timed_quiz, learner, 20)
    moved = quizzes.extend_open_attempts(timed_quiz, learner, now=START + timedelta(minutes=25))
    assert moved == [attempt] and attempt.deadline_at == START + timedelta(minutes=50)
    quizzes.save_answer(attempt, 0, False, now=START + timedelta(minutes=45))
    assert attempt.status == "in_progress" and attempt.items[0].response is False


def test_a_grant_never_shortens_an_attempt_in_progress(timed_quiz, user_factory):
    learner = user_factory()
    accommodation = grant_extra_time(timed_quiz, learner, 30)
    attempt = quizzes.start_attempt(learner, timed_quiz, now=START)
    accommodation.extra_minutes = 5
    assert quizzes.extend_open_attempts(timed_quiz, learner, now=START) == []
    assert attempt.deadline_at == START + timedelta(minutes=60)


def test_a_grant_does_not_reopen_an_attempt_whose_time_is_up(timed_quiz, user_factory):
    learner = user_factory()
    attempt = quizzes.start_attempt(learner, timed_quiz, now=START)
    grant_extra_time(timed_quiz, learner, 20)
    assert quizzes.extend_open_attempts(timed_quiz, learner, now=START + timedelta(minutes=31)) == []
    assert attempt.deadline_at == START + timedelta(minutes=30)


def test_extending_keeps_the_attempts_own_limit_and_the_quizs_closing_time(timed_quiz, user_factory):
    learner = user_factory()
    timed_quiz.available_until = START + timedelta(minutes=40)
    db.session.commit()
    attempt = quizzes.start_attempt(learner, timed_quiz, now=START)
    timed_quiz.time_limit_minutes = 5  # changed after the attempt started: the attempt keeps 30
    grant_extra_time(timed_quiz, learner, 20)
    quizzes.extend_open_attempts(timed_quiz, learner, now=START)
    assert attempt.deadline_at == START + timedelta(minutes=40)
