"""The access matrix: every route of the site, and what each kind of visitor gets from it.

ROUTES below is the specification. It has one entry for every rule in `app.url_map`:
the path to ask for (parameters filled from the world in tests/security/world.py), and
the status each of the four visitors gets, in the order

    anonymous visitor   learner (Lena)   instructor (Ines)   admin

where LOGIN means "sent to the login page". The learner and the instructor are the
owners of what the path points at (Lena's attempt, Ines's cohort), so this matrix is
about roles; tests/security/test_object_access.py is about owners.

A POST is sent with a valid CSRF token and no fields, so a visitor who may use the form
gets its validation answer (400, 422, or a redirect back with a message) and a visitor
who may not is stopped before it: LOGIN, 403, or 404 where the thing is not theirs to
know about. Every request runs inside a savepoint that is rolled back,
so no request changes what the next one sees.

A new route without an entry here fails `test_every_route_has_an_entry`, naming it. Where
two rules share a path (a GET page and the POST that answers it, by different views),
the second is keyed "<path> POST".
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import DEFAULT_PASSWORD
from tests.security.world import build_world

LOGIN = "login"
ROLES = ("anonymous", "learner", "instructor", "admin")
PEOPLE = {"learner": "lena", "instructor": "ines", "admin": "admin"}


def _row(method: str, path: str, outcomes: str, **form):
    """One entry: the request, the four outcomes, and form fields when empty ones are ambiguous."""
    expected = tuple(LOGIN if word == LOGIN else int(word) for word in outcomes.split())
    assert len(expected) == 4, (path, outcomes)
    return method, path, dict(zip(ROLES, expected, strict=True)), form


# rule → (method, path, {role: outcome}). Sections follow the site's areas.
ROUTES = {
    # -- public pages and accounts ------------------------------------------------------------
    "/": _row("GET", "/", "200 302 302 302"),
    "/static/<path:filename>": _row("GET", "/static/css/site.css", "200 200 200 200"),
    "/login": _row("GET", "/login", "200 302 302 302"),
    "/register": _row("GET", "/register", "200 302 302 302"),
    "/logout": _row("POST", "/logout", "login 302 302 302"),
    "/password/forgot": _row("GET", "/password/forgot", "200 200 200 200"),
    "/password/reset/<token>": _row("GET", "/password/reset/{reset_token}", "200 200 200 200"),
    "/profile": _row("GET", "/profile", "login 200 200 200"),
    "/profile/password": _row("GET", "/profile/password", "login 200 200 200"),
    "/dashboard": _row("GET", "/dashboard", "login 200 200 200"),
    "/verify": _row("GET", "/verify", "200 200 200 200"),
    "/verify/<code>": _row("GET", "/verify/{certificate_code}", "200 200 200 200"),
    # -- admin ----------------------------------------------------------------------------------
    "/admin/users": _row("GET", "/admin/users", "login 403 403 200"),
    "/admin/users/<int:user_id>/reset-link": _row("POST", "/admin/users/{otto}/reset-link", "login 403 403 200"),
    "/admin/users/<int:user_id>/role": _row("POST", "/admin/users/{otto}/role", "login 403 403 302"),
    # -- JSON API (stateless, no session) -------------------------------------------------------
    "/api/v1/calc": _row("GET", "/api/v1/calc", "200 200 200 200"),
    "/api/v1/calc/<name>": _row("POST", "/api/v1/calc/dose_volume", "400 400 400 400"),
    "/api/v1/drugs": _row("GET", "/api/v1/drugs?q=amox", "200 200 200 200"),
    "/api/v1/drugs/<path:generic>": _row("GET", "/api/v1/drugs/amoxicillin", "200 200 200 200"),
    # -- reference tools --------------------------------------------------------------------------
    "/calculator/": _row("GET", "/calculator/", "200 200 200 200"),
    "/calculator/how-amounts-are-marked": _row("GET", "/calculator/how-amounts-are-marked", "200 200 200 200"),
    "/calculator/<name>": _row("GET", "/calculator/dose_volume", "200 200 200 200"),
    "/drugs/": _row("GET", "/drugs/", "200 200 200 200"),
    "/drugs/<path:generic>": _row("GET", "/drugs/amoxicillin", "200 200 200 200"),
    # -- courses ------------------------------------------------------------------------------------
    "/courses/": _row("GET", "/courses/", "200 200 200 200"),
    "/courses/search": _row("GET", "/courses/search?q=sig", "200 200 200 200"),
    "/courses/<slug>": _row("GET", "/courses/{course}", "200 200 200 200"),
    "/courses/<slug>/<module_slug>": _row("GET", "/courses/{course}/{module}", "login 200 200 200"),
    "/courses/<slug>/<module_slug>/checks/<uid>": _row(
        "POST", "/courses/{course}/{module}/checks/{check}", "login 422 422 422"),
    "/courses/<slug>/<module_slug>/complete": _row(
        "POST", "/courses/{course}/{module}/complete", "login 302 302 302"),
    "/courses/<slug>/<module_slug>/position": _row(
        "POST", "/courses/{course}/{module}/position", "login 400 400 400"),
    "/courses/<slug>/completion": _row("GET", "/courses/{course}/completion", "login 200 404 404"),
    "/courses/<slug>/completion POST": _row("POST", "/courses/{course}/completion", "login 302 302 302"),
    # -- quizzes ------------------------------------------------------------------------------------
    "/quizzes/": _row("GET", "/quizzes/", "login 200 200 200"),
    "/quizzes/<slug>": _row("GET", "/quizzes/{quiz}", "login 200 200 200"),
    "/quizzes/<slug>/start": _row("POST", "/quizzes/{quiz}/start", "login 302 302 302"),
    "/quizzes/attempts/<int:attempt_id>": _row("GET", "/quizzes/attempts/{attempt}", "login 200 404 404"),
    "/quizzes/attempts/<int:attempt_id> POST": _row("POST", "/quizzes/attempts/{attempt}", "login 302 404 404", number="1"),
    "/quizzes/attempts/<int:attempt_id>/finish": _row(
        "GET", "/quizzes/attempts/{attempt}/finish", "login 200 404 404"),
    "/quizzes/attempts/<int:attempt_id>/results": _row(
        "GET", "/quizzes/attempts/{graded_attempt}/results", "login 200 404 404"),
    "/quizzes/attempts/<int:attempt_id>/review": _row(
        "GET", "/quizzes/attempts/{graded_attempt}/review", "login 200 404 404"),
    "/quizzes/attempts/<int:attempt_id>/save": _row(
        "POST", "/quizzes/attempts/{attempt}/save", "login 400 404 404"),
    "/quizzes/attempts/<int:attempt_id>/submit": _row(
        "POST", "/quizzes/attempts/{attempt}/submit", "login 302 404 404"),
    # -- readiness and flashcards ---------------------------------------------------------------------
    "/readiness/": _row("GET", "/readiness/", "login 200 200 200"),
    "/readiness/bank-check": _row("GET", "/readiness/bank-check", "login 403 200 200"),
    "/readiness/goal": _row("POST", "/readiness/goal", "login 302 302 302"),
    "/readiness/mock-exams": _row("GET", "/readiness/mock-exams", "login 200 200 200"),
    "/readiness/mock-exams/<int:attempt_id>/report": _row(
        "GET", "/readiness/mock-exams/{mock}/report", "login 200 404 404"),
    "/readiness/mock-exams/start": _row("POST", "/readiness/mock-exams/start", "login 400 400 400"),
    "/readiness/practice/missed": _row("POST", "/readiness/practice/missed", "login 302 302 302"),
    "/readiness/practice/weak-areas": _row("POST", "/readiness/practice/weak-areas", "login 302 302 302"),
    "/flashcards/": _row("GET", "/flashcards/", "login 200 200 200"),
    "/flashcards/<slug>": _row("GET", "/flashcards/{deck}", "login 200 200 200"),
    "/flashcards/<slug>/review": _row("POST", "/flashcards/{deck}/review", "login 400 400 400"),
    "/flashcards/decks": _row("GET", "/flashcards/decks", "login 403 200 200"),
    "/flashcards/decks/<slug>/edit": _row("GET", "/flashcards/decks/{deck}/edit", "login 403 200 200"),
    "/flashcards/decks/new": _row("GET", "/flashcards/decks/new", "login 403 200 200"),
    # -- classes, for learners -------------------------------------------------------------------------
    "/assignments": _row("GET", "/assignments", "login 200 200 200"),
    "/join": _row("GET", "/join", "login 200 200 200"),
    "/join/<code>": _row("GET", "/join/{join_code}", "login 200 200 200"),
    "/invitations/<token>": _row("GET", "/invitations/{invitation_token}", "200 403 403 403"),
    # -- continuing education ------------------------------------------------------------------------
    "/ce/": _row("GET", "/ce/", "login 200 200 200"),
    "/ce/record": _row("GET", "/ce/record", "login 200 200 200"),
    "/ce/record/new": _row("GET", "/ce/record/new", "login 200 200 200"),
    "/ce/record/<int:record_id>/correct": _row("GET", "/ce/record/{record}/correct", "login 200 404 200"),
    "/ce/record/<int:record_id>/withdraw": _row("POST", "/ce/record/{record}/withdraw", "login 422 404 422"),
    "/ce/import": _row("GET", "/ce/import", "login 200 200 200"),
    "/ce/credentials": _row("GET", "/ce/credentials", "login 200 200 200"),
    "/ce/credentials/<int:credential_id>": _row("GET", "/ce/credentials/{credential}", "login 200 404 404"),
    "/ce/credentials/<int:credential_id>/archive": _row(
        "POST", "/ce/credentials/{credential}/archive", "login 302 404 404"),
    "/ce/credentials/<int:credential_id>/audit-pack.zip": _row(
        "GET", "/ce/credentials/{credential}/audit-pack.zip", "login 200 404 404"),
    "/ce/credentials/<int:credential_id>/transcript.csv": _row(
        "GET", "/ce/credentials/{credential}/transcript.csv", "login 200 404 404"),
    "/ce/credentials/<int:credential_id>/transcript.pdf": _row(
        "GET", "/ce/credentials/{credential}/transcript.pdf", "login 200 404 404"),
    "/ce/evidence/<int:evidence_id>": _row("GET", "/ce/evidence/{evidence}", "login 200 404 200"),
    "/ce/certificates/<int:credit_id>.pdf": _row("GET", "/ce/certificates/{credit}.pdf", "login 200 404 200"),
    "/ce/calendar.ics": _row("GET", "/ce/calendar.ics", "login 200 200 200"),
    "/ce/calendar/feed": _row("POST", "/ce/calendar/feed", "login 200 200 200"),
    "/ce/calendar/feed/revoke": _row("POST", "/ce/calendar/feed/revoke", "login 302 302 302"),
    "/ce/feed/<token>.ics": _row("GET", "/ce/feed/{feed_token}.ics", "200 200 200 200"),
    "/ce/sharing": _row("POST", "/ce/sharing", "login 302 302 302"),
    "/ce/compliance": _row("GET", "/ce/compliance", "login 403 200 200"),
    "/ce/compliance.csv": _row("GET", "/ce/compliance.csv", "login 403 200 200"),
    "/ce/admin/certificates": _row("GET", "/ce/admin/certificates", "login 403 403 200"),
    "/ce/admin/certificates/<int:certificate_id>/revoke": _row(
        "POST", "/ce/admin/certificates/{certificate}/revoke", "login 403 403 422"),
    "/ce/admin/courses": _row("GET", "/ce/admin/courses", "login 403 403 200"),
    "/ce/admin/learners/<int:user_id>": _row("GET", "/ce/admin/learners/{lena}", "login 403 403 200"),
    "/ce/admin/rules": _row("GET", "/ce/admin/rules", "login 403 403 200"),
    # -- teaching: home, courses ---------------------------------------------------------------------
    "/teach/": _row("GET", "/teach/", "login 403 200 200"),
    "/teach/markdown-preview": _row("POST", "/teach/markdown-preview", "login 403 200 200"),
    "/teach/courses": _row("GET", "/teach/courses", "login 403 200 200"),
    "/teach/courses/new": _row("GET", "/teach/courses/new", "login 403 200 200"),
    "/teach/courses/<slug>": _row("GET", "/teach/courses/{draft}", "login 403 200 200"),
    "/teach/courses/<slug>/edit": _row("GET", "/teach/courses/{draft}/edit", "login 403 200 200"),
    "/teach/courses/<slug>/preview": _row("GET", "/teach/courses/{draft}/preview", "login 403 200 200"),
    "/teach/courses/<slug>/status": _row("POST", "/teach/courses/{draft}/status", "login 403 400 400"),
    "/teach/courses/<slug>/modules/new": _row("GET", "/teach/courses/{draft}/modules/new", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>/delete": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}/delete", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>/history": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}/history", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>/move": _row(
        "POST", "/teach/courses/{draft}/modules/{draft_module_id}/move", "login 403 400 400"),
    "/teach/courses/<slug>/modules/<int:module_id>/preview": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}/preview", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>/revisions/<int:version>": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}/revisions/1", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>/revisions/<int:version>/diff": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}/revisions/1/diff", "login 403 200 200"),
    "/teach/courses/<slug>/modules/<int:module_id>/revisions/<int:version>/restore": _row(
        "POST", "/teach/courses/{draft}/modules/{draft_module_id}/revisions/1/restore", "login 403 302 302"),
    "/teach/courses/<slug>/modules/<int:module_id>/draft/diff": _row(
        "GET", "/teach/courses/{draft}/modules/{draft_module_id}/draft/diff", "login 403 302 302"),
    "/teach/courses/<slug>/modules/<int:module_id>/draft/discard": _row(
        "POST", "/teach/courses/{draft}/modules/{draft_module_id}/draft/discard", "login 403 302 302"),
    "/teach/courses/<slug>/modules/<int:module_id>/draft/publish": _row(
        "POST", "/teach/courses/{draft}/modules/{draft_module_id}/draft/publish", "login 403 302 302"),
    # -- teaching: questions and quizzes ----------------------------------------------------------------
    "/teach/questions": _row("GET", "/teach/questions", "login 403 200 200"),
    "/teach/questions/exam-areas": _row("GET", "/teach/questions/exam-areas", "login 403 200 200"),
    "/teach/questions/fields/<qtype>": _row("GET", "/teach/questions/fields/true_false", "login 403 200 200"),
    "/teach/questions/new": _row("GET", "/teach/questions/new", "login 403 200 200"),
    "/teach/questions/new/<qtype>": _row("GET", "/teach/questions/new/true_false", "login 403 200 200"),
    "/teach/questions/preview": _row("POST", "/teach/questions/preview", "login 403 400 400"),
    "/teach/questions/import": _row("GET", "/teach/questions/import", "login 403 200 200"),
    "/teach/questions/import/confirm": _row("POST", "/teach/questions/import/confirm", "login 403 302 302"),
    "/teach/questions/export": _row("GET", "/teach/questions/export", "login 403 200 200"),
    "/teach/questions/<uid>": _row("GET", "/teach/questions/{draft_question}", "login 403 200 200"),
    "/teach/questions/<uid>/diff": _row("GET", "/teach/questions/{draft_question}/diff", "login 403 200 200"),
    "/teach/questions/<uid>/edit": _row("GET", "/teach/questions/{draft_question}/edit", "login 403 200 200"),
    "/teach/questions/<uid>/status": _row("POST", "/teach/questions/{draft_question}/status", "login 403 400 400"),
    "/teach/questions/<uid>/versions/<int:number>": _row(
        "GET", "/teach/questions/{draft_question}/versions/1", "login 403 200 200"),
    "/teach/quizzes": _row("GET", "/teach/quizzes", "login 403 200 200"),
    "/teach/quizzes/new": _row("GET", "/teach/quizzes/new", "login 403 200 200"),
    "/teach/quizzes/<slug>": _row("GET", "/teach/quizzes/{quiz}", "login 403 200 200"),
    "/teach/quizzes/<slug>/edit": _row("GET", "/teach/quizzes/{quiz}/edit", "login 403 200 200"),
    "/teach/quizzes/<slug>/status": _row("POST", "/teach/quizzes/{quiz}/status", "login 403 400 400"),
    "/teach/quizzes/<slug>/accommodations": _row("POST", "/teach/quizzes/{quiz}/accommodations", "login 403 422 422"),
    "/teach/quizzes/<slug>/accommodations/<int:accommodation_id>/revoke": _row(
        "POST", "/teach/quizzes/{quiz}/accommodations/{accommodation}/revoke", "login 403 302 302"),
    "/teach/quizzes/<slug>/grading": _row("GET", "/teach/quizzes/{quiz}/grading", "login 403 200 200"),
    "/teach/quizzes/<slug>/grading/<int:item_id>": _row(
        "GET", "/teach/quizzes/{quiz}/grading/{essay_item}", "login 403 200 200"),
    # -- teaching: owners and co-authors, copies ----------------------------------------------------------
    "/teach/<kind>/<key>/authors": _row("POST", "/teach/courses/{draft}/authors", "login 403 400 400"),
    "/teach/<kind>/<key>/copy": _row("POST", "/teach/questions/{question}/copy", "login 403 302 302"),
    # -- teaching: analysis -------------------------------------------------------------------------------
    "/teach/analysis": _row("GET", "/teach/analysis", "login 403 200 200"),
    "/teach/analysis/questions/<uid>": _row("GET", "/teach/analysis/questions/{question}", "login 403 200 200"),
    "/teach/analysis/quizzes/<slug>": _row("GET", "/teach/analysis/quizzes/{quiz}", "login 403 200 200"),
    # -- teaching: cohorts ---------------------------------------------------------------------------------
    "/teach/cohorts": _row("GET", "/teach/cohorts", "login 403 200 200"),
    "/teach/cohorts/new": _row("GET", "/teach/cohorts/new", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>": _row("GET", "/teach/cohorts/{cohort}", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/edit": _row("GET", "/teach/cohorts/{cohort}/edit", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/code": _row("POST", "/teach/cohorts/{cohort}/code", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/joining": _row("POST", "/teach/cohorts/{cohort}/joining", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/class-list": _row(
        "GET", "/teach/cohorts/{cohort}/class-list", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/class-list/confirm": _row(
        "POST", "/teach/cohorts/{cohort}/class-list/confirm", "login 403 422 422"),
    "/teach/cohorts/<int:cohort_id>/instructors": _row(
        "POST", "/teach/cohorts/{cohort}/instructors", "login 403 422 422"),
    "/teach/cohorts/<int:cohort_id>/instructors/<int:user_id>/remove": _row(
        "POST", "/teach/cohorts/{cohort}/instructors/{ines}/remove", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/invitations/<int:invitation_id>/revoke": _row(
        "POST", "/teach/cohorts/{cohort}/invitations/{invitation}/revoke", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/members/<int:user_id>/remove": _row(
        "POST", "/teach/cohorts/{cohort}/members/{lena}/remove", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/learners/<int:user_id>": _row(
        "GET", "/teach/cohorts/{cohort}/learners/{lena}", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/learners/<int:user_id>/attempts/<int:attempt_id>": _row(
        "GET", "/teach/cohorts/{cohort}/learners/{lena}/attempts/{graded_attempt}", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/gradebook": _row("GET", "/teach/cohorts/{cohort}/gradebook", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/gradebook.csv": _row(
        "GET", "/teach/cohorts/{cohort}/gradebook.csv", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/gradebook/weights": _row(
        "POST", "/teach/cohorts/{cohort}/gradebook/weights", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/assignments/new": _row(
        "GET", "/teach/cohorts/{cohort}/assignments/new", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/assignments/<int:assignment_id>": _row(
        "GET", "/teach/cohorts/{cohort}/assignments/{assignment}", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/edit": _row(
        "GET", "/teach/cohorts/{cohort}/assignments/{assignment}/edit", "login 403 200 200"),
    "/teach/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/delete": _row(
        "POST", "/teach/cohorts/{cohort}/assignments/{assignment}/delete", "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/extensions": _row(
        "POST", "/teach/cohorts/{cohort}/assignments/{assignment}/extensions", "login 403 422 422"),
    "/teach/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/extensions/<int:extension_id>/revoke": _row(
        "POST", "/teach/cohorts/{cohort}/assignments/{assignment}/extensions/{extension}/revoke",
        "login 403 302 302"),
    "/teach/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/extra-time": _row(
        "POST", "/teach/cohorts/{cohort}/assignments/{assignment}/extra-time", "login 403 422 422"),
    # -- the prescription simulator ----------------------------------------------------------------
    "/scenarios/": _row("GET", "/scenarios/", "login 200 200 200"),
    "/scenarios/<slug>": _row("GET", "/scenarios/{scenario}", "login 200 200 200"),
    "/scenarios/<slug>/start": _row("POST", "/scenarios/{scenario}/start", "login 422 422 422"),
    "/scenarios/random": _row("POST", "/scenarios/random", "login 422 422 422"),
    "/scenarios/results": _row("GET", "/scenarios/results", "login 200 200 200"),
    "/scenarios/runs/<int:run_id>": _row("GET", "/scenarios/runs/{run}", "login 302 404 404"),
    "/scenarios/runs/<int:run_id>/<name>": _row("GET", "/scenarios/runs/{run}/review", "login 200 404 404"),
    "/scenarios/runs/<int:run_id>/<name> POST": _row("POST", "/scenarios/runs/{run}/review", "login 422 404 404"),
    "/scenarios/runs/<int:run_id>/debrief": _row("GET", "/scenarios/runs/{run}/debrief", "login 302 404 404"),
    "/scenarios/runs/<int:run_id>/finish": _row("GET", "/scenarios/runs/{run}/finish", "login 200 404 404"),
    "/scenarios/runs/<int:run_id>/finish POST": _row("POST", "/scenarios/runs/{run}/finish", "login 302 404 404"),
    "/teach/scenarios/": _row("GET", "/teach/scenarios/", "login 403 200 200"),
    "/teach/scenarios/<slug>": _row("GET", "/teach/scenarios/{scenario}", "login 403 200 200"),
    "/teach/scenarios/<slug>/add-to-quiz": _row("POST", "/teach/scenarios/{scenario}/add-to-quiz", "login 403 302 302"),
    "/teach/scenarios/<slug>/edit": _row("GET", "/teach/scenarios/{scenario}/edit", "login 403 200 200"),
    "/teach/scenarios/<slug>/edit POST": _row("POST", "/teach/scenarios/{scenario}/edit", "login 403 422 422"),
    "/teach/scenarios/new": _row("GET", "/teach/scenarios/new", "login 403 200 200"),
    "/teach/scenarios/new POST": _row("POST", "/teach/scenarios/new", "login 403 422 422"),
    "/teach/scenarios/<slug>/edit/yaml": _row("GET", "/teach/scenarios/{scenario}/edit/yaml", "login 403 200 200"),
    "/teach/scenarios/<slug>/edit/yaml POST": _row("POST", "/teach/scenarios/{scenario}/edit/yaml", "login 403 422 422"),
    "/teach/scenarios/new/yaml": _row("GET", "/teach/scenarios/new/yaml", "login 403 200 200"),
    "/teach/scenarios/new/yaml POST": _row("POST", "/teach/scenarios/new/yaml", "login 403 422 422"),
}


def _is_login(response) -> bool:
    return response.status_code in (301, 302, 303) and "/login" in (response.location or "")


def outcome_of(response):
    """What a visitor got, in the matrix's words."""
    return LOGIN if _is_login(response) else response.status_code


