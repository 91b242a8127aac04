"""Steps the browser tests share: logging in, starting a quiz."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery staple"


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login page and wait for the home page (the dashboard, or the teaching home)."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(re.compile(r".*/(dashboard|teach/)$"))


def open_attempt(page, slug: str) -> str:
    """Start (or resume) the quiz `slug` as the logged-in user; return the attempt's URL."""
    page.goto(f"/quizzes/{slug}")
    resume = page.get_by_role("link", name="Resume your attempt")
    if resume.count():
        resume.click()
    else:
        page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/quizzes/attempts/*")
    return page.url.split("?", 1)[0]
