"""In a real browser: a module's knowledge check, and the instructor editors' live previews."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip every test here, with the reason
    expect = None

pytestmark = pytest.mark.e2e

MODULE = "/courses/calc-fundamentals/numbers-and-safe-notation"


def test_knowledge_check_is_answered_in_place_without_reloading(page, server):
    log_in(page, server.learner)
    page.goto(MODULE)
    box = page.locator(".knowledge-check-box", has_text="Disp: #XC")
    expect(box).to_have_count(1)
    # Before answering, the page carries no key, feedback or explanation.
    assert "X (10) placed before C (100)" not in page.content()
    expect(box.locator(".check-feedback")).to_be_empty()

    page.evaluate("window.__sameDocument = true")
    box.get_by_label("110").check()
    with page.expect_response(lambda r: "/checks/" in r.url and r.request.method == "POST") as answered:
        box.get_by_role("button", name="Check my answer").click()
    assert answered.value.status == 200
    assert answered.value.headers["content-type"].startswith("application/json")

    feedback = box.locator(".check-feedback")
    expect(feedback.locator(".verdict")).to_have_text("Not correct.")
    expect(feedback).to_contain_text("That would be CX")
    expect(feedback).to_contain_text("Correct answer: 90")
    expect(box).to_have_class(re.compile(r"\banswered\b"))
    expect(box.get_by_role("button", name="Answer again")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"

    page.reload()  # the answer was stored
    box = page.locator(".knowledge-check-box", has_text="Disp: #XC")
    expect(box.locator(".check-feedback .verdict")).to_have_text("Not correct.")
    expect(box.get_by_label("110")).to_be_checked()


def test_question_editor_preview_follows_the_typing(page, server):
    log_in(page, server.instructor)
    page.goto("/teach/questions/new/single_choice")
    page.fill("#id", "e2e-preview-01")
    page.fill("#explanation", "Because the label says so.")
    page.fill("#tags", "e2e")
    page.fill("#blueprint", "ptce-2020:4.2")
    page.fill("#references", "An e2e source")
    preview = page.locator("#preview-body")

    page.locator("#stem").fill("Which strength is first drafted?")
    expect(preview.locator(".stem")).to_contain_text("Which strength is first drafted?")
    expect(page.locator("#preview-status")).to_have_text("Preview up to date")

    page.locator("#stem").press_sequentially(" Now **edited**", delay=20)
    expect(preview.locator(".stem strong")).to_have_text("edited")
    expect(preview.locator(".learner-view")).to_contain_text("The correct choice")


def test_calculated_question_form_preview_follows_the_typing(page, server):
    log_in(page, server.instructor)
    page.goto("/teach/questions/new/calculated")
    page.fill("#stem", "The order is amoxicillin {dose} mg from {strength} mg/5 mL. How many mL?")
    preview = page.locator("#preview-body")
    page.fill("#calcq-var-0-min", "200")
    page.fill("#calcq-var-0-max", "200")
    expect(preview.locator(".stem")).to_contain_text("amoxicillin 200 mg")
    page.fill("#calcq-var-1-name", "dose")  # a name twice: said in the preview, beside nothing lost
    expect(preview).to_contain_text("dose is already a variable above")


def test_module_editor_preview_shows_sanitised_html(page, server, problems):
    # a shipped course: its editor is an admin's (an instructor reads and copies it)
    log_in(page, dict(server.people)["admin"])
    page.goto("/teach/courses/calc-fundamentals/modules/new")
    page.fill("#markdown", (
        "## Preview heading\n\n"
        "Some **bold** text.\n\n"
        "<script>alert(1)</script>\n\n"
        '<p onmouseover="alert(2)">hover me</p>\n\n'
        '<a href="javascript:alert(3)">a link</a>\n'
    ))
    preview = page.locator("#preview-body")
    expect(preview.locator("h2")).to_have_text("Preview heading")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview).to_contain_text("hover me")

    assert preview.locator("script").count() == 0
    assert preview.locator("[onmouseover]").count() == 0
    assert preview.locator('a[href^="javascript:"]').count() == 0
    preview.get_by_text("hover me").hover()
    assert problems.dialogs == []


def test_knowledge_check_error_moves_focus_to_the_answer_field(page, server):
    # Regression: the script once focused the hidden csrf_token input (which cannot take
    # focus) after the form was replaced, so a keyboard user was left on <body>.
    # A check no other test answers: once answered, the form would post the stored answer.
    log_in(page, server.learner)
    page.goto(MODULE)
    box = page.locator(".knowledge-check-box", has_text="0.6666 mL")
    box.get_by_role("button", name="Check my answer").focus()
    with page.expect_response(lambda r: "/checks/" in r.url and r.request.method == "POST") as answered:
        page.keyboard.press("Enter")  # a keyboard user submits nothing
    assert answered.value.status == 422
    expect(box.locator(".errors")).not_to_be_empty()
    expect(box.locator('input[name="response"][type="text"]')).to_be_focused(timeout=2_000)


@pytest.mark.parametrize("width", [390, 1280])
def test_question_ids_stay_on_one_line_in_the_bank_table(page, server, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, server.instructor)
    page.goto("/teach/questions")
    lines = page.locator("td.question-id code").evaluate_all("(ids) => ids.map((id) => id.getClientRects().length)")
    assert lines and set(lines) == {1}, f"ids broken over lines at {width} px: {lines}"
