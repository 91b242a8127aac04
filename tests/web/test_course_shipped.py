"""The shipped courses, imported with `flask trainer import`, as a learner meets them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import Course


@pytest.mark.shipped_content
def test_every_shipped_course_and_module_page_renders_for_a_learner(client, auth):
    courses = db.session.scalars(select(Course).where(Course.status == "published")).all()
    assert len(courses) >= 5
    auth.login("learner")
    assert client.get("/courses/").status_code == 200
    for course in courses:
        page = client.get(f"/courses/{course.slug}")
        assert page.status_code == 200, course.slug
        for module in course.modules:
            response = client.get(f"/courses/{course.slug}/{module.slug}")
            html = response.get_data(as_text=True)
            assert response.status_code == 200, (course.slug, module.slug)
            # every knowledge check became the learner's question form
            assert len(re.findall(r'<section class="knowledge-check-box"', html)) == len(module.checks)
            assert "not available right now" not in html, (course.slug, module.slug)
