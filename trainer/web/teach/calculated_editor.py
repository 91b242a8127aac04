"""The calculated question's template in the editor: a form, or YAML, and a switch between them.

The form's inputs are read into trainer.questions.calculated_form.CalculatedFields and turned
into the same spec the YAML box would hold; the editor then validates, previews and saves it
exactly as it does YAML, and each problem the validator reports is put beside the input it
belongs to. Rows are numbered inputs (calc-var-0-name …) with spare empty rows, so the form
works without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainer.calc import FAMILIES
from trainer.content.source import ImportFailed, load_yaml
from trainer.questions.bank import plain_data
from trainer.questions.calculated_form import (
    CalculatedFields,
    NamedRow,
    NotRepresentable,
    VariableRow,
    form_fields,
    spec_from_fields,
)
from trainer.web.teach.question_forms import FORM_FIELDS, TYPE_TEMPLATES, as_yaml, unix_newlines

SPARE_ROWS = 2
MAX_ROWS = 40  # rows read back from a post; a template with more is written in YAML
VARIABLE_KEYS = ("name", "min", "max", "step", "choices")
SETTINGS = ("unit", "unit_required", "tolerance", "tolerance_percent", "round_to", "accept_equivalent_units")


@dataclass
class CalculatedEditor:
    """What the editor shows for a calculated question: which view, the form's inputs and their errors."""

    view: str = "form"  # "form" | "yaml"
    fields: CalculatedFields = field(default_factory=CalculatedFields)
    errors: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None  # why the form is not offered for this template
    more_text: str | None = None  # the "more settings" box as typed (kept even when it is not YAML)

    @property
    def families(self):
        """The calculation families to choose from, by title."""
        return sorted(FAMILIES.values(), key=lambda family: family.title)

    @property
    def family(self):
        return FAMILIES.get(self.fields.family)

    def rows(self, kind: str) -> list:
        """The rows to show: those posted or saved (empty ones at the end left out), then spare ones.

        Rows keep their numbers, so a problem found in row 3 is shown beside row 3.
        """
        rows = list(getattr(self.fields, kind))
        while rows and rows[-1].blank():
            rows.pop()
        if kind == "params" and not rows and self.family is not None:
            # a family chosen and nothing typed yet: one row for each value it takes
            rows = [NamedRow(param.name) for param in self.family.params]
        make = VariableRow if kind == "variables" else NamedRow
        return [*rows, *(make() for _ in range(SPARE_ROWS))]

    def more_yaml(self) -> str:
        return self.more_text if self.more_text is not None else as_yaml(self.fields.more)

    def summary(self) -> list[tuple[str, str]]:
        """(input id, what it is) for each input with a problem, to link from the top of the page."""
        return [_anchor(key) for key in self.errors]

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _spec_of(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in FORM_FIELDS and k != "type"}


def for_saved(data: dict) -> CalculatedEditor:
    """The editor for a saved question: the form, unless the template needs YAML to be shown exactly."""
    try:
        return CalculatedEditor("form", form_fields(_spec_of(data)))
    except NotRepresentable as refused:
        return CalculatedEditor("yaml", note=_yaml_only(refused.reason))


def for_new() -> CalculatedEditor:
    """The editor for a new calculated question: the example template, in the form."""
    return CalculatedEditor("form", form_fields(load_yaml(TYPE_TEMPLATES["calculated"], "example")))


def _yaml_only(reason: str) -> str:
    return f"This template is edited as YAML: the form cannot show it without changing it ({reason})."


def read_fields(formdata) -> tuple[CalculatedFields, list[tuple[str, str]]]:
    """The form's inputs from a post, and a problem if the "more settings" box is not YAML fields."""
    def text(name: str) -> str:
        return unix_newlines(formdata.get(f"calc-{name}", ""))

    def rows(prefix: str, keys: tuple[str, ...], make) -> list:
        found = []
        for index in range(MAX_ROWS):
            if not any(f"calc-{prefix}-{index}-{key}" in formdata for key in keys):
                continue
            found.append(make(*(text(f"{prefix}-{index}-{key}") for key in keys)))
        return found

    problems: list[tuple[str, str]] = []
    more: dict = {}
    more_text = text("more")
    if more_text.strip():
        try:
            node = load_yaml(more_text, "more settings")
        except ImportFailed as failed:
            problem = failed.problems[0]
            problems.append(("more", (f"line {problem.line}: " if problem.line else "") + problem.message))
        else:
            if isinstance(node, dict):
                more = plain_data(node)
            elif node is not None:
                problems.append(("more", "must be YAML fields such as `safety: {naked_decimal: penalise}`"))
    fields = CalculatedFields(
        variables=rows("var", VARIABLE_KEYS, VariableRow),
        derived=rows("der", ("name", "value"), NamedRow),
        method="formula" if formdata.get("calc-method") == "formula" else "family",
        family=text("family").strip(),
        params=rows("param", ("name", "value"), NamedRow),
        result=text("result"), formula=text("formula"), answer_round_to=text("answer_round_to"),
        unit=text("unit"), unit_required=bool(formdata.get("calc-unit_required")),
        accept_equivalent_units=bool(formdata.get("calc-accept_equivalent_units")),
        tolerance=text("tolerance"), tolerance_percent=text("tolerance_percent"), round_to=text("round_to"),
        sanity_min=text("sanity_min"), sanity_max=text("sanity_max"), more=more,
    )
    return fields, problems


