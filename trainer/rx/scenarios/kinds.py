"""The kinds of problem a scenario can plant: where each is found, what the technician does, and the rule.

A kind is data, so the loader, the generator, the graders and the debrief read one
table. `step` is where a technician who follows the workflow meets it; `action` is the
right response there (a review action for step 1, a claim action for step 4); `rule`
is the citation shown in the debrief. Detection is not here: `checks.findings` asks the
rules core, so the table can never claim a rule the core does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.rx import claims, controlled, dea, dur, labels, ndc

ISMP_ABBREVIATIONS = (
    "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations, "
    "https://www.ismp.org/recommendations/error-prone-abbreviations-list; The Joint Commission "
    '"Do Not Use" list, https://www.jointcommission.org/resources/news-and-multimedia/fact-sheets/facts-about-do-not-use-list/'
)
ISMP_CONFUSED = (
    "ISMP List of Confused Drug Names, https://www.ismp.org/tools/confused-drug-names-list; "
    "FDA and ISMP Tall Man lettering, https://www.ismp.org/recommendations/tall-man-letters-list"
)
NDC_IDENTIFIES = (
    "the NDC identifies the labeler, the product (drug, strength, dosage form) and the package, "
    "21 CFR 207.33, https://www.ecfr.gov/current/title-21/section-207.33: compare the scanned "
    "NDC with the prescription before filling"
)
STATE_VALIDITY = (
    "state law; for example Oklahoma Admin. Code 535:15-3-11(b) "
    "(https://regulations.justia.com/states/oklahoma/title-535/chapter-15/subchapter-3/section-535-15-3-11) "
    "and Alaska 12 AAC 52.470(b): a non-controlled prescription may not be filled or refilled "
    "more than one year after the date it was written"
)
DEA_MANUAL = (
    "DEA Pharmacist's Manual, 2022 edition (EO-DEA154R1): valid prescriptions and the pharmacist's "
    "corresponding responsibility (21 CFR 1306.04), "
    "https://www.deadiversion.usdoj.gov/pubs/manuals/index.html"
)
DUR_ROUTE = f"{dur.ROUTE_TO_PHARMACIST} ({dur.NCPDP_439})"


@dataclass(frozen=True)
class ErrorKind:
    """One kind of planted problem: its name, step, field, right action, rule and blueprint area."""

    code: str
    title: str
    step: str  # "review", "product", "claim" (dispensing) or "validation"
    field: str  # the field the learner marks
    action: str  # the right response (a REVIEW_ACTION, a CLAIM_ACTION, or "do_not_dispense")
    rule: str
    area: str  # the PTCE 2020 knowledge area it exercises
    consequence: str  # the default patient consequence, for generated scenarios
    stops_fill: bool = False  # True: no resolution can make the prescription fillable
    reject: str | None = None  # the NCPDP reject code the payer answers with
    dur: str | None = None  # the DUR reason code the payer raises


def _k(code, title, step, field, action, rule, area, consequence, **extra) -> ErrorKind:
    return ErrorKind(code, title, step, field, action, rule, area, consequence, **extra)


ERROR_KINDS: dict[str, ErrorKind] = {
    k.code: k
    for k in (
        _k(
            "dea_check_digit",
            "DEA number fails its check digit",
            "review",
            "prescriber.dea",
            "contact_prescriber",
            f"{dea.CHECK_DIGIT_RULE}; {DEA_MANUAL}",
            "ptce-2020:2.2",
            "A forged or mistyped DEA number lets a fraudulent controlled-substance prescription be filled, and the pharmacy shares the liability.",
        ),
        _k(
            "dea_surname",
            "DEA number's second letter does not match the prescriber's surname",
            "review",
            "prescriber.dea",
            "contact_prescriber",
            f"{dea.SURNAME_RULE}, https://en.wikipedia.org/wiki/DEA_number; {DEA_MANUAL}",
            "ptce-2020:2.2",
            "A DEA number that belongs to someone else is a sign of a forged prescription; filling it can put a diverted controlled substance in circulation.",
        ),
        _k(
            "c2_refills",
            "C-II prescription with refills",
            "review",
            "refills",
            "route_to_pharmacist",
            controlled.CFR_1306_12A,
            "ptce-2020:2.2",
            "Refills of a C-II are void: dispensing them would be an unlawful supply of a Schedule II drug.",
        ),
        _k(
            "c3_over_six_months",
            "C-III or C-IV presented more than six months after it was written",
            "review",
            "written",
            "contact_prescriber",
            controlled.CFR_1306_22,
            "ptce-2020:2.2",
            "The prescription has expired under federal law; the patient needs a new one from the prescriber.",
            stops_fill=True,
        ),
        _k(
            "expired",
            "Prescription past the state's validity period",
            "review",
            "written",
            "contact_prescriber",
            STATE_VALIDITY,
            "ptce-2020:2.2",
            "The prescription is no longer valid: the prescriber has to re-evaluate the patient and issue a new one.",
            stops_fill=True,
        ),
        _k(
            "missing_quantity",
            "Quantity missing",
            "review",
            "quantity",
            "contact_prescriber",
            f"{controlled.CFR_1306_05}; for non-controlled drugs the state's required elements",
            "ptce-2020:3.5",
            "Guessing the quantity risks giving too little (interrupted therapy) or too much (misuse, waste).",
        ),
        _k(
            "missing_date",
            "Date written missing",
            "review",
            "written",
            "contact_prescriber",
            f"{controlled.CFR_1306_05}; for non-controlled drugs the state's required elements",
            "ptce-2020:3.5",
            "Without the date nobody can tell whether the prescription is still valid or how many refills remain in time.",
        ),
        _k(
            "missing_signature",
            "Prescriber's signature missing",
            "review",
            "signed",
            "contact_prescriber",
            f"21 CFR 1306.05(a) (signed on the day issued), https://www.ecfr.gov/current/title-21/section-1306.05; {DEA_MANUAL}",
            "ptce-2020:2.2",
            "An unsigned paper prescription is not a valid prescription; filling it could supply a drug nobody authorised.",
        ),
        _k(
            "lasa_on_shelf",
            "Look-alike/sound-alike product beside the right one",
            "product",
            "shelf",
            "select_prescribed_product",
            ISMP_CONFUSED,
            "ptce-2020:3.1",
            "The patient would take a different drug: the intended treatment fails and the wrong drug can harm.",
        ),
        _k(
            "wrong_strength_on_shelf",
            "Same drug in the wrong strength on the shelf",
            "product",
            "shelf",
            "select_prescribed_product",
            NDC_IDENTIFIES,
            "ptce-2020:4.4",
            "The patient would take a multiple or a fraction of the intended dose with every tablet.",
        ),
        _k(
            "error_prone_abbreviation",
            "Error-prone abbreviation in the sig",
            "review",
            "sig",
            "contact_prescriber",
            ISMP_ABBREVIATIONS,
            "ptce-2020:4.2",
            "An abbreviation misread (QD as QID, U as 0, OD as once daily) changes the dose or the route the patient follows.",
        ),
        _k(
            "allergy",
            "Drug the patient is allergic to",
            "claim",
            "dur",
            "route_to_pharmacist",
            DUR_ROUTE,
            "ptce-2020:3.3",
            "An allergic reaction, from a rash to anaphylaxis.",
            dur="DA",
        ),
        _k(
            "interaction",
            "Interaction with a drug on the profile",
            "claim",
            "dur",
            "route_to_pharmacist",
            DUR_ROUTE,
            "ptce-2020:1.3",
            "The combination can cause serious harm (bleeding, toxicity, breathing problems) unless the pharmacist and prescriber manage it.",
            dur="DD",
        ),
        _k(
            "refill_too_soon",
            "Refill too soon",
            "claim",
            "fill_date",
            "tell_patient_next_fill_date",
            f"{claims.NCPDP_REJECTS}; the plan pays once {{threshold}} of the last supply is used",
            "ptce-2020:4.2",
            "An early refill can mean the patient is taking more than prescribed; the plan will not pay until the next fill date.",
            reject="79",
        ),
        _k(
            "quantity_limit",
            "Plan quantity limit exceeded",
            "claim",
            "quantity",
            "contact_prescriber",
            claims.NCPDP_REJECTS + "; the limit is a daily rate (quantity per days supply), so only the prescriber can change the dose or request an exception",
            "ptce-2020:4.2",
            "The claim is refused; without a reduced quantity or an exception the patient leaves without the medication.",
            reject="76",
        ),
        _k(
            "prior_auth",
            "Prior authorisation required",
            "claim",
            "prior_auth",
            "request_prior_auth",
            claims.NCPDP_REJECTS,
            "ptce-2020:4.2",
            "The plan will not pay until the prescriber obtains approval; the patient may go without or pay cash.",
            reject="75",
        ),
        _k(
            "days_supply_limit",
            "Days supply above the plan's limit",
            "claim",
            "days_supply",
            "correct_and_resubmit",
            claims.NCPDP_REJECTS,
            "ptce-2020:4.2",
            "The claim is refused until the quantity and days supply fit the plan's limit; a wrong days supply also breaks refill-too-soon checks later.",
            reject="76",
        ),
        _k(
            "dur_alert",
            "Other clinical DUR alert (duplication, dose, age, pregnancy)",
            "claim",
            "dur",
            "route_to_pharmacist",
            DUR_ROUTE,
            "ptce-2020:3.3",
            "A clinical problem only the pharmacist can resolve with the prescriber.",
        ),
    )
}

# What the generator can plant (every kind the issue lists).
GENERATOR_KINDS: tuple[str, ...] = tuple(k for k in ERROR_KINDS if k != "dur_alert")

# Errors planted in a filled prescription for a pharmacist-check exercise.
VALIDATION_KINDS: dict[str, ErrorKind] = {
    k.code: k
    for k in (
        _k(
            "wrong_drug_dispensed",
            "A look-alike drug in the vial",
            "validation",
            "product",
            "do_not_dispense",
            ISMP_CONFUSED,
            "ptce-2020:3.1",
            "The patient would take a different drug.",
        ),
        _k(
            "wrong_strength_dispensed",
            "The right drug in the wrong strength",
            "validation",
            "product",
            "do_not_dispense",
            NDC_IDENTIFIES,
            "ptce-2020:4.4",
            "Every dose would be wrong by the ratio of the strengths.",
        ),
        _k(
            "wrong_patient",
            "Label names another patient",
            "validation",
            "patient_name",
            "do_not_dispense",
            labels.FDCA_503B,
            "ptce-2020:3.5",
            "The medication could be handed to, and taken by, the wrong person.",
        ),
        _k(
            "wrong_directions",
            "Label directions differ from the sig",
            "validation",
            "directions",
            "do_not_dispense",
            f"{labels.FDCA_503B}; {labels.USP_17}",
            "ptce-2020:4.2",
            "The patient follows the label: a wrong frequency or amount is a wrong dose every day.",
        ),
        _k(
            "abbreviation_on_label",
            "Label directions still abbreviated",
            "validation",
            "directions",
            "do_not_dispense",
            f"{labels.USP_17}, https://nabp.pharmacy/newsroom/news/usp-prescription-container-labeling-chapter-is-now-the-official-standard/; {ISMP_ABBREVIATIONS}",
            "ptce-2020:4.2",
            "A patient cannot be expected to read pharmacy Latin; abbreviations are misread.",
        ),
        _k(
            "wrong_quantity",
            "Label quantity differs from the prescription",
            "validation",
            "quantity",
            "do_not_dispense",
            labels.FDCA_503B,
            "ptce-2020:3.5",
            "Too little interrupts therapy; too much is a supply nobody authorised.",
        ),
        _k(
            "wrong_refills",
            "Label shows refills that were not authorised",
            "validation",
            "refills",
            "do_not_dispense",
            f"{controlled.CFR_1306_12A}; {controlled.CFR_1306_22}",
            "ptce-2020:2.2",
            "The patient expects refills the prescriber did not authorise (or the law forbids).",
        ),
        _k(
            "missing_transfer_caution",
            "C-II to C-IV label without the federal transfer caution",
            "validation",
            "cautions",
            "do_not_dispense",
            "21 CFR 290.5, https://www.ecfr.gov/current/title-21/section-290.5",
            "ptce-2020:2.3",
            "The label misses the warning that sharing the controlled drug is a federal offence.",
        ),
        _k(
            "missing_auxiliary_label",
            "Auxiliary label missing",
            "validation",
            "auxiliary_labels",
            "do_not_dispense",
            "the drug's FDA labeling on DailyMed (storage, administration and patient counselling information), https://dailymed.nlm.nih.gov",
            "ptce-2020:1.4",
            "The patient misses a warning that protects them (drowsiness, food, storage).",
        ),
        _k(
            "wrong_prescriber",
            "Label names another prescriber",
            "validation",
            "prescriber_name",
            "do_not_dispense",
            labels.FDCA_503B,
            "ptce-2020:3.5",
            "Questions and refill requests go to a prescriber who never saw the patient.",
        ),
        _k(
            "wrong_drug_on_label",
            "Label names a different drug or strength than the prescription",
            "validation",
            "drug",
            "do_not_dispense",
            NDC_IDENTIFIES,
            "ptce-2020:3.5",
            "The patient and every later reader of the label believe a different medication is in the vial.",
        ),
    )
}

# Where each label field of `trainer.rx.labels.check` sends its problem.
LABEL_FIELD_KINDS = {
    "patient_name": "wrong_patient",
    "prescriber_name": "wrong_prescriber",
    "directions": "wrong_directions",
    "quantity": "wrong_quantity",
    "refills": "wrong_refills",
    "cautions": "missing_transfer_caution",
    "auxiliary_labels": "missing_auxiliary_label",
    "drug": "wrong_drug_on_label",
}

# The right response to each reject code or DUR reason a scenario can meet; the first is the key.
CLAIM_ACTIONS_FOR: dict[str, tuple[str, ...]] = {
    "79": ("tell_patient_next_fill_date", "route_to_pharmacist"),
    "75": ("request_prior_auth",),
    "76": ("correct_and_resubmit", "contact_prescriber"),
    "88": ("route_to_pharmacist",),
    "70": ("route_to_pharmacist", "contact_prescriber"),
    "MR": ("route_to_pharmacist", "contact_prescriber"),
    **{code: ("route_to_pharmacist",) for code in dur.REASON_CODES},
}
CLAIM_ACTION_WORDS = {
    "correct_and_resubmit": "correct a field and resubmit",
    "request_prior_auth": "request prior authorisation from the prescriber",
    "contact_prescriber": "contact the prescriber",
    "route_to_pharmacist": "route it to the pharmacist",
    "tell_patient_next_fill_date": "tell the patient the next date the plan pays",
}
REVIEW_ACTION_WORDS = {
    "fill": "fill it as written",
    "contact_prescriber": "contact the prescriber",
    "route_to_pharmacist": "route it to the pharmacist",
}
# Review actions from the mildest to the one that wins when several problems meet.
REVIEW_STRENGTH = {"fill": 0, "route_to_pharmacist": 1, "contact_prescriber": 2}


def kind(code: str) -> ErrorKind | None:
    """The dispensing or validation kind with this code, or None."""
    return ERROR_KINDS.get(code) or VALIDATION_KINDS.get(code)


def ndc_rule() -> str:
    """The citation for reading an NDC (shapes and the 11-digit billing form)."""
    return ndc.BILLING_FORM
