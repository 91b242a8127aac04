"""Module version history: the list of revisions, viewing one, the diff, restoring."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories.course_authoring import make_course, make_module
from trainer.extensions import db
from trainer.models import AuditEvent, Course, Module, ModuleRevision

FIRST = "# Sig codes\n\nTake one tablet.\n\nKeep this line.\n\nOld <b>bold</b> claim.\n"
SECOND = "# Sig codes\n\nTake one tablet.\n\nKeep this line.\n\nNew claim about bid dosing.\n"


def reload(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


@pytest.fixture
def edited(client, auth, app):
    """A module saved once in the editor: version 1 is FIRST (a revision), version 2 is SECOND."""
    course = make_course()
    instructor = auth.login_as_owner(course)  # shipped content is changed by admins only
    module = make_module(course, markdown=FIRST)
    data = {"title": module.title, "objectives": "Read a sig aloud", "minutes": "15",
            "references": "USP <17>", "markdown": SECOND, "version": "1", "action": "save"}
    assert client.post(f"/teach/courses/{course.slug}/modules/{module.id}", data=data).status_code == 302
    return instructor, course, reload(Module, module.id)


def base(course, module) -> str:
    return f"/teach/courses/{course.slug}/modules/{module.id}"


def test_the_history_lists_each_revision_with_date_author_and_reason(client, edited):
    instructor, course, module = edited
    page = client.get(f"{base(course, module)}/history").get_data(as_text=True)
    assert "The current text is version 2" in page
    assert instructor.name in page and "an edit" in page
    assert f"{base(course, module)}/revisions/1/diff" in page


def test_a_revision_shows_its_text_escaped(client, edited):
    _, course, module = edited
    page = client.get(f"{base(course, module)}/revisions/1").get_data(as_text=True)
    assert "Old &lt;b&gt;bold&lt;/b&gt; claim." in page and "<b>bold</b>" not in page


def test_the_diff_shows_removed_and_added_lines_as_escaped_rows(client, edited):
    _, course, module = edited
    page = client.get(f"{base(course, module)}/revisions/1/diff").get_data(as_text=True)
    removed = page.split('<tr class="diff-removed">')[1].split("</tr>")[0]
    added = page.split('<tr class="diff-added">')[1].split("</tr>")[0]
    assert "Old &lt;b&gt;bold&lt;/b&gt; claim." in removed
    assert "New claim about bid dosing." in added
    assert '<tr class="diff-context">' in page and "Keep this line." in page
    assert "style=" not in page  # classes only: the CSP blocks inline styles


def test_the_diff_covers_the_front_matter(client, edited):
    _, course, module = edited
    module.objectives = ["Read a sig aloud", "Spot an unsafe abbreviation"]
    db.session.commit()
    page = client.get(f"{base(course, module)}/revisions/1/diff").get_data(as_text=True)
    assert "Spot an unsafe abbreviation" in page.split('<tr class="diff-added">')[1].split("</tr>")[0]


def test_restoring_brings_back_the_old_text_and_keeps_the_replaced_text(client, edited):
    instructor, course, module = edited
    response = client.post(f"{base(course, module)}/revisions/1/restore")
    assert response.status_code == 302
    module = reload(Module, module.id)
    assert module.version == 3 and module.markdown == FIRST
    assert "Old <b>bold</b> claim." in module.html
    kept = db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id,
                                                          ModuleRevision.version == 2))
    assert (kept.markdown, kept.reason, kept.created_by_id) == (SECOND, "restore", instructor.id)
    assert reload(Course, course.id).version == 3
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "module_restored"))
    assert (event.details["restored"], event.details["replaced"], event.details["version"]) == (1, 2, 3)


def test_restoring_text_equal_to_the_current_text_changes_nothing(client, edited):
    _, course, module = edited
    client.post(f"{base(course, module)}/revisions/1/restore")
    client.post(f"{base(course, module)}/revisions/3/restore")  # no such revision yet
    client.post(f"{base(course, module)}/revisions/1/restore")  # FIRST is already current
    assert reload(Module, module.id).version == 3


def test_a_revision_that_no_longer_renders_is_not_restored(client, edited):
    _, course, module = edited
    revision = db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id))
    revision.markdown = "Intro\n\n[[check: kc-deleted-question]]\n"
    db.session.commit()
    response = client.post(f"{base(course, module)}/revisions/1/restore", follow_redirects=True)
    assert "cannot be restored" in response.get_data(as_text=True)
    assert reload(Module, module.id).version == 2


def test_restoring_needs_a_csrf_token(client, edited):
    _, course, module = edited
    assert client.post(f"{base(course, module)}/revisions/1/restore", csrf=False).status_code == 400
    assert reload(Module, module.id).version == 2


def test_an_unknown_revision_is_not_found(client, edited):
    _, course, module = edited
    assert client.get(f"{base(course, module)}/revisions/9").status_code == 404
    assert client.get(f"{base(course, module)}/revisions/9/diff").status_code == 404
    assert client.post(f"{base(course, module)}/revisions/9/restore").status_code == 404
    assert client.get(f"{base(course, module)}/revisions/99999999999999/diff").status_code == 404
