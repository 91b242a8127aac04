"""Learners and instructors read public sources and on-screen help, never the repository's
paths or the settings' internal names.

The shipped content is imported and every page a learner and an instructor reach from it
is rendered; the words on them (not the addresses in links, nor the YAML an instructor
edits in a text box) must not name a repository file or folder, and a learner's must not
name a setting such as round_to either.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from trainer.calc import FAMILIES
from trainer.extensions import db
from trainer.models import Course, Question, Quiz

# A path into the repository, or one of its files by name.
REPOSITORY_PATH = re.compile(
    r"(?:\b(?:shared|question_bank|courses|trainer|static|tests|docs|reference)/[\w./-]+"
    r"|\b[\w-]+\.(?:md|ya?ml|py|txt)\b"
    r"|\bCONTENT_ROOT\b)"
)
# The names of settings and fields as an author or the code spells them.
INTERNAL_NAME = re.compile(
    r"\b(?:round_to|feedback_wrong|other_answers|draw_filter|unit_required|tolerance_percent|"
    r"accept_equivalent_units|naked_decimal|trailing_zero|show_answers|feedback_mode|ce_post_test|"
    r"post_test_quiz_id|ptce-20\d\d|excpt:\d)\b"
)


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, scripts, styles, or the contents of a text box."""

    HIDDEN = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


URL = re.compile(r"https?://\S+")


def offences(html: str, *patterns: re.Pattern) -> list[str]:
    text = URL.sub("(link)", visible(html))  # a public source's address is what a reference should be
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            found.append(text[max(match.start() - 50, 0):match.end() + 30])
    return found


def test_a_page_naming_a_repository_path_is_caught():
    page = "<p>Conventions follow shared/reference/calculations.md; see question_bank/README.md.</p>"
    assert len(offences(page, REPOSITORY_PATH)) >= 2
    assert offences("<p>Rounded to the nearest 0.1, as asked (round_to).</p>", INTERNAL_NAME)
    assert offences('<a href="/x/question_bank/a.yaml">Bank</a><textarea>round_to: 0.1</textarea>',
                    REPOSITORY_PATH, INTERNAL_NAME) == []


@pytest.fixture
def shipped(app, shipped_import):
    """The tests that use it are marked shipped_content: their app's database holds the import."""
    assert "questions:" in shipped_import.output


def learner_pages() -> list[str]:
    courses = db.session.scalars(select(Course).where(Course.status == "published")).all()
    pages = ["/dashboard", "/courses/", "/quizzes/", "/calculator/", "/calculator/how-amounts-are-marked"]
    pages += [f"/calculator/{name}" for name in FAMILIES]
    for course in courses:
        pages.append(f"/courses/{course.slug}")
        pages += [f"/courses/{course.slug}/{module.slug}" for module in course.modules]
    pages += [f"/quizzes/{slug}" for slug in db.session.scalars(select(Quiz.slug).where(Quiz.status == "published"))]
    return pages


@pytest.mark.shipped_content
def test_no_learner_page_names_a_repository_path_or_an_internal_setting(client, auth, shipped):
    auth.login("learner")
    problems = {}
    for url in learner_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        found = offences(response.get_data(as_text=True), REPOSITORY_PATH, INTERNAL_NAME)
        if found:
            problems[url] = found
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())


@pytest.mark.shipped_content
def test_no_learner_sees_an_internal_name_in_a_quizs_results_or_its_worked_solutions(client, auth, shipped):
    from tests.factories.quizzes import autosave, fresh, start_via_web, submit_via_web
    from trainer.models import Attempt

    auth.login("learner")
    problems = {}
    for slug in ("calculations-1", "calculations-2", "days-supply"):
        quiz = db.session.scalar(select(Quiz).where(Quiz.slug == slug))
        attempt_id = start_via_web(client, quiz)
        for number, _ in enumerate(fresh(Attempt, attempt_id).items, start=1):
            autosave(client, attempt_id, number, response=".50")
        submit_via_web(client, attempt_id)
        for page in ("results", "review"):
            html = client.get(f"/quizzes/attempts/{attempt_id}/{page}").get_data(as_text=True)
            found = offences(html, REPOSITORY_PATH, INTERNAL_NAME)
            if found:
                problems[f"{slug} {page}"] = found
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())


@pytest.mark.shipped_content
def test_no_instructor_page_or_message_names_a_repository_path(client, auth, shipped):
    question = db.session.scalar(select(Question).order_by(Question.uid).limit(1))
    course = db.session.scalar(select(Course).order_by(Course.slug).limit(1))
    # the edit pages of shipped content are for admins; an instructor edits what they own
    auth.login_as_owner(question, course)
    pages = [
        "/teach/", "/teach/courses", f"/teach/courses/{course.slug}", f"/teach/courses/{course.slug}/edit",
        "/teach/questions", "/teach/questions/new", "/teach/questions/new/numeric",
        f"/teach/questions/{question.uid}/edit", "/teach/quizzes", "/teach/questions/exam-areas",
        "/teach/questions/fields/calculated",
    ]
    problems = {}
    for url in pages:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        found = offences(response.get_data(as_text=True), REPOSITORY_PATH)
        if found:
            problems[url] = found
    # the messages of a question saved with no exam area and an unknown one
    for blueprint in ("", "nowhere:9"):
        response = client.post("/teach/questions/new/single_choice", data={
            "id": "scan-001", "stem": "Which?", "blueprint": blueprint,
            "spec": "choices:\n  - {text: A, correct: true}\n  - {text: B}\n", "status": "draft",
        })
        found = offences(response.get_data(as_text=True), REPOSITORY_PATH)
        if found:
            problems[f"new question, blueprint {blueprint!r}"] = found
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_an_instructor_finds_the_exam_area_codes_and_the_fields_on_screen(client, auth):
    auth.login("instructor")
    editor = client.get("/teach/questions/new/numeric").get_data(as_text=True)
    assert 'href="/teach/questions/exam-areas"' in editor and 'href="/teach/questions/fields/numeric"' in editor
    areas = client.get("/teach/questions/exam-areas").get_data(as_text=True)
    assert "<h2>PTCE 2020–2025 outline</h2>" in areas and "<code>ptce-2020:4.2</code>" in areas
    fields = client.get("/teach/questions/fields/numeric").get_data(as_text=True)
    assert "tolerance" in fields and "Do Not Use" in fields
