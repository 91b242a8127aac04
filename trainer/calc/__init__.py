"""Pharmacy calculations with worked solutions: the one engine quizzes, scenarios, the
calculator page and content checks share.

    from trainer.calc import solve
    r = solve("dose_volume", dose="400 mg", concentration="250 mg/5 mL")
    r.value, r.unit, r.text   # Decimal("8"), "mL", "8 mL"

Pure Python: no Flask, no database. Pint is imported on the first calculation, not here.
"""

from __future__ import annotations

from trainer.calc import business, conversions, dispensing, dosing, iv, solutions  # noqa: F401
from trainer.calc.core import REGISTRY, Family, Param, Result, solve
from trainer.calc.errors import CalcError
from trainer.calc.numbers import format_number
from trainer.calc.units import Amount, Conventions, convert_amount, parse_amount

# Teaching order: the order a technician course takes the topics.
_ORDER = (
    "roman",
    "convert",
    "temperature",
    "dose_count",
    "dose_volume",
    "weight_based_dose",
    "bsa_mosteller",
    "bsa_dose",
    "clarks_rule",
    "youngs_rule",
    "frieds_rule",
    "percent_strength",
    "percent_amount",
    "ratio_to_percent",
    "percent_to_ratio",
    "milliequivalents",
    "meq_to_mass",
    "reconstitution",
    "dilution",
    "alligation",
    "compound_scale",
    "specific_gravity",
    "iv_rate",
    "drip_rate",
    "infusion_time",
    "infused_volume",
    "days_supply",
    "quantity_to_dispense",
    "markup",
)

FAMILIES: dict[str, Family] = {name: REGISTRY[name] for name in _ORDER}

__all__ = [
    "FAMILIES",
    "Amount",
    "CalcError",
    "Conventions",
    "Family",
    "Param",
    "Result",
    "convert_amount",
    "format_number",
    "parse_amount",
    "solve",
]
