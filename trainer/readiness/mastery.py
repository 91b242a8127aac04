"""Mastery of a knowledge area: a Beta-Bernoulli estimate whose evidence fades with age.

Every graded answer is a trial with a score from 0 to 1 (partial credit counts as a
fraction of a right answer). The learner's chance of answering an item of the area
right is Beta(α, β): the prior Beta(1, 1) says nothing, each answer adds its score to α
and the rest to β. Old answers count for less: an answer's weight halves every
HALF_LIFE_DAYS, so a month-old mistake weighs half of today's and what was forgotten
stops propping up the estimate. The sums are kept as of a moment (`as_of`); moving them
to a later moment multiplies both by the decay factor, so updating one answer at a time
gives exactly the same estimate as recomputing from every answer.

Confidence grows with the (decayed) number of answers: the 90 % credible interval of
Beta(α, β) narrows as α + β grows, and widens again when the learner stops practising.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

HALF_LIFE_DAYS = 30.0
PRIOR = (1.0, 1.0)  # Beta(1, 1): every chance equally likely before the first answer
CREDIBLE_MASS = 0.90
# Below this many (decayed) answers an area is "not enough answers yet", whatever its mean.
MIN_EVIDENCE = 3.0
# Above the passing level by this much is a strength.
STRENGTH_MARGIN = 0.10


@dataclass(frozen=True)
class AreaEvidence:
    """What is known about one area: decayed right and wrong answers as of `as_of`, answers seen."""

    right: float = 0.0
    wrong: float = 0.0
    items: int = 0
    as_of: datetime | None = None


def decay(elapsed_days: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """The weight left to evidence `elapsed_days` old: one half per half-life."""
    return 0.5 ** (max(elapsed_days, 0.0) / half_life_days)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400.0


def observe(
    evidence: AreaEvidence,
    score: float,
    at: datetime,
    *,
    weight: float = 1.0,
    half_life_days: float = HALF_LIFE_DAYS,
) -> AreaEvidence:
    """Add one graded answer (score 0..1, counted `weight` times) given at `at`."""
    score = min(max(float(score), 0.0), 1.0)
    right, wrong, as_of = evidence.right, evidence.wrong, evidence.as_of
    if as_of is None:
        as_of = at
    elif at >= as_of:
        factor = decay(_days(as_of, at), half_life_days)
        right, wrong, as_of = right * factor, wrong * factor, at
    else:
        # an answer older than the sums (recorded late): weigh it down to their moment
        weight *= decay(_days(at, as_of), half_life_days)
    return AreaEvidence(
        right + weight * score, wrong + weight * (1.0 - score), evidence.items + 1, as_of
    )


def aged(evidence: AreaEvidence, now: datetime, half_life_days: float = HALF_LIFE_DAYS) -> AreaEvidence:
    """The same evidence as it weighs at `now` (never moved backwards)."""
    if evidence.as_of is None or now <= evidence.as_of:
        return evidence
    factor = decay(_days(evidence.as_of, now), half_life_days)
    return AreaEvidence(evidence.right * factor, evidence.wrong * factor, evidence.items, now)


# ---- the Beta distribution ------------------------------------------------------------------


def _continued_fraction(x: float, a: float, b: float) -> float:
    """Lentz's continued fraction for the incomplete beta function (Numerical Recipes, betacf)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1.0) < 1e-12:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """P(X ≤ x) for X ~ Beta(a, b): the regularised incomplete beta function."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(x, a, b) / a
    return 1.0 - front * _continued_fraction(1.0 - x, b, a) / b


def beta_quantile(p: float, a: float, b: float) -> float:
    """The x with P(X ≤ x) = p for X ~ Beta(a, b): Newton's method kept inside a shrinking bracket.

    A Newton step that would leave the bracket is replaced by bisection, so it always
    converges; from the mean it takes a handful of steps (the page draws dozens of these).
    """
    low, high = 0.0, 1.0
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    x = a / (a + b)
    for _ in range(200):
        error = beta_cdf(x, a, b) - p
        if abs(error) < 1e-13:
            break
        if error < 0:
            low = x
        else:
            high = x
        density = math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_beta)
        step = x - error / density if density > 0 else low
        if not low < step < high:
            step = (low + high) / 2.0
        if abs(step - x) < 1e-15:
            break
        x = step
    return x


