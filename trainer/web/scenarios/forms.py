"""The forms of the player's steps. Choices come from the scenario (profiles, shelf, kinds of
problem); what a step means is graded by the rules core, never here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.web.forms import QuickSelectField

MARK_ROWS = 4
# NCPDP Dispense As Written (DAW)/Product Selection Code (408-D8)
DAW_CODES = [
    ("0", "0 – No product selection indicated"),
    ("1", "1 – Substitution not allowed by prescriber"),
    ("2", "2 – Substitution allowed, patient requested product dispensed"),
    ("3", "3 – Substitution allowed, pharmacist selected product dispensed"),
    ("4", "4 – Substitution allowed, generic not in stock"),
    ("5", "5 – Substitution allowed, brand dispensed as generic"),
    ("6", "6 – Override"),
    ("7", "7 – Substitution not allowed, brand mandated by law"),
    ("8", "8 – Substitution allowed, generic not available in marketplace"),
    ("9", "9 – Substitution allowed by prescriber but plan requests brand"),
]


class WholeNumberField(IntegerField):
    """A whole number whose "not a number" message says what to type (given as `message`)."""

    def __init__(self, label=None, validators=None, *, message: str = "Give a whole number.", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.not_a_number) from None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MarkForm(Form):
    """One problem the learner marks: which field, and what kind of problem."""

    field = QuickSelectField("Field", choices=[], default="")
    kind = QuickSelectField("Problem", choices=[], default="")

    def validate_kind(self, kind):
        if self.field.data and not kind.data:
            raise ValidationError("Choose what is wrong with this field.")
        if kind.data and not self.field.data:
            raise ValidationError("Choose the field this problem is in.")


def _set_mark_choices(form, fields, kinds) -> None:
    for row in form.marks:
        row.form.field.choices = [("", "— field —"), *fields]
        row.form.kind.choices = [("", "— problem —"), *kinds]


class ReviewForm(FlaskForm):
    """Step 1: can it be filled as written? Mark each problem, then decide."""

    action = RadioField("What do you do with this prescription?", choices=[
        ("fill", "Fill it"),
        ("contact_prescriber", "Contact the prescriber"),
        ("route_to_pharmacist", "Route it to the pharmacist"),
    ], validators=[InputRequired("Choose what you do with the prescription.")])
    marks = FieldList(FormField(MarkForm), min_entries=MARK_ROWS, max_entries=MARK_ROWS)

    def set_choices(self, fields, kinds) -> None:
        _set_mark_choices(self, fields, kinds)

    def response(self) -> dict:
        return {"action": self.action.data,
                "marks": [{"field": m.form.field.data, "kind": m.form.kind.data}
                          for m in self.marks if m.form.field.data]}


def _decimal(field) -> None:
    try:
        value = Decimal(str(field.data).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("Give the quantity as a number, e.g. 30 or 150.") from None
    if not value.is_finite() or value <= 0 or value > 100000:
        raise ValidationError("Give a quantity greater than 0.")


class EntryForm(FlaskForm):
    """Step 2: enter the prescription in the pharmacy system."""

    patient = RadioField("Patient profile", choices=[], validators=[InputRequired("Pick the patient's profile.")])
    prescriber = RadioField("Prescriber", choices=[], validators=[InputRequired("Pick the prescriber.")])
    drug = QuickSelectField("Drug", choices=[], validators=[DataRequired("Choose the drug.")])
    directions = TextAreaField("Patient directions", validators=[
        DataRequired("Translate the sig into directions the patient can follow."), Length(max=400)],
        description="Plain English for the label: no abbreviations.")
    quantity = StringField("Quantity", validators=[DataRequired("Give the quantity to dispense.")])
    days_supply = WholeNumberField("Days supply", message="Give the days supply as a whole number of days.", validators=[
        InputRequired("Give the days supply as a whole number of days."),
        NumberRange(1, 365, "Give a days supply between 1 and 365.")])
    refills = WholeNumberField("Refills", message="Give the refills as a whole number (0 for none).", validators=[
        InputRequired("Give the number of refills (0 for none)."),
        NumberRange(0, 99, "Give between 0 and 99 refills.")])
    daw = QuickSelectField("DAW code", choices=DAW_CODES, default="0")

    def validate_quantity(self, field):
        _decimal(field)

    def response(self) -> dict:
        return {"patient": self.patient.data, "prescriber": self.prescriber.data, "drug": self.drug.data,
                "directions": self.directions.data.strip(), "quantity": str(self.quantity.data).strip(),
                "days_supply": self.days_supply.data, "refills": self.refills.data, "daw": int(self.daw.data)}


class ProductForm(FlaskForm):
    """Step 3: take the product from the shelf and scan (or type) its NDC."""

    shelf = RadioField("Product taken from the shelf", choices=[],
                       validators=[InputRequired("Pick the product you take from the shelf.")])
    ndc = StringField("Scanned NDC", validators=[DataRequired("Scan or type the NDC on the package.")],
                      description="As printed on the package, with its hyphens (e.g. 12345-678-90).")

    def response(self) -> dict:
        return {"shelf": self.shelf.data, "ndc": self.ndc.data.strip()}


class ClaimForm(FlaskForm):
    """Step 4: the claim as sent to the payer (edit a field to correct it before sending it again)."""

    ndc = StringField("NDC dispensed", validators=[DataRequired("Give the NDC dispensed.")])
    quantity = StringField("Quantity dispensed", validators=[DataRequired("Give the quantity dispensed.")])
    days_supply = WholeNumberField("Days supply", message="Give the days supply as a whole number of days.", validators=[
        InputRequired("Give the days supply as a whole number of days."),
        NumberRange(1, 365, "Give a days supply between 1 and 365.")])
    daw = QuickSelectField("DAW code", choices=DAW_CODES, default="0")

    def validate_quantity(self, field):
        _decimal(field)

    def response(self) -> dict:
        return {"ndc": self.ndc.data.strip(), "quantity": str(self.quantity.data).strip(),
                "days_supply": self.days_supply.data, "daw": int(self.daw.data)}


class ClaimAnswerForm(FlaskForm):
    """Step 4, after the payer answered: what you do about each reject or alert."""

    def response(self) -> dict:
        return {name[len("answer-"):]: field.data for name, field in self._fields.items()
                if name.startswith("answer-")}


def claim_answer_form(codes: list[tuple[str, str]], actions: list[tuple[str, str]], formdata=None):
    """A form with one required choice per reject or alert code ((code, label) pairs)."""

    class _Answers(ClaimAnswerForm):
        pass

    for code, label in codes:
        setattr(_Answers, f"answer-{code}", RadioField(
            label, choices=actions, validators=[InputRequired(f"Choose what you do about {label}.")]))
    return _Answers(formdata=formdata) if formdata is not None else _Answers()


class LabelForm(FlaskForm):
    """Step 5: the printed label; correct what is wrong (change nothing that is right)."""

    patient_name = StringField("Patient", validators=[DataRequired("The label must name the patient."), Length(max=120)])
    prescriber_name = StringField("Prescriber", validators=[DataRequired("The label must name the prescriber."), Length(max=120)])
    drug = StringField("Drug, strength and form", validators=[DataRequired("The label must name the drug."), Length(max=200)])
    quantity = StringField("Quantity", validators=[DataRequired("The label must give the quantity."), Length(max=40)])
    directions = TextAreaField("Directions", validators=[DataRequired("The label must give directions."), Length(max=400)])
    refills = WholeNumberField("Refills", message="Give the refills as a whole number (0 for none).", validators=[
        InputRequired("Give the refills (0 for none)."), NumberRange(0, 99, "Give between 0 and 99 refills.")])
    auxiliary_labels = MultiCheckboxField("Auxiliary labels", choices=[], validate_choice=False)
    transfer_caution = BooleanField("Federal transfer caution (“Caution: Federal law prohibits the transfer…”)")

    def response(self) -> dict:
        return {"patient_name": self.patient_name.data.strip(), "prescriber_name": self.prescriber_name.data.strip(),
                "drug": self.drug.data.strip(), "quantity": self.quantity.data.strip(),
                "directions": self.directions.data.strip(), "refills": self.refills.data,
                "auxiliary_labels": list(self.auxiliary_labels.data or []),
                "transfer_caution": bool(self.transfer_caution.data)}


class ValidationForm(FlaskForm):
    """The pharmacist check: may this fill go to the patient? Name each error."""

    decision = RadioField("May it be dispensed?", choices=[
        ("dispense", "Yes: dispense it"), ("do_not_dispense", "No: do not dispense it"),
    ], validators=[InputRequired("Decide whether it may be dispensed.")])
    marks = FieldList(FormField(MarkForm), min_entries=MARK_ROWS, max_entries=MARK_ROWS)

    def set_choices(self, fields, kinds) -> None:
        _set_mark_choices(self, fields, kinds)

    def response(self) -> dict:
        return {"decision": self.decision.data,
                "marks": [{"field": m.form.field.data, "kind": m.form.kind.data}
                          for m in self.marks if m.form.field.data]}


class StartForm(FlaskForm):
    """Start a run: practice (steps may be answered again) or assessed (once each)."""

    mode = RadioField("Mode", choices=[
        ("practice", "Practice: you may go back and answer a step again"),
        ("assessed", "Assessed: each step is answered once"),
    ], default="practice", validators=[InputRequired("Choose a mode.")])


class RandomForm(StartForm):
    """Start a run of a generated scenario, with the kinds of error it plants."""

    kinds = MultiCheckboxField("Errors to plant (none chosen: a random mix)", choices=[], validate_choice=False)
    seed = HiddenField()


class AuthorForm(FlaskForm):
    """An instructor's scenario as YAML, checked by the rules core before it is saved."""

    source = TextAreaField("Scenario (YAML)", validators=[DataRequired("Write the scenario."), Length(max=60000)],
                           description="The same format as the files in the scenarios folder; see the example.")
    status = SelectField("Status", choices=[("draft", "Draft (learners cannot see it)"),
                                            ("published", "Published")], default="draft")
