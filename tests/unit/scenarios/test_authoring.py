"""The authoring form's data and scenario data, both ways: values the loader reads as defaults
are left out, an empty printed list stays "printed without any", blank rows are skipped, and
each problem of the rules core is placed on the form field it names."""

from __future__ import annotations

from trainer.rx.scenarios import authoring


def test_typed_text_becomes_scenario_data_with_its_types():
    data = authoring.form_data({})
    data["id"] = "amox-child"
    data["prescription"].update(quantity="150", refills="0", sig=" 1 tsp po tid ", daw="0", signed=True)
    data["patient"]["insurance"]["relationship"] = "3"
    data["patient"]["allergies"] = "penicillin\r\n\r\nsulfa\r\n"
    data["plan"]["refill_threshold"] = "0.8"
    spec = authoring.spec_of(data)
    assert spec["prescription"] == {"quantity": 150, "refills": 0, "sig": "1 tsp po tid"}  # DAW 0 and signed are defaults
    assert spec["patient"] == {"allergies": ["penicillin", "sulfa"], "insurance": {"relationship": 3}}
    assert spec["plan"] == {"refill_threshold": 0.8}
    assert "kind" not in spec  # dispensing is the default


def test_what_is_not_a_number_is_left_for_the_loader_to_refuse():
    data = authoring.form_data({})
    data["prescription"]["quantity"] = "thirty"
    assert authoring.spec_of(data)["prescription"]["quantity"] == "thirty"


def test_an_unticked_default_and_an_empty_printed_list_are_kept():
    spec = {"prescription": {"signed": False}, "label_errors": {"cautions": []}}
    data = authoring.form_data(spec)
    assert data["prescription"]["signed"] is False and data["label_errors"]["cautions_none"] is True
    back = authoring.spec_of(data)
    assert back["prescription"] == {"signed": False} and back["label_errors"] == {"cautions": []}
    assert authoring.canonical(spec) == spec


def test_the_other_kinds_sections_are_left_out():
    data = authoring.form_data({"kind": "validation", "shelf": [{"ndc": "1"}], "dispensed": {"ndc": "2"},
                                "expected": {"dispense": False, "ndc": "3"}})
    spec = authoring.spec_of(data)
    assert spec == {"kind": "validation", "dispensed": {"ndc": "2"}, "expected": {"dispense": False},
                    "patient": {}, "prescriber": {}, "prescription": {}}  # blank, so each missing field is named


def test_a_blank_form_keeps_the_required_sections_for_the_loader_to_name_what_is_missing():
    spec = authoring.spec_of(authoring.form_data({}))
    assert spec == {"patient": {"insurance": {}}, "prescriber": {}, "prescription": {}, "plan": {}, "expected": {}}


SKETCH = {"id": "x", "patient": {"first_name": "Ann", "insurance": {"bin": "610014"}}, "prescriber": {"dea": "AB1234563"},
          "prescription": {"sig": "1 tab po qd"}, "plan": {"name": "Plan"}, "expected": {"review": "contact_prescriber"}}


def test_a_detail_without_a_field_does_not_round_trip():
    assert authoring.round_trips(SKETCH)
    assert not authoring.round_trips({**SKETCH, "plan": {"name": "Plan", "copays": {1: 5}}})


def test_problems_are_placed_on_their_fields():
    data = authoring.form_data({"shelf": [{"ndc": "a"}, {"ndc": "b"}],
                                "expected": {"claim": {"actions": {"75": "request_prior_auth", "DD": "route_to_pharmacist"}}}})
    data["shelf"].insert(0, {"ndc": "", "trap": "", "note": "", "lot": "", "expires": "", "on_hand": ""})  # a blank row first
    assert authoring.form_field("prescriber.dea", data) == "prescriber-dea"
    assert authoring.form_field("shelf[1].ndc", data) == "shelf-2-ndc"
    assert authoring.form_field("shelf", data) == "shelf"
    assert authoring.form_field("expected.claim.actions.DD", data) == "expected-claim-actions-1-action"
    assert authoring.form_field("problems[0].resolution.prescriber.dea", {"problems": [{"kind": "dea_check_digit"}]}) \
        == "problems-0-resolution-prescriber_dea"
    assert authoring.form_field("areas[2]", data) == "areas"
    assert authoring.form_field("quantity", data) == "prescription-quantity"  # as the rules core names it
    assert authoring.form_field("directions", {"kind": "validation"}) == "label_changes-directions"
    assert authoring.form_field("", data) == ""
    assert authoring.form_field("nothing.here", data) == ""


def test_messages_name_kinds_and_actions_in_words_and_no_files():
    message = authoring.plain_message("the rules core finds dea_check_digit but no problem of that kind is planted: x")
    assert "dea_check_digit" not in message and "“DEA number fails its check digit”" in message
    assert authoring.plain_message("the planted problems call for 'contact_prescriber', not 'fill'") \
        == "the planted problems call for “contact the prescriber”, not “fill it”"
    assert "question_bank" not in authoring.plain_message("'zzz' is not in the drug reference (question_bank/data)")


def test_a_kind_of_the_other_exercise_is_refused_in_words():
    from trainer.rx.scenarios import ERROR_KINDS, VALIDATION_KINDS

    codes = ", ".join(ERROR_KINDS)
    assert "“Dispensing”" in authoring.plain_message(f"must be one of: {codes}")
    message = authoring.plain_message(f"dea_surname is a dispensing kind; a pharmacist check plants one of: {', '.join(VALIDATION_KINDS)}")
    assert "_" not in message and "“Pharmacist check”" in message
