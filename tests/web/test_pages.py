"""Pages every visitor sees, the layout, security headers and friendly errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_home_page_explains_the_site(client):
    page = client.get("/").get_data(as_text=True)
    assert "pharmacy technicians" in page and "Create a free account" in page


def test_a_logged_in_user_goes_from_home_to_the_dashboard(client, auth):
    auth.login()
    assert client.get("/").location.endswith("/dashboard")


def test_the_layout_has_a_skip_link_to_main(client):
    page = client.get("/").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in page and 'id="main"' in page


def test_flash_messages_are_announced(client, user_factory):
    user_factory(email="a@example.org")
    page = client.post("/password/forgot", data={"email": "a@example.org"}, follow_redirects=True).get_data(as_text=True)
    assert 'role="status"' in page and "reset link is on its way" in page


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/no-such-page"])
def test_security_headers_are_on_every_response(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_carry_no_inline_script_or_style(client):
    page = client.get("/register").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page and "<style" not in page and " onclick" not in page


def test_nothing_loads_from_the_internet():
    offenders = []
    for path in list((ROOT / "trainer").rglob("*.html")) + list((ROOT / "static").rglob("*.*")):
        text = path.read_text(errors="ignore")
        for match in re.finditer(r"""(?:src|href)\s*=\s*["']?(https?:)?//""", text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
        if re.search(r"@import\s+url\(\s*['\"]?https?:", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_404_page_is_friendly(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_a_server_error_shows_a_friendly_page_without_a_stack_trace(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_api_errors_answer_in_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.is_json


def test_static_files_are_served(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200 and "skip-link" in response.get_data(as_text=True)


def test_pages_are_not_cached_by_shared_caches(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
