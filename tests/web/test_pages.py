"""Pages every visitor sees, the layout, security headers and friendly errors."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from flask import template_rendered

ROOT = Path(__file__).resolve().parents[2]


def test_the_home_page_explains_the_site(client):
    page = client.get("/").get_data(as_text=True)
    assert "pharmacy technicians" in page and "Create a free account" in page


def test_the_home_page_is_rendered_once_for_every_visitor(app, client):
    rendered = []
    with template_rendered.connected_to(lambda sender, template, context: rendered.append(template.name), app):
        first = client.get("/").get_data(as_text=True)
        second = app.test_client().get("/").get_data(as_text=True)
    assert (rendered, second) == (["main/home.html"], first)


def test_the_home_page_links_under_the_prefix_it_is_served_at(client):
    client.get("/")
    page = client.get("/", environ_overrides={"SCRIPT_NAME": "/rx"}).get_data(as_text=True)
    assert 'href="/rx/register"' in page and 'href="/register"' not in page


def test_a_message_waiting_for_a_visitor_shows_on_the_home_page(client):
    client.get("/")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "You have logged out.")]
    assert "You have logged out." in client.get("/").get_data(as_text=True)
    assert "You have logged out." not in client.get("/").get_data(as_text=True)


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


# --- error pages when things are broken ---------------------------------------------

def _logged_in_client_while_the_database_is_down(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'no-such-folder' / 'gone.db'}")
    client = app.test_client()
    with client.session_transaction() as session:
        # what Flask-Login keeps for a logged-in user: id, session version, login time
        session["_user_id"] = f"1:1:{int(time.time())}"
    return client


def test_the_500_page_renders_while_the_database_is_down(make_app, tmp_path):
    response = _logged_in_client_while_the_database_is_down(make_app, tmp_path).get("/dashboard")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and 'href="#main"' in page
    assert "Traceback" not in page and "sqlite" not in page.lower()


def test_a_404_for_a_logged_in_user_renders_while_the_database_is_down(make_app, tmp_path):
    response = _logged_in_client_while_the_database_is_down(make_app, tmp_path).get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_json_callers_get_json_while_the_database_is_down(make_app, tmp_path):
    client = _logged_in_client_while_the_database_is_down(make_app, tmp_path)
    response = client.get("/dashboard", headers={"Accept": "application/json"})
    assert response.status_code == 500 and response.get_json()["error"] == "Something went wrong on our side"


def test_a_server_error_after_a_failed_write_still_shows_the_full_layout(make_app, app, user_factory):
    from flask_login import current_user

    from tests.conftest import DEFAULT_PASSWORD, share_test_connection
    from trainer.extensions import db
    from trainer.models import User

    user = user_factory(email="a@example.org", name="Alex Able")
    broken = share_test_connection(app, make_app(PROPAGATE_EXCEPTIONS=False))

    @broken.post("/duplicate")
    def duplicate():
        db.session.add(User(email=current_user.email, name="Twin", password_hash="x"))
        db.session.flush()  # IntegrityError: the session's transaction is now unusable

    client = broken.test_client()
    client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    response = client.post("/duplicate")
    page = response.get_data(as_text=True)
    # The handler rolled back, so the layout could load the user for the header.
    assert response.status_code == 500 and "Alex Able" in page


def test_a_wrong_method_says_which_methods_are_allowed(client):
    response = client.put("/login")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_a_json_post_without_a_csrf_token_gets_a_json_error(client):
    response = client.post("/login", json={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400 and "Reload the page" in response.get_json()["error"]


# --- accessibility of the layout ------------------------------------------------------

def test_the_skip_link_is_the_first_thing_to_focus_and_its_target_takes_focus(client):
    page = client.get("/").get_data(as_text=True)
    body = page[page.index("<body"):]
    first_focusable = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert first_focusable == '<a class="skip-link" href="#main">'
    assert '<main id="main" class="wrap" tabindex="-1">' in page


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
def test_each_page_has_one_of_each_landmark_and_one_h1(client, path):
    page = client.get(path).get_data(as_text=True)
    for tag in ("<header", "<main", "<footer", "<h1"):
        assert page.count(tag) == 1, tag
    assert '<nav aria-label="Main">' in page


def test_a_field_error_is_tied_to_its_input_along_with_the_hint(client):
    page = client.post("/register", data={"name": "Pat", "email": "pat@example.org",
                                          "password": "short", "confirm": "short"}).get_data(as_text=True)
    assert 'aria-describedby="password-hint password-error"' in page
    assert 'aria-invalid="true"' in page and 'id="password-error"' in page


def test_the_error_summary_links_to_each_field_with_a_problem(client):
    page = client.post("/register", data={"name": "", "email": "pat@example.org", "password": "a sturdy pass phrase",
                                          "confirm": "another phrase"}).get_data(as_text=True)
    summary = page[page.index('class="error-summary"'):page.index("</div>", page.index('class="error-summary"'))]
    assert '<a href="#name">Full name</a>' in summary and '<a href="#confirm">Repeat the password</a>' in summary
    assert 'href="#email"' not in summary


def test_a_radio_group_error_is_tied_to_its_fieldset(client):
    page = client.post("/register", data={"name": "Pat", "email": "pat@example.org", "password": "a sturdy pass phrase",
                                          "confirm": "a sturdy pass phrase", "learner_type": "wizard"}).get_data(as_text=True)
    assert '<fieldset id="learner_type" aria-describedby="learner_type-error">' in page


def _css_colours():
    css = (ROOT / "static" / "css" / "site.css").read_text()
    return css, dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))


def _contrast(a, b):
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("text", "background"), [
    ("ink", "paper"), ("muted", "paper"), ("muted", "wash"), ("brand", "paper"), ("brand", "wash"),
    ("ok", "ok-wash"), ("warn", "warn-wash"), ("bad", "bad-wash"), ("bad", "paper"),
])
def test_text_colours_meet_wcag_aa(text, background):
    _, colours = _css_colours()
    assert _contrast(colours[text], colours[background]) >= 4.5


def test_the_focus_ring_shows_on_light_and_dark_backgrounds():
    # Two colours that differ by at least 9:1 (WCAG technique C40): one of them always
    # stands out at 3:1 against whatever is behind the focused control.
    css, colours = _css_colours()
    rule = re.search(r"^:focus-visible \{([^}]*)\}", css, re.M).group(1)
    assert "var(--ink)" in rule and "var(--focus)" in rule and "box-shadow" in rule
    assert _contrast(colours["focus"], colours["ink"]) >= 9
    assert _contrast(colours["ink"], colours["paper"]) >= 3
    assert _contrast(colours["focus"], colours["brand-dark"]) >= 3


@pytest.mark.parametrize("path", ["/courses/a%00b", "/quizzes/a%00b", "/calculator/a%00b"])
def test_a_nul_character_in_the_path_is_a_404(client, auth, path):
    auth.login()
    assert client.get(path).status_code == 404


def test_nul_characters_are_removed_from_queries_before_any_view_sees_them(client):
    page = client.get("/courses/search?q=war%00farin").get_data(as_text=True)
    assert 'value="warfarin"' in page


def test_nul_characters_are_removed_from_forms_so_the_form_answers_as_usual(client, user_factory):
    user_factory(email="a@example.org")
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "correct horse battery"})
    assert response.status_code == 302


def test_json_nested_too_deeply_is_a_400_everywhere(client, auth):
    auth.login()
    body = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/api/v1/calc/roman", data=body, content_type="application/json")
    assert response.status_code == 400


def test_a_form_field_may_be_as_large_as_the_upload_limit(app):
    assert app.config["MAX_FORM_MEMORY_SIZE"] == app.config["MAX_CONTENT_LENGTH"]