class Visitors:
    """A logged-in session per role; each request runs in a savepoint rolled back afterwards."""

    def __init__(self, app: Flask, world, people=None):
        self.app, self.world = app, world
        self.cookies = {"anonymous": None}
        # Log in by role (the matrix) or by name (the owner tests).
        logins = PEOPLE if people is None else {name: name for name in people}
        for key, person in logins.items():
            client = app.test_client()
            response = client.post("/login", data={"email": world.people[person].email,
                                                   "password": DEFAULT_PASSWORD})
            assert response.status_code == 302, key
            self.cookies[key] = client.get_cookie("session").value

    def request(self, role: str, method: str, path: str, **kwargs):
        """One request as `role`, undone afterwards (the database and the session cookie)."""
        from trainer.extensions import db

        client = self.app.test_client()
        if self.cookies[role]:
            client.set_cookie("session", self.cookies[role], domain="localhost")
        connection = self.app.extensions["test_connection"]
        # The test's own session must hold no savepoint of its own, or closing it later
        # would roll back past this one.
        db.session.close()
        savepoint = connection.begin_nested()
        try:
            return client.open(path, method=method, **kwargs)
        finally:
            savepoint.rollback()


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def visitors(app, world):
    return Visitors(app, world)


def route_key(app: Flask, rule) -> str:
    """A rule's key in ROUTES: its path, plus " POST" for a POST-only twin of a GET rule."""
    twins = [other for other in app.url_map.iter_rules() if other.rule == rule.rule]
    if len(twins) > 1 and "GET" not in rule.methods:
        return f"{rule.rule} POST"
    return rule.rule


