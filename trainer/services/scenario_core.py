"""The simulator's bridge to the rules core (trainer.rx.scenarios): stored data in, page views,
input problems and grades out.

The core works on its frozen records; the database and the run's state hold plain data
(the scenario as its file wrote it, and each step's answer as a dict). This module
translates between the two and loads the drug data a scenario needs, so the service
(trainer.services.scenarios) and the views never touch the core's records. Nothing here
shows the key: a step's view carries what the learner may see at that point of the run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import select

from trainer.extensions import db
from trainer.models import DrugEntry
from trainer.rx import ndc as ndc_rules
from trainer.rx.labels import TRANSFER_CAUTION
from trainer.rx.scenarios import kinds as kind_table
from trainer.rx.scenarios import model

DISPENSING_STEPS = model.STEPS
VALIDATION_STEPS = ("validation",)

REVIEW_FIELDS = [
    ("prescriber.dea", "Prescriber's DEA number"),
    ("prescriber.npi", "Prescriber's NPI"),
    ("signed", "Prescriber's signature"),
    ("written", "Date written"),
    ("patient", "Patient details"),
    ("drug", "Drug, strength or form"),
    ("quantity", "Quantity"),
    ("sig", "Directions (sig)"),
    ("refills", "Refills"),
    ("daw", "Dispense as written"),
]
VALIDATION_FIELDS = [
    ("product", "Product in the vial"),
    ("patient_name", "Label: patient"),
    ("prescriber_name", "Label: prescriber"),
    ("drug", "Label: drug, strength or form"),
    ("directions", "Label: directions"),
    ("quantity", "Label: quantity"),
    ("refills", "Label: refills"),
    ("cautions", "Label: federal caution"),
    ("auxiliary_labels", "Label: auxiliary labels"),
]
CLAIM_ACTION_LABELS = [
    ("correct_and_resubmit", "I corrected a field and sent the claim again"),
    ("request_prior_auth", "Request prior authorisation from the prescriber"),
    ("contact_prescriber", "Contact the prescriber"),
    ("route_to_pharmacist", "Route to the pharmacist"),
    ("tell_patient_next_fill_date", "Tell the patient the next date it can be filled"),
]
# Auxiliary labels offered on the label step besides the ones the drug or the printed label
# name, so the checklist does not give the answer away.
COMMON_AUXILIARY = (
    "May cause drowsiness",
    "Take with food",
    "Shake well",
    "Refrigerate",
    "For the eye",
    "For external use only",
    "Do not drink alcohol",
    "Finish all this medication",
)


@dataclass
class StepView:
    """What one step shows: the facsimile, the step's material, the form's choices and defaults."""

    facsimile: dict
    choices: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    profiles: list = field(default_factory=list)
    prescribers: list = field(default_factory=list)
    shelf: list = field(default_factory=list)
    label: dict | None = None
    product: dict | None = None
    resolutions: list = field(default_factory=list)


@dataclass
class Graded:
    """A step's grade: its score 0..1 and the debrief rows (plain dicts, stored on the run)."""

    score: float
    rows: list
    stops_fill: bool = False
    extra: dict = field(default_factory=dict)


# ---- reading stored data ------------------------------------------------------------------------


def read(spec: dict, source: str = "scenario"):
    """The core's record (a Scenario or a ValidationExercise) for stored, already checked data.

    Read once per app for each version of the data and of the drug reference (a run's
    data never changes, and a scenario's changes its hash), since every step page needs it.
    Parsed, not validated again: it was checked when it was saved, and a run must stay
    readable even if the drug data changes under it.
    """
    from trainer.rx.scenarios import loader
    from trainer.services.scenarios import spec_hash

    drugs = reference_drugs()
    records = _drug_cache().setdefault("records", {})
    digest = spec_hash(spec)
    record = records.get(digest)
    if record is None and "generated" in spec:
        from trainer.rx.scenarios import generate

        made = spec["generated"]
        record = generate(list(made.get("kinds", [])), int(made["seed"]), drugs)
        records[digest] = record
    if record is None:
        record = loader.parse(_from_json(spec), drugs, source=source)
        if len(records) >= 512:
            records.clear()
        records[digest] = record
    return record


