"""The course catalog: published courses with their CE facts, filters, drafts, progress."""

from __future__ import annotations

import re

import pytest

from tests.factories.courses import answer_checks, make_course, modules_of, post_test_attempt
from trainer.extensions import db
from trainer.models import Course
from trainer.services import progress


def listed(page: str) -> list[str]:
    """Titles of the courses listed on a catalog page, in order."""
    return re.findall(r'<h2><a href="/courses/[a-z0-9-]+">([^<]+)</a>', page)


@pytest.fixture
def catalog(app):
    """Three published courses that differ in audience, topic and hours, and a draft."""
    return {
        "law": make_course("law", title="Federal law", audience="technicians", ce_topic="03",
                           ce_hours="1", modules=2),
        "safety": make_course("safety", title="Medication safety", audience="both", ce_topic="05",
                              ce_hours="2.5", modules=4),
        "calc": make_course("calc", title="Calculations", audience="students", ce_topic="04",
                            ce_hours="4", modules=3),
        "draft": make_course("draft", title="Unfinished draft", modules=1, status="draft"),
    }


def test_the_catalog_lists_published_courses_with_hours_topic_and_module_count(client, catalog):
    page = client.get("/courses/").get_data(as_text=True)
    assert listed(page) == ["Calculations", "Federal law", "Medication safety"]
    safety = page[page.index("Medication safety"):]
    assert "<dt>CE hours</dt><dd>2.5</dd>" in safety
    assert "05 · Patient safety" in safety
    assert "<dt>Modules</dt><dd>4</dd>" in safety


def test_a_draft_course_is_not_in_a_learners_catalog(client, auth, catalog):
    auth.login("learner")
    assert "Unfinished draft" not in client.get("/courses/").get_data(as_text=True)


def test_an_instructor_sees_drafts_in_the_catalog_marked_as_drafts(client, auth, catalog):
    auth.login("instructor")
    page = client.get("/courses/").get_data(as_text=True)
    assert "Unfinished draft" in page and '<span class="badge warn">Draft</span>' in page


@pytest.mark.parametrize(("audience", "titles"), [
    ("technicians", ["Federal law", "Medication safety"]),
    ("students", ["Calculations", "Medication safety"]),
])
def test_filtering_by_audience_keeps_courses_written_for_everyone(client, catalog, audience, titles):
    page = client.get(f"/courses/?audience={audience}").get_data(as_text=True)
    assert listed(page) == titles


def test_filtering_by_acpe_topic(client, catalog):
    page = client.get("/courses/?topic=03").get_data(as_text=True)
    assert listed(page) == ["Federal law"]


@pytest.mark.parametrize(("hours", "titles"), [
    ("up-to-1", ["Federal law"]),
    ("up-to-3", ["Federal law", "Medication safety"]),
    ("over-3", ["Calculations"]),
])
def test_filtering_by_hours(client, catalog, hours, titles):
    assert listed(client.get(f"/courses/?hours={hours}").get_data(as_text=True)) == titles


def test_filters_combine(client, catalog):
    page = client.get("/courses/?audience=technicians&hours=up-to-3&topic=05").get_data(as_text=True)
    assert listed(page) == ["Medication safety"]


def test_an_unknown_filter_value_is_reported_beside_the_filter_and_ignored(client, catalog):
    response = client.get("/courses/?topic=99&hours=%00lots&audience=<script>")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count("Not a valid choice") == 3
    assert listed(page) == ["Calculations", "Federal law", "Medication safety"]
    assert "<script>" not in page


def test_no_match_says_so_and_offers_every_course(client, catalog):
    page = client.get("/courses/?topic=08").get_data(as_text=True)
    assert "No course matches these filters" in page


def test_the_catalog_shows_the_learners_progress(client, auth, catalog):
    learner = auth.login("learner")
    first = modules_of(catalog["safety"])[0]
    answer_checks(learner, first)
    progress.complete_module(learner, first)
    db.session.commit()
    page = client.get("/courses/").get_data(as_text=True)
    safety = page[page.index("Medication safety"):]
    # 4 modules and the post-test are 5 steps; one is done
    assert "20% done" in safety and '<progress max="5" value="1"' in safety
    assert "% done" not in page[page.index("Federal law"):page.index("Medication safety")]


def test_a_completed_course_is_marked_completed_in_the_catalog(client, auth, catalog):
    learner = auth.login("learner")
    course = catalog["law"]
    for module in modules_of(course):
        answer_checks(learner, module)
        progress.complete_module(learner, module)
    post_test_attempt(learner, course, 90)
    assert progress.complete_course(learner, db.session.get(Course, course.id))
    db.session.commit()
    page = client.get("/courses/").get_data(as_text=True)
    assert '<span class="badge ok">Completed</span>' in page[page.index("Federal law"):]


def test_the_catalog_query_count_does_not_grow_with_courses(client, auth, count_queries, app):
    auth.login("learner")
    make_course("one", title="One", modules=1)
    with count_queries() as few:
        client.get("/courses/")
    for n in range(5):
        make_course(f"more-{n}", title=f"More {n}", modules=2)
    with count_queries() as many:
        client.get("/courses/")
    assert len(many) == len(few)


def _filters_offered(page: str) -> list[str]:
    """The labels of the catalog's filter fields on a page."""
    form = re.search(r'<form[^>]*class="catalog-filters".*?</form>', page, re.S)
    return re.findall(r'<label for="(audience|topic|hours)"', form.group(0)) if form else []


def test_every_filter_is_offered_when_each_can_narrow_the_list(client, catalog):
    assert _filters_offered(client.get("/courses/").get_data(as_text=True)) == ["audience", "topic", "hours"]


def test_filters_that_would_keep_every_course_are_not_offered(client, app):
    # Every course written for everyone and two hours long: only the topic tells them apart.
    make_course("law", title="Federal law", ce_topic="03")
    make_course("safety", title="Medication safety", ce_topic="05")
    assert _filters_offered(client.get("/courses/").get_data(as_text=True)) == ["topic"]


def test_no_filter_form_when_nothing_can_narrow_the_list(client, app):
    make_course("law", title="Federal law")
    make_course("safety", title="Medication safety")
    page = client.get("/courses/").get_data(as_text=True)
    assert 'class="catalog-filters"' not in page
    assert listed(page) == ["Federal law", "Medication safety"]


def test_a_filter_in_use_stays_offered_with_the_others_that_narrow_the_whole_list(client, app):
    make_course("law", title="Federal law", ce_topic="03")
    make_course("safety", title="Medication safety", ce_topic="05")
    page = client.get("/courses/?topic=03&hours=up-to-1").get_data(as_text=True)
    assert listed(page) == []
    assert _filters_offered(page) == ["topic", "hours"]  # audience never narrows these two


def test_a_course_edited_after_the_catalog_was_shown_shows_as_edited(client, catalog):
    client.get("/courses/")  # the cards are rendered once and remembered
    course = catalog["safety"]
    course.title, course.ce_hours, course.summary_html = "Medication safety, revised", 3, "<p>New summary.</p>"
    db.session.commit()
    page = client.get("/courses/").get_data(as_text=True)
    assert "Medication safety, revised" in listed(page)
    revised = page[page.index("Medication safety, revised"):]
    assert "<dt>CE hours</dt><dd>3</dd>" in revised and "<p>New summary.</p>" in revised
