"""The step graders: the learner's work on each step beside the key, row by row, with the rule.

    from trainer.rx.scenarios import grading
    result = grading.grade_review(scenario, grading.ReviewAnswer("contact_prescriber", (("prescriber.dea", "dea_check_digit"),)), drugs)
    result.earned, result.possible, result.rows[0].rule

Every grader is a pure function of the scenario, the learner's answer and the drug
reference; it never raises on bad input (a quantity of "ten", an NDC of 10 KB): the
answer is simply wrong, and the row says why. Each returns a `StepResult` whose rows
are the debrief: what the learner entered, the key, whether it matches, the rule with
its citation, and what the error would have meant for the patient.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from trainer.rx import claims, labels, sig, supply
from trainer.rx import ndc as ndc_rules
from trainer.rx.records import Drug, Product
from trainer.rx.scenarios import checks
from trainer.rx.scenarios.kinds import (
    CLAIM_ACTION_WORDS,
    CLAIM_ACTIONS_FOR,
    ERROR_KINDS,
    REVIEW_ACTION_WORDS,
    VALIDATION_KINDS,
    kind,
)
from trainer.rx.scenarios.model import Scenario, ValidationExercise

MAX_ANSWER_TEXT = 500
MAX_MARKS = 50
DIRECTIONS_RULE = (
    "directions are written out in full for the patient, no abbreviations; "
    f"{labels.USP_17}"
)


# ---- results ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebriefRow:
    """One line of the debrief: what was compared, the learner's entry, the key, the rule and the stakes."""

    step: str
    field: str
    label: str  # what is compared, in words
    learner: str
    key: str
    correct: bool
    rule: str = ""
    consequence: str = ""  # what the error would have meant for the patient (shown when wrong)
    note: str = ""  # the teaching note, or how the key was worked out
    points: int = 1  # what the row is worth; 0 for a remark that scores nothing


@dataclass(frozen=True)
class StepResult:
    """A step's score (points earned of possible) and its debrief rows."""

    step: str
    earned: int
    possible: int
    rows: tuple[DebriefRow, ...]

    @property
    def score(self) -> Decimal:
        """The share of the step's points earned, 0 to 1."""
        if self.possible <= 0:
            return Decimal(1)
        return (Decimal(self.earned) / Decimal(self.possible)).quantize(Decimal("0.0001"))

    @property
    def correct(self) -> bool:
        """Whether every point of the step was earned."""
        return self.earned == self.possible


def _result(step: str, rows: list[DebriefRow], penalties: int = 0) -> StepResult:
    possible = sum(r.points for r in rows)
    earned = sum(r.points for r in rows if r.correct)
    return StepResult(step, max(0, earned - penalties), possible, tuple(rows))


# ---- answers --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewAnswer:
    """Step 1: the decision on the prescription and each problem marked as (field, kind)."""

    action: str  # one of model.REVIEW_ACTIONS
    marks: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EntryAnswer:
    """Step 2: what the learner entered in the pharmacy system (text as typed; parsed when graded)."""

    patient_id: str = ""
    prescriber_id: str = ""
    drug: str = ""  # a DrugChoice key: "generic|strength|form"
    directions: str = ""
    quantity: object = None
    days_supply: object = None
    refills: object = None
    daw: object = None


@dataclass(frozen=True)
class ClaimAnswer:
    """Step 4: the response to each reject or DUR code, and the fields corrected for a resubmission."""

    responses: Mapping[str, str] = field(default_factory=dict)  # code → one of model.CLAIM_ACTIONS
    corrections: Mapping[str, object] = field(default_factory=dict)  # "quantity", "days_supply"…


@dataclass(frozen=True)
class LabelAnswer:
    """Step 5: the label fields as the learner left them (changed or not)."""

    fields: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ValidationAnswer:
    """A pharmacist check: dispense or not, and each error named as (field, kind) or a bare kind."""

    dispense: bool
    errors: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DrugChoice:
    """A drug the entry screen offers: the prescribed one, its other strengths, and look-alikes."""

    key: str  # "generic|strength|form"
    label: str
    generic: str
    strength: str
    form: str