def _from_json(spec: dict) -> dict:
    """Undo what JSON storage changes: a plan's copay tiers are numbers in a file, text in JSON."""
    plan = spec.get("plan")
    if isinstance(plan, dict) and isinstance(plan.get("copays"), dict):
        copays = {int(k) if isinstance(k, str) and k.isdigit() else k: v for k, v in plan["copays"].items()}
        spec = {**spec, "plan": {**plan, "copays": copays}}
    return spec


def _drug_cache() -> dict:
    from flask import current_app

    return current_app.extensions.setdefault("trainer_scenario_drugs", {})


def reference_drugs() -> dict:
    """The drug reference as served (the database), by generic name.

    Built once per app for each state of the table (its row count and last change, one
    small query), since every step page needs it and it changes only on import.
    """
    from sqlalchemy import func

    from trainer.services.drugs import reference

    fingerprint = tuple(db.session.execute(select(func.count(DrugEntry.id), func.max(DrugEntry.updated_at))).one())
    cache = _drug_cache()
    if cache.get("fingerprint") != fingerprint:
        cache.clear()
        cache["fingerprint"], cache["drugs"] = fingerprint, reference()
    return cache["drugs"]


def check(spec: object, source: str, drugs: dict | None = None) -> list:
    """Every problem with one scenario's data, as SourceProblems naming the source, the id and the field."""
    from trainer.rx.scenarios import loader

    try:
        loader.from_dict(spec if isinstance(spec, dict) else {}, reference_drugs() if drugs is None else drugs,
                         source=source)
    except loader.ScenarioError as failed:
        return list(failed.problems)
    return []


def kind_of(record) -> str:
    """"dispense" or "validation", as the tables name the two kinds."""
    return "validation" if record.kind == "validation" else "dispense"


def steps_for(kind: str) -> tuple[str, ...]:
    """The steps of a run of this kind, in order."""
    return VALIDATION_STEPS if kind == "validation" else DISPENSING_STEPS


def _generics(record) -> set[str]:
    names = {record.prescription.generic}
    for fill in record.patient.history:
        names.add(fill.generic)
    shelf = getattr(record, "shelf", ())
    for entry in shelf:
        names.add(entry.product.generic)
    for attr in ("product", "expected_product"):
        product = getattr(record, attr, None)
        if product is not None:
            names.add(product.generic)
    return names


def drugs_for(record) -> dict:
    """The drug data a scenario's checks need: the reference (look-alike partners may be any
    drug), as current when `read` gave this record (no second look at the table)."""
    cache = _drug_cache()
    return cache["drugs"] if "drugs" in cache else reference_drugs()


def summary_of(spec: dict) -> str:
    return str((spec or {}).get("summary", "") or "")


# ---- what the learner sees --------------------------------------------------------------------------


def _name(person) -> str:
    return f"{person.first_name} {person.last_name}".strip()


def _address(address) -> str:
    if address is None:
        return ""
    parts = [address.street, ", ".join(p for p in (address.city, f"{address.state} {address.zip}".strip()) if p)]
    return ", ".join(p for p in parts if p)


def _person_address(address) -> dict:
    return {"street": address.street, "city": address.city, "state": address.state, "zip": address.zip}


def _quantity_text(rx) -> str:
    if rx.quantity_written:
        return rx.quantity_written
    if rx.quantity is None:
        return ""
    return f"{rx.quantity.normalize():f} {rx.quantity_unit}".strip()


