"""The prescription simulator's player through the web: every step, bad input on every form,
reload in the middle of a run, practice and assessed modes, the debrief."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories.scenarios import add_scenarios
from trainer.extensions import db
from trainer.models import MasteryEvidence, ScenarioRun

WRITTEN = "test-simvastatin-written"
CLAIM = "test-simvastatin-claim"
CHECK = "test-check-strength"


@pytest.fixture
def shipped(app):
    return add_scenarios()


@pytest.fixture
def learner(auth):
    return auth.login("learner")


def start(client, slug, mode="practice"):
    response = client.post(f"/scenarios/{slug}/start", data={"mode": mode})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    run_id = int(re.search(r"/runs/(\d+)", response.headers["Location"]).group(1))
    return run_id


def page(client, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def kept(html: str, name: str, value: str) -> bool:
    """Whether the page shows `value` chosen again for field `name` (a radio, a checkbox or a select)."""
    for tag in re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html):
        if f'value="{value}"' in tag and " checked" in tag:
            return True
    select = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', html, re.S)
    return bool(select) and bool(re.search(rf'<option selected value="{re.escape(value)}"', select.group(0)))


def run_of(run_id) -> ScenarioRun:
    db.session.expire_all()
    return db.session.get(ScenarioRun, run_id)


REVIEW_FILL = {"action": "fill"}
ENTRY_RIGHT = {"patient": "P1", "prescriber": "D1", "drug": "simvastatin|20 mg|tablet",
               "directions": "Take 1 tablet by mouth daily in the evening.", "quantity": "30",
               "days_supply": "30", "refills": "3", "daw": "0"}
PRODUCT_RIGHT = {"shelf": "99998-364-00", "ndc": "99998-364-00"}
CLAIM_RIGHT = {"action": "send", "ndc": "99998-364-00", "quantity": "30", "days_supply": "30", "daw": "0"}
LABEL_AS_PRINTED = {"patient_name": "Maria Lopez", "prescriber_name": "Alan Brown",
                    "drug": "simvastatin 20 mg tablet", "quantity": "30 tablet",
                    "directions": "Take 1 tablet by mouth daily in the evening.", "refills": "3",
                    "auxiliary_labels": ["Avoid grapefruit juice"]}


def label_form(client, run_id) -> dict:
    """The label step's fields as the page fills them (the printed label)."""
    html = page(client, f"/scenarios/runs/{run_id}/label")
    values = {}
    for name in ("patient_name", "prescriber_name", "drug", "quantity", "refills"):
        values[name] = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)
    values["directions"] = re.search(r'name="directions"[^>]*>\s*([^<]*)</textarea>', html).group(1).strip()
    values["auxiliary_labels"] = [re.search(r'value="([^"]*)"', tag).group(1)
                                  for tag in re.findall(r'<input[^>]*name="auxiliary_labels"[^>]*>', html)
                                  if " checked" in tag]
    return values


def play_dispensing(client, run_id, *, label=None):
    assert client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL).status_code == 302
    assert client.post(f"/scenarios/runs/{run_id}/entry", data=ENTRY_RIGHT).status_code == 302
    assert client.post(f"/scenarios/runs/{run_id}/product", data=PRODUCT_RIGHT).status_code == 302
    assert client.post(f"/scenarios/runs/{run_id}/claim", data=CLAIM_RIGHT).status_code == 302
    assert client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "finish"}).status_code == 302
    values = label if label is not None else label_form(client, run_id)
    assert client.post(f"/scenarios/runs/{run_id}/label", data=values).status_code == 302


def test_a_learner_plays_every_step_and_reads_the_debrief(client, shipped, learner):
    run_id = start(client, WRITTEN)
    html = page(client, f"/scenarios/runs/{run_id}")
    assert "Review the prescription" in html and "rx-pad" in html and "Alan Brown" in html
    assert "class=\"hand" in html  # the handwritten sig style
    play_dispensing(client, run_id)
    html = page(client, f"/scenarios/runs/{run_id}")
    assert "Finish and see the debrief" in html
    response = client.post(f"/scenarios/runs/{run_id}/finish")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/runs/{run_id}/debrief")
    html = page(client, f"/scenarios/runs/{run_id}/debrief")
    assert "Score 100%" in html
    for title in ("Review the prescription", "Enter the prescription", "Select the product", "Submit the claim",
                  "Check the label"):
        assert title in html
    assert "Take 1 tablet by mouth daily in the evening." in html
    run = run_of(run_id)
    assert run.status == "submitted" and float(run.percent) == 100.0


