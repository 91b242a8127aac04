"""The course page and the module page: what they show, drafts, stored HTML, query counts."""

from __future__ import annotations

import contextlib
import re
from unittest import mock

import markdown
import pytest

from tests.factories.courses import EXPLANATION, answer_checks, make_course, modules_of
from trainer.extensions import db
from trainer.services import progress
from trainer.services.courses import apply_module_text


@pytest.fixture
def course(app):
    return make_course("sig-codes", title="Sig codes", modules=3, ce_hours="1.5", ce_topic="05",
                       pass_mark=75, uan="0669-0000-24-001-H05-T")


# --- the course page -----------------------------------------------------------------


def test_the_course_page_shows_summary_ce_facts_and_modules_in_order(client, course):
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert "<p>All about sig codes.</p>" in page
    assert "<dt>CE hours</dt><dd>1.5</dd>" in page and "05 · Patient safety" in page
    assert "0669-0000-24-001-H05-T" in page and "75% on the post-test" in page
    assert re.findall(r'href="/courses/sig-codes/(module-\d)">', page) == ["module-1", "module-2", "module-3"]


def test_a_visitor_may_read_the_course_page_and_is_asked_to_log_in_to_start(client, course):
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert "Log in to start" in page and "<progress" not in page


def test_the_course_page_has_a_progress_bar_and_completion_marks(client, auth, course):
    learner = auth.login("learner")
    first, second, _ = modules_of(course)
    answer_checks(learner, first)
    progress.complete_module(learner, first)
    progress.record_view(learner, second)
    db.session.commit()
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert '<progress max="4" value="1"' in page and "1 of 4 steps done (25%)" in page
    modules = page[page.index('id="modules-heading"'):]
    one = modules[modules.index("module-1"):modules.index("module-2")]
    two = modules[modules.index("module-2"):modules.index("module-3")]
    assert "Completed" in one and "Started" in two


def test_a_new_learner_is_offered_to_start_at_the_first_module(client, auth, course):
    auth.login("learner")
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert 'href="/courses/sig-codes/module-1">Start the course' in page


def test_the_post_test_section_states_the_course_pass_mark(client, course):
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    section = page[page.index('id="post-test-heading"'):]
    assert "Sig codes post-test: pass with at least 75%" in section


def test_the_course_page_links_the_post_test_quiz_page(app, client, course):
    if "quizzes.quiz" not in app.view_functions:
        pytest.skip("the quizzes blueprint is not registered yet")
    page = client.get("/courses/sig-codes").get_data(as_text=True)
    assert 'href="/quizzes/sig-codes-post-test"' in page


def test_prerequisites_are_listed_with_their_completion(client, auth, course):
    make_course("advanced-sig", title="Advanced sig", modules=1, prerequisites=["sig-codes"])
    auth.login("learner")
    page = client.get("/courses/advanced-sig").get_data(as_text=True)
    section = page[page.index('id="prerequisites-heading"'):page.index('id="modules-heading"')]
    assert 'href="/courses/sig-codes">Sig codes</a>' in section and "Completed" not in section


def test_an_unknown_course_is_404(client):
    assert client.get("/courses/no-such-course").status_code == 404


# --- drafts --------------------------------------------------------------------------


@pytest.fixture
def draft(app):
    return make_course("draft-course", title="Draft course", modules=2, status="draft")


@pytest.mark.parametrize("path", ["/courses/draft-course", "/courses/draft-course/module-1",
                                  "/courses/draft-course/completion"])
def test_a_draft_is_404_for_a_learner(client, auth, draft, path):
    auth.login("learner")
    assert client.get(path).status_code == 404


def test_a_draft_is_404_for_a_visitor(client, draft):
    assert client.get("/courses/draft-course").status_code == 404


def test_a_learner_cannot_post_to_a_draft(client, auth, draft):
    auth.login("learner")
    for path in ("/courses/draft-course/module-1/complete", "/courses/draft-course/completion",
                 "/courses/draft-course/module-1/checks/draft-course-kc-1-1"):
        assert client.post(path, data={"response": "a"}).status_code == 404, path


@pytest.mark.parametrize("path", ["/courses/draft-course", "/courses/draft-course/module-1"])
def test_an_instructor_sees_a_draft_with_a_banner(client, auth, draft, path):
    auth.login("instructor")
    response = client.get(path)
    assert response.status_code == 200
    assert 'class="draft-banner"' in response.get_data(as_text=True)


def test_a_published_course_has_no_draft_banner(client, auth, course):
    auth.login("instructor")
    assert "draft-banner" not in client.get("/courses/sig-codes/module-1").get_data(as_text=True)


# --- the module page -----------------------------------------------------------------


def test_the_module_page_needs_a_login(client, course):
    response = client.get("/courses/sig-codes/module-1")
    assert response.status_code == 302 and "/login" in response.location


def test_the_module_page_serves_the_stored_html(client, auth, course):
    auth.login("learner")
    module = modules_of(course)[0]
    module.html = module.html.replace("Divide the quantity", "Stored text, not re-rendered: divide the quantity")
    db.session.commit()
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert "Stored text, not re-rendered" in page
    # the glossary's abbreviation titles come from the stored rendering
    assert '<abbr title="twice a day">bid</abbr>' in page


RENDERERS = ("trainer.content.render_module", "trainer.content.render.render_module",
             "trainer.services.courses.render_module", "trainer.services.attempts.render_module")
