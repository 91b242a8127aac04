"""Essays graded by hand and descriptions shown without a score, through the web, with access checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.quizzes import (
    fresh,
    key_response,
    make_question,
    post_answer,
    quiz_of,
    start_via_web,
    submit_via_web,
)
from trainer.extensions import db
from trainer.models import Attempt, AttemptItem, AuditEvent, Quiz
from trainer.services.questions import save_question

ESSAY = {
    "stem": "Why must amoxicillin suspension be kept in the refrigerator?",
    "rubric": "Names lost potency at room temperature and the 14-day discard date.",
    "explanation": "Reconstituted amoxicillin keeps its potency for 14 days refrigerated.",
}
DESCRIPTION = {"stem": "The next questions are about this prescription: amoxicillin 500 mg TID x 10 days."}


def _item_question(uid: str, qtype: str, fields: dict):
    data = {"id": uid, "type": qtype, "tags": ["quiz-test"], "difficulty": "medium",
            "blueprint": ["ptce-2020:1.1"], "references": ["tests"], **fields}
    question, _ = save_question(data, source="tests")
    db.session.commit()
    return question


@pytest.fixture
def owner(user_factory):
    return user_factory(role="instructor", email="owner@example.org")


@pytest.fixture
def essay_quiz(owner):
    """A quiz of a description, an essay and a single-choice question, created by `owner`."""
    description = _item_question("case-intro", "description", DESCRIPTION)
    essay = _item_question("counsel-essay", "essay", ESSAY)
    choice = make_question("essay-quiz-choice", "single_choice")
    quiz = quiz_of([description, essay, choice], "essays", pass_mark=50)
    quiz.created_by_id = owner.id
    db.session.commit()
    return quiz


def _answer_all(client, attempt_id: int, essay_text: str = "It loses potency; discard after 14 days."):
    attempt = db.session.get(Attempt, attempt_id)
    for item in sorted(attempt.items, key=lambda i: i.position):
        kind = item.instance["type"]
        if kind == "essay":
            post_answer(client, attempt_id, item.position + 1, item.instance, essay_text)
        elif kind == "single_choice":
            post_answer(client, attempt_id, item.position + 1, item.instance, key_response(item.instance))


def _submitted(client, auth, quiz) -> int:
    auth.login()
    attempt_id = start_via_web(client, quiz)
    _answer_all(client, attempt_id)
    assert submit_via_web(client, attempt_id).status_code == 302
    auth.logout()
    return attempt_id


def _essay_item(attempt_id: int) -> AttemptItem:
    db.session.expire_all()
    return db.session.scalar(select(AttemptItem).where(
        AttemptItem.attempt_id == attempt_id, AttemptItem.position == 1))


def test_the_quiz_page_shows_a_description_without_an_answer_and_an_essay_box(client, auth, essay_quiz):
    auth.login()
    attempt_id = start_via_web(client, essay_quiz)
    first = client.get(f"/quizzes/attempts/{attempt_id}?q=1").get_data(as_text=True)
    assert "this prescription: amoxicillin 500 mg" in first and "Nothing to answer here" in first
    second = client.get(f"/quizzes/attempts/{attempt_id}?q=2").get_data(as_text=True)
    assert "<textarea" in second and "Your instructor reads and grades this answer" in second
    assert ESSAY["rubric"] not in second


def test_a_submitted_essay_awaits_grading_and_the_description_is_not_scored(client, auth, essay_quiz):
    attempt_id = _submitted(client, auth, essay_quiz)
    attempt = fresh(Attempt, attempt_id)
    assert attempt.max_score == 2  # the description is left out
    assert attempt.score == 1 and attempt.passed is None
    assert _essay_item(attempt_id).grade_flags == ["awaiting_grading"]
    auth.login(attempt.user)
    page = client.get(f"/quizzes/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Awaiting grading" in page and "Not passed" not in page


def test_the_quizs_instructor_sees_the_queue_and_grades_with_a_comment(client, auth, essay_quiz, owner):
    attempt_id = _submitted(client, auth, essay_quiz)
    auth.login(owner)
    queue = client.get(f"/teach/quizzes/{essay_quiz.slug}/grading").get_data(as_text=True)
    assert "1 answer awaits grading" in queue and "It loses potency" in queue
    item = _essay_item(attempt_id)
    form = client.get(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}").get_data(as_text=True)
    assert ESSAY["rubric"] in form and "discard after 14 days" in form
    response = client.post(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}",
                           data={"score": "75", "comment": "Good: name the discard date first."})
    assert response.status_code == 302
    item = _essay_item(attempt_id)
    assert item.score == Decimal("0.75") and item.grade_flags == ["graded_by_hand"]
    assert item.grader_comment == "Good: name the discard date first." and item.graded_by_id == owner.id
    attempt = fresh(Attempt, attempt_id)
    assert attempt.score == Decimal("1.75") and attempt.percent == Decimal("87.50") and attempt.passed is True
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "essay_graded")) is not None


def test_the_learner_sees_the_grade_and_comment_after_grading(client, auth, essay_quiz, owner):
    attempt_id = _submitted(client, auth, essay_quiz)
    auth.login(owner)
    item = _essay_item(attempt_id)
    client.post(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}", data={"score": "50", "comment": "Half there."})
    auth.logout()
    auth.login(fresh(Attempt, attempt_id).user)
    results = client.get(f"/quizzes/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Awaiting grading" not in results and "Passed" in results
    review = client.get(f"/quizzes/attempts/{attempt_id}/review").get_data(as_text=True)
    assert "Half there." in review and "50%, given by your instructor" in review


@pytest.mark.parametrize("score", ["", "abc", "-1", "101", "12.345"])
def test_a_bad_score_is_refused_beside_the_field_and_nothing_changes(client, auth, essay_quiz, owner, score):
    attempt_id = _submitted(client, auth, essay_quiz)
    auth.login(owner)
    item = _essay_item(attempt_id)
    response = client.post(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}", data={"score": score})
    assert response.status_code == 422 and 'id="grade-score-error"' in response.get_data(as_text=True)
    assert _essay_item(attempt_id).grade_flags == ["awaiting_grading"]


def test_another_instructor_may_not_grade(client, auth, essay_quiz, user_factory):
    attempt_id = _submitted(client, auth, essay_quiz)
    auth.login(user_factory(role="instructor", email="someone-else@example.org"))
    item = _essay_item(attempt_id)
    assert client.get(f"/teach/quizzes/{essay_quiz.slug}/grading").status_code == 403
    response = client.post(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}", data={"score": "100"})
    assert response.status_code == 403
    assert _essay_item(attempt_id).grade_flags == ["awaiting_grading"]


def test_a_learner_may_not_grade(client, auth, essay_quiz):
    attempt_id = _submitted(client, auth, essay_quiz)
    user = fresh(Attempt, attempt_id).user
    auth.login(user)
    item = _essay_item(attempt_id)
    assert client.get(f"/teach/quizzes/{essay_quiz.slug}/grading").status_code == 403
    assert client.post(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}", data={"score": "100"}).status_code == 403


def test_an_admin_may_grade(client, auth, essay_quiz, user_factory):
    attempt_id = _submitted(client, auth, essay_quiz)
    auth.login(user_factory(role="admin", email="boss@example.org"))
    item = _essay_item(attempt_id)
    response = client.post(f"/teach/quizzes/{essay_quiz.slug}/grading/{item.id}", data={"score": "100"})
    assert response.status_code == 302 and _essay_item(attempt_id).correct is True


def test_an_item_of_another_quiz_is_not_found_through_this_quiz(client, auth, essay_quiz, owner):
    attempt_id = _submitted(client, auth, essay_quiz)
    other = quiz_of([make_question("other-q", "single_choice")], "other-quiz")
    other.created_by_id = owner.id
    db.session.commit()
    auth.login(owner)
    item = _essay_item(attempt_id)
    assert client.get(f"/teach/quizzes/{other.slug}/grading/{item.id}").status_code == 404


def test_the_quiz_page_links_to_the_queue_only_for_those_who_grade(client, auth, essay_quiz, owner, user_factory):
    auth.login(owner)
    assert "Grading queue" in client.get(f"/teach/quizzes/{essay_quiz.slug}").get_data(as_text=True)
    auth.logout()
    auth.login(user_factory(role="instructor", email="third@example.org"))
    assert "Grading queue" not in client.get(f"/teach/quizzes/{essay_quiz.slug}").get_data(as_text=True)


def test_an_open_attempt_is_not_in_the_queue(client, auth, essay_quiz, owner):
    auth.login()
    attempt_id = start_via_web(client, essay_quiz)
    _answer_all(client, attempt_id)
    auth.logout()
    auth.login(owner)
    assert "Nothing is waiting" in client.get(f"/teach/quizzes/{essay_quiz.slug}/grading").get_data(as_text=True)
    assert db.session.get(Quiz, essay_quiz.id) is not None


@pytest.mark.parametrize("qtype", ["essay", "description"])
def test_the_editor_previews_essays_and_descriptions(client, auth, qtype):
    from tests.factories.bank import editor_form

    question = _item_question(f"preview-{qtype}", qtype, ESSAY if qtype == "essay" else DESCRIPTION)
    auth.login_as_owner(question)  # shipped content is changed by admins only
    assert client.get(f"/teach/questions/preview-{qtype}/edit").status_code == 200
    response = client.post("/teach/questions/preview", data={"type": qtype, **editor_form(question.data)})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "amoxicillin" in page
    assert ("Rubric: Names lost potency" in page) if qtype == "essay" else ("No answer and no score" in page)


def test_an_html_choice_is_shown_as_sanitised_html_in_a_quiz(client, auth):
    from tests.factories.quizzes import question_data

    data = question_data("html-choice", "single_choice", choices=[
        {"text": "<b>0.5 mg</b><script>alert(1)</script>", "format": "html", "correct": True},
        {"text": "<b>.5 mg</b>"},
    ])
    question, _ = save_question(data, source="tests")
    db.session.commit()
    quiz = quiz_of([question], "html-choices")
    auth.login()
    attempt_id = start_via_web(client, quiz)
    page = client.get(f"/quizzes/attempts/{attempt_id}?q=1").get_data(as_text=True)
    assert "<b>0.5 mg</b>" in page and "alert(1)" not in page
    assert "&lt;b&gt;.5 mg&lt;/b&gt;" in page  # a plain choice shows its text as written
