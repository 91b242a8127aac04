"""CSRF: every route that changes state refuses a request without the visitor's own token.

The routes come from `app.url_map` (every rule that accepts POST, PUT, PATCH or DELETE),
so a new form is covered the day it is added. Each is sent by a visitor the access
matrix says may use it, with the matrix's fields, in three forged ways: no token, a
made-up token, and a real token from someone else's session. Each must get the CSRF
refusal (400, "Your form expired or was sent from elsewhere"), and the request is rolled
back either way.

The test client adds a valid token to every form post unless told `csrf=False`
(tests/conftest.py, CSRFClient), which is how the forged requests are made.

Routes exempt from the check are listed in EXEMPT with what protects them instead, and
docs/security.md must say the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.test_access_matrix import LOGIN, ROUTES, Visitors, rules_by_key
from tests.security.world import build_world

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REFUSAL = "Your form expired or was sent from elsewhere"
SECURITY_DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"

# Exempt rule → what protects it instead of a token.
EXEMPT = {
    "/api/v1/calc/<name>": "stateless JSON API: reads no session and no cookie, changes nothing, rate-limited",
}

FORGERIES = {
    "no token": lambda visitors: None,
    "made-up token": lambda visitors: "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.Zz.bad",
    "someone else's token": lambda visitors: visitors.someone_elses_token(),
}


class ForgingVisitors(Visitors):
    def someone_elses_token(self) -> str:
        """A valid token, but made for a session that is not the visitor's."""
        other = self.app.test_client()
        return other.csrf_token()


def state_changing_rules(app) -> dict:
    return {key: rule for key, rule in rules_by_key(app).items()
            if rule.methods & STATE_CHANGING and rule.rule not in EXEMPT}


def forgeable(app) -> dict:
    """The state-changing rules the matrix can fill (one without an entry fails the test below)."""
    return {key: rule for key, rule in state_changing_rules(app).items() if key in ROUTES}


def who_may_use(key: str) -> str:
    """The first visitor the matrix lets through to the view (anonymous for the login form)."""
    outcomes = ROUTES[key][2]
    for role in ("anonymous", "learner", "instructor", "admin"):
        if outcomes[role] not in (LOGIN, 302, 403, 404, 405):
            return role
    return "learner"


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def visitors(app, world):
    return ForgingVisitors(app, world)


def test_every_state_changing_route_is_in_the_access_matrix(app):
    assert set(state_changing_rules(app)) <= set(ROUTES)


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_request_is_refused_on_every_state_changing_route(app, world, visitors, forgery):
    accepted = []
    for key, rule in forgeable(app).items():
        _method, template, _outcomes, form = ROUTES[key]
        method = next(m for m in ("POST", "PUT", "PATCH", "DELETE") if m in rule.methods)
        path = template.format(**world.ids)
        data = dict(form)
        token = FORGERIES[forgery](visitors)
        if token is not None:
            data["csrf_token"] = token
        role = who_may_use(key)
        response = visitors.request(role, method, path, data=data, csrf=False)
        if response.status_code != 400 or REFUSAL not in response.get_data(as_text=True):
            accepted.append(f"{method} {path} as {role}: {response.status_code}")
    assert not accepted, f"accepted with {forgery}:\n" + "\n".join(accepted)


def test_the_json_autosave_needs_the_token_in_its_header(app, world, visitors):
    path = f"/quizzes/attempts/{world['attempt']}/save"
    body = {"number": 1, "response": "x"}
    forged = visitors.request("learner", "POST", path, json=body, headers={"Accept": "application/json"})
    assert forged.status_code == 400
    wrong = visitors.request("learner", "POST", path, json=body,
                             headers={"Accept": "application/json", "X-CSRFToken": visitors.someone_elses_token()})
    assert wrong.status_code == 400


def test_the_exempt_routes_are_the_stateless_api_and_nothing_else(app):
    from trainer.extensions import csrf

    assert csrf._exempt_views == set(), csrf._exempt_views
    assert {blueprint.name for blueprint in csrf._exempt_blueprints} == {"api"}
    api_rules = {rule.rule for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("api.") and rule.methods & STATE_CHANGING}
    assert api_rules == set(EXEMPT)


def test_the_exempt_api_reads_no_session(app, client, auth):
    """Logged in or not, the API answers the same and sets no cookie: a forged call gains nothing."""
    body = {"dose": "400 mg", "concentration": "250 mg/5 mL"}
    anonymous = client.post("/api/v1/calc/dose_volume", json=body)
    auth.login("learner")
    logged_in = client.post("/api/v1/calc/dose_volume", json=body)
    assert anonymous.status_code == logged_in.status_code == 200
    assert anonymous.get_json() == logged_in.get_json()
    assert "Set-Cookie" not in logged_in.headers


def test_each_exemption_is_documented_with_what_protects_it():
    text = SECURITY_DOC.read_text()
    for rule in EXEMPT:
        assert rule in text, f"docs/security.md does not mention the CSRF exemption of {rule}"


def test_the_same_requests_with_the_visitors_own_token_pass_the_check(app, world, visitors):
    """The control: the refusals above come from the forged token, not from the request."""
    refused = []
    for key, rule in forgeable(app).items():
        _method, template, _outcomes, form = ROUTES[key]
        method = next(m for m in ("POST", "PUT", "PATCH", "DELETE") if m in rule.methods)
        path = template.format(**world.ids)
        response = visitors.request(who_may_use(key), method, path, data=dict(form))
        if REFUSAL in response.get_data(as_text=True):
            refused.append(f"{method} {path}")
    assert not refused, refused