# ---- the estimate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mastery:
    """The estimated chance of answering an item of the area right, with its 90 % interval."""

    alpha: float
    beta: float
    mean: float
    low: float
    high: float
    evidence: float  # decayed answers behind the estimate
    items: int  # answers ever seen

    @property
    def variance(self) -> float:
        """Variance of the Beta posterior (how unsure the mean is)."""
        total = self.alpha + self.beta
        return self.alpha * self.beta / (total * total * (total + 1.0))


def estimate(
    evidence: AreaEvidence,
    now: datetime,
    *,
    prior: tuple[float, float] = PRIOR,
    half_life_days: float = HALF_LIFE_DAYS,
) -> Mastery:
    """The mastery estimate at `now` from the evidence, decayed to that moment."""
    current = aged(evidence, now, half_life_days)
    alpha, beta = prior[0] + current.right, prior[1] + current.wrong
    tail = (1.0 - CREDIBLE_MASS) / 2.0
    return Mastery(
        alpha=alpha,
        beta=beta,
        mean=alpha / (alpha + beta),
        low=beta_quantile(tail, alpha, beta),
        high=beta_quantile(1.0 - tail, alpha, beta),
        evidence=current.right + current.wrong,
        items=current.items,
    )


def standing(mastery: Mastery, pass_fraction: float) -> str:
    """'unknown' (too few recent answers), 'weak' (below the passing level), 'developing' or 'strong'."""
    if mastery.evidence < MIN_EVIDENCE:
        return "unknown"
    if mastery.mean < pass_fraction:
        return "weak"
    if mastery.mean >= pass_fraction + STRENGTH_MARGIN:
        return "strong"
    return "developing"


# ---- the whole exam --------------------------------------------------------------------------


@dataclass(frozen=True)
class PassPrediction:
    """The chance of reaching the passing level on a form, and how sure that is."""

    likelihood: float  # 0..1
    expected: float  # expected share of scored items right
    low: float  # 90 % range of the share right
    high: float
    evidence: float  # decayed answers behind it, over every domain
    thin_domains: int  # domains with fewer than MIN_EVIDENCE recent answers

    @property
    def confidence(self) -> str:
        """'low', 'moderate' or 'high': how much answering the prediction rests on."""
        if self.thin_domains or self.evidence < 30:
            return "low"
        if self.evidence < 100:
            return "moderate"
        return "high"


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def predict_pass(
    domains: list[tuple[float, Mastery]], scored_items: int, pass_fraction: float
) -> PassPrediction | None:
    """The pass likelihood for a form of `scored_items` drawn by the domains' weights (fractions).

    A domain's share right on the form is its items' mean; its uncertainty is the Beta
    posterior's spread plus the binomial noise of its few items. Domains are taken as
    independent and the total as normal. None when no domain has any evidence.
    """
    if not domains or all(m.evidence <= 0 for _, m in domains):
        return None
    total_weight = sum(w for w, _ in domains)
    expected = 0.0
    variance = 0.0
    for weight, mastery in domains:
        share = weight / total_weight
        items = max(share * scored_items, 1.0)
        spread = mastery.variance
        noise = max(mastery.mean * (1.0 - mastery.mean) - spread, 0.0) / items
        expected += share * mastery.mean
        variance += share * share * (spread + noise)
    sd = math.sqrt(variance)
    if sd == 0:
        likelihood = 1.0 if expected >= pass_fraction else 0.0
    else:
        likelihood = 1.0 - _normal_cdf((pass_fraction - expected) / sd)
    z90 = 1.6448536269514722
    return PassPrediction(
        likelihood=likelihood,
        expected=expected,
        low=max(expected - z90 * sd, 0.0),
        high=min(expected + z90 * sd, 1.0),
        evidence=sum(m.evidence for _, m in domains),
        thin_domains=sum(1 for _, m in domains if m.evidence < MIN_EVIDENCE),
    )