# ---- reading the learner's text ---------------------------------------------------------------------


def _clean(value: object, limit: int = MAX_ANSWER_TEXT) -> str:
    if value is None or isinstance(value, bool):
        return ""
    text = str(value)
    if len(text) > limit * 4:
        return ""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text[:limit]


def _decimal(value: object) -> Decimal | None:
    text = _clean(value, 40).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and 0 <= number <= 1_000_000 else None


def _whole(value: object) -> int | None:
    number = _decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    text = _clean(value)
    return text if text else "(blank)"


_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "half": "½",
}
_SAME_MEANING = (
    (r"\bonce (a|per|each) day\b|\bonce daily\b|\bevery day\b|\beach day\b|\bdaily\b", "daily"),
    (r"\b(2|two) times (a|per|each) day\b|\btwice daily\b|\btwice a day\b", "twice a day"),
    (r"\b(3|three) times daily\b|\b3 times (a|per|each) day\b", "three times a day"),
    (r"\b(4|four) times daily\b|\b4 times (a|per|each) day\b", "four times a day"),
    (r"\borally\b|\bby the mouth\b", "by mouth"),
    (r"\bat bed ?time\b|\bbefore bed\b", "at bedtime"),
    (r"\btablets\b", "tablet"),
    (r"\bcapsules\b", "capsule"),
    (r"\bdrops\b", "drop"),
    (r"\bpuffs\b", "puff"),
    (r"\bmls?\b|\bmilliliters?\b|\bmillilitres?\b", "ml"),
    (r"\bas needed for\b|\bif needed for\b", "as needed for"),
)


def normalise_directions(text: object) -> str:
    """Directions folded for comparison: case, punctuation, number words and common synonyms."""
    folded = _clean(text).casefold()
    folded = re.sub(r"[.,;:!()]", " ", folded)
    words = [_NUMBER_WORDS.get(w, w) for w in folded.split()]
    folded = " ".join(words)
    for pattern, plain in _SAME_MEANING:
        folded = re.sub(pattern, plain, folded)
    return " ".join(folded.split())


def same_directions(learner: object, key: str) -> bool:
    """Whether the learner's directions say what the key says (wording may differ a little)."""
    return bool(_clean(learner)) and normalise_directions(learner) == normalise_directions(key)


def read_ndc(text: object, shelf_products: tuple[Product, ...] = ()) -> tuple[str | None, str]:
    """The 11-digit billing NDC of what was typed or scanned, or None with the reason.

    Accepts every hyphenated shape, 11 bare digits, a UPC-A barcode (12 digits starting
    with 3: the 10-digit NDC inside) and 10 bare digits when exactly one product on the
    shelf has those digits (a 10-digit NDC without hyphens is ambiguous on its own).
    """
    code = _clean(text, 64).replace(" ", "")
    if not code:
        return None, "no NDC was entered"
    try:
        return ndc_rules.billing(code), ""
    except ndc_rules.NdcError as exc:
        message = exc.message
    digits = code.replace("-", "")
    if digits.isdigit() and len(digits) == 12 and digits.startswith("3") and _upc_ok(digits):
        digits = digits[1:11]
    if digits.isdigit() and len(digits) == 10:
        hits = [p for p in shelf_products if p.ndc.replace("-", "") == digits]
        if len(hits) == 1:
            return ndc_rules.billing(hits[0].ndc), ""
    return None, message


def _upc_ok(digits: str) -> bool:
    odd = sum(int(d) for d in digits[0:11:2])
    even = sum(int(d) for d in digits[1:11:2])
    return (10 - (odd * 3 + even) % 10) % 10 == int(digits[11])


def upc_for(ndc: str) -> str:
    """The UPC-A barcode digits a package with this 10-digit NDC carries: 3, the NDC, a check digit."""
    digits = "3" + ndc_rules.parse(ndc).hyphenated().replace("-", "")
    if len(digits) != 11:
        raise ndc_rules.NdcError("a UPC carries a 10-digit NDC")
    odd = sum(int(d) for d in digits[0::2])
    even = sum(int(d) for d in digits[1::2])
    return digits + str((10 - (odd * 3 + even) % 10) % 10)


