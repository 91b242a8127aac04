"""In a real browser: autosave and resume, immediate feedback, and the countdown of a timed quiz."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import log_in, open_attempt

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip every test here, with the reason
    expect = None

pytestmark = pytest.mark.e2e

# Wrong for the feedback quiz's question: a weight in kg, between 8 and 120.
WRONG_ANSWER = "987.6"


def test_autosaved_answer_survives_a_reload_and_the_attempt_resumes_there(page, server):
    log_in(page, server.learner)
    attempt_url = open_attempt(page, "calculations-1")

    # Open question 3 by its address: only the autosave can make the attempt resume there.
    page.goto(attempt_url + "?q=3")
    expect(page.locator(".attempt-progress")).to_contain_text("Question 3 of")
    answer = page.locator("#answer-input")
    with page.expect_response(lambda r: r.url.endswith("/save") and r.request.method == "POST") as saved:
        answer.fill("12.5")
    assert saved.value.ok, saved.value.text()
    expect(page.locator("#quiz-live")).to_have_text("Answer saved.")
    expect(page.locator('.question-nav button[value="3"]')).to_have_class(re.compile(r"\bis-answered\b"))

    reloaded = page.reload()
    assert 'value="12.5"' in reloaded.text(), "the server did not send the saved answer back"
    expect(page.locator("#answer-input")).to_have_value("12.5")

    page.goto("/dashboard")
    page.get_by_role("link", name=re.compile(r"Resume Calculations I: .*\(question 3\)")).click()
    page.wait_for_url(lambda url: url.split("?", 1)[0] == attempt_url)
    expect(page.locator(".attempt-progress")).to_contain_text("Question 3 of")
    expect(page.locator("#answer-input")).to_have_value("12.5")


def test_check_answer_shows_feedback_and_worked_steps_that_were_not_in_the_page(page, server):
    log_in(page, server.learner)
    attempt_url = open_attempt(page, server.feedback_quiz)
    before = page.goto(attempt_url).text()  # the HTML as the server sent it
    expect(page.locator(".question-stem")).to_contain_text("weight is recorded as")
    assert "Correct answer" not in before and "Worked solution" not in before

    page.fill("#answer-input", WRONG_ANSWER)
    page.get_by_role("button", name="Check answer").click()

    feedback = page.locator(".feedback")
    expect(feedback.locator(".feedback-verdict")).to_have_text("Not correct")
    expect(feedback).to_contain_text("Correct answer:")
    key = feedback.locator("p", has_text="Correct answer:").locator("strong").inner_text().strip()
    steps = [s.strip() for s in feedback.locator("ol.steps li").all_inner_texts()]
    assert key and key != WRONG_ANSWER
    assert steps, "no worked solution after checking"
    expect(page.locator("#answer-input")).to_be_disabled()
    expect(page.locator("#answer-input")).to_have_value(WRONG_ANSWER)

    # Nothing of the key was in the page before the answer was checked.
    assert key not in before, f"the answer {key!r} was in the page before checking"
    leaked = [step for step in steps if step in before]
    assert leaked == [], "worked steps were in the page before checking"


def _seconds(text: str) -> int:
    minutes, seconds = re.fullmatch(r"(\d+):(\d\d)", text.strip()).groups()
    return int(minutes) * 60 + int(seconds)


def test_timed_quiz_shows_the_time_left_and_counts_down(page, server):
    log_in(page, server.learner)
    page.goto(f"/quizzes/{server.timed_quiz}")
    expect(page.locator(".facts")).to_contain_text("5 minutes")
    open_attempt(page, server.timed_quiz)

    box = page.locator("#time-left")
    value = box.locator(".time-left-value")
    expect(box).to_contain_text("Time left:")
    expect(value).to_have_text(re.compile(r"^\d+:\d\d$"))  # the script has taken over
    expect(box).to_have_class(re.compile(r"\btime-warn\b"))
    expect(page.locator(".flash-warning")).to_contain_text("Less than 5 minutes left")

    first = _seconds(value.inner_text())
    assert 0 < first <= 5 * 60
    page.wait_for_function(
        "(first) => { const [m, s] = document.querySelector('#time-left .time-left-value')"
        ".textContent.split(':').map(Number); return m * 60 + s < first; }",
        arg=first, timeout=5_000,
    )
    assert _seconds(value.inner_text()) < first
