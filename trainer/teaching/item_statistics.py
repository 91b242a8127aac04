"""Item analysis: how one question behaved for the people who answered it.

Classical test theory on plain data. One `Response` is one person's graded answer to
the item, with their score on the *rest* of the attempt (the attempt without this item),
so an item is never correlated with itself.

- Facility index: the mean item score (0..1); for right/wrong items, the share who got
  it right.
- Point-biserial discrimination: the Pearson correlation between the item score and the
  rest score. For a right/wrong item this is the point-biserial coefficient
  (M1 − M0) / s · √(pq); for partly scored items it is the same correlation.
- Upper/lower 27% index (Kelley): the facility in the top 27% by rest score minus the
  facility in the bottom 27%.

Flags follow Moodle's quiz statistics guidance: a facility of 95% or more, or 5% or
less, says almost everyone gets it right (or wrong); a negative discrimination says the
learners who did best on the rest got this one wrong more often, which usually means a
wrong key or a misleading stem. Flags are raised only from `MIN_RESPONSES_TO_FLAG`
responses up: below that, chance alone moves these numbers too much.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from trainer.questions.registry import shown_id

UPPER_LOWER_FRACTION = 0.27
ALMOST_ALL_RIGHT = 0.95
ALMOST_ALL_WRONG = 0.05
MIN_RESPONSES_TO_FLAG = 10
# A value range is "hard" when its facility is this far below the item's overall facility
# and it holds at least MIN_RANGE_RESPONSES answers.
HARD_RANGE_GAP = 0.2
MIN_RANGE_RESPONSES = 5
# A range variable with at most this many possible values gets one row per value;
# a larger one is split into RANGE_BINS bins of (nearly) equal width.
MAX_SINGLE_VALUES = 6
RANGE_BINS = 4
COMMON_WRONG_LIMIT = 5
ANSWER_TEXT_LIMIT = 60


class Response(NamedTuple):
    """One graded answer to the item (a named tuple: an analysis makes tens of thousands).

    `rest` is the respondent's score on the other items of the attempt as a fraction
    (0..1), None when the attempt had no other item. `chosen` holds the choices picked,
    by their place in the question file ("a", "b", …; "true"/"false" for a true/false
    item); `answer` the typed answer of a numeric or text item; `values` the drawn values
    of a calculated item.
    """

    respondent: Hashable
    score: float
    rest: float | None = None
    chosen: tuple[str, ...] | None = None
    answer: str | None = None
    seconds: int | None = None
    values: Mapping[str, object] | None = None


@dataclass(frozen=True)
class Choice:
    """One choice of the question as the author wrote it: its file id, text and whether it is a key."""

    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class ChoiceCount:
    """How often one choice was picked, overall and in the upper and lower 27% groups."""

    id: str
    text: str
    correct: bool
    count: int
    share: float
    upper: int = 0
    lower: int = 0


@dataclass(frozen=True)
class ValueRange:
    """The facility of a calculated item over the draws whose variable fell in one range."""

    label: str
    count: int
    facility: float | None
    hard: bool = False


@dataclass(frozen=True)
class VariableDifficulty:
    """A calculated item's facility, range by range, for one drawn variable."""

    name: str
    ranges: list[ValueRange]


@dataclass(frozen=True)
class Flag:
    """Something about an item an instructor should look at: a code and a sentence."""

    code: str
    message: str


@dataclass
class ItemStatistics:
    """Everything item analysis says about one item, with the sample it says it from."""

    n: int
    facility: float | None
    point_biserial: float | None
    upper_lower: float | None
    group_size: int
    median_seconds: float | None
    timed: int
    choices: list[ChoiceCount] = field(default_factory=list)
    no_answer: int = 0
    common_wrong: list[tuple[str, int]] = field(default_factory=list)
    variables: list[VariableDifficulty] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


# ---- the statistics ------------------------------------------------------------------


def facility(scores: Sequence[float]) -> float | None:
    """The facility index: the mean score (0..1); None without responses."""
    if not scores:
        return None
    return math.fsum(scores) / len(scores)


