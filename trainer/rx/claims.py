"""Claim adjudication against a simulated payer, with NCPDP reject codes and what to do next.

    from trainer.rx import claims
    response = claims.adjudicate(request, plan, patient, drugs, today=date(2026, 3, 1))
    response.paid, response.patient_pay          # True, Decimal("5.00")
    [r.code for r in response.rejects]           # ["79"] …
    claims.REJECTS["75"].actions                 # what a technician may do about it

The payer works from `PlanRules` (BIN/PCN/group routing, eligible members, formulary
tiers and copays, prior authorisation, quantity and days-supply limits, the refill
threshold, DAW, coordination of benefits) and runs DUR (`trainer.rx.dur`); a major
clinical alert rejects with 88 unless the pharmacist's DUR override codes come with
the claim. Messages are NCPDP Telecommunication D.0 reject codes (field 511-FB).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from trainer.rx import dur as dur_rules
from trainer.rx import ndc as ndc_rules
from trainer.rx import npi as npi_rules
from trainer.rx.records import Drug, Patient, PlanRules, Prescription, Product

NCPDP_REJECTS = (
    "NCPDP Telecommunication Standard D.0, Reject Code (511-FB); public subset at "
    "https://hl7.org/fhir/us/carin-rtpbc/2020Feb/NamingSystem-carin-rtpbc-NamingSystem-ncpdp-reject-code.html"
)
NCPDP_DAW = "NCPDP Dispense as Written (DAW)/Product Selection Code (408-D8)"
NCPDP_SCC = "NCPDP Submission Clarification Code (420-DK)"

CALL_HELP_DESK = "call the payer's help desk (the number on the card or in the response) if the reason is not clear"
TELL_PHARMACIST = "tell the pharmacist"


@dataclass(frozen=True)
class RejectCode:
    """An NCPDP reject code: its message, the claim field it concerns, what a technician may do."""

    code: str
    message: str
    field: str
    actions: tuple[str, ...]
    pharmacist: bool = False  # resolving it needs the pharmacist's judgement


def _r(
    code: str, message: str, field_name: str, *actions: str, pharmacist: bool = False
) -> RejectCode:
    return RejectCode(code, message, field_name, actions, pharmacist)


REJECT_CODES: tuple[RejectCode, ...] = (
    _r(
        "01",
        "M/I BIN Number",
        "bin",
        "Check the BIN on the patient's current card and re-enter it",
        "Ask the patient for a newer card if the plan changed",
    ),
    _r(
        "04",
        "M/I Processor Control Number",
        "pcn",
        "Check the PCN on the card and re-enter it",
        "Ask for the current card",
    ),
    _r("06", "M/I Group ID", "group", "Check the group number on the card and re-enter it"),
    _r(
        "07",
        "M/I Cardholder ID",
        "cardholder_id",
        "Check the member ID on the card, including any prefix or suffix, and re-enter it",
    ),
    _r(
        "08",
        "M/I Person Code",
        "person_code",
        "Ask which person code the patient has (01 cardholder, 02 spouse, 03+ dependants) or check the card",
    ),
    _r(
        "09",
        "M/I Date of Birth",
        "birth_date",
        "Confirm the date of birth with the patient and correct the profile",
        "If the plan has it wrong, the patient calls the plan",
    ),
    _r(
        "15",
        "M/I Date of Service",
        "fill_date",
        "Correct the date of service to the date dispensed",
    ),
    _r(
        "19",
        "M/I Days Supply",
        "days_supply",
        "Recalculate the days supply from the quantity and the sig and resubmit",
    ),
    _r(
        "21",
        "M/I Product/Service ID",
        "ndc",
        "Check the NDC: 11 digits, no hyphens, from the package actually dispensed",
    ),
    _r(
        "22",
        "M/I Dispense As Written (DAW)/Product Selection Code",
        "daw",
        "Enter a valid DAW code (0–9) that matches the prescription and the product dispensed",
    ),
    _r(
        "25",
        "M/I Prescriber ID",
        "prescriber_npi",
        "Check the prescriber's NPI (10 digits, valid check digit) in the prescriber file",
        "Look the prescriber up in the NPPES registry",
    ),
    _r(
        "28",
        "M/I Date Prescription Written",
        "written",
        "Enter the date written from the prescription",
    ),
    _r(
        "29",
        "M/I Number of Refills Authorized",
        "refills",
        "Enter the number of refills the prescriber authorised",
    ),
    _r(
        "40",
        "Pharmacy Not Contracted With Plan On Date Of Service",
        "pharmacy",
        "Tell the patient the pharmacy is out of network",
        "Offer to transfer the prescription to an in-network pharmacy, or a cash price",
    ),
    _r(
        "41",
        "Submit Bill To Other Processor Or Primary Payer",
        "other_coverage",
        "Ask the patient about other insurance",
        "Bill the primary plan first, then send this plan the claim as secondary with the other-coverage code and the primary's payment",
    ),
    _r(
        "51",
        "Non-Matched Group ID",
        "group",
        "Check the group number against the card",
        "Ask for the current card",
    ),
    _r(
        "52",
        "Non-Matched Cardholder ID",
        "cardholder_id",
        "Check the member ID against the card",
        "Ask whether coverage changed; the patient may need to call the plan",
    ),
    _r(
        "53",
        "Non-Matched Person Code",
        "person_code",
        "Try the person code the card shows for this patient",
        "Confirm the patient's relationship to the cardholder",
    ),
    _r(
        "54",
        "Non-Matched Product/Service ID Number",
        "ndc",
        "Check that the NDC on the claim is the package dispensed",
        "If it is a new or repackaged product, tell the pharmacist",
    ),
    _r(
        "56",
        "Non-Matched Prescriber ID",
        "prescriber_npi",
        "Check the prescriber's NPI in the NPPES registry and update the prescriber file",
    ),
    _r(
        "60",
        "Product/Service Not Covered For Patient Age",
        "birth_date",
        "Confirm the date of birth",
        TELL_PHARMACIST + ": the prescriber may need a prior authorisation or another drug",
    ),
    _r(
        "61",
        "Product/Service Not Covered For Patient Gender",
        "sex",
        "Confirm the patient's sex in the profile",
        TELL_PHARMACIST + "; a prior authorisation may be needed",
    ),
    _r(
        "65",
        "Patient Is Not Covered",
        "cardholder_id",
        "Ask the patient for current insurance",
        "Offer a cash price or a discount card",
        "The patient may call the plan to confirm eligibility",
    ),
    _r(
        "67",
        "Filled Before Coverage Effective",
        "fill_date",
        "Check the date of service",
        "Ask whether the patient has other coverage for this date, or offer a cash price",
    ),
    _r(
        "69",
        "Filled After Coverage Terminated",
        "fill_date",
        "Ask the patient for current insurance",
        "Offer a cash price until new coverage is on file",
    ),
    _r(
        "70",
        "Product/Service Not Covered",
        "ndc",
        "Tell the patient the plan excludes this drug",
        TELL_PHARMACIST + ", who may contact the prescriber about a covered alternative",
        "Offer a cash price",
    ),
    _r(
        "75",
        "Prior Authorization Required",
        "prior_auth",
        "Notify the prescriber's office that the plan needs a prior authorisation (many send it electronically)",
        "Tell the patient about the delay and the options (cash price, pharmacist about alternatives)",
        "Resubmit once the prior authorisation is approved",
    ),
    _r(
        "76",
        "Plan Limitations Exceeded",
        "quantity",
        "Read the additional message for the limit (quantity, days supply)",
        "Reduce the quantity to the plan limit if the pharmacist and patient agree",
        "The prescriber may request an exception",
    ),
    _r(
        "77",
        "Discontinued Product/Service ID Number",
        "ndc",
        "Select an active NDC for the same product from stock and resubmit",
    ),
    _r(
        "78",
        "Cost Exceeds Maximum",
        "quantity",
        "Check the quantity and the unit of measure (mL, not packages) for a typing error",
        CALL_HELP_DESK,
    ),
    _r(
        "79",
        "Refill Too Soon",
        "fill_date",
        "Tell the patient the earliest date the plan will pay",
        "If the dose went up, the patient travels, or the supply was lost, tell the pharmacist: a submission clarification code may apply",
        "Offer a cash price for an early fill",
    ),
    _r(
        "81",
        "Claim Too Old",
        "fill_date",
        "Check the date of service",
        CALL_HELP_DESK + ": a late claim needs the payer's approval",
    ),
    _r(
        "82", "Claim Is Post-Dated", "fill_date", "Correct the date of service: it is in the future"
    ),
    _r(
        "83",
        "Duplicate Paid/Captured Claim",
        "prescription_id",
        "Check whether this fill was already billed",
        "If it was billed in error, reverse the earlier claim before resubmitting",
    ),
    _r(
        "88",
        "DUR Reject Error",
        "dur",
        "Route the DUR alert to the pharmacist: only the pharmacist reviews it and, if appropriate, enters the DUR override codes",
        pharmacist=True,
    ),
    _r(
        "92",
        "System Unavailable/Host Unavailable",
        "bin",
        "Try again shortly",
        "Follow the pharmacy's downtime procedure",
    ),
    _r("99", "Host Processing Error", "bin", "Resubmit the claim", CALL_HELP_DESK),
    _r(
        "E7",
        "M/I Quantity Dispensed",
        "quantity",
        "Enter the quantity dispensed in the product's billing unit (each, mL or g)",
    ),
    _r(
        "MR",
        "Product Not On Formulary",
        "ndc",
        "Tell the pharmacist, who may ask the prescriber for a formulary alternative",
        "The prescriber may request a formulary exception",
        "Offer a cash price",
    ),
)
REJECTS: dict[str, RejectCode] = {r.code: r for r in REJECT_CODES}

DAW_CODES = {
    0: "No product selection indicated",
    1: "Substitution not allowed by prescriber",
    2: "Substitution allowed – patient requested product dispensed",
    3: "Substitution allowed – pharmacist selected product dispensed",
    4: "Substitution allowed – generic drug not in stock",
    5: "Substitution allowed – brand drug dispensed as a generic",
    6: "Override",
    7: "Substitution not allowed – brand drug mandated by law",
    8: "Substitution allowed – generic drug not available in marketplace",
    9: "Substitution allowed by prescriber but plan requests brand",
}
# Submission clarification codes that let an early refill through.
EARLY_REFILL_OVERRIDES = {
    "03": "vacation supply",
    "04": "lost prescription",
    "05": "therapy change",
    "14": "long-term care leave of absence",
}


@dataclass(frozen=True)
class ClaimRequest:
    """What the pharmacy sends (the fields of an NCPDP B1 billing request the simulator uses)."""

    bin: str
    pcn: str
    group: str
    cardholder_id: str
    person_code: str
    birth_date: date | None
    ndc: str | None
    quantity: Decimal | None
    days_supply: int | None
    daw: int | None
    prescriber_npi: str | None
    written: date | None
    fill_date: date | None
    prescription_id: str | None = None
    fill_number: int = 0
    refills_authorized: int = 0
    brand_dispensed: bool = False
    prior_auth_number: str | None = None
    submission_clarification: str | None = None
    other_coverage_code: int | None = None  # 0–8; 2: other coverage paid
    other_payer_patient_responsibility: Decimal | None = None
    dur_override: tuple[str, str, str] | None = None  # reason, professional service, result codes
    daily_dose: Decimal | None = None


@dataclass(frozen=True)
class Reject:
    """A reject in a response: code, NCPDP message, the detail of this claim, what to do."""

    code: str
    message: str
    detail: str
    actions: tuple[str, ...]
    field: str
    pharmacist: bool = False


@dataclass(frozen=True)
class ClaimResponse:
    """The payer's answer: paid with amounts, or rejected with codes; DUR alerts either way."""

    paid: bool
    rejects: tuple[Reject, ...] = ()
    patient_pay: Decimal | None = None
    plan_pay: Decimal | None = None
    dur_alerts: tuple[dur_rules.DurAlert, ...] = ()
    messages: tuple[str, ...] = ()

    @property
    def codes(self) -> list[str]:
        """The reject codes, in the order the payer found them."""
        return [r.code for r in self.rejects]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """The rejects as (field, message) pairs, the way every rule reports problems."""
        return [
            (r.field, f"reject {r.code}, {r.message}" + (f": {r.detail}" if r.detail else "") + f" ({NCPDP_REJECTS})")
            for r in self.rejects
        ]


