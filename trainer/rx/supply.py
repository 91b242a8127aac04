"""Days supply and quantity for the cases technicians get wrong, worked by `trainer.calc`.

    from trainer.rx import supply
    supply.insulin(vials=1, ml_per_vial=10, units_per_day=20)          # 28 days, not 50
    supply.eye_drops(ml=5, drops_per_dose=1, doses_per_day=2)          # 50 days at 20 drops/mL
    supply.inhaler(actuations=200, puffs_per_dose=2, doses_per_day=4)  # 25 days
    supply.from_sig(30, "1-2 tabs po q4-6h prn pain max 8 tabs/day")  # 3 days: the PRN maximum
    supply.taper("2 tabs po daily x 3 days then 1 tab po daily x 3 days")  # 9 tablets, 6 days

The arithmetic is `trainer.calc`'s `days_supply` family (its worked steps come along);
this module adds what the family alone does not know: a product may be used only so
long once opened (insulin vials and pens, some eye drops, reconstituted antibiotics), a
PRN sig is supplied at its maximum daily use, and a taper is the sum of its steps.
Every function returns a Supply; bad input is a problem in it, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from trainer.calc import CalcError, solve
from trainer.rx import sig as sig_reader
from trainer.rx.check import Problem, cited

DAYS_SUPPLY_RULE = (
    "days supply = quantity dispensed ÷ quantity used a day, rounded down; the claim's Days "
    "Supply field (405-D5), NCPDP Telecommunication Standard D.0"
)
IN_USE_RULE = (
    "the labelled in-use (discard) period after opening limits the days supply; see the "
    "product's FDA label, section 16 How Supplied/Storage and Handling (https://dailymed.nlm.nih.gov)"
)
DEFAULT_DROPS_PER_ML = Decimal(20)
INSULIN_IN_USE_DAYS = 28


@dataclass(frozen=True)
class Supply:
    """Whole days a quantity lasts (or the quantity for the days), how, and why it was limited."""

    days: int | None
    quantity: Decimal | None = None
    steps: list[str] = field(default_factory=list)
    limited_by: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether it could be worked out."""
        return not self.problems


def _failed(field_name: str, message: str) -> Supply:
    return Supply(None, None, [], None, [(field_name, message)])


def _positive(value: object, name: str) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number <= 0 or number > 1_000_000:
        return None
    return number


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def days_supply(
    quantity: str,
    dose: str,
    per_day: object,
    *,
    in_use_days: int | None = None,
    packages: int = 1,
    **options: str,
) -> Supply:
    """Days a quantity lasts, by the calc family, capped by an in-use period per opened package.

    `quantity` and `dose` are amounts with units as `trainer.calc` reads them ("10 mL",
    "20 units"); `options` go to the family (concentration, drops_per_ml, priming).
    """
    try:
        solved = solve("days_supply", quantity=quantity, dose=dose, per_day=per_day, **options)
    except CalcError as exc:
        return _failed(exc.field or "quantity", exc.message)
    except TypeError:
        return _failed("quantity", "unknown option for the days-supply calculation")
    exact = solved.exact if solved.exact is not None else Decimal(solved.value)
    days = _floor(exact)
    steps = list(solved.steps)
    if in_use_days is None:
        return Supply(days, None, steps)
    if isinstance(in_use_days, bool) or not isinstance(in_use_days, int) or in_use_days <= 0:
        return _failed("in_use_days", "must be a whole number of days")
    if isinstance(packages, bool) or not isinstance(packages, int) or packages <= 0:
        return _failed("packages", "must be a whole number of packages")
    per_package = exact / packages
    if per_package <= in_use_days:
        return Supply(days, None, steps)
    capped = in_use_days * packages
    steps.append(
        f"Each opened package would last {_floor(per_package)} days, but it must be discarded "
        f"{in_use_days} days after opening: {packages} × {in_use_days} = {capped} days."
    )
    return Supply(
        capped,
        None,
        steps,
        cited(f"the {in_use_days}-day discard period after opening", IN_USE_RULE),
    )


def insulin(
    *,
    units_per_day: object,
    vials: int = 0,
    pens: int = 0,
    ml_per_vial: object = 10,
    ml_per_pen: object = 3,
    units_per_ml: object = 100,
    priming_units: object = None,
    injections_per_day: int = 1,
    in_use_days: int = INSULIN_IN_USE_DAYS,
) -> Supply:
    """Insulin days supply: units in the packages ÷ units a day (priming included), capped per opened package."""
    daily = _positive(units_per_day, "units_per_day")
    concentration = _positive(units_per_ml, "units_per_ml")
    if daily is None:
        return _failed("units_per_day", "must be a positive number of units")
    if concentration is None:
        return _failed("units_per_ml", "must be a positive concentration such as 100 (U-100)")
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in (vials, pens)) or (
        vials == 0
    ) == (pens == 0):
        return _failed("packages", "give a whole number of vials or of pens (one or the other)")
    if (
        isinstance(injections_per_day, bool)
        or not isinstance(injections_per_day, int)
        or injections_per_day <= 0
    ):
        return _failed("injections_per_day", "must be a whole number")
    volume = _positive(ml_per_vial if vials else ml_per_pen, "ml")
    if volume is None:
        return _failed("ml", "must be a positive volume in mL")
    packages = vials or pens
    options: dict[str, str] = {"concentration": f"{concentration} units/mL"}
    dose = daily / injections_per_day
    if priming_units is not None:
        prime = _positive(priming_units, "priming_units")
        if prime is None:
            return _failed("priming_units", "must be a positive number of units")
        options["priming"] = f"{prime} units"
    return days_supply(
        f"{volume * packages} mL",
        f"{dose} units",
        injections_per_day,
        in_use_days=in_use_days,
        packages=packages,
        **options,
    )


