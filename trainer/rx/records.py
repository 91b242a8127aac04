"""The plain data the rules take as input: drugs and products, patients, prescribers,
prescriptions, fills, plans and the pharmacy shelf.

These are what the prescription simulator builds a scenario from and what the drug
reference service turns database rows into. They hold data only; the rules live in
`controlled`, `claims`, `dur`, `labels` and `supply`. Amounts are Decimals; dates are
`datetime.date`. Every field a rule does not need has a default, so a test or a
scenario states only what matters to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# ---- the drug reference -------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a public URL or a citation a learner can look up."""

    cite: str
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.cite}, {self.url}" if self.url else self.cite


@dataclass(frozen=True)
class LasaPartner:
    """A look-alike/sound-alike name, in Tall Man letters where the FDA or ISMP list one."""

    name: str
    tall_man: str | None = None  # e.g. "hydrOXYzine"
    source: str = ""


@dataclass(frozen=True)
class Interaction:
    """A key interaction with another drug or with a class ("NSAIDs"), its severity and effect."""

    with_: str  # a generic name or a class name from Drug.classes
    severity: str  # "major", "moderate" or "minor"
    effect: str
    source: str = ""


@dataclass(frozen=True)
class DoseRange:
    """The usual adult dose from the FDA label: the text, and the daily maximum when it is plain."""

    text: str
    max_daily: Decimal | None = None
    unit: str | None = None  # unit of max_daily: "mg", "mcg", "units", "puffs"
    source: str = ""


@dataclass(frozen=True)
class Product:
    """One package with an NDC: strength, form, package size, and what limits its days supply.

    `training` is True for NDCs made up for practice: they are well formed but name no
    real package, and every screen that shows one must say so.
    """

    ndc: str  # hyphenated, as printed on the package
    generic: str
    strength: str  # "10 mg", "100 units/mL", "90 mcg/actuation"
    form: str  # "tablet", "capsule", "oral suspension", "pen injector"…
    package_size: Decimal  # how many package units are in one package
    package_unit: str  # "tablet", "mL", "g", "actuation", "pen"
    brand: str | None = None
    training: bool = True
    in_use_days: int | None = None  # discard period once opened (insulin 28)
    actuations: int | None = None  # inhalers: puffs per package
    unit_price: Decimal = Decimal("0")  # simulated cost per package unit, for claims
    source: str = ""

    @property
    def label_name(self) -> str:
        """How a label names it: "atorvastatin 10 mg tablet (Lipitor)"."""
        brand = f" ({self.brand})" if self.brand else ""
        return f"{self.generic} {self.strength} {self.form}{brand}"


@dataclass(frozen=True)
class Drug:
    """One drug of the reference: names, class, schedule, forms, dose, safety facts and sources."""

    generic: str
    brands: tuple[str, ...] = ()
    drug_class: str = ""
    classes: tuple[str, ...] = ()  # class names DUR matches: "penicillin", "NSAID", "opioid"
    schedule: str | None = None  # "CII".."CV", or None
    forms: tuple[str, ...] = ()  # "tablet 10 mg, 20 mg, 40 mg, 80 mg"
    usual_adult_dose: DoseRange | None = None
    lasa: tuple[LasaPartner, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    pregnancy: str | None = None  # a caution the label gives, or None
    pregnancy_avoid: bool = False  # the label contraindicates or boxes it in pregnancy
    older_adults: str | None = None  # AGS Beers Criteria caution, or None
    min_age_years: int | None = None  # youngest age the label approves it for, when it says
    storage: str = ""
    auxiliary_labels: tuple[str, ...] = ()
    high_alert: bool = False  # ISMP high-alert medication (community/ambulatory list)
    products: tuple[Product, ...] = ()
    sources: tuple[Source, ...] = ()
    rank: int | None = None  # position among the most prescribed US drugs, when cited

    @property
    def names(self) -> tuple[str, ...]:
        """The generic and every brand name."""
        return (self.generic, *self.brands)


# ---- people ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    """A postal address."""

    street: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.street, self.city, f"{self.state} {self.zip}".strip()) if part
        )


@dataclass(frozen=True)
class Prescriber:
    """Who wrote the prescription: name, credentials, DEA and NPI numbers, address."""

    first_name: str
    last_name: str
    credentials: str = "MD"  # MD, DO, DDS, DVM, NP, PA…
    dea: str | None = None
    npi: str | None = None
    address: Address = field(default_factory=Address)
    phone: str = ""

    @property
    def name(self) -> str:
        """Full name with credentials."""
        return f"{self.first_name} {self.last_name}, {self.credentials}"