def test_no_key_and_no_grade_is_shown_during_the_run(client, shipped, learner):
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data={"action": "contact_prescriber"})
    html = page(client, f"/scenarios/runs/{run_id}/entry")
    assert "wrong_strength" not in html and "✓" not in html and "✗" not in html
    assert "The 40 mg bottle sits beside" not in html  # the shelf's teaching note
    html = page(client, f"/scenarios/runs/{run_id}/product")
    assert "The 40 mg bottle sits beside" not in html and "trap" not in html


def test_the_wrong_product_counts_against_the_product_step(client, shipped, learner):
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data=ENTRY_RIGHT)
    client.post(f"/scenarios/runs/{run_id}/product", data={"shelf": "99997-0156-3", "ndc": "99997-0156-3"})
    assert run_of(run_id).state["product"]["score"] == 0


@pytest.mark.parametrize("data, field, message", [
    ({}, "action", "Choose what you do with the prescription."),
    ({"action": "fill", "marks-0-field": "refills"}, "marks-0-kind", "Choose what is wrong with this field."),
    ({"action": "fill", "marks-1-kind": "c2_refills"}, "marks-1-kind", "Choose the field this problem is in."),
])
def test_bad_review_input_is_shown_beside_its_field_and_nothing_is_stored(client, shipped, learner, data, field, message):
    run_id = start(client, WRITTEN)
    response = client.post(f"/scenarios/runs/{run_id}/review", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    for name, value in data.items():
        assert kept(html, name, value)
    assert run_of(run_id).state == {} and run_of(run_id).current_step == 0


@pytest.mark.parametrize("change, field, message", [
    ({"quantity": "thirty"}, "quantity", "Give the quantity as a number"),
    ({"days_supply": "a month"}, "days_supply", "Give the days supply"),
    ({"days_supply": "0"}, "days_supply", "between 1 and 365"),
    ({"refills": "-1"}, "refills", "between 0 and 99"),
    ({"directions": ""}, "directions", "Translate the sig"),
    ({"patient": ""}, "patient", "Pick the patient"),
    ({"drug": ""}, "drug", "Choose the drug."),
])
def test_bad_entry_input_is_shown_beside_its_field_and_what_was_typed_is_kept(client, shipped, learner, change,
                                                                               field, message):
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    data = {**ENTRY_RIGHT, **change}
    response = client.post(f"/scenarios/runs/{run_id}/entry", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    assert "Take 1 tablet by mouth daily in the evening." in html or field == "directions"
    for name in ("quantity", "days_supply"):
        if name not in change:
            assert f'value="{ENTRY_RIGHT[name]}"' in html
    assert "entry" not in run_of(run_id).state


@pytest.mark.parametrize("data, field, message", [
    ({"shelf": "99998-364-00", "ndc": ""}, "ndc", "Scan or type the NDC"),
    ({"shelf": "99998-364-00", "ndc": "12-34"}, "ndc", "cannot read that NDC"),
    ({"shelf": "99998-364-00", "ndc": "99997-0156-3"}, "ndc", "not the one on the package you took"),
    ({"ndc": "99998-364-00"}, "shelf", "Pick the product you take from the shelf."),
])
def test_bad_product_input_is_refused_beside_its_field(client, shipped, learner, data, field, message):
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data=ENTRY_RIGHT)
    response = client.post(f"/scenarios/runs/{run_id}/product", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    if data.get("ndc"):
        assert f'value="{data["ndc"]}"' in html
    assert "product" not in run_of(run_id).state


def test_the_claim_is_rejected_then_corrected_and_resubmitted(client, shipped, learner):
    run_id = start(client, CLAIM)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data={**ENTRY_RIGHT, "quantity": "90", "days_supply": "90"})
    client.post(f"/scenarios/runs/{run_id}/product", data=PRODUCT_RIGHT)
    html = page(client, f"/scenarios/runs/{run_id}/claim")
    assert 'value="90"' in html  # the claim carries the entry
    client.post(f"/scenarios/runs/{run_id}/claim", data={**CLAIM_RIGHT, "quantity": "90", "days_supply": "90"})
    html = page(client, f"/scenarios/runs/{run_id}/claim")
    assert "REJECTED" in html and "<code>76</code>" in html
    # the answer to every code is required
    response = client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "finish"})
    assert response.status_code == 422 and "Choose what you do about 76" in response.get_data(as_text=True)
    client.post(f"/scenarios/runs/{run_id}/claim", data=CLAIM_RIGHT)  # 30 for 30 days
    html = page(client, f"/scenarios/runs/{run_id}/claim")
    assert "PAID" in html
    response = client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "finish", "answer-76": "correct_and_resubmit"})
    assert response.status_code == 302
    claim = run_of(run_id).state["claim"]
    assert claim["score"] == 1.0, claim["rows"]