def reject(code: str, detail: str = "") -> Reject:
    """A Reject for a known code with this claim's detail."""
    known = REJECTS[code]
    return Reject(code, known.message, detail, known.actions, known.field, known.pharmacist)


def meaning(code: object) -> RejectCode | None:
    """The NCPDP reject code ("75", "MR", " 7") as its message and actions, or None."""
    if not isinstance(code, (str, int)) or isinstance(code, bool):
        return None
    text = str(code).strip().upper()
    if len(text) > 3:
        return None
    if text.isdigit():
        text = text.zfill(2)
    return REJECTS.get(text)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# A few recent references, each with its NDC index: building one parses every product's
# NDC, far too slow to repeat for every claim against the same reference.
_INDEXES: list[tuple[Mapping[str, Drug], int, dict[str, tuple[Drug, Product]]]] = []


def product_index(drugs: Mapping[str, Drug]) -> dict[str, tuple[Drug, Product]]:
    """The 11-digit billing form of every product's NDC → (drug, product)."""
    for mapping, size, index in _INDEXES:
        if mapping is drugs and size == len(drugs):
            return index
    index = {}
    for drug in drugs.values():
        for product in drug.products:
            try:
                index.setdefault(ndc_rules.billing(product.ndc), (drug, product))
            except ndc_rules.NdcError:
                continue
    _INDEXES.insert(0, (drugs, len(drugs), index))
    del _INDEXES[4:]
    return index


