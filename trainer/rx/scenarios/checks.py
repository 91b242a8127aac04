"""What the rules core says about a scenario: the prescription record, the key values, the
claim, the label, and every problem it finds (each classified into a planted-problem kind).

Nothing here decides a pharmacy fact itself: DEA and NPI numbers go to `dea`/`npi`,
refills and required elements to `controlled`, the sig to `sig`, the days supply to
`supply`, the claim to `claims`, the profile to `dur`, the label to `labels`. The only
rule of its own is the state's validity period for a non-controlled prescription, which
the federal core leaves to the states; it is a scenario setting with its citation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from trainer.rx import claims, controlled, dea, dur, labels, npi, sig, supply
from trainer.rx import ndc as ndc_rules
from trainer.rx.check import cited
from trainer.rx.records import Drug, Patient, Prescriber, Prescription, Product
from trainer.rx.scenarios.kinds import ERROR_KINDS, LABEL_FIELD_KINDS, STATE_VALIDITY
from trainer.rx.scenarios.model import PresentedRx, Scenario, ShelfEntry, ValidationExercise


@dataclass(frozen=True)
class Finding:
    """One problem the rules core finds, the planted-problem kind it is, and the core's cited message."""

    kind: str  # a key of ERROR_KINDS, "label:<field>", or "other"
    field: str
    message: str


# ---- the prescription after the technician's calls --------------------------------------


def resolved(scenario: Scenario) -> tuple[PresentedRx, Prescriber]:
    """The prescription and prescriber once every planted problem's resolution is applied."""
    rx, prescriber = scenario.prescription, scenario.prescriber
    for problem in scenario.problems:
        for name, value in problem.resolution.items():
            if name.startswith("prescriber."):
                prescriber = replace(prescriber, **{name.removeprefix("prescriber."): value})
            else:
                rx = replace(rx, **{_RX_FIELDS.get(name, name): value})
    return rx, prescriber


_RX_FIELDS = {"dosage_form": "form"}


def record(
    rx: PresentedRx,
    patient: Patient,
    prescriber: Prescriber | None,
    drugs: Mapping[str, Drug],
) -> Prescription:
    """The core's `Prescription` for a presented prescription (schedule from the drug reference)."""
    drug = drugs.get(rx.generic)
    return Prescription(
        patient=patient,
        prescriber=prescriber,
        drug=rx.drug,
        generic=rx.generic,
        strength=rx.strength,
        dosage_form=rx.form,
        quantity=rx.quantity,
        quantity_unit=rx.quantity_unit,
        sig=rx.sig,
        refills=rx.refills,
        written=rx.written,
        origin=rx.origin,
        daw=rx.daw,
        signed=rx.signed,
        schedule=drug.schedule if drug else None,
        earliest_fill=rx.earliest_fill,
        prescription_id=rx.rx_number or None,
        indication=rx.indication,
    )


def schedule(rx: PresentedRx, drugs: Mapping[str, Drug]) -> str | None:
    """The drug's DEA schedule ("CII"…) from the reference, or None."""
    drug = drugs.get(rx.generic)
    return drug.schedule if drug else None


# ---- key values the core computes ----------------------------------------------------------


def directions(sig_text: str) -> str:
    """The patient directions the sig translates to."""
    return sig.translate(sig_text)


def prescribed_product(scenario: Scenario, rx: PresentedRx | None = None) -> ShelfEntry | None:
    """The shelf entry that is the prescribed drug, strength and form (the first, if several)."""
    rx = rx or resolved(scenario)[0]
    for entry in scenario.shelf:
        if entry.trap is None and matches(entry.product, rx):
            return entry
    return None


def matches(product: Product, rx: PresentedRx) -> bool:
    """Whether a product is the prescribed drug in the prescribed strength and form."""
    return (
        product.generic == rx.generic
        and _fold(product.strength) == _fold(rx.strength)
        and _fold(product.form) == _fold(rx.form)
    )


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().replace(" per ", "/").split()).replace(" ", "")


_UNITS_PER_ML = re.compile(r"(\d+)\s*units/mL", re.IGNORECASE)