def test_bad_claim_input_is_refused_beside_its_field(client, shipped, learner):
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data=ENTRY_RIGHT)
    client.post(f"/scenarios/runs/{run_id}/product", data=PRODUCT_RIGHT)
    response = client.post(f"/scenarios/runs/{run_id}/claim", data={**CLAIM_RIGHT, "quantity": "lots", "ndc": "999"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="quantity-error"' in html and 'value="lots"' in html
    response = client.post(f"/scenarios/runs/{run_id}/claim", data={**CLAIM_RIGHT, "ndc": "999"})
    assert response.status_code == 422 and 'id="ndc-error"' in response.get_data(as_text=True)
    response = client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "finish"})
    assert response.status_code == 422 and "Send the claim to the payer first." in response.get_data(as_text=True)
    assert "claim_transcript" not in run_of(run_id).state


def test_the_label_step_grades_the_fixes(client, shipped, learner):
    run_id = start(client, CLAIM)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data={**ENTRY_RIGHT, "quantity": "90", "days_supply": "90"})
    client.post(f"/scenarios/runs/{run_id}/product", data=PRODUCT_RIGHT)
    client.post(f"/scenarios/runs/{run_id}/claim", data=CLAIM_RIGHT)
    client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "finish", "answer-76": "correct_and_resubmit"})
    printed = label_form(client, run_id)
    assert printed["auxiliary_labels"] == []  # planted: the grapefruit label is missing
    response = client.post(f"/scenarios/runs/{run_id}/label", data={**printed, "directions": ""})
    assert response.status_code == 422 and 'id="directions-error"' in response.get_data(as_text=True)
    client.post(f"/scenarios/runs/{run_id}/label", data=printed)
    assert run_of(run_id).state["label"]["score"] == 0
    # practice: answer the step again, fixing the label
    client.post(f"/scenarios/runs/{run_id}/label", data={**printed, "auxiliary_labels": ["Avoid grapefruit juice"]})
    label = run_of(run_id).state["label"]
    assert label["score"] == 1.0 and label["tries"] == 2


def test_reload_in_the_middle_of_a_run_resumes_where_the_learner_was(client, shipped, learner):
    run_id = start(client, WRITTEN)
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    client.post(f"/scenarios/runs/{run_id}/entry", data=ENTRY_RIGHT)
    response = client.get(f"/scenarios/runs/{run_id}")
    assert response.headers["Location"].endswith(f"/runs/{run_id}/product")
    html = page(client, "/scenarios/")
    assert "Runs in progress" in html and f"/scenarios/runs/{run_id}" in html
    # practice: an answered step shows the learner's answer again
    html = page(client, f"/scenarios/runs/{run_id}/entry")
    assert 'value="30"' in html and "Take 1 tablet by mouth daily in the evening." in html


def test_assessed_mode_does_not_allow_a_step_again(client, shipped, learner):
    run_id = start(client, WRITTEN, mode="assessed")
    client.post(f"/scenarios/runs/{run_id}/review", data=REVIEW_FILL)
    response = client.post(f"/scenarios/runs/{run_id}/review", data={"action": "contact_prescriber"})
    assert response.status_code == 302
    assert run_of(run_id).state["review"]["response"]["action"] == "fill"
    html = page(client, f"/scenarios/runs/{run_id}/review")
    assert "cannot be answered again" in html


def test_a_later_step_cannot_be_opened_early(client, shipped, learner):
    run_id = start(client, WRITTEN)
    response = client.post(f"/scenarios/runs/{run_id}/label", data=LABEL_AS_PRINTED)
    assert response.status_code == 302
    assert run_of(run_id).state == {}


def test_submitting_twice_counts_once(client, shipped, learner):
    run_id = start(client, WRITTEN)
    play_dispensing(client, run_id)
    first = client.post(f"/scenarios/runs/{run_id}/finish")
    second = client.post(f"/scenarios/runs/{run_id}/finish", follow_redirects=True)
    assert first.status_code == 302
    assert "already submitted; it counts once" in second.get_data(as_text=True)
    evidence = db.session.scalars(select(MasteryEvidence).where(MasteryEvidence.source == "scenario")).all()
    assert len(evidence) == 1 and evidence[0].codes == ["ptce-2020:4.4"]