def point_biserial(scores: Sequence[float], rests: Sequence[float]) -> float | None:
    """The Pearson correlation of item scores with rest scores; None when either does not vary."""
    if len(scores) != len(rests):
        raise ValueError("scores and rests must be the same length")
    n = len(scores)
    if n < 2:
        return None
    mean_score = math.fsum(scores) / n
    mean_rest = math.fsum(rests) / n
    covariance = math.fsum((s - mean_score) * (r - mean_rest) for s, r in zip(scores, rests, strict=True))
    spread_score = math.fsum((s - mean_score) ** 2 for s in scores)
    spread_rest = math.fsum((r - mean_rest) ** 2 for r in rests)
    if spread_score <= 1e-12 or spread_rest <= 1e-12:
        return None
    return covariance / math.sqrt(spread_score * spread_rest)


def group_size(n: int, fraction: float = UPPER_LOWER_FRACTION) -> int:
    """How many respondents make the upper (and the lower) group: 27% of n, rounded half up."""
    return int(math.floor(n * fraction + 0.5))


def upper_lower_groups(rests: Sequence[float], fraction: float = UPPER_LOWER_FRACTION) -> tuple[list[int], list[int]]:
    """Indexes of the upper and lower groups by rest score; ties keep the order given."""
    size = group_size(len(rests), fraction)
    if size < 1 or 2 * size > len(rests):
        return [], []
    # one ascending order for both ends, so tied respondents never land in both groups
    order = sorted(range(len(rests)), key=lambda index: rests[index])
    return order[-size:][::-1], order[:size]


def upper_lower_index(scores: Sequence[float], rests: Sequence[float],
                      fraction: float = UPPER_LOWER_FRACTION) -> float | None:
    """Facility in the upper group minus facility in the lower group; None when the groups are empty."""
    if len(scores) != len(rests):
        raise ValueError("scores and rests must be the same length")
    upper, lower = upper_lower_groups(rests, fraction)
    if not upper:
        return None
    return (math.fsum(scores[i] for i in upper) - math.fsum(scores[i] for i in lower)) / len(upper)


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


# ---- choices and answers -------------------------------------------------------------


def choice_counts(responses: Sequence[Response], choices: Sequence[Choice],
                  upper: Sequence[int] = (), lower: Sequence[int] = ()) -> tuple[list[ChoiceCount], int]:
    """How often each choice was picked (and by the upper and lower groups), and how many gave no answer."""
    picked = Counter()
    upper_picked = Counter()
    lower_picked = Counter()
    in_upper, in_lower = set(upper), set(lower)
    no_answer = 0
    for index, response in enumerate(responses):
        if not response.chosen:
            no_answer += 1
            continue
        for choice_id in set(response.chosen):
            picked[choice_id] += 1
            if index in in_upper:
                upper_picked[choice_id] += 1
            if index in in_lower:
                lower_picked[choice_id] += 1
    n = len(responses)
    counts = [
        ChoiceCount(choice.id, choice.text, choice.correct, picked[choice.id],
                    picked[choice.id] / n if n else 0.0, upper_picked[choice.id], lower_picked[choice.id])
        for choice in choices
    ]
    return counts, no_answer


def normalise_answer(text: str) -> str:
    """A typed answer as it is counted: trimmed, single-spaced, lower case, at most 60 characters."""
    return " ".join(text.split()).lower()[:ANSWER_TEXT_LIMIT]


def common_wrong_answers(responses: Sequence[Response], limit: int = COMMON_WRONG_LIMIT) -> list[tuple[str, int]]:
    """The typed answers given most often by those who did not get full marks, most frequent first."""
    counts = Counter(
        normalise_answer(r.answer) for r in responses
        if r.score < 1 and isinstance(r.answer, str) and r.answer.strip()
    )
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


# ---- calculated items: difficulty across the drawn values -----------------------------


