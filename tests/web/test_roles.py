"""Roles: what a learner, an instructor and an admin may do, and the admin's user pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import AuditEvent, User


@pytest.mark.parametrize(("role", "status"), [("learner", 403), ("instructor", 403), ("admin", 200)])
def test_only_admins_reach_the_user_list(client, auth, role, status):
    auth.login(role)
    assert client.get("/admin/users").status_code == status


def test_a_visitor_is_sent_to_login_from_admin_pages(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.location


def test_the_403_page_is_friendly(client, auth):
    auth.login("learner")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "You do not have access to this page" in page and "Traceback" not in page


def test_an_admin_changes_a_role_in_the_browser(client, auth, user_factory):
    auth.login("admin")
    learner = user_factory(email="l@example.org")
    response = client.post(f"/admin/users/{learner.id}/role", data={"role": "instructor"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.role).where(User.id == learner.id)) == "instructor"


def test_a_role_change_is_audited_with_old_and_new_role(client, auth, user_factory):
    admin = auth.login("admin")
    learner = user_factory(email="l@example.org")
    client.post(f"/admin/users/{learner.id}/role", data={"role": "instructor"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert (event.actor_id, event.subject, event.details) == (admin.id, "l@example.org",
                                                              {"old": "learner", "new": "instructor"})


def test_a_learner_cannot_change_roles(client, auth, user_factory):
    learner = auth.login("learner")
    response = client.post(f"/admin/users/{learner.id}/role", data={"role": "admin"})
    assert response.status_code == 403
    db.session.refresh(learner)
    assert learner.role == "learner"


def test_an_unknown_role_is_refused(client, auth, user_factory):
    auth.login("admin")
    learner = user_factory()
    client.post(f"/admin/users/{learner.id}/role", data={"role": "superuser"})
    db.session.refresh(learner)
    assert learner.role == "learner"


def test_the_last_admin_cannot_be_demoted(client, auth):
    admin = auth.login("admin")
    response = client.post(f"/admin/users/{admin.id}/role", data={"role": "learner"}, follow_redirects=True)
    assert "This is the last admin" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_role_change_for_a_missing_user_is_404(client, auth):
    auth.login("admin")
    assert client.post("/admin/users/999999/role", data={"role": "learner"}).status_code == 404


def test_admin_user_search_filters_by_name_or_email(client, auth, user_factory):
    auth.login("admin")
    user_factory(email="findme@example.org", name="Fiona Find")
    user_factory(email="other@example.org", name="Otto Other")
    page = client.get("/admin/users?q=fiona").get_data(as_text=True)
    assert "findme@example.org" in page and "other@example.org" not in page


def test_an_admin_makes_a_reset_link_that_works(client, app, auth, user_factory):
    auth.login("admin")
    learner = user_factory(email="l@example.org")
    page = client.post(f"/admin/users/{learner.id}/reset-link").get_data(as_text=True)
    start = page.index("/password/reset/")
    path = page[start:page.index('"', start)]
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200


def test_the_navigation_follows_the_role(client, auth):
    auth.login("learner")
    learner_page = client.get("/dashboard").get_data(as_text=True)
    client.post("/logout")
    auth.login("admin")
    admin_page = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/admin/users"' not in learner_page and 'href="/admin/users"' in admin_page


# --- the command line ---------------------------------------------------------------

def test_create_user_makes_the_first_admin(runner):
    result = runner.invoke(args=["trainer", "create-user", "boss@example.org", "--role", "admin",
                                 "--password", "a sturdy pass phrase"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "boss@example.org")) == "admin"


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(args=["trainer", "create-user", "boss@example.org"],
                           input="a sturdy pass phrase\na sturdy pass phrase\n")
    assert result.exit_code == 0, result.output


def test_create_user_refuses_a_weak_password(runner):
    result = runner.invoke(args=["trainer", "create-user", "boss@example.org", "--password", "weak"])
    assert result.exit_code != 0 and "weak password" in result.output


def test_create_user_refuses_a_duplicate_email(runner, user_factory):
    user_factory(email="boss@example.org")
    result = runner.invoke(args=["trainer", "create-user", "BOSS@example.org", "--password", "a sturdy pass phrase"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_seed_demo_creates_one_account_per_role_and_prints_passwords_once(runner):
    first = runner.invoke(args=["trainer", "seed-demo"])
    second = runner.invoke(args=["trainer", "seed-demo"])
    roles = set(db.session.scalars(select(User.role).where(User.email.like("%@demo.rxtrainer.local"))))
    assert roles == {"learner", "instructor", "admin"}
    assert first.output.count("demo-") == 4
    assert "demo-" not in second.output


def test_printed_demo_passwords_log_in(runner, client):
    output = runner.invoke(args=["trainer", "seed-demo"]).output
    line = next(line for line in output.splitlines() if "admin@demo" in line)
    _, email, password = line.split()
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302


def test_seed_demo_refuses_to_run_in_production(make_app, app):
    from tests.conftest import share_test_connection

    production = share_test_connection(app, make_app(TRAINER_ENV="production"))
    result = production.test_cli_runner().invoke(args=["trainer", "seed-demo"])
    assert result.exit_code != 0 and "development only" in result.output


def test_a_huge_page_number_on_the_user_list_is_not_a_server_error(client, auth):
    auth.login("admin")
    response = client.get("/admin/users?page=99999999999999999999")
    assert response.status_code == 400 and "?page= must be a whole number" in response.get_data(as_text=True)


def test_user_search_treats_percent_and_underscore_as_text(client, auth, user_factory):
    auth.login("admin")
    user_factory(email="under_score@example.org")
    user_factory(email="underXscore@example.org")
    page = client.get("/admin/users?q=under_score").get_data(as_text=True)
    assert "under_score@example.org" in page and "underXscore@example.org" not in page
    assert "No user matches" in client.get("/admin/users?q=%25%25").get_data(as_text=True)


def test_the_admin_buttons_name_the_user_they_act_on(client, auth, user_factory):
    auth.login("admin")
    user_factory(name="Lee Learner")
    page = client.get("/admin/users?q=lee").get_data(as_text=True)
    assert '<span class="visually-hidden"> the role of Lee Learner</span>' in page
    assert '<span class="visually-hidden"> for Lee Learner</span>' in page


def test_create_user_refuses_something_that_is_not_an_email(runner):
    result = runner.invoke(args=["trainer", "create-user", "boss", "--password", "a sturdy pass phrase"])
    assert result.exit_code != 0 and "not an email address" in result.output
    assert db.session.scalar(select(User).where(User.email == "boss")) is None
