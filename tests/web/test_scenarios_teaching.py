"""Scenarios for instructors: preview with the key, writing one in the browser (checked by the
rules core, problems beside the field with their line), assigning one to a cohort and reading
its scores in the gradebook, and a pharmacist check added to a quiz as a question that grades (a dispensing scenario's
intake review as a question: tests/web/test_scenario_items.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.scenarios import add_scenarios, save_drugs, scenario_specs
from tests.factories.teaching import assign, enrol, make_cohort
from tests.web.test_scenarios_player import CHECK, WRITTEN, play_dispensing, start
from trainer.extensions import db
from trainer.models import Question, QuizItem, Scenario, utcnow
from trainer.services import gradebook


@pytest.fixture
def shipped(app):
    return add_scenarios()


def test_the_preview_shows_the_prescription_and_the_key(client, instructor, shipped):
    html = client.get(f"/teach/scenarios/{WRITTEN}").get_data(as_text=True)
    assert "rx-pad" in html and "The key" in html
    assert "Take 1 tablet by mouth daily in the evening." in html and "99998-364-00" in html
    assert "Simvastatin 20 mg and 40 mg bottles look alike" in html  # the planted problem's note
    html = client.get(f"/teach/scenarios/{CHECK}").get_data(as_text=True)
    assert "May it be dispensed? <strong>No</strong>" in html and "Add to a quiz" in html


def test_the_list_shows_every_scenario_drafts_included(client, instructor, app):
    add_scenarios(status="draft")
    html = client.get("/teach/scenarios/").get_data(as_text=True)
    assert "Simvastatin on a written pad" in html and "draft" in html


def one_scenario_yaml(slug=WRITTEN) -> str:
    """One scenario of the test file as an instructor would paste it (a mapping, not a list)."""
    import yaml

    return yaml.safe_dump(scenario_specs()[slug], sort_keys=False)


def test_an_instructor_writes_a_scenario_in_the_browser(client, instructor, app):
    save_drugs()
    db.session.commit()
    text = one_scenario_yaml().replace(WRITTEN, "browser-simvastatin")
    response = client.post("/teach/scenarios/new/yaml", data={"source": text, "status": "published"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    saved = db.session.scalar(select(Scenario).where(Scenario.slug == "browser-simvastatin"))
    assert saved.source == "browser" and saved.author_id == instructor.id and saved.status == "published"


def test_a_scenario_the_rules_core_disagrees_with_is_refused_with_its_line(client, instructor, app):
    save_drugs()
    db.session.commit()
    text = one_scenario_yaml().replace("days_supply: 30", "days_supply: 45")
    response = client.post("/teach/scenarios/new/yaml", data={"source": text, "status": "draft"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="source-error"' in html
    line = text.splitlines().index("  days_supply: 45") + 1
    assert f"your scenario:{line} [{WRITTEN}] expected.days_supply:" in html
    assert "days_supply: 45" in html  # what was written is kept
    assert db.session.scalar(select(Scenario)) is None


def test_a_new_scenario_in_yaml_may_not_take_a_used_id(client, instructor, shipped):
    text = one_scenario_yaml().replace("Simvastatin on a written pad", "Someone else's simvastatin")
    response = client.post("/teach/scenarios/new/yaml", data={"source": text, "status": "published"})
    assert response.status_code == 422 and "already uses the id" in response.get_data(as_text=True)
    assert db.session.scalar(select(Scenario.title).where(Scenario.slug == WRITTEN)) == "Simvastatin on a written pad"


@pytest.mark.parametrize("text, message", [
    ("id: [unclosed", "not valid YAML"),
    ("- a list", "a scenario is a mapping"),
    ("", "Write the scenario."),
])
def test_text_that_is_not_a_scenario_is_refused_beside_the_field(client, instructor, app, text, message):
    response = client.post("/teach/scenarios/new/yaml", data={"source": text, "status": "draft"})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_editing_keeps_the_id_and_saves_a_new_version(client, instructor, shipped):
    page = client.get(f"/teach/scenarios/{WRITTEN}/edit/yaml").get_data(as_text=True)
    assert "Simvastatin on a written pad" in page
    text = one_scenario_yaml().replace("Simvastatin on a written pad", "Simvastatin, handwritten")
    assert client.post(f"/teach/scenarios/{WRITTEN}/edit/yaml", data={"source": text, "status": "published"}).status_code == 302
    assert db.session.scalar(select(Scenario.title).where(Scenario.slug == WRITTEN)) == "Simvastatin, handwritten"
    renamed = text.replace(f"id: {WRITTEN}", "id: another-id")
    response = client.post(f"/teach/scenarios/{WRITTEN}/edit/yaml", data={"source": renamed, "status": "published"})
    assert response.status_code == 422 and "keep the id" in response.get_data(as_text=True)


def test_a_scenario_is_assigned_to_a_cohort_and_scored_in_the_gradebook(client, auth, instructor, shipped):
    cohort = make_cohort(instructor)
    auth.logout()
    learner = auth.login("learner")
    enrol(cohort, [learner])
    assignment = assign(cohort, "scenario", shipped[WRITTEN].id)
    run_id = start(client, WRITTEN)
    play_dispensing(client, run_id)
    client.post(f"/scenarios/runs/{run_id}/finish")
    book = gradebook.build_gradebook(cohort, now=utcnow())
    assert [c.assignment.id for c in book.columns] == [assignment.id]
    row = next(r for r in book.rows if r.learner_id == learner.id)
    assert (row.cells[0].status, row.cells[0].score) == ("done", Decimal(100))
    # the learner's own list of assignments shows it done, with a link to the scenario
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Simvastatin on a written pad" in html and f"/scenarios/{WRITTEN}" in html


def test_the_assignment_form_offers_published_scenarios(client, instructor, shipped):
    cohort = make_cohort(instructor)
    html = client.get(f"/teach/cohorts/{cohort.id}/assignments/new").get_data(as_text=True)
    assert f'scenario:{shipped[WRITTEN].id}' in html


def test_a_pharmacist_check_becomes_a_quiz_question_that_grades(client, instructor, shipped):
    from tests.factories.quizzes import make_question, quiz_of
    from trainer.questions import generate_question, grade_response

    quiz = quiz_of([make_question("sc-1", "true_false")], "checks", title="Checks")
    response = client.post(f"/teach/scenarios/{CHECK}/add-to-quiz", data={"quiz": str(quiz.id)})
    assert response.status_code == 302
    items = db.session.scalars(select(QuizItem).where(QuizItem.quiz_id == quiz.id).order_by(QuizItem.position)).all()
    assert len(items) == 2
    question = db.session.get(Question, items[1].question_id)
    data = question.current_version.data
    assert question.type == "multiple_response" and data["blueprint"] == ["ptce-2020:4.4"]
    instance = generate_question(data, seed=1)
    right = [c["id"] for c in instance["choices"] if c["text"] == "The right drug in the wrong strength"]
    assert grade_response(instance, right).score == 1.0
    dispense = [c["id"] for c in instance["choices"] if c["text"].startswith("Nothing is wrong")]
    assert grade_response(instance, dispense).score == 0.0
    again = client.post(f"/teach/scenarios/{CHECK}/add-to-quiz", data={"quiz": str(quiz.id)}, follow_redirects=True)
    assert "already has this exercise" in again.get_data(as_text=True)
