"""Copying a course, and shipped content (no owner) that only an admin changes.

An instructor copies a course they may open (published, shipped, or theirs) as a draft of
their own: modules, settings, CE hours and topic and a post-test of its own come along; the
UAN, learner progress, completions, CE credits, module drafts and revisions do not; and
nothing of the copy is shared with the original. Shipped courses, quizzes and questions are
read and copied by instructors and changed by admins only.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import ce as ce_make
from tests.factories.bank import editor_form, make_question, make_quiz, question_data
from tests.factories.courses import make_course
from trainer.extensions import db
from trainer.models import (
    AuditEvent,
    CECredit,
    Course,
    Module,
    ModuleDraft,
    ModuleProgress,
    ModuleRevision,
    Question,
    Quiz,
)
from trainer.services import ownership

UAN = "0669-0000-24-001-H04-T"
SHIPPED = "Shipped content is changed by an administrator; copy it to adapt it."


@pytest.fixture
def bob(user_factory):
    return user_factory(email="bob@example.org", name="Bob Other", role="instructor")


@pytest.fixture
def shipped(app, user_factory):
    """The operator's published course (no owner) with a UAN, a learner's progress and CE credit,
    a revision and an unpublished draft on its first module."""
    course = make_course("ptce-prep", title="PTCE preparation", modules=3, uan=UAN, ce_hours="1.5",
                         prerequisites=["sig-basics"])
    course.post_test_attempts, course.post_test_wait_hours = 2, 12
    first = course.modules[0]
    learner = user_factory(email="lee@example.org")
    db.session.add(ModuleProgress(user_id=learner.id, module_id=first.id, course_id=course.id))
    db.session.add(ModuleRevision(module_id=first.id, version=1, title="Old", front_matter={},
                                  markdown="old text", reason="edit"))
    first.version = 2
    db.session.add(ModuleDraft(module_id=first.id, base_version=2, title="Unpublished", markdown="draft text"))
    db.session.commit()
    ce_make.course_credit(learner, course)
    return course


def _course(slug: str) -> Course | None:
    db.session.expire_all()
    return db.session.scalar(select(Course).where(Course.slug == slug))


def _token(page: str) -> str:
    from tests.web.test_question_import import _token as token_of

    return token_of(page)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# ---- copying a course ------------------------------------------------------------------------------


def test_an_instructor_copies_a_shipped_course_with_its_modules_and_settings(client, auth, bob, shipped):
    auth.login(bob)
    response = client.post("/teach/courses/ptce-prep/copy", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.request.path == "/teach/courses/ptce-prep-copy"
    assert "Copied “PTCE preparation” as a draft course that is yours to change, with its 3 modules." in page
    assert "The UAN was left empty" in page and "publish it before the course" in page

    original, copy = _course("ptce-prep"), _course("ptce-prep-copy")
    assert (copy.title, copy.status, copy.owner_id, copy.version) == ("PTCE preparation (copy)", "draft", bob.id, 1)
    assert copy.uan is None and original.uan == UAN
    assert (copy.ce_hours, copy.ce_topic, copy.activity_type, copy.audience) == (
        Decimal("1.5"), "04", "knowledge", "both")
    assert (copy.pass_mark, copy.post_test_attempts, copy.post_test_wait_hours) == (80, 2, 12)
    assert copy.references == original.references and copy.prerequisites == ["sig-basics"]
    assert (copy.summary, copy.summary_html) == (original.summary, original.summary_html)
    # the modules' published text, stored rendering, order and knowledge checks
    assert [(m.slug, m.position, m.title, m.markdown, m.html, m.checks, m.toc, m.word_count)
            for m in copy.modules] == [
        (m.slug, m.position, m.title, m.markdown, m.html, m.checks, m.toc, m.word_count) for m in original.modules]
    assert all(m.checks for m in copy.modules)
    # its own post-test, a draft copy of the original's with the same pool
    assert copy.post_test_quiz_id != original.post_test_quiz_id
    assert (copy.post_test.slug, copy.post_test.status, copy.post_test.owner_id) == (
        "ptce-prep-post-test-copy", "draft", bob.id)
    assert [i.draw_filter for i in copy.post_test.items] == [i.draw_filter for i in original.post_test.items]


def test_a_copy_leaves_learners_history_drafts_and_revisions_behind(client, auth, bob, shipped):
    auth.login(bob)
    client.post("/teach/courses/ptce-prep/copy")
    copy = _course("ptce-prep-copy")
    module_ids = [m.id for m in copy.modules]
    assert _count(ModuleProgress, ModuleProgress.course_id == copy.id) == 0
    assert _count(CECredit, CECredit.course_id == copy.id) == 0
    assert _count(ModuleDraft, ModuleDraft.module_id.in_(module_ids)) == 0
    assert _count(ModuleRevision, ModuleRevision.module_id.in_(module_ids)) == 0
    assert all(m.version == 1 and m.published_by_id is None for m in copy.modules)
    assert [a.id for a in copy.co_authors] == []
    # the history says where the text came from
    page = client.get(f"/teach/courses/ptce-prep-copy/modules/{module_ids[0]}/history").get_data(as_text=True)
    assert "starts with the copy of course ptce-prep version 1" in page
    # the original keeps all of it
    original = _course("ptce-prep")
    assert _count(ModuleProgress, ModuleProgress.course_id == original.id) == 1
    assert _count(CECredit, CECredit.course_id == original.id) == 1
    assert original.modules[0].draft is not None and original.modules[0].version == 2


def test_a_copy_is_audited(client, auth, bob, shipped):
    auth.login(bob)
    client.post("/teach/courses/ptce-prep/copy")
    events = {e.subject: e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "copied"))}
    event = events["course ptce-prep-copy"]
    assert (event.actor_id, event.details["source"], event.details["modules"]) == (bob.id, "course ptce-prep", 3)
    assert event.details["post_test"] == "quiz ptce-prep-post-test-copy"
    assert "quiz ptce-prep-post-test-copy" in events


def test_editing_the_copy_leaves_the_original_untouched(client, auth, bob, shipped):
    auth.login(bob)
    client.post("/teach/courses/ptce-prep/copy")
    copy = _course("ptce-prep-copy")
    module = copy.modules[0]
    original_markdown = _course("ptce-prep").modules[0].markdown
    form = {"title": "Adapted module", "objectives": "Adapt it", "minutes": "12", "references": "Our notes",
            "markdown": "# Adapted\n\nOur programme's own text.\n", "action": "save",
            "version": str(module.version)}
    assert client.post(f"/teach/courses/ptce-prep-copy/modules/{module.id}", data=form).status_code == 302
    details = {"title": "Our PTCE preparation", "summary": "Ours.", "audience": "students", "ce_hours": "2",
               "ce_topic": "04", "activity_type": "knowledge", "uan": "", "post_test": str(copy.post_test_quiz_id),
               "pass_mark": "70", "post_test_attempts": "1", "post_test_wait_hours": "48",
               "references": "Our reference", "status": "draft"}
    assert client.post("/teach/courses/ptce-prep-copy/edit", data=details).status_code == 302

    copy, original = _course("ptce-prep-copy"), _course("ptce-prep")
    assert copy.modules[0].title == "Adapted module" and "own text" in copy.modules[0].html
    assert (copy.title, copy.pass_mark, copy.post_test_attempts) == ("Our PTCE preparation", 70, 1)
    assert original.modules[0].markdown == original_markdown and original.modules[0].title == "Module 1"
    assert (original.title, original.pass_mark, original.post_test_attempts, original.version) == (
        "PTCE preparation", 80, 2, 1)
    assert original.references == ["ISMP error-prone abbreviations"]
    # the original's module search entries and the copy's are separate rows
    assert len({m.id for m in copy.modules} & {m.id for m in original.modules}) == 0


def test_copying_twice_finds_a_free_slug_and_title(client, auth, bob, shipped):
    auth.login(bob)
    client.post("/teach/courses/ptce-prep/copy")
    client.post("/teach/courses/ptce-prep/copy")
    copy = _course("ptce-prep-copy-2")
    assert copy.title == "PTCE preparation (copy 2)" and copy.post_test.slug == "ptce-prep-post-test-copy-2"


def test_an_author_may_copy_their_own_course_and_a_draft_of_someone_else_is_not_there(client, auth, bob,
                                                                                     user_factory):
    alice = user_factory(email="alice@example.org", role="instructor")
    mine = make_course("bobs-course", status="draft", post_test=False)
    mine.owner_id = bob.id
    theirs = make_course("alices-draft", status="draft", post_test=False)
    theirs.owner_id = alice.id
    db.session.commit()
    auth.login(bob)
    page = client.get("/teach/courses/bobs-course").get_data(as_text=True)
    assert "Copy this course" in page and "Edit details" in page
    assert client.post("/teach/courses/bobs-course/copy").status_code == 302
    assert _course("bobs-course-copy").owner_id == bob.id
    assert client.post("/teach/courses/alices-draft/copy").status_code == 404
    assert _course("alices-draft-copy") is None


def test_a_post_test_the_copier_may_not_open_is_left_out_and_said_so(client, auth, bob, user_factory):
    alice = user_factory(email="alice@example.org", role="instructor")
    course = make_course("alices-course")
    course.owner_id = alice.id
    course.post_test.owner_id = alice.id
    course.post_test.status = "draft"
    db.session.commit()
    auth.login(bob)
    page = client.post("/teach/courses/alices-course/copy", follow_redirects=True).get_data(as_text=True)
    assert "its post-test is another instructor&#39;s draft, so it was not copied" in page.lower()
    assert _course("alices-course-copy").post_test_quiz_id is None


def test_the_copy_owner_may_edit_it_and_publish_it(client, auth, bob, shipped):
    auth.login(bob)
    client.post("/teach/courses/ptce-prep/copy")
    assert client.get("/teach/courses/ptce-prep-copy/edit").status_code == 200
    copy = _course("ptce-prep-copy")
    copy.post_test.status = "published"
    db.session.commit()
    client.post("/teach/courses/ptce-prep-copy/status", data={"status": "published"})
    assert _course("ptce-prep-copy").status == "published"


def test_a_learner_cannot_copy(client, auth, shipped):
    auth.login("learner")
    assert client.post("/teach/courses/ptce-prep/copy").status_code == 403
    assert _course("ptce-prep-copy") is None


# ---- shipped content: admins change it, instructors read and copy it ---------------------------------


def test_an_instructor_cannot_change_a_shipped_course_and_is_told_why(client, auth, bob, shipped):
    auth.login(bob)
    module = shipped.modules[0]
    page = client.get("/teach/courses/ptce-prep").get_data(as_text=True)
    assert SHIPPED in page and "Copy to edit" in page
    assert "Edit details" not in page and "Add a module" not in page and "/delete" not in page
    response = client.get("/teach/courses/ptce-prep/edit")
    assert response.status_code == 403 and SHIPPED in response.get_data(as_text=True)
    for method, path in [("post", "/teach/courses/ptce-prep/edit"), ("post", "/teach/courses/ptce-prep/status"),
                         ("get", f"/teach/courses/ptce-prep/modules/{module.id}"),
                         ("post", f"/teach/courses/ptce-prep/modules/{module.id}"),
                         ("post", f"/teach/courses/ptce-prep/modules/{module.id}/move"),
                         ("post", f"/teach/courses/ptce-prep/modules/{module.id}/delete"),
                         ("post", f"/teach/courses/ptce-prep/modules/{module.id}/revisions/1/restore"),
                         ("post", "/teach/courses/ptce-prep/authors")]:
        data = {"status": "draft", "title": "Taken over", "markdown": "# x", "direction": "down",
                "action": "give", "email": bob.email}
        assert getattr(client, method)(path, data=data).status_code == 403, path
    course = _course("ptce-prep")
    assert (course.status, course.owner_id, course.modules[0].title, course.version) == (
        "published", None, "Module 1", 1)
    # reading stays open: the history and the learner view
    assert client.get(f"/teach/courses/ptce-prep/modules/{module.id}/history").status_code == 200
    assert client.get(f"/teach/courses/ptce-prep/modules/{module.id}/preview").status_code == 200


def test_a_shipped_draft_course_is_readable_and_copyable_but_not_changeable(client, auth, bob):
    make_course("shipped-draft", status="draft")
    auth.login(bob)
    assert client.get("/teach/courses/shipped-draft").status_code == 200
    assert client.get("/teach/courses/shipped-draft/edit").status_code == 403
    assert client.post("/teach/courses/shipped-draft/copy").status_code == 302
    assert _course("shipped-draft-copy").owner_id == bob.id


def test_an_instructor_cannot_change_a_shipped_quiz_but_can_copy_it(client, auth, bob):
    make_question("q-1")
    make_quiz("weekly", [{"question": "q-1"}], status="published")
    auth.login(bob)
    page = client.get("/teach/quizzes/weekly").get_data(as_text=True)
    assert SHIPPED in page and "Copy to edit" in page and "/teach/quizzes/weekly/edit" not in page
    response = client.get("/teach/quizzes/weekly/edit")
    assert response.status_code == 403 and SHIPPED in response.get_data(as_text=True)
    assert client.post("/teach/quizzes/weekly/status", data={"status": "retired"}).status_code == 403
    assert client.post("/teach/quizzes/weekly/copy").status_code == 302
    copy = db.session.scalar(select(Quiz).where(Quiz.slug == "weekly-copy"))
    assert copy.owner_id == bob.id
    assert client.get("/teach/quizzes/weekly-copy/edit").status_code == 200
    assert db.session.scalar(select(Quiz.status).where(Quiz.slug == "weekly")) == "published"


def test_an_instructor_cannot_change_a_shipped_question_but_can_copy_it(client, auth, bob):
    make_question("shipped-q", stem="The shipped stem")
    auth.login(bob)
    page = client.get("/teach/questions/shipped-q").get_data(as_text=True)
    assert SHIPPED in page and "Copy to edit" in page and "/teach/questions/shipped-q/edit" not in page
    form = editor_form(question_data("shipped-q", stem="Rewritten for everyone"))
    response = client.post("/teach/questions/shipped-q/edit", data=form)
    assert response.status_code == 403 and SHIPPED in response.get_data(as_text=True)
    assert client.post("/teach/questions/shipped-q/status", data={"status": "retired"}).status_code == 403
    assert client.post("/teach/questions/shipped-q/copy").status_code == 302
    copy = db.session.scalar(select(Question).where(Question.uid == "shipped-q-copy"))
    assert copy.owner_id == bob.id
    assert client.get("/teach/questions/shipped-q-copy/edit").status_code == 200
    shipped_question = db.session.scalar(select(Question).where(Question.uid == "shipped-q"))
    assert (shipped_question.data["stem"], shipped_question.status) == ("The shipped stem", "published")


def test_an_import_cannot_overwrite_a_shipped_question(client, auth, bob):
    from tests.web.test_question_import import DEFAULTS, GOOD

    make_question("tf", "true_false", stem="The shipped stem")
    auth.login(bob)
    page = client.post("/teach/questions/import", data={"text": GOOD, **DEFAULTS}).get_data(as_text=True)
    assert "tf is already in the bank and is shipped content" in page and "1 to update" not in page
    client.post("/teach/questions/import/confirm", data={**DEFAULTS, "token": _token(page), "skip_invalid": "y"})
    db.session.expire_all()
    shipped_question = db.session.scalar(select(Question).where(Question.uid == "tf"))
    assert (shipped_question.data["stem"], shipped_question.current_version.number) == ("The shipped stem", 1)
    assert _count(Question) == 3  # the two new ones came in


def test_an_admin_changes_shipped_content(client, auth, shipped):
    make_question("shipped-q")
    make_quiz("weekly", [{"question": "shipped-q"}], status="published")
    auth.login("admin")
    assert client.get("/teach/courses/ptce-prep/edit").status_code == 200
    page = client.get("/teach/courses/ptce-prep").get_data(as_text=True)
    assert "Edit details" in page and SHIPPED not in page
    assert client.get("/teach/quizzes/weekly/edit").status_code == 200
    assert client.get("/teach/questions/shipped-q/edit").status_code == 200
    assert client.post("/teach/courses/ptce-prep/status", data={"status": "draft"}).status_code == 302
    assert _course("ptce-prep").status == "draft"


def test_an_admin_gives_shipped_content_to_an_instructor_who_may_then_change_it(client, auth, bob, shipped):
    admin = auth.login("admin")
    client.post("/teach/courses/ptce-prep/authors", data={"action": "give", "email": bob.email})
    assert _course("ptce-prep").owner_id == bob.id
    client.post("/logout")
    auth.login(bob)
    assert client.get("/teach/courses/ptce-prep/edit").status_code == 200
    assert admin is not None


def test_the_policy_itself(app, bob, user_factory):
    admin = user_factory(role="admin")
    shipped_course = Course(slug="s", title="S", owner_id=None, status="published")
    owned = Course(slug="o", title="O", owner_id=bob.id, status="draft")
    assert not ownership.may_edit(bob, shipped_course) and ownership.may_view(bob, shipped_course)
    assert ownership.may_edit(admin, shipped_course) and ownership.may_manage(admin, shipped_course)
    assert not ownership.may_manage(bob, shipped_course)
    assert ownership.may_edit(bob, owned) and ownership.may_manage(bob, owned)


def test_seed_demo_gives_the_demo_instructor_a_course_of_their_own(runner, shipped):
    result = runner.invoke(args=["trainer", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "The demo instructor owns “PTCE preparation (copy)”" in result.output
    instructor = db.session.scalar(select(Course.owner_id).where(Course.slug == "ptce-prep-copy"))
    assert instructor is not None
    again = runner.invoke(args=["trainer", "seed-demo"])
    assert "demo instructor owns" not in again.output
    assert _count(Course, Course.owner_id == instructor) == 1
    assert _count(Module, Module.course_id == _course("ptce-prep-copy").id) == 3