def find_product(ndc: str, drugs: Mapping[str, Drug]) -> tuple[Drug, Product] | None:
    """The reference drug and product of an NDC in any shape, or None."""
    try:
        key = ndc_rules.billing(ndc)
    except ndc_rules.NdcError:
        return None
    return product_index(drugs).get(key)


def adjudicate(
    request: ClaimRequest,
    plan: PlanRules,
    patient: Patient,
    drugs: Mapping[str, Drug],
    *,
    today: date,
    prescription: Prescription | None = None,
) -> ClaimResponse:
    """Adjudicate one claim: the first failing group of edits rejects it, as real payers do."""
    rejects = _header(request, plan)
    if rejects:
        return ClaimResponse(False, tuple(rejects))
    member = plan.member(request.cardholder_id, request.person_code)
    rejects = _eligibility(request, plan, member)
    if rejects:
        return ClaimResponse(False, tuple(rejects))
    rejects, found = _claim_fields(request, drugs, today)
    if rejects or found is None:
        return ClaimResponse(False, tuple(rejects))
    drug, product = found
    assert (
        member is not None
        and request.fill_date is not None
        and request.quantity is not None
        and request.days_supply is not None
    )
    rejects = _coverage(request, plan, patient, member, drug)
    if rejects:
        return ClaimResponse(False, tuple(rejects))
    messages: list[str] = []
    rejects = _utilisation(request, plan, patient, drug, messages)
    rx = prescription or Prescription(
        patient=patient,
        prescriber=None,
        drug=drug.generic,
        generic=drug.generic,
        prescription_id=request.prescription_id,
    )
    alerts = dur_rules.review(
        rx,
        drugs,
        fill_date=request.fill_date,
        days_supply=request.days_supply,
        daily_dose=request.daily_dose,
    )
    clinical = [a for a in alerts if a.severity == "major" and a.code != "ER"]
    if clinical and not rejects:
        if request.dur_override is None:
            rejects.append(reject("88", "; ".join(f"{a.code}: {a.message}" for a in clinical)))
        else:
            messages.append(
                "DUR override codes "
                + "/".join(request.dur_override)
                + " accepted (entered by the pharmacist)."
            )
    if rejects:
        return ClaimResponse(
            False, tuple(rejects), dur_alerts=tuple(alerts), messages=tuple(messages)
        )
    return _price(request, plan, drug, product, alerts, messages)


