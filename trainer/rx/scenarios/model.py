"""The records of a prescription-processing scenario and of a pharmacist-check exercise.

A scenario is plain data: the patient profile with insurance, the prescriber, the
prescription as it reached the pharmacy, the problems its author planted, the shelf,
the payer's plan rules and the key of every step. The people, drugs and plan reuse the
records of `trainer.rx.records`, so every rule of the core takes them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from trainer.rx.records import Address, Patient, Pharmacy, PlanRules, Prescriber, Product

# How the prescription reached the pharmacy, and the `Prescription.origin` each becomes.
PRESENTATIONS = ("written", "eprescribed", "phoned", "transfer")
ORIGIN_OF = {
    "written": "written",
    "eprescribed": "electronic",
    "phoned": "oral",
    "transfer": "transfer",
}
# NCPDP Patient Relationship Code (306-C6).
RELATIONSHIP_CODES = {
    0: "not specified",
    1: "cardholder",
    2: "spouse",
    3: "child",
    4: "other",
}
# What the technician decides after reading the prescription (step 1).
REVIEW_ACTIONS = ("fill", "contact_prescriber", "route_to_pharmacist")
# What the technician does about a reject or a DUR alert (step 4).
CLAIM_ACTIONS = (
    "correct_and_resubmit",
    "request_prior_auth",
    "contact_prescriber",
    "route_to_pharmacist",
    "tell_patient_next_fill_date",
)
# The five steps of a dispensing run, in order.
STEPS = ("review", "entry", "product", "claim", "label")
SHELF_TRAPS = ("lasa", "wrong_strength", "wrong_form")

DEFAULT_PHARMACY = Pharmacy(
    name="RxTrainer Community Pharmacy (training)",
    address=Address("100 Main Street", "Springfield", "IL", "62701"),
    phone="(217) 555-0100",
)


@dataclass(frozen=True)
class Insurance:
    """The patient's prescription card: where the claim goes and who the patient is to the plan."""

    bin: str
    pcn: str
    group: str
    cardholder_id: str
    person_code: str = "01"
    relationship: int = 1  # NCPDP 306-C6: 1 cardholder, 2 spouse, 3 child, 4 other
    cardholder_name: str = ""  # when the patient is not the cardholder
    effective: date | None = None
    terminated: date | None = None


@dataclass(frozen=True)
class Transfer:
    """A prescription transferred in: where from, and what the other pharmacy reported."""

    from_pharmacy: str
    from_phone: str = ""
    from_pharmacist: str = ""
    original_rx_number: str = ""
    original_written: date | None = None
    first_filled: date | None = None
    last_filled: date | None = None
    refills_remaining: int = 0
    previous_transfers: int = 0


@dataclass(frozen=True)
class PhoneCall:
    """A prescription phoned in by the prescriber's office and written down by the pharmacist."""

    caller: str
    received_by: str = ""
    callback: str = ""


@dataclass(frozen=True)
class PresentedRx:
    """The prescription as the pharmacy received it: every field exactly as it was written or sent."""

    presentation: str  # one of PRESENTATIONS
    drug: str  # as written: "amoxicillin 400 mg/5 mL oral suspension"
    generic: str  # the reference drug it names
    strength: str = ""
    form: str = ""
    quantity: Decimal | None = None  # None: the prescriber left it out
    quantity_unit: str = ""
    quantity_written: str = ""  # "thirty (30)", how the pad shows it, when that matters
    sig: str = ""
    handwritten_sig: bool = False  # render the sig in a handwriting style
    refills: int = 0
    written: date | None = None  # None: the date is missing
    daw: int = 0  # 1: the prescriber wrote "dispense as written"
    signed: bool = True
    indication: str | None = None
    earliest_fill: date | None = None
    rx_number: str = ""  # the pharmacy's prescription number for this fill
    fill_number: int = 0  # 0 the original fill, n the nth refill
    notes: str = ""  # anything else on the pad or in the e-Rx notes
    transfer: Transfer | None = None
    phone_call: PhoneCall | None = None

    @property
    def origin(self) -> str:
        """The `Prescription.origin` the core uses."""
        return ORIGIN_OF.get(self.presentation, "written")


