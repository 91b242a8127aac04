"""Cohorts: creating one, its join code and link, joining (wrong, expired, closed, twice,
removed), several instructors, and a learner who tries to see another cohort."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import AuthActions, share_test_connection
from tests.factories.quizzes import make_question, quiz_of
from tests.factories.teaching import assign, enrol, make_cohort, make_learners
from trainer.extensions import db
from trainer.models import AuditEvent, Cohort, CohortInstructor, CohortMember, utcnow
from trainer.services import cohorts
from trainer.teaching.join_codes import normalise_join_code


@pytest.fixture
def cohort(app, user_factory):
    return make_cohort(user_factory(role="instructor", email="teacher@example.org"))


def members_of(cohort) -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.removed_at.is_(None))))


# ---- an instructor's cohorts -------------------------------------------------------------------


def test_an_instructor_creates_a_cohort_and_teaches_it(client, instructor):
    response = client.post("/teach/cohorts/new", data={"name": "Evening class", "term": "Spring 2026",
                                                       "ends_on": "2099-06-30"})
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort))
    assert (cohort.name, cohort.term, cohort.ends_on) == ("Evening class", "Spring 2026", date(2099, 6, 30))
    assert normalise_join_code(cohort.join_code) == cohort.join_code and cohort.joining_open
    assert [row.user_id for row in cohort.instructors] == [instructor.id]


def test_a_cohort_needs_a_name_and_an_end_date_not_in_the_past(client, instructor):
    response = client.post("/teach/cohorts/new", data={"name": "", "ends_on": "2000-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give the cohort a name." in page
    assert db.session.scalar(select(Cohort)) is None


def test_the_cohort_page_shows_the_code_and_the_join_link(client, instructor):
    cohort = make_cohort(instructor)
    page = client.get(f"/teach/cohorts/{cohort.id}").get_data(as_text=True)
    assert cohort.join_code in page
    assert f"http://localhost/join/{cohort.join_code}" in page


def test_codes_are_unique_and_random(app, user_factory):
    teacher = user_factory(role="instructor")
    codes = {make_cohort(teacher, f"Class {i}").join_code for i in range(20)}
    assert len(codes) == 20


def test_regenerating_the_code_stops_the_old_one(client, instructor, user_factory):
    cohort = make_cohort(instructor)
    old = cohort.join_code
    assert client.post(f"/teach/cohorts/{cohort.id}/code").status_code == 302
    db.session.expire_all()
    assert cohort.join_code != old
    with pytest.raises(cohorts.JoinRefused, match="No class has this code"):
        cohorts.join_with_code(user_factory(), old)


def test_closing_joining_is_recorded(client, instructor):
    cohort = make_cohort(instructor)
    client.post(f"/teach/cohorts/{cohort.id}/joining", data={"open": "0"})
    db.session.expire_all()
    assert not cohort.joining_open
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "cohort_joining_closed"))


def test_another_instructor_can_be_added_and_then_sees_the_cohort(client, instructor, user_factory):
    cohort = make_cohort(instructor)
    colleague = user_factory(role="instructor", email="colleague@example.org")
    assert client.post(f"/teach/cohorts/{cohort.id}/instructors", data={"email": "Colleague@example.org"}).status_code == 302
    assert cohorts.cohort_for(colleague, cohort.id) is not None
    assert {c.id for c in cohorts.visible_cohorts(colleague)} == {cohort.id}


def test_a_learner_cannot_be_made_an_instructor_of_a_cohort(client, instructor, user_factory):
    cohort = make_cohort(instructor)
    user_factory(email="pat@example.org")
    response = client.post(f"/teach/cohorts/{cohort.id}/instructors", data={"email": "pat@example.org"})
    assert response.status_code == 422 and "is not an instructor" in response.get_data(as_text=True)


def test_the_last_instructor_cannot_be_removed(client, instructor):
    cohort = make_cohort(instructor)
    client.post(f"/teach/cohorts/{cohort.id}/instructors/{instructor.id}/remove")
    assert db.session.get(CohortInstructor, (cohort.id, instructor.id)) is not None


def test_an_admin_sees_every_cohort(app, user_factory, cohort):
    admin = user_factory(role="admin")
    assert cohorts.cohort_for(admin, cohort.id) is not None
    assert cohort in cohorts.visible_cohorts(admin)


# ---- joining with a code ---------------------------------------------------------------------------


def test_a_learner_joins_with_the_code_typed_loosely(client, auth, cohort):
    learner = auth.login("learner")
    typed = cohort.join_code.lower().replace("-", " ")
    response = client.post("/join", data={"code": typed})
    assert response.status_code == 302 and response.location.endswith("/assignments")
    assert members_of(cohort) == [learner.id]


def test_the_join_link_names_the_class_and_joins_only_when_confirmed(client, auth, cohort):
    auth.login("learner")
    page = client.get(f"/join/{cohort.join_code}").get_data(as_text=True)
    assert "Join Evening class" in page
    assert members_of(cohort) == []  # a GET never joins
    client.post("/join", data={"code": cohort.join_code})
    assert len(members_of(cohort)) == 1


def test_the_join_link_asks_a_visitor_to_log_in_first(client, cohort):
    response = client.get(f"/join/{cohort.join_code}")
    assert response.status_code == 302 and "/login" in response.location


def test_a_wrong_code_is_refused_without_saying_more(client, auth, cohort):
    auth.login("learner")
    response = client.post("/join", data={"code": "ABCDE-FGHJK"})
    assert response.status_code == 400
    assert "No class has this code" in response.get_data(as_text=True)
    assert client.get("/join/NOT-A-CODE").status_code == 404


def test_a_code_of_a_cohort_that_has_ended_is_expired(client, auth, cohort):
    cohort.ends_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    auth.login("learner")
    response = client.post("/join", data={"code": cohort.join_code})
    assert response.status_code == 400 and "no longer works" in response.get_data(as_text=True)
    assert members_of(cohort) == []


def test_the_code_still_works_on_the_last_day(app, user_factory, cohort):
    cohort.ends_on = utcnow().date()
    db.session.commit()
    _, joined = cohorts.join_with_code(user_factory(), cohort.join_code)
    assert joined


def test_a_closed_cohort_refuses_the_code(client, auth, cohort):
    cohort.joining_open = False
    db.session.commit()
    auth.login("learner")
    response = client.post("/join", data={"code": cohort.join_code})
    assert response.status_code == 400 and "Joining this class is closed" in response.get_data(as_text=True)


def test_joining_twice_keeps_one_membership(client, auth, cohort):
    auth.login("learner")
    client.post("/join", data={"code": cohort.join_code})
    response = client.post("/join", data={"code": cohort.join_code})
    assert response.status_code == 302
    assert len(members_of(cohort)) == 1
    assert db.session.scalar(select(CohortMember).where(CohortMember.cohort_id == cohort.id)).joined_via == "code"


def test_a_removed_learner_cannot_come_back_with_the_code(client, auth, cohort):
    learner = auth.login("learner")
    client.post("/join", data={"code": cohort.join_code})
    cohorts.remove_member(cohort, learner.id, actor=learner)
    db.session.commit()
    response = client.post("/join", data={"code": cohort.join_code})
    assert response.status_code == 400 and "took you out of this class" in response.get_data(as_text=True)
    assert members_of(cohort) == []


def test_an_instructor_removes_a_learner(client, auth, user_factory):
    teacher = auth.login("instructor")
    cohort = make_cohort(teacher)
    (learner,) = make_learners(1)
    enrol(cohort, [learner])
    assert client.post(f"/teach/cohorts/{cohort.id}/members/{learner.id}/remove").status_code == 302
    assert members_of(cohort) == []


def _throttled_client(app, make_app, user_factory, **limits):
    server = share_test_connection(app, make_app(**limits))
    client = server.test_client()
    AuthActions(client, user_factory).login("learner")
    return client


def test_the_join_page_is_rate_limited_per_account(app, make_app, user_factory):
    client = _throttled_client(app, make_app, user_factory, JOIN_LIMIT_PER_ACCOUNT="3 per minute")
    statuses = [client.post("/join", data={"code": f"ABCDE-FGHJ{c}"},
                            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
                for i, c in enumerate("KMNP")]
    assert statuses == [400, 400, 400, 429]


def test_join_links_count_toward_the_address_limit(app, make_app, user_factory):
    client = _throttled_client(app, make_app, user_factory, JOIN_LIMIT_PER_ADDRESS="2 per minute")
    statuses = [client.get(f"/join/ABCDE-FGHJ{c}").status_code for c in "KMN"]
    assert statuses == [404, 404, 429]


# ---- learners never see cohorts from the inside ------------------------------------------------------


def test_a_learner_cannot_open_any_instructor_page_of_a_cohort(client, auth, cohort):
    auth.login("learner")
    client.post("/join", data={"code": cohort.join_code})
    for path in (f"/teach/cohorts/{cohort.id}", f"/teach/cohorts/{cohort.id}/gradebook",
                 f"/teach/analysis?cohort={cohort.id}", "/teach/cohorts"):
        assert client.get(path).status_code == 403, path


def test_a_learner_sees_only_the_assignments_of_their_own_cohort(client, auth, app, user_factory):
    teacher = user_factory(role="instructor")
    mine, other = make_cohort(teacher, "Mine"), make_cohort(teacher, "Other")
    question = make_question("tt-1", "true_false")
    assign(mine, "quiz", quiz_of([question], "mine-quiz", title="Mine quiz").id)
    assign(other, "quiz", quiz_of([question], "other-quiz", title="Other quiz").id)
    auth.login("learner")
    client.post("/join", data={"code": mine.join_code})
    page = client.get("/assignments").get_data(as_text=True)
    assert "Mine quiz" in page and "Other quiz" not in page