def _header(request: ClaimRequest, plan: PlanRules) -> list[Reject]:
    rejects: list[Reject] = []
    if not request.bin or not request.bin.isdigit() or len(request.bin) != 6:
        rejects.append(reject("01", "the BIN is 6 digits"))
    elif request.bin != plan.bin:
        rejects.append(reject("01", "this BIN does not route to the plan"))
    if not request.pcn:
        rejects.append(reject("04", "the PCN is missing"))
    elif request.pcn != plan.pcn:
        rejects.append(reject("04", "the PCN does not match the plan"))
    if not request.group:
        rejects.append(reject("06", "the group number is missing"))
    elif request.group != plan.group:
        rejects.append(reject("51", "the group number is not this plan's"))
    return rejects


def _eligibility(request: ClaimRequest, plan: PlanRules, member) -> list[Reject]:
    if not request.cardholder_id:
        return [reject("07", "the member ID is missing")]
    if not request.person_code:
        return [reject("08", "the person code is missing")]
    if member is None:
        if any(m.cardholder_id == request.cardholder_id for m in plan.members):
            return [reject("53", "no one with this person code is covered under the member ID")]
        return [reject("52", "the plan has no member with this ID")]
    if request.birth_date is None or request.birth_date != member.birth_date:
        return [reject("09", "the date of birth does not match the plan's record")]
    if request.fill_date is None:
        return [reject("15", "the date of service is missing")]
    if request.fill_date < member.effective:
        return [reject("67", f"coverage starts {member.effective.isoformat()}")]
    if member.terminated is not None and request.fill_date > member.terminated:
        return [reject("65", f"coverage ended {member.terminated.isoformat()}")]
    if not plan.pharmacy_in_network:
        return [reject("40")]
    if not plan.primary and not request.other_coverage_code:
        return [reject("41", "another plan is primary for this patient")]
    return []


