"""Calculated questions: drawing values, answers from trainer.calc or a formula, refusing bad templates."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from tests.unit.questions.samples import CALCULATED, CALCULATED_FORMULA, question
from trainer.questions import (
    generate_question,
    grade_response,
    public_question_view,
    validate_question,
)
from trainer.questions.calculated import EXHAUSTIVE_LIMIT, GenerationFailed


def calculated(**fields) -> dict:
    spec = copy.deepcopy(CALCULATED)
    spec.update(fields)
    return spec


def fields_of(problems):
    return [f for f, _ in problems]


def test_an_instance_has_its_values_stem_answer_and_worked_steps():
    instance = generate_question(CALCULATED, 11)
    dose, strength = Decimal(instance["values"]["dose"]), Decimal(instance["values"]["strength"])
    assert dose in {Decimal(v) for v in range(100, 501, 50)}
    assert strength in {Decimal(125), Decimal(250), Decimal(400)}
    expected = (dose / strength * 5).quantize(Decimal("0.1"))
    assert Decimal(instance["answer"]) == expected
    assert instance["unit"] == "mL"
    assert f"amoxicillin {instance['values']['dose']} mg" in instance["stem"]
    assert "{" not in instance["stem"]
    assert instance["steps"] and all(isinstance(step, str) for step in instance["steps"])
    assert instance["answer_text"].endswith(" mL")


def test_the_worked_steps_use_the_learners_own_numbers():
    for seed in range(5):
        instance = generate_question(CALCULATED, seed)
        steps = " ".join(instance["steps"])
        assert instance["values"]["dose"] in steps.replace(",", "")


def test_seeds_cover_the_value_space():
    seen = {generate_question(CALCULATED, seed)["values"]["strength"] for seed in range(60)}
    assert seen == {"125", "250", "400"}


def test_the_order_variables_are_written_in_does_not_change_a_draw():
    reordered = calculated(variables=dict(reversed(list(CALCULATED["variables"].items()))))
    for seed in range(5):
        assert generate_question(reordered, seed) == generate_question(CALCULATED, seed)


def test_formula_answers_and_explanation_placeholders():
    spec = {**CALCULATED_FORMULA, "explanation": "{rate} mL/hr × {hours} h; {answer} mL remain."}
    assert validate_question(spec) == []
    instance = generate_question(spec, 3)
    rate, hours = Decimal(instance["values"]["rate"]), Decimal(instance["values"]["hours"])
    assert Decimal(instance["answer"]) == 1000 - rate * hours
    assert instance["explanation"] == f"{rate} mL/hr × {hours} h; {instance['answer']} mL remain."
    assert instance["steps"] == []


def test_derived_values_in_dependency_order():
    spec = calculated(
        stem="A child weighs {lb} lb ({kg} kg). Give {dose} mg.",
        variables={
            "kg": {"min": 10, "max": 20, "step": 1},
            "dose": {"choices": [250]},
            "strength": {"choices": [125]},
        },
        derived={"lb_text": "lb", "lb": "round(kg * 2.2, 1)"},  # written before what it uses
    )
    assert validate_question(spec) == []
    instance = generate_question(spec, 0)
    kg = Decimal(instance["values"]["kg"])
    assert Decimal(instance["values"]["lb"]) == (kg * Decimal("2.2")).quantize(Decimal("0.1"))
    assert instance["values"]["lb_text"] == instance["values"]["lb"]


def test_text_choices_fill_the_stem():
    spec = calculated(
        stem="Dispense {drug} {dose} mg from {strength} mg/5 mL.",
        variables={**CALCULATED["variables"], "drug": {"choices": ["amoxicillin", "cephalexin"]}},
    )
    assert validate_question(spec) == []
    assert generate_question(spec, 0)["values"]["drug"] in {"amoxicillin", "cephalexin"}


def test_a_family_extra_result_can_be_the_answer():
    spec = question(
        "calc-wt-001",
        "calculated",
        "{kg} kg at 14 mg/kg/day in 2 doses. What is the daily dose in mg?",
        variables={"kg": {"min": 5, "max": 40, "step": 1}},
        answer={
            "family": "weight_based_dose",
            "params": {"weight": "{kg} kg", "dose_rate": "14 mg/kg/day", "doses_per_day": 2},
            "result": "extra.daily_dose",
            "round_to": "1",
        },
        unit="mg",
        sanity={"min": 70, "max": 560},
    )
    assert validate_question(spec) == []
    instance = generate_question(spec, 4)
    assert Decimal(instance["answer"]) == Decimal(instance["values"]["kg"]) * 14


def test_a_family_answer_is_given_in_the_questions_unit():
    spec = calculated(
        unit="L",
        tolerance=0.00005,
        answer={**CALCULATED["answer"], "round_to": "0.0001"},
        sanity={"min": 0.0005, "max": 0.06},
    )
    assert validate_question(spec) == []
    instance = generate_question(spec, 2)
    assert instance["unit"] == "L"
    assert Decimal(instance["answer"]) < 1


def test_the_key_grades_and_rounding_is_checked():
    instance = generate_question(CALCULATED, 11)
    answer = Decimal(instance["answer"])
    assert grade_response(instance, f"{instance['answer_text']}").correct
    assert grade_response(instance, f"{answer} mL").correct
    result = grade_response(instance, f"{answer + Decimal('0.01')} mL")
    assert result.flags == ["not_rounded"] and not result.correct


def test_the_public_view_has_the_filled_stem_the_unit_and_the_rounding_asked_and_nothing_else():
    instance = generate_question(CALCULATED, 11)
    assert public_question_view(instance) == {
        "question_id": "calc-dv-003",
        "type": "calculated",
        "stem": instance["stem"],
        "unit": "mL",
        "rounding": "0.1",  # a learner is told the rounding before being marked on it
    }


# ---- refusing templates ---------------------------------------------------------------------


def test_a_template_that_can_give_a_negative_answer_is_refused():
    spec = {
        **CALCULATED_FORMULA,
        "answer": {"formula": "600 - rate * hours"},
        "sanity": {"min": 1, "max": 850},
    }
    problems = validate_question(spec)
    assert fields_of(problems) == ["answer"]
    assert "not a positive amount" in problems[0][1]
    assert "hours=" in problems[0][1] and "rate=" in problems[0][1]


def test_a_template_that_can_give_zero_is_refused():
    spec = {**CALCULATED_FORMULA, "answer": {"formula": "rate * hours - rate * hours"}}
    assert "is 0, not a positive amount" in validate_question(spec)[0][1]


def test_an_absurd_answer_outside_sanity_is_refused():
    spec = {**CALCULATED_FORMULA, "sanity": {"min": 250, "max": 800}}
    problems = validate_question(spec)
    assert fields_of(problems) == ["sanity"]
    assert "850 is outside 250–800" in problems[0][1]


def test_negative_answers_are_allowed_when_sanity_says_so():
    spec = question(
        "temp-001",
        "calculated",
        "Convert {c} °C to °F.",
        variables={"c": {"min": -25, "max": -10, "step": 5}},
        answer={"formula": "c * 9 / 5 + 32", "round_to": "0.1"},
        unit="°F",
        sanity={"min": -20, "max": 20},
    )
    assert validate_question(spec) == []


def test_a_calc_error_for_some_values_is_refused():
    spec = calculated(
        variables={"dose": {"min": 100, "max": 500, "step": 50}, "strength": {"choices": [0, 250]}}
    )
    problems = validate_question(spec)
    assert problems and problems[0][0].startswith("answer")
    assert "strength=0" in problems[0][1]


def test_a_formula_error_for_some_values_is_refused():
    spec = {**CALCULATED_FORMULA, "derived": {"per_hour": "1000 / (hours - 2)"}}
    problems = validate_question(spec)
    assert problems == [("derived", "for hours=2, rate=75: division by zero")]


def test_the_answer_must_land_on_the_rounding_step_learners_are_held_to():
    spec = calculated(round_to="0.1", answer={**CALCULATED["answer"], "round_to": "0.01"})
    problems = validate_question(spec)
    assert fields_of(problems) == ["round_to"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answer": {"family": "dose_vol", "params": {"dose": "{dose} mg"}}}, "answer.family"),
        (
            {
                "answer": {
                    "family": "dose_volume",
                    "params": {"dose": "{dose} mg", "concentration": "{strenght} mg/mL"},
                }
            },
            "answer.params.concentration",
        ),
        (
            {"answer": {"family": "dose_volume", "params": {"dose": "{dose} mg", "colour": "red"}}},
            "answer.params.colour",
        ),
        (
            {"answer": {"family": "dose_volume", "params": {"dose": "{dose} mg"}}},
            "answer.params.concentration",
        ),
        ({"answer": {"family": "dose_volume", "formula": "1", "params": {}}}, "answer"),
        ({"answer": {"formula": "dose / strenght"}}, "answer.formula"),
        ({"answer": {"formula": "__import__('os')"}}, "answer.formula"),
        ({"answer": {"formula": "dose", "round_to": "-1"}}, "answer.round_to"),
        ({"answer": {"formula": "dose", "results": "x"}}, "answer.results"),
        ({"answer": {**CALCULATED["answer"], "result": "daily_dose"}}, "answer.result"),
        ({"answer": {**CALCULATED["answer"], "result": "extra.nothing"}}, "answer.result"),
        ({"variables": {}}, "variables"),
        ({"variables": {"Dose": {"choices": [1]}}}, "variables.Dose"),
        (
            {
                "variables": {
                    "answer": {"choices": [1]},
                    "dose": {"choices": [1]},
                    "strength": {"choices": [1]},
                }
            },
            "variables.answer",
        ),
        (
            {"variables": {"dose": {"min": 5, "max": 1, "step": 1}, "strength": {"choices": [1]}}},
            "variables.dose.max",
        ),
        (
            {"variables": {"dose": {"min": 1, "max": 5, "step": 0}, "strength": {"choices": [1]}}},
            "variables.dose.step",
        ),
        (
            {"variables": {"dose": {"min": 1, "max": 5}, "strength": {"choices": [1]}}},
            "variables.dose.step",
        ),
        (
            {"variables": {"dose": {"choices": []}, "strength": {"choices": [1]}}},
            "variables.dose.choices",
        ),
        (
            {"variables": {"dose": {"choices": [1, [2]]}, "strength": {"choices": [1]}}},
            "variables.dose.choices[1]",
        ),
        ({"derived": {"x": "y", "y": "x"}}, "derived"),
        ({"derived": {"x": "x + 1"}}, "derived.x"),
        ({"derived": {"dose": "1"}}, "derived.dose"),
        ({"sanity": None}, "sanity"),
        ({"sanity": {"min": 5, "max": 1}}, "sanity"),
        ({"stem": "Give {answer} mL"}, "stem"),
        ({"stem": "Give {volume} mL"}, "stem"),
        ({"explanation": "{nothing}"}, "explanation"),
        ({"tolerance": "wide"}, "tolerance"),
    ],
)
def test_template_problems_name_the_field(change, field):
    spec = calculated(**change)
    if spec.get("sanity") is None:
        spec.pop("sanity")
    problems = validate_question(spec)
    assert field in fields_of(problems), problems


def test_a_large_space_is_sampled_fast_and_its_edges_are_checked():
    spec = question(
        "big-001",
        "calculated",
        "{a} {b} {c}",
        variables={name: {"min": 1, "max": 100, "step": 1} for name in "abc"},
        answer={"formula": "a + b + c"},
        sanity={"min": 3, "max": 299},  # only a=b=c=100 is outside: the corner draw finds it
    )
    problems = validate_question(spec)
    assert fields_of(problems) == ["sanity"] and "a=100, b=100, c=100" in problems[0][1]


def test_every_combination_is_tried_when_there_are_few():
    # 20 × 25 = 500 combinations, and only one of them divides by zero
    spec = question(
        "few-001",
        "calculated",
        "{a} {b}",
        variables={"a": {"min": 1, "max": 20, "step": 1}, "b": {"min": 1, "max": 25, "step": 1}},
        answer={"formula": "1 / (a * 100 + b - 1317)"},
        sanity={"min": -1, "max": 1},
    )
    assert EXHAUSTIVE_LIMIT >= 500
    problems = validate_question(spec)
    assert problems == [("answer.formula", "for a=13, b=17: division by zero")]


def test_generating_from_a_broken_template_raises_generation_failed():
    broken = calculated(variables={"dose": {"choices": [100]}, "strength": {"choices": [0]}})
    with pytest.raises(GenerationFailed):
        generate_question(broken, 0)


def test_instance_numbers_are_written_without_exponents():
    for seed in range(40):
        instance = generate_question(CALCULATED, seed)
        for text in [instance["answer"], *instance["values"].values()]:
            assert "E" not in text and "e" not in text, text


# ---- bounded work: the probe's 300 derived values took 81 s -----------------------------------


def _chain(length: int) -> dict:
    """Derived values d0 … dN, each using the one before, written in reverse order."""
    chain = {"d0": "dose * 1", **{f"d{i}": f"d{i - 1} + 0" for i in range(1, length)}}
    return dict(reversed(list(chain.items())))


def test_derived_values_are_ordered_by_what_they_use_then_by_name():
    from trainer.questions.calculated import _derived_order

    assert _derived_order({"c": "a + b", "b": "a * 2", "a": "1", "z": "1", "m": "z"}) == ["a", "b", "c", "z", "m"]
    assert _derived_order(_chain(50)) == [f"d{i}" for i in range(50)]


def test_a_circle_of_derived_values_is_named():
    spec = calculated(derived={"a": "b + 1", "b": "c + 1", "c": "a + 1", "ok": "dose"})
    assert ("derived", "derived values refer to each other in a circle: a, b, c") in validate_question(spec)


def test_the_derived_order_is_worked_out_once_per_template_not_per_draw(monkeypatch):
    from trainer.questions import calculated as module

    module._ordered.cache_clear()
    spec = calculated(derived={"twice": "dose * 2", "half": "twice / 4"},
                      stem="Give {dose} mg ({twice}, {half}).")
    assert validate_question(spec) == []
    for seed in range(20):
        generate_question(spec, seed)
    info = module._ordered.cache_info()
    assert info.misses == 1 and info.hits >= 20


def test_more_than_a_hundred_derived_values_are_refused():
    spec = calculated(derived=_chain(101))
    assert ("derived", "at most 100 derived values") in validate_question(spec)


def test_derived_formulas_too_long_together_are_refused():
    long = " + ".join(["dose * 0.001"] * 12)  # 50 parts each
    spec = calculated(derived={f"d{i}": long for i in range(25)})
    assert any(field == "derived" and "too long together" in message for field, message in validate_question(spec))


@pytest.mark.parametrize("where", ["derived", "answer"])
def test_a_formula_written_as_1e999_is_a_clear_problem_not_infinity(where):
    if where == "derived":
        spec = calculated(derived={"big": "1e999"}, stem="Give {dose} mg; {big}.")
    else:
        spec = calculated(answer={"formula": "dose * 1e999", "round_to": "1"})
    problems = validate_question(spec)
    assert any("too large" in message for _, message in problems), problems


# ---- hints fit every draw --------------------------------------------------------------


def test_a_hint_that_does_not_fit_some_draw_is_reported_with_that_draw():
    spec = calculated(explanation="A dose smaller than the strength per 5 mL must come out under 5 mL.")
    (problem,) = [p for p in validate_question(spec) if p[0] == "explanation"]
    assert "says the answer is under 5 mL, but it is" in problem[1]
    assert problem[1].startswith("for dose=")  # the draw it fails on, so the author can see why


def test_a_hint_in_the_drawn_numbers_fits_every_draw():
    spec = calculated(explanation="5 mL holds {strength} mg, so {dose} mg needs 5 mL × {dose} ÷ {strength}.")
    assert validate_question(spec) == []


def test_a_hint_about_another_unit_is_not_read_as_a_claim_about_the_answer():
    spec = calculated(explanation="Doses under 5 mg are rare; measure with an oral syringe.")
    assert validate_question(spec) == []


def test_wrong_answer_feedback_is_checked_too():
    spec = calculated(feedback_wrong="The answer is at most 10 mL: check your division.")
    assert [field for field, _ in validate_question(spec)] == ["feedback_wrong"]


@pytest.mark.parametrize(
    ("text", "answer", "fits"),
    [("under 5 mL", "4.9", True), ("under 5 mL", "5", False), ("at most 5 mL", "5", True),
     ("more than 2 tablets", "2", False), ("at least 2 tablets", "2", True), ("over 1,000 mL", "1000.5", True)],
)
def test_claims_about_the_answer_are_read_as_a_pharmacist_would(text, answer, fits):
    from trainer.questions.calculated import unfit_claim

    unit = "tablets" if "tablet" in text else "mL"
    assert (unfit_claim(f"The answer is {text}.", Decimal(answer), unit) is None) == fits
