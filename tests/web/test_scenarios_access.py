"""Who may open what in the simulator: a learner only their own runs (another's is a 404, read
or written), anonymous visitors are sent to log in, instructors' pages are for instructors."""

from __future__ import annotations

import pytest

from tests.factories.scenarios import add_scenarios
from tests.web.test_scenarios_player import ENTRY_RIGHT, REVIEW_FILL, WRITTEN, run_of, start


@pytest.fixture
def shipped(app):
    return add_scenarios()


@pytest.fixture
def others_run(client, auth, shipped):
    """A run of another learner, halfway through; the test client is then logged in as a second learner."""
    auth.login("learner")
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    auth.logout()
    auth.login("learner")
    return run_id


@pytest.mark.parametrize("path", ["", "/review", "/entry", "/finish", "/debrief"])
def test_another_learners_run_cannot_be_opened(client, others_run, path):
    assert client.get(f"/scenarios/runs/{others_run}{path}").status_code == 404


@pytest.mark.parametrize("path, data", [
    ("/review", {"action": "contact_prescriber"}),
    ("/entry", ENTRY_RIGHT),
    ("/claim", {"action": "send", "ndc": "99998-364-00", "quantity": "30", "days_supply": "30", "daw": "0"}),
    ("/finish", {}),
])
def test_another_learners_run_cannot_be_changed(client, others_run, path, data):
    before = dict(run_of(others_run).state)
    assert client.post(f"/scenarios/runs/{others_run}{path}", data=data).status_code == 404
    assert run_of(others_run).state == before


@pytest.mark.parametrize("path", ["/scenarios/", f"/scenarios/{WRITTEN}", "/scenarios/runs/1", "/scenarios/results"])
def test_anonymous_visitors_are_sent_to_log_in(client, shipped, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_anonymous_posts_change_nothing(client, shipped):
    response = client.post(f"/scenarios/{WRITTEN}/start", data={"mode": "practice"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_post_without_its_csrf_token_is_refused(client, auth, shipped):
    auth.login("learner")
    run_id = start(client, WRITTEN)
    assert client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL, csrf=False).status_code == 400
    assert run_of(run_id).state == {}


def test_a_draft_scenario_is_not_open_to_learners(client, auth, app):
    add_scenarios(status="draft")
    auth.login("learner")
    assert client.get(f"/scenarios/{WRITTEN}").status_code == 404
    assert client.post(f"/scenarios/{WRITTEN}/start", data={"mode": "practice"}).status_code == 404
    assert WRITTEN not in client.get("/scenarios/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/teach/scenarios/", f"/teach/scenarios/{WRITTEN}", "/teach/scenarios/new",
                                  f"/teach/scenarios/{WRITTEN}/edit"])
def test_instructor_pages_are_for_instructors(client, auth, shipped, path):
    auth.login("learner")
    assert client.get(path).status_code == 403


def test_an_unknown_step_or_mode_is_refused(client, auth, shipped):
    auth.login("learner")
    assert client.post(f"/scenarios/{WRITTEN}/start", data={"mode": "exam"}).status_code == 422
    run_id = start(client, WRITTEN)
    response = client.get(f"/scenarios/runs/{run_id}/nonsense", follow_redirects=True)
    assert response.status_code == 200 and "There is no such step." in response.get_data(as_text=True)
