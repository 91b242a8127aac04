"""A course post-test that awards CE must be evidence of learning, not of retrying.

It draws from a pool at least twice the questions it shows, with fresh numbers for
calculated questions on every attempt; after an attempt it shows which questions were
missed but not their answers, explanations or worked solutions until the learner has
passed; the course sets how many attempts a learner has and how long they wait between
two; and the credit is recorded with the attempt that earned it, every attempt before it
on the completion page and in the audit trail.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories.courses import (
    EXPLANATION,
    WRONG_FEEDBACK,
    answer_checks,
    make_course,
    modules_of,
)
from tests.factories.quizzes import (
    autosave,
    fresh,
    key_response,
    make_question,
    start_via_web,
    submit_via_web,
    wrong_response,
)
from trainer.extensions import db
from trainer.models import Attempt, AuditEvent, CECredit, Course, Quiz, utcnow
from trainer.services import quizzes as quiz_service
from trainer.services.questions import save_quiz
from trainer.web.quizzes import routes

START = utcnow().replace(microsecond=0)


@pytest.fixture
def clock(monkeypatch):
    """The quiz pages' clock, moved by the test."""

    class Clock:
        now = START

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    return Clock


@pytest.fixture
def course(app):
    """A CE course (1.5 hours) whose post-test shows 1 question from a pool of 2: 2 attempts, 24 h apart."""
    course = make_course("safety", title="Medication safety", modules=1, ce_hours="1.5", pass_mark=80)
    course.post_test_attempts = 2
    course.post_test_wait_hours = 24
    db.session.commit()
    return course


def quiz_of_course(course) -> Quiz:
    return db.session.get(Quiz, course.post_test_quiz_id)


def sit(client, quiz: Quiz, *, correct: bool) -> int:
    """Start, answer every question right or wrong, and submit, through the pages; the attempt id."""
    attempt_id = start_via_web(client, quiz)
    attempt = fresh(Attempt, attempt_id)
    for number, item in enumerate(attempt.items, start=1):
        answer = key_response(item.instance) if correct else wrong_response(item.instance)
        assert autosave(client, attempt_id, number, response=answer).status_code == 200
    submit_via_web(client, attempt_id)
    return attempt_id


# --- the pool --------------------------------------------------------------------------


def test_a_ce_post_test_whose_pool_is_not_twice_what_it_shows_cannot_be_started(client, auth, course):
    quiz = quiz_of_course(course)
    save_quiz({"slug": quiz.slug, "title": quiz.title, "pass_mark": 60,
               "items": [{"question": "safety-pt-01"}, {"question": "safety-pt-02"}]}, source="tests")
    db.session.commit()
    auth.login("learner")
    page = client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)
    assert "its question pool is too small to award CE credit" in page
    response = client.post(f"/quizzes/{quiz.slug}/start", follow_redirects=True)
    assert "its question pool is too small to award CE credit" in response.get_data(as_text=True)
    assert db.session.scalar(select(Attempt.id).where(Attempt.quiz_id == quiz.id)) is None


def test_the_same_small_quiz_is_fine_for_a_course_that_awards_no_ce(client, auth, course):
    quiz = quiz_of_course(course)
    save_quiz({"slug": quiz.slug, "title": quiz.title, "pass_mark": 60,
               "items": [{"question": "safety-pt-01"}]}, source="tests")
    course.ce_hours = 0
    db.session.commit()
    auth.login("learner")
    start_via_web(client, quiz)


@pytest.mark.shipped_content
def test_every_shipped_ce_course_draws_its_post_test_from_twice_the_questions_shown(app):
    from trainer.services.post_tests import pool_report

    courses = db.session.scalars(select(Course).where(Course.status == "published", Course.ce_hours > 0)).all()
    assert courses
    for course in courses:
        assert course.post_test is not None, course.slug
        assert pool_report(course.post_test) == [], course.slug
        assert (course.post_test_attempts, course.post_test_wait_hours) == (3, 24), course.slug


