"""The step graders, as a learner meets them: the key scores full marks, each mistake costs its
point and its debrief row says the rule and what it would have meant for the patient, and
nonsense never raises."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.rx.scenarios import (
    ClaimAnswer,
    EntryAnswer,
    LabelAnswer,
    ReviewAnswer,
    ValidationAnswer,
    checks,
    claim_key,
    drug_choices,
    entry_key,
    grade_claim,
    grade_entry,
    grade_label,
    grade_product,
    grade_review,
    grade_validation,
    read_ndc,
    submit_entry,
    total,
    upc_for,
)
from trainer.rx.scenarios.grading import same_directions

# ---- step 1: review -------------------------------------------------------------------------------------


def test_a_clean_prescription_is_filled_and_that_is_full_marks(by_id, drugs):
    result = grade_review(by_id["lisinopril-eprescribed-clean"], ReviewAnswer("fill"), drugs)
    assert (result.earned, result.possible) == (1, 1)
    assert result.rows[0].key == "fill it as written"


def test_a_bad_dea_number_is_marked_and_the_prescriber_contacted(by_id, drugs):
    scenario = by_id["oxycodone-dea-check-digit"]
    right = grade_review(scenario, ReviewAnswer("contact_prescriber", (("prescriber.dea", "dea_check_digit"),)), drugs)
    assert right.correct and right.possible == 2
    filled_anyway = grade_review(scenario, ReviewAnswer("fill"), drugs)
    assert filled_anyway.earned == 0
    dea_row = filled_anyway.rows[1]
    assert dea_row.correct is False and "DEA" in dea_row.rule and dea_row.consequence


def test_a_false_alarm_costs_a_point(by_id, drugs):
    result = grade_review(
        by_id["lisinopril-eprescribed-clean"], ReviewAnswer("fill", (("refills", "c2_refills"),)), drugs
    )
    assert (result.earned, result.possible) == (0, 1)
    assert result.rows[-1].label == "A problem that is not there"


def test_noticing_a_later_problem_early_neither_scores_nor_costs(by_id, drugs):
    scenario = by_id["warfarin-smx-interaction"]
    result = grade_review(scenario, ReviewAnswer("fill", (("dur", "interaction"),)), drugs)
    assert result.correct and result.rows[-1].label.startswith("Noticed early")


def test_a_c2_with_refills_goes_to_the_pharmacist(by_id, drugs):
    scenario = by_id["hydrocodone-c2-refills-lasa"]
    result = grade_review(scenario, ReviewAnswer("route_to_pharmacist", (("refills", "c2_refills"),)), drugs)
    assert result.correct
    assert "1306.12" in result.rows[1].rule


def test_a_review_answer_of_nonsense_is_wrong_and_does_not_raise(by_id, drugs):
    result = grade_review(by_id["lisinopril-eprescribed-clean"], ReviewAnswer(None, "x" * 10_000), drugs)  # type: ignore[arg-type]
    assert result.earned == 0


# ---- step 2: entry --------------------------------------------------------------------------------------


def test_the_entry_key_scores_eight_of_eight(by_id, drugs):
    scenario = by_id["amoxicillin-child-suspension"]
    result = grade_entry(scenario, entry_key(scenario), drugs)
    assert (result.earned, result.possible) == (8, 8)


def test_directions_may_be_worded_a_little_differently_but_not_abbreviated():
    key = "Take 1 tablet by mouth daily."
    assert same_directions("take one tablet by mouth once a day", key)
    assert same_directions("Take 1 tablet orally every day.", key)
    assert not same_directions("Take 1 tablet by mouth twice a day.", key)
    assert not same_directions("", key)


def test_the_wrong_sibling_and_a_wrong_days_supply_are_marked_row_by_row(by_id, drugs):
    scenario = by_id["cefdinir-child-phoned"]
    key = entry_key(scenario)
    answer = EntryAnswer(
        patient_id="P-3002",  # the grandfather with the same name
        prescriber_id=key.prescriber_id,
        drug=key.drug,
        directions="Take 3.5 mL by mouth twice a day for 10 days.",
        quantity="100",
        days_supply="14",  # the bottle would last 14 days; the course is 10
        refills="0",
        daw="0",
    )
    result = grade_entry(scenario, answer, drugs)
    wrong = {r.field: r for r in result.rows if not r.correct}
    assert set(wrong) == {"patient", "days_supply"}
    assert "born 1959-06-30" in wrong["patient"].learner
    assert "course is 10 days" in wrong["days_supply"].note
    assert (result.earned, result.possible) == (6, 8)


def test_insulin_days_supply_is_capped_by_the_discard_period(by_id, drugs):
    scenario = by_id["insulin-glargine-vial-28-days"]
    answer = entry_key(scenario)
    fifty = grade_entry(scenario, EntryAnswer(**{**answer.__dict__, "days_supply": "50"}), drugs)
    row = next(r for r in fifty.rows if r.field == "days_supply")
    assert not row.correct and row.key == "28" and "28-day discard period" in row.rule


def test_abbreviated_directions_are_wrong_even_if_they_mean_the_same(by_id, drugs):
    scenario = by_id["lisinopril-eprescribed-clean"]
    answer = EntryAnswer(**{**entry_key(scenario).__dict__, "directions": "1 tab po qd"})
    row = next(r for r in grade_entry(scenario, answer, drugs).rows if r.field == "directions")
    assert not row.correct and "qd" in row.note


def test_the_drug_picker_offers_the_look_alike_and_other_strengths(by_id, drugs):
    labels = [c.label for c in drug_choices(by_id["hydroxyzine-hydralazine-lasa"], drugs)]
    assert "hydroxyzine 25 mg tablet" in labels and "hydralazine 25 mg tablet" in labels
    assert "hydroxyzine 50 mg tablet" in labels


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {name: st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans())
         for name in ("patient_id", "prescriber_id", "drug", "directions", "quantity", "days_supply", "refills", "daw")}
    )
)
def test_any_entry_is_graded_without_raising(by_id, drugs, fields):
    scenario = by_id["lisinopril-eprescribed-clean"]
    result = grade_entry(scenario, EntryAnswer(**fields), drugs)
    assert 0 <= result.earned <= result.possible == 8


# ---- step 3: product ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["99998-883-39", "99998088339", "99998-0883-39", "9999888339", "upc"],
)
def test_the_right_product_is_accepted_in_every_ndc_form(by_id, drugs, typed):
    scenario = by_id["lisinopril-eprescribed-clean"]
    if typed == "upc":
        typed = upc_for("99998-883-39")
    assert grade_product(scenario, typed, drugs).correct


def test_taking_the_trap_from_the_shelf_shows_why_it_matters(by_id, drugs):
    scenario = by_id["hydroxyzine-hydralazine-lasa"]
    trap = next(s for s in scenario.shelf if s.trap == "lasa")
    result = grade_product(scenario, trap.product.ndc, drugs)
    assert not result.correct
    row = result.rows[0]
    assert "hydralazine" in row.learner and "ISMP" in row.rule and "blood pressure" in row.consequence


def test_an_ambiguous_or_unreadable_ndc_is_wrong_with_the_reason(by_id, drugs):
    scenario = by_id["lisinopril-eprescribed-clean"]
    assert read_ndc("1234567890")[0] is None and "ambiguous" in read_ndc("1234567890")[1]
    result = grade_product(scenario, "lisinopril please", drugs)
    assert not result.correct and "NDC" in result.rows[0].learner


# ---- step 4: claim --------------------------------------------------------------------------------------


def test_a_paid_claim_needs_no_action(by_id, drugs):
    scenario = by_id["lisinopril-eprescribed-clean"]
    response = submit_entry(scenario, entry_key(scenario), scenario.expected.ndc, drugs)
    assert response.paid and response.patient_pay == Decimal("5.00")
    assert grade_claim(scenario, ClaimAnswer({}), drugs, shown=response).correct


def test_a_dur_reject_is_routed_to_the_pharmacist_never_overridden(by_id, drugs):
    scenario = by_id["warfarin-smx-interaction"]
    response = submit_entry(scenario, entry_key(scenario), scenario.expected.ndc, drugs)
    assert response.codes == ["88"] and [a.code for a in response.dur_alerts] == ["DD"]
    assert claim_key(scenario) == {"DD": "route_to_pharmacist"}
    assert grade_claim(scenario, ClaimAnswer({"DD": "route_to_pharmacist"}), drugs).correct
    wrong = grade_claim(scenario, ClaimAnswer({"DD": "correct_and_resubmit"}), drugs)
    assert not wrong.correct and "Bleeding" in wrong.rows[0].consequence


def test_a_days_supply_limit_is_corrected_and_resubmitted_with_the_right_numbers(by_id, drugs):
    scenario = by_id["insulin-lispro-pens-days-supply"]
    right = grade_claim(scenario, ClaimAnswer({"76": "correct_and_resubmit"}, {"quantity": "9", "days_supply": "30"}), drugs)
    assert right.correct and right.possible == 3
    assert "claim pays" in right.rows[-1].note
    wrong = grade_claim(scenario, ClaimAnswer({"76": "correct_and_resubmit"}, {"quantity": "15", "days_supply": "30"}), drugs)
    assert wrong.earned == 2


def test_prior_authorisation_and_a_refill_too_soon(by_id, drugs):
    pa = by_id["rosuvastatin-prior-auth"]
    assert grade_claim(pa, ClaimAnswer({"75": "request_prior_auth"}), drugs).correct
    early = by_id["lorazepam-refill-too-soon"]
    result = grade_claim(early, ClaimAnswer({"79": "tell_patient_next_fill_date", "ER": "route_to_pharmacist"}), drugs)
    assert result.correct
    assert not grade_claim(early, ClaimAnswer({"79": "correct_and_resubmit"}), drugs).correct


def test_a_reject_caused_by_the_learners_own_entry_is_graded_too(by_id, drugs):
    scenario = by_id["lisinopril-eprescribed-clean"]
    entry = EntryAnswer(**{**entry_key(scenario).__dict__, "daw": "12"})
    response = submit_entry(scenario, entry, scenario.expected.ndc, drugs)
    assert "22" in response.codes
    result = grade_claim(scenario, ClaimAnswer({"22": "correct_and_resubmit"}), drugs, shown=response)
    assert any(r.field == "22" and r.correct for r in result.rows)


# ---- step 5: label --------------------------------------------------------------------------------------


def test_a_printed_label_error_must_be_fixed(by_id, drugs):
    scenario = by_id["losartan-transfer-clean"]
    printed = checks.printed_label(scenario, drugs)
    assert printed.directions == "Take 1 tablet by mouth twice a day."
    untouched = grade_label(scenario, LabelAnswer({}), drugs)
    assert (untouched.earned, untouched.possible) == (0, 1)
    fixed = grade_label(scenario, LabelAnswer({"directions": "Take 1 tablet by mouth daily."}), drugs)
    assert fixed.correct


def test_breaking_a_correct_label_field_is_marked(by_id, drugs):
    scenario = by_id["lisinopril-eprescribed-clean"]
    result = grade_label(scenario, LabelAnswer({"patient_name": "Mario Lopez"}), drugs)
    assert not result.correct and result.rows[0].field == "patient_name"


def test_a_controlled_label_needs_the_transfer_caution(by_id, drugs):
    scenario = by_id["zolpidem-transfer-clean"]
    assert checks.printed_label(scenario, drugs).cautions == ()
    key = checks.key_label(scenario, drugs)
    assert grade_label(scenario, LabelAnswer({"cautions": list(key.cautions)}), drugs).correct


# ---- pharmacist check -----------------------------------------------------------------------------------


def test_a_correct_fill_is_dispensed(by_id, drugs):
    exercise = by_id["check-lisinopril-correct"]
    assert grade_validation(exercise, ValidationAnswer(True), drugs).correct
    refused = grade_validation(exercise, ValidationAnswer(False, (("product", "wrong_drug_dispensed"),)), drugs)
    assert refused.earned == 0


def test_each_planted_error_must_be_named(by_id, drugs):
    exercise = by_id["check-clonidine-two-errors"]
    both = grade_validation(
        exercise, ValidationAnswer(False, (("product", "wrong_drug_dispensed"), ("directions", "wrong_directions"))), drugs
    )
    assert (both.earned, both.possible) == (4, 4)
    one = grade_validation(exercise, ValidationAnswer(False, ("wrong_drug_dispensed",)), drugs)
    assert (one.earned, one.possible) == (3, 4)


def test_points_add_up_over_steps(by_id, drugs):
    scenario = by_id["lisinopril-eprescribed-clean"]
    results = [
        grade_review(scenario, ReviewAnswer("fill"), drugs),
        grade_entry(scenario, entry_key(scenario), drugs),
        grade_product(scenario, scenario.expected.ndc, drugs),
        grade_claim(scenario, ClaimAnswer({}), drugs),
        grade_label(scenario, LabelAnswer({}), drugs),
    ]
    assert total(results) == (12, 12)


def test_a_wrong_form_trap_explains_itself_with_its_shelf_note(by_id, drugs):
    scenario = by_id["insulin-glargine-vial-28-days"]
    pens = next(s for s in scenario.shelf if s.trap == "wrong_form")
    row = grade_product(scenario, pens.product.ndc, drugs).rows[0]
    assert not row.correct and row.note == pens.note


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(st.none(), st.text(max_size=30), st.integers(), st.lists(st.text(max_size=10), max_size=3),
                    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2)),
    name=st.sampled_from(["directions", "quantity", "refills", "auxiliary_labels", "cautions", "patient_name", "bogus"]),
)
def test_any_claim_label_or_check_answer_is_graded_without_raising(by_id, drugs, value, name):
    scenario = by_id["sertraline-solution-days-supply-limit"]
    claim = grade_claim(scenario, ClaimAnswer({"76": value} if isinstance(value, str) else value, {name: value}), drugs)  # type: ignore[arg-type]
    label = grade_label(scenario, LabelAnswer({name: value}), drugs)
    check = grade_validation(by_id["check-clonidine-two-errors"], ValidationAnswer(value, value), drugs)  # type: ignore[arg-type]
    for result in (claim, label, check):
        assert 0 <= result.earned <= result.possible