def test_a_finished_run_cannot_change(client, shipped, learner):
    run_id = start(client, WRITTEN)
    play_dispensing(client, run_id)
    client.post(f"/scenarios/runs/{run_id}/finish")
    response = client.post(f"/scenarios/runs/{run_id}/review", data={"action": "contact_prescriber"})
    assert response.status_code == 302
    assert run_of(run_id).state["review"]["response"]["action"] == "fill"


def test_the_pharmacist_check(client, shipped, learner):
    run_id = start(client, CHECK)
    html = page(client, f"/scenarios/runs/{run_id}")
    assert "Pharmacist check" in html and "In the vial" in html and "99997-0156-3" in html
    response = client.post(f"/scenarios/runs/{run_id}/validation", data={"marks-0-field": "product"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Decide whether it may be dispensed." in html and "Choose what is wrong with this field." in html
    client.post(f"/scenarios/runs/{run_id}/validation", data={
        "decision": "do_not_dispense", "marks-0-field": "product", "marks-0-kind": "wrong_strength_dispensed"})
    client.post(f"/scenarios/runs/{run_id}/finish")
    html = page(client, f"/scenarios/runs/{run_id}/debrief")
    assert "Score 100%" in html and "The vial holds the 40 mg tablets" in html


def test_results_list_submitted_runs_by_area(client, shipped, learner):
    run_id = start(client, CHECK)
    client.post(f"/scenarios/runs/{run_id}/validation", data={"decision": "dispense"})
    client.post(f"/scenarios/runs/{run_id}/finish")
    html = page(client, "/scenarios/results")
    assert "Check a simvastatin fill" in html and "By exam area" in html


def test_a_dur_alert_from_the_pharmacy_system_is_answered_at_the_claim(client, auth, app):
    """A moderate allergy alert: the payer pays, the alert is still there to be routed to the pharmacist."""
    from pathlib import Path

    from trainer.rx.formulary import load_drug_dir
    from trainer.rx.scenarios import grading
    from trainer.services import scenario_core
    from trainer.services.drugs import save_reference
    from trainer.services.scenarios import read_scenarios, save_scenario

    root = Path(__file__).resolve().parents[2]
    save_reference(load_drug_dir(root / "question_bank" / "data"))
    spec, source = next((s, src) for s, src in read_scenarios(root) if s["id"] == "cephalexin-penicillin-allergy")
    save_scenario(spec, source=source)
    db.session.commit()
    key = grading.entry_key(scenario_core.read(spec))
    auth.login("learner")
    run_id = start(client, "cephalexin-penicillin-allergy")
    client.post(f"/scenarios/runs/{run_id}/review", data={"action": "fill"})
    client.post(f"/scenarios/runs/{run_id}/entry", data={
        "patient": key.patient_id, "prescriber": key.prescriber_id, "drug": key.drug, "directions": key.directions,
        "quantity": str(key.quantity), "days_supply": str(key.days_supply), "refills": str(key.refills),
        "daw": str(key.daw)})
    ndc = scenario_core.read(spec).expected.ndc
    client.post(f"/scenarios/runs/{run_id}/product", data={"shelf": ndc, "ndc": ndc})
    html = page(client, f"/scenarios/runs/{run_id}/claim")
    assert "Pharmacy system DUR" in html and "<code>DA</code>" in html
    client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "send", "ndc": ndc, "quantity": str(key.quantity),
                                                         "days_supply": str(key.days_supply), "daw": "0"})
    html = page(client, f"/scenarios/runs/{run_id}/claim")
    assert "PAID" in html and 'name="answer-DA"' in html
    client.post(f"/scenarios/runs/{run_id}/claim", data={"action": "finish", "answer-DA": "route_to_pharmacist"})
    assert run_of(run_id).state["claim"]["score"] == 1.0


def test_a_review_that_stops_the_fill_ends_the_run_after_step_one(client, shipped, learner):
    run_id = start(client, "test-simvastatin-expired")
    html = page(client, f"/scenarios/runs/{run_id}/review")
    assert "2024-12-01" in html
    client.post(f"/scenarios/runs/{run_id}/review", data={
        "action": "contact_prescriber", "marks-0-field": "written", "marks-0-kind": "expired"})
    response = client.get(f"/scenarios/runs/{run_id}")
    assert response.headers["Location"].endswith(f"/runs/{run_id}/finish")
    assert client.get(f"/scenarios/runs/{run_id}/entry").status_code == 302  # nothing more to play
    client.post(f"/scenarios/runs/{run_id}/finish")
    html = page(client, f"/scenarios/runs/{run_id}/debrief")
    assert "Score 100%" in html and "not played (the prescription was not filled)" in html