# ---- step 1: review ------------------------------------------------------------------------------------


def grade_review(scenario: Scenario, answer: ReviewAnswer, drugs: Mapping[str, Drug]) -> StepResult:
    """Step 1: the decision (fill, contact the prescriber, route to the pharmacist) and every problem marked."""
    rows: list[DebriefRow] = []
    action = answer.action if isinstance(answer.action, str) else ""
    key = scenario.expected.review
    reasons = [p for p in scenario.problems if ERROR_KINDS[p.kind].step == "review"]
    rows.append(
        DebriefRow(
            "review",
            "action",
            "Decision on the prescription",
            REVIEW_ACTION_WORDS.get(action, _show(action)),
            REVIEW_ACTION_WORDS[key],
            action == key,
            rule="; ".join(dict.fromkeys(p.rule for p in reasons)) or "every element is present and valid",
            consequence="; ".join(p.consequence for p in reasons) if reasons else "A good prescription held up delays the patient's treatment.",
            note=" ".join(p.note for p in reasons),
        )
    )
    marks = _marks(answer.marks)
    used: set[int] = set()
    for problem in reasons:
        hit = next(
            (i for i, (f, k) in enumerate(marks) if i not in used and k == problem.kind and _field_ok(f, problem.field, problem.kind)),
            None,
        )
        if hit is not None:
            used.add(hit)
        rows.append(
            DebriefRow(
                "review",
                problem.field,
                ERROR_KINDS[problem.kind].title,
                "marked" if hit is not None else "not marked",
                f"{problem.field}: {problem.kind}",
                hit is not None,
                rule=problem.rule,
                consequence=problem.consequence,
                note=problem.note,
            )
        )
    later = {p.kind for p in scenario.problems if ERROR_KINDS[p.kind].step != "review"}
    penalties = 0
    for index, (field_name, code) in enumerate(marks):
        if index in used:
            continue
        if code in later:
            rows.append(
                DebriefRow("review", field_name or ERROR_KINDS[code].field, f"Noticed early: {ERROR_KINDS[code].title}", f"{field_name}: {code}", "met at a later step", True,
                           note="Not a reason to stop at review, but well spotted.", points=0)
            )
            continue
        penalties += 1
        rows.append(
            DebriefRow("review", field_name or "marks", "A problem that is not there", f"{field_name}: {code}", "nothing wrong here", False,
                       note="Each false alarm costs a point: a good prescription held up delays the patient.", points=0)
        )
    if not reasons:
        rows[0] = replace(rows[0], note="The DEA and NPI numbers pass their check digits, the refills and dates are within the rules, and the sig uses no error-prone abbreviation.")
    return _result("review", rows, penalties)


def _marks(raw) -> list[tuple[str, str]]:
    out = []
    if not isinstance(raw, list | tuple):
        return out
    for item in raw[:MAX_MARKS]:
        if isinstance(item, str):
            out.append(("", _clean(item, 60)))
        elif isinstance(item, list | tuple) and len(item) == 2:
            out.append((_clean(item[0], 60), _clean(item[1], 60)))
    return out


def _field_ok(marked: str, planted: str, code: str) -> bool:
    if not marked:
        return True  # the kind alone names the problem
    known = kind(code)
    return marked in (planted, known.field if known else planted)


# ---- step 2: entry -------------------------------------------------------------------------------------


def drug_choices(scenario: Scenario, drugs: Mapping[str, Drug]) -> list[DrugChoice]:
    """What the drug picker offers: every strength and form of the prescribed drug and of its look-alikes."""
    rx = checks.resolved(scenario)[0]
    wanted = [rx.generic]
    drug = drugs.get(rx.generic)
    if drug is not None:
        for partner in drug.lasa:
            name = partner.name.casefold()
            match = next((d.generic for d in drugs.values() if name in {n.casefold() for n in d.names}), None)
            if match:
                wanted.append(match)
    wanted += [s.product.generic for s in scenario.shelf]
    out: dict[str, DrugChoice] = {}
    for generic in dict.fromkeys(wanted):
        for product in drugs[generic].products if generic in drugs else ():
            key = choice_key(product.generic, product.strength, product.form)
            out.setdefault(key, DrugChoice(key, f"{product.generic} {product.strength} {product.form}", product.generic, product.strength, product.form))
    return sorted(out.values(), key=lambda c: c.label.casefold())


