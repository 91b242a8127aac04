"""Mock exams in the browser: choosing a form, taking it on the quiz pages, the review before
submitting, the score report with its caveat, the clock, and the instructors' bank check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories.quizzes import autosave, fresh, key_response, submit_via_web
from tests.factories.readiness import FULL_PTCE, exam_bank
from trainer.models import Attempt, utcnow
from trainer.web.quizzes import routes as quiz_routes
from trainer.web.readiness import routes

START = utcnow().replace(microsecond=0)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = START

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    monkeypatch.setattr(quiz_routes, "current_time", lambda: Clock.now)
    return Clock


@pytest.fixture
def learner(auth):
    return auth.login("learner")


def start(client, outline="ptce-2020", extra_time="0") -> Attempt:
    response = client.post("/readiness/mock-exams/start", data={"outline": outline, "extra_time": extra_time})
    assert response.status_code == 302 and "/quizzes/attempts/" in response.location, response.location
    return fresh(Attempt, int(response.location.rsplit("/", 1)[1]))


def test_the_mock_exam_page_lists_every_outline_with_its_time_and_sources(client, learner, clock):
    page = client.get("/readiness/mock-exams").get_data(as_text=True)
    assert "1 h 50 min" in page and "2 h 10 min" in page
    assert "https://www.ptcb.org/guidebook/ptce-content-outline" in page
    assert "Unofficial" in page


def test_a_short_bank_is_told_to_the_learner_before_starting(app, client, learner, clock):
    exam_bank({"1": 10, "2": 17, "3": 24, "4": 20})
    page = client.get("/readiness/mock-exams").get_data(as_text=True)
    assert "this mock exam will have 64 questions instead of 90" in page
    assert "Medications: 10 of the 36 it needs" in page


def test_taking_a_mock_exam_on_the_quiz_pages(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client)
    page = client.get(f"/quizzes/attempts/{attempt.id}").get_data(as_text=True)
    assert "<h1>PTCE mock exam</h1>" in page and "Question 1 of 90 · 0 answered" in page
    assert "Time left" in page
    assert "unscored" not in page.lower() and "pretest" not in page.lower()
    assert len(re.findall(r'type="radio"', page)) == 4


def test_the_review_before_submitting_lists_flagged_and_unanswered(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client)
    autosave(client, attempt.id, 1, response=key_response(attempt.items[0].instance), flagged=True)
    page = client.get(f"/quizzes/attempts/{attempt.id}/finish").get_data(as_text=True)
    assert "1 of 90 questions answered" in page
    assert "89 unanswered questions will score zero" in page
    flagged = page.split("Flagged for review")[1]
    assert "Question 1" in flagged


def test_the_score_report_states_the_scaled_score_caveat(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client)
    for item in attempt.items:
        if item.scored:
            autosave(client, attempt.id, item.position + 1, response=key_response(item.instance))
    response = submit_via_web(client, attempt.id)
    assert response.status_code == 302
    report = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "100% of scored questions right" in report
    assert "This is not a PTCE score." in report
    assert "scaled score from 1000 to 1600, and 1400 passes" in report
    assert "10 of the questions were unscored pretest questions" in report
    assert "32/32" in report and "10/10" in report and "21/21" in report and "17/17" in report


def test_the_clock_is_enforced_by_the_server(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client)
    clock.now = START + timedelta(minutes=109)
    assert autosave(client, attempt.id, 1, response=key_response(attempt.items[0].instance)).status_code == 200
    clock.now = START + timedelta(minutes=111)
    late = autosave(client, attempt.id, 2, response=key_response(attempt.items[1].instance))
    assert late.status_code == 409 and late.get_json()["closed"]
    closed = fresh(Attempt, attempt.id)
    assert closed.status == "expired" and closed.score == (1 if closed.items[0].scored else 0)


def test_an_expired_mock_exam_shows_its_report(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client)
    clock.now = START + timedelta(hours=2)
    page = client.get(f"/readiness/mock-exams/{attempt.id}/report", follow_redirects=True).get_data(as_text=True)
    assert "Time ran out" in page and "0% of scored questions right" in page


def test_another_learners_report_is_not_found(app, client, learner, clock, user_factory):
    from trainer.services import mock_exams

    exam_bank(FULL_PTCE)
    theirs = mock_exams.start_mock_exam(user_factory(), "ptce-2020", now=START)
    assert client.get(f"/readiness/mock-exams/{theirs.id}/report").status_code == 404


def test_double_time_doubles_the_clock_and_the_report_says_so(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client, extra_time="100")
    assert attempt.deadline_at == START + timedelta(minutes=220)
    submit_via_web(client, attempt.id)
    page = client.get(f"/readiness/mock-exams/{attempt.id}/report").get_data(as_text=True)
    assert "Taken with 100% extra time (3 h 40 min)." in page


def test_an_unknown_outline_is_a_bad_request(client, learner, clock):
    assert client.post("/readiness/mock-exams/start", data={"outline": "nclex"}).status_code == 400


def test_the_bank_check_is_for_instructors(app, client, auth, clock):
    exam_bank({"1": 5})
    auth.login("learner")
    assert client.get("/readiness/bank-check").status_code == 403
    auth.logout()
    auth.login("instructor")
    page = client.get("/readiness/bank-check").get_data(as_text=True)
    assert "a form would have 5 of 90 questions" in page


def test_the_bank_check_command_reports_the_gaps(app, runner):
    exam_bank({"1": 5})
    result = runner.invoke(args=["trainer", "mock-exam-check"])
    assert result.exit_code == 1
    assert "ptce-2020 (PTCE): SHORT: a form would have 5 of 90 questions" in result.output
    assert "1 Medications: 5 four-option questions published, 36 wanted, 31 missing" in result.output


def test_after_submitting_the_review_marks_the_pretest_questions(app, client, learner, clock):
    exam_bank(FULL_PTCE)
    attempt = start(client)
    submit_via_web(client, attempt.id)
    page = client.get(f"/quizzes/attempts/{attempt.id}/review").get_data(as_text=True)
    assert page.count("Unscored pretest question</span>") == 10
