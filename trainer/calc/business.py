"""Pharmacy business math: markup."""

from __future__ import annotations

from decimal import Decimal

from trainer.calc.core import Inputs, Result, family, p
from trainer.calc.errors import CalcError
from trainer.calc.numbers import (
    HUNDRED,
    HUNDREDTHS,
    MONEY,
    Rounding,
    format_money,
    format_number,
    show,
)


def _markup_rounding(value: Decimal, unit: str) -> tuple[Decimal, str]:
    if unit == "$":
        return MONEY.apply(value, unit)
    return HUNDREDTHS.apply(value, unit)


MARKUP_ROUNDING = Rounding("Money to the cent; a markup percent to hundredths.", _markup_rounding)


def _money(inputs: Inputs, name: str, *, allow_zero: bool = False) -> Decimal:
    found = inputs.amount(name, ("money",), "an amount of money", allow_zero=allow_zero, bare="$")
    return found.value


@family(
    "markup",
    "Markup",
    "The selling price from the cost and a markup percent, or the markup percent from cost and price.",
    MARKUP_ROUNDING,
    [
        p("cost", "Cost", "$20.00", "what the pharmacy paid, such as $20.00"),
        p("markup_percent", "Markup percent", "25%", "the markup on cost, such as 25%", False),
        p("price", "Selling price", "$25.00", "the price charged, such as $25.00", False),
    ],
    [("cost", "markup_percent"), ("cost", "price")],
)
def markup(inputs: Inputs) -> Result:
    """Selling price from cost and markup percent, or markup percent from cost and price."""
    cost = _money(inputs, "cost")
    which = inputs.exactly(1, ("markup_percent", "price"))[0]
    if which == "markup_percent":
        percent = inputs.amount("markup_percent", ("percent",), "a percent", allow_zero=True, bare="%").value
        added = cost * percent / HUNDRED
        price = cost + added
        steps = [
            f"Markup = cost × markup % = {format_money(cost)} × {format_number(percent)}% = {format_money(added)}"
            f"{'' if added == added.quantize(Decimal('0.01')) else ' (' + show(added) + ')'}.",
            f"Price = cost + markup = {format_money(cost)} + {format_money(added)} = {format_money(price)}.",
        ]
        extra = {"markup": inputs.other_answer(added, "$", MARKUP_ROUNDING, "Markup", write=format_money)}
        return inputs.answer(price, "$", MARKUP_ROUNDING, steps, extra=extra, write=format_money, subject="cost")
    price = _money(inputs, "price")
    if price < cost:
        raise CalcError("price is below cost: that is a loss, not a markup", "price")
    added = price - cost
    percent = added / cost * HUNDRED
    steps = [
        f"Markup = price − cost = {format_money(price)} − {format_money(cost)} = {format_money(added)}.",
        f"Markup % = markup ÷ cost × 100 = {format_money(added)} ÷ {format_money(cost)} × 100 = {show(percent)}%.",
    ]
    extra = {"markup": inputs.other_answer(added, "$", MARKUP_ROUNDING, "Markup", write=format_money)}
    return inputs.answer(
        percent, "%", MARKUP_ROUNDING, steps, extra=extra, allow_zero=True, subject="price"
    )
