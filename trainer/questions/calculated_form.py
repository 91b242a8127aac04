"""A calculated question's template as the fields of a form, and back.

The editor offers the template as a form (variables with ranges or choices, derived values,
the answer from a calculation family or a formula, units, rounding, tolerance and the range of
plausible answers) or as YAML. Both are views of one spec, so an author can switch between
them: `form_fields` turns a spec into the form's text, `spec_from_fields` turns the text back
into a spec. Everything is text in the form, so a value the validator rejects is shown again
as typed. Settings the form has no input for (safety, say) travel in its "more settings" box.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from trainer.questions.registry import Problems

# The spec fields the form has inputs for; any other field goes to the "more settings" box.
FORM_KEYS = ("variables", "derived", "answer", "unit", "unit_required", "tolerance", "tolerance_percent",
             "round_to", "accept_equivalent_units", "sanity")
ANSWER_KEYS = ("family", "params", "formula", "result", "round_to")
_INTEGER = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?(\d+\.\d*|\.\d+)")


class NotRepresentable(ValueError):
    """A spec the form cannot show without changing it; the author edits it as YAML instead."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass
class VariableRow:
    """One drawn variable: a range (min, max, step) or a list of choices, as typed."""

    name: str = ""
    min: str = ""
    max: str = ""
    step: str = ""
    choices: str = ""  # comma-separated

    def blank(self) -> bool:
        return not any((self.name, self.min, self.max, self.step, self.choices))


@dataclass
class NamedRow:
    """A derived value (name = formula) or a family parameter (name = value), as typed."""

    name: str = ""
    value: str = ""

    def blank(self) -> bool:
        return not (self.name or self.value)


@dataclass
class CalculatedFields:
    """The calculated-question form's inputs, all as text (check boxes as booleans)."""

    variables: list[VariableRow] = field(default_factory=list)
    derived: list[NamedRow] = field(default_factory=list)
    method: str = "family"  # "family" | "formula"
    family: str = ""
    params: list[NamedRow] = field(default_factory=list)
    result: str = ""
    formula: str = ""
    answer_round_to: str = ""
    unit: str = ""
    unit_required: bool = False
    accept_equivalent_units: bool = True
    tolerance: str = ""
    tolerance_percent: str = ""
    round_to: str = ""
    sanity_min: str = ""
    sanity_max: str = ""
    more: dict = field(default_factory=dict)  # the other spec fields, unchanged


# ---- spec → form ----------------------------------------------------------------------


def _text(value: object, where: str) -> str:
    """A number or text from the spec as the form shows it; anything else cannot be shown."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise NotRepresentable(f"{where} is not a number or text")
    if isinstance(value, str):
        if value != value.strip():
            raise NotRepresentable(f"{where} starts or ends with spaces")
        if _number(value) is not value:
            # "250" written as text is not the number 250 to the template
            raise NotRepresentable(f"{where} is a number written as text")
        return value
    return _float_text(value) if isinstance(value, float) else str(value)


def _float_text(value: float) -> str:
    """A float as plain decimal text: 0.00005, not 5e-05, which a learner's setting cannot read."""
    return format(Decimal(repr(value)), "f")


def _number(text: str) -> int | float | str:
    """Typed text as the number it reads as, or the text itself."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        number = float(text)
        # keep the text when a float would not hold it exactly (too many digits)
        return number if Decimal(repr(number)) == Decimal(text) else text
    return text


def _mapping(value: object, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise NotRepresentable(f"{where} is not a list of names")
    return value


def form_fields(spec: dict) -> CalculatedFields:
    """The form's inputs for a calculated spec; raise NotRepresentable if the form cannot show it all."""
    fields = CalculatedFields(more={k: v for k, v in spec.items() if k not in FORM_KEYS})
    for name, variable in _mapping(spec.get("variables"), "variables").items():
        where = f"variable {name}"
        if not isinstance(variable, dict):
            raise NotRepresentable(f"{where} is not a range or a list of choices")
        if "choices" in variable:
            choices = variable["choices"]
            if set(variable) != {"choices"} or not isinstance(choices, list):
                raise NotRepresentable(f"{where} mixes choices with other settings")
            texts = [_text(choice, f"a choice of {where}") for choice in choices]
            if any("," in text or not text for text in texts):
                raise NotRepresentable(f"a choice of {where} holds a comma or is empty")
            fields.variables.append(VariableRow(str(name), choices=", ".join(texts)))
        else:
            if not set(variable) <= {"min", "max", "step"}:
                raise NotRepresentable(f"{where} has settings the form does not know")
            fields.variables.append(VariableRow(
                str(name), *(_text(variable.get(key), f"{key} of {where}") for key in ("min", "max", "step"))))
    for name, formula in _mapping(spec.get("derived"), "derived").items():
        if not isinstance(formula, str):
            raise NotRepresentable(f"the derived value {name} is not a formula")
        fields.derived.append(NamedRow(str(name), _text(formula, f"the formula of {name}")))
    answer = spec.get("answer")
    if answer is not None:
        if not isinstance(answer, dict) or not set(answer) <= set(ANSWER_KEYS):
            raise NotRepresentable("the answer has settings the form does not know")
        if "family" in answer and "formula" in answer:
            raise NotRepresentable("the answer gives both a family and a formula")
        fields.method = "formula" if "formula" in answer else "family"
        fields.family = _text(answer.get("family"), "the family")
        fields.formula = _text(answer.get("formula"), "the formula")
        fields.result = _text(answer.get("result"), "the result")
        fields.answer_round_to = _step_text(answer.get("round_to"), "the answer's rounding")
        for name, value in _mapping(answer.get("params"), "the parameters").items():
            # A family reads its parameters as text ("3", "{dose} mg"), numbers too.
            fields.params.append(NamedRow(str(name), _step_text(value, f"parameter {name}")))
    fields.unit = _text(spec.get("unit"), "the unit")
    for name in ("unit_required", "accept_equivalent_units"):
        if name in spec and not isinstance(spec[name], bool):
            raise NotRepresentable(f"{name.replace('_', ' ')} is not true or false")
    fields.unit_required = spec.get("unit_required") is True
    fields.accept_equivalent_units = spec.get("accept_equivalent_units", True) is not False
    fields.tolerance = _text(spec.get("tolerance"), "the tolerance")
    fields.tolerance_percent = _text(spec.get("tolerance_percent"), "the tolerance in per cent")
    fields.round_to = _step_text(spec.get("round_to"), "the rounding")
    sanity = spec.get("sanity")
    if sanity is not None:
        if not isinstance(sanity, dict) or not set(sanity) <= {"min", "max"}:
            raise NotRepresentable("the plausible range is not {min, max}")
        fields.sanity_min = _text(sanity.get("min"), "the plausible minimum")
        fields.sanity_max = _text(sanity.get("max"), "the plausible maximum")
    return fields


