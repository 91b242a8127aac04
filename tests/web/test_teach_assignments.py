"""Assignments: quizzes, courses and single modules set for a cohort with dates and a late
policy; extensions and extra time for one learner; the learner's list, soonest due first."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.courses import answer_checks, make_course, modules_of, post_test_attempt
from tests.factories.quizzes import make_question, quiz_of
from tests.factories.teaching import NOW, assign, enrol, graded_attempt, make_cohort
from trainer.extensions import db
from trainer.models import Assignment, AssignmentExtension, QuizAccommodation
from trainer.services import assignments, ce, progress, quizzes

FORM_TIME = "%Y-%m-%dT%H:%M"


@pytest.fixture
def cohort(instructor):
    return make_cohort(instructor)


@pytest.fixture
def quiz(app):
    return quiz_of([make_question("as-1", "true_false")], "week-1", title="Week 1 quiz")


def form(target, *, opens=NOW - timedelta(days=1), due=NOW + timedelta(days=6), **extra):
    return {"target": target, "opens_at": opens.strftime(FORM_TIME), "due_at": due.strftime(FORM_TIME),
            "late_policy": "accept", "late_penalty_per_day": "10", "weight": "1", **extra}


# ---- setting work ----------------------------------------------------------------------------------


def test_an_instructor_assigns_a_quiz_with_dates_a_policy_and_a_weight(client, cohort, quiz):
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/new",
                           data=form(f"quiz:{quiz.id}", late_policy="penalty", late_penalty_per_day="15", weight="2.5"))
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert (assignment.kind, assignment.target_id, assignment.late_policy) == ("quiz", quiz.id, "penalty")
    assert (assignment.late_penalty_per_day, assignment.weight) == (15, Decimal("2.5"))
    assert assignment.due_at.tzinfo is not None


def test_courses_and_single_modules_can_be_assigned(client, cohort):
    course = make_course("sig-codes", modules=2)
    module = modules_of(course)[1]
    assert client.post(f"/teach/cohorts/{cohort.id}/assignments/new", data=form(f"course:{course.id}")).status_code == 302
    assert client.post(f"/teach/cohorts/{cohort.id}/assignments/new", data=form(f"module:{module.id}")).status_code == 302
    assert {(a.kind, a.target_id) for a in db.session.scalars(select(Assignment))} == {
        ("course", course.id), ("module", module.id)}


def test_the_form_offers_every_kind_of_work(client, cohort, quiz):
    course = make_course("sig-codes", modules=1)
    page = client.get(f"/teach/cohorts/{cohort.id}/assignments/new").get_data(as_text=True)
    assert f'value="quiz:{quiz.id}"' in page and f'value="course:{course.id}"' in page
    assert f'value="module:{modules_of(course)[0].id}"' in page and "Module: Sig codes › Module 1" in page


@pytest.mark.parametrize(("changes", "message"), [
    ({"due": NOW - timedelta(days=2)}, "The due date must come after the opening."),
    ({"late_policy": "penalty", "late_penalty_per_day": ""}, "Give a penalty between 1 and 100 points a day."),
    ({"weight": "-1"}, "must be 0 to 1000"),
    ({"target": ""}, "Choose what to assign."),
    ({"target": "quiz:999999"}, "No such quiz."),
    ({"target": "homework:1"}, "Choose what to assign."),  # no such kind of work
])
def test_bad_settings_are_refused_beside_their_field(client, cohort, quiz, changes, message):
    data = form(changes.pop("target", f"quiz:{quiz.id}"), **{k: v for k, v in changes.items() if k in ("opens", "due")})
    data.update({k: v for k, v in changes.items() if k not in ("opens", "due")})
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(Assignment)) is None


def test_a_draft_quiz_cannot_be_assigned(client, cohort):
    draft = quiz_of([make_question("as-2", "true_false")], "draft-quiz", status="draft", title="Draft quiz")
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/new", data=form(f"quiz:{draft.id}"))
    assert response.status_code == 422 and "is not published" in response.get_data(as_text=True)


def test_the_same_work_cannot_be_assigned_twice_to_a_cohort(client, cohort, quiz):
    client.post(f"/teach/cohorts/{cohort.id}/assignments/new", data=form(f"quiz:{quiz.id}"))
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/new", data=form(f"quiz:{quiz.id}"))
    assert response.status_code == 422 and "already assigned to this cohort" in response.get_data(as_text=True)


def test_an_assignment_is_changed_and_withdrawn(client, cohort, quiz):
    assignment = assign(cohort, "quiz", quiz.id)
    new_due = NOW + timedelta(days=20)
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/edit",
                           data=form(f"quiz:{quiz.id}", due=new_due, late_policy="refuse"))
    assert response.status_code == 302
    db.session.expire_all()
    assert assignment.late_policy == "refuse" and assignment.due_at == new_due.replace(second=0)
    client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/delete")
    assert db.session.scalar(select(Assignment)) is None


# ---- extensions and extra time --------------------------------------------------------------------------


@pytest.fixture
def learner(user_factory, cohort):
    user = user_factory(email="sam@example.org", name="Sam Learner")
    enrol(cohort, [user])
    return user


def test_an_extension_gives_one_learner_a_later_due_date(client, cohort, quiz, learner):
    assignment = assign(cohort, "quiz", quiz.id, due_at=NOW - timedelta(days=1))
    new_due = NOW + timedelta(days=3)
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/extensions",
                           data={"learner": str(learner.id), "due_at": new_due.strftime(FORM_TIME), "note": "flu"})
    assert response.status_code == 302
    extension = db.session.scalar(select(AssignmentExtension))
    assert (extension.user_id, extension.note) == (learner.id, "flu")
    (entry,) = assignments.learner_assignments(learner)
    assert entry.extended and entry.due_at == new_due.replace(second=0)
    assert entry.cell.status == "open"  # not missing any more: the new date has not passed


def test_an_extension_must_be_later_than_the_due_date(client, cohort, quiz, learner):
    assignment = assign(cohort, "quiz", quiz.id)
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/extensions",
                           data={"learner": str(learner.id), "due_at": NOW.strftime(FORM_TIME)})
    assert response.status_code == 422 and "must be due after" in response.get_data(as_text=True)


def test_an_extension_is_only_for_a_learner_of_the_cohort(client, cohort, quiz, user_factory):
    stranger = user_factory()
    assignment = assign(cohort, "quiz", quiz.id)
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/extensions",
                           data={"learner": str(stranger.id), "due_at": (NOW + timedelta(days=9)).strftime(FORM_TIME)})
    assert response.status_code == 422
    assert db.session.scalar(select(AssignmentExtension)) is None


def test_extra_time_on_an_assigned_quiz_is_the_quizs_own_accommodation(client, cohort, learner):
    timed = quiz_of([make_question("as-3", "true_false")], "timed", time_limit_minutes=20)
    assignment = assign(cohort, "quiz", timed.id)
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/extra-time",
                           data={"learner": str(learner.id), "extra_minutes": "10", "note": "504 plan"})
    assert response.status_code == 302
    accommodation = db.session.scalar(select(QuizAccommodation))
    assert (accommodation.quiz_id, accommodation.user_id, accommodation.extra_minutes) == (timed.id, learner.id, 10)
    attempt = quizzes.start_attempt(learner, timed, now=NOW)
    assert attempt.deadline_at == NOW + timedelta(minutes=30)


def test_extra_time_is_only_for_quizzes(client, cohort, learner):
    course = make_course("sig-codes", modules=1)
    assignment = assign(cohort, "course", course.id)
    response = client.post(f"/teach/cohorts/{cohort.id}/assignments/{assignment.id}/extra-time",
                           data={"learner": str(learner.id), "extra_minutes": "10"})
    assert response.status_code == 422


# ---- the learner's view ------------------------------------------------------------------------------------


def test_the_learner_sees_their_assignments_soonest_due_first_with_status(app, user_factory, instructor):
    cohort = make_cohort(instructor)
    learner = user_factory()
    enrol(cohort, [learner])
    later = quiz_of([make_question("as-4", "true_false")], "later", title="Later quiz")
    sooner = quiz_of([make_question("as-5", "true_false")], "sooner", title="Sooner quiz")
    past = quiz_of([make_question("as-6", "true_false")], "past", title="Past quiz")
    assign(cohort, "quiz", later.id, due_at=NOW + timedelta(days=9))
    assign(cohort, "quiz", sooner.id, due_at=NOW + timedelta(days=2))
    assign(cohort, "quiz", past.id, due_at=NOW - timedelta(days=1))
    graded_attempt(learner, sooner, [{"question": sooner.items[0].question, "score": 1}])
    entries = assignments.learner_assignments(learner, now=NOW)
    assert [(e.target.title, e.cell.status) for e in entries] == [
        ("Past quiz", "missing"), ("Sooner quiz", "done"), ("Later quiz", "open")]


def test_the_dashboard_lists_what_is_still_to_do(client, auth, instructor, quiz):
    cohort = make_cohort(instructor)
    assign(cohort, "quiz", quiz.id)
    auth.logout()
    auth.login("learner")
    client.post("/join", data={"code": cohort.join_code})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Assignments" in page and "Week 1 quiz: due" in page and "not started" in page


def test_a_course_is_done_when_completed_and_in_progress_by_its_modules(app, instructor, user_factory):
    cohort = make_cohort(instructor)
    course = make_course("sig-codes", modules=2)
    learner, other = user_factory(), user_factory()
    enrol(cohort, [learner, other])
    assign(cohort, "course", course.id)
    first = modules_of(course)[0]
    answer_checks(other, first)
    progress.complete_module(other, first)
    for module in modules_of(course):
        answer_checks(learner, module)
        progress.complete_module(learner, module)
    post_test_attempt(learner, course, 100)
    progress.complete_course(learner, db.session.get(type(course), course.id))
    db.session.commit()
    (done,) = assignments.learner_assignments(learner)
    (halfway,) = assignments.learner_assignments(other)
    assert (done.cell.status, done.cell.score) == ("done", Decimal(100))
    assert (halfway.cell.status, halfway.cell.progress) == ("in_progress", 50)


def test_a_withdrawn_course_completion_does_not_count(app, instructor, user_factory):
    cohort = make_cohort(instructor)
    course = make_course("sig-codes", modules=1)
    learner = user_factory()
    enrol(cohort, [learner])
    assign(cohort, "course", course.id)
    for module in modules_of(course):
        answer_checks(learner, module)
        progress.complete_module(learner, module)
    post_test_attempt(learner, course, 100)
    credit = progress.complete_course(learner, db.session.get(type(course), course.id))
    db.session.commit()
    assert assignments.learner_assignments(learner)[0].cell.status == "done"
    assert ce.withdraw_record(credit, instructor, "entered by mistake") == []
    db.session.commit()
    assert assignments.learner_assignments(learner)[0].cell.status == "in_progress"


def test_a_module_is_done_when_the_learner_completes_it(app, instructor, user_factory):
    cohort = make_cohort(instructor)
    course = make_course("sig-codes", modules=2)
    module = modules_of(course)[1]
    learner = user_factory()
    enrol(cohort, [learner])
    assign(cohort, "module", module.id)
    assert assignments.learner_assignments(learner)[0].cell.status == "open"
    answer_checks(learner, module)
    progress.complete_module(learner, module)
    db.session.commit()
    assert assignments.learner_assignments(learner)[0].cell.status == "done"
