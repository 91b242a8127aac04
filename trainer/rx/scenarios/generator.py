"""Generated scenarios: seeded, reproducible, built from templates and the drug data, planting chosen problems.

    from trainer.rx.scenarios import generate, GENERATOR_KINDS
    scenario = generate(["dea_check_digit", "refill_too_soon"], seed=7)   # the same every time

A template is a prescription a prescriber would really write (drug, strength, form and a
sig whose dose agrees with the FDA label's usual adult dose in the drug data); the
generator picks one that can carry every requested kind, draws the people, card and plan
from the seed, plants the problems, and computes the key with the rules core. Every
generated scenario then passes the same validation as a shipped file, so a planted
problem is always one the core detects and a clean scenario passes every check; a draw
that does not validate is discarded and the next one tried.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from trainer.rx import dea, dur, npi
from trainer.rx.records import (
    Address,
    Drug,
    Fill,
    FormularyEntry,
    Member,
    Patient,
    PlanRules,
    Prescriber,
    Product,
)
from trainer.rx.scenarios import checks
from trainer.rx.scenarios.kinds import (
    CLAIM_ACTIONS_FOR,
    ERROR_KINDS,
    GENERATOR_KINDS,
    REVIEW_STRENGTH,
)
from trainer.rx.scenarios.model import (
    ClaimKey,
    Expected,
    Insurance,
    PhoneCall,
    PlantedProblem,
    PresentedRx,
    Scenario,
    ShelfEntry,
    Transfer,
)

MAX_TRIES = 60
BASE_DATE = date(2026, 1, 5)


@dataclass(frozen=True)
class Template:
    """A prescription a prescriber would write: drug, strength, form, sig, doses a day, usual days."""

    generic: str
    strength: str
    form: str
    sig: str
    per_day: int
    days: int = 30  # the days supply the core works out for the quantity
    unit: str = "tablet"
    quantity: int | None = None  # a package (mL, g, inhalers); None: per_day × days units
    child_kg: int | None = None  # a child's prescription dosed for this weight
    actuations: int | None = None  # puffs per inhaler, from the product's FDA label
    tag: str = ""  # the product type: paediatric-liquid, eye-drops, insulin, inhaler, topical, taper

    @property
    def counted(self) -> bool:
        """Whether the quantity is counted units (tablets, capsules) rather than a package."""
        return self.quantity is None


# Doses checked against the usual adult dose in question_bank/data (the FDA label).
TEMPLATES: tuple[Template, ...] = (
    Template("lisinopril", "10 mg", "tablet", "1 tab po daily", 1),
    Template("atorvastatin", "20 mg", "tablet", "1 tab po daily", 1),
    Template("amlodipine", "5 mg", "tablet", "1 tab po daily", 1),
    Template("losartan", "50 mg", "tablet", "1 tab po daily", 1),
    Template("sertraline", "50 mg", "tablet", "1 tab po daily", 1),
    Template("metformin", "500 mg", "tablet", "1 tab po bid", 2),
    Template("glipizide", "5 mg", "tablet", "1 tab po daily", 1),
    Template("glyburide", "5 mg", "tablet", "1 tab po daily", 1),
    Template("hydroxyzine", "25 mg", "tablet", "1 tab po tid prn itching", 3),
    Template("hydralazine", "25 mg", "tablet", "1 tab po qid", 4),
    Template("clonidine", "0.1 mg", "tablet", "1 tab po bid", 2),
    Template("bupropion", "150 mg", "extended-release tablet", "1 tab po daily", 1),
    Template("buspirone", "10 mg", "tablet", "1 tab po bid", 2),
    Template("gabapentin", "300 mg", "capsule", "1 cap po tid", 3, unit="capsule"),
    Template("warfarin", "5 mg", "tablet", "1 tab po daily", 1),
    Template("ibuprofen", "600 mg", "tablet", "1 tab po tid", 3, days=10),
    Template("metronidazole", "500 mg", "tablet", "1 tab po bid x 7 days", 2, days=7),
    Template("clarithromycin", "500 mg", "tablet", "1 tab po bid x 10 days", 2, days=10),
    Template("simvastatin", "20 mg", "tablet", "1 tab po daily", 1),
    Template("amoxicillin", "500 mg", "capsule", "1 cap po tid x 10 days", 3, days=10, unit="capsule"),
    Template("cephalexin", "500 mg", "capsule", "1 cap po bid x 10 days", 2, days=10, unit="capsule"),
    Template("oxycodone", "5 mg", "tablet", "1 tab po q6h prn pain", 4, days=5),
    Template("hydrocodone/acetaminophen", "5 mg/325 mg", "tablet", "1 tab po q6h prn pain", 4, days=5),
    Template("methylphenidate", "10 mg", "tablet", "1 tab po bid", 2),
    Template("amphetamine/dextroamphetamine", "10 mg", "tablet", "1 tab po daily", 1),
    Template("alprazolam", "0.5 mg", "tablet", "1 tab po tid prn anxiety", 3),
    Template("lorazepam", "1 mg", "tablet", "1 tab po bid", 2),
    Template("zolpidem", "5 mg", "tablet", "1 tab po at bedtime", 1),
    Template("tramadol", "50 mg", "tablet", "1 tab po q6h prn pain", 4, days=5),
    Template("acetaminophen/codeine", "300 mg/30 mg", "tablet", "1 tab po q6h prn pain", 4, days=5),
    Template("pregabalin", "75 mg", "capsule", "1 cap po bid", 2, unit="capsule"),
    Template("clonazepam", "0.5 mg", "tablet", "1 tab po bid", 2),
    # packages: the days supply comes from the package, the in-use period or the course
    # amoxicillin label: 45 mg/kg/day every 12 hours for severe infections; 400 mg twice a day at 18 kg
    Template("amoxicillin", "400 mg/5 mL", "oral suspension", "5 mL po bid x 10 days", 2, days=10, unit="mL", quantity=100,
             child_kg=18, tag="paediatric-liquid"),
    Template("cefdinir", "250 mg/5 mL", "oral suspension", "3.5 mL po bid x 10 days", 2, days=10, unit="mL", quantity=100,
             child_kg=25, tag="paediatric-liquid"),
    Template("latanoprost", "0.005%", "ophthalmic solution", "instill 1 drop in both eyes daily in the evening", 1, days=42,
             unit="mL", quantity=5, tag="eye-drops"),
    Template("timolol", "0.5%", "ophthalmic solution", "instill 1 drop in both eyes bid", 2, days=25, unit="mL", quantity=5,
             tag="eye-drops"),
    Template("insulin glargine", "100 units/mL", "vial", "inject 20 units SUBQ at bedtime", 1, days=28, unit="mL", quantity=10,
             tag="insulin"),
    Template("budesonide/formoterol", "160 mcg/4.5 mcg per actuation", "inhaler", "inhale 2 puffs by mouth bid", 2, days=30,
             unit="inhaler", quantity=1, actuations=120, tag="inhaler"),
    Template("triamcinolone", "0.1%", "cream", "apply a thin layer to the affected area bid x 14 days", 2, days=14, unit="g",
             quantity=30, tag="topical"),
    Template("prednisone", "10 mg", "tablet",
             "6 tabs po daily x 2 days then 5 tabs po daily x 2 days then 4 tabs po daily x 2 days then 3 tabs po daily x 2 days then 2 tabs po daily x 2 days then 1 tab po daily x 2 days",
             1, days=12, quantity=42, tag="taper"),
)
# An error-prone way to write a frequency, and the plain one it replaces.
ABBREVIATED = {"po daily": "po QD", "at bedtime": "qhs", "in both eyes": "OU"}

FIRST_NAMES = ("Maria", "James", "Aisha", "Robert", "Mei", "Daniel", "Fatima", "Carlos", "Grace", "Samuel", "Priya", "Liam", "Elena", "Noah", "Hannah", "Omar")
LAST_NAMES = ("Alvarez", "Bennett", "Castillo", "Dawson", "Ellis", "Fischer", "Gonzalez", "Harper", "Ibrahim", "Jensen", "Kowalski", "Lindqvist", "Mendoza", "Nakamura", "Osei", "Price")
PRESCRIBER_FIRST = ("Anita", "Brian", "Chloe", "David", "Esther", "Farid", "Gloria", "Henry")
PRESCRIBER_LAST = ("Patel", "Nguyen", "Okafor", "Reyes", "Chen", "Williams", "Brooks", "Larsen", "Haddad", "Sorensen", "Kim", "Garcia")
STREETS = ("Oak Avenue", "Maple Street", "Cedar Lane", "Lincoln Road", "Park Boulevard", "Elm Court")
CITIES = (("Springfield", "IL", "627"), ("Madison", "WI", "537"), ("Columbus", "OH", "432"), ("Salem", "OR", "973"))

# Kinds that cannot share one scenario, and why.
_SCHEDULE_NEED = {"c2_refills": ("CII",), "c3_over_six_months": ("CIII", "CIV"), "expired": (None,)}
_CLAIM_REJECT_KINDS = ("refill_too_soon", "quantity_limit", "prior_auth", "days_supply_limit")
_LATER_KINDS = ("allergy", "interaction", *_CLAIM_REJECT_KINDS)


def compatible(kinds: Iterable[str], drugs: Mapping[str, Drug] | None = None) -> str | None:
    """Why these kinds cannot be planted in one scenario, or None when they can.

    With `drugs`, also whether some template can carry them all (a look-alike partner,
    an abbreviable frequency, the schedule).
    """
    chosen = list(dict.fromkeys(kinds))
    unknown = [k for k in chosen if k not in GENERATOR_KINDS]
    if unknown:
        return f"unknown kind(s): {', '.join(unknown)} (choose from {', '.join(GENERATOR_KINDS)})"
    schedules = [set(_SCHEDULE_NEED[k]) for k in chosen if k in _SCHEDULE_NEED]
    if schedules and not set.intersection(*schedules):
        return "these kinds need different schedules: " + ", ".join(k for k in chosen if k in _SCHEDULE_NEED)
    if sum(k in _CLAIM_REJECT_KINDS for k in chosen) > 1:
        return "the payer stops at the first failing edit: plant at most one of " + ", ".join(_CLAIM_REJECT_KINDS)
    stops = [k for k in chosen if ERROR_KINDS[k].stops_fill]
    if stops and any(k in _LATER_KINDS for k in chosen):
        return f"{stops[0]} ends the run at review, so a claim or DUR problem would never be met"
    if "missing_date" in chosen and stops:
        return "an expired prescription needs its date"
    if "allergy" in chosen and "interaction" in chosen:
        return "plant the allergy or the interaction: one clinical alert per scenario keeps the debrief clear"
    if drugs is not None and not any(_usable(t, tuple(chosen), drugs) for t in TEMPLATES):
        return "no template can carry all of " + ", ".join(chosen)
    return None


def generate(kinds: Iterable[str], seed: int, drugs: Mapping[str, Drug] | None = None) -> Scenario:
    """A validated scenario planting exactly `kinds`, the same for the same kinds and seed; ValueError if impossible."""
    from trainer.rx.scenarios.loader import default_drugs, validate

    drugs = default_drugs() if drugs is None else drugs
    wanted = list(dict.fromkeys(kinds))
    # one canonical order, so the same set of kinds gives the same scenario whatever order it came in
    chosen = tuple(k for k in GENERATOR_KINDS if k in wanted) + tuple(k for k in wanted if k not in GENERATOR_KINDS)
    why = compatible(chosen, drugs)
    if why:
        raise ValueError(why)
    rng = random.Random(f"rxtrainer-scenario:{seed}:{','.join(sorted(chosen))}")
    last_problems: list[tuple[str, str]] = []
    for _attempt in range(MAX_TRIES):
        scenario = _draw(chosen, seed, rng, drugs)
        if scenario is None:
            continue
        last_problems = validate(scenario, drugs)
        if not last_problems:
            return scenario
    detail = "; ".join(f"{f}: {m}" for f, m in last_problems[:3])
    raise ValueError(f"no template could carry {', '.join(chosen) or 'a clean scenario'} ({detail})")


def generate_many(kinds: Iterable[str], seed: int, count: int, drugs: Mapping[str, Drug] | None = None) -> list[Scenario]:
    """`count` scenarios planting `kinds`, from the seeds seed, seed+1, …"""
    chosen = tuple(kinds)
    return [generate(chosen, seed + n, drugs) for n in range(max(0, min(count, 100)))]


# ---- one draw ------------------------------------------------------------------------------------------


def _usable(template: Template, chosen: tuple[str, ...], drugs: Mapping[str, Drug]) -> bool:
    drug = drugs.get(template.generic)
    if drug is None or _product(drug, template) is None:
        return False
    for code in chosen:
        need = _SCHEDULE_NEED.get(code)
        if need is not None and drug.schedule not in need:
            return False
    if "lasa_on_shelf" in chosen and not _lasa_products(drug, drugs):
        return False
    if "wrong_strength_on_shelf" in chosen and not _other_strengths(drug, template):
        return False
    if "error_prone_abbreviation" in chosen and not any(k in template.sig for k in ABBREVIATED):
        return False
    if "interaction" in chosen and not any(i.severity == "major" for i in drug.interactions):
        return False
    # the plan limits are worked on counted tablets taken every day
    limited = any(k in chosen for k in ("days_supply_limit", "quantity_limit"))
    return not limited or (template.counted and template.days >= 30)


def _product(drug: Drug, template: Template) -> Product | None:
    return next(
        (p for p in drug.products if p.strength == template.strength and p.form == template.form),
        None,
    )


def _lasa_products(drug: Drug, drugs: Mapping[str, Drug]) -> list[Product]:
    names = {p.name.casefold() for p in drug.lasa}
    out = []
    for other in drugs.values():
        if other.generic == drug.generic:
            continue
        if names & {n.casefold() for n in other.names} or drug.generic.casefold() in {p.name.casefold() for p in other.lasa}:
            out += [p for p in other.products if "tablet" in p.form or "capsule" in p.form]
    return out


def _other_strengths(drug: Drug, template: Template) -> list[Product]:
    return [p for p in drug.products if p.form == template.form and p.strength != template.strength]


def _valid_dea(rng: random.Random, first: str, last_name: str) -> str:
    six = "".join(str(rng.randint(0, 9)) for _ in range(6))
    return f"{first}{last_name[0].upper()}{six}{dea.check_digit(six)}"


def _valid_npi(rng: random.Random) -> str:
    nine = "1" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return nine + str(npi.check_digit(nine))


def _address(rng: random.Random) -> Address:
    city, state, zip3 = rng.choice(CITIES)
    return Address(f"{rng.randint(10, 999)} {rng.choice(STREETS)}", city, state, f"{zip3}{rng.randint(10, 99)}")


def _draw(chosen: tuple[str, ...], seed: int, rng: random.Random, drugs: Mapping[str, Drug]) -> Scenario | None:
    templates = [t for t in TEMPLATES if _usable(t, chosen, drugs)]
    if not templates:
        return None
    template = rng.choice(templates)
    drug = drugs[template.generic]
    product = _product(drug, template)
    assert product is not None
    today = BASE_DATE + timedelta(days=rng.randint(0, 300))
    sched = drug.schedule

    # the people
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if template.child_kg:
        born = today - timedelta(days=365 * rng.randint(4, 8) + rng.randint(0, 364))
    else:
        born = today - timedelta(days=365 * rng.randint(25, 60) + rng.randint(0, 364))
    sex = rng.choice(("female", "male"))
    patient = Patient(first, last, born, sex, _address(rng),
                      weight_kg=Decimal(template.child_kg) if template.child_kg else None)
    doc_last = rng.choice(PRESCRIBER_LAST)
    credentials = rng.choice(("MD", "DO", "NP", "PA-C"))
    letter = "M" if credentials in ("NP", "PA-C") else rng.choice("ABF")
    good_dea = _valid_dea(rng, letter, doc_last)
    prescriber = Prescriber(rng.choice(PRESCRIBER_FIRST), doc_last, credentials, good_dea, _valid_npi(rng), _address(rng), f"(555) 555-{rng.randint(1000, 9999)}")

    # the prescription
    sig_text = template.sig
    quantity = Decimal(template.quantity if template.quantity is not None else template.per_day * template.days)
    refills = 0 if sched == "CII" else (rng.randint(0, 2) if template.days < 30 and sched is None else rng.randint(0, 5))
    if template.days < 30:
        refills = 0
    if "days_supply_limit" in chosen:
        quantity = Decimal(template.per_day * 90)
        refills = min(refills, 1)
    written = today - timedelta(days=rng.randint(0, 5) if sched == "CII" else rng.randint(0, 20))
    presentation = _presentation(rng, chosen, sched)
    rx_number = f"6{rng.randint(100000, 999999)}"
    rx = PresentedRx(
        presentation=presentation,
        drug=f"{template.generic} {template.strength} {template.form}",
        generic=template.generic,
        strength=template.strength,
        form=template.form,
        quantity=quantity,
        quantity_unit=template.unit,
        sig=sig_text,
        refills=refills,
        written=written,
        rx_number=rx_number,
        handwritten_sig=presentation == "written",
    )
    if presentation == "transfer":
        rx = replace(rx, transfer=Transfer(
            from_pharmacy="Riverside Pharmacy (training)", from_phone="(555) 555-0199", from_pharmacist="K. Osei, RPh",
            original_rx_number=f"R{rng.randint(10000, 99999)}", original_written=written,
            first_filled=written, last_filled=written, refills_remaining=refills,
        ))
    if presentation == "phoned":
        rx = replace(rx, phone_call=PhoneCall(caller=f"office of {prescriber.name}", received_by="the pharmacist on duty", callback=prescriber.phone))

    problems: list[PlantedProblem] = []
    history: list[Fill] = []
    allergies: tuple[str, ...] = ()
    shelf = [ShelfEntry(product, lot=f"L{rng.randint(1000, 9999)}", expires=today + timedelta(days=rng.randint(200, 700)))]
    entries = [FormularyEntry(template.generic, tier=rng.choice((1, 1, 2)))]
    max_days = 90
    resubmit: dict[str, object] = {}

    def plant(code: str, field: str | None = None, resolution=None) -> None:
        known = ERROR_KINDS[code]
        problems.append(PlantedProblem(code, field or known.field, "", known.consequence, known.rule, resolution or {}))

    for code in chosen:
        if code == "dea_check_digit":
            wrong = good_dea[:8] + str((int(good_dea[8]) + rng.randint(1, 9)) % 10)
            prescriber = replace(prescriber, dea=wrong)
            plant(code, resolution={"prescriber.dea": good_dea})
        elif code == "dea_surname":
            other = rng.choice([c for c in "BCDGHJKLPRSTW" if c != doc_last[0].upper()])
            six = good_dea[2:8]
            bad = good_dea[0] + other + six + good_dea[8]
            if "dea_check_digit" in chosen:
                bad = bad[:8] + prescriber.dea[8]  # type: ignore[index]
            prescriber = replace(prescriber, dea=bad)
            plant(code, resolution={"prescriber.dea": good_dea})
        elif code == "c2_refills":
            rx = replace(rx, refills=rng.randint(1, 3))
            plant(code, resolution={"refills": 0})
        elif code == "c3_over_six_months":
            rx = replace(rx, written=today - timedelta(days=rng.randint(190, 240)), refills=rng.randint(1, 5))
            plant(code)
        elif code == "expired":
            rx = replace(rx, written=today - timedelta(days=rng.randint(380, 500)))
            plant(code)
        elif code == "missing_quantity":
            rx = replace(rx, quantity=None)
            plant(code, resolution={"quantity": quantity})
        elif code == "missing_date":
            rx = replace(rx, written=None)
            plant(code, resolution={"written": written})
        elif code == "missing_signature":
            rx = replace(rx, signed=False)
            plant(code, resolution={"signed": True})
        elif code == "lasa_on_shelf":
            trap = rng.choice(_lasa_products(drug, drugs))
            shelf.append(ShelfEntry(trap, trap="lasa", note=f"{trap.label_name} is a look-alike/sound-alike of {template.generic}."))
            plant(code)
        elif code == "wrong_strength_on_shelf":
            trap = rng.choice(_other_strengths(drug, template))
            shelf.append(ShelfEntry(trap, trap="wrong_strength", note=f"{trap.label_name} sits beside the {template.strength}."))
            plant(code)
        elif code == "error_prone_abbreviation":
            for plain, abbreviated in ABBREVIATED.items():
                if plain in sig_text:
                    rx = replace(rx, sig=sig_text.replace(plain, abbreviated))
                    break
            plant(code, resolution={"sig": sig_text})
        elif code == "allergy":
            allergies = (rng.choice((template.generic, *drug.classes)),)
            plant(code)
        elif code == "interaction":
            other = _interacting(drug, drugs, rng)
            if other is None:
                return None
            history.append(Fill(other.generic, today - timedelta(days=rng.randint(3, 20)), 30, Decimal(30)))
            plant(code)
        elif code == "refill_too_soon":
            # the last fill was under half its supply ago, well inside the plan's 75% threshold
            days_ago = rng.randint(1, max(1, template.days // 2))
            history.append(Fill(template.generic, today - timedelta(days=days_ago), template.days, quantity, product.ndc, f"6{rng.randint(100000, 999999)}"))
            plant(code)
        elif code == "quantity_limit":
            entries = [FormularyEntry(template.generic, tier=2, quantity_limit=Decimal(template.per_day * 30 // 2 or 1), limit_days=30)]
            plant(code)
        elif code == "prior_auth":
            entries = [FormularyEntry(template.generic, tier=3, prior_auth=True)]
            resubmit["prior_auth_number"] = f"PA{rng.randint(100000, 999999)}"
            plant(code)
        elif code == "days_supply_limit":
            max_days = 30
            resubmit.update({"quantity": Decimal(template.per_day * 30), "days_supply": 30})
            plant(code)

    # some unrelated profile medication, for realism (the validation discards a clash)
    for neighbour in rng.sample(TEMPLATES, 2)[: rng.randint(0, 2)]:
        if neighbour.generic != template.generic and "interaction" not in chosen:
            history.append(Fill(neighbour.generic, today - timedelta(days=rng.randint(5, 25)), 30, Decimal(30)))
    patient = replace(patient, allergies=allergies, history=tuple(history))
    child = template.child_kg is not None
    card = Insurance(
        bin=f"{rng.randint(600000, 619999)}", pcn=f"TRN{rng.randint(10, 99)}", group=f"G{rng.randint(1000, 9999)}",
        cardholder_id=f"ZX{rng.randint(10000000, 99999999)}", person_code="03" if child else "01", relationship=3 if child else 1,
        cardholder_name=f"{rng.choice(FIRST_NAMES)} {patient.last_name}" if child else "",
    )
    plan = PlanRules(
        name="Training Health Plan",
        bin=card.bin, pcn=card.pcn, group=card.group,
        members=(Member(card.cardholder_id, card.person_code, patient.first_name, patient.last_name, patient.birth_date, today - timedelta(days=400), None, patient.sex),),
        formulary=tuple(entries),
        max_days_supply=max_days,
    )
    draft = Scenario(
        id=_id(seed, chosen),
        title=f"Generated: {template.generic} {template.strength}" + (f" ({', '.join(ERROR_KINDS[k].title.lower() for k in chosen)})" if chosen else " (no planted problem)"),
        date=today,
        patient=patient,
        prescriber=prescriber,
        prescription=rx,
        plan=plan,
        insurance=card,
        shelf=tuple(shelf),
        expected=Expected(),
        problems=tuple(problems),
        areas=tuple(dict.fromkeys(["ptce-2020:4.2", *(ERROR_KINDS[k].area for k in chosen)])),
        tags=tuple(t for t in ("generated", "controlled" if sched else "non-controlled", presentation,
                                "paediatric" if template.child_kg else "adult", template.tag) if t),
        summary=f"A {presentation} prescription for {template.generic}.",
        patient_id=f"P-{rng.randint(1000, 9999)}",
        prescriber_id=f"D-{rng.randint(100, 999)}",
        source=f"generated:{','.join(chosen) or 'clean'}:{seed}",
        actuations=template.actuations,
    )
    return _with_key(draft, drugs, resubmit)


def _presentation(rng: random.Random, chosen: tuple[str, ...], sched: str | None) -> str:
    if any(k in chosen for k in ("missing_quantity", "missing_date", "missing_signature")):
        return "written"
    options = ["written", "eprescribed"]
    if sched != "CII":
        options.append("phoned")
    if sched is None and not any(ERROR_KINDS[k].stops_fill for k in chosen):
        options.append("transfer")
    return rng.choice(options)


def _interacting(drug: Drug, drugs: Mapping[str, Drug], rng: random.Random) -> Drug | None:
    candidates = []
    for template in TEMPLATES:
        other = drugs.get(template.generic)
        if other is None or other.generic == drug.generic:
            continue
        names = {other.generic.casefold(), *(c.casefold() for c in other.classes)}
        if any(i.severity == "major" and i.with_.casefold() in names for i in drug.interactions):
            candidates.append(other)
    return rng.choice(candidates) if candidates else None


def _id(seed: int, chosen: tuple[str, ...]) -> str:
    words = "-".join(k.replace("_", "-") for k in chosen) or "clean"
    return f"gen-{seed}-{words}"[:80].rstrip("-")


def _with_key(s: Scenario, drugs: Mapping[str, Drug], resubmit: dict[str, object]) -> Scenario:
    """The scenario with its key computed by the rules core and each problem's note from the core's finding."""
    review_kinds = [ERROR_KINDS[p.kind] for p in s.problems if ERROR_KINDS[p.kind].step == "review"]
    review = max((k.action for k in review_kinds), key=REVIEW_STRENGTH.__getitem__, default="fill")
    fillable = not any(ERROR_KINDS[p.kind].stops_fill for p in s.problems)
    s = replace(s, expected=Expected(review=review, fillable=fillable))
    rx, _prescriber = checks.resolved(s)
    entry = checks.prescribed_product(s, rx)
    if fillable and entry is not None:
        worked = checks.days_supply(rx, entry.product, actuations=s.actuations)
        if worked is None or worked.days is None:
            return s
        expected = Expected(
            review=review,
            fillable=True,
            directions=checks.directions(rx.sig),
            quantity=rx.quantity,
            days_supply=worked.days,
            refills=0 if checks.schedule(rx, drugs) == "CII" else rx.refills,
            daw=0,
            ndc=entry.product.ndc,
        )
        s = replace(s, expected=expected)
        response = checks.submit(s, checks.key_request(s), drugs)
        alerts = sorted({a.code for a in dur.review(checks.record(rx, s.patient, _prescriber, drugs), drugs, fill_date=s.date, days_supply=worked.days)})
        codes = [c for c in response.codes if c != "88"] + alerts
        actions = {}
        for code in codes:
            planted = next((p for p in s.problems if ERROR_KINDS[p.kind].reject == code), None)
            actions[code] = ERROR_KINDS[planted.kind].action if planted else CLAIM_ACTIONS_FOR.get(code, ("route_to_pharmacist",))[0]
        paid_after = True
        if resubmit:
            # a clinical alert still stops the resubmission until the pharmacist acts on it
            paid_after = checks.submit(s, checks.key_request(s, **resubmit), drugs).paid
        claim = ClaimKey(rejects=tuple(response.codes), dur=tuple(alerts), actions=actions, resubmit=resubmit, paid_after_resubmit=paid_after)
        s = replace(s, expected=replace(expected, claim=claim))
    notes = {}
    for finding in checks.findings(s, drugs):
        notes.setdefault(finding.kind, finding.message)
    problems = tuple(replace(p, note=notes.get(p.kind, ERROR_KINDS[p.kind].title)) for p in s.problems)
    return replace(s, problems=problems)


__all__ = ["TEMPLATES", "Template", "compatible", "generate", "generate_many"]
