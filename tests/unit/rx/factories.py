"""Plain records for the rules: a patient, a prescriber, drugs, products and a plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from trainer.rx.records import (
    Address,
    DoseRange,
    Drug,
    Fill,
    FormularyEntry,
    Interaction,
    Member,
    Patient,
    Pharmacy,
    PlanRules,
    Prescriber,
    Prescription,
    Product,
    Source,
)

LABEL = Source("FDA label (DailyMed)", "https://dailymed.nlm.nih.gov")


def product(
    generic: str, ndc: str, strength: str = "10 mg", form: str = "tablet", **fields
) -> Product:
    fields = {
        "package_size": Decimal(30),
        "package_unit": "tablet",
        "unit_price": Decimal("0.50"),
    } | fields
    return Product(ndc=ndc, generic=generic, strength=strength, form=form, **fields)


WARFARIN = Drug(
    generic="warfarin",
    brands=("Jantoven",),
    classes=("vitamin K antagonist",),
    interactions=(Interaction("NSAID", "major", "higher risk of bleeding", "warfarin label 7"),),
    pregnancy="contraindicated in pregnancy except in women with mechanical heart valves",
    pregnancy_avoid=True,
    products=(product("warfarin", "0000-0101-30", "5 mg"),),
    sources=(LABEL,),
)
IBUPROFEN = Drug(
    generic="ibuprofen",
    classes=("NSAID",),
    usual_adult_dose=DoseRange("400–800 mg three or four times a day", Decimal(3200), "mg"),
    older_adults="avoid chronic use unless alternatives are not effective (GI bleeding)",
    products=(product("ibuprofen", "0000-0102-30", "800 mg"),),
    sources=(LABEL,),
)
NAPROXEN = Drug(
    generic="naproxen",
    classes=("NSAID",),
    products=(product("naproxen", "0000-0103-30", "500 mg"),),
    sources=(LABEL,),
)
AMOXICILLIN = Drug(
    generic="amoxicillin",
    classes=("penicillin",),
    products=(product("amoxicillin", "0000-0104-30", "500 mg", "capsule"),),
    sources=(LABEL,),
)
CEPHALEXIN = Drug(
    generic="cephalexin",
    classes=("cephalosporin",),
    products=(product("cephalexin", "0000-0105-30", "500 mg", "capsule"),),
    sources=(LABEL,),
)
SMX_TMP = Drug(
    generic="sulfamethoxazole/trimethoprim",
    classes=("sulfonamide antibiotic",),
    products=(product("sulfamethoxazole/trimethoprim", "0000-0106-30", "800 mg/160 mg"),),
    sources=(LABEL,),
)
HCTZ = Drug(
    generic="hydrochlorothiazide",
    classes=("thiazide diuretic", "sulfonamide non-antibiotic"),
    products=(product("hydrochlorothiazide", "0000-0107-30", "25 mg"),),
    sources=(LABEL,),
)
HYDROCODONE_APAP = Drug(
    generic="hydrocodone/acetaminophen",
    classes=("opioid",),
    schedule="CII",
    products=(product("hydrocodone/acetaminophen", "0000-0108-30", "5 mg/325 mg"),),
    sources=(LABEL,),
)
ACETAMINOPHEN = Drug(
    generic="acetaminophen",
    classes=("analgesic",),
    products=(product("acetaminophen", "0000-0109-30", "500 mg"),),
    sources=(LABEL,),
)
LIPITOR = product(
    "atorvastatin", "0000-0113-30", "10 mg", brand="Lipitor", unit_price=Decimal("10")
)
ATORVASTATIN = Drug(
    generic="atorvastatin",
    brands=("Lipitor",),
    classes=("statin",),
    auxiliary_labels=("Avoid grapefruit juice",),
    products=(
        product("atorvastatin", "0000-0110-30", "10 mg", unit_price=Decimal("0.10")),
        LIPITOR,
    ),
    sources=(LABEL,),
)
SIMVASTATIN = Drug(
    generic="simvastatin",
    classes=("statin",),
    products=(product("simvastatin", "0000-0111-30", "20 mg"),),
    sources=(LABEL,),
)
ALPRAZOLAM = Drug(
    generic="alprazolam",
    classes=("benzodiazepine",),
    schedule="CIV",
    older_adults="avoid (cognitive impairment, falls)",
    auxiliary_labels=("May cause drowsiness",),
    products=(product("alprazolam", "0000-0112-30", "0.5 mg"),),
    sources=(LABEL,),
)

DRUGS = {
    d.generic: d
    for d in (
        WARFARIN,
        IBUPROFEN,
        NAPROXEN,
        AMOXICILLIN,
        CEPHALEXIN,
        SMX_TMP,
        HCTZ,
        HYDROCODONE_APAP,
        ACETAMINOPHEN,
        ATORVASTATIN,
        SIMVASTATIN,
        ALPRAZOLAM,
    )
}

TODAY = date(2026, 3, 2)


def patient(**fields) -> Patient:
    base = Patient(
        first_name="Maria",
        last_name="Lopez",
        birth_date=date(1970, 6, 15),
        sex="female",
        address=Address("12 Elm St", "Springfield", "IL", "62701"),
    )
    return replace(base, **fields)


def prescriber(**fields) -> Prescriber:
    base = Prescriber(
        "Sam",
        "Jones",
        "MD",
        dea="AJ5184279",
        npi="1234567893",
        address=Address("1 Main St", "Springfield", "IL", "62701"),
    )
    return replace(base, **fields)


def prescription(generic: str = "atorvastatin", **fields) -> Prescription:
    base = Prescription(
        patient=fields.pop("patient", patient()),
        prescriber=prescriber(),
        drug=f"{generic} 10 mg tablet",
        generic=generic,
        strength="10 mg",
        dosage_form="tablet",
        quantity=Decimal(30),
        quantity_unit="tablets",
        sig="1 tab po daily",
        refills=3,
        written=date(2026, 2, 20),
        prescription_id="RX1",
    )
    return replace(base, **fields)


def fill(generic: str, fill_date: date, days_supply: int = 30, **fields) -> Fill:
    return Fill(generic=generic, fill_date=fill_date, days_supply=days_supply, **fields)


PLAN = PlanRules(
    name="Training Health Plan",
    bin="610999",
    pcn="TRAIN",
    group="GRP100",
    members=(
        Member(
            "ZX123456", "01", "Maria", "Lopez", date(1970, 6, 15), date(2025, 1, 1), sex="female"
        ),
    ),
    formulary=(
        FormularyEntry("atorvastatin", 1, brand_tier=3, quantity_limit=Decimal(30)),
        FormularyEntry("simvastatin", 1),
        FormularyEntry("warfarin", 1),
        FormularyEntry("ibuprofen", 1),
        FormularyEntry("alprazolam", 2),
        FormularyEntry("hydrocodone/acetaminophen", 2, prior_auth=True),
        FormularyEntry("amoxicillin", 1),
        FormularyEntry("cephalexin", 1),
        FormularyEntry("sulfamethoxazole/trimethoprim", 1),
    ),
    excluded=("naproxen",),
)

PHARMACY = Pharmacy(
    "Main Street Pharmacy", Address("5 Main St", "Springfield", "IL", "62701"), "217-555-0100"
)