@dataclass(frozen=True)
class PlantedProblem:
    """A problem the author put in the scenario, what it teaches and what it would mean for the patient.

    `resolution` is what happens once the technician acts (the prescriber's office gives
    the missing quantity: {"quantity": 30}); with no resolution a review problem stops
    the fill.
    """

    kind: str  # one of kinds.ERROR_KINDS
    field: str  # "prescriber.dea", "refills", "sig", "shelf", "claim"…
    note: str  # the teaching note shown in the debrief
    consequence: str  # what the error would have meant for the patient
    rule: str = ""  # the rule with its public citation; defaults to the kind's
    resolution: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ShelfEntry:
    """A product on the shelf, and the trap it is when it is not the right one."""

    product: Product
    trap: str | None = None  # one of SHELF_TRAPS, or None
    note: str = ""
    lot: str = ""
    expires: date | None = None
    on_hand: Decimal = Decimal("100")


@dataclass(frozen=True)
class ClaimKey:
    """What the payer answers to the correct entry, and the right answer to each reject or alert."""

    rejects: tuple[str, ...] = ()  # NCPDP reject codes of the first submission; () = paid
    dur: tuple[str, ...] = ()  # DUR reason codes raised (DD, DA…)
    actions: Mapping[str, str] = field(default_factory=dict)  # code → one of CLAIM_ACTIONS
    resubmit: Mapping[str, object] = field(default_factory=dict)  # corrected fields
    paid_after_resubmit: bool = True


@dataclass(frozen=True)
class Expected:
    """The key of every step, as the author wrote it (the loader checks it against the core)."""

    review: str = "fill"  # one of REVIEW_ACTIONS
    fillable: bool = True  # False: the review stops the fill, steps 2–5 are not played
    directions: str = ""
    quantity: Decimal | None = None
    days_supply: int | None = None
    refills: int | None = None
    daw: int = 0
    ndc: str = ""
    claim: ClaimKey = field(default_factory=ClaimKey)
    label_fixes: tuple[str, ...] = ()  # label fields the learner must correct


@dataclass(frozen=True)
class Scenario:
    """A dispensing scenario: from intake to label, with its planted problems and its key."""

    id: str
    title: str
    date: date  # the date of service: "today" in the pharmacy
    patient: Patient
    prescriber: Prescriber
    prescription: PresentedRx
    plan: PlanRules
    insurance: Insurance | None
    shelf: tuple[ShelfEntry, ...]
    expected: Expected
    problems: tuple[PlantedProblem, ...] = ()
    areas: tuple[str, ...] = ()  # blueprint areas: "ptce-2020:2.2"
    tags: tuple[str, ...] = ()  # "controlled", "paediatric", "insulin"…
    summary: str = ""
    patient_id: str = "P1"
    lookalike_patients: tuple[tuple[str, Patient], ...] = ()  # (profile id, patient) decoys
    lookalike_prescribers: tuple[tuple[str, Prescriber], ...] = ()  # (id, prescriber) decoys
    prescriber_id: str = "D1"
    pharmacy: Pharmacy = DEFAULT_PHARMACY
    label_errors: Mapping[str, object] = field(default_factory=dict)  # planted on the printed label
    actuations: int | None = None  # per inhaler, when the product data does not say
    state_validity_months: int = 12  # how long a non-controlled prescription stays valid
    source: str = ""  # "file.yaml:12", or "generated:<kinds>:<seed>"

    kind = "dispensing"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of the planted problems, in order, without repeats."""
        return tuple(dict.fromkeys(p.kind for p in self.problems))

    def problem(self, kind: str) -> PlantedProblem | None:
        """The planted problem of a kind, or None."""
        return next((p for p in self.problems if p.kind == kind), None)

    def shelf_product(self, ndc: str) -> ShelfEntry | None:
        """The shelf entry with this NDC (any shape), or None."""
        from trainer.rx import ndc as ndc_rules

        return next((s for s in self.shelf if ndc_rules.same_product(s.product.ndc, ndc)), None)


@dataclass(frozen=True)
class ValidationExercise:
    """A pharmacist-check exercise: a filled prescription, its label and the product; dispense or not."""

    id: str
    title: str
    date: date
    patient: Patient
    prescriber: Prescriber
    prescription: PresentedRx
    product: Product  # what was put in the vial / handed over
    expected_product: Product  # what should have been
    label_changes: Mapping[str, object]  # planted on the label the colleague printed
    problems: tuple[PlantedProblem, ...]
    dispense: bool  # the key: may it go to the patient?
    areas: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    pharmacy: Pharmacy = DEFAULT_PHARMACY
    dispensed_quantity: Decimal | None = None  # counted into the vial, when it differs
    source: str = ""

    kind = "validation"

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of the planted errors, in order, without repeats."""
        return tuple(dict.fromkeys(p.kind for p in self.problems))
