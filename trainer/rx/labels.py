"""Prescription labels: the federal elements, the transfer caution, auxiliary labels, and a check
of a label against its prescription.

    from trainer.rx import labels
    label = labels.build(prescription, product, pharmacy, rx_number="6001234", fill_date=date(2026, 3, 1), drug=drug)
    labels.check(label, prescription, drug=drug)      # Check: every missing or wrong element

Federal law asks a dispensed prescription's label for the dispenser's name and address,
the serial (prescription) number, the date, the prescriber's and patient's names, the
directions and any cautionary statements (21 U.S.C. 353(b)(2)); a controlled
substance's label adds the date of initial filling (21 CFR 1306.14, 1306.24), and a
C-II to C-IV label carries the transfer caution of 21 CFR 290.5. States add more (drug
name and strength, quantity, refills, a beyond-use date): the label here carries them
because technicians are taught to.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from trainer.rx import controlled, sig
from trainer.rx.check import Check, Problem, cited, result
from trainer.rx.records import Drug, Pharmacy, Prescription, Product

FDCA_503B = "21 U.S.C. 353(b)(2), https://www.law.cornell.edu/uscode/text/21/353"
CFR_1306_14 = "21 CFR 1306.14(a) (C-II) and 1306.24(a) (C-III to C-V), https://www.ecfr.gov/current/title-21/section-1306.14"
CFR_290_5 = "21 CFR 290.5, https://www.ecfr.gov/current/title-21/section-290.5"
USP_17 = "USP General Chapter <17> Prescription Container Labeling (patient-centered directions)"
TRANSFER_CAUTION = (
    "Caution: Federal law prohibits the transfer of this drug to any person other than the "
    "patient for whom it was prescribed."
)
TRAINING_NDC_MARK = "TRAINING NDC – not a real product code"


@dataclass(frozen=True)
class Label:
    """What a prescription label says."""

    pharmacy_name: str = ""
    pharmacy_address: str = ""
    rx_number: str = ""
    fill_date: date | None = None
    patient_name: str = ""
    prescriber_name: str = ""
    drug: str = ""  # name, strength and form as dispensed
    quantity: str = ""
    directions: str = ""
    refills: int | None = None
    cautions: tuple[str, ...] = ()
    auxiliary_labels: tuple[str, ...] = ()
    ndc: str = ""
    ndc_is_training: bool = False

    @property
    def ndc_text(self) -> str:
        """The NDC as it must be shown: a made-up one says so."""
        if not self.ndc:
            return ""
        return f"{self.ndc} ({TRAINING_NDC_MARK})" if self.ndc_is_training else self.ndc


def auxiliary_labels(
    drug: Drug | None, prescription: Prescription | None = None
) -> tuple[str, ...]:
    """The auxiliary labels the drug data calls for."""
    return tuple(drug.auxiliary_labels) if drug is not None else ()


def build(
    prescription: Prescription,
    product: Product,
    pharmacy: Pharmacy,
    *,
    rx_number: str,
    fill_date: date,
    drug: Drug | None = None,
    refill_number: int = 0,
) -> Label:
    """The label a correct fill prints: every federal element, the caution, the auxiliary labels."""
    schedule = _schedule(prescription.schedule or (drug.schedule if drug else None))
    cautions = (TRANSFER_CAUTION,) if schedule in ("CII", "CIII", "CIV") else ()
    quantity = ""
    if prescription.quantity is not None:
        unit = prescription.quantity_unit or product.package_unit
        quantity = f"{prescription.quantity.normalize():f} {unit}".strip()
    return Label(
        pharmacy_name=pharmacy.name,
        pharmacy_address=str(pharmacy.address),
        rx_number=rx_number,
        fill_date=fill_date,
        patient_name=prescription.patient.name,
        prescriber_name=prescription.prescriber.name if prescription.prescriber else "",
        drug=product.label_name,
        quantity=quantity,
        directions=sig.translate(prescription.sig),
        refills=max(prescription.refills - refill_number, 0) if schedule != "CII" else 0,
        cautions=cautions,
        auxiliary_labels=auxiliary_labels(drug, prescription),
        ndc=product.ndc,
        ndc_is_training=product.training,
    )


def _schedule(value: object) -> str | None:
    try:
        return controlled.schedule_of(value)
    except ValueError:
        return None


def check(
    label: object, prescription: Prescription, *, drug: Drug | None = None, refill_number: int = 0
) -> Check:
    """Every element a label is missing or gets wrong against its prescription and drug data."""
    if not isinstance(label, Label):
        return result([("label", "must be a Label")])
    if not isinstance(prescription, Prescription):
        return result([("prescription", "must be a Prescription")])
    problems: list[Problem] = []
    required = (
        ("pharmacy_name", label.pharmacy_name, "the pharmacy's name"),
        ("pharmacy_address", label.pharmacy_address, "the pharmacy's address"),
        ("rx_number", label.rx_number, "the prescription (serial) number"),
        ("patient_name", label.patient_name, "the patient's name"),
        ("prescriber_name", label.prescriber_name, "the prescriber's name"),
        ("directions", label.directions, "the directions for use"),
    )
    for name, value, what in required:
        if not str(value).strip():
            problems.append((name, cited(f"{what} is missing", FDCA_503B)))
    if label.fill_date is None:
        problems.append(("fill_date", cited("the date of filling is missing", FDCA_503B)))
    if label.patient_name.strip() and _folded(label.patient_name) != _folded(
        prescription.patient.name
    ):
        problems.append(
            (
                "patient_name",
                cited(
                    f"the label names {label.patient_name}, the prescription {prescription.patient.name}",
                    FDCA_503B,
                ),
            )
        )
    if (
        prescription.prescriber
        and label.prescriber_name.strip()
        and prescription.prescriber.last_name.casefold() not in label.prescriber_name.casefold()
    ):
        problems.append(
            (
                "prescriber_name",
                cited(
                    f"the label names {label.prescriber_name}, the prescription {prescription.prescriber.name}",
                    FDCA_503B,
                ),
            )
        )
    if (
        label.drug.strip()
        and prescription.generic.split("/")[0].casefold() not in label.drug.casefold()
        and not (drug and any(b.casefold() in label.drug.casefold() for b in drug.brands))
    ):
        problems.append(
            (
                "drug",
                f"the label's drug ({label.drug}) is not the one prescribed ({prescription.drug})",
            )
        )
    if (
        prescription.strength
        and label.drug.strip()
        and _folded(prescription.strength) not in _folded(label.drug)
    ):
        problems.append(
            (
                "drug",
                f"the label's strength does not match the prescription's {prescription.strength}",
            )
        )
    expected = sig.translate(prescription.sig)
    if label.directions.strip():
        left = sig.error_prone(label.directions)
        if left:
            problems.append(
                (
                    "directions",
                    cited(
                        "the directions still use "
                        + ", ".join(f.token for f in left)
                        + ": write them out in full",
                        USP_17,
                    ),
                )
            )
        elif expected and _folded(label.directions) != _folded(expected):
            problems.append(
                (
                    "directions",
                    f'the directions say "{label.directions}"; the prescription means "{expected}"',
                )
            )
    schedule = _schedule(prescription.schedule or (drug.schedule if drug else None))
    if schedule in ("CII", "CIII", "CIV") and TRANSFER_CAUTION not in label.cautions:
        problems.append(
            (
                "cautions",
                cited("a C-II to C-IV label must carry the federal transfer caution", CFR_290_5),
            )
        )
    if label.refills is not None:
        allowed = 0 if schedule == "CII" else max(prescription.refills - refill_number, 0)
        if label.refills > allowed:
            problems.append(
                ("refills", f"the label shows {label.refills} refills; {allowed} remain")
            )
    if prescription.quantity is not None and label.quantity.strip():
        number = label.quantity.split()[0].replace(",", "")
        if number != f"{prescription.quantity.normalize():f}":
            problems.append(
                (
                    "quantity",
                    f"the label shows {label.quantity}; {prescription.quantity.normalize():f} were prescribed",
                )
            )
    wanted = auxiliary_labels(drug, prescription)
    missing = [a for a in wanted if a not in label.auxiliary_labels]
    if missing:
        problems.append(("auxiliary_labels", "missing auxiliary label: " + "; ".join(missing)))
    return result(problems)


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace(".", "").split())


def with_changes(label: Label, **changes) -> Label:
    """A copy of a label with some elements changed (for planted-error exercises)."""
    return replace(label, **changes)


__all__ = [
    "TRAINING_NDC_MARK",
    "TRANSFER_CAUTION",
    "Label",
    "auxiliary_labels",
    "build",
    "check",
    "with_changes",
]