PAGES = ("/courses/", "/courses/sig-codes", "/courses/sig-codes/module-1", "/courses/sig-codes/module-2",
         "/courses/search?q=sig", "/dashboard")


def test_no_markdown_is_rendered_on_any_get(client, auth, course):
    learner = auth.login("learner")
    answer_checks(learner, modules_of(course)[1])  # an answered check shows its stored explanation
    client.get("/courses/sig-codes/module-1")  # the learner's knowledge-check items exist

    def refuse(*args, **kwargs):
        raise AssertionError("markdown rendered during a request")

    with contextlib.ExitStack() as stack:
        for target in RENDERERS:
            stack.enter_context(mock.patch(target, refuse))
        stack.enter_context(mock.patch.object(markdown, "Markdown", refuse))
        stack.enter_context(mock.patch.object(markdown, "markdown", refuse))
        for path in PAGES:
            assert client.get(path).status_code == 200, path


def test_a_first_view_renders_only_the_learners_check_questions_never_the_module(client, auth, course):
    """A knowledge check's item is made for the learner on first view (its numbers may be
    drawn for them): the quiz engine renders that question's stem once and stores it. The
    module's own markdown is never rendered in a request."""
    from trainer.content import render_module

    auth.login("learner")
    module = modules_of(course)[0]
    rendered = []

    def spy(text, *args, **kwargs):
        rendered.append(text)
        return render_module(text, *args, **kwargs)

    with contextlib.ExitStack() as stack:
        for target in RENDERERS:
            stack.enter_context(mock.patch(target, spy))
        for path in PAGES:
            assert client.get(path).status_code == 200, path
    assert module.markdown not in rendered
    assert set(rendered) <= {"What does **bid** mean on a prescription?", EXPLANATION}


def test_the_module_page_has_a_table_of_contents_from_the_stored_toc(client, auth, course):
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-2").get_data(as_text=True)
    toc = page[page.index('id="toc-heading"'):]
    assert re.findall(r'<a href="#([a-z-]+)">', toc)[:2] == ["reading-the-sig", "counting-the-days-supply"]


def test_headings_named_like_the_pages_own_ids_leave_them_alone(client, auth, course):
    auth.login("learner")
    module = modules_of(course)[0]
    apply_module_text(module, title=module.title, objectives=module.objectives, minutes=module.minutes,
                      references=module.references,
                      markdown="# Module 1\n\n## Main\n\nText.\n\n## Finish heading\n\nMore.\n")
    db.session.commit()
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and "main" in ids and "finish-heading" in ids
    toc = page[page.index('id="toc-heading"'):]
    anchors = re.findall(r'<a href="#([^"]+)">', toc)[:2]
    assert anchors == ["section-main", "section-finish-heading"]
    assert set(anchors) <= set(ids)


def test_the_module_page_links_previous_and_next(client, auth, course):
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-2").get_data(as_text=True)
    assert '<a rel="prev" href="/courses/sig-codes/module-1">' in page
    assert '<a rel="next" href="/courses/sig-codes/module-3">' in page


def test_the_first_module_has_no_previous_and_the_last_leads_on(client, auth, course):
    auth.login("learner")
    first = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    last = client.get("/courses/sig-codes/module-3").get_data(as_text=True)
    assert 'rel="prev"' not in first
    assert 'rel="next"' not in last and ("Post-test →" in last or "Back to the course →" in last)


def test_a_module_of_another_course_is_404(client, auth, course):
    make_course("other", title="Other", modules=1)
    auth.login("learner")
    assert client.get("/courses/other/module-2").status_code == 404
    assert client.get("/courses/sig-codes/no-such-module").status_code == 404


def test_the_module_page_puts_the_objectives_under_the_modules_own_title(client, auth, course):
    auth.login("learner")
    page = client.get("/courses/sig-codes/module-1").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert page.index('<h1 id="module-1">Module 1</h1>') < page.index("Explain part 1")


def test_course_and_module_pages_carry_no_inline_script_or_style(client, auth, course):
    auth.login("learner")
    for path in ("/courses/", "/courses/sig-codes", "/courses/sig-codes/module-1"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "<style" not in page and " onclick" not in page, path


# --- query counts --------------------------------------------------------------------


def page_queries(client, count_queries, slug: str, path: str = "") -> int:
    client.get(f"/courses/{slug}{path}")  # first view makes the knowledge-check items
    with count_queries() as statements:
        assert client.get(f"/courses/{slug}{path}").status_code == 200
    return len(statements)


def with_progress(learner, course) -> None:
    """The learner has viewed and completed every module but the last."""
    for module in modules_of(course)[:-1]:
        answer_checks(learner, module)
        progress.complete_module(learner, module)
    db.session.commit()


def test_the_course_page_query_count_does_not_grow_with_modules(client, auth, count_queries):
    learner = auth.login("learner")
    small = make_course("small", title="Small", modules=3)
    large = make_course("large", title="Large", modules=12)
    with_progress(learner, small)
    with_progress(learner, large)
    assert page_queries(client, count_queries, "large") == page_queries(client, count_queries, "small")


def test_the_module_page_query_count_does_not_grow_with_modules(client, auth, count_queries):
    learner = auth.login("learner")
    small = make_course("small", title="Small", modules=3)
    large = make_course("large", title="Large", modules=12)
    with_progress(learner, small)
    with_progress(learner, large)
    assert (page_queries(client, count_queries, "large", "/module-2")
            == page_queries(client, count_queries, "small", "/module-2"))
