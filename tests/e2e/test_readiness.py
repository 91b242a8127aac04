"""In a real browser: flashcards from the keyboard across a reload, the readiness chart under the
content security policy, and a mock exam started with its clock running."""

from __future__ import annotations

import pytest

from tests.e2e.pages import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip every test here, with the reason
    expect = None

pytestmark = pytest.mark.e2e


def test_flashcards_from_the_keyboard_survive_a_reload(page, server, problems):
    log_in(page, server.learner)
    page.goto("/flashcards/error-prone-abbreviations")
    front = page.locator("#card-front")
    first = front.inner_text()
    expect(page.locator("#card-back")).to_be_hidden()

    page.keyboard.press("Space")
    expect(page.locator("#card-back")).to_be_visible()
    expect(page.locator("#flashcard-live")).to_contain_text("Rate it")

    with page.expect_navigation():
        page.keyboard.press("3")
    second = front.inner_text()
    assert second != first

    page.reload()
    expect(front).to_have_text(second)  # the session lives on the server
    expect(page.locator("#card-back")).to_be_hidden()
    assert problems.page_errors == [] and problems.csp() == []
    assert page.evaluate("window.__cspViolations") == []


def test_the_readiness_page_draws_its_chart_within_the_policy(page, server, problems):
    log_in(page, server.learner)
    page.goto("/readiness/")
    chart = page.locator("svg.mastery-chart")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 100
    expect(page.locator("table.mastery-table caption")).to_contain_text("The chart as a table")
    assert page.evaluate("window.__cspViolations") == []
    assert problems.csp() == [] and problems.page_errors == []


def test_a_mock_exam_starts_with_its_clock_and_four_options(page, server, problems):
    log_in(page, server.learner)
    page.goto("/readiness/mock-exams")
    page.get_by_role("button", name="Start the PTCE mock exam").first.click()
    page.wait_for_url("**/quizzes/attempts/*")
    expect(page.locator("h1")).to_have_text("PTCE mock exam")
    expect(page.locator("#time-left")).to_contain_text("Time left")
    expect(page.locator('input[type="radio"]')).to_have_count(4)
    assert problems.page_errors == []
