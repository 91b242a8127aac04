"""Every page a person can reach, found from the app's own routes and links, never a hand list.

`reachable_pages` walks the site as one logged-in person would: from the home page and the
dashboard it follows every same-site link (`<a href>`) whose route answers GET, keeps the
HTML pages that answer 200 and records which route each one is. A route with many pages
of one template (a question of the bank, a drug monograph) is visited a few times; the
routes whose pages are author content laid out differently each time (modules with their
tables) are visited in full, once, by the person who reads them (an instructor's module
previews show the same bodies, so a few of them suffice). `unreached_routes`
compares what the walks found with the app's URL map, so a new page that no walk reaches
fails a test instead of silently going untested.
"""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

# Pages of one template differ only in data; a few of each show the layout.
PAGES_PER_ROUTE = 2
# Routes whose every page is laid out from author content (tables, long lines), and the
# person whose walk visits all of them; the other walks see PAGES_PER_ROUTE of each.
EVERY_PAGE_OF = {
    "courses.module": "student",
    "courses.course": "student",
    "teach.course": "instructor",
}
# Never followed: it would end the walk's session, or a page the walk would loop in.
NOT_FOLLOWED = {"static"}
# Routes that are not pages a person reads, or that no link in a seeded site leads to,
# with the reason; every other GET route must be reached by some walk.
NOT_PAGES = {
    "static": "files, not pages",
    "api.calc_families": "JSON for scripts",
    "api.drug_search": "JSON for scripts",
    "api.drug_detail": "JSON for scripts",
    "ce.calendar": "an iCalendar download",
    "ce.feed": "an iCalendar feed, reached by a private token",
    "ce.certificate": "a PDF download",
    "ce.transcript_pdf": "a PDF download",
    "ce.transcript_csv": "a CSV download",
    "ce.audit_pack": "a ZIP download",
    "ce.compliance_csv": "a CSV download",
    "ce.evidence": "an uploaded certificate file",
    "teach.gradebook_export": "a CSV download",
    "teach.questions_export": "a file download",
    "auth.reset_password": "reached from a mailed link with a one-time token",
    "classes.invitation": "reached from a mailed invitation with a token",
    "classes.join_link": "a cohort's join link, handed out by the instructor",
    "ce.verify": "reached by a certificate's QR code",
    # Pages the seeded site has nothing for yet (tests/e2e/seed_site.py could add it):
    "flashcards.edit_deck": "not seeded: no deck made by an instructor",
    "teach.grade_item": "not seeded: no essay answer waiting to be graded",
    "teach.module_revision": "not seeded: no module edited after its import",
    "teach.module_diff": "not seeded: no module edited after its import",
    "teach.question_diff": "not seeded: no question edited after its import",
    "teach.module_draft_diff": "not seeded: no module draft in a published course",
    # A simulator run starts with a POST from the scenario page, which a walk of links does not
    # send; tests/e2e/test_scenarios.py plays a whole run by keyboard instead.
    "scenarios.run": "not seeded: no simulator run started",
    "scenarios.step": "not seeded: no simulator run started",
    "scenarios.finish": "not seeded: no simulator run started",
    "scenarios.debrief": "not seeded: no simulator run started",
}


@dataclass
class SitePages:
    """What one walk found: page paths by route, in the order they were reached."""

    role: str
    by_route: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # route -> pages over the cap

    @property
    def paths(self) -> list[str]:
        return [path for paths in self.by_route.values() for path in paths]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_in(html: str) -> list[str]:
    """The href of every link in a page, as written."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


@functools.cache
def url_map():
    """The app's URL map, from the app factory (no database is opened)."""
    from trainer import create_app

    app = create_app({
        "TRAINER_ENV": "testing", "SECRET_KEY": "site-map-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "memory://",
    })
    return app.url_map


def page_routes() -> set[str]:
    """Every route that answers GET."""
    return {rule.endpoint for rule in url_map().iter_rules() if "GET" in (rule.methods or ())}


def route_of(path: str) -> str | None:
    """The endpoint that serves `path` on GET, or None."""
    adapter = url_map().bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except RequestRedirect as redirect:
        return route_of(urlsplit(redirect.new_url).path)
    except HTTPException:
        return None
    return endpoint


def _same_site_path(base_url: str, page_url: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    absolute = urlsplit(urljoin(page_url, href))
    if f"{absolute.scheme}://{absolute.netloc}" != base_url:
        return None
    return absolute.path or "/"


def reachable_pages(request, base_url: str, role: str, start: tuple[str, ...] = ("/", "/dashboard"),
                    limit: int = 1500) -> SitePages:
    """Walk the site through `request` (a logged-in Playwright APIRequestContext) from `start`."""
    found = SitePages(role)
    seen: set[str] = set()
    queue = deque(start)
    fetched = 0
    while queue and fetched < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        route = route_of(urlsplit(path).path)
        if route is None or route in NOT_FOLLOWED:
            continue
        pages = found.by_route.setdefault(route, [])
        if len(pages) >= PAGES_PER_ROUTE and EVERY_PAGE_OF.get(route) != role:
            found.skipped[route] = found.skipped.get(route, 0) + 1
            continue
        response = request.get(base_url + path, max_redirects=0)
        fetched += 1
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            if not pages:
                del found.by_route[route]
            continue
        pages.append(path)
        if route == "quizzes.attempt":  # its review page is opened by a button (a form post)
            queue.append(path.rstrip("/") + "/finish")
        for href in links_in(response.text()):
            target = _same_site_path(base_url, base_url + path, href)
            if target is not None and target not in seen:
                queue.append(target)
    return found


def unreached_routes(walks: list[SitePages]) -> list[str]:
    """GET routes that no walk reached and NOT_PAGES does not explain."""
    reached = {route for walk in walks for route in walk.by_route}
    return sorted(page_routes() - reached - set(NOT_PAGES))