def _claim_fields(
    request: ClaimRequest, drugs: Mapping[str, Drug], today: date
) -> tuple[list[Reject], tuple[Drug, Product] | None]:
    rejects: list[Reject] = []
    found = None
    if not request.ndc:
        rejects.append(reject("21", "the NDC is missing"))
    else:
        digits = request.ndc.replace("-", "")
        if not (digits.isdigit() and len(digits) == 11):
            rejects.append(reject("21", "a claim carries the 11-digit NDC without hyphens"))
        else:
            found = find_product(digits, drugs)
            if found is None:
                rejects.append(reject("54", "the payer's file has no product with this NDC"))
    if request.quantity is None or request.quantity <= 0:
        rejects.append(reject("E7", "the quantity is missing or zero"))
    if (
        request.days_supply is None
        or isinstance(request.days_supply, bool)
        or request.days_supply <= 0
        or request.days_supply > 365
    ):
        rejects.append(reject("19", "the days supply is missing or impossible"))
    if request.daw is None or isinstance(request.daw, bool) or request.daw not in DAW_CODES:
        rejects.append(reject("22", "DAW codes are 0 to 9"))
    if not request.prescriber_npi or not npi_rules.check(request.prescriber_npi).valid:
        rejects.append(reject("25", "the prescriber NPI is missing or fails its check digit"))
    if request.written is None:
        rejects.append(reject("28", "the date written is missing"))
    if request.refills_authorized < 0 or request.refills_authorized > 99:
        rejects.append(reject("29"))
    if request.fill_date is not None:
        if request.fill_date > today:
            rejects.append(reject("82", "the date of service is after today"))
        elif request.fill_date < today - timedelta(days=90):
            rejects.append(reject("81", "more than 90 days after the date of service"))
        if request.written is not None and request.fill_date < request.written:
            rejects.append(reject("15", "the date of service is before the date written"))
    return rejects, found


