"""Prescription scenarios as quiz items: a scenario added to a quiz becomes a multiple-response
question of the bank, so attempts, partial credit, item analysis and regrades are the bank's own.

Both kinds of scenario can be added:

- a pharmacist-check (validation) exercise: the stem shows the prescription, the label a
  colleague printed and the product in the vial; the choices are "it may be dispensed" and
  every error a pharmacist check names; the key is the planted errors.
- a dispensing scenario, as its intake review: the stem shows everything the technician has
  at intake and review — the prescription as presented (written, e-prescribed, phoned in or
  transferred, with the call or transfer details), the prescriber with DEA and NPI, the
  patient's profile with allergies, conditions and fill history, the card and the plan's
  rules for the drug, and the shelf; the choices are "it can be filled as written" and every
  dispensing problem kind; the key is the planted kinds.

Why the payer's problems are choices too: in a run the payer reveals a reject only when the
claim is sent, but every reject a scenario can plant follows from a rule the plan states
(prior authorisation, a quantity limit, the longest supply it pays, when it pays a refill).
The stem states those rules as the plan states them, with the days supply the quantity and
directions work out to and the fill history, so each is detectable from the stem alone.

The question is built once, when it is added, and saved as a bank question whose source is
`scenario:<slug>`; editing the scenario later makes a new version only when it is added again.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from trainer.extensions import db
from trainer.models import AuditEvent, Quiz, QuizItem, Scenario, User
from trainer.questions.textformat import escape_markdown
from trainer.rx.scenarios.model import RELATIONSHIP_CODES
from trainer.services import scenario_core as core
from trainer.services.scenarios import RunRefused

FILLABLE_AS_WRITTEN = "No problem: it can be filled as written"
MAY_BE_DISPENSED = "Nothing is wrong: it may be dispensed"
PRESENTED = {
    "written": "written on a paper prescription",
    "eprescribed": "received as an e-prescription",
    "phoned": "phoned in by the prescriber's office",
    "transfer": "transferred in from another pharmacy",
}
SCHEDULE_WORDS = {"CII": "Schedule II (C-II)", "CIII": "Schedule III (C-III)", "CIV": "Schedule IV (C-IV)",
                  "CV": "Schedule V (C-V)"}


def quizzes_for_items() -> list:
    """Quizzes an instructor may add a scenario to (one query)."""
    return list(db.session.execute(select(Quiz.id, Quiz.title).where(Quiz.status != "retired").order_by(Quiz.title)))


def question_data(scenario: Scenario) -> dict:
    """A stored scenario of either kind as a multiple-response bank question."""
    if scenario.kind == "validation":
        return check_question_data(scenario)
    record = core.read(scenario.spec)
    if record.kind != "dispensing":
        raise RunRefused("This scenario cannot be a quiz question.")
    return intake_question(record, core.drugs_for(record), question_id=f"intake-{scenario.slug}",
                           title=scenario.title, blueprint=list(scenario.blueprint or []))


# ---- a pharmacist check ----------------------------------------------------------------------------------


def check_question_data(scenario: Scenario) -> dict:
    """A pharmacist-check exercise as a multiple-response bank question.

    The stem shows the prescription, the label and the product; the choices are "it may be
    dispensed" and every kind of error a pharmacist check names; the key is the planted
    errors (or "may be dispensed" when there are none).
    """
    from trainer.rx.scenarios import VALIDATION_KINDS

    if scenario.kind != "validation":
        raise RunRefused("Only a pharmacist-check exercise can be a quiz question.")
    f = core.facsimile(scenario.spec)
    key = core.key_view(scenario.spec)
    rx = f["rx"]
    view = core.step_view(scenario.spec, "validation", {}, seed=0)
    printed = view.label
    product = view.product
    lines = [
        "A colleague filled this prescription. Select every error you find, or that it may be dispensed.",
        "",
        f"**Prescription** ({_md(rx['drug'])}) for {_md(f['patient']['name'])}, born {_md(f['patient']['birth_date'])}: "
        f"{_md(rx['quantity_written'] or rx['quantity'])}, sig *{_md(rx['sig'])}*, refills {_md(rx['refills'])}, "
        f"written {_md(rx['written'] or '(no date)')} by {_md(f['prescriber']['name'])}, {_md(f['prescriber']['credentials'])}.",
        "",
        "| Label | |",
        "| --- | --- |",
        f"| Patient | {_md(printed['patient_name'])} |",
        f"| Prescriber | {_md(printed['prescriber_name'])} |",
        f"| Drug | {_md(printed['drug'])} |",
        f"| Quantity | {_md(printed['quantity'])} |",
        f"| Directions | {_md(printed['directions'])} |",
        f"| Refills | {_md(printed['refills'])} |",
        f"| Cautions | {_md('; '.join(printed['cautions']) or '(none)')} |",
        f"| Auxiliary labels | {_md('; '.join(printed['auxiliary_labels']) or '(none)')} |",
        "",
        f"**In the vial:** {_md(product['name'])} {_md(product['strength'])} {_md(product['form'])}, NDC {_md(product['ndc'])}"
        + (f", {_md(product['quantity'])} counted" if product["quantity"] else "") + ".",
    ]
    planted = {p.get("kind") for p in scenario.spec.get("problems", []) if isinstance(p, dict)}
    choices = [{"text": MAY_BE_DISPENSED, "correct": not planted}]
    for code, kind in VALIDATION_KINDS.items():
        choices.append({"text": kind.title, "correct": True} if code in planted else {"text": kind.title})
    explanation = "\n".join(f"- **{_md(p['title'])}**: {_md(p['note'])} ({_md(p['rule'])})" for p in key["problems"]) \
        or "The product, the label and the prescription agree."
    return {
        "id": f"check-{scenario.slug}"[:80], "type": "multiple_response", "stem": "\n".join(lines),
        "choices": choices, "shuffle": False, "explanation": explanation, "tags": ["pharmacist-check"],
        "blueprint": list(scenario.blueprint or []), "difficulty": "medium", "status": "published",
        "references": [f"Pharmacist check “{scenario.title}”"],
    }


# ---- a dispensing scenario's intake review ---------------------------------------------------------------


def _md(value) -> str:
    """A value shown exactly as the scenario gives it, safe inside a markdown table cell."""
    text = " ".join(str(value).split())
    return escape_markdown(text).replace("|", "\\|")


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _name(person) -> str:
    return f"{person.first_name} {person.last_name}".strip()


def _address(address) -> str:
    if address is None:
        return ""
    place = ", ".join(p for p in (address.city, f"{address.state} {address.zip}".strip()) if p)
    return ", ".join(p for p in (address.street, place) if p)


def _table(rows: list[tuple[str, object]], heading: tuple[str, str]) -> list[str]:
    # real column headings: an empty header cell tells a screen reader nothing
    out = [f"| {heading[0]} | {heading[1]} |", "| --- | --- |"]
    out += [f"| {label} | {_md(value) if value not in (None, '') else '—'} |" for label, value in rows]
    return [*out, ""]


def _presentation_rows(rx) -> list[tuple[str, object]]:
    """The phone call's or the transfer's details (how it came in is the table's heading)."""
    rows: list[tuple[str, object]] = []
    if rx.phone_call is not None:
        call = rx.phone_call
        rows += [("Caller", call.caller), ("Taken down by", call.received_by), ("Callback number", call.callback)]
    if rx.transfer is not None:
        moved = rx.transfer
        rows += [
            ("Transferred from", " ".join(p for p in (moved.from_pharmacy, moved.from_phone) if p)),
            ("Their pharmacist", moved.from_pharmacist),
            ("Their prescription number", moved.original_rx_number),
            ("Originally written", moved.original_written),
            ("First filled", moved.first_filled),
            ("Last filled", moved.last_filled),
            ("Refills remaining", moved.refills_remaining),
            ("Transferred before", f"{moved.previous_transfers} time(s)"),
        ]
    return rows


def _prescription_rows(record, drugs) -> list[tuple[str, object]]:
    rx = record.prescription
    drug = drugs.get(rx.generic)
    schedule = drug.schedule if drug else None
    if rx.quantity is None and not rx.quantity_written:
        quantity = "none written"
    else:
        quantity = rx.quantity_written or f"{_number(rx.quantity)} {rx.quantity_unit}".strip()
        if rx.quantity_written and rx.quantity is not None and rx.quantity_unit:
            quantity = f"{quantity} {rx.quantity_unit}"
    if rx.presentation == "phoned":
        signature = "none: an oral prescription, written down by the pharmacy"
    else:
        signature = "signed" if rx.signed else "not signed"
    rows: list[tuple[str, object]] = [
        ("Drug as written", rx.drug),
        ("Controlled substance", SCHEDULE_WORDS.get(schedule, schedule) if schedule else "no"),
        ("Quantity", quantity),
        ("Directions (sig), as written", rx.sig or "none written"),
        ("Refills", f"{rx.refills}" if rx.refills else "0 (no refills)"),
        ("Date written", rx.written or "no date"),
        ("Dispense as written", f"yes (DAW {rx.daw})" if rx.daw else "no"),
        ("Prescriber's signature", signature),
    ]
    if rx.indication:
        rows.append(("Indication", rx.indication))
    if rx.earliest_fill:
        rows.append(("Do not fill before", rx.earliest_fill))
    if rx.notes:
        rows.append(("Notes", rx.notes))
    if rx.rx_number:
        rows.append(("Pharmacy prescription number", rx.rx_number + (f", refill {rx.fill_number}" if rx.fill_number else "")))
    return rows


def _patient_lines(record) -> list[str]:
    patient = record.patient
    rows: list[tuple[str, object]] = [
        ("Name", _name(patient)),
        ("Born", f"{patient.birth_date.isoformat()} (age {patient.age_on(record.date)} today)"),
        ("Sex", patient.sex),
        ("Address", _address(patient.address)),
        ("Allergies", ", ".join(patient.allergies) or "none known"),
        ("Conditions", ", ".join(patient.conditions) or "none recorded"),
    ]
    if patient.weight_kg is not None:
        rows.append(("Weight", f"{_number(patient.weight_kg)} kg"))
    if patient.pregnant:
        rows.append(("Pregnant", "yes"))
    card = record.insurance
    if card is not None:
        who = RELATIONSHIP_CODES.get(card.relationship, "not specified")
        rows.append(("Prescription card", f"BIN {card.bin}, PCN {card.pcn}, group {card.group}, ID {card.cardholder_id}, "
                                          f"person code {card.person_code} ({who})"))
    else:
        rows.append(("Prescription card", "none: the patient pays cash"))
    lines = ["**The patient's profile**", "", *_table(rows, ("Profile", "Details"))]
    if patient.history:
        lines += ["Fill history on the profile:", "", "| Drug | Filled | Days supply | Quantity | Rx number |",
                  "| --- | --- | --- | --- | --- |"]
        for fill in sorted(patient.history, key=lambda f: f.fill_date, reverse=True):
            lines.append(f"| {_md(fill.generic)} | {fill.fill_date.isoformat()} | {fill.days_supply} | "
                         f"{_number(fill.quantity) or '—'} | {_md(fill.prescription_id or '—')} |")
        lines.append("")
    else:
        lines += ["Fill history on the profile: none.", ""]
    return lines


def _plan_lines(record) -> list[str]:
    plan = record.plan
    generic = record.prescription.generic
    entry = plan.entry_for(generic)
    rules: list[str] = []
    if generic in plan.excluded:
        rules.append(f"{generic} is excluded from the plan.")
    elif entry is None:
        rules.append(f"{generic} is not on the plan's formulary.")
    else:
        rules.append(f"{generic} is on the formulary, tier {entry.tier}.")
        rules.append(f"Prior authorisation for {generic}: {'required' if entry.prior_auth else 'not required'}.")
        if entry.quantity_limit is not None:
            rules.append(f"Quantity limit for {generic}: {_number(entry.quantity_limit)} per {entry.limit_days} days.")
        else:
            rules.append(f"Quantity limit for {generic}: none.")
        if entry.min_age is not None:
            rules.append(f"Covered from age {entry.min_age}.")
        if entry.sex is not None:
            rules.append(f"Covered for {entry.sex} patients only.")
    rules.append(f"The plan pays at most a {plan.max_days_supply}-day supply.")
    rules.append(f"The plan pays a refill once {_percent(plan.refill_threshold)} of the last supply of the same drug "
                 "has been used (counted from the last fill date and its days supply).")
    if not plan.pays_refills:
        rules.append("The plan does not pay refills at this pharmacy.")
    if not plan.primary:
        rules.append("Another plan is primary for this patient.")
    if not plan.pharmacy_in_network:
        rules.append("This pharmacy is not in the plan's network.")
    return [f"**The plan's rules** ({_md(plan.name)})", "", *(f"- {_md(rule)}" for rule in rules), ""]


def _shelf_lines(record) -> list[str]:
    lines = ["**On the shelf where the technician will pick the product**", "",
             "| Product | NDC | Package |", "| --- | --- | --- |"]
    # in name order, not the file's: authors tend to write the right product first
    for entry in sorted(record.shelf, key=lambda e: (e.product.label_name.casefold(), e.product.ndc)):
        product = entry.product
        name = product.label_name + (f" ({product.brand})" if product.brand and product.brand not in product.label_name else "")
        lines.append(f"| {_md(name)} | {_md(product.ndc)} | "
                     f"{_md(f'{_number(product.package_size)} {product.package_unit}'.strip())} |")
    return [*lines, ""]


def intake_stem(record, drugs) -> str:
    """The stem of a dispensing scenario's intake review: everything the technician has at intake and review."""
    rx = record.prescription
    prescriber = record.prescriber
    lines = [
        f"Today is {record.date.isoformat()}. This prescription has reached your pharmacy "
        f"({_md(record.pharmacy.name)}). Review it with everything below — the prescription as presented, "
        "the prescriber, the patient's profile, the plan's rules and the shelf — and select every problem "
        "you find at intake, in the review, at the shelf and with the claim, or that it can be filled as written.",
        "",
        f"**The prescription**, {PRESENTED.get(rx.presentation, rx.presentation)}",
        "",
        *_table(_prescription_rows(record, drugs) + _presentation_rows(rx), ("On the prescription", "As presented")),
    ]
    if rx.quantity is not None and record.expected.days_supply:
        lines += [f"Worked from the quantity and the directions, this is a **{record.expected.days_supply}-day supply**.",
                  ""]
    lines += [
        "**The prescriber**",
        "",
        *_table([
            ("Name", f"{_name(prescriber)}, {prescriber.credentials}" if prescriber.credentials else _name(prescriber)),
            ("DEA number", prescriber.dea or "none given"),
            ("NPI", prescriber.npi),
            ("Address", _address(prescriber.address)),
            ("Phone", prescriber.phone),
        ], ("Prescriber", "Details")),
        *_patient_lines(record),
        *_plan_lines(record),
        *_shelf_lines(record),
    ]
    if rx.generic and drugs.get(rx.generic) is not None and drugs[rx.generic].schedule is None:
        lines.append(f"In this state a prescription for a drug that is not controlled is valid for "
                     f"{record.state_validity_months} months after the date it was written.")
    return "\n".join(lines).rstrip() + "\n"


def _rule_text(rule: str, record) -> str:
    # the kind table's refill rule names the plan's threshold as {threshold}: the plan gives its value
    return rule.replace("{threshold}", _percent(record.plan.refill_threshold))


def intake_question(record, drugs, *, question_id: str, title: str, blueprint: list[str]) -> dict:
    """A dispensing scenario's intake review as a multiple-response bank question: choices are
    "it can be filled as written" and every dispensing problem kind, the key the planted kinds."""
    from trainer.rx.scenarios import ERROR_KINDS

    planted = set(record.kinds)
    choices = [{"text": FILLABLE_AS_WRITTEN, "correct": True} if not planted else {"text": FILLABLE_AS_WRITTEN}]
    for code, kind in ERROR_KINDS.items():
        choices.append({"text": kind.title, "correct": True} if code in planted else {"text": kind.title})
    notes = []
    for problem in record.problems:
        kind = ERROR_KINDS.get(problem.kind)
        rule = _rule_text(problem.rule or (kind.rule if kind else ""), record)
        notes.append(f"- **{_md(kind.title if kind else problem.kind)}**: {_md(problem.note)} "
                     f"For the patient: {_md(problem.consequence)} ({_md(rule)})")
    explanation = "\n".join(notes) or "Nothing stops this prescription: it can be filled as written."
    return {
        "id": question_id[:80], "type": "multiple_response", "stem": intake_stem(record, drugs),
        "choices": choices, "shuffle": False, "explanation": explanation, "tags": ["intake-review"],
        "blueprint": list(blueprint), "difficulty": "medium", "status": "published",
        "references": [f"Prescription scenario “{title}”"],
    }


# ---- adding to a quiz ----------------------------------------------------------------------------------


def add_to_quiz(scenario: Scenario, quiz_id: int, *, actor: User) -> str | None:
    """Add a scenario to a quiz as its last question; a message when it cannot be."""
    from trainer.questions import validate_question
    from trainer.services.questions import save_question

    quiz = db.session.get(Quiz, quiz_id) if quiz_id else None
    if quiz is None:
        return "Choose a quiz."
    try:
        data = question_data(scenario)
    except RunRefused as refused:
        return refused.message
    what = "exercise" if scenario.kind == "validation" else "scenario"
    problems = validate_question(data)
    if problems:
        return f"This {what} cannot be made into a question: " + "; ".join(f"{f} {m}" for f, m in problems)
    note = "pharmacist check" if scenario.kind == "validation" else "intake review"
    question, _ = save_question(data, source=f"scenario:{scenario.slug}", actor=actor, note=note)
    if db.session.scalar(select(QuizItem.id).where(QuizItem.quiz_id == quiz.id, QuizItem.question_id == question.id)):
        return f"That quiz already has this {what}."
    last = db.session.scalar(select(func.max(QuizItem.position)).where(QuizItem.quiz_id == quiz.id)) or 0
    db.session.add(QuizItem(quiz_id=quiz.id, position=last + 1, question_id=question.id, draw_count=0, draw_filter={}))
    AuditEvent.record("scenario_added_to_quiz", subject=f"quiz:{quiz.id}", actor=actor, scenario=scenario.slug,
                      question=question.uid)
    db.session.flush()
    return None