def eye_drops(
    *,
    ml: object,
    drops_per_dose: object,
    doses_per_day: object,
    eyes: int = 1,
    drops_per_ml: object = DEFAULT_DROPS_PER_ML,
    in_use_days: int | None = None,
) -> Supply:
    """Days a bottle of drops lasts: mL × drops per mL ÷ drops a day (both eyes count twice)."""
    volume = _positive(ml, "ml")
    each = _positive(drops_per_dose, "drops_per_dose")
    per_ml = _positive(drops_per_ml, "drops_per_ml")
    if volume is None or each is None or per_ml is None:
        return _failed("ml", "give the volume, drops per dose and drops per mL as positive numbers")
    if eyes not in (1, 2):
        return _failed("eyes", "is 1 or 2")
    result = days_supply(
        f"{volume} mL",
        f"{each * eyes} gtt",
        doses_per_day,
        drops_per_ml=f"{per_ml} gtt/mL",
        in_use_days=in_use_days,
    )
    if result.ok and per_ml == DEFAULT_DROPS_PER_ML:
        result.steps.append(
            "20 drops per mL is the usual assumption; the plan or the package may say otherwise."
        )
    return result


def inhaler(
    *, actuations: object, puffs_per_dose: object, doses_per_day: object, inhalers: int = 1
) -> Supply:
    """Days an inhaler lasts: actuations ÷ puffs a day."""
    count = _positive(actuations, "actuations")
    each = _positive(puffs_per_dose, "puffs_per_dose")
    if count is None or each is None:
        return _failed(
            "actuations", "give the actuations per inhaler and puffs per dose as positive numbers"
        )
    if isinstance(inhalers, bool) or not isinstance(inhalers, int) or inhalers <= 0:
        return _failed("inhalers", "must be a whole number")
    return days_supply(f"{count * inhalers} puffs", f"{each} puffs", doses_per_day)


def from_sig(quantity: object, sig_text: object, *, unit: str = "tab") -> Supply:
    """Days a counted quantity lasts by its sig; a PRN sig counts its maximum daily use."""
    total = _positive(quantity, "quantity")
    if total is None:
        return _failed("quantity", "must be a positive amount")
    read = sig_reader.read(sig_text)
    if read.problems and not read.clauses:
        return Supply(None, None, [], None, list(read.problems))
    if len(read.clauses) > 1:
        return _failed("sig", "a sig with several steps is a taper: use supply.taper")
    clause = read.clauses[0]
    each = clause.amount_high or clause.amount
    if each is None:
        return _failed("sig", "the sig does not say how much one dose is")
    steps: list[str] = []
    if clause.max_per_day is not None:
        daily = clause.max_per_day
        steps.append(
            f"As needed, at most {daily} a day (the sig's maximum): the days supply uses the maximum."
        )
        per_day: Decimal | None = daily / each
    else:
        per_day = clause.per_day
        if per_day is None and clause.frequency_text and clause.frequency_text.startswith("every "):
            hours = clause.frequency_text.removeprefix("every ").split()[0]
            if hours.isdigit() and int(hours) and 24 % int(hours) == 0:
                per_day = Decimal(24 // int(hours))
        if per_day is None:
            return _failed(
                "sig", "the sig does not say how many doses a day; ask for a maximum daily dose"
            )
        if clause.amount_high is not None:
            steps.append(
                f"A range of {clause.amount}–{clause.amount_high} counts the larger amount."
            )
    result = days_supply(f"{total} {unit}", f"{each} {unit}", per_day)
    return Supply(result.days, None, steps + result.steps, None, result.problems)


def taper(sig_text: object) -> Supply:
    """A tapering sig: the quantity it needs (sum over its steps) and the days it covers."""
    read = sig_reader.read(sig_text)
    if not read.clauses:
        return Supply(None, None, [], None, list(read.problems))
    total = Decimal(0)
    days = 0
    steps: list[str] = []
    for number, clause in enumerate(read.clauses, start=1):
        if clause.amount is None or clause.per_day is None or clause.duration_days is None:
            return _failed(
                "sig", f"step {number} needs an amount, a frequency and a duration in days"
            )
        used = clause.amount * clause.per_day * clause.duration_days
        steps.append(
            f"Step {number}: {clause.amount} × {clause.per_day} a day × {clause.duration_days} days = {used}."
        )
        total += used
        days += clause.duration_days
    steps.append(f"Quantity = {total}; days supply = {days} days (the length of the taper).")
    return Supply(days, total, steps)
