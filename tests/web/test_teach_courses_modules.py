"""Module authoring: the editor, the live preview, checks against the bank, order, deleting."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.course_authoring import MODULE_TEXT, make_course, make_module, make_question
from trainer.content import render_module
from trainer.extensions import db
from trainer.models import AuditEvent, Course, Module, ModuleProgress, ModuleRevision
from trainer.services.courses import glossary
from trainer.services.search import search_modules
from trainer.web.teach.course_forms import MAX_MARKDOWN


def module_form(**overrides) -> dict:
    """A valid module form; override any field."""
    data = {
        "title": "Days supply",
        "slug": "days-supply",
        "objectives": "Work out days supply for tablets\nRound down to whole days",
        "minutes": "20",
        "references": "NCPDP Telecommunication Standard",
        "markdown": "# Days supply\n\nDivide the quantity by the daily dose.\n",
        "action": "save",
    }
    data.update(overrides)
    return data


def reload(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def module_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Module))


@pytest.fixture
def course(app):
    return make_course()


@pytest.fixture
def instructor(auth, course):
    return auth.login_as_owner(course)  # shipped content is changed by admins only


# --- adding --------------------------------------------------------------------------


def test_a_new_module_is_added_at_the_end_rendered_and_stored(client, instructor, course):
    make_module(course)
    response = client.post(f"/teach/courses/{course.slug}/modules/new", data=module_form())
    assert response.status_code == 302
    module = db.session.scalar(select(Module).where(Module.slug == "days-supply"))
    assert module.position == 1 and module.version == 1
    assert module.objectives == ["Work out days supply for tablets", "Round down to whole days"]
    assert module.minutes == 20 and module.references == ["NCPDP Telecommunication Standard"]
    assert '<h1 id="days-supply">Days supply</h1>' in module.html
    assert module.toc == [[1, "days-supply", "Days supply"]]
    assert reload(Course, course.id).version == 2
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == instructor.id)) == "module_created"


def test_a_new_module_is_found_by_search_once_the_course_is_published(client, instructor, course):
    client.post(f"/teach/courses/{course.slug}/modules/new", data=module_form(
        markdown="# Days supply\n\nThe quantity divided by the daily dose is the days supply.\n"))
    reload(Course, course.id).status = "published"
    db.session.commit()
    assert [hit.module_slug for hit in search_modules("daily dose")] == ["days-supply"]


def test_a_module_slug_must_be_unique_in_its_course(client, instructor, course):
    make_module(course, slug="days-supply")
    page = client.post(f"/teach/courses/{course.slug}/modules/new", data=module_form()).get_data(as_text=True)
    assert "already has a module with the slug" in page and module_count() == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "Give the module a title."),
    ("objectives", "\n  \n", "List at least one learning objective."),
    ("references", "", "Cite at least one source."),
    ("minutes", "0", "from 1 to 600"),
    ("minutes", "ten", "Not a valid integer value"),
    ("markdown", "", "Write the module&#39;s text."),
])
def test_a_module_with_a_missing_or_bad_field_is_not_saved(client, instructor, course, field, value, message):
    response = client.post(f"/teach/courses/{course.slug}/modules/new", data=module_form(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page and f'id="{field}-error"' in page
    assert module_count() == 0


def test_an_unknown_directive_is_reported_with_its_line_and_nothing_is_saved(client, instructor, course):
    text = "# Days supply\n\nText.\n\n[[quiz: days-supply-1]]\n"
    page = client.post(f"/teach/courses/{course.slug}/modules/new",
                       data=module_form(markdown=text)).get_data(as_text=True)
    assert "Line 5: unknown directive &#39;quiz&#39; (known: check)" in page
    assert 'id="markdown-error"' in page
    assert "[[quiz: days-supply-1]]" in page  # the text, as typed
    assert module_count() == 0


def test_a_check_of_a_question_missing_from_the_bank_is_reported_and_nothing_is_saved(client, instructor, course):
    make_question("kc-days-01")
    text = "# Days supply\n\n[[check: kc-days-01]]\n\nMore.\n\n[[check: kc-days-02]]\n"
    page = client.post(f"/teach/courses/{course.slug}/modules/new",
                       data=module_form(markdown=text)).get_data(as_text=True)
    assert "Line 7: knowledge check &#39;kc-days-02&#39; is not a question in the bank" in page
    assert "kc-days-01&#39; is not" not in page
    assert module_count() == 0


def test_checks_of_questions_in_the_bank_are_saved_in_page_order(client, instructor, course):
    make_question("kc-days-01")
    make_question("kc-days-02")
    text = "# Days supply\n\n[[check: kc-days-02]]\n\nMore.\n\n[[check: kc-days-01]]\n"
    client.post(f"/teach/courses/{course.slug}/modules/new", data=module_form(markdown=text))
    assert db.session.scalar(select(Module.checks)) == ["kc-days-02", "kc-days-01"]


# --- the preview ---------------------------------------------------------------------

XSS = (
    "# Safe heading\n\nTake 1 tab po bid.\n\n"
    "<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    '[click](javascript:alert(1))\n\n'
    '<p onclick="steal()" style="color:red">styled</p>\n'
)


def test_the_live_preview_is_the_stored_rendering_of_the_same_renderer(client, instructor):
    response = client.post("/teach/markdown-preview", data={"markdown": MODULE_TEXT})
    assert response.status_code == 200 and response.is_json
    assert response.json == {"html": render_module(MODULE_TEXT, glossary()).html, "problems": []}


def test_the_live_preview_expands_glossary_abbreviations(client, instructor):
    html = client.post("/teach/markdown-preview", data={"markdown": "Take 1 tab po bid."}).json["html"]
    assert "<abbr title=" in html and ">bid</abbr>" in html


def test_the_live_preview_strips_scripts_event_handlers_styles_and_javascript_links(client, instructor):
    html = client.post("/teach/markdown-preview", data={"markdown": XSS}).json["html"]
    assert '<h1 id="safe-heading">Safe heading</h1>' in html
    lowered = html.lower()
    for forbidden in ("<script", "onerror", "onclick", "javascript:", "style=", "alert("):
        assert forbidden not in lowered, forbidden


def test_the_live_preview_reports_problems_with_their_lines(client, instructor):
    result = client.post("/teach/markdown-preview", data={"markdown": "Intro\n\n[[check: kc-nowhere]]\n"}).json
    assert result["problems"] == ["Line 3: knowledge check 'kc-nowhere' is not a question in the bank"]
    result = client.post("/teach/markdown-preview", data={"markdown": "[[video: x]]"}).json
    assert result["html"] == "" and result["problems"][0].startswith("Line 1: unknown directive 'video'")


def test_the_live_preview_needs_a_csrf_token(client, instructor):
    response = client.post("/teach/markdown-preview", data={"markdown": "# x"}, csrf=False)
    assert response.status_code == 400


def test_the_preview_button_works_without_javascript_and_saves_nothing(client, instructor, course):
    response = client.post(f"/teach/courses/{course.slug}/modules/new",
                           data=module_form(markdown=XSS, title="", action="preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 id="safe-heading">Safe heading</h1>' in page
    assert "onerror" not in page.split('id="preview-body"')[1]
    assert "Give the module a title." not in page  # a preview checks the text only
    assert module_count() == 0


def test_the_editor_page_loads_its_script_from_static(client, instructor, course):
    module = make_module(course)
    page = client.get(f"/teach/courses/{course.slug}/modules/{module.id}").get_data(as_text=True)
    assert "/static/js/teach-courses.js" in page and 'data-preview-url="/teach/markdown-preview"' in page
    assert "<script>" not in page and "style=" not in page


# --- editing -------------------------------------------------------------------------


def edit_form(module, **overrides) -> dict:
    data = module_form(title=module.title, objectives="\n".join(module.objectives),
                       minutes=str(module.minutes), references="\n".join(module.references),
                       markdown=module.markdown, version=str(module.version))
    del data["slug"]
    data.update(overrides)
    return data


def test_saving_an_edit_keeps_the_old_text_as_a_revision_and_bumps_both_versions(client, instructor, course):
    module = make_module(course)
    old_text = module.markdown
    new_text = old_text + "\nA new paragraph about **qid**.\n"
    response = client.post(f"/teach/courses/{course.slug}/modules/{module.id}",
                           data=edit_form(module, markdown=new_text))
    assert response.status_code == 302
    module = reload(Module, module.id)
    assert module.version == 2 and module.markdown == new_text
    assert "A new paragraph about <strong>" in module.html
    revision = db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id))
    assert (revision.version, revision.markdown, revision.reason, revision.created_by_id) == (
        1, old_text, "edit", instructor.id)
    assert revision.front_matter == {"objectives": ["Read a sig aloud"], "minutes": 15,
                                     "references": ["USP <17>"]}
    assert reload(Course, course.id).version == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "module_edited"))
    assert event.subject == "course:sig-codes/reading-the-sig" and event.details["version"] == 2


def test_textarea_line_endings_are_stored_as_newlines(client, instructor, course):
    module = make_module(course)
    client.post(f"/teach/courses/{course.slug}/modules/{module.id}",
                data=edit_form(module, markdown="# One\r\n\r\nTwo\r\n"))
    assert reload(Module, module.id).markdown == "# One\n\nTwo\n"


def test_saving_without_a_change_keeps_no_revision(client, instructor, course):
    module = make_module(course)
    client.post(f"/teach/courses/{course.slug}/modules/{module.id}", data=edit_form(module))
    assert reload(Module, module.id).version == 1
    assert db.session.scalar(select(func.count()).select_from(ModuleRevision)) == 0


def test_an_edit_with_an_unknown_directive_changes_nothing(client, instructor, course):
    module = make_module(course)
    page = client.post(f"/teach/courses/{course.slug}/modules/{module.id}",
                       data=edit_form(module, markdown="Intro\n[[embed: x]]\n")).get_data(as_text=True)
    assert "Line 2: unknown directive" in page
    module = reload(Module, module.id)
    assert module.version == 1 and module.markdown == MODULE_TEXT


def test_an_edit_over_a_newer_save_is_refused_and_keeps_the_typed_text(client, instructor, course):
    module = make_module(course)
    data = edit_form(module, markdown="My edit\n", version="1")
    module.version = 2  # someone else saved meanwhile
    db.session.commit()
    page = client.post(f"/teach/courses/{course.slug}/modules/{module.id}", data=data).get_data(as_text=True)
    assert "Someone saved this module while you were editing it" in page and "My edit" in page
    assert reload(Module, module.id).markdown == MODULE_TEXT


def test_a_module_of_another_course_is_not_found(client, instructor, course):
    other = make_course(slug="other", title="Other")
    module = make_module(other)
    assert client.get(f"/teach/courses/{course.slug}/modules/{module.id}").status_code == 404


# --- order ---------------------------------------------------------------------------


def three_modules(course):
    return [make_module(course, slug=s, title=s.title()) for s in ("first", "second", "third")]


def order_of(course) -> list[tuple[int, str]]:
    db.session.expire_all()
    return [(m.position, m.slug) for m in db.session.get(Course, course.id).modules]


def test_a_module_moves_up_and_down_and_positions_stay_contiguous(client, instructor, course):
    first, second, third = three_modules(course)
    client.post(f"/teach/courses/{course.slug}/modules/{third.id}/move", data={"direction": "up"})
    assert order_of(course) == [(0, "first"), (1, "third"), (2, "second")]
    client.post(f"/teach/courses/{course.slug}/modules/{first.id}/move", data={"direction": "down"})
    assert order_of(course) == [(0, "third"), (1, "first"), (2, "second")]
    assert reload(Course, course.id).version == 3


def test_the_first_module_cannot_move_up(client, instructor, course):
    first, _, _ = three_modules(course)
    client.post(f"/teach/courses/{course.slug}/modules/{first.id}/move", data={"direction": "up"})
    assert order_of(course) == [(0, "first"), (1, "second"), (2, "third")]
    assert reload(Course, course.id).version == 1


def test_a_move_needs_a_direction(client, instructor, course):
    first, _, _ = three_modules(course)
    response = client.post(f"/teach/courses/{course.slug}/modules/{first.id}/move", data={"direction": "sideways"})
    assert response.status_code == 400


# --- deleting ------------------------------------------------------------------------


def test_deleting_asks_first_and_says_learners_have_progress(client, instructor, course, user_factory):
    module = make_module(course)
    learner = user_factory()
    db.session.add(ModuleProgress(user_id=learner.id, module_id=module.id, course_id=course.id))
    db.session.commit()
    page = client.get(f"/teach/courses/{course.slug}/modules/{module.id}/delete").get_data(as_text=True)
    assert "1 learner has progress in this module" in page and "You can still delete it" in page
    assert module_count() == 1


def test_deleting_a_module_removes_it_and_closes_the_gap(client, instructor, course, user_factory):
    first, second, third = three_modules(course)
    learner = user_factory()
    db.session.add(ModuleProgress(user_id=learner.id, module_id=second.id, course_id=course.id))
    db.session.commit()
    response = client.post(f"/teach/courses/{course.slug}/modules/{second.id}/delete")
    assert response.status_code == 302
    assert order_of(course) == [(0, "first"), (1, "third")]
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 0
    assert reload(Course, course.id).version == 2
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "module_deleted"))["title"] == "Second"


def test_the_last_module_of_a_published_course_is_not_deleted(client, instructor, course):
    module = make_module(course)
    course.status = "published"
    db.session.commit()
    response = client.post(f"/teach/courses/{course.slug}/modules/{module.id}/delete", follow_redirects=True)
    assert "return the course to draft before deleting its last module" in response.get_data(as_text=True)
    assert module_count() == 1 and reload(Course, course.id).version == 1


def test_the_editor_opens_with_the_stored_rendering_as_its_preview(client, instructor, course):
    module = make_module(course)
    page = client.get(f"/teach/courses/{course.slug}/modules/{module.id}").get_data(as_text=True)
    assert module.html in page.split('id="preview-body"')[1]


@pytest.mark.parametrize("path", ["/modules/99999999999999", "/modules/99999999999999/history",
                                  "/modules/99999999999999/preview"])
def test_an_out_of_range_module_id_is_not_found(client, instructor, course, path):
    assert client.get(f"/teach/courses/{course.slug}{path}").status_code == 404


def test_a_text_over_the_length_limit_is_refused_without_rendering_it(client, instructor, course):
    too_long = "[" * (MAX_MARKDOWN + 1)  # would take the markdown library minutes to render
    page = client.post(f"/teach/courses/{course.slug}/modules/new",
                       data=module_form(markdown=too_long)).get_data(as_text=True)
    assert "The text is longer than 200,000 characters" in page and module_count() == 0
    result = client.post("/teach/markdown-preview", data={"markdown": too_long}).json
    assert result["html"] == "" and result["problems"][0].startswith("The text is longer")
