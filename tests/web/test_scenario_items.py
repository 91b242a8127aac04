"""Scenarios as quiz items: a dispensing scenario's intake review becomes a multiple-response
question (every shipped one validates, its key is the planted kinds, and its stem holds what
each planted problem's check needs), an instructor adds one to a quiz through the preview page,
and a learner takes that quiz and is graded by the bank, with partial credit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories.quizzes import (
    fresh,
    key_response,
    make_question,
    post_answer,
    quiz_of,
    start_via_web,
    submit_via_web,
)
from tests.factories.scenarios import add_scenarios
from tests.web.test_scenarios_player import CHECK, CLAIM, WRITTEN
from trainer.extensions import db
from trainer.models import Attempt, Question, QuizItem
from trainer.questions import (
    generate_question,
    grade_response,
    public_question_view,
    validate_question,
)
from trainer.rx.scenarios import ERROR_KINDS, default_drugs, load_dir
from trainer.services.scenario_items import FILLABLE_AS_WRITTEN, intake_question

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "question_bank" / "scenarios"


@pytest.fixture(scope="module")
def drugs():
    return default_drugs()


@pytest.fixture(scope="module")
def dispensing(drugs):
    return [s for s in load_dir(SHIPPED, drugs) if s.kind == "dispensing"]


def _question(record, drugs) -> dict:
    return intake_question(record, drugs, question_id=f"intake-{record.id}", title=record.title,
                           blueprint=list(record.areas))


def _last_fill(record):
    same = [f for f in record.patient.history if f.generic == record.prescription.generic]
    return max(same, key=lambda f: f.fill_date)


def _percent(share) -> str:
    return f"{(share * 100).normalize():f}%"


# What each planted kind's check reads, taken from the scenario's own data: the stem must show it.
EVIDENCE = {
    "dea_check_digit": lambda s, d: [s.prescriber.dea, s.prescriber.last_name],
    "dea_surname": lambda s, d: [s.prescriber.dea, s.prescriber.last_name],
    "c2_refills": lambda s, d: ["Schedule II (C-II)", f"| Refills | {s.prescription.refills} |"],
    "c3_over_six_months": lambda s, d: [s.prescription.written.isoformat(), f"Today is {s.date.isoformat()}",
                                        f"({d[s.prescription.generic].schedule.replace('CI', 'C-I')})"],
    "expired": lambda s, d: [s.prescription.written.isoformat(), f"Today is {s.date.isoformat()}",
                             f"valid for {s.state_validity_months} months"],
    "missing_quantity": lambda s, d: ["| Quantity | none written |"],
    "missing_date": lambda s, d: ["| Date written | no date |"],
    "missing_signature": lambda s, d: ["| Prescriber's signature | not signed |"],
    "lasa_on_shelf": lambda s, d: [e.product.ndc for e in s.shelf],
    "wrong_strength_on_shelf": lambda s, d: [f"| {e.product.label_name} | {e.product.ndc} |" for e in s.shelf],
    "error_prone_abbreviation": lambda s, d: [f"| Directions (sig), as written | {s.prescription.sig} |"],
    "allergy": lambda s, d: [f"| Allergies | {', '.join(s.patient.allergies)} |"],
    "interaction": lambda s, d: [f"| {f.generic} | {f.fill_date.isoformat()} |" for f in s.patient.history],
    "dur_alert": lambda s, d: [f"| {f.generic} | {f.fill_date.isoformat()} |" for f in s.patient.history]
    + [s.patient.birth_date.isoformat()],
    "refill_too_soon": lambda s, d: [
        f"| {s.prescription.generic} | {_last_fill(s).fill_date.isoformat()} | {_last_fill(s).days_supply} |",
        f"once {_percent(s.plan.refill_threshold)} of the last supply", f"Today is {s.date.isoformat()}"],
    "quantity_limit": lambda s, d: [
        f"Quantity limit for {s.prescription.generic}: "
        f"{s.plan.entry_for(s.prescription.generic).quantity_limit.normalize():f} "
        f"per {s.plan.entry_for(s.prescription.generic).limit_days} days",
        f"**{s.expected.days_supply}-day supply**"],
    "prior_auth": lambda s, d: [f"Prior authorisation for {s.prescription.generic}: required"],
    "days_supply_limit": lambda s, d: [f"at most a {s.plan.max_days_supply}-day supply",
                                       f"**{s.expected.days_supply}-day supply**"],
}


def test_every_problem_kind_says_what_its_check_needs():
    assert set(EVIDENCE) == set(ERROR_KINDS)


def test_every_shipped_dispensing_scenario_becomes_a_valid_question_keyed_by_its_planted_kinds(dispensing, drugs):
    assert len(dispensing) >= 40
    for record in dispensing:
        data = _question(record, drugs)
        assert validate_question(data) == [], record.id
        key = {c["text"] for c in data["choices"] if c.get("correct")}
        planted = {ERROR_KINDS[k].title for k in record.kinds}
        assert key == (planted or {FILLABLE_AS_WRITTEN}), record.id
        texts = [c["text"] for c in data["choices"]]
        assert texts == [FILLABLE_AS_WRITTEN, *(k.title for k in ERROR_KINDS.values())]
        for problem in record.problems:
            assert problem.note.split(":")[0][:30].replace("*", "") in data["explanation"].replace("\\", ""), record.id


def test_every_shipped_dispensing_stem_shows_what_each_planted_check_reads(dispensing, drugs):
    missing = []
    for record in dispensing:
        stem = _question(record, drugs)["stem"].replace("\\", "")  # markdown escapes aside
        for kind in record.kinds:
            missing += [(record.id, kind, needle) for needle in EVIDENCE[kind](record, drugs) if needle not in stem]
    assert missing == []


def test_the_stem_shows_the_prescription_as_presented(dispensing, drugs):
    by_id = {r.id: r for r in dispensing}
    transfer = _question(by_id["losartan-transfer-clean"], drugs)["stem"]
    assert "transferred in from another pharmacy" in transfer and "Lakeside Drug" in transfer
    assert "L77120" in transfer and "Refills remaining | 4" in transfer
    phoned = _question(by_id["ibuprofen-warfarin-phoned"], drugs)["stem"]
    assert "phoned in by the prescriber's office" in phoned and "| Caller |" in phoned
    assert "NPI" in phoned and "DEA number" in phoned


def test_the_explanation_fills_in_the_plans_refill_threshold(dispensing, drugs):
    record = next(r for r in dispensing if "refill_too_soon" in r.kinds)
    explanation = _question(record, drugs)["explanation"]
    assert "{threshold}" not in explanation and _percent(record.plan.refill_threshold) in explanation


def test_a_stored_scenario_gives_the_question_its_file_gives(app, drugs):
    """Through the database (JSON dates, the served drug reference) the question is the same."""
    from trainer.rx.formulary import load_drug_dir
    from trainer.services import scenario_core
    from trainer.services.drugs import save_reference
    from trainer.services.scenario_items import question_data
    from trainer.services.scenarios import read_scenarios, save_scenario

    save_reference(load_drug_dir(ROOT / "question_bank" / "data"))
    served = scenario_core.reference_drugs()
    for spec, source in read_scenarios(ROOT):
        if spec.get("kind", "dispensing") == "validation":
            continue
        stored, _ = save_scenario(spec, source=source)
        data = question_data(stored)
        assert validate_question(data) == [], stored.slug
        record = scenario_core.read(stored.spec)
        assert data == intake_question(record, served, question_id=f"intake-{stored.slug}", title=stored.title,
                                       blueprint=list(stored.blueprint or []))


# ---- through the web ------------------------------------------------------------------------------------


@pytest.fixture
def shipped(app):
    return add_scenarios()


def _items(quiz):
    return db.session.scalars(select(QuizItem).where(QuizItem.quiz_id == quiz.id).order_by(QuizItem.position)).all()


def test_the_preview_offers_a_dispensing_scenario_to_a_quiz_and_says_what_the_question_holds(client, instructor,
                                                                                            shipped):
    quiz_of([make_question("si-0", "true_false")], "intake0", title="Intake quiz")
    html = client.get(f"/teach/scenarios/{WRITTEN}").get_data(as_text=True)
    assert "Add to a quiz" in html and f"/teach/scenarios/{WRITTEN}/add-to-quiz" in html
    assert "intake review" in html and "DEA and NPI" in html and "can be filled as written" in html
    html = client.get(f"/teach/scenarios/{CHECK}").get_data(as_text=True)
    assert "the label your colleague printed" in html and "may be dispensed" in html


def test_an_instructor_adds_a_dispensing_scenario_and_a_learner_is_graded_on_it(client, auth, instructor, shipped):
    quiz = quiz_of([make_question("si-1", "true_false")], "intake1", title="Intake")
    for slug in (WRITTEN, CLAIM):
        response = client.post(f"/teach/scenarios/{slug}/add-to-quiz", data={"quiz": str(quiz.id)},
                               follow_redirects=True)
        assert "was added to the quiz as a question" in response.get_data(as_text=True)
    items = _items(quiz)
    assert len(items) == 3
    question = db.session.get(Question, items[1].question_id)
    data = question.current_version.data
    assert question.type == "multiple_response" and question.uid == f"intake-{WRITTEN}"
    assert data["blueprint"] == ["ptce-2020:4.4"] and "BB1388568" in data["stem"] and "penicillin" in data["stem"]
    assert [c["text"] for c in data["choices"] if c.get("correct")] == ["Same drug in the wrong strength on the shelf"]

    again = client.post(f"/teach/scenarios/{WRITTEN}/add-to-quiz", data={"quiz": str(quiz.id)}, follow_redirects=True)
    assert "That quiz already has this scenario." in again.get_data(as_text=True)
    assert len(_items(quiz)) == 3

    auth.login("learner")
    attempt_id = start_via_web(client, quiz)
    first, written, claim = fresh(Attempt, attempt_id).items
    page = client.get(f"/quizzes/attempts/{attempt_id}?q=2").get_data(as_text=True)
    assert "Simvastatin" in page or "simvastatin" in page
    assert "BB1388568" in page and "99997-0156-3" in page
    assert post_answer(client, attempt_id, 1, first.instance, key_response(first.instance)).status_code == 302
    assert post_answer(client, attempt_id, 2, written.instance, key_response(written.instance)).status_code == 302
    # one of the two planted problems: partial credit, as the bank gives it
    half = [c["id"] for c in claim.instance["choices"]
            if c["text"] == ERROR_KINDS["days_supply_limit"].title]
    assert post_answer(client, attempt_id, 3, claim.instance, half).status_code == 302
    assert submit_via_web(client, attempt_id).status_code == 302
    attempt = fresh(Attempt, attempt_id)
    assert [item.correct for item in attempt.items] == [True, True, False]
    assert 0 < attempt.items[2].score < 1
    assert attempt.items[2].score == grade_response(claim.instance, half).score


def test_a_learner_may_not_add_a_scenario_to_a_quiz(client, auth, shipped):
    quiz = quiz_of([make_question("si-2", "true_false")], "intake2")
    auth.login("learner")
    assert client.post(f"/teach/scenarios/{WRITTEN}/add-to-quiz", data={"quiz": str(quiz.id)}).status_code == 403
    assert len(_items(quiz)) == 1


def test_a_question_instance_never_carries_the_planted_notes_before_grading(dispensing, drugs):
    record = next(r for r in dispensing if r.problems)
    shown = str(public_question_view(generate_question(_question(record, drugs), seed=3)))
    assert all(problem.note not in shown for problem in record.problems)
