"""Property tests: conversions round-trip, dose volume gives back the dose, days supply only
grows with quantity, and no input of any kind raises anything but CalcError."""

from __future__ import annotations

import os
import re
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trainer.calc import FAMILIES, CalcError, convert_amount, solve

# Calls take well under a millisecond; these limits keep the whole calc run to a few seconds
# on two cores while still trying a few thousand inputs. CALC_FUZZ_EXAMPLES=5000 digs deeper.
EXAMPLES = int(os.environ.get("CALC_FUZZ_EXAMPLES", "120"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MASS = ["mcg", "mg", "g", "kg", "lb", "oz", "grain"]
VOLUME = ["mL", "L", "dL", "tsp", "tbsp", "fl oz", "cup", "pint", "quart", "gallon"]
TIME = ["sec", "min", "hr", "day", "week"]
LENGTH = ["mm", "cm", "m", "in", "ft"]
CONCENTRATION = ["mg/mL", "mcg/mL", "g/L", "mg/5 mL", "g/100 mL", "%"]
KINDS = [MASS, VOLUME, TIME, LENGTH, CONCENTRATION]

amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3).filter(
    lambda d: d > 0
)
unit_pairs = st.sampled_from(KINDS).flatmap(lambda kind: st.tuples(st.sampled_from(kind), st.sampled_from(kind)))


@FAST
@given(value=amounts, pair=unit_pairs)
def test_convert_amount_round_trips(value, pair):
    there = convert_amount(value, pair[0], pair[1])
    assume(Decimal("1e-9") <= there <= Decimal("1e12"))
    back = convert_amount(there, pair[1], pair[0])
    assert abs(back - value) <= value * Decimal("1e-15")


@FAST
@given(value=amounts, pair=st.sampled_from([(a, b) for kind in KINDS[:4] for a in kind for b in kind]))
def test_convert_family_round_trips_within_its_rounding(value, pair):
    there = solve("convert", value=f"{value} {pair[0]}", to=pair[1])
    assume(Decimal("1e-9") <= there.value <= Decimal("1e12"))
    back = solve("convert", value=f"{there.value:f} {pair[1]}", to=pair[0])
    # each leg keeps at least 4 significant figures when the answer is not exact
    assert abs(back.value - value) <= value * Decimal("0.0011") + Decimal("0.0000005")


@FAST
@given(
    dose=st.integers(min_value=1, max_value=5000),
    dose_unit=st.sampled_from(["mg", "mcg", "g", "units", "mEq"]),
    amount=st.integers(min_value=1, max_value=1000),
    per_ml=st.sampled_from(["mL", "5 mL", "10 mL", "2 mL", "250 mL", "1 L"]),
)
def test_dose_volume_times_concentration_gives_back_the_dose(dose, dose_unit, amount, per_ml):
    conc_unit = {"mcg": "mg", "g": "mg"}.get(dose_unit, dose_unit)
    concentration = f"{amount} {conc_unit}/{per_ml}"
    try:
        result = solve("dose_volume", dose=f"{dose} {dose_unit}", concentration=concentration)
    except CalcError as error:
        assert "rounds to zero" in error.message
        return
    ml_in_unit = {"mL": 1, "5 mL": 5, "10 mL": 10, "2 mL": 2, "250 mL": 250, "1 L": 1000}[per_ml]
    dose_in_conc_unit = convert_amount(dose, dose_unit, conc_unit)
    concentration_per_ml = Decimal(amount) / ml_in_unit
    # exactly, before rounding
    assert abs(result.exact * concentration_per_ml - dose_in_conc_unit) <= dose_in_conc_unit * Decimal("1e-12")
    # and within half a rounding step after it
    step = Decimal("0.1") if result.exact >= 1 else Decimal("0.01")
    assert abs(result.value - result.exact) <= step / 2


def _days(quantity: int, dose: str, per_day: int, unit: str) -> Decimal:
    # insulin: units drawn from mL of a U-100 vial or pen
    strength = {"concentration": "U-100"} if dose.endswith("units") else {}
    try:
        return solve("days_supply", quantity=f"{quantity} {unit}", dose=dose, per_day=per_day, **strength).value
    except CalcError as error:
        assert error.field == "quantity" and "less than one day" in error.message
        return Decimal(0)


@FAST
@given(
    q1=st.integers(min_value=1, max_value=5000),
    extra=st.integers(min_value=0, max_value=5000),
    form=st.sampled_from([("tab", "1 tab"), ("tab", "2 tab"), ("mL", "5 mL"), ("mL", "1 tsp"), ("mL", "2 gtt"), ("puffs", "2 puffs"), ("mL", "12 units")]),
    per_day=st.integers(min_value=1, max_value=6),
)
def test_days_supply_never_decreases_as_quantity_grows(q1, extra, form, per_day):
    unit, dose = form
    assert _days(q1, dose, per_day, unit) <= _days(q1 + extra, dose, per_day, unit)


# ---- every family, fed anything ---------------------------------------------------

UNITISH = st.sampled_from(
    [
        "mg", "mcg", "µg", "μg", "g", "kg", "lb", "oz", "gr", "mL", "ml", "L", "tsp", "fl oz",
        "pint", "units", "mEq", "gtt", "tab", "cap", "puffs", "hr", "h", "min", "day", "m2", "m²",
        "%", "% w/v", "F", "°C", "/", "per", "mg/kg/day", "mcg/kg/min", "units/hr", "gtt/mL",
        "mg/5 mL", ":", "1:1000", "U-100", "$", "ss", "XIV", "bid", "q6h", "qd", "", "-", "½",
    ]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True),
)
TEXTY = st.one_of(
    st.text(max_size=30),
    st.builds(lambda n, u: f"{n} {u}", NUMBERS, UNITISH),
    st.builds(lambda n, u, m, v: f"{n} {u}{m}{v}", NUMBERS, UNITISH, st.sampled_from(["/", " ", "/5 "]), UNITISH),
)
ANYTHING = st.one_of(TEXTY, NUMBERS, st.none(), st.booleans(), st.lists(st.integers(), max_size=2), st.just({}))
SAFE_TEXT = re.compile(r"^-?(0|[1-9]\d{0,2}(,\d{3})*)(\.\d*[1-9])?(?=[\s%]|$)")


