"""Access: an instructor can neither see nor change another instructor's cohort, gradebook,
assignments or item analysis; a co-instructor and an admin can."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories.quizzes import make_question, quiz_of
from tests.factories.teaching import assign, enrol, graded_attempt, make_cohort, make_learners
from trainer.extensions import db
from trainer.models import Assignment, Cohort, CohortMember
from trainer.services import cohorts, item_analysis


@pytest.fixture
def theirs(app, user_factory):
    """Another instructor's cohort with a learner, a quiz assignment and an attempt."""
    owner = user_factory(role="instructor", email="owner@example.org")
    cohort = make_cohort(owner, "Owner's class")
    (learner,) = make_learners(1, prefix="theirs")
    enrol(cohort, [learner])
    question = make_question("acc-1", "true_false")
    quiz = quiz_of([question], "acc-quiz")
    assignment = assign(cohort, "quiz", quiz.id)
    attempt = graded_attempt(learner, quiz, [{"question": question, "score": 1, "chosen": ["true"]}])
    return {"owner": owner, "cohort": cohort, "learner": learner, "quiz": quiz,
            "assignment": assignment, "attempt": attempt}


def _paths(t) -> list[str]:
    c, a, u = t["cohort"].id, t["assignment"].id, t["learner"].id
    return [
        f"/teach/cohorts/{c}", f"/teach/cohorts/{c}/edit", f"/teach/cohorts/{c}/class-list",
        f"/teach/cohorts/{c}/gradebook", f"/teach/cohorts/{c}/gradebook.csv",
        f"/teach/cohorts/{c}/learners/{u}", f"/teach/cohorts/{c}/learners/{u}/attempts/{t['attempt'].id}",
        f"/teach/cohorts/{c}/assignments/new", f"/teach/cohorts/{c}/assignments/{a}",
        f"/teach/cohorts/{c}/assignments/{a}/edit",
        f"/teach/analysis?cohort={c}", f"/teach/analysis/quizzes/acc-quiz?cohort={c}",
        f"/teach/analysis/questions/acc-1?cohort={c}",
    ]


def _posts(t) -> list[tuple[str, dict]]:
    c, a, u = t["cohort"].id, t["assignment"].id, t["learner"].id
    return [
        (f"/teach/cohorts/{c}/edit", {"name": "Taken over"}),
        (f"/teach/cohorts/{c}/code", {}),
        (f"/teach/cohorts/{c}/joining", {"open": "0"}),
        (f"/teach/cohorts/{c}/members/{u}/remove", {}),
        (f"/teach/cohorts/{c}/instructors", {"email": "intruder@example.org"}),
        (f"/teach/cohorts/{c}/class-list/confirm", {"text": "someone@example.org"}),
        (f"/teach/cohorts/{c}/gradebook/weights", {f"weight-{a}": "9"}),
        (f"/teach/cohorts/{c}/assignments/new", {"target": f"quiz:{t['quiz'].id}"}),
        (f"/teach/cohorts/{c}/assignments/{a}/edit", {"target": f"quiz:{t['quiz'].id}"}),
        (f"/teach/cohorts/{c}/assignments/{a}/delete", {}),
        (f"/teach/cohorts/{c}/assignments/{a}/extensions", {"learner": str(u), "due_at": "2099-01-01T00:00"}),
        (f"/teach/cohorts/{c}/assignments/{a}/extra-time", {"learner": str(u), "extra_minutes": "30"}),
    ]


def test_another_instructor_can_open_none_of_the_cohorts_pages(client, auth, theirs):
    auth.login("instructor")
    for path in _paths(theirs):
        assert client.get(path).status_code == 404, path


def test_another_instructor_can_change_nothing_in_the_cohort(client, auth, theirs):
    auth.login("instructor")
    code = theirs["cohort"].join_code
    for path, data in _posts(theirs):
        assert client.post(path, data=data).status_code == 404, path
    db.session.expire_all()
    cohort = db.session.get(Cohort, theirs["cohort"].id)
    assert (cohort.name, cohort.join_code, cohort.joining_open) == ("Owner's class", code, True)
    assert db.session.scalar(select(Assignment.id)) == theirs["assignment"].id
    assert db.session.scalar(select(CohortMember.removed_at)) is None


def test_the_cohort_is_not_in_another_instructors_lists(client, auth, theirs):
    auth.login("instructor")
    assert "Owner&#39;s class" not in client.get("/teach/cohorts").get_data(as_text=True)
    assert "Owner&#39;s class" not in client.get("/teach/").get_data(as_text=True)


def test_another_instructors_analysis_counts_none_of_the_cohorts_attempts(client, auth, theirs):
    auth.login("instructor")
    page = client.get("/teach/analysis/quizzes/acc-quiz").get_data(as_text=True)
    assert "No submitted attempt" in page
    assert "acc-quiz" not in client.get("/teach/analysis").get_data(as_text=True)


def test_the_owner_and_an_admin_can_open_every_page(client, auth, theirs, user_factory):
    auth.login(theirs["owner"])
    for path in _paths(theirs):
        assert client.get(path).status_code == 200, path
    auth.logout()
    auth.login("admin")
    for path in _paths(theirs):
        assert client.get(path).status_code == 200, path


def test_an_admin_sees_everyones_attempts_in_the_analysis(app, user_factory, theirs):
    admin = user_factory(role="admin")
    scope = item_analysis.Scope(None, "all learners")
    assert admin.is_admin
    analysis = item_analysis.analyse_quiz(theirs["quiz"], scope)
    assert analysis.totals.n == 1


def test_a_co_instructor_can_open_the_pages(client, auth, theirs, user_factory):
    colleague = user_factory(role="instructor", email="colleague@example.org")
    cohorts.add_instructor(theirs["cohort"], colleague.email, actor=theirs["owner"])
    db.session.commit()
    auth.login(colleague)
    for path in _paths(theirs):
        assert client.get(path).status_code == 200, path


def test_an_assignment_of_another_cohort_is_not_found_through_ones_own(client, auth, theirs):
    mine = make_cohort(auth.login("instructor"), "Mine")
    assert client.get(f"/teach/cohorts/{mine.id}/assignments/{theirs['assignment'].id}").status_code == 404
    assert client.get(f"/teach/cohorts/{mine.id}/learners/{theirs['learner'].id}").status_code == 404


def test_an_admin_may_use_every_cohort_in_the_analysis(client, auth, theirs):
    auth.login("admin")
    page = client.get(f"/teach/analysis/quizzes/acc-quiz?cohort={theirs['cohort'].id}").get_data(as_text=True)
    assert "1 first attempt" in page
