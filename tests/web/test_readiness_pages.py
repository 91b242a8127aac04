"""The readiness page: mastery drawn on the server with a text alternative, the pass likelihood
with its uncertainty, the study plan, practice, the dashboard panel; queries that do not grow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.factories.quizzes import fresh
from tests.factories.readiness import graded_quiz, tagged_question
from trainer.extensions import db
from trainer.models import Attempt, utcnow
from trainer.services import readiness
from trainer.web.readiness import routes

NOW = utcnow().replace(microsecond=0)


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = NOW

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    return Clock


@pytest.fixture
def learner(auth):
    return auth.login("learner")


def test_the_page_needs_a_login(client):
    assert client.get("/readiness/").status_code == 302


def test_a_new_learner_sees_every_domain_and_no_estimate_yet(client, learner, clock):
    page = client.get("/readiness/").get_data(as_text=True)
    assert "Answer some questions" in page
    for title in ("Medications", "Federal Requirements", "Patient Safety and Quality Assurance",
                  "Order Entry and Processing"):
        assert title in page


def test_mastery_is_drawn_as_svg_with_a_table_beside_it(client, learner, clock):
    questions = [tagged_question(f"pg-{n}", "ptce-2020:4.2", "ptce-2026:4") for n in range(4)]
    readiness.set_goal(learner.id, "ptce-2020", None, NOW.date())
    db.session.commit()
    graded_quiz(learner, questions, right=[True, True, True, False], now=NOW)
    page = client.get("/readiness/").get_data(as_text=True)
    assert re.search(r'<svg class="mastery-chart"[^>]*role="img"', page)
    assert "<caption>The chart as a table" in page
    # 4.2: three right and one wrong on Beta(1, 1): 4/6 = 67 %, in the table
    table = page.split('<table class="mastery-table">', 1)[1]
    row = re.search(r"4\.2 Formulas.*?</tr>", table, re.S).group(0)
    assert "<td>67%</td>" in row and "<td>4</td>" in row


def test_the_pass_likelihood_says_how_uncertain_it_is(client, learner, clock):
    questions = [tagged_question(f"pl-{n}", "ptce-2020:1.1", "ptce-2026:1") for n in range(3)]
    graded_quiz(learner, questions, right=[True, True, False], now=NOW)
    page = client.get("/readiness/").get_data(as_text=True)
    assert re.search(r"(About \d+|Under 1|Over 99)%", page)
    assert "Low confidence." in page
    assert "90% range" in page
    assert "does not publish how many correct answers" in page


def test_no_inline_script_or_style_on_the_page(client, learner, clock):
    response = client.get("/readiness/")
    page = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_an_exam_date_gives_a_weekly_plan(client, learner, clock):
    exam = (NOW + timedelta(days=30)).date()
    response = client.post("/readiness/goal", data={"outline": "ptce-2026", "exam_date": exam.isoformat()})
    assert response.status_code == 302
    page = client.get("/readiness/").get_data(as_text=True)
    assert page.count("<h3>Week ") == 5
    assert "Sit a timed mock exam first" in page
    assert "Review only" in page


def test_a_past_exam_date_is_refused_beside_the_form(client, learner, clock):
    client.post("/readiness/goal", data={"outline": "ptce-2026", "exam_date": "2001-01-01"})
    assert "Give a date after today." in client.get("/readiness/").get_data(as_text=True)


def test_queries_on_the_page_do_not_grow_with_the_attempts(client, learner, clock, count_queries):
    questions = [tagged_question(f"qc-{n}", "ptce-2020:3.2", "ptce-2026:3") for n in range(3)]
    graded_quiz(learner, questions, right=[True, False, True], now=NOW, slug="qc-1")
    with count_queries() as few:
        assert client.get("/readiness/").status_code == 200
    for n in range(2, 7):
        graded_quiz(learner, questions, right=[False, True, True], now=NOW, slug=f"qc-{n}")
    with count_queries() as many:
        assert client.get("/readiness/").status_code == 200
    assert len(many) == len(few)


def test_practising_weak_areas_starts_a_practice_session_on_the_quiz_pages(client, learner, clock):
    weak = [tagged_question(f"wk-{n}", "ptce-2020:2.2", "ptce-2026:2") for n in range(6)]
    strong = [tagged_question(f"st-{n}", "ptce-2020:1.1", "ptce-2026:1") for n in range(6)]
    readiness.set_goal(learner.id, "ptce-2020", None, NOW.date())
    graded_quiz(learner, weak[:3] + strong[:3], right=[False, False, False, True, True, True], now=NOW)
    response = client.post("/readiness/practice/weak-areas")
    assert response.status_code == 302 and "/quizzes/attempts/" in response.location
    attempt = fresh(Attempt, int(response.location.rsplit("/", 1)[1]))
    assert attempt.kind == "practice" and attempt.settings["feedback_mode"] == "immediate"
    drawn = {item.question_id for item in attempt.items}
    assert {q.id for q in weak} <= drawn
    assert client.get(response.location).status_code == 200


def test_missed_questions_come_back_through_practice(client, learner, clock):
    questions = [tagged_question(f"ms-{n}", "ptce-2020:3.2") for n in range(2)]
    graded_quiz(learner, questions, right=[False, True], now=NOW)
    assert "Nothing" not in client.post("/readiness/practice/missed").location
    clock.now = NOW + timedelta(days=1, minutes=1)
    response = client.post("/readiness/practice/missed")
    attempt = fresh(Attempt, int(response.location.rsplit("/", 1)[1]))
    assert [item.question_id for item in attempt.items] == [questions[0].id]


def test_nothing_missed_is_said_plainly(client, learner, clock):
    response = client.post("/readiness/practice/missed", follow_redirects=True)
    assert "No missed question is due now" in response.get_data(as_text=True)


def test_the_dashboard_links_learners_to_their_readiness(client, learner, clock):
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Exam readiness" in page and 'href="/readiness/"' in page


def test_the_navigation_links_to_readiness_and_flashcards(client, learner, clock):
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<a href="/readiness/"' in page and '<a href="/flashcards/"' in page
