"""The teaching home: instructors and admins land on a page about their work, not a learner's
dashboard. It shows their cohorts with what is due and what is behind, essays waiting to be
graded, their unpublished drafts, flagged questions and links to write something new; an admin
also sees accounts by role and the site's counts. It runs the same number of queries however
much there is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.factories.course_authoring import make_course, make_module
from tests.factories.quizzes import make_quiz
from tests.factories.teaching import NOW, assign, enrol, graded_attempt, make_cohort, make_learners
from trainer.extensions import db
from trainer.models import AttemptItem, ModuleDraft
from trainer.services.questions import save_question


def page_of(client, path="/teach/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def essays_waiting(instructor, slug: str, learners) -> None:
    """A quiz by `instructor` with one essay; each learner's submitted answer waits to be graded."""
    essay, _ = save_question({"id": f"{slug}-essay", "type": "essay", "stem": "Why is it a schedule II?",
                              "explanation": "Why.", "rubric": "Names the schedule.", "tags": ["home"],
                              "difficulty": "medium", "blueprint": ["ptce-2020:4.2"], "references": ["tests"]},
                             source="tests")
    quiz = quiz_by(instructor, slug, [{"question": essay.uid}], title=f"Essays {slug}")
    for learner in learners:
        attempt = graded_attempt(learner, quiz, [{"question": essay, "score": 0}])
        attempt.items[0].grade_flags = ["awaiting_grading"]
    db.session.commit()
    return quiz


def quiz_by(instructor, slug: str, items=None, **settings):
    quiz = make_quiz(slug, items, **settings)
    quiz.created_by_id = instructor.id
    db.session.commit()
    return quiz


# --- where they land ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_instructors_and_admins_land_on_the_teaching_home_after_login(client, user_factory, role):
    user = user_factory(role=role)
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 302 and response.location.endswith("/teach/")
    assert client.get("/").location.endswith("/teach/")


def test_a_learner_still_lands_on_the_dashboard(client, user_factory):
    user = user_factory(role="learner")
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.location.endswith("/dashboard")


def test_the_navigation_takes_an_instructor_home_and_a_learner_to_the_dashboard(client, auth):
    auth.login("instructor")
    page = page_of(client)
    assert '<a href="/teach/" aria-current="page">Home</a>' in page
    assert ">Dashboard</a>" not in page.split("</nav>")[0]
    assert "keep an eye on your continuing education" not in page
    assert 'href="/dashboard"' in page  # their own learning is one link away
    client.post("/logout")
    auth.login("learner")
    nav = page_of(client, "/dashboard").split("</nav>")[0]
    assert ">Dashboard</a>" in nav and 'href="/teach/"' not in nav


def test_the_home_links_to_writing_something_new(client, auth):
    auth.login("instructor")
    page = page_of(client)
    for link in ("/teach/courses/new", "/teach/questions/new", "/teach/questions/new/calculated",
                 "/teach/quizzes/new", "/teach/questions/import"):
        assert f'href="{link}"' in page


# --- what it shows ---------------------------------------------------------------------


def test_an_instructor_sees_due_and_past_due_work_with_how_many_have_not_done_it(client, auth):
    instructor = auth.login("instructor")
    quiz = make_quiz("home-due", title="Sig codes quiz")
    late_quiz = make_quiz("home-late", title="Days supply quiz")
    cohort = make_cohort(instructor, "Tuesday evening")
    learners = make_learners(3, prefix="homedue")
    enrol(cohort, learners)
    assign(cohort, "quiz", quiz.id)
    assign(cohort, "quiz", late_quiz.id, opens_at=NOW - timedelta(days=10), due_at=NOW - timedelta(days=2))
    graded_attempt(learners[0], late_quiz, [], started_at=NOW - timedelta(days=4))
    page = page_of(client)
    assert "Sig codes quiz" in page and "3 of 3 not done" in page
    behind = page.split('id="home-behind"')[1].split("</section>")[0]
    assert "Days supply quiz" in behind and "2 of 3 not done" in behind


def test_past_due_work_everyone_did_is_not_listed_as_behind(client, auth):
    instructor = auth.login("instructor")
    quiz = make_quiz("home-done", title="Done quiz")
    cohort = make_cohort(instructor)
    (learner,) = make_learners(1, prefix="homedone")
    enrol(cohort, [learner])
    assign(cohort, "quiz", quiz.id, opens_at=NOW - timedelta(days=10), due_at=NOW - timedelta(days=2))
    graded_attempt(learner, quiz, [], started_at=NOW - timedelta(days=4))
    behind = page_of(client).split('id="home-behind"')[1].split("</section>")[0]
    assert "Done quiz" not in behind and "Every learner has done the work" in behind


def test_essays_waiting_are_counted_per_quiz_and_link_to_the_grading_queue(client, auth, user_factory):
    instructor = auth.login("instructor")
    essays_waiting(instructor, "counselling", make_learners(2, prefix="essay"))
    someone_else = user_factory(role="instructor")
    essays_waiting(someone_else, "not-mine", make_learners(1, prefix="other"))
    grading = page_of(client).split('id="home-grading"')[1].split("</section>")[0]
    assert 'href="/teach/quizzes/counselling/grading"' in grading and "2 essays to grade" in grading
    assert "not-mine" not in grading  # another instructor's quiz is theirs to grade


