"""Every page a visitor, a student, a working technician, an instructor and an admin can reach,
on a 390 px phone and a 1280 px desktop: nothing scrolls sideways, and axe-core finds no
serious or critical accessibility problem (on every page at 390 px, on one page of each
route at 1280 px). A screenshot of each page at each width is left
in tests/e2e/artifacts/ for a person to look through.

The pages come from walking the seeded site's links as each person (tests/e2e/site_map.py),
and a test fails when the app has a GET route that no walk reaches and nobody has said why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.pages import log_in
from tests.e2e.site_map import SitePages, reachable_pages, unreached_routes

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTHS = (390, 1280)
HEIGHT = {390: 844, 1280: 900}
ROLES = ("visitor", "student", "technician", "instructor", "admin")
# The technician's and the admin's audits cover the routes only they reach, and their own
# dashboard; the rest is the same pages as the student's and the instructor's.
ONLY_NEW_ROUTES_FOR = {"technician": "student", "admin": "instructor"}
OWN_PAGES = {"main.dashboard", "ce.dashboard"}
SERIOUS = {"serious", "critical"}
# Rules issue 17 named, failed at any impact: landmarks repeated without distinct names
# (axe calls it moderate), and scroll boxes the keyboard cannot reach.
ALWAYS = {"landmark-unique", "scrollable-region-focusable"}

# The page's overflow, and the elements that stick out furthest to the right: the deepest
# ones (whose children stay inside the screen) are the ones to fix.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim())
      name += "." + el.className.trim().split(/\\s+/).join(".");
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  // Content inside a box that scrolls or clips on its own cannot widen the page.
  const contained = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== "visible") return true;
    return false;
  };
  // An element reaches as far as its box, or its overflowing content (text too) when it does not clip.
  const reach = (el) => {
    const box = el.getBoundingClientRect();
    const clips = getComputedStyle(el).overflowX !== "visible";
    return box.left + window.scrollX + (clips ? box.width : Math.max(box.width, el.scrollWidth));
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const right = reach(el);
    if (right <= width + 0.5 || contained(el)) continue;
    if ([...el.children].some((child) => reach(child) > width + 0.5)) continue;  // a child is the one
    out.push([Math.round(right), describe(el)]);
  }
  out.sort((a, b) => b[0] - a[0]);
  return {scrollWidth, widest: out.slice(0, 3).map(([r, d]) => `${d} (right edge ${r} px)`)};
}"""


def _artifact_name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", path.strip("/")) or "home"


@pytest.fixture(scope="session")
def walks(browser, server):
    """Each person's walk of the site, made once per test process and shared by the tests."""
    cache: dict[str, SitePages] = {}

    def walk(role: str) -> SitePages:
        if role not in cache:
            context = browser.new_context(base_url=server.url)
            try:
                if role != "visitor":
                    log_in(context.new_page(), dict(server.people)[role], server.password)
                start = ("/",) if role == "visitor" else ("/", "/dashboard", "/courses/search?q=dose")
                found = reachable_pages(context.request, server.url, role, start=start)
            finally:
                context.close()
            earlier = ONLY_NEW_ROUTES_FOR.get(role)
            if earlier:
                seen = walk(earlier).by_route
                found.by_route = {r: p for r, p in found.by_route.items() if r not in seen or r in OWN_PAGES}
            cache[role] = found
        return cache[role]

    return walk


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_every_route_is_reached_by_some_walk(walks):
    missing = unreached_routes([walks(role) for role in ROLES])
    assert missing == [], (
        "no walk of the seeded site reaches these routes: link them from a page, seed what "
        f"they show in tests/e2e/seed_site.py, or say why in site_map.NOT_PAGES: {missing}"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_the_screen_and_passes_axe(browser, server, walks, axe, role, width):
    walk = walks(role)
    pages = walk.paths
    assert pages, f"the {role}'s walk found no page"
    # axe on every page at the phone's width, where boxes start to scroll; at the desktop's on
    # one page of each route (what else changes with the width is the layout, checked on all).
    axe_checked = set(pages) if width == min(WIDTHS) else {paths[0] for paths in walk.by_route.values()}
    context = browser.new_context(base_url=server.url, viewport={"width": width, "height": HEIGHT[width]})
    context.set_default_timeout(15_000)
    page = context.new_page()
    folder = ARTIFACTS / f"{role}-{width}"
    folder.mkdir(parents=True, exist_ok=True)
    overflowing, inaccessible = [], []
    try:
        if role != "visitor":
            log_in(page, dict(server.people)[role], server.password)
        for path in pages:
            response = page.goto(path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            page.screenshot(path=folder / f"{_artifact_name(path)}.jpg", full_page=True, type="jpeg", quality=60)
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                overflowing.append(f"{path} is {overflow['scrollWidth']} px wide: " + "; ".join(overflow["widest"]))
            if path not in axe_checked:
                continue
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in SERIOUS or violation["id"] in ALWAYS:
                    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
                    inaccessible.append(f"{path}: {violation['id']} ({violation['impact']}, "
                                        f"{len(violation['nodes'])}×) {violation['help']}: {targets}")
    finally:
        context.close()
    problems = []
    if overflowing:
        problems.append(f"{len(overflowing)} of {len(pages)} pages scroll sideways at {width} px:\n  "
                        + "\n  ".join(overflowing))
    if inaccessible:
        problems.append(f"serious or critical axe violations at {width} px:\n  " + "\n  ".join(inaccessible))
    assert not problems, f"{role}, {width} px:\n" + "\n".join(problems)
