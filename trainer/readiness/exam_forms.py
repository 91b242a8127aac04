"""Mock exam forms: how many items each domain gets, and which questions fill them.

The scored items are split over the domains by the outline's weights with the largest
remainder method (Hamilton's): every domain gets the whole part of its quota, and the
items left over go to the largest fractional parts. PTCE 2020 with 80 scored items gives
40 % → 32, 12.5 % → 10, 26.25 % → 21, 21.25 % → 17. The unscored (pretest) items are
split the same way, on top, and placed at random among the scored ones.

When the bank holds too few questions for a domain, the form takes what there is and
the plan says how many are missing, so the learner and the instructor can be told.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


def largest_remainder(total: int, weights: Mapping[str, Decimal | float | int]) -> dict[str, int]:
    """Split `total` whole items over the weights: floors first, the rest to the largest remainders.

    Ties go to the larger weight, then to the earlier key. The counts add up to `total`.
    """
    if total < 0:
        raise ValueError("cannot allocate a negative number of items")
    shares = {key: Fraction(str(weight)) for key, weight in weights.items()}
    if any(share < 0 for share in shares.values()):
        raise ValueError("weights must not be negative")
    whole = sum(shares.values(), Fraction(0))
    if not shares or whole == 0:
        if total:
            raise ValueError("nothing to allocate the items to")
        return dict.fromkeys(shares, 0)
    quotas = {key: total * share / whole for key, share in shares.items()}
    counts = {key: int(quota) for key, quota in quotas.items()}  # quotas are never negative
    order = list(shares)
    left = total - sum(counts.values())
    by_remainder = sorted(
        order, key=lambda key: (-(quotas[key] - counts[key]), -shares[key], order.index(key))
    )
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts


@dataclass(frozen=True)
class DomainPlan:
    """One domain on a form: items wanted (scored and pretest), what the bank can give."""

    code: str
    title: str
    scored_wanted: int
    unscored_wanted: int
    available: int

    @property
    def scored(self) -> int:
        """Scored items the form will carry."""
        return min(self.scored_wanted, self.available)

    @property
    def unscored(self) -> int:
        """Pretest items the form will carry (the scored ones come first)."""
        return min(self.unscored_wanted, self.available - self.scored)

    @property
    def missing(self) -> int:
        """Items the bank is short of for this domain."""
        return self.scored_wanted + self.unscored_wanted - self.scored - self.unscored


@dataclass(frozen=True)
class FormPlan:
    """A whole form: its domains in outline order."""

    outline: str
    domains: tuple[DomainPlan, ...]

    @property
    def scored(self) -> int:
        return sum(d.scored for d in self.domains)

    @property
    def unscored(self) -> int:
        return sum(d.unscored for d in self.domains)

    @property
    def items(self) -> int:
        return self.scored + self.unscored

    @property
    def short(self) -> tuple[DomainPlan, ...]:
        """Domains the bank cannot fill."""
        return tuple(d for d in self.domains if d.missing)


def plan_form(
    outline: str,
    domains: Sequence[tuple[str, str, Decimal | float]],
    scored_items: int,
    unscored_items: int,
    available: Mapping[str, int],
) -> FormPlan:
    """Items per domain for a form; `domains` are (code, title, weight), `available` counts by code."""
    weights = {code: weight for code, _, weight in domains}
    scored = largest_remainder(scored_items, weights)
    unscored = largest_remainder(unscored_items, weights)
    return FormPlan(outline, tuple(
        DomainPlan(code, title, scored[code], unscored[code], max(available.get(code, 0), 0))
        for code, title, _ in domains
    ))


@dataclass(frozen=True)
class FormItem:
    """One question on a drawn form."""

    question: int  # a question id (any hashable the caller uses)
    domain: str
    scored: bool


def draw_form(plan: FormPlan, pools: Mapping[str, Sequence[int]], rng: random.Random) -> list[FormItem]:
    """The form's items in the order shown: each domain's draw from its pool, pretest items among them.

    Pools should not share questions (give a question to one domain of the outline); a
    question met twice is drawn once. The same plan, pools (in the same order) and seed
    give the same form.
    """
    taken: set[int] = set()
    items: list[FormItem] = []
    for domain in plan.domains:
        pool = [q for q in pools.get(domain.code, ()) if q not in taken]
        chosen = rng.sample(pool, min(domain.scored + domain.unscored, len(pool)))
        taken.update(chosen)
        scored = min(domain.scored, len(chosen))
        items.extend(FormItem(q, domain.code, True) for q in chosen[:scored])
        items.extend(FormItem(q, domain.code, False) for q in chosen[scored:])
    rng.shuffle(items)
    return items
