"""The calculator page: every calculation family, each with its own form and worked steps."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from trainer.calc import FAMILIES, CalcError, solve
from trainer.extensions import limiter
from trainer.questions.answers import SAFETY_ADVICE, SAFETY_FORMS, error_prone_forms
from trainer.rx.abbreviations import DO_NOT_USE_FORMS

bp = Blueprint("calc", __name__, url_prefix="/calculator", template_folder="templates")

MAX_INPUT_LENGTH = 80


def _calc_limit() -> str:
    return current_app.config["CALC_RATE_LIMIT"]


def _sentence(text: str | None) -> str:
    """Help text as a sentence of its own, so two texts never run together."""
    text = (text or "").strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def writing_warnings(family, form) -> list[dict]:
    """The error-prone forms in what was typed, field by field, with the grader's own advice:
    the calculator works the answer but says what a quiz would mark down."""
    warnings = []
    for param in family.params:
        typed = (getattr(form, param.name).data or "").strip()
        forms = error_prone_forms(typed)
        if forms:
            warnings.append({
                "label": param.label, "typed": typed, "advice": [SAFETY_ADVICE[f] for f in forms],
                "loses_mark": any(f in DO_NOT_USE_FORMS for f in forms),
            })
    return warnings


def family_form_class(family) -> type[FlaskForm]:
    """A form class with one text field per parameter of `family`, plus the rounding override."""
    fields = {}
    for param in family.params:
        fields[param.name] = StringField(
            param.label,
            description=" ".join(filter(None, (_sentence(param.help), _sentence(f"For example: {param.example}")))),
            validators=[Optional(), Length(max=MAX_INPUT_LENGTH, message="That is too long.")],
        )
    fields["round_to"] = StringField(
        "Round to (optional)",
        description=f"Overrides the usual rule ({family.rounding}). A step such as 0.1, 0.01 or 1.",
        validators=[Optional(), Length(max=20, message="That is too long.")],
    )
    return type(f"{family.name.title().replace('_', '')}Form", (FlaskForm,), fields)


@bp.get("/")
def calculator():
    return render_template("calc/index.html", families=FAMILIES.values())


@bp.get("/how-amounts-are-marked")
def amount_policy():
    """The one policy on error-prone ways of writing amounts, for quizzes, checks and the calculator."""
    forms = [(form, SAFETY_ADVICE[form], form in DO_NOT_USE_FORMS) for form in SAFETY_FORMS]
    return render_template("calc/amount_policy.html", forms=forms)


@bp.route("/<name>", methods=["GET", "POST"])
@limiter.limit(_calc_limit, methods=["POST"])
def family_page(name: str):
    family = FAMILIES.get(name)
    if family is None:
        abort(404)
    form = family_form_class(family)()
    result, general_error, warnings = None, None, []
    if request.method == "GET" and "example" in request.args:
        for param_name, value in family.example_params().items():
            getattr(form, param_name).data = value
    if form.validate_on_submit():
        params = {
            p.name: getattr(form, p.name).data.strip()
            for p in family.params
            if (getattr(form, p.name).data or "").strip()
        }
        warnings = writing_warnings(family, form)
        try:
            result = solve(family.name, round_to=(form.round_to.data or "").strip() or None, **params)
        except CalcError as exc:
            field = getattr(form, exc.field, None) if exc.field else None
            if field is not None and field.name != "csrf_token":
                field.errors = [*field.errors, exc.message]
            else:
                general_error = exc.message
    status = 400 if request.method == "POST" and (form.errors or general_error) else 200
    return render_template(
        "calc/family.html", family=family, form=form, result=result,
        general_error=general_error, families=FAMILIES.values(), warnings=warnings,
    ), status
