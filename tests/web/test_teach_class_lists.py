"""Bulk enrolment from a class list: the preview line by line, saving it, and the invitation
links that register a person and join the cohort."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from tests.factories.teaching import make_cohort
from trainer.extensions import db
from trainer.models import CohortInvitation, CohortMember, User
from trainer.services import cohorts

CLASS_LIST = "email,name\nana@example.org,Ana Ruiz\nBEN@example.org,Ben Ode\nnot-an-email,Nobody\nana@example.org,Ana again\n"


@pytest.fixture
def cohort(instructor):
    return make_cohort(instructor)


@pytest.fixture
def ana(user_factory):
    return user_factory(email="ana@example.org", name="Ana Ruiz")


def member_ids(cohort) -> set[int]:
    db.session.expire_all()
    return set(db.session.scalars(select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.removed_at.is_(None))))


def test_the_preview_says_what_each_line_would_do_and_saves_nothing(client, cohort, ana):
    response = client.post(f"/teach/cohorts/{cohort.id}/class-list", data={"text": CLASS_LIST})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "has an account: joins the cohort" in page  # ana
    assert "has no account: an invitation link will be made" in page  # ben
    assert "not-an-email is not an email address" in page
    assert "is listed twice (first on line 2)" in page
    assert member_ids(cohort) == set()
    assert db.session.scalar(select(CohortInvitation)) is None


def test_an_uploaded_csv_file_is_read_like_pasted_text(client, cohort, ana):
    data = {"file": (io.BytesIO(CLASS_LIST.encode("utf-8-sig")), "class.csv")}
    response = client.post(f"/teach/cohorts/{cohort.id}/class-list", data=data, content_type="multipart/form-data")
    assert "has an account: joins the cohort" in response.get_data(as_text=True)


def test_a_file_that_is_not_utf8_is_refused_beside_the_field(client, cohort):
    data = {"file": (io.BytesIO("émile@example.org".encode("utf-16")), "class.csv")}
    response = client.post(f"/teach/cohorts/{cohort.id}/class-list", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "is not UTF-8 text" in response.get_data(as_text=True)


def test_saving_adds_accounts_and_invites_the_others_and_skips_bad_lines(client, cohort, ana):
    response = client.post(f"/teach/cohorts/{cohort.id}/class-list/confirm", data={"text": CLASS_LIST})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert member_ids(cohort) == {ana.id}
    (invitation,) = db.session.scalars(select(CohortInvitation)).all()
    assert (invitation.email, invitation.name) == ("ben@example.org", "Ben Ode")
    assert "http://localhost/invitations/" in page
    assert "1 learner added; 1 invitation to send; 2 lines skipped." in page


def test_saving_the_same_list_twice_changes_nothing(client, cohort, ana):
    client.post(f"/teach/cohorts/{cohort.id}/class-list/confirm", data={"text": CLASS_LIST})
    client.post(f"/teach/cohorts/{cohort.id}/class-list/confirm", data={"text": CLASS_LIST})
    assert member_ids(cohort) == {ana.id}
    assert len(db.session.scalars(select(CohortInvitation)).all()) == 1


def test_a_class_list_brings_back_a_removed_learner(client, cohort, ana, instructor):
    client.post(f"/teach/cohorts/{cohort.id}/class-list/confirm", data={"text": "ana@example.org"})
    cohorts.remove_member(cohort, ana.id, actor=instructor)
    db.session.commit()
    plan = cohorts.plan_class_list(cohort, "ana@example.org")
    assert [row.outcome for row in plan.rows] == ["return"]
    client.post(f"/teach/cohorts/{cohort.id}/class-list/confirm", data={"text": "ana@example.org"})
    assert member_ids(cohort) == {ana.id}


def test_an_empty_list_is_a_problem_beside_the_field(client, cohort):
    response = client.post(f"/teach/cohorts/{cohort.id}/class-list", data={"text": "  "})
    assert response.status_code == 422 and "Choose a file or paste the class list." in response.get_data(as_text=True)


def _invitation_link(client, cohort) -> str:
    page = client.post(f"/teach/cohorts/{cohort.id}/class-list/confirm", data={"text": "ben@example.org,Ben Ode"}) \
        .get_data(as_text=True)
    return re.search(r'value="http://localhost(/invitations/[^"]+)"', page).group(1)


def test_an_invitation_registers_the_person_and_joins_the_cohort(client, auth, cohort):
    link = _invitation_link(client, cohort)
    auth.logout()
    page = client.get(link).get_data(as_text=True)
    assert "ben@example.org" in page and 'value="Ben Ode"' in page
    response = client.post(link, data={"name": "Ben Ode", "password": "a long pass phrase",
                                       "confirm": "a long pass phrase", "learner_type": "student"})
    assert response.status_code == 302 and response.location.endswith("/assignments")
    ben = db.session.scalar(select(User).where(User.email == "ben@example.org"))
    assert member_ids(cohort) == {ben.id}
    assert client.get("/assignments").status_code == 200  # logged in as Ben
    invitation = db.session.scalar(select(CohortInvitation))
    assert invitation.accepted_by_id == ben.id


def test_an_invitation_works_once(client, auth, cohort):
    link = _invitation_link(client, cohort)
    auth.logout()
    client.post(link, data={"name": "Ben Ode", "password": "a long pass phrase",
                            "confirm": "a long pass phrase", "learner_type": "student"})
    client.post("/logout")
    response = client.get(link)
    assert response.status_code == 400 and "used already" in response.get_data(as_text=True)


def test_a_tampered_invitation_link_is_refused(client, auth, cohort):
    link = _invitation_link(client, cohort)
    auth.logout()
    response = client.get(link[:-3] + "xyz")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_an_expired_invitation_link_is_refused(client, auth, cohort, monkeypatch):
    link = _invitation_link(client, cohort)
    auth.logout()
    monkeypatch.setattr(cohorts, "INVITATION_DAYS", -1)
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_a_withdrawn_invitation_link_stops_working(client, auth, cohort):
    link = _invitation_link(client, cohort)
    invitation = db.session.scalar(select(CohortInvitation))
    client.post(f"/teach/cohorts/{cohort.id}/invitations/{invitation.id}/revoke")
    auth.logout()
    assert client.get(link).status_code == 400


def test_an_invitation_for_someone_else_is_refused_to_a_logged_in_learner(client, auth, cohort):
    link = _invitation_link(client, cohort)
    auth.logout()
    auth.login("learner")
    response = client.get(link)
    assert response.status_code == 403 and "This invitation is for ben@example.org" in response.get_data(as_text=True)


def test_a_person_who_registered_meanwhile_logs_in_and_accepts(client, auth, cohort, user_factory):
    link = _invitation_link(client, cohort)
    auth.logout()
    ben = user_factory(email="ben@example.org", name="Ben Ode")
    assert "has an account already" in client.get(link).get_data(as_text=True)
    auth.login(ben)
    assert "Join the class" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 302
    assert member_ids(cohort) == {ben.id}


def test_registering_from_an_invitation_checks_the_password(client, auth, cohort):
    link = _invitation_link(client, cohort)
    auth.logout()
    response = client.post(link, data={"name": "Ben Ode", "password": "short", "confirm": "short",
                                       "learner_type": "student"})
    assert response.status_code == 400 and "at least 10 characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "ben@example.org")) is None