def test_each_attempt_at_a_calculated_post_test_gets_fresh_numbers(client, auth, course, monkeypatch):
    for n in (1, 2):
        make_question(f"pt-calc-{n}", "calculated", tags=["post-test-calc"])
    quiz = quiz_of_course(course)
    save_quiz({"slug": quiz.slug, "title": quiz.title, "pass_mark": 60,
               "items": [{"draw": 1, "tags": ["post-test-calc"]}]}, source="tests")
    course.post_test_attempts, course.post_test_wait_hours = 5, 0
    db.session.commit()
    seeds = iter(range(101, 106))
    monkeypatch.setattr(quiz_service, "new_seed", lambda: next(seeds))
    auth.login("learner")
    stems = set()
    for _ in range(5):
        attempt_id = sit(client, quiz, correct=False)
        stems.add(fresh(Attempt, attempt_id).items[0].stem_html)
    assert len(stems) > 1  # the numbers (and the question) change from attempt to attempt


# --- what an attempt shows -------------------------------------------------------------


def test_a_failed_attempt_shows_what_was_missed_but_not_the_answer(client, auth, course):
    auth.login("learner")
    attempt_id = sit(client, quiz_of_course(course), correct=False)
    review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Not correct" in review
    assert "Correct answer:" not in review and "Twice a day</strong>" not in review
    assert EXPLANATION not in review and WRONG_FEEDBACK not in review  # feedback that hints at the key
    assert "shown once you have passed" in review
    results = client.get(f"/quizzes/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Not passed" in results and "shown once you have passed" in results


def test_passing_shows_the_answers_of_every_attempt(client, auth, course, clock):
    auth.login("learner")
    failed = sit(client, quiz_of_course(course), correct=False)
    clock.now = START + timedelta(hours=25)
    sit(client, quiz_of_course(course), correct=True)
    review = client.get(f"/quizzes/attempts/{failed}/review").get_data(as_text=True)
    assert "Correct answer:" in review and EXPLANATION in review


def test_a_post_test_never_checks_answers_one_at_a_time(client, auth, course):
    quiz = quiz_of_course(course)
    quiz.feedback_mode, quiz.show_answers = "immediate", "immediately"
    db.session.commit()
    auth.login("learner")
    attempt_id = start_via_web(client, quiz)
    item = fresh(Attempt, attempt_id).items[0]
    response = autosave(client, attempt_id, 1, response=key_response(item.instance), check=True)
    assert response.status_code == 409
    assert "graded when you submit" in response.get_json()["error"]


def test_the_course_pass_mark_decides_the_attempts_pass(client, auth, course):
    auth.login("learner")
    attempt = fresh(Attempt, sit(client, quiz_of_course(course), correct=True))
    assert attempt.settings["pass_mark"] == 80 and attempt.settings["ce_post_test"]["attempts"] == 2


# --- attempts and the wait between them ----------------------------------------------


def test_a_learner_waits_the_courses_hours_between_attempts(client, auth, course, clock):
    auth.login("learner")
    quiz = quiz_of_course(course)
    sit(client, quiz, correct=False)
    clock.now = START + timedelta(hours=23)
    page = client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)
    assert "24 hours between attempts" in page and "Start the quiz" not in page
    response = client.post(f"/quizzes/{quiz.slug}/start", follow_redirects=True)
    assert "Your next attempt opens on" in response.get_data(as_text=True)
    clock.now = START + timedelta(hours=24, minutes=1)
    assert "Start the quiz" in client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)


def test_a_learner_has_only_the_courses_number_of_attempts(client, auth, course, clock):
    auth.login("learner")
    quiz = quiz_of_course(course)
    sit(client, quiz, correct=False)
    clock.now = START + timedelta(days=2)
    sit(client, quiz, correct=False)
    clock.now = START + timedelta(days=4)
    page = client.get(f"/quizzes/{quiz.slug}").get_data(as_text=True)
    assert "You have used all 2 attempts at this post-test" in page
    assert "2 allowed; you have used 2" in page
    response = client.post(f"/quizzes/{quiz.slug}/start", follow_redirects=True)
    assert "You have used all 2 attempts" in response.get_data(as_text=True)