@dataclass(frozen=True)
class Fill:
    """One dispensing in the patient's history: what, how much, for how many days, when."""

    generic: str
    fill_date: date
    days_supply: int
    quantity: Decimal = Decimal("0")
    ndc: str | None = None
    prescription_id: str | None = None
    daily_dose: Decimal | None = None  # in the unit of the drug's usual_adult_dose.max_daily


@dataclass(frozen=True)
class Patient:
    """The patient profile: identity, allergies, conditions, pregnancy and the fill history."""

    first_name: str
    last_name: str
    birth_date: date
    sex: str = "unknown"  # "female", "male", "unknown"
    address: Address = field(default_factory=Address)
    allergies: tuple[str, ...] = ()  # drug or class names: "penicillin", "sulfa"
    conditions: tuple[str, ...] = ()
    pregnant: bool = False
    weight_kg: Decimal | None = None
    history: tuple[Fill, ...] = ()  # what they take now and took before

    @property
    def name(self) -> str:
        """Full name."""
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        """Age in whole years on a date."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


# ---- the prescription ------------------------------------------------------------------

ORIGINS = ("written", "electronic", "oral", "fax", "transfer")


@dataclass(frozen=True)
class Prescription:
    """A prescription as received: who, what, how much, directions, refills, and its origin."""

    patient: Patient
    prescriber: Prescriber | None
    drug: str  # as written: "atorvastatin 20 mg tablet"
    generic: str  # the reference drug it names
    strength: str = ""
    dosage_form: str = ""
    quantity: Decimal | None = None
    quantity_unit: str = ""
    sig: str = ""
    refills: int = 0
    written: date | None = None
    origin: str = "electronic"
    daw: int = 0  # NCPDP dispense-as-written code
    signed: bool = True  # manual signature on paper, or the electronic signature of 21 CFR 1311
    schedule: str | None = None  # from the drug reference
    earliest_fill: date | None = None  # a C-II series: "do not fill before"
    prescription_id: str | None = None
    indication: str | None = None


# ---- the payer and the shelf -------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A person the plan covers, as its eligibility file lists them."""

    cardholder_id: str
    person_code: str
    first_name: str
    last_name: str
    birth_date: date
    effective: date
    terminated: date | None = None
    sex: str = "unknown"


@dataclass(frozen=True)
class FormularyEntry:
    """How a plan covers one drug: tier, prior authorisation, quantity limit."""

    generic: str
    tier: int  # 1 preferred generic … 5 specialty
    prior_auth: bool = False
    quantity_limit: Decimal | None = None  # units per `limit_days`
    limit_days: int = 30
    brand_tier: int | None = None  # the tier when the brand is dispensed
    min_age: int | None = None  # the plan covers it only from this age
    sex: str | None = None  # the plan covers it only for "female" or "male"


@dataclass(frozen=True)
class PlanRules:
    """A simulated payer: how it routes claims, who it covers, what it pays and refuses."""

    name: str
    bin: str  # 6 digits
    pcn: str
    group: str
    members: tuple[Member, ...] = ()
    formulary: tuple[FormularyEntry, ...] = ()
    excluded: tuple[
        str, ...
    ] = ()  # generics the plan never covers (reject 70); unlisted ones are off formulary (MR)
    copays: dict[int, Decimal] = field(
        default_factory=lambda: {
            1: Decimal("5"),
            2: Decimal("15"),
            3: Decimal("40"),
            4: Decimal("75"),
            5: Decimal("150"),
        }
    )
    refill_threshold: Decimal = Decimal(
        "0.75"
    )  # share of the last supply used before a refill pays
    max_days_supply: int = 90
    brand_penalty: bool = True  # DAW 2: the patient pays the brand–generic difference
    primary: bool = True  # False: another payer is primary (coordination of benefits)
    pays_refills: bool = True
    pharmacy_in_network: bool = True

    def entry_for(self, generic: str) -> FormularyEntry | None:
        """The formulary entry of a drug, or None when the plan does not list it."""
        return next((e for e in self.formulary if e.generic == generic), None)

    def member(self, cardholder_id: str, person_code: str) -> Member | None:
        """The covered person with this ID and person code, or None."""
        return next(
            (
                m
                for m in self.members
                if m.cardholder_id == cardholder_id and m.person_code == person_code
            ),
            None,
        )


@dataclass(frozen=True)
class ShelfProduct:
    """A product on the pharmacy's shelf: the package, how many are there, lot and expiry."""

    product: Product
    on_hand: Decimal
    lot: str = ""
    expires: date | None = None


@dataclass(frozen=True)
class Pharmacy:
    """The dispensing pharmacy, as a label names it."""

    name: str
    address: Address = field(default_factory=Address)
    phone: str = ""
    npi: str | None = None
    dea: str | None = None