def _coverage(
    request: ClaimRequest, plan: PlanRules, patient: Patient, member, drug: Drug
) -> list[Reject]:
    if drug.generic in plan.excluded:
        return [reject("70", f"{drug.generic} is excluded from the plan")]
    entry = plan.entry_for(drug.generic)
    if entry is None:
        return [reject("MR", f"{drug.generic} is not on the plan's formulary")]
    assert request.fill_date is not None
    if entry.min_age is not None and patient.age_on(request.fill_date) < entry.min_age:
        return [reject("60", f"covered from age {entry.min_age}")]
    if entry.sex is not None and member.sex != "unknown" and member.sex != entry.sex:
        return [reject("61", f"covered for {entry.sex} patients")]
    if entry.prior_auth and not request.prior_auth_number:
        return [reject("75", f"{drug.generic} needs prior authorisation on this plan")]
    return []


def _utilisation(
    request: ClaimRequest, plan: PlanRules, patient: Patient, drug: Drug, messages: list[str]
) -> list[Reject]:
    assert (
        request.quantity is not None
        and request.days_supply is not None
        and request.fill_date is not None
    )
    rejects: list[Reject] = []
    entry = plan.entry_for(drug.generic)
    if request.days_supply > plan.max_days_supply:
        rejects.append(reject("76", f"the plan pays at most a {plan.max_days_supply}-day supply"))
    elif entry is not None and entry.quantity_limit is not None:
        per_period = request.quantity / request.days_supply * entry.limit_days
        if per_period > entry.quantity_limit:
            rejects.append(
                reject("76", f"quantity limit: {entry.quantity_limit} per {entry.limit_days} days")
            )
    if request.fill_number > 0 and not plan.pays_refills:
        rejects.append(reject("76", "the plan does not pay refills at this pharmacy"))
    if request.prescription_id:
        for fill in patient.history:
            if (
                fill.prescription_id == request.prescription_id
                and fill.fill_date == request.fill_date
            ):
                return [reject("83", "this prescription was already paid for this date of service")]
    earlier = sorted(
        (
            f
            for f in patient.history
            if f.generic == drug.generic and f.fill_date <= request.fill_date
        ),
        key=lambda f: f.fill_date,
    )
    if earlier and not rejects:
        last = earlier[-1]
        earliest = last.fill_date + timedelta(
            days=int(
                (plan.refill_threshold * last.days_supply).to_integral_value(
                    rounding="ROUND_CEILING"
                )
            )
        )
        if request.fill_date < earliest:
            code = request.submission_clarification
            if code in EARLY_REFILL_OVERRIDES:
                messages.append(
                    f"Early refill paid with submission clarification code {code} ({EARLY_REFILL_OVERRIDES[code]})."
                )
            else:
                rejects.append(reject("79", f"next fill date {earliest.isoformat()}"))
    return rejects


def _price(
    request: ClaimRequest,
    plan: PlanRules,
    drug: Drug,
    product: Product,
    alerts,
    messages: list[str],
) -> ClaimResponse:
    assert request.quantity is not None and request.daw is not None
    entry = plan.entry_for(drug.generic)
    assert entry is not None
    cost = _money(product.unit_price * request.quantity)
    tier = entry.tier
    penalty = Decimal(0)
    if request.brand_dispensed:
        if request.daw in (1, 7, 9):
            tier = entry.brand_tier or tier
        elif request.daw == 2 and plan.brand_penalty:
            tier = entry.brand_tier or tier
            generics = [p for p in drug.products if p.brand is None and p.unit_price > 0]
            if generics:
                generic_cost = _money(min(p.unit_price for p in generics) * request.quantity)
                penalty = max(Decimal(0), cost - generic_cost)
            messages.append(
                "DAW 2: the patient asked for the brand and pays the difference between brand and generic cost."
            )
        elif request.daw == 0:
            messages.append("A brand was dispensed with DAW 0: check the DAW code.")
    copay = plan.copays.get(tier, Decimal("0"))
    patient_pay = min(cost, copay) + penalty
    if not plan.primary and request.other_payer_patient_responsibility is not None:
        patient_pay = min(patient_pay, request.other_payer_patient_responsibility)
        messages.append("Paid as the secondary payer (coordination of benefits).")
    patient_pay = _money(min(patient_pay, cost))
    plan_pay = _money(cost - patient_pay)
    return ClaimResponse(True, (), patient_pay, plan_pay, tuple(alerts), tuple(messages))
