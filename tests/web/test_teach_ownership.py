"""Courses, quizzes and questions have owners and co-authors.

Another instructor sees an item once it is published and may copy it, but may neither
open nor change someone else's draft; an admin may do anything; shipped content (no owner)
is read and copied by every instructor and changed by admins only (tests/web/test_teach_course_copy.py);
who changed what is in the history and the audit trail.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories.bank import editor_form, make_question, make_quiz, question_data
from tests.factories.course_authoring import make_course
from trainer.extensions import db
from trainer.models import AuditEvent, Question, Quiz
from trainer.services import ownership


@pytest.fixture
def alice(user_factory):
    return user_factory(email="alice@example.org", name="Alice Author", role="instructor")


@pytest.fixture
def bob(user_factory):
    return user_factory(email="bob@example.org", name="Bob Other", role="instructor")


def owned(item, user):
    item.owner_id = user.id
    db.session.commit()
    return item


def test_a_question_written_in_the_editor_belongs_to_its_writer(client, auth, alice):
    auth.login(alice)
    response = client.post("/teach/questions/new/single_choice", data=editor_form(question_data("mine-001")))
    assert response.status_code == 302
    assert db.session.scalar(select(Question).where(Question.uid == "mine-001")).owner_id == alice.id


def test_a_quiz_and_a_course_made_in_the_teach_area_belong_to_their_maker(app, alice):
    quiz = make_quiz("mine", [])
    assert quiz.owner_id is None  # made without anyone: shipped content
    from trainer.services.questions import save_quiz

    made, _ = save_quiz({"slug": "alices", "title": "Alice's", "items": []}, actor=alice)
    assert made.owner_id == alice.id


# ---- questions -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/teach/questions/draft-q", "/teach/questions/draft-q/edit",
                                  "/teach/questions/draft-q/versions/1", "/teach/questions/draft-q/diff"])
def test_another_instructors_draft_question_is_not_there(client, auth, alice, bob, path):
    owned(make_question("draft-q", status="draft"), alice)
    auth.login(bob)
    assert client.get(path).status_code == 404


def test_another_instructors_draft_question_cannot_be_changed(client, auth, alice, bob):
    owned(make_question("draft-q", status="draft"), alice)
    auth.login(bob)
    form = editor_form(question_data("draft-q", stem="Taken over"))
    assert client.post("/teach/questions/draft-q/edit", data=form).status_code == 404
    assert client.post("/teach/questions/draft-q/status", data={"status": "published"}).status_code == 404
    assert client.post("/teach/questions/draft-q/copy").status_code == 404
    assert db.session.scalar(select(Question).where(Question.uid == "draft-q")).status == "draft"


def test_a_published_question_is_readable_but_not_changeable_by_others(client, auth, alice, bob):
    owned(make_question("pub-q"), alice)
    auth.login(bob)
    assert client.get("/teach/questions/pub-q").status_code == 200
    assert client.get("/teach/questions/pub-q/versions/1").status_code == 200
    assert client.get("/teach/questions/pub-q/edit").status_code == 403
    form = editor_form(question_data("pub-q", stem="Changed by someone else"))
    assert client.post("/teach/questions/pub-q/edit", data=form).status_code == 403
    assert client.post("/teach/questions/pub-q/status", data={"status": "retired"}).status_code == 403


def test_a_published_question_is_copied_as_the_copiers_own_draft(client, auth, alice, bob):
    original = owned(make_question("pub-q"), alice)
    auth.login(bob)
    response = client.post("/teach/questions/pub-q/copy")
    assert response.status_code == 302 and response.location.endswith("/teach/questions/pub-q-copy")
    copy = db.session.scalar(select(Question).where(Question.uid == "pub-q-copy"))
    assert (copy.owner_id, copy.status) == (bob.id, "draft")
    assert copy.data["stem"] == original.data["stem"]
    assert copy.current_version.created_by_id == bob.id and "copied from pub-q" in copy.current_version.note
    assert client.get("/teach/questions/pub-q-copy/edit").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "copied"))
    assert (event.subject, event.actor_id, event.details["source"]) == ("question pub-q-copy", bob.id,
                                                                        "question pub-q")


def test_the_bank_list_shows_published_questions_and_ones_own_drafts(client, auth, alice, bob):
    owned(make_question("alices-draft", status="draft"), alice)
    owned(make_question("alices-published"), alice)
    owned(make_question("bobs-draft", status="draft"), bob)
    make_question("shipped-draft", status="draft")
    auth.login(bob)
    page = client.get("/teach/questions").get_data(as_text=True)
    assert "alices-published" in page and "bobs-draft" in page and "shipped-draft" in page
    assert "alices-draft" not in page
    export = client.get("/teach/questions/export?uid=alices-draft&uid=bobs-draft").get_data(as_text=True)
    assert "bobs-draft" in export and "alices-draft" not in export


def test_a_co_author_may_open_and_change_the_draft(client, auth, alice, bob):
    question = owned(make_question("shared-q", status="draft"), alice)
    auth.login(alice)
    response = client.post("/teach/questions/shared-q/authors", data={"email": "BOB@example.org", "action": "add"})
    assert response.status_code == 302
    assert [a.email for a in question.co_authors] == ["bob@example.org"]
    client.post("/logout")
    auth.login(bob)
    form = {**editor_form(question_data("shared-q", stem="Bob's better stem", status="draft")), "base_version": "1"}
    assert client.post("/teach/questions/shared-q/edit", data=form).status_code == 302
    db.session.expire_all()
    version = db.session.get(Question, question.id).current_version
    assert (version.number, version.created_by_id, version.data["stem"]) == (2, bob.id, "Bob's better stem")
    # the history names who wrote each version
    history = client.get("/teach/questions/shared-q").get_data(as_text=True)
    assert "Bob Other" in history


def test_only_the_owner_or_an_admin_chooses_co_authors(client, auth, alice, bob, user_factory):
    question = owned(make_question("shared-q", status="draft"), alice)
    ownership.add_co_author(question, bob, actor=alice)
    db.session.commit()
    carol = user_factory(email="carol@example.org", role="instructor")
    auth.login(bob)
    response = client.post("/teach/questions/shared-q/authors", data={"email": carol.email, "action": "add"})
    assert response.status_code == 403


def test_co_authors_must_be_instructors_and_changes_are_audited(client, auth, alice, user_factory):
    owned(make_question("shared-q", status="draft"), alice)
    learner = user_factory(email="lee@example.org")
    auth.login(alice)
    page = client.post("/teach/questions/shared-q/authors", data={"email": learner.email, "action": "add"},
                       follow_redirects=True).get_data(as_text=True)
    assert "lee@example.org is not an instructor." in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "co_author_added")) is None


def test_giving_a_question_away_keeps_the_giver_as_co_author(client, auth, alice, bob):
    question = owned(make_question("given-q", status="draft"), alice)
    auth.login(alice)
    client.post("/teach/questions/given-q/authors", data={"email": bob.email, "action": "give"})
    db.session.expire_all()
    question = db.session.get(Question, question.id)
    assert question.owner_id == bob.id and [a.id for a in question.co_authors] == [alice.id]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "owner_changed"))
    assert event.details == {"owner": "bob@example.org", "previous": "alice@example.org"}


def test_an_admin_may_open_and_change_anyones_draft(client, auth, alice):
    owned(make_question("draft-q", status="draft"), alice)
    auth.login("admin")
    assert client.get("/teach/questions/draft-q/edit").status_code == 200
    assert client.post("/teach/questions/draft-q/status", data={"status": "published"}).status_code == 302


def test_shipped_content_without_an_owner_is_read_and_copied_but_changed_by_admins_only(client, auth, bob):
    make_question("shipped-q", status="draft")
    auth.login(bob)
    assert client.get("/teach/questions/shipped-q").status_code == 200
    response = client.get("/teach/questions/shipped-q/edit")
    assert response.status_code == 403
    assert "Shipped content is changed by an administrator; copy it to adapt it." in response.get_data(as_text=True)
    assert client.post("/teach/questions/shipped-q/copy").status_code == 302
    client.post("/logout")
    auth.login("admin")
    assert client.get("/teach/questions/shipped-q/edit").status_code == 200


# ---- quizzes and courses -------------------------------------------------------------------------

def test_another_instructors_draft_quiz_is_not_there_and_a_published_one_is_read_only(client, auth, alice, bob):
    owned(make_quiz("alices-draft", []), alice)
    owned(make_quiz("alices-published", [], status="published"), alice)
    auth.login(bob)
    assert client.get("/teach/quizzes/alices-draft").status_code == 404
    assert client.get("/teach/quizzes/alices-draft/edit").status_code == 404
    assert client.get("/teach/quizzes/alices-published").status_code == 200
    assert client.get("/teach/quizzes/alices-published/edit").status_code == 403
    assert client.post("/teach/quizzes/alices-published/status", data={"status": "retired"}).status_code == 403
    listed = client.get("/teach/quizzes").get_data(as_text=True)
    assert "alices-published" in listed and "alices-draft" not in listed


def test_a_published_quiz_is_copied_as_the_copiers_own_draft(client, auth, alice, bob):
    make_question("q-1")
    owned(make_quiz("weekly", [{"question": "q-1"}], status="published"), alice)
    auth.login(bob)
    assert client.post("/teach/quizzes/weekly/copy").status_code == 302
    copy = db.session.scalar(select(Quiz).where(Quiz.slug == "weekly-copy"))
    assert (copy.owner_id, copy.status, [i.question.uid for i in copy.items]) == (bob.id, "draft", ["q-1"])


def test_another_instructors_draft_course_is_not_there_and_a_published_one_is_read_only(client, auth, alice, bob):
    owned(make_course("alices-draft"), alice)
    owned(make_course("alices-published", status="published"), alice)
    auth.login(bob)
    assert client.get("/teach/courses/alices-draft").status_code == 404
    assert client.get("/teach/courses/alices-draft/edit").status_code == 404
    assert client.get("/teach/courses/alices-draft/preview").status_code == 404
    assert client.get("/teach/courses/alices-published").status_code == 200
    assert client.get("/teach/courses/alices-published/edit").status_code == 403
    assert client.get("/teach/courses/alices-published/modules/new").status_code == 403
    listed = client.get("/teach/courses").get_data(as_text=True)
    assert "alices-published" in listed and "alices-draft" not in listed


def test_a_course_made_in_the_teach_area_is_its_makers(client, auth, alice):
    auth.login(alice)
    from tests.web.test_teach_courses import course_form

    response = client.post("/teach/courses/new", data=course_form(slug="alices-course"))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    from trainer.models import Course

    assert db.session.scalar(select(Course.owner_id).where(Course.slug == "alices-course")) == alice.id


def test_who_changed_a_quiz_is_in_the_audit_trail(client, auth, alice, bob):
    from tests.web.test_teach_quizzes import SETTINGS

    quiz = owned(make_quiz("calculations-3", []), alice)
    ownership.add_co_author(quiz, bob, actor=alice)
    db.session.commit()
    make_question("q-1")
    auth.login(bob)
    form = {**SETTINGS, "items-0-kind": "question", "items-0-question": "q-1", "op": "save"}
    assert client.post("/teach/quizzes/calculations-3/edit", data=form).status_code == 302
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quiz_updated"))
    assert (event.subject, event.actor_id) == ("quiz:calculations-3", bob.id)
