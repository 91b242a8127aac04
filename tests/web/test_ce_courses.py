"""Courses here and CE: a course without a UAN says so before a learner starts, counts as
non-ACPE CE, and an admin can set a course's UAN."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.factories import ce as make
from tests.factories.courses import make_course
from trainer.extensions import db
from trainer.models import AuditEvent, Course, utcnow
from trainer.services import ce

TODAY = utcnow().date()


def test_a_course_without_a_uan_says_it_is_not_acpe_credit_before_starting(client, app):
    make_course("sig", title="Sig codes", uan=None)
    page = client.get("/courses/sig").get_data(as_text=True)
    assert "not ACPE credit" in page


def test_an_accredited_course_shows_its_uan_and_no_warning(client, app):
    make_course("safety", ce_topic="05", uan="0669-0000-24-002-H05-T")
    page = client.get("/courses/safety").get_data(as_text=True)
    assert "0669-0000-24-002-H05-T" in page and "not ACPE credit" not in page


def test_a_completion_here_arrives_in_the_record_as_the_kind_it_is(app, user_factory):
    learner = user_factory()
    plain = make.course_credit(learner, make_course("sig", ce_topic="04", uan=None))
    accredited = make.course_credit(learner, make_course("safety", ce_topic="05", uan="0669-0000-24-002-H05-T"))
    assert (plain.kind, plain.audience) == ("other", None)
    assert (accredited.kind, accredited.audience, accredited.format) == ("acpe", "T", "H")
    activities = [ce.activity_of(r) for r in ce.current_records([learner.id])[learner.id]]
    assert [a.kind for a in activities] == ["other", "acpe"]


def test_a_completion_here_counts_toward_the_credential(app, user_factory):
    learner = user_factory()
    make.credential(learner, expires=TODAY + timedelta(days=400))
    make.course_credit(learner, make_course("safety", ce_topic="05", ce_hours="1.5", uan="0669-0000-24-002-H05-T"))
    (result,) = ce.progress_of(learner.id, TODAY)
    assert str(result.report.earned_hours) == "1.50"
    assert result.report.topics["05"].met


def test_an_admin_sets_a_courses_uan(client, auth, app):
    course = make_course("safety", ce_topic="05", uan=None)
    auth.login("admin")
    response = client.post("/ce/admin/courses", data={"course_id": course.id, "uan": "0669-0000-24-002-h05-t"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).uan == "0669-0000-24-002-H05-T"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course.uan.changed")) is not None


def test_a_uan_on_another_topic_is_refused(client, auth, app):
    course = make_course("safety", ce_topic="05", uan=None)
    auth.login("admin")
    response = client.post("/ce/admin/courses", data={"course_id": course.id, "uan": "0669-0000-24-002-H03-T"})
    assert response.status_code == 422
    assert "does not match the course" in response.get_data(as_text=True)


def test_instructors_cannot_use_the_admin_uan_page(client, auth, app):
    auth.login("instructor")
    assert client.get("/ce/admin/courses").status_code == 403


def test_the_admin_sees_which_rule_version_applies_and_its_source(client, auth):
    auth.login("admin")
    page = client.get("/ce/admin/rules").get_data(as_text=True)
    assert "in force from 2 December 2020" in page and "applies today" in page
    assert "https://www.ptcb.org/news/recertification-updates" in page