def from_post(form, formdata) -> CalculatedEditor:
    """Read a post in the view it was made from; in the form view, write the spec into the YAML box.

    The rest of the editor then reads the YAML box as always, so the form and YAML views
    are validated, previewed and saved by one path.
    """
    if formdata.get("spec_view") != "form":  # the YAML view, or a post from a script or an older page
        return CalculatedEditor("yaml")
    fields, problems = read_fields(formdata)
    editor = CalculatedEditor("form", fields, more_text=unix_newlines(formdata.get("calc-more", "")))
    spec, own = spec_from_fields(fields)
    for where, message in [*problems, *own]:
        editor.add(_key(where, fields), message)
    if not problems:
        form.spec.data = as_yaml(spec)
    return editor


def switch(editor: CalculatedEditor, form, target: str) -> CalculatedEditor:
    """Show the other view of the same template; a template the form cannot show stays in YAML."""
    if target == "yaml":
        if editor.errors:  # the form's own problems (a name twice…) are fixed in the form
            return editor
        return CalculatedEditor("yaml")
    try:
        node = load_yaml(unix_newlines(form.spec.data), "type fields") if (form.spec.data or "").strip() else {}
    except ImportFailed as failed:
        form.spec.errors = [*form.spec.errors, f"The form cannot show this: {failed.problems[0].message}"]
        return CalculatedEditor("yaml")
    if not isinstance(node, dict):
        form.spec.errors = [*form.spec.errors, "The form cannot show this: it is not YAML fields."]
        return CalculatedEditor("yaml")
    try:
        return CalculatedEditor("form", form_fields(plain_data(node)))
    except NotRepresentable as refused:
        form.spec.errors = [*form.spec.errors, _yaml_only(refused.reason)]
        return CalculatedEditor("yaml")


def place_problems(editor: CalculatedEditor, form, problems: list[tuple[str, str]]) -> None:
    """In the form view, put the validator's problems with the template beside the form's inputs.

    The editor has put them on the (hidden) YAML box; the problems with the stem and the
    other common inputs are already beside those.
    """
    if editor.view != "form":
        return
    form.spec.errors = []
    for where, message in problems:
        root = where.split(".", 1)[0].split("[", 1)[0]
        if root in FORM_FIELDS:
            continue
        editor.add(_key(where, editor.fields), _detail(where, message))


def _detail(where: str, message: str) -> str:
    """The message with the part of the path the input does not already say (min:, step:)."""
    parts = where.split(".")
    if parts[0] == "variables" and len(parts) > 2:
        return f"{parts[2]}: {message}"
    return message


def _key(where: str, fields: CalculatedFields) -> str:
    """Which input a problem belongs to, from its path (variables.dose.step → the row of dose)."""
    if where.startswith("variables["):
        return "var-" + where[len("variables["):].split("]")[0]
    if where.startswith("derived["):
        return "der-" + where[len("derived["):].split("]")[0]
    if where.startswith("answer.params["):
        return "param-" + where[len("answer.params["):].split("]")[0]
    parts = where.split(".")
    if parts[0] == "variables":
        return _row_key("var", fields.variables, parts[1] if len(parts) > 1 else None, "variables")
    if parts[0] == "derived":
        return _row_key("der", fields.derived, parts[1] if len(parts) > 1 else None, "derived")
    if parts[0] == "answer":
        if len(parts) == 1:
            return "answer"
        if parts[1] == "params":
            return _row_key("param", fields.params, parts[2] if len(parts) > 2 else None, "params")
        return {"family": "family", "formula": "formula", "result": "result",
                "round_to": "answer_round_to"}.get(parts[1], "answer")
    if parts[0] in SETTINGS:
        return parts[0]
    if parts[0] == "sanity":
        return "sanity"
    return "more"


def _row_key(prefix: str, rows: list, name: str | None, fallback: str) -> str:
    for index, row in enumerate(rows):
        if name is not None and row.name.strip() == name:
            return f"{prefix}-{index}"
    return fallback


_LABELS = {
    "variables": ("calc-var-0-name", "Variables"), "derived": ("calc-der-0-name", "Worked-out values"),
    "params": ("calc-param-0-name", "The family's values"), "answer": ("calc-family", "The answer"),
    "family": ("calc-family", "Calculation family"), "formula": ("calc-formula", "Formula"),
    "result": ("calc-result", "Which of the family's results"),
    "answer_round_to": ("calc-answer_round_to", "Round the key to"), "unit": ("calc-unit", "Unit of the answer"),
    "unit_required": ("calc-unit", "Unit required"), "accept_equivalent_units": ("calc-unit", "Other units"),
    "tolerance": ("calc-tolerance", "Tolerance"), "tolerance_percent": ("calc-tolerance_percent", "Tolerance in per cent"),
    "round_to": ("calc-round_to", "The learner must round to"), "sanity": ("calc-sanity_min", "Plausible answers"),
    "more": ("calc-more", "More settings"),
}
_ROWS = {"var": "Variable", "der": "Worked-out value", "param": "The family's value"}


def _anchor(key: str) -> tuple[str, str]:
    prefix, _, number = key.partition("-")
    if prefix in _ROWS and number.isdigit():
        return f"calc-{key}-name", f"{_ROWS[prefix]} {int(number) + 1}"
    return _LABELS.get(key, ("calc-more", "More settings"))
