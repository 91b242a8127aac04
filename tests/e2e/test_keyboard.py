"""With the keyboard alone: a whole quiz of every answer kind, a module's knowledge check and the
calculator. Every control is reached with Tab (never clicked or focused by the test), chosen
with Space or the arrow keys, typed into and submitted with Enter."""

from __future__ import annotations

import pytest

from tests.e2e.pages import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip every test here, with the reason
    expect = None

pytestmark = pytest.mark.e2e

MOST_TABS = 120  # more stops than any page has before its last control


def tab_to(page, locator) -> None:
    """Press Tab until `locator` has the focus; fail if the tab order never reaches it."""
    target = locator.element_handle()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", target):
            return
    raise AssertionError(f"Tab never reaches {locator}")


def press_enter_and_wait(page, url_part: str) -> None:
    with page.expect_navigation(url=lambda url: url_part in url):
        page.keyboard.press("Enter")


def answer_with_keys(page) -> None:
    """Give some answer to the question on screen, whatever its kind, with keys only."""
    choices = page.locator('.answer-options input[name="response"]')
    text = page.locator("#answer-input")
    selects = page.locator('select[name^="pair-"], select[name^="order-"]')
    if choices.count():
        tab_to(page, choices.first)
        page.keyboard.press("Space")
        expect(choices.first).to_be_checked()
    elif text.count():
        tab_to(page, text)
        page.keyboard.type("10")
        expect(text).to_have_value("10")
    else:
        assert selects.count(), "a question with no answer control"
        for n in range(selects.count()):
            tab_to(page, selects.nth(n))
            for _ in range(n + 1):  # a different choice for each row
                page.keyboard.press("ArrowDown")
            assert selects.nth(n).input_value(), "the arrow keys chose nothing"


def test_a_whole_quiz_from_the_keyboard(page, server):
    log_in(page, server.keyboard_learner)
    page.goto(f"/quizzes/{server.keyboard_quiz}")
    tab_to(page, page.get_by_role("button", name="Start the quiz"))
    press_enter_and_wait(page, "/quizzes/attempts/")

    kinds = []
    for _ in range(10):
        if "/finish" in page.url:
            break
        expect(page.locator(".attempt-progress")).to_be_visible()
        kinds.append(page.locator(".question").get_attribute("class"))
        answer_with_keys(page)
        tab_to(page, page.locator('#answer-form button[name="go"][value="next"]'))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "/finish" in page.url, "the quiz never reached its review page"
    assert len(kinds) == 6, kinds

    tab_to(page, page.get_by_role("button", name="Submit my answers"))
    press_enter_and_wait(page, "/results")
    expect(page.locator("main")).to_contain_text("%")


def test_a_knowledge_check_from_the_keyboard(page, server):
    log_in(page, server.keyboard_learner)
    page.goto("/courses/calc-fundamentals/numbers-and-safe-notation")
    box = page.locator(".knowledge-check-box").first
    choice = box.locator('input[type="radio"][name="response"]')
    if choice.count():
        tab_to(page, choice.first)
        page.keyboard.press("Space")
    else:
        tab_to(page, box.locator('input[name="response"]'))
        page.keyboard.type("1")
    tab_to(page, box.get_by_role("button", name="Check my answer"))
    with page.expect_response(lambda r: "/checks/" in r.url and r.request.method == "POST") as answered:
        page.keyboard.press("Enter")
    assert answered.value.status == 200
    expect(box.locator(".check-feedback .verdict")).to_be_visible()
    expect(box).to_contain_text("Correct answer")


def test_the_calculator_from_the_keyboard(page, server):
    log_in(page, server.keyboard_learner)
    page.goto("/calculator/")
    tab_to(page, page.locator('main a[href$="/calculator/dose_volume"]'))
    press_enter_and_wait(page, "/calculator/dose_volume")
    tab_to(page, page.get_by_label("Dose ordered"))
    page.keyboard.type("400 mg")
    page.keyboard.press("Tab")  # the next field in the tab order
    expect(page.get_by_label("Concentration on hand")).to_be_focused()
    page.keyboard.type("250 mg/5 mL")
    press_enter_and_wait(page, "/calculator/dose_volume")
    expect(page.locator(".calc-result .answer")).to_contain_text("8 mL")