def choice_key(generic: str, strength: str, form: str) -> str:
    """The key of a drug choice."""
    return f"{generic}|{strength}|{form}"


def entry_key(scenario: Scenario) -> EntryAnswer:
    """The key of step 2, as an EntryAnswer."""
    rx = checks.resolved(scenario)[0]
    e = scenario.expected
    return EntryAnswer(
        patient_id=scenario.patient_id,
        prescriber_id=scenario.prescriber_id,
        drug=choice_key(rx.generic, rx.strength, rx.form),
        directions=e.directions,
        quantity=e.quantity,
        days_supply=e.days_supply,
        refills=e.refills,
        daw=e.daw,
    )


def grade_entry(scenario: Scenario, answer: EntryAnswer, drugs: Mapping[str, Drug]) -> StepResult:
    """Step 2: patient, prescriber, drug, directions, quantity, days supply, refills and DAW against the key."""
    key = entry_key(scenario)
    rx, prescriber = checks.resolved(scenario)
    rows: list[DebriefRow] = []
    patients = {scenario.patient_id: scenario.patient, **dict(scenario.lookalike_patients)}
    picked = patients.get(_clean(answer.patient_id, 80))
    rows.append(
        DebriefRow(
            "entry", "patient", "Patient profile",
            f"{picked.name}, born {picked.birth_date.isoformat()}" if picked else _show(answer.patient_id),
            f"{scenario.patient.name}, born {scenario.patient.birth_date.isoformat()}",
            _clean(answer.patient_id, 80) == key.patient_id,
            rule="confirm two identifiers (name and date of birth) before choosing a profile; The Joint Commission National Patient Safety Goal NPSG.01.01.01",
            consequence="A fill on the wrong profile puts the drug, its allergy check and its claim on someone else.",
        )
    )
    doctors = {scenario.prescriber_id: scenario.prescriber, **dict(scenario.lookalike_prescribers)}
    doctor = doctors.get(_clean(answer.prescriber_id, 80))
    rows.append(
        DebriefRow(
            "entry", "prescriber", "Prescriber",
            f"{doctor.name}, NPI {doctor.npi}" if doctor else _show(answer.prescriber_id),
            f"{prescriber.name}, NPI {prescriber.npi}",
            _clean(answer.prescriber_id, 80) == key.prescriber_id,
            rule="the claim carries the prescriber's NPI (NCPDP 411-DB); a wrong one rejects (25, 56) or misattributes the prescription",
            consequence="Questions, refill requests and controlled-substance records go to the wrong prescriber.",
        )
    )
    drug_row = _clean(answer.drug, 200) == key.drug
    rows.append(
        DebriefRow(
            "entry", "drug", "Drug, strength and form",
            _show(answer.drug).replace("|", " "), key.drug.replace("|", " "), drug_row,
            rule=ERROR_KINDS["lasa_on_shelf"].rule if not drug_row else "pick the drug, strength and form exactly as prescribed",
            consequence="A look-alike or another strength entered here prints on the label and goes to the patient.",
        )
    )
    flags = sig.error_prone(_clean(answer.directions))
    directions_ok = same_directions(answer.directions, key.directions) and not flags
    rows.append(
        DebriefRow(
            "entry", "directions", "Patient directions",
            _show(answer.directions), key.directions, directions_ok,
            rule=DIRECTIONS_RULE,
            consequence="The patient follows the label: a wrong amount or frequency is a wrong dose every day.",
            note=(f"The sig {rx.sig!r} means this." + (" Still abbreviated: " + ", ".join(f.token for f in flags) if flags else "")),
        )
    )
    quantity = _decimal(answer.quantity)
    rows.append(
        DebriefRow(
            "entry", "quantity", "Quantity",
            _show(answer.quantity), _show(key.quantity), quantity is not None and quantity == key.quantity,
            rule="dispense the quantity prescribed, in the product's billing unit (each, mL or g); NCPDP 442-E7",
            consequence="Too little interrupts therapy; too much is a supply nobody authorised.",
        )
    )
    entry = checks.prescribed_product(scenario, rx)
    worked = checks.days_supply(rx, entry.product, actuations=scenario.actuations) if entry else None
    days = _whole(answer.days_supply)
    rows.append(
        DebriefRow(
            "entry", "days_supply", "Days supply",
            _show(answer.days_supply), _show(key.days_supply), days is not None and days == key.days_supply,
            rule=supply.DAYS_SUPPLY_RULE + (f"; {worked.limited_by}" if worked and worked.limited_by else ""),
            consequence="A wrong days supply makes the payer reject the claim or refuse the next refill at the wrong time.",
            note=" ".join(worked.steps) if worked else "The days supply follows the prescriber's stated duration.",
        )
    )
    refills = _whole(answer.refills)
    sched = checks.schedule(rx, drugs)
    rows.append(
        DebriefRow(
            "entry", "refills", "Refills",
            _show(answer.refills), _show(key.refills), refills is not None and refills == key.refills,
            rule=ERROR_KINDS["c2_refills"].rule if sched == "CII" else "enter the refills the prescriber authorised; 21 CFR 1306.22 limits C-III and C-IV to 5 within 6 months",
            consequence="Refills the prescriber did not authorise (or the law forbids) let the patient get more than intended.",
        )
    )
    daw = _whole(answer.daw)
    rows.append(
        DebriefRow(
            "entry", "daw", "DAW code",
            _show(answer.daw) + (f" ({claims.DAW_CODES[daw]})" if daw in claims.DAW_CODES else ""),
            f"{key.daw} ({claims.DAW_CODES[key.daw]})",
            daw is not None and daw == key.daw,
            rule=claims.NCPDP_DAW,
            consequence="A wrong DAW code changes what the patient pays or gets the claim rejected (22).",
        )
    )
    return _result("entry", rows)