def facsimile(spec: dict, record=None) -> dict:
    """The prescription as it reached the pharmacy, for the facsimile (no key, no planted notes)."""
    record = read(spec) if record is None else record
    rx = record.prescription
    prescriber = record.prescriber
    return {
        "presentation": rx.presentation,
        "today": getattr(record, "date", None),
        "message_id": f"RX{abs(hash((record.id, rx.drug))) % 10**10:010d}",
        "patient": {"name": _name(record.patient), "birth_date": record.patient.birth_date,
                    "sex": record.patient.sex, "address": _person_address(record.patient.address)},
        "prescriber": {"name": _name(prescriber), "credentials": prescriber.credentials, "dea": prescriber.dea,
                       "npi": prescriber.npi, "phone": prescriber.phone, "address": _person_address(prescriber.address),
                       "signature": f"{prescriber.first_name[:1]}. {prescriber.last_name}"},
        "rx": {"drug": rx.drug, "quantity": (f"{rx.quantity.normalize():f}" if rx.quantity is not None else ""),
               "quantity_unit": rx.quantity_unit, "quantity_written": _quantity_text(rx), "sig": rx.sig,
               "handwritten_sig": rx.handwritten_sig, "refills": rx.refills,
               "refills_written": "NR" if rx.refills == 0 else str(rx.refills), "written": rx.written,
               "daw": rx.daw, "signed": rx.signed, "notes": rx.notes, "indication": rx.indication},
        "transfer": rx.transfer,
        "phone_call": rx.phone_call,
    }


def _shuffled(items: list, seed: int, salt: str) -> list:
    items = list(items)
    random.Random(f"{seed}:{salt}").shuffle(items)
    return items


def _profile(profile_id: str, patient, insurance) -> dict:
    card = None
    if insurance is not None:
        card = {"bin": insurance.bin, "pcn": insurance.pcn, "group": insurance.group,
                "cardholder_id": insurance.cardholder_id, "person_code": insurance.person_code,
                "relationship": model.RELATIONSHIP_CODES.get(insurance.relationship, "not specified")}
    return {"id": profile_id, "name": _name(patient), "birth_date": patient.birth_date,
            "address": _address(patient.address), "allergies": ", ".join(patient.allergies),
            "medications": ", ".join(sorted({fill.generic for fill in patient.history})), "insurance": card}


def _drug_value(generic: str, strength: str, form: str) -> str:
    return f"{generic}|{strength}|{form}"


def _drug_text(generic: str, strength: str, form: str) -> str:
    return " ".join(p for p in (generic, strength, form) if p)


def step_view(spec: dict, name: str, state: dict, *, seed: int) -> StepView:
    """What step `name` of a run shows, given what was answered before."""
    record = read(spec)
    view = StepView(facsimile=facsimile(spec, record))
    if name == "review":
        view.choices["marks"] = (REVIEW_FIELDS, _review_kinds())
    elif name == "entry":
        _entry_view(record, view, seed, state)
    elif name == "product":
        _product_view(record, view, seed)
    elif name == "claim":
        _claim_view(record, view, state)
    elif name == "label":
        _label_view(record, view)
    elif name == "validation":
        _validation_view(record, view)
    return view


def _review_kinds() -> list[tuple[str, str]]:
    return [(k.code, k.title) for k in kind_table.ERROR_KINDS.values() if k.step == "review"]


def _validation_kinds() -> list[tuple[str, str]]:
    return [(k.code, k.title) for k in kind_table.VALIDATION_KINDS.values()]


def _entry_view(record, view: StepView, seed: int, state: dict) -> None:
    from trainer.rx.scenarios import grading

    profiles = [(record.patient_id, record.patient), *record.lookalike_patients]
    profiles = _shuffled(profiles, seed, "patients")
    view.profiles = [_profile(pid, patient, record.insurance if pid == record.patient_id else None)
                     for pid, patient in profiles]
    view.choices["patient"] = [(p["id"], p["name"]) for p in view.profiles]
    prescribers = _shuffled([(record.prescriber_id, record.prescriber), *record.lookalike_prescribers], seed, "prescribers")
    view.prescribers = [{"id": pid, "name": _name(p), "credentials": p.credentials, "npi": p.npi, "dea": p.dea,
                         "address": _address(p.address)} for pid, p in prescribers]
    view.choices["prescriber"] = [(d["id"], d["name"]) for d in view.prescribers]
    choices = grading.drug_choices(record, drugs_for(record))
    view.choices["drug"] = [("", "— choose the drug —"), *((c.key, c.label) for c in choices)]
    # The office's answers are there only for a learner who called it: otherwise they would give the problem away.
    review = ((state.get("review") or {}).get("response") or {})
    if review.get("action") == "contact_prescriber":
        view.resolutions = _resolutions(record)


