"""In a real browser: registering, logging out, the skip link, and clean consoles (no CSP violations)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.pages import log_in, open_attempt

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip every test here, with the reason
    expect = None

pytestmark = pytest.mark.e2e


def test_register_lands_on_the_dashboard_and_logs_out(page, server):
    email = f"new-{uuid.uuid4().hex[:10]}@example.org"
    page.goto("/")
    page.locator(".account").get_by_role("link", name="Create account").click()
    page.wait_for_url("**/register")
    page.fill("#name", "Nia Newcomer")
    page.fill("#email", email)
    page.fill("#password", "a long and private sentence")
    page.fill("#confirm", "a long and private sentence")
    page.get_by_label("Working technician earning continuing education").check()
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url("**/dashboard")
    expect(page.locator(".flash-success")).to_contain_text("Your account is ready")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nia Newcomer")
    expect(page.locator(".account")).to_contain_text("Nia Newcomer")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(server.url + "/")  # the home page
    expect(page.locator(".flash")).to_contain_text("logged out")
    expect(page.locator(".account").get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto("/")
    skip = page.locator(".skip-link")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["width"] > 0 and box["height"] > 0
    on_screen = (box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
                 and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"])
    assert on_screen, f"the focused skip link is off screen: {box}"

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert page.url.endswith("#main")


MODULE = "/courses/calc-fundamentals/numbers-and-safe-notation"
# name -> where it is; the home page is seen logged out (it sends a logged-in user to the dashboard)
PAGES = {"home": "/", "catalog": "/courses/", "module": MODULE, "attempt": None, "calculator": "/calculator/"}


def _open(page, server, problems, name):
    if name != "home":
        log_in(page, server.learner)
        problems.console_errors.clear()
        problems.page_errors.clear()
    if name == "attempt":
        open_attempt(page, "days-supply")
    else:
        page.goto(PAGES[name])


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_console_errors_and_no_csp_violations(page, server, problems, name):
    _open(page, server, problems, name)
    page.wait_for_load_state("load")
    assert page.locator("h1").count() >= 1, "the page did not render"
    page.wait_for_timeout(250)  # let late console messages arrive
    violations = page.evaluate("window.__cspViolations")

    assert problems.csp() == [], f"{name}: Content Security Policy violations in the console"
    assert violations == [], f"{name}: Content Security Policy violations: {violations}"
    assert problems.console_errors == [], f"{name}: console errors"
    assert problems.page_errors == [], f"{name}: uncaught script errors"