def submit_entry(
    scenario: Scenario, answer: EntryAnswer, ndc: object, drugs: Mapping[str, Drug], **extra
) -> claims.ClaimResponse:
    """Step 4, live: the simulated payer's answer to the claim the learner's entry and product make.

    `extra` carries a resubmission's fields (prior_auth_number, submission_clarification…).
    """
    shelf = tuple(s.product for s in scenario.shelf)
    billed, _why = read_ndc(ndc, shelf)
    doctors = {scenario.prescriber_id: checks.resolved(scenario)[1], **dict(scenario.lookalike_prescribers)}
    request = checks.claim_request(
        scenario,
        ndc=billed or _clean(ndc, 20) or None,
        quantity=_decimal(answer.quantity),
        days_supply=_whole(answer.days_supply),
        daw=_whole(answer.daw),
        refills=_whole(answer.refills),
        prescriber=doctors.get(_clean(answer.prescriber_id, 80)),
        **{k: v for k, v in extra.items() if k in _EXTRA_CLAIM_FIELDS},
    )
    return checks.submit(scenario, request, drugs)


_EXTRA_CLAIM_FIELDS = ("prior_auth_number", "submission_clarification", "dur_override", "other_coverage_code")


# ---- step 3: product -----------------------------------------------------------------------------------