def _resolutions(record) -> list[str]:
    """What the prescriber's office answers when called about a planted problem."""
    words = {"quantity": "Quantity", "written": "Date written", "signed": "Signature", "refills": "Refills",
             "prescriber.dea": "DEA number", "sig": "Directions"}
    lines = []
    for problem in record.problems:
        for key, value in problem.resolution.items():
            if key == "signed":
                value = "the prescriber will sign it" if value else "not signed"
            lines.append(f"{words.get(key, key.replace('prescriber.', 'prescriber ').replace('_', ' ').capitalize())}: {value}")
    return lines


def _product_view(record, view: StepView, seed: int) -> None:
    shelf = _shuffled(list(record.shelf), seed, "shelf")
    view.shelf = [{"ndc": e.product.ndc, "name": e.product.label_name,
                   "generic": e.product.generic, "strength": e.product.strength, "form": e.product.form,
                   "package": f"{e.product.package_size.normalize():f} {e.product.package_unit}",
                   "lot": e.lot, "expires": e.expires} for e in shelf]
    view.choices["shelf"] = [(s["ndc"], s["name"]) for s in view.shelf]


def _claim_view(record, view: StepView, state: dict) -> None:
    entry = (state.get("entry") or {}).get("response") or {}
    product = (state.get("product") or {}).get("response") or {}
    card = record.insurance
    view.product = {"card": card and {"bin": card.bin, "pcn": card.pcn, "group": card.group,
                                      "cardholder_id": card.cardholder_id, "person_code": card.person_code}}
    view.defaults = {"ndc": product.get("ndc", ""), "quantity": entry.get("quantity", ""),
                     "days_supply": entry.get("days_supply"), "daw": str(entry.get("daw", 0))}
    view.choices["claim_actions"] = CLAIM_ACTION_LABELS
    view.label = {"dur": system_dur(record)}


def system_dur(record) -> list[tuple[str, str]]:
    """The pharmacy system's own DUR alerts, as (code, message): shown whatever the payer answers
    (a payer that stops at an earlier edit returns none, but every alert must still be answered)."""
    from trainer.rx.scenarios import checks

    return [(a.code, f"DUR {a.reason} ({a.severity}): {a.message}") for a in checks.dur_alerts(record, drugs_for(record))]


def _label_dict(label) -> dict:
    return {"pharmacy_name": label.pharmacy_name, "pharmacy_address": label.pharmacy_address,
            "rx_number": label.rx_number, "fill_date": label.fill_date, "patient_name": label.patient_name,
            "prescriber_name": label.prescriber_name, "drug": label.drug, "quantity": label.quantity,
            "directions": label.directions, "refills": label.refills, "cautions": list(label.cautions),
            "auxiliary_labels": list(label.auxiliary_labels), "ndc": label.ndc_text}


def _label_view(record, view: StepView) -> None:
    from trainer.rx.scenarios import checks

    drugs = drugs_for(record)
    printed = checks.printed_label(record, drugs)
    key = checks.key_label(record, drugs)
    view.label = _label_dict(printed) if printed is not None else {}
    offered = dict.fromkeys([*(printed.auxiliary_labels if printed else ()), *(key.auxiliary_labels if key else ()),
                             *COMMON_AUXILIARY])
    view.choices["auxiliary_labels"] = [(text, text) for text in sorted(offered)]
    if printed is not None:
        view.defaults = {"patient_name": printed.patient_name, "prescriber_name": printed.prescriber_name,
                         "drug": printed.drug, "quantity": printed.quantity, "directions": printed.directions,
                         "refills": printed.refills, "auxiliary_labels": list(printed.auxiliary_labels),
                         "transfer_caution": TRANSFER_CAUTION in printed.cautions}