def test_graded_essays_leave_the_count(client, auth):
    instructor = auth.login("instructor")
    essays_waiting(instructor, "graded", make_learners(1, prefix="graded"))
    db.session.execute(update(AttemptItem).values(grade_flags=[]))  # as grading by hand leaves it
    db.session.commit()
    grading = page_of(client).split('id="home-grading"')[1].split("</section>")[0]
    assert "No essay in your quizzes is waiting to be graded" in grading


def test_an_instructor_sees_their_drafts(client, auth, user_factory):
    instructor = auth.login("instructor")
    make_course("unfinished", title="Unfinished course", status="draft").owner_id = instructor.id
    make_course("shipped-draft", title="Shipped draft course", status="draft")
    make_course("theirs", title="Their draft course", status="draft").owner_id = user_factory(role="instructor").id
    live = make_course("live", title="Live course", status="published")
    live.owner_id = instructor.id
    module = make_module(live, title="Reading the sig")
    module.draft = ModuleDraft(base_version=1, title="Reading the sig, again", markdown="# x\n", html="",
                               created_by_id=instructor.id, updated_by_id=instructor.id)
    # a draft begun on shipped content before it became an administrator's to change
    shipped = make_module(make_course("shipped-live", title="Shipped live course", status="published"))
    shipped.draft = ModuleDraft(base_version=1, title="An old draft on shipped text", markdown="# x\n", html="",
                                created_by_id=instructor.id, updated_by_id=instructor.id)
    quiz_by(instructor, "draft-quiz", title="Quiz in progress", status="draft")
    quiz_by(user_factory(role="instructor"), "their-quiz", title="Someone else's quiz", status="draft")
    db.session.commit()
    drafts = page_of(client).split('id="home-drafts"')[1].split("</section>")[0]
    assert "Unfinished course" in drafts and "course not published" in drafts
    assert "Reading the sig, again" in drafts and f"/teach/courses/live/modules/{module.id}" in drafts
    assert "Quiz in progress" in drafts and "Someone else" not in drafts
    assert "Shipped draft course" not in drafts and "Their draft course" not in drafts
    assert "An old draft on shipped text" not in drafts


def test_an_instructor_with_nothing_waiting_is_told_so(client, auth):
    auth.login("instructor")
    page = page_of(client)
    assert "No essay in your quizzes is waiting to be graded" in page
    assert "Nothing unpublished" in page
    assert "You have no cohorts yet" in page
    assert "Accounts" not in page  # the site's counts are for admins


def test_an_admin_also_sees_accounts_by_role_and_the_sites_counts(client, auth, user_factory):
    for role in ("learner", "learner", "instructor"):
        user_factory(role=role)
    user_factory(role="learner", active=False)
    make_course("counted", status="published")
    auth.login("admin")
    site = page_of(client).split('id="site-heading"')[1]
    assert "<dt>Learners</dt><dd>2</dd>" in site and "<dt>Instructors</dt><dd>1</dd>" in site
    assert "<dt>Admins</dt><dd>1</dd>" in site and "<dt>Deactivated</dt><dd>1</dd>" in site
    assert "<dt>Published courses</dt><dd>1</dd>" in site
    assert 'href="/admin/users"' in site


def test_a_learner_cannot_open_the_teaching_home(client, auth):
    auth.login("learner")
    assert client.get("/teach/").status_code == 403


# --- a fixed number of queries -----------------------------------------------------------


def _class_of(instructor, n: int, size: int) -> None:
    """A cohort of `size` learners with a quiz due, one past due, essays waiting and drafts."""
    cohort = make_cohort(instructor, f"Class {n}")
    learners = make_learners(size, prefix=f"q{n}x")
    enrol(cohort, learners)
    assign(cohort, "quiz", make_quiz(f"due-{n}").id)
    assign(cohort, "quiz", make_quiz(f"late-{n}").id, opens_at=NOW - timedelta(days=10),
           due_at=NOW - timedelta(days=2))
    essays_waiting(instructor, f"essays-{n}", learners)
    make_course(f"draft-{n}", status="draft")
    quiz_by(instructor, f"draft-quiz-{n}", status="draft")


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_the_home_runs_a_fixed_number_of_queries(app, client, auth, count_queries, role):
    user = auth.login(role)
    # the user; the bank's counts; the cohorts; the flags' key (assigned quizzes, responses,
    # regrades) and the first attempts; learner counts; due soon and past due, five each
    # (assignments, what they are, members, tries, extensions); essays waiting; drafts
    # (courses, module drafts, quizzes, questions); for an admin, roles and site counts
    expected = {"instructor": 23, "admin": 25}[role]
    counts = []
    for n, size in ((1, 2), (2, 6)):
        _class_of(user, n, size)
        app.extensions.pop("teaching_flagged", None)
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get("/teach/").status_code == 200
        statements = [s for s in statements if "SAVEPOINT" not in s.upper()]
        counts.append(len(statements))
        assert len(statements) == expected, "\n".join(" ".join(s.split())[:110] for s in statements)
    assert counts[0] == counts[1]