def _step_text(step: object, where: str) -> str:
    """A rounding step as the form shows it: the bank's files write it as text ("0.1") or a number."""
    if step is None:
        return ""
    if isinstance(step, str) and step == step.strip():
        return step
    if isinstance(step, (int, float)) and not isinstance(step, bool):
        return _float_text(step) if isinstance(step, float) else str(step)
    raise NotRepresentable(f"{where} is not a number")


# ---- form → spec ----------------------------------------------------------------------


def spec_from_fields(fields: CalculatedFields) -> tuple[dict, Problems]:
    """The spec the form describes, and problems only the form can have (a name used twice).

    Everything else (a missing step, an unknown family, an answer out of range) is the
    validator's to say; the spec carries what was typed so it can.
    """
    problems: Problems = []
    spec: dict = {}
    variables: dict = {}
    for index, row in enumerate(fields.variables):
        if row.blank():
            continue
        name = row.name.strip()
        if not name:
            problems.append((f"variables[{index}]", "give the variable a name"))
            continue
        if name in variables:
            problems.append((f"variables[{index}]", f"{name} is already a variable above"))
            continue
        if row.choices.strip():
            variable: dict = {"choices": [_number(c.strip()) for c in row.choices.split(",") if c.strip()]}
            for key in ("min", "max", "step"):  # the validator says "not both"
                if getattr(row, key).strip():
                    variable[key] = _number(getattr(row, key).strip())
        else:
            variable = {key: _number(getattr(row, key).strip()) for key in ("min", "max", "step")
                        if getattr(row, key).strip()}
        variables[name] = variable
    spec["variables"] = variables
    derived = _named(fields.derived, "derived", "value", problems)
    if derived:
        spec["derived"] = derived
    answer: dict = {}
    if fields.method == "formula":
        answer["formula"] = fields.formula.strip()
    else:
        answer["family"] = fields.family.strip()
        # A named value left empty is one not given: the form lists every value a family
        # takes, optional ones too.
        params = _named([row for row in fields.params if row.value.strip()], "answer.params", "parameter",
                        problems, rows_shown=fields.params)
        if params:  # none at all is the validator's to report
            answer["params"] = params
        if fields.result.strip():
            answer["result"] = fields.result.strip()
    if fields.answer_round_to.strip():
        answer["round_to"] = fields.answer_round_to.strip()
    spec["answer"] = answer
    if fields.unit.strip():
        spec["unit"] = fields.unit.strip()
    if fields.unit_required:
        spec["unit_required"] = True
    for name in ("tolerance", "tolerance_percent"):
        if getattr(fields, name).strip():
            spec[name] = _number(getattr(fields, name).strip())
    if fields.round_to.strip():
        spec["round_to"] = fields.round_to.strip()
    if not fields.accept_equivalent_units:
        spec["accept_equivalent_units"] = False
    sanity = {key: _number(getattr(fields, f"sanity_{key}").strip()) for key in ("min", "max")
              if getattr(fields, f"sanity_{key}").strip()}
    if sanity:
        spec["sanity"] = sanity
    for name, value in fields.more.items():
        if name in spec or name in FORM_KEYS:
            problems.append(("more", f"{name} has its own input in the form; remove it here"))
        else:
            spec[name] = value
    return spec, problems


def _named(rows: list[NamedRow], where: str, what: str, problems: Problems, *,
           rows_shown: list[NamedRow] | None = None) -> dict:
    """The rows as a mapping; problems are numbered by the row as shown (`rows_shown`, default `rows`)."""
    result: dict = {}
    shown = rows_shown if rows_shown is not None else rows
    for row in rows:
        index = next(i for i, candidate in enumerate(shown) if candidate is row)
        if row.blank():
            continue
        name = row.name.strip()
        if not name:
            problems.append((f"{where}[{index}]", f"give the {what} a name"))
        elif name in result:
            problems.append((f"{where}[{index}]", f"{name} is given twice"))
        else:
            result[name] = row.value.strip()
    return result