def test_the_quiz_page_states_the_rules_before_the_first_attempt(client, auth, course):
    auth.login("learner")
    page = client.get(f"/quizzes/{quiz_of_course(course).slug}").get_data(as_text=True)
    assert "2 allowed; you have used 0, at least 24 hours apart" in page
    assert "the answers and explanations are shown once you have passed" in page
    assert "<dd>80%</dd>" in page  # the course's pass mark, not the quiz's own 60%


# --- the record ------------------------------------------------------------------------


def test_the_credit_names_the_passing_attempt_and_the_record_lists_every_attempt(client, auth, course, clock):
    learner = auth.login("learner")
    answer_checks(learner, modules_of(course)[0])
    assert client.post("/courses/safety/module-1/complete").status_code == 302
    quiz = quiz_of_course(course)
    failed = sit(client, quiz, correct=False)
    clock.now = START + timedelta(hours=30)
    passed = sit(client, quiz, correct=True)
    credit = db.session.scalar(select(CECredit).where(CECredit.user_id == learner.id))
    assert credit is not None and credit.attempt_id == passed
    page = client.get("/courses/safety/completion").get_data(as_text=True)
    assert "Passed on attempt 2" in page and "Passed: this attempt earned the credit" in page
    assert "Not passed" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.completed"))
    assert [a["id"] for a in event.details["attempts"]] == [failed, passed]


# --- the instructor's course form -----------------------------------------------------


def course_form(course: Course, **changes) -> dict:
    data = {
        "title": course.title, "summary": course.summary, "audience": course.audience,
        "ce_hours": "1.5", "ce_topic": course.ce_topic, "activity_type": course.activity_type,
        "uan": "", "post_test": str(course.post_test_quiz_id), "pass_mark": str(course.pass_mark),
        "post_test_attempts": str(course.post_test_attempts),
        "post_test_wait_hours": str(course.post_test_wait_hours),
        "references": "\n".join(course.references), "status": course.status,
    }
    data.update(changes)
    return data


def test_an_instructor_sets_the_attempts_and_the_wait_without_a_new_course_version(client, auth, course):
    auth.login_as_owner(course)
    version = course.version
    response = client.post("/teach/courses/safety/edit",
                           data=course_form(course, post_test_attempts="4", post_test_wait_hours="0"))
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = fresh(Course, course.id)
    assert (saved.post_test_attempts, saved.post_test_wait_hours) == (4, 0)
    assert saved.version == version  # no new version: learners cannot earn the credit twice
    page = client.get("/teach/courses/safety").get_data(as_text=True)
    assert "4 attempts" in page


def test_the_course_form_refuses_attempts_outside_the_limits(client, auth, course):
    auth.login_as_owner(course)
    response = client.post("/teach/courses/safety/edit", data=course_form(course, post_test_attempts="0"))
    assert response.status_code == 200
    assert "Enter a whole number from 1 to 20." in response.get_data(as_text=True)


def test_a_ce_course_cannot_be_published_with_a_post_test_pool_too_small(client, auth, course):
    quiz = quiz_of_course(course)
    save_quiz({"slug": quiz.slug, "title": quiz.title, "pass_mark": 60,
               "items": [{"question": "safety-pt-01"}]}, source="tests")
    course.status = "draft"
    db.session.commit()
    auth.login_as_owner(course)
    response = client.post("/teach/courses/safety/edit", data=course_form(course, status="published"))
    page = response.get_data(as_text=True)
    assert "cannot award CE yet" in page and "needs at least 2" in page
    assert fresh(Course, course.id).status == "draft"