def rules_by_key(app: Flask) -> dict:
    return {route_key(app, rule): rule for rule in app.url_map.iter_rules()}


def test_every_route_has_an_entry(app):
    rules = set(rules_by_key(app))
    missing = sorted(rules - set(ROUTES))
    assert not missing, "routes with no entry in the access matrix (add them to ROUTES): " + ", ".join(missing)
    stale = sorted(set(ROUTES) - rules)
    assert not stale, "entries for routes that no longer exist: " + ", ".join(stale)


def test_each_entry_asks_with_a_method_its_route_accepts(app):
    methods = {key: rule.methods for key, rule in rules_by_key(app).items()}
    wrong = [rule for rule, (method, *_rest) in ROUTES.items() if method not in methods[rule]]
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_what_the_matrix_says(app, world, visitors, role):
    differences = []
    for rule, (method, template, outcomes, form) in ROUTES.items():
        path = template.format(**world.ids)
        got = outcome_of(visitors.request(role, method, path, data=form if method == "POST" else None))
        if got != outcomes[role]:
            differences.append(f"{method} {path} ({rule}): expected {outcomes[role]}, got {got}")
    assert not differences, f"{role}:\n" + "\n".join(differences)


def test_a_method_a_route_does_not_accept_is_405_for_everyone(app, world, visitors):
    """GET on a POST-only route (and POST on a GET-only page) is 405, before any role check."""
    wrong = []
    for key, rule in rules_by_key(app).items():
        if key not in ROUTES or rule.rule.startswith("/static"):
            continue
        accepted = rule.methods - {"HEAD", "OPTIONS"}
        other = "GET" if "GET" not in accepted else ("POST" if "POST" not in accepted else None)
        path = ROUTES[key][1].format(**world.ids)
        if other is None or _another_rule_answers(app, rule, path, other):
            continue
        for role in ROLES:
            status = visitors.request(role, other, path).status_code
            if status != 405:
                wrong.append(f"{other} {path} as {role}: {status}")
    assert not wrong, "\n".join(wrong)


def _another_rule_answers(app, rule, path: str, method: str) -> bool:
    """Another rule takes this path with this method (GET /teach/questions/preview is the
    question page of a question called "preview"; /courses/<slug>/completion has a GET
    rule and a POST rule), so no 405 is due."""
    from werkzeug.exceptions import HTTPException

    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method=method)
    except HTTPException:
        return False
    return endpoint != rule.endpoint
