"""Completing a course: every module and the post-test at the course's pass mark, one
frozen CE credit per course version, the completion page and the dashboard panel."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories.courses import answer_checks, make_course, modules_of, post_test_attempt
from trainer.extensions import db
from trainer.models import AuditEvent, CECredit, Course
from trainer.services import progress


@pytest.fixture
def course(app):
    """Two modules; the course's pass mark is 80 while its post-test quiz's own is 60."""
    return make_course("safety", title="Medication safety", modules=2, ce_hours="1.5", ce_topic="05",
                       pass_mark=80, quiz_pass_mark=60, uan="0669-0000-24-002-H05-T")


def finish_modules(learner, course, *, leave: int = 0) -> None:
    """Answer the checks of every module and complete it (all but the last `leave`)."""
    modules = modules_of(course)
    for module in modules[: len(modules) - leave]:
        answer_checks(learner, module)
        assert progress.complete_module(learner, module) == []
    db.session.commit()


def credits_of(user) -> list[CECredit]:
    db.session.expire_all()
    return list(db.session.scalars(select(CECredit).where(CECredit.user_id == user.id)))


def fresh(course) -> Course:
    db.session.expire_all()
    return db.session.get(Course, course.id)


# --- what completion requires --------------------------------------------------------


def test_a_post_test_passed_by_the_quizs_mark_but_below_the_courses_does_not_complete(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    attempt = post_test_attempt(learner, course, 70)
    assert attempt.passed is True  # by the quiz's own pass mark of 60
    response = client.post("/courses/safety/completion", follow_redirects=True)
    assert "Pass the post-test with at least 80% first." in response.get_data(as_text=True)
    assert credits_of(learner) == []


def test_a_post_test_at_exactly_the_course_pass_mark_completes(auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 80)
    assert progress.complete_course(learner, fresh(course)) is not None


def test_a_passed_post_test_with_a_module_left_does_not_complete(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course, leave=1)
    post_test_attempt(learner, course, 100)
    response = client.post("/courses/safety/completion", follow_redirects=True)
    assert "Complete every module first." in response.get_data(as_text=True)
    assert credits_of(learner) == []


def test_an_unsubmitted_post_test_attempt_does_not_count(auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    attempt = post_test_attempt(learner, course, 100)
    attempt.status = "in_progress"
    db.session.commit()
    assert progress.complete_course(learner, fresh(course)) is None


def test_a_course_without_a_post_test_cannot_be_completed(client, auth, app):
    bare = make_course("bare", title="Bare", modules=1, post_test=False)
    learner = auth.login("learner")
    finish_modules(learner, bare)
    assert progress.complete_course(learner, fresh(bare)) is None
    page = client.get("/courses/bare").get_data(as_text=True)
    assert "The post-test for this course is not available yet" in page


# --- completing ----------------------------------------------------------------------


def test_completing_the_last_module_after_the_post_test_completes_the_course(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course, leave=1)
    post_test_attempt(learner, course, 90)
    answer_checks(learner, modules_of(course)[-1])
    response = client.post("/courses/safety/module-2/complete")
    assert response.location.endswith("/courses/safety/completion")
    page = client.get("/courses/safety/completion").get_data(as_text=True)
    assert "Course complete" in page and "1.5 CE hours recorded" in page
    assert len(credits_of(learner)) == 1


def test_passing_the_post_test_last_offers_to_record_the_completion(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    page = client.get("/courses/safety").get_data(as_text=True)
    assert 'action="/courses/safety/completion"' in page
    response = client.post("/courses/safety/completion")
    assert response.location.endswith("/courses/safety/completion")
    assert len(credits_of(learner)) == 1


def test_the_quiz_pages_can_complete_courses_after_a_submit(auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    attempt = post_test_attempt(learner, course, 95)
    credits = progress.complete_courses_after_attempt(attempt)
    db.session.commit()
    assert [c.course_id for c in credits] == [course.id]


def test_the_credit_is_frozen_with_what_was_awarded(auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    low = post_test_attempt(learner, course, 50, minutes_ago=30)
    passing = post_test_attempt(learner, course, 85, minutes_ago=20)
    post_test_attempt(learner, course, 100, minutes_ago=10)
    now = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    progress.complete_course(learner, fresh(course), now=now)
    db.session.commit()
    [credit] = credits_of(learner)
    assert (credit.source, credit.course_id, credit.course_version) == ("course", course.id, 1)
    assert credit.title == "Medication safety" and credit.hours == Decimal("1.5")
    assert (credit.topic, credit.activity_type, credit.uan) == ("05", "knowledge", "0669-0000-24-002-H05-T")
    assert credit.completed_on == now
    assert credit.attempt_id == passing.id != low.id  # the first attempt at the pass mark
    assert credit.corrects_id is None


def test_completion_is_recorded_in_the_audit_trail(auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    credit = progress.complete_course(learner, fresh(course))
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.completed"))
    assert event.actor_id == learner.id and event.subject == "course:safety"
    assert event.details["credit_id"] == credit.id and event.details["hours"] == "1.50"


def test_the_credit_is_recorded_once(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    post_test_attempt(learner, course, 95)
    for _ in range(3):
        client.post("/courses/safety/completion")
    client.post("/courses/safety/module-2/complete")
    assert progress.complete_course(learner, fresh(course)) is None
    assert len(credits_of(learner)) == 1


def test_editing_the_course_afterwards_never_changes_the_credit(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    client.post("/courses/safety/completion")
    edited = fresh(course)
    edited.ce_hours, edited.ce_topic, edited.title = Decimal("3"), "04", "Medication safety, revised"
    edited.uan, edited.version = None, 2
    db.session.commit()
    [credit] = credits_of(learner)
    assert (credit.hours, credit.topic, credit.course_version) == (Decimal("1.5"), "05", 1)
    assert credit.title == "Medication safety" and credit.uan == "0669-0000-24-002-H05-T"
    page = client.get("/courses/safety/completion").get_data(as_text=True)
    assert "<dt>CE hours</dt><dd>1.5</dd>" in page and "(version 1)" in page
    assert "05 · Patient safety" in page


def test_a_new_course_version_needs_a_new_passing_post_test_for_new_credit(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    client.post("/courses/safety/completion")
    edited = fresh(course)
    edited.version = 2
    db.session.commit()
    assert progress.complete_course(learner, fresh(course)) is None  # that attempt earned credit
    post_test_attempt(learner, course, 88, minutes_ago=1)
    credit = progress.complete_course(learner, fresh(course))
    db.session.commit()
    assert credit.course_version == 2 and len(credits_of(learner)) == 2


def test_the_standing_counts_the_first_pass_the_best_score_and_the_latest_credit(auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course, leave=1)
    post_test_attempt(learner, course, 70, minutes_ago=40)
    first_pass = post_test_attempt(learner, course, 85, minutes_ago=30)
    post_test_attempt(learner, course, 95, minutes_ago=20)
    older = CECredit(user_id=learner.id, course_id=course.id, course_version=1, source="course", title="v1",
                     hours=Decimal("1.5"), topic="05", completed_on=datetime(2026, 1, 5, tzinfo=UTC))
    newer = CECredit(user_id=learner.id, course_id=course.id, course_version=2, source="course", title="v2",
                     hours=Decimal("1.25"), topic="05", completed_on=datetime(2026, 6, 5, tzinfo=UTC))
    db.session.add_all([newer, older])
    db.session.commit()
    state = progress.course_progress(learner, fresh(course))
    assert (state.modules_done, state.passing_attempt_id, state.best_percent, state.credit.id,
            state.credit.hours, state.credit.completed_on) == (
        1, first_pass.id, 95.0, newer.id, Decimal("1.25"), datetime(2026, 6, 5, tzinfo=UTC))


# --- the completion page -------------------------------------------------------------


def test_the_completion_page_is_404_before_completion(client, auth, course):
    auth.login("learner")
    assert client.get("/courses/safety/completion").status_code == 404


def test_the_completion_page_shows_only_the_learners_own_credit(client, auth, user_factory, course):
    other = user_factory()
    finish_modules(other, course)
    post_test_attempt(other, course, 90)
    progress.complete_course(other, fresh(course))
    db.session.commit()
    auth.login("learner")
    assert client.get("/courses/safety/completion").status_code == 404
    assert "See your completion" not in client.get("/courses/safety").get_data(as_text=True)


def test_the_course_page_of_a_completed_course_shows_it_complete(client, auth, course):
    learner = auth.login("learner")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    client.post("/courses/safety/completion")
    page = client.get("/courses/safety").get_data(as_text=True)
    assert '<progress max="3" value="3"' in page and "See your completion and CE credit" in page
    assert '<span class="badge ok">Passed</span>' in page


def test_completion_needs_a_login(client, course):
    assert client.post("/courses/safety/completion").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CECredit)) == 0


# --- the dashboard -------------------------------------------------------------------


def test_the_dashboard_lists_courses_in_progress_and_completed(client, auth, course):
    learner = auth.login("learner")
    make_course("law", title="Federal law", modules=4, ce_hours="1")
    finish_modules(learner, course)
    post_test_attempt(learner, course, 90)
    client.post("/courses/safety/completion")
    client.get("/courses/law/module-1")
    page = client.get("/dashboard").get_data(as_text=True)
    panel = page[page.index(">Courses</h2>"):]
    assert '<a href="/courses/law">Federal law: 0% done</a>' in panel
    assert '<a href="/courses/safety/completion">Medication safety: completed, 1.5 CE hours</a>' in panel


def test_the_dashboard_panel_invites_a_new_learner_to_browse(client, auth, course):
    auth.login("learner")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "You have not started a course yet." in page and 'href="/courses/"' in page


def test_submitting_a_passing_post_test_in_the_quiz_pages_completes_the_course(client, auth, course):
    """The whole journey through the pages: modules done, then the post-test taken and submitted."""
    from tests.factories.quizzes import key_response, post_answer, start_via_web, submit_via_web
    from trainer.models import Attempt, Quiz

    learner = auth.login("learner")
    finish_modules(learner, course)
    quiz = db.session.get(Quiz, course.post_test_quiz_id)
    attempt_id = start_via_web(client, quiz)
    attempt = db.session.get(Attempt, attempt_id)
    for number, item in enumerate(attempt.items, start=1):
        post_answer(client, attempt_id, number, item.instance, key_response(item.instance))
    response = submit_via_web(client, attempt_id)
    assert response.status_code == 302
    [credit] = credits_of(learner)
    assert (credit.course_id, credit.hours, credit.attempt_id) == (course.id, Decimal("1.5"), attempt_id)
    page = client.get(response.location).get_data(as_text=True)
    assert "Course complete: Medication safety. 1.5 CE hours recorded." in page
