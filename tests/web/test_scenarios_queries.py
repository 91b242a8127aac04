"""The scenario step page's statements: an exact number, the same however many runs the
learner has, and no write on a plain view."""

from __future__ import annotations

import pytest

from tests.factories.scenarios import add_scenarios
from tests.web.test_page_queries import run, shown, writes
from tests.web.test_scenarios_player import (
    ENTRY_RIGHT,
    REVIEW_FILL,
    WRITTEN,
    play_dispensing,
    start,
)

# the user, the run, the drug reference's fingerprint
STEP_PAGE_QUERIES = 3


@pytest.fixture
def learner_run(client, auth, app):
    add_scenarios()
    auth.login("learner")
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data=ENTRY_RIGHT)
    client.get(f"/scenarios/runs/{run_id}/product")  # the first view reads the scenario and drug data once
    return run_id


@pytest.mark.parametrize("step", ["review", "entry", "product"])
def test_a_step_page_runs_a_fixed_number_of_statements_and_writes_nothing(client, count_queries, learner_run, step):
    statements = run(client, count_queries, "GET", f"/scenarios/runs/{learner_run}/{step}")
    assert len(statements) == STEP_PAGE_QUERIES, shown(statements)
    assert writes(statements) == []


def test_the_count_does_not_grow_with_the_learners_history(client, count_queries, learner_run):
    for _ in range(5):
        other = start(client, WRITTEN)
        play_dispensing(client, other)
        client.post(f"/scenarios/runs/{other}/finish")
    statements = run(client, count_queries, "GET", f"/scenarios/runs/{learner_run}/product")
    assert len(statements) == STEP_PAGE_QUERIES, shown(statements)
