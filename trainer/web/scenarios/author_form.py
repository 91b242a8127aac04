"""The field-by-field scenario form: built from the one table of trainer.rx.scenarios.authoring,
so every value a scenario file may hold has its field, in pharmacy words.

The form judges nothing itself: the view turns what was typed into scenario data
(`authoring.spec_of`), the rules core checks it, and `show_problems` puts each problem
beside the field it names (or at the top when it names none). Repeatable rows work
without JavaScript: blank rows are shown, and an "add another" button re-renders the
form with one more.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)

from trainer.rx.scenarios import authoring
from trainer.rx.scenarios.authoring import NONE, SCHEMA, Node
from trainer.rx.scenarios.model import RELATIONSHIP_CODES
from trainer.services.scenario_core import CLAIM_ACTION_LABELS
from trainer.web.forms import QuickSelectField
from trainer.web.scenarios.forms import DAW_CODES

MAX_ROWS = 40  # per list: a scenario needs a handful; the bound keeps every check quick
BLANK_ROWS = {"shelf": 2, "problems": 2}  # rows a new scenario starts with (others: one)

SEX = [("female", "Female"), ("male", "Male"), ("unknown", "Unknown")]
CHOICES: dict[str, list[tuple[str, str]]] = {
    "kind": [("dispensing", "Dispensing: from intake to the label"),
             ("validation", "Pharmacist check: may this filled prescription be dispensed?")],
    "patient.sex": SEX,
    "lookalike_patients.sex": SEX,
    "patient.insurance.relationship": [(str(code), f"{code} – {name.capitalize()}")
                                       for code, name in RELATIONSHIP_CODES.items()],
    "prescription.presentation": [("", "— choose —"), ("written", "Written on a paper pad"),
                                  ("eprescribed", "E-prescribed"), ("phoned", "Phoned in by the prescriber's office"),
                                  ("transfer", "Transferred in from another pharmacy")],
    "prescription.daw": DAW_CODES,
    "expected.daw": DAW_CODES,
    "shelf.trap": [("", "No trap: a right product"), ("lasa", "Look-alike/sound-alike drug"),
                   ("wrong_strength", "Same drug, wrong strength"), ("wrong_form", "Same drug, wrong dosage form")],
    "plan.formulary.sex": [("", "Either"), ("female", "Female only"), ("male", "Male only")],
    "expected.review": [("fill", "Fill it"), ("contact_prescriber", "Contact the prescriber"),
                        ("route_to_pharmacist", "Route it to the pharmacist")],
    "expected.claim.actions.action": [("", "— choose —"), *CLAIM_ACTION_LABELS],
    "expected.dispense": [("", "— choose —"), ("true", "Yes: it may be dispensed"),
                          ("false", "No: it may not be dispensed")],
    "problems.resolution.signed": [("", "Not changed"), ("true", "The prescriber signs it")],
}
_VALIDATION_KINDS = dict(authoring.kind_choices("validation"))
CHOICES["problems.kind"] = [("", "— choose —")] + [
    (code, f"{'Pharmacist check' if code in _VALIDATION_KINDS else 'Dispensing'}: {title}")
    for code, title in authoring.kind_choices()
]

# What one row of each list is called ("Add another product").
ROW_NAMES = {
    "patient.profile": "Medication", "lookalike_patients": "Patient", "lookalike_prescribers": "Prescriber",
    "shelf": "Product", "plan.formulary": "Formulary drug", "problems": "Problem",
    "expected.claim.actions": "Response",
}

DATES = {"date", "birth_date", "effective", "terminated", "fill_date", "written", "earliest_fill",
         "original_written", "first_filled", "last_filled", "expires"}
LONG_TEXT = {"summary", "note", "consequence", "rule", "notes", "directions", "sig"}

# The label (and hint) of every field and section, by its place in the scenario.
LABELS: dict[str, str | tuple[str, str]] = {
    "id": ("Scenario id", "Lower-case letters, digits and hyphens, e.g. amoxicillin-suspension-child. It cannot change later."),
    "kind": "Kind of exercise",
    "title": "Title",
    "summary": ("Summary", "One or two sentences for the scenario list."),
    "date": ("Date of service", "“Today” in the pharmacy."),
    "areas": ("Exam blueprint areas", "One a line, e.g. ptce-2020:2.2."),
    "tags": ("Tags", "One a line, e.g. controlled, paediatric."),
    "actuations": ("Actuations per inhaler", "Only when the drug reference does not give them."),
    "state_validity_months": ("Months a non-controlled prescription stays valid", "Blank: 12."),
    "patient": "Patient",
    "patient.id": ("Profile number", "Blank: P1."),
    "patient.first_name": "First name",
    "patient.last_name": "Last name",
    "patient.birth_date": "Date of birth",
    "patient.sex": "Sex",
    "patient.weight_kg": "Weight (kg)",
    "patient.pregnant": "Pregnant",
    "patient.address": "Patient's address",
    "address.street": "Street",
    "address.city": "City",
    "address.state": "State",
    "address.zip": "ZIP code",
    "patient.allergies": ("Allergies", "One a line; blank: no known drug allergies."),
    "patient.conditions": ("Medical conditions", "One a line."),
    "patient.insurance": "Prescription insurance card",
    "patient.insurance.bin": "BIN",
    "patient.insurance.pcn": "PCN",
    "patient.insurance.group": "Group number",
    "patient.insurance.cardholder_id": "Cardholder ID",
    "patient.insurance.person_code": ("Person code", "Usually 01 for the cardholder."),
    "patient.insurance.relationship": "Relationship to the cardholder",
    "patient.insurance.cardholder_name": ("Cardholder's name", "When the patient is not the cardholder."),
    "patient.insurance.effective": "Coverage starts",
    "patient.insurance.terminated": "Coverage ends",
    "patient.profile": "Current medications (fills on the profile)",
    "patient.profile.generic": ("Drug (generic name)", "As the drug reference names it."),
    "patient.profile.fill_date": "Filled on",
    "patient.profile.days_supply": "Days supply",
    "patient.profile.quantity": "Quantity",
    "patient.profile.ndc": "NDC",
    "patient.profile.rx_number": "Rx number",
    "lookalike_patients": "Other patients with a similar name (decoy profiles)",
    "lookalike_patients.id": ("Profile number", "e.g. P2."),
    "lookalike_patients.first_name": "First name",
    "lookalike_patients.last_name": "Last name",
    "lookalike_patients.birth_date": "Date of birth",
    "lookalike_patients.sex": "Sex",
    "lookalike_patients.address": "Address",
    "prescriber": "Prescriber",
    "prescriber.id": ("Prescriber number", "Blank: D1."),
    "prescriber.first_name": "First name",
    "prescriber.last_name": "Last name",
    "prescriber.credentials": ("Credentials", "MD, DO, NP, PA, DDS…"),
    "prescriber.dea": ("DEA number", "Needed for a controlled substance."),
    "prescriber.npi": "NPI",
    "prescriber.phone": "Phone",
    "prescriber.address": "Office address",
    "lookalike_prescribers": "Other prescribers with a similar name (decoys)",
    "lookalike_prescribers.id": ("Prescriber number", "e.g. D2."),
    "lookalike_prescribers.first_name": "First name",
    "lookalike_prescribers.last_name": "Last name",
    "lookalike_prescribers.credentials": "Credentials",
    "lookalike_prescribers.dea": "DEA number",
    "lookalike_prescribers.npi": "NPI",
    "lookalike_prescribers.phone": "Phone",
    "lookalike_prescribers.address": "Office address",
    "prescription": "The prescription as it reached the pharmacy",
    "prescription.presentation": "How it reached the pharmacy",
    "prescription.drug": ("Drug as written", "e.g. amoxicillin 400 mg/5 mL oral suspension."),
    "prescription.generic": ("Generic name", "As the drug reference names it, e.g. amoxicillin."),
    "prescription.strength": ("Strength", "e.g. 400 mg/5 mL."),
    "prescription.form": ("Dosage form", "e.g. oral suspension."),
    "prescription.quantity": ("Quantity", "Blank when the prescriber left it out."),
    "prescription.quantity_unit": ("Unit", "e.g. tablets, mL."),
    "prescription.quantity_written": ("Quantity as written", "e.g. thirty (30), when that matters."),
    "prescription.sig": ("Sig as written", "e.g. 1 tab po qd."),
    "prescription.handwritten_sig": "Show the sig in handwriting",
    "prescription.refills": "Refills",
    "prescription.written": ("Date written", "Blank when the date is missing."),
    "prescription.daw": "DAW (dispense as written)",
    "prescription.signed": "Signed by the prescriber",
    "prescription.indication": "Indication",
    "prescription.earliest_fill": "Do not fill before",
    "prescription.rx_number": "Rx number",
    "prescription.fill_number": ("Fill number", "0: the original fill; 1: the first refill…"),
    "prescription.notes": "Other notes on the prescription",
    "prescription.transfer": "Transferred from (transfers only)",
    "prescription.transfer.from_pharmacy": "Pharmacy",
    "prescription.transfer.from_phone": "Pharmacy phone",
    "prescription.transfer.from_pharmacist": "Transferring pharmacist",
    "prescription.transfer.original_rx_number": "Original Rx number",
    "prescription.transfer.original_written": "Originally written",
    "prescription.transfer.first_filled": "First filled",
    "prescription.transfer.last_filled": "Last filled",
    "prescription.transfer.refills_remaining": "Refills remaining",
    "prescription.transfer.previous_transfers": "Times transferred before",
    "prescription.phone_call": "The phone call (phoned-in prescriptions only)",
    "prescription.phone_call.caller": "Caller",
    "prescription.phone_call.received_by": "Taken down by",
    "prescription.phone_call.callback": "Callback number",
    "shelf": "The shelf (dispensing)",
    "shelf.ndc": ("NDC", "A training NDC of the drug reference, e.g. 99998-364-00."),
    "shelf.trap": "Trap",
    "shelf.note": "Teaching note about this product",
    "shelf.lot": "Lot",
    "shelf.expires": "Expires",
    "shelf.on_hand": ("On hand", "Blank: 100."),
    "plan": "The payer's plan (dispensing)",
    "plan.name": "Plan name",
    "plan.bin": ("BIN", "Blank: the card's."),
    "plan.pcn": ("PCN", "Blank: the card's."),
    "plan.group": ("Group number", "Blank: the card's."),
    "plan.formulary": "Formulary",
    "plan.formulary.generic": "Drug (generic name)",
    "plan.formulary.tier": ("Tier", "1 to 5."),
    "plan.formulary.prior_auth": "Needs prior authorization",
    "plan.formulary.quantity_limit": "Quantity limit",
    "plan.formulary.limit_days": ("Per how many days", "Blank: 30."),
    "plan.formulary.brand_tier": "Brand tier",
    "plan.formulary.min_age": "Minimum age",
    "plan.formulary.sex": "Covered for",
    "plan.excluded": ("Drugs the plan excludes", "One generic name a line."),
    "plan.refill_threshold": ("Refill-too-soon threshold", "Share of the days supply used, e.g. 0.75."),
    "plan.max_days_supply": ("Largest days supply paid", "Blank: 90."),
    "plan.primary": "Primary coverage",
    "plan.pays_refills": "Pays for refills",
    "plan.pharmacy_in_network": "The pharmacy is in network",
    "plan.brand_penalty": "Charges a brand penalty",
    "problems": "Planted problems",
    "problems.kind": "Kind of problem",
    "problems.field": ("Where it is", "Leave blank for the usual place of this kind of problem."),
    "problems.note": "Teaching note (shown in the debrief)",
    "problems.consequence": ("What it would have meant for the patient", "Blank: the usual wording for this kind."),
    "problems.rule": ("Rule and citation", "Blank: the rule of this kind."),
    "problems.resolution": "What the prescriber's answer changes (when the technician calls)",
    "problems.resolution.quantity": "Quantity",
    "problems.resolution.written": "Date written",
    "problems.resolution.signed": "Signature",
    "problems.resolution.refills": "Refills",
    "problems.resolution.sig": "Sig",
    "problems.resolution.daw": "DAW",
    "problems.resolution.prescriber_dea": "DEA number",
    "problems.resolution.prescriber_npi": "NPI",
    "problems.resolution.strength": "Strength",
    "expected": "The key",
    "expected.review": "At review, the technician should",
    "expected.fillable": "The prescription can be filled (after any call to the prescriber)",
    "expected.directions": ("Patient directions", "The sig in plain English, as the label prints it."),
    "expected.quantity": "Quantity to dispense",
    "expected.days_supply": "Days supply",
    "expected.refills": "Refills",
    "expected.daw": "DAW code to submit",
    "expected.ndc": "NDC to dispense",
    "expected.label_fixes": ("Label fields the learner must correct", "One a line, e.g. directions."),
    "expected.claim": "The claim",
    "expected.claim.rejects": ("Reject codes of the first submission", "One a line, e.g. 75. Blank: paid."),
    "expected.claim.dur": ("DUR alerts raised", "One code a line, e.g. DD."),
    "expected.claim.actions": "What the technician does about each reject or alert",
    "expected.claim.actions.code": ("Reject or alert code", "e.g. 75, DD."),
    "expected.claim.actions.action": "Right response",
    "expected.claim.resubmit": "The corrected claim (when it is sent again)",
    "expected.claim.resubmit.quantity": "Quantity",
    "expected.claim.resubmit.days_supply": "Days supply",
    "expected.claim.resubmit.daw": "DAW code",
    "expected.claim.resubmit.ndc": "NDC",
    "expected.claim.resubmit.prior_auth_number": "Prior authorization number",
    "expected.claim.resubmit.submission_clarification": "Submission clarification code",
    "expected.claim.resubmit.dur_override": ("DUR override codes", "Three lines: reason, professional service, result."),
    "expected.claim.paid_after_resubmit": "The corrected claim is paid",
    "expected.dispense": "May it be dispensed? (pharmacist checks)",
    "label_errors": "Mistakes printed on the label (dispensing)",
    "dispensed": "What was put in the vial (pharmacist checks)",
    "dispensed.ndc": "NDC of the product in the vial",
    "dispensed.quantity": ("Quantity counted", "Blank: the prescribed quantity."),
    "label_changes": "Mistakes on the label the colleague printed (pharmacist checks)",
    "label.patient_name": "Patient name",
    "label.prescriber_name": "Prescriber name",
    "label.drug": "Drug, strength and form",
    "label.quantity": "Quantity",
    "label.directions": "Directions",
    "label.refills": "Refills",
    "label.cautions": ("Cautions", "One a line."),
    "label.cautions_none": "Printed without any caution",
    "label.auxiliary_labels": ("Auxiliary labels", "One a line."),
    "label.auxiliary_labels_none": "Printed without any auxiliary label",
    "label.rx_number": "Rx number",
    "label.pharmacy_name": "Pharmacy name",
    "label.pharmacy_address": "Pharmacy address",
}


def _label(path: str) -> tuple[str, str]:
    """The label and hint of a field by its place; shared sub-forms (address, label) by their last part."""
    parts = path.split(".")
    for key in (path, ".".join(parts[-2:]), f"label.{parts[-1]}"):
        if key in LABELS:
            found = LABELS[key]
            return (found, "") if isinstance(found, str) else found
    raise KeyError(f"no label for the scenario field {path}")


def _leaf(node: Node, path: str):
    label, hint = _label(path)
    if node.how == "flag":
        return BooleanField(label, default=node.default, description=hint)
    if node.how in ("choice", "yesno"):
        choices = CHOICES[path] if path in CHOICES else CHOICES[".".join(path.split(".")[-2:])]
        default = "" if node.default is None else str(node.default)
        return QuickSelectField(label, choices=choices, default=default, description=hint)
    render = {}
    if node.key in DATES:
        render = {"type": "date"}
    elif node.how == "number":
        render = {"inputmode": "decimal"}
    if node.how in ("lines", "printed"):
        return TextAreaField(label, description=hint, render_kw={"rows": 3})
    if node.key in LONG_TEXT:
        return TextAreaField(label, description=hint, render_kw={"rows": 2})
    return StringField(label, description=hint, render_kw=render or None)


def _form_class(node: Node, path: str, base=Form):
    attrs = {}
    for child in node.children:
        where = f"{path}.{child.name}" if path else child.name
        if child.how == "group":
            attrs[child.name] = FormField(_form_class(child, where), label=_label(where)[0])
        elif child.how == "rows":
            rows = FormField(_form_class(child, where), label=ROW_NAMES[where])
            attrs[child.name] = FieldList(rows, label=_label(where)[0], min_entries=BLANK_ROWS.get(where, 1),
                                          max_entries=MAX_ROWS)
        elif child.how == "keyed":
            row = type("KeyedRow", (Form,), {"code": _leaf(Node("code", "text"), f"{where}.code"),
                                             "action": _leaf(Node("action", "choice"), f"{where}.action")})
            attrs[child.name] = FieldList(FormField(row, label=ROW_NAMES[where]), label=_label(where)[0],
                                          min_entries=1, max_entries=MAX_ROWS)
        else:
            attrs[child.name] = _leaf(child, where)
            if child.how == "printed":
                attrs[child.name + NONE] = BooleanField(_label(where + NONE)[0])
    return type(f"{(path or 'scenario').replace('.', '_').title()}Form", (base,), attrs)


_ScenarioFields = _form_class(SCHEMA, "", FlaskForm)


class ScenarioForm(_ScenarioFields):
    """A scenario, field by field, with its status; the rules core checks it before it is saved."""

    status = SelectField("Status", choices=[("draft", "Draft (learners cannot see it)"),
                                            ("published", "Published")], default="draft")


# ---- rows, data and problems ----------------------------------------------------------------------------


def _walk(fields):
    for f in fields:
        yield f
        if isinstance(f, FormField):
            yield from _walk(f.form)
        elif isinstance(f, FieldList):
            yield from _walk(f.entries)


def _lists(form) -> list[FieldList]:
    return [f for f in _walk(form) if isinstance(f, FieldList)]


def _blank(entry) -> bool:
    return not any(str(v).strip() for v in _values(entry.data))


def _values(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _values(value)
    elif isinstance(data, str):
        yield data


def with_blank_rows(form):
    """The form with one blank row at the end of every list that has none (to write another)."""
    for rows in _lists(form):
        if len(rows.entries) < MAX_ROWS and (not rows.entries or not _blank(rows.entries[-1])):
            rows.append_entry()
    return form


def add_row(form, name: str) -> bool:
    """One more blank row in the list called `name` ("shelf", "patient-profile"…); False if there is no such list or it is full."""
    for rows in _lists(form):
        if rows.name == name and len(rows.entries) < MAX_ROWS:
            rows.append_entry()
            return True
    return False


def for_scenario(spec: dict, status: str) -> tuple[ScenarioForm, bool]:
    """The form filled with a stored scenario, and whether it holds every detail of it."""
    data = authoring.form_data(spec)
    form = ScenarioForm(formdata=None, data={**data, "status": status})
    form.id.render_kw = {"readonly": True}
    return with_blank_rows(form), authoring.round_trips(spec)


def spec_from(form, stored: dict | None = None) -> dict:
    """The scenario data the author typed; the stored data itself when it says the same (nothing to save)."""
    typed = authoring.spec_of(form.data)
    if stored is not None and authoring.canonical(stored) == typed:
        return stored  # a file's data keeps its own spelling: an unchanged save stays unchanged
    return typed


def show_problems(form, problems) -> list[str]:
    """Put each (field, message) problem beside its field or section; the messages that belong nowhere."""
    data = form.data
    by_name = {f.name: f for f in _walk(form)}
    form.section_errors = {}
    top: list[str] = []
    for path, message in problems:
        message = authoring.plain_message(message)
        name = authoring.form_field(path, data)
        target = by_name.get(name)
        if target is None or not name:
            top.append(message)
        elif isinstance(target, FormField | FieldList):
            form.section_errors.setdefault(name, []).append(message)
        else:
            target.errors = [*target.errors, message]
    return top


def section_problems(form) -> list[tuple[str, str, list[str]]]:
    """The problems of whole sections as (id, section name, messages), for the summary at the top."""
    by_name = {f.name: f for f in _walk(form)}
    out = []
    for name, messages in getattr(form, "section_errors", {}).items():
        section = by_name[name]
        out.append((section.id, _row_label(section), messages))
    return out


def _named(fields, where: str):
    """Every single field with the sections it sits in ("Prescriber › DEA number")."""
    for f in fields:
        if isinstance(f, FormField):
            yield from _named(f.form, f"{where}{_row_label(f)} › ")
        elif isinstance(f, FieldList):
            yield from _named(f.entries, where)
        else:
            yield f, f"{where}{f.label.text}"


def _row_label(f) -> str:
    tail = f.name.rsplit("-", 1)[-1]
    return f"{f.label.text} {int(tail) + 1}" if tail.isdigit() else f.label.text


def error_fields(form) -> list[tuple[str, str, list[str]]]:
    """Every field with a problem, in page order, as (id, where it is, messages), for the summary at the top."""
    return [(f.id, label, list(f.errors)) for f, label in _named(form, "")
            if f.errors and f.type not in ("CSRFTokenField", "HiddenField")]