def _validation_view(record, view: StepView) -> None:
    from trainer.rx.scenarios import checks

    drugs = drugs_for(record)
    label = checks.exercise_label(record, drugs)
    view.label = _label_dict(label)
    product = record.product
    view.product = {"name": product.brand or product.generic, "strength": product.strength, "form": product.form,
                    "ndc": product.ndc, "quantity": (f"{record.dispensed_quantity.normalize():f}"
                                                     if record.dispensed_quantity is not None else "")}
    view.choices["marks"] = (VALIDATION_FIELDS, _validation_kinds())


def form_data(name: str, response: dict) -> dict:
    """A stored answer as the step's form takes it back (shown again in practice mode)."""
    data = dict(response)
    if name in ("review", "validation"):
        marks = list(response.get("marks", []))
        data["marks"] = marks + [{"field": "", "kind": ""}] * max(0, 4 - len(marks))
    if name == "entry" and "daw" in data:
        data["daw"] = str(data["daw"])
    return data


# ---- input problems and grading ------------------------------------------------------------------------


def input_problems(spec: dict, name: str, response: dict, state: dict) -> list[tuple[str, str]]:
    """Problems with what was typed that the form cannot see: nothing is stored while there are any.

    The NDC must be one the system can read, and (as a barcode check does) the package in
    hand must be the one scanned: a typing slip is caught here, a wrong product is not.
    """
    from trainer.rx.scenarios import grading

    problems: list[tuple[str, str]] = []
    if name == "product":
        record = read(spec)
        shelf = tuple(entry.product for entry in record.shelf)
        picked = record.shelf_product(response.get("shelf", "")) if response.get("shelf") else None
        if picked is None:
            problems.append(("shelf", "Pick a product from the shelf."))
        billed, why = grading.read_ndc(response.get("ndc", ""), shelf)
        if billed is None:
            problems.append(("ndc", f"The system cannot read that NDC ({why}): type it as printed, e.g. 12345-678-90."))
        elif picked is not None and not ndc_rules.same_product(billed, picked.product.ndc):
            problems.append(("ndc", "That NDC is not the one on the package you took: scan the package again."))
    if name == "claim" and not state.get("claim_transcript"):
        problems.append(("action", "Send the claim to the payer first."))
    return problems


def _entry_answer(response: dict, **overrides):
    from trainer.rx.scenarios import grading

    values = {"patient_id": response.get("patient", ""), "prescriber_id": response.get("prescriber", ""),
              "drug": response.get("drug", ""), "directions": response.get("directions", ""),
              "quantity": response.get("quantity"), "days_supply": response.get("days_supply"),
              "refills": response.get("refills"), "daw": response.get("daw")}
    values.update(overrides)
    return grading.EntryAnswer(**values)


def _marks(response: dict) -> tuple[tuple[str, str], ...]:
    return tuple((str(m.get("field", "")), str(m.get("kind", ""))) for m in response.get("marks", [])
                 if isinstance(m, dict))