def grade_product(scenario: Scenario, ndc: object, drugs: Mapping[str, Drug]) -> StepResult:
    """Step 3: the product taken from the shelf, identified by the NDC typed or scanned."""
    shelf = tuple(s.product for s in scenario.shelf)
    billed, why = read_ndc(ndc, shelf)
    key_ndc = scenario.expected.ndc
    key_entry = scenario.shelf_product(key_ndc)
    picked = scenario.shelf_product(billed) if billed else None
    correct = billed is not None and any(
        ndc_rules.same_product(billed, s.product.ndc)
        for s in scenario.shelf
        if s.trap is None and checks.matches(s.product, checks.resolved(scenario)[0])
    )
    traps = [p for p in scenario.problems if ERROR_KINDS[p.kind].step == "product"]
    trap_problem = None
    if picked is not None and picked.trap is not None:
        # a wrong-form trap is no planted kind: its own shelf note explains it
        trap_problem = next((p for p in traps if p.kind == f"{picked.trap}_on_shelf"), None)
    learner = (
        f"{_show(ndc)} → {picked.product.label_name} ({picked.product.ndc})" if picked
        else f"{_show(ndc)}" + (f" ({why})" if why else " (not on this shelf)")
    )
    rows = [
        DebriefRow(
            "product", "ndc", "Product scanned or typed",
            learner,
            f"{key_entry.product.label_name} ({key_ndc}; billed as {ndc_rules.billing(key_ndc)})" if key_entry else key_ndc,
            correct,
            rule=trap_problem.rule if trap_problem else ERROR_KINDS["wrong_strength_on_shelf"].rule,
            consequence=(trap_problem.consequence if trap_problem else "The wrong product goes to the patient.") if not correct else "",
            note=" ".join(n for n in (picked.note, trap_problem.note if trap_problem else "") if n) if picked and picked.trap else "",
        )
    ]
    for problem in traps:
        if trap_problem is problem:
            continue
        rows.append(
            DebriefRow("product", "shelf", f"Trap on the shelf: {ERROR_KINDS[problem.kind].title}", "avoided" if correct else "-", "avoid it", correct,
                       rule=problem.rule, note=problem.note, points=0)
        )
    return _result("product", rows)


# ---- step 4: claim -------------------------------------------------------------------------------------


def claim_key(scenario: Scenario) -> dict[str, str]:
    """The right response to each reject and DUR code the key claim meets (88 is answered by its DUR codes)."""
    key = scenario.expected.claim
    codes = [c for c in key.rejects if c != "88"] + list(key.dur)
    return {code: key.actions.get(code) or CLAIM_ACTIONS_FOR.get(code, ("route_to_pharmacist",))[0] for code in codes}


def grade_claim(
    scenario: Scenario,
    answer: ClaimAnswer,
    drugs: Mapping[str, Drug],
    *,
    shown: claims.ClaimResponse | None = None,
) -> StepResult:
    """Step 4: the response to every reject and DUR alert, and the corrected fields of a resubmission.

    `shown` is the response the learner actually saw (from `submit_entry`); a code it
    carries that the key claim does not (the learner's own entry error) is graded too.
    """
    key_actions = claim_key(scenario)
    responses = {str(k): _clean(v, 60) for k, v in (answer.responses or {}).items()} if isinstance(answer.responses, Mapping) else {}
    rows: list[DebriefRow] = []
    if not key_actions:
        rows.append(
            DebriefRow("claim", "claim", "Claim answer", "no action" if not responses else ", ".join(f"{c}: {a}" for c, a in responses.items()),
                       "paid: nothing to resolve", not responses, rule=claims.NCPDP_REJECTS)
        )
    for code, action in key_actions.items():
        given = responses.get(code, "")
        problem = _problem_for_code(scenario, code)
        meaning = claims.meaning(code)
        rows.append(
            DebriefRow(
                "claim", code,
                f"Reject {code}: {meaning.message}" if meaning else f"DUR {code}",
                CLAIM_ACTION_WORDS.get(given, _show(given)),
                CLAIM_ACTION_WORDS[action],
                given == action or (code == "79" and given == "route_to_pharmacist"),
                rule=problem.rule if problem else (claims.NCPDP_REJECTS if meaning else ERROR_KINDS["dur_alert"].rule),
                consequence=problem.consequence if problem else "",
                note=(problem.note if problem else "") + (" What a technician may do: " + "; ".join(meaning.actions) if meaning else ""),
            )
        )
    if shown is not None:
        for reject in shown.rejects:
            if reject.code in key_actions or reject.code == "88":
                continue
            given = responses.get(reject.code, "")
            rows.append(
                DebriefRow(
                    "claim", reject.code, f"Reject {reject.code}: {reject.message} (from your entry)",
                    CLAIM_ACTION_WORDS.get(given, _show(given)), CLAIM_ACTION_WORDS["correct_and_resubmit"],
                    given == "correct_and_resubmit", rule=claims.NCPDP_REJECTS,
                    note=f"{reject.detail}. " + "; ".join(reject.actions),
                )
            )
    wanted = scenario.expected.claim.resubmit
    corrections = answer.corrections if isinstance(answer.corrections, Mapping) else {}
    if any(a == "correct_and_resubmit" for a in key_actions.values()):
        for name in ("quantity", "days_supply"):
            if name not in wanted:
                continue
            given_value = _decimal(corrections.get(name))
            rows.append(
                DebriefRow(
                    "claim", f"resubmit.{name}", f"Resubmitted {name.replace('_', ' ')}",
                    _show(corrections.get(name)), _show(wanted[name]),
                    given_value is not None and given_value == Decimal(str(wanted[name])),
                    rule=claims.NCPDP_REJECTS + "; " + supply.DAYS_SUPPLY_RULE,
                    note=_resubmit_note(scenario, drugs),
                )
            )
    return _result("claim", rows)