def _number(value) -> Decimal | None:
    # drawn values repeat across thousands of responses: read each text once
    if isinstance(value, str):
        return _number_from_text(value)
    return _number_from(value)


@functools.lru_cache(maxsize=4096)
def _number_from_text(value: str) -> Decimal | None:
    return _number_from(value)


def _number_from(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _text(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _range_bins(variable: Mapping) -> tuple[Decimal, Decimal, list[tuple[int, int]]] | None:
    """(min, step, [(first index, last index) per bin]) for a {min, max, step} variable."""
    low, high, step = (_number(variable.get(key)) for key in ("min", "max", "step"))
    if low is None or high is None or step is None or step <= 0 or high < low:
        return None
    count = int((high - low) // step) + 1
    if count <= MAX_SINGLE_VALUES:
        return low, step, [(i, i) for i in range(count)]
    edges = [count * part // RANGE_BINS for part in range(RANGE_BINS + 1)]
    return low, step, [(edges[j], edges[j + 1] - 1) for j in range(RANGE_BINS)]


def _variable_difficulty(name: str, variable: Mapping, responses: Sequence[Response],
                         overall: float | None) -> VariableDifficulty | None:
    groups: list[tuple[str, list[float]]] = []
    if isinstance(variable.get("choices"), list):
        index_of: dict[str, int] = {}
        for choice in variable["choices"]:
            number = _number(choice)
            key = _text(number) if number is not None else str(choice)
            if key not in index_of:
                index_of[key] = len(groups)
                groups.append((key, []))
        for response in responses:
            raw = (response.values or {}).get(name)
            if raw is None:
                continue
            number = _number(raw)
            key = _text(number) if number is not None else str(raw)
            if key in index_of:
                groups[index_of[key]][1].append(response.score)
    else:
        bins = _range_bins(variable)
        if bins is None:
            return None
        low, step, spans = bins
        for first, last in spans:
            start, end = low + step * first, low + step * last
            groups.append((_text(start) if first == last else f"{_text(start)}–{_text(end)}", []))
        for response in responses:
            number = _number((response.values or {}).get(name))
            if number is None:
                continue
            position = (number - low) / step
            index = int(position.to_integral_value())
            for slot, (first, last) in enumerate(spans):
                if first <= index <= last:
                    groups[slot][1].append(response.score)
                    break
    ranges = []
    for label, scores in groups:
        value = facility(scores)
        hard = (
            overall is not None and value is not None and len(scores) >= MIN_RANGE_RESPONSES
            and value <= overall - HARD_RANGE_GAP
        )
        ranges.append(ValueRange(label, len(scores), value, hard))
    return VariableDifficulty(name, ranges)


def value_difficulty(responses: Sequence[Response], variables: Mapping[str, Mapping]) -> list[VariableDifficulty]:
    """For each drawn variable of a calculated item, the facility over the draws in each value range."""
    overall = facility([r.score for r in responses])
    result = []
    for name in sorted(variables):
        variable = variables[name]
        if not isinstance(variable, Mapping):
            continue
        breakdown = _variable_difficulty(name, variable, responses, overall)
        if breakdown is not None:
            result.append(breakdown)
    return result


# ---- the whole analysis ---------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def item_flags(stats: ItemStatistics) -> list[Flag]:
    """The flags an item earns: negative discrimination, or a facility near 0 or 100%."""
    if stats.n < MIN_RESPONSES_TO_FLAG or stats.facility is None:
        return []
    flags = []
    negative = [value for value in (stats.point_biserial, stats.upper_lower) if value is not None and value < 0]
    if negative:
        shown = stats.point_biserial if stats.point_biserial is not None and stats.point_biserial < 0 else stats.upper_lower
        flags.append(Flag(
            "negative_discrimination",
            f"Discriminates negatively ({shown:+.2f}): learners who did best on the rest of the quiz "
            "got this item wrong more often. Check the key and the wording.",
        ))
    if stats.facility >= ALMOST_ALL_RIGHT:
        flags.append(Flag(
            "almost_all_right",
            f"Almost everyone gets this right ({_percent(stats.facility)}): it tells learners apart very little.",
        ))
    elif stats.facility <= ALMOST_ALL_WRONG:
        flags.append(Flag(
            "almost_all_wrong",
            f"Almost no one gets this right ({_percent(stats.facility)}): check the key, then the wording.",
        ))
    return flags


def analyse_item(responses: Sequence[Response], *, choices: Sequence[Choice] | None = None,
                 variables: Mapping[str, Mapping] | None = None) -> ItemStatistics:
    """Facility, both discrimination indexes, choice counts, median time and value ranges for one item."""
    scores = [float(r.score) for r in responses]
    ranked = [index for index, r in enumerate(responses) if r.rest is not None]
    rest_scores = [scores[index] for index in ranked]
    rests = [float(responses[index].rest) for index in ranked]
    seconds = [r.seconds for r in responses if r.seconds is not None and r.seconds > 0]
    upper_ranks, lower_ranks = upper_lower_groups(rests)
    upper = [ranked[rank] for rank in upper_ranks]
    lower = [ranked[rank] for rank in lower_ranks]
    stats = ItemStatistics(
        n=len(responses),
        facility=facility(scores),
        point_biserial=point_biserial(rest_scores, rests),
        upper_lower=upper_lower_index(rest_scores, rests),
        group_size=len(upper),
        median_seconds=median(seconds),
        timed=len(seconds),
    )
    if choices is not None:
        stats.choices, stats.no_answer = choice_counts(responses, choices, upper, lower)
    else:
        stats.common_wrong = common_wrong_answers(responses)
    if variables:
        stats.variables = value_difficulty(responses, variables)
    stats.flags = item_flags(stats)
    return stats


@dataclass(frozen=True)
class TotalsSummary:
    """The attempts an analysis is made from: how many, and their mean and median percent."""

    n: int
    mean: float | None
    median: float | None


def summarise_totals(percents: Sequence[float]) -> TotalsSummary:
    """Count, mean and median of the attempts' percent scores."""
    values = [float(p) for p in percents]
    return TotalsSummary(len(values), facility(values), median(values))


# ---- reading stored questions and answers ------------------------------------------------

CHOICE_TYPES = ("single_choice", "multiple_response", "true_false")
TYPED_TYPES = ("numeric", "calculated", "short_answer")


def question_choices(data: Mapping) -> list[Choice] | None:
    """The choices of a question in the bank format, by file id; None for a type without choices."""
    qtype = data.get("type")
    if qtype == "true_false":
        key = data.get("answer")
        return [Choice("true", "True", key is True), Choice("false", "False", key is False)]
    if qtype not in ("single_choice", "multiple_response") or not isinstance(data.get("choices"), list):
        return None
    return [
        Choice(shown_id(index), str(choice.get("text", "")), choice.get("correct") is True)
        for index, choice in enumerate(data["choices"]) if isinstance(choice, Mapping)
    ]


def chosen_in_file_order(instance: Mapping, response) -> list[str] | None:
    """The choices an answer picked, by their file ids ("a", "c"; "true"/"false"), or None.

    An attempt shows choices in its own order under its own ids; the instance keeps each
    one's file id as `source`, so answers from every attempt can be counted together.
    """
    qtype = instance.get("type")
    if qtype == "true_false":
        if isinstance(response, bool):
            return ["true" if response else "false"]
        if isinstance(response, str) and response.strip().lower() in ("true", "false"):
            return [response.strip().lower()]
        return None
    if qtype not in ("single_choice", "multiple_response"):
        return None
    source_of = {c.get("id"): c.get("source") for c in instance.get("choices", []) if isinstance(c, Mapping)}
    given = response if isinstance(response, list) else [response]
    picked = []
    for shown in given:
        source = source_of.get(shown.strip().lower()) if isinstance(shown, str) else None
        if source is not None and source not in picked:
            picked.append(source)
    return picked or None
