"""Course authoring: the course list and the course editor, publishing, permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import url_for
from sqlalchemy import func, select

from tests.factories.course_authoring import make_course, make_module, make_question, make_quiz
from trainer.extensions import db
from trainer.models import AuditEvent, Course, ModuleRevision


def course_form(**overrides) -> dict:
    """A valid new-course form; override any field."""
    data = {
        "title": "Tall Man lettering",
        "slug": "tall-man",
        "summary": "Why **hydrOXYzine** and hydrALAZINE look different on the shelf.",
        "audience": "technicians",
        "ce_hours": "1.25",
        "ce_topic": "05",
        "activity_type": "knowledge",
        "uan": "",
        "post_test": "",
        "pass_mark": "75",
        "references": "ISMP Tall Man letters list\nFDA Name Differentiation Project",
        "status": "draft",
    }
    data.update(overrides)
    return data


def course_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Course))


def reload(course: Course) -> Course:
    db.session.expire_all()
    return db.session.get(Course, course.id)


# --- permissions ---------------------------------------------------------------------


def authoring_routes(course, module, revision_version) -> list[tuple[str, str]]:
    base = f"/teach/courses/{course.slug}"
    m = f"{base}/modules/{module.id}"
    return [
        ("get", "/teach/courses"), ("get", "/teach/courses/new"), ("post", "/teach/courses/new"),
        ("get", base), ("get", f"{base}/edit"), ("post", f"{base}/edit"), ("post", f"{base}/status"),
        ("get", f"{base}/preview"), ("get", f"{base}/modules/new"), ("post", f"{base}/modules/new"),
        ("get", m), ("post", m), ("post", "/teach/markdown-preview"), ("post", f"{m}/move"),
        ("get", f"{m}/delete"), ("post", f"{m}/delete"), ("get", f"{m}/history"),
        ("get", f"{m}/revisions/{revision_version}"), ("get", f"{m}/revisions/{revision_version}/diff"),
        ("post", f"{m}/revisions/{revision_version}/restore"), ("get", f"{m}/preview"),
    ]


@pytest.fixture
def authored(app):
    """A course with one module that has one earlier revision."""
    course = make_course()
    module = make_module(course)
    db.session.add(ModuleRevision(module_id=module.id, version=1, title="Old", front_matter={},
                                  markdown="old text", reason="edit"))
    module.version = 2
    db.session.commit()
    return course, module


def test_a_learner_is_refused_every_authoring_page_and_action(client, auth, authored):
    course, module = authored
    auth.login("learner")
    for method, url in authoring_routes(course, module, 1):
        response = getattr(client, method)(url, data={"title": "x", "markdown": "# x",
                                                       "direction": "up", "status": "published"})
        assert response.status_code == 403, (method, url)
    assert reload(course).version == 1


def test_a_visitor_is_sent_to_log_in(client, authored):
    response = client.get("/teach/courses")
    assert response.status_code == 302 and "/login" in response.location


def test_an_instructor_and_an_admin_reach_the_course_list(client, auth, authored):
    auth.login("admin")
    assert client.get("/teach/courses").status_code == 200


def test_the_teach_landing_page_links_to_courses(client, auth):
    auth.login("instructor")
    assert 'href="/teach/courses"' in client.get("/teach/").get_data(as_text=True)


def test_posting_without_a_csrf_token_is_refused_and_saves_nothing(client, auth):
    auth.login("instructor")
    response = client.post("/teach/courses/new", data=course_form(), csrf=False)
    assert response.status_code == 400
    assert course_count() == 0


# --- the list ------------------------------------------------------------------------


def test_the_list_shows_drafts_and_published_courses_with_their_module_counts(client, auth):
    draft = make_course(slug="draft-one", title="Draft one")
    make_module(draft)
    make_course(slug="live-one", title="Live one", status="published")
    auth.login("instructor")
    page = client.get("/teach/courses").get_data(as_text=True)
    assert "Draft one" in page and "Live one" in page
    assert "Draft</span>" in page and "Published</span>" in page


# --- creating ------------------------------------------------------------------------


def test_an_instructor_creates_a_draft_course(client, auth):
    instructor = auth.login("instructor")
    quiz = make_quiz()
    response = client.post("/teach/courses/new", data=course_form(
        post_test=str(quiz.id), uan="0669-0000-24-001-h05-t"))
    assert response.status_code == 302 and response.location.endswith("/teach/courses/tall-man")
    course = db.session.scalar(select(Course).where(Course.slug == "tall-man"))
    assert (course.title, course.audience, course.ce_hours, course.ce_topic, course.status) == (
        "Tall Man lettering", "technicians", Decimal("1.25"), "05", "draft")
    assert course.uan == "0669-0000-24-001-H05-T"
    assert course.post_test_quiz_id == quiz.id and course.pass_mark == 75
    assert course.references == ["ISMP Tall Man letters list", "FDA Name Differentiation Project"]
    assert "<strong>hydrOXYzine</strong>" in course.summary_html
    assert course.version == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course_created"))
    assert event.actor_id == instructor.id and event.subject == "course:tall-man"


def test_the_slug_is_made_from_the_title_when_left_empty(client, auth):
    auth.login("instructor")
    client.post("/teach/courses/new", data=course_form(slug="", title="Look-alike, sound-alike drugs"))
    assert db.session.scalar(select(Course.slug)) == "look-alike-sound-alike-drugs"


@pytest.mark.parametrize("hours", ["0", "1.3", "-1", "abc", "NaN", "", "250"])
def test_bad_ce_hours_are_refused_beside_the_field(client, auth, hours):
    auth.login("instructor")
    response = client.post("/teach/courses/new", data=course_form(ce_hours=hours))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="ce_hours-error"' in page
    assert course_count() == 0


def test_an_unknown_acpe_topic_is_refused(client, auth):
    auth.login("instructor")
    page = client.post("/teach/courses/new", data=course_form(ce_topic="09")).get_data(as_text=True)
    assert 'id="ce_topic-error"' in page and course_count() == 0


def test_the_topic_select_names_each_acpe_topic(client, auth):
    auth.login("instructor")
    page = client.get("/teach/courses/new").get_data(as_text=True)
    assert "03 Law (pharmacy practice)" in page and "08 Pain management / opioids" in page


@pytest.mark.parametrize(("uan", "message"), [
    ("12345", "not an ACPE UAN"),
    ("0669-0000-24-001-H09-T", "is not 01–08"),
    ("0669-0000-24-001-H03-T", "does not match the ACPE topic"),
])
def test_a_bad_uan_is_refused_with_the_loaders_rule(client, auth, uan, message):
    auth.login("instructor")
    page = client.post("/teach/courses/new", data=course_form(uan=uan)).get_data(as_text=True)
    assert message in page and 'id="uan-error"' in page
    assert course_count() == 0


def test_a_jointly_accredited_providers_uan_is_accepted(client, auth):
    auth.login("instructor")
    client.post("/teach/courses/new", data=course_form(uan="JA4008164-0000-24-001-H05-T"))
    assert db.session.scalar(select(Course.uan)) == "JA4008164-0000-24-001-H05-T"


def test_an_empty_title_is_refused_and_everything_typed_is_kept(client, auth):
    auth.login("instructor")
    response = client.post("/teach/courses/new", data=course_form(title="  "))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Give the course a title." in page
    assert "Why **hydrOXYzine** and hydrALAZINE" in page  # the summary, as typed
    assert "FDA Name Differentiation Project" in page and 'value="1.25"' in page
    assert course_count() == 0


def test_a_taken_slug_is_refused(client, auth):
    make_course(slug="tall-man")
    auth.login("instructor")
    page = client.post("/teach/courses/new", data=course_form()).get_data(as_text=True)
    assert "already exists" in page and course_count() == 1


def test_a_summary_with_an_unknown_directive_is_refused(client, auth):
    auth.login("instructor")
    page = client.post("/teach/courses/new", data=course_form(
        summary="Intro\n\n[[video: intro]]\n")).get_data(as_text=True)
    assert "Line 3: unknown directive" in page and course_count() == 0


def test_a_course_cannot_be_published_before_it_has_modules_and_a_post_test(client, auth):
    auth.login("instructor")
    page = client.post("/teach/courses/new", data=course_form(status="published")).get_data(as_text=True)
    assert "at least one module" in page and "Choose a post-test quiz" in page
    assert course_count() == 0


# --- editing -------------------------------------------------------------------------


def test_saving_a_change_bumps_the_course_version_and_is_audited(client, auth):
    course = make_course()
    auth.login_as_owner(course)
    data = course_form(title="Sig codes, revised", ce_hours="2", ce_topic="04")
    response = client.post(f"/teach/courses/{course.slug}/edit", data=data)
    assert response.status_code == 302
    course = reload(course)
    assert (course.title, course.ce_hours, course.version) == ("Sig codes, revised", Decimal("2"), 2)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "course_updated"))
    assert "title" in event.details["fields"] and event.details["version"] == 2


def test_saving_without_a_change_keeps_the_version(client, auth):
    course = make_course()
    auth.login_as_owner(course)
    page = client.get(f"/teach/courses/{course.slug}/edit").get_data(as_text=True)
    assert 'value="1.5"' in page
    data = course_form(title=course.title, summary=course.summary, audience="both", ce_hours="1.50",
                       ce_topic="04", pass_mark="80", references="ISMP List of Error-Prone Abbreviations")
    client.post(f"/teach/courses/{course.slug}/edit", data=data)
    assert reload(course).version == 1


def test_the_slug_cannot_be_changed_after_creation(client, auth):
    course = make_course()
    auth.login_as_owner(course)
    client.post(f"/teach/courses/{course.slug}/edit", data=course_form(slug="other", ce_topic="04"))
    assert reload(course).slug == "sig-codes"


def test_a_prerequisite_circle_is_refused(client, auth):
    make_course(slug="basics", title="Basics", prerequisites=["sig-codes"])
    course = make_course()
    auth.login_as_owner(course)
    data = course_form(ce_topic="04", prerequisites=["basics"])
    page = client.post(f"/teach/courses/{course.slug}/edit", data=data).get_data(as_text=True)
    assert "go round in a circle: sig-codes → basics → sig-codes" in page
    assert reload(course).prerequisites == []


def test_other_courses_can_be_made_prerequisites(client, auth):
    make_course(slug="basics", title="Basics")
    course = make_course()
    auth.login_as_owner(course)
    client.post(f"/teach/courses/{course.slug}/edit", data=course_form(ce_topic="04", prerequisites=["basics"]))
    assert reload(course).prerequisites == ["basics"]


# --- draft and published -------------------------------------------------------------


def test_a_course_with_modules_and_a_post_test_is_published(client, auth):
    quiz = make_quiz()
    course = make_course(post_test_quiz_id=quiz.id)
    make_module(course)
    auth.login_as_owner(course)
    client.post(f"/teach/courses/{course.slug}/status", data={"status": "published"})
    course = reload(course)
    assert course.status == "published" and course.version == 2


def test_publishing_without_a_post_test_is_refused_with_the_reason(client, auth):
    course = make_course()
    make_module(course)
    auth.login_as_owner(course)
    response = client.post(f"/teach/courses/{course.slug}/status", data={"status": "published"},
                           follow_redirects=True)
    assert "Choose a post-test quiz" in response.get_data(as_text=True)
    assert reload(course).status == "draft"


def test_publishing_with_a_check_on_a_draft_question_is_refused(client, auth):
    quiz = make_quiz()
    question = make_question("kc-draft-01")
    question.status = "draft"
    db.session.commit()
    course = make_course(post_test_quiz_id=quiz.id)
    make_module(course, markdown="# Sig\n\nText.\n\n[[check: kc-draft-01]]\n")
    auth.login_as_owner(course)
    response = client.post(f"/teach/courses/{course.slug}/status", data={"status": "published"},
                           follow_redirects=True)
    assert "not published: kc-draft-01" in response.get_data(as_text=True)
    assert reload(course).status == "draft"


def test_the_learner_view_of_a_draft_says_learners_cannot_see_it(client, auth):
    course = make_course()
    module = make_module(course)
    auth.login("instructor")
    page = client.get(f"/teach/courses/{course.slug}/preview").get_data(as_text=True)
    assert "Preview — learners cannot see this draft" in page
    assert "Reading and writing <strong>sig codes</strong>" in page and module.title in page
    page = client.get(f"/teach/courses/{course.slug}/modules/{module.id}/preview").get_data(as_text=True)
    assert "Preview — learners cannot see this draft" in page
    heading, rest = module.html.split("</h1>", 1)
    assert heading + "</h1>" in page and rest in page  # the stored HTML, exactly


def test_the_learner_view_of_a_published_course_says_so(client, auth):
    course = make_course(status="published")
    auth.login("instructor")
    page = client.get(f"/teach/courses/{course.slug}/preview").get_data(as_text=True)
    assert "Preview — this course is published" in page and "cannot see this draft" not in page


def test_the_learner_view_shows_knowledge_checks_and_writes_nothing(client, auth, count_queries):
    make_question("kc-sig-01", title="What does bid mean?")
    course = make_course()
    module = make_module(course, markdown="# Sig\n\nText.\n\n[[check: kc-sig-01]]\n")
    auth.login("instructor")
    with count_queries() as statements:
        page = client.get(f"/teach/courses/{course.slug}/modules/{module.id}/preview").get_data(as_text=True)
    assert "Knowledge check" in page and "What does bid mean?" in page
    assert 'data-question="kc-sig-01"' not in page  # the placeholder is replaced
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_a_draft_course_is_not_in_the_learners_catalog(app, client, auth):
    if "courses.catalog" not in app.view_functions:
        pytest.skip("the learner course pages are not registered")
    make_course(slug="secret-draft", title="Secret draft course")
    make_course(slug="open-course", title="Open published course", status="published")
    auth.login("learner")
    page = client.get(url_for("courses.catalog")).get_data(as_text=True)
    assert "Open published course" in page and "Secret draft course" not in page


def test_an_unknown_course_is_not_found(client, auth):
    auth.login("instructor")
    assert client.get("/teach/courses/no-such-course").status_code == 404
