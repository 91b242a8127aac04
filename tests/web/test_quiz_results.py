"""Results by blueprint area, and when the review shows keys, explanations and worked steps."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories.quizzes import (
    autosave,
    fresh,
    key_response,
    make_questions,
    quiz_of,
    start_via_web,
    submit_via_web,
    wrong_response,
)
from trainer.extensions import db
from trainer.models import Attempt, utcnow
from trainer.services import quizzes
from trainer.web.quizzes import routes


def _taken(user, quiz, right: set[str]):
    """A submitted attempt with the key given for the types in `right`, a wrong answer elsewhere."""
    attempt = quizzes.start_attempt(user, quiz)
    for item in attempt.items:
        instance = item.instance
        answer = key_response(instance) if instance["type"] in right else wrong_response(instance)
        quizzes.save_answer(attempt, item.position, answer)
    quizzes.submit_attempt(attempt)
    return attempt


def test_results_are_grouped_by_outline_domain_and_area(app, user_factory):
    questions = make_questions(types=("numeric", "calculated", "single_choice", "true_false"))
    quiz = quiz_of(questions.values(), "areas")
    attempt = _taken(user_factory(), quiz, right={"numeric", "single_choice"})
    domains = {d.label: d for d in quizzes.results_by_area(attempt)}
    assert set(domains) == {"ptce-2020 2", "ptce-2020 3", "ptce-2020 4", "ptce-2026 4"}
    four = domains["ptce-2020 4"]
    assert (four.earned, four.possible) == (1, 2) and [(a.label, a.earned, a.possible) for a in four.areas] == [
        ("ptce-2020 4.2", 1, 2)
    ]
    assert (domains["ptce-2020 2"].earned, domains["ptce-2020 2"].possible) == (1, 1)
    assert (domains["ptce-2020 3"].earned, domains["ptce-2026 4"].earned) == (0, 0)
    assert domains["ptce-2026 4"].areas == []
    assert four.title == "Order Entry and Processing" and four.areas[0].title.startswith("Formulas, calculations")


def test_the_results_page_shows_score_pass_and_areas(client, auth):
    questions = make_questions(types=("numeric", "calculated", "single_choice", "true_false"))
    quiz = quiz_of(questions.values(), "areas", pass_mark=50)
    user = auth.login()
    attempt = _taken(user, quiz, right={"numeric", "single_choice"})
    db.session.commit()
    page = client.get(f"/quizzes/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "50%" in page and "Passed" in page and "2 of 4 points" in page
    # one outline version at a time, by plain name: the learner's exam goal (the outline in force) first
    visible = re.sub(r"<[^>]+>", " ", page)  # addresses may carry codes; the words a learner reads may not
    assert "ptce-2020" not in visible and "ptce-2026" not in visible
    assert "<caption>PTCE outline from January 2026</caption>" in page and "4 · Order Entry and Processing" in page
    other = client.get(f"/quizzes/attempts/{attempt.id}/results?outline=ptce-2020").get_data(as_text=True)
    assert "<caption>PTCE 2020–2025 outline</caption>" in other
    assert "4.2 · Formulas, calculations" in other and "1/2" in other
    assert "<caption>PTCE outline from January 2026</caption>" not in other


def test_the_results_follow_the_outline_of_the_learners_exam_goal(client, auth):
    from trainer.models import utcnow
    from trainer.services import readiness

    questions = make_questions(types=("numeric", "calculated"))
    quiz = quiz_of(questions.values(), "goal")
    user = auth.login()
    assert readiness.set_goal(user.id, "ptce-2020", None, utcnow().date()) == []
    attempt = _taken(user, quiz, right={"numeric"})
    db.session.commit()
    page = client.get(f"/quizzes/attempts/{attempt.id}/results").get_data(as_text=True)
    assert "<caption>PTCE 2020–2025 outline</caption>" in page


def test_partial_credit_shows_in_the_area_points(app, user_factory):
    quiz = quiz_of(make_questions(types=("multiple_response",)).values(), "partial")
    attempt = quizzes.start_attempt(user_factory(), quiz)
    instance = attempt.items[0].instance
    quizzes.save_answer(attempt, 0, instance["key"][:1])
    quizzes.submit_attempt(attempt)
    (domain,) = quizzes.results_by_area(attempt)
    assert domain.earned_text == "0.5" and domain.possible == 1 and attempt.percent == 50


# ---- review visibility -------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = utcnow().replace(microsecond=0)

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    return Clock


def _review(client, attempt_id) -> str:
    return client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)


@pytest.mark.parametrize("mode, shown", [("immediately", True), ("after_submit", True), ("never", False)])
def test_the_review_shows_answers_as_the_quiz_allows(client, auth, mode, shown):
    quiz = quiz_of(make_questions(types=("single_choice", "short_answer")).values(), "vis", show_answers=mode)
    auth.login()
    attempt_id = start_via_web(client, quiz)
    autosave(client, attempt_id, 2, response="aspirin")
    submit_via_web(client, attempt_id)
    page = _review(client, attempt_id)
    assert "Your answer: <strong>aspirin</strong>" in page and "Not correct" in page
    assert ("tartrate salt" in page) is shown and ("Correct answer:" in page) is shown
    if not shown:
        assert "does not show the correct answers" in page


def test_after_close_shows_answers_only_once_the_quiz_has_closed(client, auth, clock):
    closes = clock.now + timedelta(days=1)
    quiz = quiz_of(make_questions(types=("short_answer",)).values(), "vis", show_answers="after_close",
                   available_until=closes.isoformat())
    auth.login()
    attempt_id = start_via_web(client, quiz)
    submit_via_web(client, attempt_id)
    before = _review(client, attempt_id)
    assert "tartrate salt" not in before and "after the quiz closes" in before
    clock.now = closes + timedelta(minutes=1)
    assert "tartrate salt" in _review(client, attempt_id)


def test_answers_visible_follows_each_mode(app, user_factory):
    quiz = quiz_of(make_questions(types=("true_false", "short_answer")).values(), "vis",
                   feedback="immediate", show_answers="immediately")
    attempt = quizzes.start_attempt(user_factory(), quiz)
    quizzes.save_answer(attempt, 0, True, check=True)
    first, second = attempt.items
    assert quizzes.answers_visible(attempt, first) and not quizzes.answers_visible(attempt, second)
    attempt.settings = {**attempt.settings, "show_answers": "after_submit"}
    assert not quizzes.answers_visible(attempt, first)
    quizzes.submit_attempt(attempt)
    assert quizzes.answers_visible(attempt, second)
    attempt.settings = {**attempt.settings, "show_answers": "after_close", "available_until": None}
    assert not quizzes.answers_visible(attempt)


def test_the_review_shows_the_worked_solution_in_the_learners_own_numbers(client, auth):
    quiz = quiz_of(make_questions(types=("calculated",)).values(), "calc")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    submit_via_web(client, attempt_id)
    instance = fresh(Attempt, attempt_id).items[0].instance
    page = _review(client, attempt_id)
    assert "Worked solution" in page and instance["answer_text"] in page
    assert all(step in page for step in instance["steps"])
    dose = instance["values"]["dose"]
    assert f"{dose} mg" in page


def test_review_and_results_wait_for_the_attempt_to_close(client, auth):
    quiz = quiz_of(make_questions(types=("true_false",)).values(), "open")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    assert client.get(f"/quizzes/attempts/{attempt_id}/review").location.endswith(f"/quizzes/attempts/{attempt_id}")
    assert client.get(f"/quizzes/attempts/{attempt_id}/results").location.endswith(f"/quizzes/attempts/{attempt_id}")