def grade_step(spec: dict, name: str, response: dict, state: dict, *, seed: int) -> Graded:
    """The core's grade of one step's answer, with its debrief rows as plain data."""
    from trainer.rx.scenarios import grading

    record = read(spec)
    drugs = drugs_for(record)
    stops_fill = False
    if name == "review":
        result = grading.grade_review(record, grading.ReviewAnswer(response.get("action", ""), _marks(response)), drugs)
        stops_fill = not record.expected.fillable
    elif name == "entry":
        result = grading.grade_entry(record, _entry_answer(response), drugs)
    elif name == "product":
        result = grading.grade_product(record, response.get("ndc", ""), drugs)
    elif name == "claim":
        transcript = state.get("claim_transcript") or []
        first = transcript[0]["claim"]
        shown = _send(record, state, first, drugs)
        corrections = {}
        if len(transcript) > 1:
            last = transcript[-1]["claim"]
            corrections = {k: last.get(k) for k in ("quantity", "days_supply") if last.get(k) != first.get(k)}
        result = grading.grade_claim(record, grading.ClaimAnswer(responses=response.get("answers", {}),
                                                                 corrections=corrections), drugs, shown=shown)
    elif name == "label":
        fields = {k: response.get(k) for k in ("patient_name", "prescriber_name", "drug", "quantity", "directions",
                                                "refills", "auxiliary_labels")}
        printed = grading.checks.printed_label(record, drugs)
        cautions = [c for c in (printed.cautions if printed else ()) if c != TRANSFER_CAUTION]
        if response.get("transfer_caution"):
            cautions.append(TRANSFER_CAUTION)
        fields["cautions"] = cautions
        result = grading.grade_label(record, grading.LabelAnswer(fields=fields), drugs)
    elif name == "validation":
        answer = grading.ValidationAnswer(dispense=response.get("decision") == "dispense", errors=_marks(response))
        result = grading.grade_validation(record, answer, drugs)
    else:
        raise ValueError(f"no step {name!r}")
    return Graded(score=float(result.score), rows=[_row(r) for r in result.rows], stops_fill=stops_fill,
                  extra={"earned": result.earned, "possible": result.possible})


def _row(row) -> dict:
    """A debrief row as plain data for the run's state."""
    return {"label": row.label, "given": row.learner, "expected": row.key, "correct": bool(row.correct),
            "rule": row.rule, "consequence": row.consequence, "note": row.note, "points": row.points}


def _send(record, state: dict, claim: dict, drugs: dict):
    """The payer's answer to a claim built from the learner's entry with the claim form's fields."""
    from trainer.rx.scenarios import grading

    entry = (state.get("entry") or {}).get("response") or {}
    answer = _entry_answer(entry, quantity=claim.get("quantity"), days_supply=claim.get("days_supply"),
                           daw=claim.get("daw"))
    return grading.submit_entry(record, answer, claim.get("ndc"), drugs)


def claim_exchange(spec: dict, state: dict, action: str, response: dict, *, seed: int) -> tuple[list, list]:
    """Send the claim to the simulated payer; (the transcript so far, input problems).

    The payer's answer shows what a pharmacy system shows (codes, messages, what the patient
    pays), never what the technician should do about it.
    """
    from trainer.rx.scenarios import grading

    record = read(spec)
    drugs = drugs_for(record)
    billed, why = grading.read_ndc(response.get("ndc", ""), tuple(e.product for e in record.shelf))
    if billed is None:
        return [], [("ndc", f"The system cannot read that NDC ({why}): type it as printed, e.g. 12345-678-90.")]
    claim = {"ndc": str(response.get("ndc", "")).strip(), "quantity": str(response.get("quantity", "")).strip(),
             "days_supply": response.get("days_supply"), "daw": int(response.get("daw") or 0)}
    answer = _send(record, state, claim, drugs)
    messages = [(r.code, f"{r.message}" + (f": {r.detail}" if r.detail else "")) for r in answer.rejects]
    messages += [(a.code, f"DUR {a.reason} ({a.severity}): {a.message}") for a in answer.dur_alerts]
    paid = ""
    if answer.paid:
        paid = f"patient pays ${answer.patient_pay}" if answer.patient_pay is not None else ""
    exchange = {"claim": claim, "status": "PAID" if answer.paid else "REJECTED", "paid_text": paid,
                "messages": messages}
    return [*(state.get("claim_transcript") or []), exchange], []


def claim_codes(transcript: list, alerts: list | tuple = ()) -> list[tuple[str, str]]:
    """Every reject and alert code met: the pharmacy system's DUR alerts and what the payer
    answered over the transmissions, once each, as (code, label)."""
    seen: dict[str, str] = {code: f"{code}: {text}" for code, text in alerts}
    for exchange in transcript:
        for code, text in exchange.get("messages", []):
            if code == "88":  # answered by its DUR codes
                continue
            seen.setdefault(code, f"{code}: {text}")
    return list(seen.items())