def _problem_for_code(scenario: Scenario, code: str):
    for problem in scenario.problems:
        known = ERROR_KINDS[problem.kind]
        if known.reject == code or known.dur == code:
            return problem
        if code == "ER" and problem.kind == "refill_too_soon":
            return problem
    if code in ("TD", "ID", "HD", "PA", "PG", "LD", "MC"):
        return scenario.problem("dur_alert")
    return None


def _resubmit_note(scenario: Scenario, drugs: Mapping[str, Drug]) -> str:
    again = checks.submit(scenario, checks.key_request(scenario, **scenario.expected.claim.resubmit), drugs)
    if again.paid:
        return f"Resubmitted with these values the claim pays (patient pays {again.patient_pay})."
    return "Resubmitted, the claim still rejects: " + ", ".join(again.codes)


# ---- step 5: label -------------------------------------------------------------------------------------

EDITABLE_LABEL_FIELDS = ("patient_name", "prescriber_name", "drug", "quantity", "directions", "refills", "cautions", "auxiliary_labels")


def learner_label(scenario: Scenario, answer: LabelAnswer, drugs: Mapping[str, Drug]) -> labels.Label | None:
    """The printed label with the learner's edits applied (unknown fields ignored)."""
    printed = checks.printed_label(scenario, drugs)
    if printed is None:
        return None
    changes: dict[str, object] = {}
    for name, value in (answer.fields or {}).items() if isinstance(answer.fields, Mapping) else ():
        if name not in EDITABLE_LABEL_FIELDS:
            continue
        if name in ("cautions", "auxiliary_labels"):
            items = value if isinstance(value, list | tuple) else str(value or "").splitlines()
            changes[name] = tuple(t for t in (_clean(i, 300) for i in items[:20]) if t)
        elif name == "refills":
            changes[name] = _whole(value)
        else:
            changes[name] = _clean(value)
    return labels.with_changes(printed, **changes)