def days_supply(
    rx: PresentedRx, product: Product | None, *, actuations: int | None = None
) -> supply.Supply | None:
    """The days supply of the prescribed quantity by its sig, worked by `trainer.rx.supply`.

    Insulin is capped by the product's in-use period, eye drops count 20 drops a mL and
    both eyes twice, inhalers count actuations, a taper sums its steps, and a PRN sig
    counts its maximum. None when the core cannot work it out from the data (a cream
    applied "to the affected area").
    """
    if rx.quantity is None or product is None:
        return None
    read = sig.read(rx.sig)
    if not read.clauses:
        return None
    if len(read.clauses) > 1:
        return supply.taper(rx.sig)
    clause = read.clauses[0]
    form = product.form.casefold()
    concentration = _UNITS_PER_ML.search(product.strength)
    if concentration and clause.amount is not None and clause.per_day is not None:
        units = clause.amount * clause.per_day
        per_package = Decimal(10) if form == "vial" else Decimal(3)
        packages = rx.quantity / per_package
        if packages != packages.to_integral_value():
            return None
        count = int(packages)
        return supply.insulin(
            units_per_day=units,
            vials=count if form == "vial" else 0,
            pens=0 if form == "vial" else count,
            units_per_ml=int(concentration.group(1)),
            injections_per_day=int(clause.per_day) if clause.per_day == int(clause.per_day) else 1,
            in_use_days=product.in_use_days or supply.INSULIN_IN_USE_DAYS,
        )
    if "ophthalmic" in form and clause.amount is not None and clause.per_day is not None:
        both = any(w in read.directions.casefold() for w in ("both eyes", "each eye"))
        return supply.eye_drops(
            ml=rx.quantity,
            drops_per_dose=clause.amount,
            doses_per_day=clause.per_day,
            eyes=2 if both else 1,
            in_use_days=product.in_use_days,
        )
    if form == "inhaler":
        count = actuations or product.actuations
        if count is None or clause.amount is None:
            return None
        per_day = clause.per_day
        if clause.max_per_day is not None:
            per_day = clause.max_per_day / clause.amount
        elif per_day is None and (clause.frequency_text or "").startswith("every "):
            # "every 4 to 6 hours" as needed: supplied at its most frequent, as supply.from_sig does
            hours = (clause.frequency_text or "").removeprefix("every ").split()[0]
            if hours.isdigit() and int(hours) and 24 % int(hours) == 0:
                per_day = Decimal(24 // int(hours))
        if per_day is None:
            return None
        inhalers = int(rx.quantity) if rx.quantity == int(rx.quantity) else 1
        return supply.inhaler(
            actuations=count, puffs_per_dose=clause.amount, doses_per_day=per_day, inhalers=inhalers
        )
    if clause.amount is None:
        # "apply to the affected area": no amount a day to divide by; the prescriber's duration is the supply
        if clause.duration_days:
            return supply.Supply(
                clause.duration_days,
                None,
                [f"No measurable amount a dose: the days supply is the {clause.duration_days} days the prescriber wrote."],
            )
        return None
    result = supply.from_sig(rx.quantity, rx.sig)
    if result.days is None:
        return None
    if clause.duration_days and result.days > clause.duration_days:
        # a course with a stated length lasts that long, even when the bottle holds a little more
        return supply.Supply(
            clause.duration_days,
            None,
            result.steps + [f"The course is {clause.duration_days} days long: the days supply is {clause.duration_days}."],
        )
    if product.in_use_days and result.days > product.in_use_days:
        return supply.Supply(
            product.in_use_days,
            None,
            result.steps + [f"Capped at the {product.in_use_days}-day in-use period after opening."],
            cited(f"the {product.in_use_days}-day discard period after opening", supply.IN_USE_RULE),
        )
    return result


def claim_request(
    scenario: Scenario,
    *,
    ndc: str | None,
    quantity: Decimal | None,
    days_supply: int | None,
    daw: int | None,
    refills: int | None = None,
    prescriber: Prescriber | None = None,
    **extra,
) -> claims.ClaimRequest:
    """The B1 claim the pharmacy system sends for an entry: the card, the product and the entry's fields."""
    card = scenario.insurance
    rx, resolved_prescriber = resolved(scenario)
    prescriber = prescriber or resolved_prescriber
    try:
        billed = ndc_rules.billing(ndc) if ndc else None
    except ndc_rules.NdcError:
        billed = ndc
    return claims.ClaimRequest(
        bin=card.bin if card else "",
        pcn=card.pcn if card else "",
        group=card.group if card else "",
        cardholder_id=card.cardholder_id if card else "",
        person_code=card.person_code if card else "",
        birth_date=scenario.patient.birth_date,
        ndc=billed,
        quantity=quantity,
        days_supply=days_supply,
        daw=daw,
        prescriber_npi=prescriber.npi,
        written=rx.written,
        fill_date=scenario.date,
        prescription_id=rx.rx_number or None,
        fill_number=rx.fill_number,
        refills_authorized=rx.refills if refills is None else refills,
        **extra,
    )


def key_request(scenario: Scenario, **changes) -> claims.ClaimRequest:
    """The claim the key entry sends, with `changes` (a resubmission's corrected fields)."""
    expected = scenario.expected
    fields: dict[str, object] = {
        "ndc": expected.ndc,
        "quantity": expected.quantity,
        "days_supply": expected.days_supply,
        "daw": expected.daw,
        "refills": expected.refills,
    }
    extra: dict[str, object] = {}
    for name, value in changes.items():
        if name in fields:
            fields[name] = value
        elif name == "dur_override" and value is not None:
            extra[name] = tuple(value)  # type: ignore[arg-type]
        else:
            extra[name] = value
    return claim_request(scenario, **fields, **extra)  # type: ignore[arg-type]


def submit(
    scenario: Scenario, request: claims.ClaimRequest, drugs: Mapping[str, Drug]
) -> claims.ClaimResponse:
    """The simulated payer's answer to a claim for this scenario (`claims.adjudicate` on its plan)."""
    rx, prescriber = resolved(scenario)
    return claims.adjudicate(
        request,
        scenario.plan,
        scenario.patient,
        drugs,
        today=scenario.date,
        prescription=record(rx, scenario.patient, prescriber, drugs),
    )


def key_label(scenario: Scenario, drugs: Mapping[str, Drug]) -> labels.Label | None:
    """The label a correct fill prints (None when the review stops the fill)."""
    rx, prescriber = resolved(scenario)
    entry = prescribed_product(scenario, rx)
    if entry is None or not scenario.expected.fillable:
        return None
    rx_for_label = replace(rx, refills=scenario.expected.refills or 0)
    prescription = record(rx_for_label, scenario.patient, prescriber, drugs)
    return labels.build(
        prescription,
        entry.product,
        scenario.pharmacy,
        rx_number=rx.rx_number or "6000001",
        fill_date=scenario.date,
        drug=drugs.get(rx.generic),
        refill_number=0,
    )


def printed_label(scenario: Scenario, drugs: Mapping[str, Drug]) -> labels.Label | None:
    """The label the system printed for step 5: the key label with the planted label errors."""
    label = key_label(scenario, drugs)
    if label is None:
        return None
    return labels.with_changes(label, **_label_values(scenario.label_errors))


def _label_values(changes: Mapping[str, object]) -> dict[str, object]:
    values = dict(changes)
    for name in ("auxiliary_labels", "cautions"):
        if name in values and isinstance(values[name], (list, tuple)):
            values[name] = tuple(values[name])  # type: ignore[arg-type]
    return values


# ---- findings -------------------------------------------------------------------------------------


def findings(scenario: Scenario, drugs: Mapping[str, Drug]) -> list[Finding]:
    """Every problem the rules core finds in a scenario, each classified into a planted-problem kind."""
    found: list[Finding] = []
    rx, prescriber = scenario.prescription, scenario.prescriber
    sched = schedule(rx, drugs)
    found += _prescriber_findings(prescriber, sched)
    found += _prescription_findings(scenario, rx, sched, drugs)
    found += _shelf_findings(scenario, drugs)
    if not scenario.expected.fillable:
        return found
    found += _payer_findings(scenario, drugs)
    label = printed_label(scenario, drugs)
    if label is not None:
        rx_resolved, prescriber_resolved = resolved(scenario)
        rx_for_label = replace(rx_resolved, refills=scenario.expected.refills or 0)
        check = labels.check(
            label,
            record(rx_for_label, scenario.patient, prescriber_resolved, drugs),
            drug=drugs.get(rx.generic),
        )
        found += [Finding(f"label:{name}", name, message) for name, message in check.problems]
    return found


def _prescriber_findings(prescriber: Prescriber, sched: str | None) -> list[Finding]:
    found: list[Finding] = []
    if prescriber.dea:
        check = dea.check(prescriber.dea, prescriber.last_name, prescriber=True)
        for _name, message in check.problems:
            if "check digit" in message:
                found.append(Finding("dea_check_digit", "prescriber.dea", message))
            elif "does not match the surname" in message:
                found.append(Finding("dea_surname", "prescriber.dea", message))
            else:
                found.append(Finding("other", "prescriber.dea", message))
    check = npi.check(prescriber.npi)
    found += [Finding("other", "prescriber.npi", message) for _n, message in check.problems]
    return found


def _prescription_findings(
    scenario: Scenario, rx: PresentedRx, sched: str | None, drugs: Mapping[str, Drug]
) -> list[Finding]:
    found: list[Finding] = []
    record_ = record(rx, scenario.patient, scenario.prescriber, drugs)
    if rx.generic not in drugs:
        found.append(Finding("other", "generic", f"{rx.generic} is not in the drug reference"))
    required = controlled.check_required_elements(record_)
    for name, message in required.problems:
        if name == "quantity":
            found.append(Finding("missing_quantity", "quantity", message))
        elif name == "written":
            found.append(Finding("missing_date", "written", message))
        elif name == "signed":
            if rx.presentation != "phoned":
                found.append(Finding("missing_signature", "signed", message))
        else:
            found.append(Finding("other", name, message))
    # Without a date the refill limits of a C-II still apply: check them against the date of service.
    check = controlled.check_refills(sched, rx.refills, rx.written or scenario.date, scenario.date)
    for name, message in check.problems:
        if rx.written is None and name != "refills":
            continue
        if name == "refills" and sched == "CII":
            found.append(Finding("c2_refills", "refills", message))
        elif name == "fill_date" and sched in ("CIII", "CIV"):
            found.append(Finding("c3_over_six_months", "written", message))
        else:
            found.append(Finding("other", name, message))
    if rx.written is not None and sched is None and scenario.date > controlled.add_months(
        rx.written, scenario.state_validity_months
    ):
        limit = controlled.add_months(rx.written, scenario.state_validity_months)
        found.append(
            Finding(
                "expired",
                "written",
                cited(
                    f"written {rx.written.isoformat()}: valid until {limit.isoformat()}",
                    STATE_VALIDITY,
                ),
            )
        )
    if rx.transfer is not None and sched is not None:
        moved = controlled.check_transfer(
            sched,
            electronic=False,
            filled=rx.transfer.first_filled is not None,
            previous_transfers=rx.transfer.previous_transfers,
            written=rx.written,
            transfer_date=scenario.date,
        )
        for name, message in moved.problems:
            if name == "transfer_date" and any(f.kind == "c3_over_six_months" for f in found):
                continue  # the same expiry, already found
            found.append(Finding("other", name, message))
    flags = sig.error_prone(rx.sig)
    if flags:
        found.append(
            Finding(
                "error_prone_abbreviation",
                "sig",
                cited(
                    "; ".join(f"{f.token}: {f.advice}" for f in flags),
                    ERROR_KINDS["error_prone_abbreviation"].rule,
                ),
            )
        )
    return found


def _shelf_findings(scenario: Scenario, drugs: Mapping[str, Drug]) -> list[Finding]:
    rx = resolved(scenario)[0]
    found: list[Finding] = []
    prescribed = drugs.get(rx.generic)
    for entry in scenario.shelf:
        product = entry.product
        if matches(product, rx):
            continue
        if product.generic == rx.generic and _fold(product.form) == _fold(rx.form):
            found.append(
                Finding(
                    "wrong_strength_on_shelf",
                    "shelf",
                    cited(
                        f"{product.ndc} is {product.label_name}; the prescription is for {rx.strength}",
                        ERROR_KINDS["wrong_strength_on_shelf"].rule,
                    ),
                )
            )
        elif _lasa(prescribed, drugs.get(product.generic)):
            found.append(
                Finding(
                    "lasa_on_shelf",
                    "shelf",
                    cited(
                        f"{product.ndc} is {product.label_name}, a look-alike/sound-alike of {rx.generic}",
                        ERROR_KINDS["lasa_on_shelf"].rule,
                    ),
                )
            )
    return found


def _lasa(first: Drug | None, second: Drug | None) -> bool:
    if first is None or second is None or first.generic == second.generic:
        return False
    names_2 = {n.casefold() for n in second.names}
    names_1 = {n.casefold() for n in first.names}
    return any(p.name.casefold() in names_2 for p in first.lasa) or any(
        p.name.casefold() in names_1 for p in second.lasa
    )


def _payer_findings(scenario: Scenario, drugs: Mapping[str, Drug]) -> list[Finding]:
    found: list[Finding] = []
    response = submit(scenario, key_request(scenario), drugs)
    for code, field_name, message in _classified(response):
        found.append(Finding(code, field_name, message))
    # The pharmacy system runs its own DUR at entry, whatever the payer answers first.
    for alert in dur_alerts(scenario, drugs):
        message = f"{alert.code} ({alert.reason}, {alert.severity}): {alert.message} ({alert.source})"
        code = {"DA": "allergy", "DD": "interaction", "ER": "refill_too_soon"}.get(alert.code, "dur_alert")
        found.append(Finding(code, "dur", message))
    return found


def _classified(response: claims.ClaimResponse):
    for reject, (field_name, message) in zip(response.rejects, response.problems, strict=True):
        if reject.code == "79":
            yield "refill_too_soon", field_name, message
        elif reject.code == "75":
            yield "prior_auth", field_name, message
        elif reject.code == "76" and "quantity limit" in reject.detail:
            yield "quantity_limit", field_name, message
        elif reject.code == "76" and "supply" in reject.detail:
            yield "days_supply_limit", field_name, message
        elif reject.code == "88":
            continue  # the DUR alerts name what it is
        else:
            yield "other", field_name, message


def dur_alerts(scenario: Scenario, drugs: Mapping[str, Drug]) -> list[dur.DurAlert]:
    """The DUR alerts of the resolved prescription on the date of service."""
    rx, prescriber = resolved(scenario)
    return dur.review(
        record(rx, scenario.patient, prescriber, drugs),
        drugs,
        fill_date=scenario.date,
        days_supply=scenario.expected.days_supply,
    )


# ---- validation exercises ---------------------------------------------------------------------------


def exercise_label(exercise: ValidationExercise, drugs: Mapping[str, Drug]) -> labels.Label:
    """The label the colleague printed: built for the dispensed product, then the planted changes."""
    rx = exercise.prescription
    prescription = record(rx, exercise.patient, exercise.prescriber, drugs)
    label = labels.build(
        prescription,
        exercise.product,
        exercise.pharmacy,
        rx_number=rx.rx_number or "6000001",
        fill_date=exercise.date,
        drug=drugs.get(rx.generic),
    )
    return labels.with_changes(label, **_label_values(exercise.label_changes))


def exercise_findings(exercise: ValidationExercise, drugs: Mapping[str, Drug]) -> list[Finding]:
    """Every error the core finds in a filled prescription: the product against the prescription, and the label."""
    rx = exercise.prescription
    found: list[Finding] = []
    product = exercise.product
    if not ndc_rules.same_product(product.ndc, exercise.expected_product.ndc):
        if product.generic != rx.generic:
            found.append(
                Finding(
                    "wrong_drug_dispensed",
                    "product",
                    cited(
                        f"the vial holds {product.label_name} ({product.ndc}); the prescription is for {rx.drug}",
                        ERROR_KINDS["lasa_on_shelf"].rule,
                    ),
                )
            )
        elif _fold(product.strength) != _fold(rx.strength):
            found.append(
                Finding(
                    "wrong_strength_dispensed",
                    "product",
                    cited(
                        f"the vial holds {product.strength}; the prescription is for {rx.strength}",
                        ERROR_KINDS["wrong_strength_on_shelf"].rule,
                    ),
                )
            )
        else:
            found.append(Finding("other", "product", f"{product.ndc} is not the expected package"))
    label = exercise_label(exercise, drugs)
    check = labels.check(
        label, record(rx, exercise.patient, exercise.prescriber, drugs), drug=drugs.get(rx.generic)
    )
    product_problem = any(f.field == "product" for f in found)
    for name, message in check.problems:
        kind = LABEL_FIELD_KINDS.get(name, "other")
        if name == "drug" and product_problem and "drug" not in exercise.label_changes:
            continue  # the label names what is in the vial: the product finding says it
        if name == "directions" and "still use" in message:
            kind = "abbreviation_on_label"
        found.append(Finding(kind, name, message))
    return found


def exercise_key_label(exercise: ValidationExercise, drugs: Mapping[str, Drug]) -> labels.Label:
    """The label a correct fill of the exercise would print."""
    rx = exercise.prescription
    return labels.build(
        record(rx, exercise.patient, exercise.prescriber, drugs),
        exercise.expected_product,
        exercise.pharmacy,
        rx_number=rx.rx_number or "6000001",
        fill_date=exercise.date,
        drug=drugs.get(rx.generic),
    )
