"""Progress through a course: views, the resume point, completing modules, privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories.courses import answer_checks, make_course, modules_of
from trainer.extensions import db
from trainer.models import ModuleProgress, utcnow
from trainer.services import knowledge_checks, progress


@pytest.fixture
def course(app):
    return make_course("sig-codes", title="Sig codes", modules=3, checks_per_module=2)


def progress_row(user, module) -> ModuleProgress | None:
    db.session.expire_all()
    return db.session.scalar(select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id))


# --- views and resume ----------------------------------------------------------------


def test_opening_a_module_records_the_view(client, auth, course):
    learner = auth.login("learner")
    client.get("/courses/sig-codes/module-2")
    row = progress_row(learner, modules_of(course)[1])
    assert row is not None and row.completed_at is None and row.last_viewed_at is not None


def test_opening_a_module_twice_keeps_one_row_and_the_first_start(client, auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    earlier = utcnow() - timedelta(days=2)
    progress.record_view(learner, module, now=earlier)
    db.session.commit()
    client.get("/courses/sig-codes/module-1")
    rows = db.session.scalars(select(ModuleProgress).where(ModuleProgress.user_id == learner.id)).all()
    assert len(rows) == 1
    assert rows[0].started_at == earlier and rows[0].last_viewed_at > earlier


def test_the_course_page_resumes_at_the_last_module_viewed(client, auth, course):
    learner = auth.login("learner")
    first, second, third = modules_of(course)
    now = utcnow()
    progress.record_view(learner, third, now=now - timedelta(hours=3))
    progress.record_view(learner, second, now=now - timedelta(hours=1))
    progress.record_view(learner, first, now=now - timedelta(hours=2))
    db.session.commit()
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert 'href="/courses/sig-codes/module-2">Continue where you left off' in page


def test_the_resume_link_goes_to_the_heading_the_learner_reached(client, auth, course):
    auth.login("learner")
    client.get("/courses/sig-codes/module-2")
    response = client.post("/courses/sig-codes/module-2/position", json={"anchor": "counting-the-days-supply"},
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 204
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert 'href="/courses/sig-codes/module-2#counting-the-days-supply">Continue where you left off' in page


def test_the_position_must_be_a_heading_of_the_module(client, auth, course):
    learner = auth.login("learner")
    for anchor in ("no-such-heading", "", None, 42, ["reading-the-sig"], "x" * 500, "javascript:alert(1)"):
        response = client.post("/courses/sig-codes/module-2/position", json={"anchor": anchor},
                               headers={"X-CSRFToken": client.csrf_token()})
        assert response.status_code == 400, anchor
    assert progress_row(learner, modules_of(course)[1]) is None


def test_a_garbled_position_body_is_400(client, auth, course):
    auth.login("learner")
    response = client.post("/courses/sig-codes/module-2/position", data="{not json",
                           content_type="application/json", headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 400


def test_the_position_post_needs_the_csrf_token(client, auth, course):
    auth.login("learner")
    response = client.post("/courses/sig-codes/module-2/position", json={"anchor": "reading-the-sig"})
    assert response.status_code == 400


def test_the_module_page_carries_what_the_script_needs_to_report_the_position(client, auth, course):
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert 'data-position-url="/courses/sig-codes/module-1/position"' in page and "data-csrf=" in page
    assert '<script src="/static/js/courses.js" defer>' in page


# --- completing a module -------------------------------------------------------------


def test_a_module_cannot_be_completed_until_its_checks_are_answered(client, auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    response = client.post("/courses/sig-codes/module-1/complete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Answer the 2 knowledge checks still open on this page" in page
    assert progress_row(learner, module) is None or progress_row(learner, module).completed_at is None


def test_one_open_check_still_blocks_completion(client, auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    uid = module.checks[0]
    item = knowledge_checks.module_check_item(learner, module, uid)
    knowledge_checks.answer_module_check(learner, module, uid, item.instance["key"])
    db.session.commit()
    response = client.post("/courses/sig-codes/module-1/complete")
    assert response.location.endswith(f"/courses/sig-codes/module-1#check-{module.checks[1]}")
    assert progress.unanswered_checks(learner, module) == [module.checks[1]]


def test_with_every_check_answered_the_module_completes_and_leads_to_the_next(client, auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    answer_checks(learner, module, correct=False)  # answered, even wrongly, is enough
    response = client.post("/courses/sig-codes/module-1/complete")
    assert response.location.endswith("/courses/sig-codes/module-2")
    assert progress_row(learner, module).completed_at is not None


def test_the_last_module_leads_back_to_the_course_page(client, auth, course):
    learner = auth.login("learner")
    answer_checks(learner, modules_of(course)[2])
    response = client.post("/courses/sig-codes/module-3/complete")
    assert response.location.endswith("/courses/sig-codes")


def test_a_module_without_checks_completes_at_once(client, auth, app):
    reading = make_course("reading", title="Reading", modules=1, checks_per_module=0)
    learner = auth.login("learner")
    client.post("/courses/reading/module-1/complete")
    assert progress_row(learner, modules_of(reading)[0]).completed_at is not None


def test_completing_again_keeps_the_first_completion_time(auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    answer_checks(learner, module)
    first = utcnow() - timedelta(days=1)
    progress.complete_module(learner, module, now=first)
    progress.complete_module(learner, module, now=utcnow())
    db.session.commit()
    assert progress_row(learner, module).completed_at == first


def test_a_completed_module_shows_its_mark_instead_of_the_button(client, auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    answer_checks(learner, module)
    progress.complete_module(learner, module)
    db.session.commit()
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert "You completed this module." in page and "Mark complete</button>" not in page


def test_mark_complete_needs_the_csrf_token(client, auth, course):
    learner = auth.login("learner")
    module = modules_of(course)[0]
    answer_checks(learner, module)
    assert client.post("/courses/sig-codes/module-1/complete", csrf=False).status_code == 400
    assert progress_row(learner, module) is None


# --- privacy -------------------------------------------------------------------------


def test_a_learner_never_sees_another_learners_progress(client, auth, user_factory, course):
    other = user_factory()
    first, second, _ = modules_of(course)
    for module in (first, second):
        answer_checks(other, module)
        progress.complete_module(other, module)
    progress.record_anchor(other, second, "counting-the-days-supply")
    db.session.commit()
    auth.login("learner")
    catalog = client.get("/courses/").get_data(as_text=True)
    course_page = client.get("/courses/sig-codes").get_data(as_text=True)
    module_page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert "Completed" not in course_page and "Continue where you left off" not in course_page
    assert "Done</span>" not in module_page and "Correct." not in module_page
    assert "% done" not in catalog


def test_another_learners_answers_are_not_shown_in_the_checks(client, auth, user_factory, course):
    other = user_factory()
    answer_checks(other, modules_of(course)[0])
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert " checked" not in page and "check-feedback\" id" in page and "Answer again" not in page