def grade_label(scenario: Scenario, answer: LabelAnswer, drugs: Mapping[str, Drug]) -> StepResult:
    """Step 5: the label after the learner's fixes, checked by `labels.check` field by field."""
    key = checks.key_label(scenario, drugs)
    final = learner_label(scenario, answer, drugs)
    if key is None or final is None:
        return StepResult("label", 0, 0, ())
    rx, prescriber = checks.resolved(scenario)
    prescription = checks.record(replace(rx, refills=scenario.expected.refills or 0), scenario.patient, prescriber, drugs)
    result = labels.check(final, prescription, drug=drugs.get(rx.generic))
    wrong = {}
    for name, message in result.problems:
        wrong.setdefault(name, message)
    rows: list[DebriefRow] = []
    planted = list(scenario.expected.label_fixes)
    for name in planted:
        rows.append(
            DebriefRow(
                "label", name, f"Label {name.replace('_', ' ')} (printed wrong)",
                _label_value(final, name), _label_value(key, name), name not in wrong,
                rule=wrong.get(name, _label_rule(name)),
                consequence=VALIDATION_KINDS.get(_label_kind(name)).consequence if _label_kind(name) in VALIDATION_KINDS else "",
            )
        )
    for name, message in wrong.items():
        if name in planted:
            continue
        rows.append(
            DebriefRow("label", name, f"Label {name.replace('_', ' ')} (changed to something wrong)", _label_value(final, name), _label_value(key, name), False, rule=message)
        )
    if not planted and not wrong:
        rows.append(DebriefRow("label", "label", "Label as printed", "accepted", "correct: nothing to fix", True, rule=labels.FDCA_503B))
    return _result("label", rows)


def _label_kind(name: str) -> str:
    from trainer.rx.scenarios.kinds import LABEL_FIELD_KINDS

    return LABEL_FIELD_KINDS.get(name, "")


def _label_rule(name: str) -> str:
    known = VALIDATION_KINDS.get(_label_kind(name))
    return known.rule if known else labels.FDCA_503B


def _label_value(label: labels.Label, name: str) -> str:
    value = getattr(label, name, "")
    if isinstance(value, tuple):
        return "; ".join(value) or "(none)"
    return _show(value)


# ---- pharmacist check ----------------------------------------------------------------------------------


def grade_validation(exercise: ValidationExercise, answer: ValidationAnswer, drugs: Mapping[str, Drug]) -> StepResult:
    """A pharmacist check: the dispense decision (2 points) and each planted error named (1 point each)."""
    rows: list[DebriefRow] = []
    decision = answer.dispense if isinstance(answer.dispense, bool) else None
    words = {True: "dispense", False: "do not dispense", None: "(no decision)"}
    reasons = exercise.problems
    rows.append(
        DebriefRow(
            "validation", "dispense", "May it be dispensed?",
            words[decision], words[exercise.dispense], decision is exercise.dispense,
            rule="; ".join(dict.fromkeys(p.rule for p in reasons)) or "the product, the label and the prescription agree",
            consequence="; ".join(p.consequence for p in reasons),
            points=2,
        )
    )
    named = _marks(answer.errors)
    used: set[int] = set()
    for problem in reasons:
        hit = next((i for i, (f, k) in enumerate(named) if i not in used and k == problem.kind and _field_ok(f, problem.field, problem.kind)), None)
        if hit is not None:
            used.add(hit)
        known = kind(problem.kind)
        rows.append(
            DebriefRow("validation", problem.field, known.title if known else problem.kind, "named" if hit is not None else "missed",
                       f"{problem.field}: {problem.kind}", hit is not None, rule=problem.rule, consequence=problem.consequence, note=problem.note)
        )
    penalties = 0
    for index, (field_name, code) in enumerate(named):
        if index in used:
            continue
        penalties += 1
        rows.append(DebriefRow("validation", field_name or "errors", "An error that is not there", f"{field_name}: {code}", "nothing wrong here", False, points=0))
    return _result("validation", rows, penalties)


def total(results: list[StepResult] | tuple[StepResult, ...]) -> tuple[int, int]:
    """Points earned and possible over several steps."""
    return sum(r.earned for r in results), sum(r.possible for r in results)


__all__ = [
    "ClaimAnswer",
    "DebriefRow",
    "DrugChoice",
    "EntryAnswer",
    "LabelAnswer",
    "ReviewAnswer",
    "StepResult",
    "ValidationAnswer",
    "choice_key",
    "claim_key",
    "drug_choices",
    "entry_key",
    "grade_claim",
    "grade_entry",
    "grade_label",
    "grade_product",
    "grade_review",
    "grade_validation",
    "learner_label",
    "normalise_directions",
    "read_ndc",
    "same_directions",
    "submit_entry",
    "total",
    "upc_for",
]
