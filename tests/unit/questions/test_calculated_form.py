"""A calculated question's template as a form and back: every shipped template survives the
round trip and still draws the same numbers, answers and working; typed text comes back as
typed; what only the form can get wrong (a name used twice) is reported by row; and a template
the form cannot show without changing it is left to the YAML view."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trainer.questions import validate_question
from trainer.questions.bank import load_bank_dir
from trainer.questions.calculated_form import (
    CalculatedFields,
    NamedRow,
    NotRepresentable,
    VariableRow,
    form_fields,
    spec_from_fields,
)
from trainer.questions.question import COMMON_FIELDS, generate_question

BANK = Path(__file__).resolve().parents[3] / "question_bank"


def _shipped_templates() -> list[dict]:
    bank = load_bank_dir(BANK)
    return [q for q in bank.questions.values() if q["type"] == "calculated"]


SHIPPED = _shipped_templates()


def _spec(question: dict) -> dict:
    return {k: v for k, v in question.items() if k not in COMMON_FIELDS}


def test_there_are_shipped_templates_to_try():
    assert len(SHIPPED) >= 20


@pytest.mark.parametrize("question", SHIPPED, ids=lambda q: q["id"])
def test_every_shipped_template_survives_the_form_and_draws_the_same(question):
    spec, problems = spec_from_fields(form_fields(_spec(question)))
    assert problems == []
    again = {**{k: v for k, v in question.items() if k in COMMON_FIELDS}, **spec}
    assert validate_question(again) == []
    for seed in (1, 2, 3, 99):
        assert generate_question(again, seed) == generate_question(question, seed)


def test_the_form_shows_ranges_choices_the_family_and_the_settings():
    fields = form_fields({
        "variables": {"dose": {"min": 100, "max": 500, "step": 50}, "strength": {"choices": [125, 250, 400]}},
        "derived": {"dose_g": "dose / 1000"},
        "answer": {"family": "dose_volume", "params": {"dose": "{dose} mg", "concentration": "{strength} mg/5 mL"},
                   "round_to": "0.1"},
        "unit": "mL", "tolerance": 0.05, "sanity": {"min": 0.5, "max": 60},
        "safety": {"naked_decimal": "penalise"},
    })
    assert fields.variables == [VariableRow("dose", "100", "500", "50"), VariableRow("strength", choices="125, 250, 400")]
    assert fields.derived == [NamedRow("dose_g", "dose / 1000")]
    assert (fields.method, fields.family, fields.answer_round_to) == ("family", "dose_volume", "0.1")
    assert fields.params == [NamedRow("dose", "{dose} mg"), NamedRow("concentration", "{strength} mg/5 mL")]
    assert (fields.unit, fields.tolerance, fields.sanity_min, fields.sanity_max) == ("mL", "0.05", "0.5", "60")
    assert fields.more == {"safety": {"naked_decimal": "penalise"}}  # no input of its own: kept as it is


def test_a_formula_answer_leaves_the_family_empty():
    fields = form_fields({"variables": {"x": {"min": 1, "max": 2, "step": 1}}, "answer": {"formula": "x * 2"}})
    assert (fields.method, fields.formula, fields.family, fields.params) == ("formula", "x * 2", "", [])


def test_blank_rows_are_ignored_and_numbers_are_numbers():
    fields = CalculatedFields(
        variables=[VariableRow("weight", "10", "40", "2.5"), VariableRow()],
        method="formula", formula="weight * 15", tolerance_percent="1", sanity_min="0", sanity_max="1000",
        unit="mg", unit_required=True, accept_equivalent_units=False, round_to="1",
        derived=[NamedRow()], params=[NamedRow()],
    )
    spec, problems = spec_from_fields(fields)
    assert problems == []
    assert spec == {
        "variables": {"weight": {"min": 10, "max": 40, "step": 2.5}},
        "answer": {"formula": "weight * 15"},
        "unit": "mg", "unit_required": True, "tolerance_percent": 1, "round_to": "1",
        "accept_equivalent_units": False, "sanity": {"min": 0, "max": 1000},
    }


def test_what_the_validator_rejects_is_kept_as_typed():
    spec, problems = spec_from_fields(CalculatedFields(
        variables=[VariableRow("dose", "ten", "", "5")], family="no_such_family",
        params=[NamedRow("dose", "{dose} mg")], tolerance="a bit"))
    assert problems == []
    assert spec["variables"] == {"dose": {"min": "ten", "step": 5}}
    assert spec["answer"] == {"family": "no_such_family", "params": {"dose": "{dose} mg"}}
    assert spec["tolerance"] == "a bit"


def test_a_name_used_twice_or_missing_is_reported_by_its_row():
    _, problems = spec_from_fields(CalculatedFields(
        variables=[VariableRow("dose", "1", "2", "1"), VariableRow("dose", "3", "4", "1"), VariableRow("", "1")],
        derived=[NamedRow("", "dose * 2")], params=[NamedRow("dose", "1"), NamedRow("dose", "2")]))
    assert problems == [
        ("variables[1]", "dose is already a variable above"),
        ("variables[2]", "give the variable a name"),
        ("derived[0]", "give the value a name"),
        ("answer.params[1]", "dose is given twice"),
    ]


def test_a_setting_given_in_the_form_and_in_more_settings_is_reported():
    _, problems = spec_from_fields(CalculatedFields(unit="mL", more={"unit": "mg"}))
    assert problems == [("more", "unit has its own input in the form; remove it here")]


@pytest.mark.parametrize("spec, reason", [
    ({"variables": {"drug": {"choices": ["amoxicillin, 250 mg"]}}}, "holds a comma"),
    ({"variables": {"dose": {"choices": ["250"]}}}, "number written as text"),
    ({"variables": {"dose": {"min": 1, "max": 2, "step": 1, "choices": [1]}}}, "mixes choices"),
    ({"variables": {"dose": [1, 2]}}, "not a range"),
    ({"answer": {"family": "dose_volume", "formula": "1"}}, "both a family and a formula"),
    ({"answer": {"formula": "1", "shortcut": True}}, "does not know"),
    ({"unit_required": "yes"}, "not true or false"),
    ({"sanity": {"min": 1, "max": 2, "typical": 1.5}}, "plausible range"),
])
def test_a_template_the_form_cannot_show_exactly_is_refused_with_a_reason(spec, reason):
    with pytest.raises(NotRepresentable) as raised:
        form_fields(spec)
    assert reason in raised.value.reason


_names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_numbers = st.one_of(st.integers(-10_000, 10_000).map(str),
                     st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False)
                     .map(lambda d: format(d.normalize(), "f")).filter(lambda t: "." in t))
_rows = st.lists(st.builds(VariableRow, name=_names, min=_numbers, max=_numbers, step=_numbers),
                 max_size=4, unique_by=lambda row: row.name)


@given(rows=_rows, family=st.sampled_from(["dose_volume", "ratio_strength", ""]),
       params=st.lists(st.builds(NamedRow, name=_names, value=st.sampled_from(["{dose} mg", "5 mL", "2"])),
                       max_size=3, unique_by=lambda row: row.name),
       tolerance=st.one_of(st.just(""), _numbers), round_to=st.sampled_from(["", "0.1", "1", "0.25"]))
def test_what_the_form_writes_it_reads_back_the_same(rows, family, params, tolerance, round_to):
    fields = CalculatedFields(variables=rows, family=family, params=params, tolerance=tolerance,
                              answer_round_to=round_to)
    spec, problems = spec_from_fields(fields)
    assert problems == []
    again = form_fields(spec)
    assert spec_from_fields(again)[0] == spec
    assert [row.name for row in again.variables] == [row.name for row in rows]
    assert again.family == family and again.answer_round_to == round_to
