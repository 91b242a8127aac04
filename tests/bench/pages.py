"""The pages the load bench measures, one line each, and the learner set-up they need.

Adding a page is one line in PAGES: a name, the method and path, and the target. The
path and the JSON body may name values the set-up found (`{attempt}`, `{module}`,
`{autosave_number}`…); a page that needs set-up of its own (a scenario attempt, a
cohort for the gradebook) adds a function to SETUP that returns more such values:

    Page("CE dashboard", "GET", "/ce/", ratio=0.35),
    Page("a scenario step", "GET", "/scenarios/attempts/{scenario_attempt}", ratio=0.35),
    Page("gradebook", "GET", "/teach/cohorts/{cohort}/gradebook", ratio=0.35, as_role="instructor"),

`ratio` is the lowest acceptable requests per second as a share of the bare hello app's
in the same run; every page must also answer 95% of requests within P95_BUDGET_MS at the
bench's concurrency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from browser import Answer, csrf_token_in

P95_BUDGET_MS = 100.0
LEARNER_EMAIL = "bench-learner@example.org"
INSTRUCTOR_EMAIL = "bench-instructor@example.org"
PASSWORD = "bench password for load tests"  # noqa: S105 - a throwaway account in a throwaway database
QUIZ_SLUG = "calculations-1"
COURSE_SLUG = "rx-intake"
LAYOUT_FLOOR = "floor: empty page in the layout"  # the reference row other rows are compared with


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: str
    ratio: float
    json: dict | None = None
    as_role: str = "learner"  # "learner", "instructor" or "anonymous"
    learner_page: bool = True  # compared against the empty database in the seeded run
    headers: dict = field(default_factory=dict)
    reference: bool = False  # a floor row (floor_app.py): reported beside the pages, judged on nothing


PAGES = [
    Page("home", "GET", "/", ratio=0.5, as_role="anonymous", learner_page=False),
    Page("catalog", "GET", "/courses/", ratio=0.5),
    Page("module page", "GET", "/courses/{course}/{module}", ratio=0.35),
    Page("dashboard", "GET", "/dashboard", ratio=0.35),
    Page("quiz question", "GET", "/quizzes/attempts/{attempt}?q={autosave_number}", ratio=0.35),
    Page("autosave (JSON)", "POST", "/quizzes/attempts/{attempt}/save", ratio=0.3,
         json={"number": "{autosave_number}", "response": "{autosave_response}"}),
    Page("calculator API", "POST", "/api/v1/calc/dose_volume", ratio=0.3, as_role="anonymous",
         json={"dose": "400 mg", "concentration": "250 mg/5 mL"}),
    Page("CE dashboard", "GET", "/ce/", ratio=0.35),
    Page("a scenario step", "GET", "/scenarios/runs/{scenario_run}/review", ratio=0.35),
    # The floor under every logged-in page (see floor_app.py): no target, for comparison.
    Page("floor: logged in, no page", "GET", "/_bench/logged-in", ratio=0.0, learner_page=False, reference=True),
    Page(LAYOUT_FLOOR, "GET", "/_bench/layout", ratio=0.0, learner_page=False, reference=True),
]


def login(browser, email: str, password: str = PASSWORD) -> None:
    """Log in through the real login form (CSRF token included)."""
    token = csrf_token_in(browser.get("/login").text)
    answer = browser.post("/login", form={"email": email, "password": password, "csrf_token": token})
    if answer.status != 302:
        raise RuntimeError(f"login as {email} failed with status {answer.status}")


def _expect(answer: Answer, status: int, what: str) -> Answer:
    if answer.status != status:
        raise RuntimeError(f"{what}: status {answer.status}, expected {status}: {answer.text[:300]}")
    return answer


def start_quiz(browser, values: dict) -> dict:
    """Start (or resume) an attempt at QUIZ_SLUG and pick a question to autosave."""
    page = _expect(browser.get(f"/quizzes/{QUIZ_SLUG}"), 200, "quiz page")
    started = _expect(browser.post(f"/quizzes/{QUIZ_SLUG}/start",
                                   form={"csrf_token": csrf_token_in(page.text)}), 302, "start")
    attempt = int(re.search(r"/attempts/(\d+)", started.location).group(1))
    for number in range(1, 30):
        text = _expect(browser.get(f"/quizzes/attempts/{attempt}?q={number}"), 200, "question").text
        kind = re.search(r'data-kind="([a-z]*)"', text).group(1)
        if 'data-editable="false"' in text:
            continue
        if kind in ("number", "text"):
            response = "12.5"
        elif kind in ("choice", "boolean"):
            response = re.search(r'name="response" value="([^"]+)"', text).group(1)
        else:
            continue
        return {"attempt": attempt, "autosave_number": number, "autosave_response": response,
                "csrf": csrf_token_in(text)}
    raise RuntimeError("no question in the attempt takes a number, text or single choice")


def find_module(browser, values: dict) -> dict:
    """A module of COURSE_SLUG with knowledge checks, viewed once (its items are made then)."""
    course = _expect(browser.get(f"/courses/{COURSE_SLUG}"), 200, "course page").text
    slugs = list(dict.fromkeys(re.findall(rf'href="/courses/{COURSE_SLUG}/([a-z0-9-]+)"', course)))
    for slug in slugs:
        if slug == "completion":
            continue
        text = browser.get(f"/courses/{COURSE_SLUG}/{slug}").text
        if 'class="knowledge-check' in text:
            return {"course": COURSE_SLUG, "module": slug}
    raise RuntimeError(f"no module of {COURSE_SLUG} has a knowledge check")


def start_scenario(browser, values: dict) -> dict:
    """Start a practice run of the first dispensing scenario on the simulator's list."""
    index = _expect(browser.get("/scenarios/"), 200, "scenario list").text
    slug = re.search(r'href="/scenarios/([a-z0-9][a-z0-9-]+)"', index.split('id="dispensing-heading"', 1)[1]).group(1)
    page = _expect(browser.get(f"/scenarios/{slug}"), 200, "scenario page")
    started = _expect(browser.post(f"/scenarios/{slug}/start",
                                   form={"csrf_token": csrf_token_in(page.text), "mode": "practice"}), 302, "start run")
    return {"scenario_run": int(re.search(r"/runs/(\d+)", started.location).group(1))}


# Each function takes the learner's browser and the values found so far, and returns more.
SETUP = [start_quiz, find_module, start_scenario]


def prepare(browser) -> dict:
    """Log the learner in and run every set-up step; the values the PAGES paths name."""
    login(browser, LEARNER_EMAIL)
    values: dict = {}
    for step in SETUP:
        values.update(step(browser, values))
    return values


def _fill(template, values: dict):
    if isinstance(template, dict):
        return {key: _fill(value, values) for key, value in template.items()}
    if isinstance(template, str):
        match = re.fullmatch(r"\{(\w+)\}", template)
        if match:  # a whole value: keep its type (a number stays a number in the JSON)
            return values[match.group(1)]
        return template.format(**values)
    return template


def request_for(page: Page, values: dict) -> tuple[str, dict | None, dict]:
    """The page's path, JSON body and extra headers with the set-up's values filled in."""
    headers = dict(page.headers)
    if page.method != "GET" and page.as_role != "anonymous":
        headers["X-CSRFToken"] = values["csrf"]
    return _fill(page.path, values), _fill(page.json, values), headers
