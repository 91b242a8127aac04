"""Drug utilization review: the alerts a new prescription raises against the patient profile.

    from trainer.rx import dur
    alerts = dur.review(prescription, drugs, fill_date=date(2026, 3, 1), days_supply=30)
    [a.code for a in alerts]          # ["DD", "DA"] …
    alerts[0].action                  # "Route it to the pharmacist…"

Codes are NCPDP's reason-for-service codes (field 439-E4): DD drug–drug interaction,
DA drug–allergy (including class cross-sensitivity: penicillins with cephalosporins
and carbapenems, sulfonamide antibiotics with each other), TD therapeutic duplication,
ID ingredient duplication, ER early refill, HD high dose, PA drug–age, PG
drug–pregnancy. Severity is "major", "moderate" or "minor". A clinical alert is the
pharmacist's to resolve: the technician's right action is always to route it, never to
override it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from trainer.rx.records import Drug, Patient, Prescription

REASON_CODES = {
    "DD": "drug–drug interaction",
    "DA": "drug–allergy",
    "TD": "therapeutic duplication",
    "ID": "ingredient duplication",
    "ER": "early refill",
    "HD": "high dose",
    "LD": "low dose",
    "PA": "drug–age",
    "PG": "drug–pregnancy",
    "MC": "drug–disease",
}
SEVERITIES = ("major", "moderate", "minor")
NCPDP_439 = (
    "NCPDP Reason for Service Code (439-E4), "
    "https://ushik.ahrq.gov/ViewItemDetails?itemKey=201191000&system=sdo"
)
ROUTE_TO_PHARMACIST = (
    "Route it to the pharmacist: a clinical DUR alert is resolved by the pharmacist's "
    "professional judgement, not overridden by a technician."
)
BEERS = (
    "American Geriatrics Society 2023 Updated AGS Beers Criteria, J Am Geriatr Soc "
    "2023;71(7):2052-2081, https://doi.org/10.1111/jgs.18372"
)
EARLY_REFILL_THRESHOLD = Decimal("0.75")

# (allergy class, drug class, severity, why): class-level cross-sensitivity.
CROSS_SENSITIVITY: tuple[tuple[str, str, str, str], ...] = (
    (
        "penicillin",
        "cephalosporin",
        "moderate",
        "cephalosporin labels warn of cross-hypersensitivity among beta-lactam antibiotics in "
        "patients with a penicillin allergy (for example cephalexin, Warnings and Precautions 5.1, "
        "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=cephalexin)",
    ),
    (
        "penicillin",
        "carbapenem",
        "moderate",
        "carbapenem labels warn of cross-hypersensitivity with other beta-lactams "
        "(https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=meropenem)",
    ),
    (
        "cephalosporin",
        "penicillin",
        "moderate",
        "penicillin labels warn of cross-hypersensitivity with cephalosporins "
        "(for example amoxicillin, Warnings and Precautions 5.1, "
        "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=amoxicillin)",
    ),
    (
        "sulfonamide antibiotic",
        "sulfonamide antibiotic",
        "major",
        "sulfamethoxazole/trimethoprim is contraindicated with a known sulfonamide hypersensitivity "
        "(https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=sulfamethoxazole)",
    ),
    (
        "sulfonamide antibiotic",
        "sulfonamide non-antibiotic",
        "minor",
        "cross-reactivity between sulfonamide antibiotics and non-antibiotic sulfonamides "
        "(thiazides, loop diuretics, celecoxib) is uncommon but some labels list the allergy "
        "(for example celecoxib, Contraindications)",
    ),
)
# What people write on an allergy list, and the class it means.
ALLERGY_WORDS = {
    "sulfa": "sulfonamide antibiotic",
    "sulfa drugs": "sulfonamide antibiotic",
    "sulfonamides": "sulfonamide antibiotic",
    "pcn": "penicillin",
    "penicillins": "penicillin",
    "cephalosporins": "cephalosporin",
    "nsaids": "NSAID",
    "aspirin": "aspirin",
}


@dataclass(frozen=True)
class DurAlert:
    """One DUR alert: NCPDP reason code, severity, what conflicts, the message and source."""

    code: str
    severity: str
    message: str
    conflict: str
    source: str
    action: str = ROUTE_TO_PHARMACIST

    @property
    def reason(self) -> str:
        """The reason code in words."""
        return REASON_CODES.get(self.code, self.code)


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def ingredients(generic: str) -> tuple[str, ...]:
    """The active ingredients of a generic name: "hydrocodone/acetaminophen" → both."""
    return tuple(part.strip().casefold() for part in generic.split("/") if part.strip())


def active_fills(patient: Patient, on: date, grace_days: int = 7):
    """Fills whose supply has not run out by `on` (with a few days' grace for late refills)."""
    return [
        fill
        for fill in patient.history
        if fill.fill_date <= on < fill.fill_date + timedelta(days=fill.days_supply + grace_days)
    ]


def review(
    prescription: Prescription,
    drugs: Mapping[str, Drug],
    *,
    fill_date: date,
    days_supply: int | None = None,
    daily_dose: Decimal | None = None,
    early_refill_threshold: Decimal = EARLY_REFILL_THRESHOLD,
) -> list[DurAlert]:
    """Every DUR alert for a prescription against its patient's profile, most severe first.

    `drugs` maps generic names to the reference; a drug missing from it raises no
    clinical alert (it cannot be reviewed), which the caller should show.
    """
    drug = drugs.get(prescription.generic)
    if drug is None:
        return []
    patient = prescription.patient
    alerts: list[DurAlert] = []
    current = [
        f
        for f in active_fills(patient, fill_date)
        if f.prescription_id != prescription.prescription_id or f.prescription_id is None
    ]
    alerts.extend(_allergies(drug, patient))
    others = [f for f in current if f.generic != drug.generic]
    for fill in others:
        other = drugs.get(fill.generic)
        alerts.extend(_interactions(drug, fill.generic, other))
        if other is not None:
            shared = set(drug.classes) & set(other.classes)
            if shared:
                alerts.append(
                    DurAlert(
                        "TD",
                        "moderate",
                        f"{drug.generic} and {other.generic} are both {sorted(shared)[0]}s: a therapeutic duplication",
                        other.generic,
                        NCPDP_439,
                    )
                )
        common = set(ingredients(drug.generic)) & set(ingredients(fill.generic))
        if common:
            alerts.append(
                DurAlert(
                    "ID",
                    "moderate",
                    f"{fill.generic} also contains {sorted(common)[0]}: the patient would take it twice",
                    fill.generic,
                    NCPDP_439,
                )
            )
    same = sorted(
        (f for f in patient.history if f.generic == drug.generic and f.fill_date <= fill_date),
        key=lambda f: f.fill_date,
    )
    if same:
        last = same[-1]
        elapsed = (fill_date - last.fill_date).days
        if last.days_supply > 0 and Decimal(elapsed) < early_refill_threshold * last.days_supply:
            alerts.append(
                DurAlert(
                    "ER",
                    "moderate",
                    f"only {elapsed} of the last fill's {last.days_supply} days have passed "
                    f"(less than {int(early_refill_threshold * 100)}% used)",
                    drug.generic,
                    NCPDP_439,
                )
            )
    dose = drug.usual_adult_dose
    if (
        daily_dose is not None
        and dose is not None
        and dose.max_daily is not None
        and daily_dose > dose.max_daily
    ):
        alerts.append(
            DurAlert(
                "HD",
                "major",
                f"{daily_dose} {dose.unit or ''} a day is above the labelled maximum of {dose.max_daily} {dose.unit or ''}".replace(
                    "  ", " "
                ),
                drug.generic,
                dose.source or NCPDP_439,
            )
        )
    age = patient.age_on(fill_date)
    if drug.min_age_years is not None and age < drug.min_age_years:
        alerts.append(
            DurAlert(
                "PA",
                "major",
                f"the label does not establish use under {drug.min_age_years} years; the patient is {age}",
                drug.generic,
                _first_source(drug),
            )
        )
    if age >= 65 and drug.older_adults:
        alerts.append(
            DurAlert(
                "PA", "moderate", f"the patient is {age}: {drug.older_adults}", drug.generic, BEERS
            )
        )
    if patient.pregnant and (drug.pregnancy_avoid or drug.pregnancy):
        alerts.append(
            DurAlert(
                "PG",
                "major" if drug.pregnancy_avoid else "moderate",
                f"the patient is pregnant: {drug.pregnancy or 'the label advises against use in pregnancy'}",
                drug.generic,
                _first_source(drug),
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(alerts, key=lambda a: order.get(a.severity, 3))


def as_problems(alerts: list[DurAlert]) -> list[tuple[str, str]]:
    """Alerts as (field, message) pairs: field "dur", the message with its reason code and source."""
    return [("dur", f"{a.code} ({a.reason}, {a.severity}): {a.message} ({a.source})") for a in alerts]


def _first_source(drug: Drug) -> str:
    return str(drug.sources[0]) if drug.sources else NCPDP_439


def _allergies(drug: Drug, patient: Patient) -> list[DurAlert]:
    alerts: list[DurAlert] = []
    names = {_words(n) for n in drug.names} | set(ingredients(drug.generic))
    classes = {c for c in drug.classes}
    for allergy in patient.allergies:
        said = _words(allergy)
        meant = ALLERGY_WORDS.get(said, said)
        if said in names or _words(meant) in names:
            alerts.append(
                DurAlert(
                    "DA",
                    "major",
                    f"the patient is allergic to {allergy}",
                    allergy,
                    _first_source(drug),
                )
            )
            continue
        if _words(meant) in {_words(c) for c in classes}:
            alerts.append(
                DurAlert(
                    "DA",
                    "major",
                    f"the patient is allergic to {allergy}, and {drug.generic} is one",
                    allergy,
                    _first_source(drug),
                )
            )
            continue
        for allergic_to, drug_class, severity, why in CROSS_SENSITIVITY:
            if (
                _words(meant) == _words(allergic_to)
                and drug_class in classes
                and _words(allergic_to) != _words(drug_class)
            ):
                alerts.append(
                    DurAlert(
                        "DA",
                        severity,
                        f"the patient is allergic to {allergy}; {drug.generic} is a {drug_class}: possible cross-sensitivity",
                        allergy,
                        why,
                    )
                )
    return alerts


def _interactions(drug: Drug, other_generic: str, other: Drug | None) -> list[DurAlert]:
    other_names = {_words(other_generic)} | ({_words(c) for c in other.classes} if other else set())
    found: list[DurAlert] = []
    for item in drug.interactions:
        if _words(item.with_) in other_names:
            found.append(
                DurAlert(
                    "DD",
                    item.severity,
                    f"{drug.generic} with {other_generic}: {item.effect}",
                    other_generic,
                    item.source,
                )
            )
            return found
    if other is not None:
        mine = {_words(drug.generic)} | {_words(c) for c in drug.classes}
        for item in other.interactions:
            if _words(item.with_) in mine:
                found.append(
                    DurAlert(
                        "DD",
                        item.severity,
                        f"{other_generic} with {drug.generic}: {item.effect}",
                        other_generic,
                        item.source,
                    )
                )
                return found
    return found
