"""Extra time on a quiz for one learner: granted, changed and revoked by an instructor, with an audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories.bank import make_question, make_quiz
from trainer.extensions import db
from trainer.models import Attempt, AuditEvent, QuizAccommodation
from trainer.services import quizzes


@pytest.fixture
def quiz():
    make_question("law-1")
    return make_quiz("law-practice", items=[{"question": "law-1"}], time_limit_minutes=30)


@pytest.fixture
def learner(user_factory):
    return user_factory(email="sam@example.org", name="Sam Learner")


def _grant(client, email="sam@example.org", minutes="15", note="504 plan"):
    return client.post("/teach/quizzes/law-practice/accommodations",
                       data={"email": email, "extra_minutes": minutes, "note": note})


def _accommodations() -> list[QuizAccommodation]:
    return db.session.scalars(select(QuizAccommodation)).all()


def test_an_instructor_grants_a_learner_extra_minutes(client, instructor, quiz, learner):
    assert _grant(client).status_code == 302
    (granted,) = _accommodations()
    assert (granted.quiz_id, granted.user_id, granted.extra_minutes, granted.note) == (quiz.id, learner.id, 15, "504 plan")
    assert granted.granted_by_id == instructor.id


def test_the_grant_is_listed_on_the_quiz_page(client, instructor, quiz, learner):
    _grant(client)
    page = client.get("/teach/quizzes/law-practice").get_data(as_text=True)
    assert "Sam Learner (sam@example.org)" in page and "<td>15</td>" in page


def test_the_email_is_matched_whatever_its_case(client, instructor, quiz, learner):
    _grant(client, email="  SAM@Example.org ")
    assert len(_accommodations()) == 1


def test_granting_again_changes_the_minutes_instead_of_adding_a_second_grant(client, instructor, quiz, learner):
    _grant(client, minutes="15")
    _grant(client, minutes="45")
    (granted,) = _accommodations()
    assert granted.extra_minutes == 45


def test_a_grant_is_audited(client, instructor, quiz, learner):
    _grant(client)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accommodation_granted"))
    assert event.actor_id == instructor.id and event.subject == "quiz:law-practice"
    assert (event.details["user"], event.details["extra_minutes"]) == ("sam@example.org", 15)


def test_an_unknown_email_is_an_error_beside_the_email(client, instructor, quiz):
    response = _grant(client, email="nobody@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="email-error"' in page and "no account has this email" in page
    assert 'value="nobody@example.org"' in page and not _accommodations()


@pytest.mark.parametrize("minutes", ["", "0", "-5", "lots", "5000"])
def test_the_minutes_must_be_a_sensible_whole_number(client, instructor, quiz, learner, minutes):
    response = _grant(client, minutes=minutes)
    assert response.status_code == 422 and 'id="extra_minutes-error"' in response.get_data(as_text=True)
    assert not _accommodations()


def test_an_instructor_revokes_extra_time_and_it_is_audited(client, instructor, quiz, learner):
    _grant(client)
    (granted,) = _accommodations()
    url = f"/teach/quizzes/law-practice/accommodations/{granted.id}/revoke"
    assert client.post(url).status_code == 302
    assert not _accommodations()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accommodation_revoked"))
    assert event.details == {"user": "sam@example.org", "extra_minutes": 15}


def test_a_grant_cannot_be_revoked_through_another_quiz(client, instructor, quiz, learner):
    make_quiz("other-quiz", items=[{"question": "law-1"}])
    _grant(client)
    (granted,) = _accommodations()
    assert client.post(f"/teach/quizzes/other-quiz/accommodations/{granted.id}/revoke").status_code == 404
    assert len(_accommodations()) == 1


def test_a_grant_extends_the_learners_attempt_in_progress(client, instructor, quiz, learner):
    quiz.status = "published"
    attempt = quizzes.start_attempt(learner, quiz)
    db.session.commit()
    before = attempt.deadline_at
    response = _grant(client, minutes="15")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).deadline_at == before + timedelta(minutes=15)
    assert "Their attempt in progress now ends on" in client.get(response.location).get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "accommodation_granted"))
    assert event.details["attempts_extended"] == [attempt.id]
