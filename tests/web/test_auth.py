"""Accounts: register, log in and out, remember me, profile, change and reset password."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import select

from tests.conftest import DEFAULT_PASSWORD, share_test_connection
from trainer.extensions import db
from trainer.models import AuditEvent, User
from trainer.services import accounts

GOOD = "a sturdy pass phrase"


def register(client, **fields):
    data = {"name": "Pat Tech", "email": "pat@example.org", "password": GOOD, "confirm": GOOD,
            "learner_type": "technician"}
    data.update(fields)
    return client.post("/register", data=data)


# --- registration ------------------------------------------------------------------

def test_register_creates_a_learner_and_logs_them_in(client):
    response = register(client)
    assert response.status_code == 302 and response.location.endswith("/dashboard")
    user = db.session.scalar(select(User).where(User.email == "pat@example.org"))
    assert (user.role, user.learner_type) == ("learner", "technician")
    assert client.get("/dashboard").status_code == 200


def test_register_stores_the_email_in_lower_case(client):
    register(client, email="  Pat@Example.ORG ")
    assert db.session.scalar(select(User.email)) == "pat@example.org"


def test_register_with_a_taken_email_keeps_the_form_and_says_why(client, user_factory):
    user_factory(email="pat@example.org")
    response = register(client, email="PAT@example.org", name="Second Pat")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "An account with this email already exists" in page
    assert 'value="Second Pat"' in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "at least 10 characters"),
        ("password123", "common passwords"),
        ("aaaaaaaaaaaa", "more than three different characters"),
        ("pat-the-tech-2026", "email address"),
    ],
)
def test_register_refuses_a_weak_password_beside_the_field(client, password, message):
    response = register(client, email="pat-the-tech@example.org", password=password, confirm=password)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_register_refuses_different_confirmation(client):
    response = register(client, confirm=GOOD + "x")
    assert "The two passwords differ." in response.get_data(as_text=True)


def test_register_refuses_an_invalid_email(client):
    response = register(client, email="not-an-email")
    assert "Enter an email address" in response.get_data(as_text=True)


def test_register_records_an_audit_event(client):
    register(client)
    assert db.session.scalar(select(AuditEvent.action)) == "account_created"


# --- logging in and out ----------------------------------------------------------

def test_login_with_the_right_password_reaches_the_dashboard(client, user_factory):
    user_factory(email="a@example.org")
    response = client.post("/login", data={"email": "A@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/dashboard")


def test_login_with_a_wrong_password_says_so_without_revealing_the_account(client, user_factory):
    user_factory(email="a@example.org")
    wrong = client.post("/login", data={"email": "a@example.org", "password": "wrong password!"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password!"})
    message = "That email and password do not match an account."
    assert wrong.status_code == unknown.status_code == 400
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_keeps_the_email_after_a_failure(client, user_factory):
    user_factory(email="a@example.org")
    page = client.post("/login", data={"email": "a@example.org", "password": "nope nope nope"}).get_data(as_text=True)
    assert 'value="a@example.org"' in page


def test_a_deactivated_account_cannot_log_in(client, user_factory):
    user_factory(email="gone@example.org", active=False)
    response = client.post("/login", data={"email": "gone@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400


def test_login_follows_a_local_next_path(client, user_factory):
    user_factory(email="a@example.org")
    response = client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD,
                                           "next": "/profile?tab=1"})
    assert response.location.endswith("/profile?tab=1")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example", "/\tevil"])
def test_login_never_follows_next_off_the_site(client, user_factory, target):
    user_factory(email="a@example.org")
    response = client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD, "next": target})
    assert response.location.endswith("/dashboard")


def test_a_protected_page_sends_a_visitor_to_login_with_next(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login?next=%2Fprofile" in response.location


def test_logout_needs_a_post_with_csrf(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/dashboard").status_code == 200


def test_logout_ends_the_session_even_if_the_cookie_is_replayed(client, auth, app):
    auth.login()
    stolen = client.get_cookie("session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/dashboard").status_code == 302


def _cookie_header(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    return None


def test_remember_me_sets_a_lax_httponly_cookie_of_at_most_30_days(client, user_factory):
    user_factory(email="a@example.org")
    response = client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD, "remember": "y"})
    header = _cookie_header(response, "remember_token")
    morsel = SimpleCookie(header)["remember_token"]
    expires = datetime.strptime(morsel["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert expires <= datetime.now(UTC) + timedelta(days=30, minutes=1)
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_production_sets_secure_session_and_remember_cookies(make_app, app, user_factory):
    user = user_factory(email="a@example.org")
    production = share_test_connection(app, make_app(TRAINER_ENV="production"))
    client = production.test_client()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"},
                           base_url="https://localhost", headers={"Referer": "https://localhost/login"})
    assert response.status_code == 302
    assert "Secure" in _cookie_header(response, "session")
    assert "Secure" in _cookie_header(response, "remember_token")


def test_the_remember_cookie_alone_logs_the_user_back_in(client, app, user_factory):
    user_factory(email="a@example.org")
    client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD, "remember": "y"})
    token = client.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", token)
    assert fresh.get("/dashboard").status_code == 200


def test_logout_invalidates_remember_cookies_on_other_devices(client, app, user_factory):
    user_factory(email="a@example.org")
    client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD, "remember": "y"})
    token = client.get_cookie("remember_token").value
    client.post("/logout")
    other_device = app.test_client()
    other_device.set_cookie("remember_token", token)
    assert other_device.get("/dashboard").status_code == 302


# --- profile and password change -------------------------------------------------

def test_profile_shows_and_saves_name_and_learner_type(client, auth):
    user = auth.login()
    response = client.post("/profile", data={"name": "New Name", "learner_type": "technician"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.learner_type) == ("New Name", "technician")


def test_profile_with_an_empty_name_keeps_the_form(client, auth):
    auth.login()
    response = client.post("/profile", data={"name": "", "learner_type": "student"})
    assert response.status_code == 400 and "Enter your name." in response.get_data(as_text=True)


def test_change_password_needs_the_current_one(client, auth):
    auth.login()
    response = client.post("/profile/password", data={"current": "wrong one!", "password": GOOD, "confirm": GOOD})
    assert "That is not your current password." in response.get_data(as_text=True)


def test_change_password_refuses_a_weak_new_one(client, auth):
    auth.login()
    response = client.post("/profile/password", data={"current": DEFAULT_PASSWORD, "password": "short", "confirm": "short"})
    assert "at least 10 characters" in response.get_data(as_text=True)


def test_change_password_logs_out_other_devices_but_not_this_one(client, app, auth):
    user = auth.login()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert other.get("/dashboard").status_code == 200
    response = client.post("/profile/password", data={"current": DEFAULT_PASSWORD, "password": GOOD, "confirm": GOOD})
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302


def test_the_new_password_works_and_the_old_one_does_not(client, app, auth):
    user = auth.login()
    client.post("/profile/password", data={"current": DEFAULT_PASSWORD, "password": GOOD, "confirm": GOOD})
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 400
    assert fresh.post("/login", data={"email": user.email, "password": GOOD}).status_code == 302


# --- password reset ----------------------------------------------------------------

def _last_mail(app):
    return app.extensions["trainer_outbox"][-1]


def _reset_path(app):
    body = _last_mail(app)["body"]
    url = next(word for word in body.split() if "/password/reset/" in word)
    return url[url.index("/password/reset/"):]


def test_forgot_password_sends_a_link_to_the_console_mailer(client, app, user_factory):
    user_factory(email="a@example.org")
    response = client.post("/password/forgot", data={"email": "a@example.org"})
    assert response.status_code == 302
    assert _last_mail(app)["to"] == "a@example.org"


def test_forgot_password_answers_the_same_for_unknown_emails(client, app):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If that email has an account" in response.get_data(as_text=True)
    assert not app.extensions.get("trainer_outbox")


def test_a_reset_link_sets_a_new_password(client, app, user_factory):
    user_factory(email="a@example.org")
    client.post("/password/forgot", data={"email": "a@example.org"})
    path = _reset_path(app)
    assert client.get(path).status_code == 200
    assert client.post(path, data={"password": GOOD, "confirm": GOOD}).status_code == 302
    assert client.post("/login", data={"email": "a@example.org", "password": GOOD}).status_code == 302


def test_a_reset_link_works_only_once(client, app, user_factory):
    user_factory(email="a@example.org")
    client.post("/password/forgot", data={"email": "a@example.org"})
    path = _reset_path(app)
    client.post(path, data={"password": GOOD, "confirm": GOOD})
    again = client.post(path, data={"password": GOOD + "2", "confirm": GOOD + "2"})
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_an_expired_reset_link_is_refused(client, app, user_factory, monkeypatch):
    user = user_factory(email="a@example.org")
    two_hours_ago = time.time() - 2 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: two_hours_ago)
    with app.test_request_context():
        token = accounts.make_reset_token(user)
    monkeypatch.undo()
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_a_tampered_reset_link_is_refused(client, app, user_factory):
    user = user_factory(email="a@example.org")
    with app.test_request_context():
        token = accounts.make_reset_token(user)
    response = client.get(f"/password/reset/{token[:-2]}xx")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_a_reset_ends_existing_sessions(client, app, user_factory):
    user = user_factory(email="a@example.org")
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    client.post("/password/forgot", data={"email": "a@example.org"})
    client.post(_reset_path(app), data={"password": GOOD, "confirm": GOOD})
    assert other.get("/dashboard").status_code == 302


def test_a_reset_refuses_a_weak_password_and_keeps_the_link_usable(client, app, user_factory):
    user_factory(email="a@example.org")
    client.post("/password/forgot", data={"email": "a@example.org"})
    path = _reset_path(app)
    weak = client.post(path, data={"password": "weak", "confirm": "weak"})
    assert weak.status_code == 400 and "at least 10 characters" in weak.get_data(as_text=True)
    assert client.post(path, data={"password": GOOD, "confirm": GOOD}).status_code == 302


# --- protection --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/login", "/register", "/password/forgot", "/profile", "/profile/password"])
def test_a_post_without_a_csrf_token_is_refused_with_400(client, auth, path):
    auth.login()
    client.post("/logout")
    response = client.post(path, data={"email": "a@example.org", "password": "x"}, csrf=False)
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_login_is_throttled_per_account(client, user_factory):
    user_factory(email="a@example.org")
    statuses = [
        client.post("/login", data={"email": "a@example.org", "password": f"wrong {i}!!!!!"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
        for i in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_the_account_throttle_also_blocks_the_right_password(client, user_factory):
    user_factory(email="a@example.org")
    for i in range(5):
        client.post("/login", data={"email": "a@example.org", "password": f"wrong {i}!!!!!"})
    response = client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_login_is_throttled_per_address(client):
    statuses = [
        client.post("/login", data={"email": f"u{i}@example.org", "password": "wrong!!!!!!"}).status_code
        for i in range(21)
    ]
    assert statuses[-1] == 429 and statuses[:20] == [400] * 20


def test_successful_logins_do_not_count_toward_the_throttle(client, user_factory):
    user = user_factory(email="a@example.org")
    for _ in range(7):
        assert client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 302
        client.post("/logout")


def test_two_servers_sharing_redis_throttle_together(make_app, app, user_factory):
    """What we promise for several app servers: the login throttle is shared through Redis."""
    import os
    import uuid

    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set (CI sets it)")
    user = user_factory(email=f"{uuid.uuid4().hex}@example.org")
    servers = [share_test_connection(app, make_app(RATELIMIT_STORAGE_URI=redis_url)) for _ in range(2)]
    statuses = [
        servers[i % 2].test_client().post("/login", data={"email": user.email, "password": f"wrong {i}!!!!!"}).status_code
        for i in range(6)
    ]
    assert statuses == [400] * 5 + [429]


# --- more on sessions, throttles and mail ---------------------------------------------

def test_change_password_invalidates_remember_cookies_on_other_devices(client, app, auth):
    user = auth.login()
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"})
    token = other.get_cookie("remember_token").value
    client.post("/profile/password", data={"current": DEFAULT_PASSWORD, "password": GOOD, "confirm": GOOD})
    stolen = app.test_client()
    stolen.set_cookie("remember_token", token)
    assert stolen.get("/dashboard").status_code == 302


def test_change_password_keeps_this_device_remembered(client, app, auth):
    auth.login(remember=True)
    old_token = client.get_cookie("remember_token").value
    response = client.post("/profile/password", data={"current": DEFAULT_PASSWORD, "password": GOOD, "confirm": GOOD})
    assert response.status_code == 302
    new_token = client.get_cookie("remember_token").value
    assert new_token != old_token
    browser_restarted = app.test_client()
    browser_restarted.set_cookie("remember_token", new_token)
    assert browser_restarted.get("/dashboard").status_code == 200


def test_change_password_does_not_remember_a_device_that_was_not(client, auth):
    auth.login()
    client.post("/profile/password", data={"current": DEFAULT_PASSWORD, "password": GOOD, "confirm": GOOD})
    assert client.get_cookie("remember_token") is None


def test_the_429_page_says_how_long_to_wait(client, user_factory):
    user_factory(email="a@example.org")
    for i in range(5):
        client.post("/login", data={"email": "a@example.org", "password": f"wrong {i}!!!!!"})
    response = client.post("/login", data={"email": "a@example.org", "password": "wrong again!"})
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert "Try again in 1 minute." in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["a@example.org", "nobody@example.org"])
def test_reset_requests_are_throttled_per_account_whether_or_not_it_exists(client, user_factory, email):
    user_factory(email="a@example.org")
    statuses = [
        client.post("/password/forgot", data={"email": email},
                    environ_base={"REMOTE_ADDR": f"10.0.1.{i}"}).status_code
        for i in range(4)
    ]
    assert statuses == [302] * 3 + [429]


def test_reset_requests_are_throttled_per_address(client):
    statuses = [
        client.post("/password/forgot", data={"email": f"u{i}@example.org"}).status_code for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_the_reset_throttle_does_not_touch_the_login_throttle(client, user_factory):
    user = user_factory(email="a@example.org")
    for _ in range(4):
        client.post("/password/forgot", data={"email": user.email})
    assert client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code == 302


def test_an_unreachable_redis_does_not_break_login(make_app, app, user_factory):
    user = user_factory(email="a@example.org")
    server = share_test_connection(app, make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    client = server.test_client()
    statuses = [client.post("/login", data={"email": user.email, "password": f"wrong {i}!!!!!"}).status_code
                for i in range(6)]
    assert statuses == [400] * 5 + [429]


def test_an_app_after_one_whose_redis_was_down_counts_in_its_own_store(make_app, app, user_factory):
    from trainer.extensions import limiter

    user = user_factory(email="a@example.org")
    down = share_test_connection(app, make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    down.test_client().post("/login", data={"email": user.email, "password": "wrong!!!!!"})
    server = share_test_connection(app, make_app())
    assert limiter.limiter is limiter._limiter  # not the fallback the first app fell back to
    client = server.test_client()
    statuses = [client.post("/login", data={"email": user.email, "password": f"wrong {i}!!!!!"}).status_code
                for i in range(6)]
    assert statuses == [400] * 5 + [429]


@pytest.mark.parametrize("path", ["/login", "/password/forgot", "/register"])
def test_a_nul_character_in_a_field_is_not_a_server_error(client, path):
    response = client.post(path, data={"email": "a\x00b@example.org", "name": "Pat\x00", "password": "x" * 12,
                                       "confirm": "x" * 12, "learner_type": "student"})
    assert response.status_code in (302, 400)


def test_development_mail_shows_the_reset_link_in_the_log(client, app, user_factory, caplog):
    user_factory(email="a@example.org")
    client.post("/password/forgot", data={"email": "a@example.org"})
    assert "/password/reset/" in caplog.text


def test_production_mail_keeps_the_reset_link_out_of_the_log(make_app, app, user_factory, caplog):
    user = user_factory(email="a@example.org")
    production = share_test_connection(app, make_app(TRAINER_ENV="production"))
    with production.test_request_context():
        accounts.send_password_reset(user, "https://localhost/password/reset/SECRET-TOKEN")
    assert "MAIL not sent" in caplog.text and "SECRET-TOKEN" not in caplog.text


def test_the_reset_link_lifetime_shown_follows_the_setting(make_app, app, user_factory):
    user = user_factory(email="a@example.org")
    server = share_test_connection(app, make_app(PASSWORD_RESET_MAX_AGE=1800))
    client = server.test_client()
    assert "for 30 minutes" in client.get("/password/forgot").get_data(as_text=True)
    page = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True).get_data(as_text=True)
    assert "It works once, for 30 minutes." in page
    assert "for 30 minutes" in server.extensions["trainer_outbox"][-1]["body"]


def test_two_registrations_racing_for_one_email_end_in_a_field_error_not_a_500(client, user_factory, monkeypatch):
    user_factory(email="pat@example.org")
    # The other registration committed after this one checked: the check sees nothing.
    monkeypatch.setattr(accounts, "find_user_by_email", lambda email: None)
    response = register(client, name="Second Pat")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "An account with this email already exists" in page and 'value="Second Pat"' in page


def test_registration_is_throttled_per_address(make_app):
    app = make_app(REGISTER_LIMIT_PER_ADDRESS="2 per hour")
    client = app.test_client()
    statuses = [client.post("/register", data={"name": "x"}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


# --- the probe's findings: throttles on the identity the look-up uses, and timing ---------

def _moved_control_character(i: int) -> str:
    """'victim@example.org' with a control character at a different place each time."""
    email = "victim@example.org"
    return email[: i + 1] + "\x01" + email[i + 1 :]


def test_control_characters_in_the_email_do_not_earn_a_fresh_login_budget(client, user_factory):
    user_factory(email="victim@example.org")
    statuses = [
        client.post("/login", data={"email": _moved_control_character(i), "password": f"wrong {i}!!!!!"},
                    environ_base={"REMOTE_ADDR": f"10.0.2.{i}"}).status_code
        for i in range(6)
    ]
    assert statuses == [400] * 5 + [429]
    right = client.post("/login", data={"email": "victim@example.org", "password": DEFAULT_PASSWORD},
                        environ_base={"REMOTE_ADDR": "10.0.2.99"})
    assert right.status_code == 429


def test_case_and_spaces_in_the_email_do_not_earn_a_fresh_login_budget(client, user_factory):
    user_factory(email="victim@example.org")
    variants = ["Victim@example.org", " victim@example.org", "VICTIM@EXAMPLE.ORG", "victim@Example.org ",
                "\tvictim@example.org", "vICTIM@example.org"]
    statuses = [client.post("/login", data={"email": email, "password": f"wrong {i}!!!!!"},
                            environ_base={"REMOTE_ADDR": f"10.0.3.{i}"}).status_code
                for i, email in enumerate(variants)]
    assert statuses == [400] * 5 + [429]


def test_control_characters_do_not_send_more_than_three_reset_mails_an_hour(client, app, user_factory):
    user_factory(email="victim@example.org")
    outbox = app.extensions.setdefault("trainer_outbox", [])
    before = len(outbox)
    statuses = [
        client.post("/password/forgot", data={"email": _moved_control_character(i)},
                    environ_base={"REMOTE_ADDR": f"10.0.4.{i}"}).status_code
        for i in range(6)
    ]
    assert statuses == [302] * 3 + [429] * 3
    assert len(outbox) - before == 3


def test_registration_is_throttled_per_email_as_the_look_up_sees_it(make_app):
    app = make_app(REGISTER_LIMIT_PER_ACCOUNT="2 per hour")
    client = app.test_client()
    statuses = [client.post("/register", data={"name": "x", "email": email},
                            environ_base={"REMOTE_ADDR": f"10.0.5.{i}"}).status_code
                for i, email in enumerate(["pat@example.org", "P\x02at@example.org", " PAT@example.org"])]
    assert statuses == [400, 400, 429]


def test_one_normalising_function_serves_look_ups_and_throttles():
    from trainer.teaching import roster

    assert accounts.normalise_email is roster.normalise_email
    assert accounts.normalise_email(" Vic\x01Tim@Example.ORG\x7f ") == "victim@example.org"


def test_login_for_an_unknown_email_checks_a_password_hash_all_the_same(client, app, monkeypatch):
    checked = []
    real_hasher = accounts._hasher

    class CountingHasher:
        def __init__(self):
            self.inner = real_hasher()

        def verify(self, stored, password):
            checked.append(password)
            return self.inner.verify(stored, password)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(accounts, "_hasher", CountingHasher)
    response = client.post("/login", data={"email": "nobody@example.org", "password": "a guess at it!"})
    assert response.status_code == 400
    assert checked == ["a guess at it!"]


def test_login_for_an_inactive_account_checks_a_hash_and_says_the_same(client, user_factory, monkeypatch):
    user_factory(email="gone@example.org", active=False)
    spent = []
    monkeypatch.setattr(accounts, "spend_a_hash", spent.append)
    response = client.post("/login", data={"email": "gone@example.org", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "That email and password do not match an account." in response.get_data(as_text=True)
    assert spent == [DEFAULT_PASSWORD]


def test_register_with_a_taken_email_hashes_the_password_as_a_new_account_would(client, user_factory, monkeypatch):
    user_factory(email="pat@example.org")
    spent = []
    monkeypatch.setattr(accounts, "spend_a_hash", spent.append)
    response = register(client)
    assert response.status_code == 400
    assert spent == [GOOD]


# --- the remember cookie carries its issue time, and the server enforces 30 days -----------

def _remember_token(app, identity: str) -> str:
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        return encode_cookie(identity)


def test_the_remember_cookie_records_when_the_user_logged_in(client, user_factory):
    from flask_login.utils import decode_cookie

    user = user_factory(email="a@example.org")
    before = int(time.time())
    client.post("/login", data={"email": "a@example.org", "password": DEFAULT_PASSWORD, "remember": "y"})
    with client.application.test_request_context():
        identity = decode_cookie(client.get_cookie("remember_token").value)
    user_id, version, issued = identity.split(":")
    assert (int(user_id), int(version)) == (user.id, user.session_version)
    assert before <= int(issued) <= int(time.time())


@pytest.mark.parametrize(("age_days", "logged_in"), [(29, True), (31, False), (3650, False), (-1, False)])
def test_a_remember_cookie_older_than_30_days_is_refused_by_the_server(app, user_factory, age_days, logged_in):
    user = user_factory(email="a@example.org")
    issued = int(time.time() - age_days * 86400)
    copied = app.test_client()
    copied.set_cookie("remember_token", _remember_token(app, f"{user.id}:{user.session_version}:{issued}"))
    assert copied.get("/dashboard").status_code == (200 if logged_in else 302)


def test_a_remember_cookie_without_an_issue_time_is_refused(app, user_factory):
    user = user_factory(email="a@example.org")
    copied = app.test_client()
    copied.set_cookie("remember_token", _remember_token(app, f"{user.id}:{user.session_version}"))
    assert copied.get("/dashboard").status_code == 302


def test_a_shorter_remember_setting_is_enforced_too(make_app, app, user_factory):
    from datetime import timedelta

    user = user_factory(email="a@example.org")
    server = share_test_connection(app, make_app(REMEMBER_COOKIE_DURATION=timedelta(days=7)))
    copied = server.test_client()
    issued = int(time.time() - 8 * 86400)
    copied.set_cookie("remember_token", _remember_token(server, f"{user.id}:{user.session_version}:{issued}"))
    assert copied.get("/dashboard").status_code == 302