def planted_problems(spec: dict) -> list[dict]:
    """The problems the author planted, with the teaching note, the rule and the consequence."""
    record = read(spec)
    out = []
    for problem in record.problems:
        kind = kind_table.ERROR_KINDS.get(problem.kind) or kind_table.VALIDATION_KINDS.get(problem.kind)
        out.append({"title": kind.title if kind else problem.kind, "field": problem.field, "note": problem.note,
                    "consequence": problem.consequence, "rule": problem.rule or (kind.rule if kind else "")})
    return out


# ---- the generator ---------------------------------------------------------------------------------


def generator_kind_choices() -> list[tuple[str, str]]:
    """The kinds of error the generator can plant, for the random-scenario form."""
    return [(code, kind_table.ERROR_KINDS[code].title) for code in kind_table.GENERATOR_KINDS]


def why_not_generated(kinds: list[str]) -> str | None:
    """Why these kinds cannot be planted together, in the learner's words, or None."""
    from trainer.rx.scenarios.generator import compatible

    chosen = [k for k in kinds if k]
    if any(k not in kind_table.GENERATOR_KINDS for k in chosen):
        return "Choose errors from the list."
    why = compatible(chosen)
    if why is None:
        return None
    # the core names kinds by code; the learner knows them by their titles
    for code in sorted(kind_table.GENERATOR_KINDS, key=len, reverse=True):
        why = why.replace(code, f"“{kind_table.ERROR_KINDS[code].title}”")
    return f"These errors cannot be planted in one prescription: {why}. Choose fewer, or others."


def generate_spec(kinds: list[str], seed: int) -> dict:
    """A generated scenario as a run stores it: its kinds and seed, from which the generator
    rebuilds exactly the same scenario (so the run needs no copy of the data)."""
    return {"generated": {"kinds": list(kinds), "seed": int(seed)}}


# ---- the instructors' preview ------------------------------------------------------------------------


def key_view(spec: dict) -> dict:
    """A scenario's key for the instructor's preview: every step's right answer and the planted problems."""
    from trainer.rx.scenarios import checks

    record = read(spec)
    drugs = drugs_for(record)
    if record.kind == "validation":
        label = checks.exercise_key_label(record, drugs)
        return {"kind": "validation", "dispense": record.dispense, "problems": planted_problems(spec),
                "expected_product": record.expected_product, "label": _label_dict(label), "rows": []}
    expected = record.expected
    product = checks.prescribed_product(record)
    rows = [
        ("Review", "Decision", dict(model_review_words()).get(expected.review, expected.review)),
        ("Review", "Can be filled", "yes" if expected.fillable else "no"),
        ("Entry", "Patient profile", _name(record.patient)),
        ("Entry", "Prescriber", _name(record.prescriber)),
        ("Entry", "Directions", expected.directions),
        ("Entry", "Quantity", "" if expected.quantity is None else f"{expected.quantity.normalize():f}"),
        ("Entry", "Days supply", "" if expected.days_supply is None else str(expected.days_supply)),
        ("Entry", "Refills", "" if expected.refills is None else str(expected.refills)),
        ("Entry", "DAW", str(expected.daw)),
        ("Product", "NDC", expected.ndc or (product.product.ndc if product else "")),
        ("Claim", "Rejects on first submission", ", ".join(expected.claim.rejects) or "none (paid)"),
        ("Claim", "DUR alerts", ", ".join(expected.claim.dur) or "none"),
        ("Claim", "Answers", "; ".join(f"{code}: {action.replace('_', ' ')}"
                                       for code, action in expected.claim.actions.items()) or "—"),
        ("Label", "Fields to correct", ", ".join(expected.label_fixes) or "none"),
    ]
    key_label = checks.key_label(record, drugs)
    return {"kind": "dispense", "rows": rows, "problems": planted_problems(spec),
            "label": _label_dict(key_label) if key_label is not None else None}


def model_review_words() -> list[tuple[str, str]]:
    return [("fill", "Fill it"), ("contact_prescriber", "Contact the prescriber"),
            ("route_to_pharmacist", "Route it to the pharmacist")]