def _check_contract(family: str, params: dict, round_to: object) -> None:
    try:
        result = solve(family, round_to=round_to, **params)
    except CalcError as error:
        assert not error.message.startswith("internal error"), repr(error.__cause__)
        assert error.field is None or isinstance(error.field, str)
        return
    assert isinstance(result.value, Decimal) and result.value.is_finite()
    if family not in ("roman", "percent_to_ratio", "markup"):
        # safe writing: leading zero, no trailing zero, commas between thousands
        assert SAFE_TEXT.match(result.text), result.text


for _name in FAMILIES:

    def _make(name: str):
        spec = FAMILIES[name]
        names = [param.name for param in spec.params]

        @FAST
        @given(data=st.data())
        def test(data):
            base = dict(spec.example_params(data.draw(st.integers(0, len(spec.example_sets) - 1))))
            for param in names:
                if data.draw(st.booleans()):
                    base[param] = data.draw(ANYTHING)
            round_to = data.draw(st.one_of(st.none(), st.sampled_from(["0.1", "1", "0.5"]), ANYTHING))
            _check_contract(name, base, round_to)

        test.__name__ = f"test_{name}_raises_only_calc_error"
        return test

    globals()[f"test_{_name}_raises_only_calc_error"] = _make(_name)


@FAST
@given(value=ANYTHING, unit=st.one_of(st.text(max_size=12), UNITISH, st.none()), to=st.one_of(UNITISH, st.text(max_size=12)))
def test_convert_amount_raises_only_calc_error(value, unit, to):
    try:
        convert_amount(value, unit, to)
    except CalcError as error:
        assert not error.message.startswith("internal error")
