"""Editing a module of a published course: the change waits in a draft that the instructor can
preview, compare and publish or discard; learners read the published text until then, and the
history says who published each version."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.course_authoring import make_course, make_module, make_quiz
from trainer.extensions import db
from trainer.models import AuditEvent, Module, ModuleDraft, ModuleRevision
from trainer.services.search import search_modules

DRAFT_TEXT = "# Reading the sig\n\nA draft paragraph: take it **three times a day**.\n"


@pytest.fixture
def course(app):
    course = make_course(status="published", post_test_quiz_id=make_quiz().id)
    make_module(course)
    return course


@pytest.fixture
def module(course):
    return course.modules[0]


@pytest.fixture
def instructor(auth, course):
    return auth.login_as_owner(course)  # shipped content is changed by admins only


def editor(course, module) -> str:
    return f"/teach/courses/{course.slug}/modules/{module.id}"


def edit_form(module, **overrides) -> dict:
    db.session.refresh(module)
    version = str(module.version) if module.draft is None else f"{module.version}.{module.draft.saves}"
    data = {"title": module.title, "objectives": "\n".join(module.objectives), "minutes": str(module.minutes),
            "references": "\n".join(module.references), "markdown": module.markdown,
            "version": version, "action": "save"}
    data.update(overrides)
    return data


def reload(module_id: int) -> Module:
    db.session.expire_all()
    return db.session.get(Module, module_id)


def save_draft(client, course, module, markdown=DRAFT_TEXT, **fields):
    response = client.post(editor(course, module), data=edit_form(module, markdown=markdown, **fields))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return response


@pytest.fixture
def learner_page(app, user_factory):
    """The module page as a learner reads it, in a second browser logged in as a learner."""
    from tests.conftest import AuthActions

    learner_client = app.test_client()
    AuthActions(learner_client, user_factory).login("learner")

    def read(course, module) -> str:
        response = learner_client.get(f"/courses/{course.slug}/{module.slug}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return read


def test_saving_a_module_of_a_published_course_keeps_a_draft_and_learners_see_the_published_text(
        learner_page, client, instructor, course, module):
    published_html = module.html
    save_draft(client, course, module, title="Reading a sig aloud")
    module = reload(module.id)
    assert module.version == 1 and module.html == published_html and module.title == "Reading the sig"
    assert module.draft.title == "Reading a sig aloud" and module.draft.markdown == DRAFT_TEXT
    assert "<strong>three times a day</strong>" in module.draft.html  # rendered when saved, like the module
    assert "three times a day" not in learner_page(course, module)
    assert search_modules("three times") == []  # search finds what learners can read


def test_the_editor_reopens_on_the_draft_and_says_learners_still_see_the_published_text(
        client, instructor, course, module):
    save_draft(client, course, module)
    page = client.get(editor(course, module)).get_data(as_text=True)
    assert "Unpublished draft" in page
    assert "Learners see the published text (version 1" in page
    assert "three times a day" in page  # the textarea and the preview hold the draft
    assert "Publish the draft" in page and "Discard the draft" in page and "Save draft" in page


def test_before_the_first_draft_the_editor_says_where_a_save_goes(client, instructor, course, module):
    page = client.get(editor(course, module)).get_data(as_text=True)
    assert "Saving keeps your changes as a draft" in page and "Save draft" in page
    assert "Publish the draft" not in page


def test_the_draft_can_be_viewed_as_a_learner_will_see_it(client, instructor, course, module):
    save_draft(client, course, module, title="Reading a sig aloud", objectives="Say the sig in plain words")
    page = client.get(f"{editor(course, module)}/preview?draft=1").get_data(as_text=True)
    assert "Preview of an unpublished draft" in page
    assert "three times a day" in page and "Say the sig in plain words" in page
    published = client.get(f"{editor(course, module)}/preview").get_data(as_text=True)
    assert "twice a day" in published and "three times a day" not in published
    assert "This module has an unpublished draft" in published


def test_the_draft_is_compared_with_the_published_text(client, instructor, course, module):
    save_draft(client, course, module)
    page = client.get(f"{editor(course, module)}/draft/diff").get_data(as_text=True)
    assert "Draft compared with the published text" in page
    assert "A draft paragraph: take it **three times a day**." in page and "twice a day" in page


def test_publishing_puts_the_draft_live_keeps_the_old_text_and_records_who_published(
        learner_page, client, instructor, course, module):
    save_draft(client, course, module)
    response = client.post(f"{editor(course, module)}/draft/publish", follow_redirects=True)
    assert "Draft published as version 2" in response.get_data(as_text=True)
    module = reload(module.id)
    assert module.version == 2 and module.markdown == DRAFT_TEXT and "<strong>three times a day</strong>" in module.html
    assert module.draft is None and module.published_by_id == instructor.id and module.published_at
    assert db.session.scalar(select(func.count()).select_from(ModuleDraft)) == 0
    kept = db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id))
    assert (kept.version, kept.reason, kept.created_by_id) == (1, "publish", instructor.id)
    assert "three times a day" in learner_page(course, module)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "module_published"))
    assert event.actor_id == instructor.id and event.details["version"] == 2 and event.details["replaced"] == 1
    history = client.get(f"{editor(course, module)}/history").get_data(as_text=True)
    assert f"published by {instructor.name}" in history and "a published draft" in history


def test_a_published_version_replaced_later_still_names_its_publisher(client, instructor, course, module):
    save_draft(client, course, module)
    client.post(f"{editor(course, module)}/draft/publish")
    module = reload(module.id)
    save_draft(client, course, module, markdown=DRAFT_TEXT + "\nAnd once more.\n")
    client.post(f"{editor(course, module)}/draft/publish")
    second = db.session.scalar(select(ModuleRevision).where(ModuleRevision.version == 2))
    assert second.published_by_id == instructor.id and second.published_at is not None
    history = client.get(f"{editor(course, module)}/history").get_data(as_text=True)
    assert history.count(instructor.name) >= 2


def test_discarding_the_draft_leaves_the_published_text_untouched(client, instructor, course, module):
    before = (module.version, module.markdown)
    save_draft(client, course, module)
    response = client.post(f"{editor(course, module)}/draft/discard", follow_redirects=True)
    assert "Draft discarded" in response.get_data(as_text=True)
    module = reload(module.id)
    assert module.draft is None and (module.version, module.markdown) == before
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "module_draft_discarded"))


def test_a_draft_written_against_an_older_version_is_not_published_over_a_newer_one(
        client, instructor, course, module):
    save_draft(client, course, module)
    module = reload(module.id)
    module.version = 2  # someone imported a newer text from files meanwhile
    db.session.commit()
    response = client.post(f"{editor(course, module)}/draft/publish", follow_redirects=True)
    assert "The published text changed after this draft was started" in response.get_data(as_text=True)
    assert reload(module.id).markdown != DRAFT_TEXT
    # Saving the draft again against version 2 confirms it, and it publishes.
    save_draft(client, course, reload(module.id))
    client.post(f"{editor(course, module)}/draft/publish")
    assert reload(module.id).markdown == DRAFT_TEXT


def test_a_draft_whose_check_left_the_bank_is_not_published(client, instructor, course, module):
    from tests.factories.course_authoring import make_question

    question = make_question("kc-tid")
    save_draft(client, course, module, markdown=DRAFT_TEXT + "\n[[check: kc-tid]]\n")
    db.session.delete(question)
    db.session.commit()
    response = client.post(f"{editor(course, module)}/draft/publish", follow_redirects=True)
    assert "cannot be published as it is" in response.get_data(as_text=True)
    assert reload(module.id).version == 1


def test_restoring_an_old_version_of_a_published_module_goes_to_the_draft(client, instructor, course, module):
    save_draft(client, course, module)
    client.post(f"{editor(course, module)}/draft/publish")
    response = client.post(f"{editor(course, module)}/revisions/1/restore", follow_redirects=True)
    assert "Version 1 copied into the draft" in response.get_data(as_text=True)
    module = reload(module.id)
    assert module.markdown == DRAFT_TEXT and "twice a day" in module.draft.markdown


def test_a_module_of_a_draft_course_is_still_saved_directly(client, instructor):
    course = make_course("drafting", status="draft")
    course.owner_id = instructor.id
    module = make_module(course)
    save_draft(client, course, module)
    module = reload(module.id)
    assert module.version == 2 and module.markdown == DRAFT_TEXT and module.draft is None


def test_the_course_page_marks_modules_with_a_draft(client, instructor, course, module):
    save_draft(client, course, module)
    assert "draft not published" in client.get(f"/teach/courses/{course.slug}").get_data(as_text=True)


def test_a_learner_cannot_publish_or_discard_a_draft(client, auth, course, module):
    auth.login("learner")
    assert client.post(f"{editor(course, module)}/draft/publish").status_code in (403, 404)
    assert client.post(f"{editor(course, module)}/draft/discard").status_code in (403, 404)


def test_two_instructors_saving_one_draft_the_second_is_told_and_keeps_their_text(client, instructor, course, module):
    opened = edit_form(module)  # both open the editor before the first draft exists
    save_draft(client, course, module)  # the first saves
    response = client.post(editor(course, module), data={**opened, "markdown": "# Mine\n\nMy own words.\n"})
    page = response.get_data(as_text=True)
    assert "Someone saved the draft of this module while you were editing it" in page
    assert "My own words." in page
    assert reload(module.id).draft.markdown == DRAFT_TEXT


def test_an_editor_opened_on_a_draft_since_published_does_not_bring_it_back(client, instructor, course, module):
    save_draft(client, course, module)
    opened = edit_form(reload(module.id))
    client.post(f"{editor(course, module)}/draft/publish")
    response = client.post(editor(course, module), data={**opened, "markdown": DRAFT_TEXT + "More.\n"})
    assert "was published or discarded while you were editing it" in response.get_data(as_text=True)
    assert reload(module.id).draft is None


def test_the_editor_carries_the_draft_it_was_opened_on(client, instructor, course, module):
    save_draft(client, course, module)
    save_draft(client, course, reload(module.id), markdown=DRAFT_TEXT + "Second save.\n")
    assert 'name="version" type="hidden" value="1.2"' in client.get(editor(course, module)).get_data(as_text=True)
