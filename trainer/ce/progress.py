"""How far a technician's CE activities go toward one credential's cycle.

`progress(rules, cycle_start, cycle_end, activities, today)` decides, for each activity,
how many of its hours count (and why not all of them), then how the counted hours meet
the total, the topic minimums, the technician-specific minimum and any required
training. It reads nothing but its arguments: the same activities can be passed to
several rule sets, one call each, because one CE hour may count toward several
credentials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from trainer.ce.rules import KIND_NAMES, KINDS, RuleSet, TopicRule, Training, long_date
from trainer.ce.uan import AUDIENCES, FORMATS, TOPICS, UanError, parse_uan

STATUSES = ("complete", "on_track", "at_risk", "overdue")
ZERO = Decimal("0")
# A cycle is at risk once fewer than this many days remain before the application
# deadline and something is still missing: courses take time to find and finish.
CLOSING_DAYS = 90
# Pace: by any day of the cycle, an even pace from cycle start to deadline would have
# earned a share of the hours; the first three months carry no expectation.
PACE_GRACE_DAYS = 90


@dataclass(frozen=True)
class Activity:
    """One CE activity as the rule engine sees it.

    kind is acpe | college | in_service | other. For ACPE activities the topic,
    format and audience come from the UAN when they are not given. `ref` names the
    same activity recorded twice (a course completed here and imported from CPE Monitor
    carry the same UAN; a course without one can share a ref), so its hours count once.
    `tags` mark what a rule set asks for beyond a topic (e.g. Texas law).
    """

    title: str
    hours: Decimal
    completed: date
    topic: str | None = None
    audience: str | None = None
    kind: str = "acpe"
    format: str | None = None
    uan: str | None = None
    ref: str | None = None
    tags: frozenset[str] = field(default_factory=frozenset)
    provider: str = field(default="", compare=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        hours = self.hours if isinstance(self.hours, Decimal) else Decimal(str(self.hours))
        if not hours.is_finite() or hours < 0:
            raise ValueError(f"hours must be zero or more, not {self.hours!r}")
        object.__setattr__(self, "hours", hours)
        if isinstance(self.completed, datetime):
            object.__setattr__(self, "completed", self.completed.date())
        object.__setattr__(self, "tags", frozenset(self.tags))
        if self.uan:
            try:
                uan = parse_uan(self.uan)
            except UanError as exc:
                raise ValueError(f"uan: {exc}") from exc
            object.__setattr__(self, "uan", str(uan))
            for name in ("topic", "audience", "format"):
                if getattr(self, name) is None:
                    object.__setattr__(self, name, getattr(uan, name))
        if self.topic is not None and self.topic not in TOPICS:
            raise ValueError(f"topic must be an ACPE topic designator 01–08, not {self.topic!r}")
        if self.audience is not None and (self.audience not in AUDIENCES or self.kind != "acpe"):
            raise ValueError("audience (P or T) is an ACPE designator: only ACPE activities have one")
        if self.format is not None and self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")

    @property
    def is_technician_specific(self) -> bool:
        """ACPE activities marked T; non-ACPE CE has no audience letter and is judged by subject."""
        return self.audience == "T" if self.kind == "acpe" else True

    @property
    def same_activity_key(self):
        """What makes two records the same activity (None when nothing does).

        The kind and audience are part of it, so two records of one activity always fall
        under the same cap, and keeping one of them never changes what another cap holds.
        """
        if self.uan:
            return ("uan", self.kind, self.audience, self.uan)
        if self.ref:
            return ("ref", self.kind, self.audience, self.ref)
        return None


@dataclass(frozen=True)
class TopicProgress:
    """Hours counted toward a minimum, and the minimum."""

    earned: Decimal
    required: Decimal
    label: str = field(default="", compare=False)

    @property
    def remaining(self) -> Decimal:
        """Hours still needed (never below zero)."""
        return max(ZERO, self.required - self.earned)

    @property
    def met(self) -> bool:
        """True once the minimum is reached."""
        return self.earned >= self.required

    @property
    def percent(self) -> int:
        """How full the bar is, 0–100."""
        if self.required <= 0:
            return 100
        return int(min(Decimal(100), self.earned * 100 / self.required))


@dataclass(frozen=True)
class CountedActivity:
    """How many of one activity's hours count, and why not all of them."""

    activity: Activity
    hours: Decimal
    reason: str | None = None

    @property
    def claimed(self) -> Decimal:
        """The hours the activity itself awards."""
        return self.activity.hours


@dataclass(frozen=True)
class Shortfall:
    """One thing still missing, as data (what, which topic or tag, how many hours) and as text."""

    what: str  # total | topic | technician | training
    text: str
    hours: Decimal | None = None
    topic: str | None = None
    tag: str | None = None


@dataclass(frozen=True)
class Report:
    """A credential's cycle: the status, the hours, what is missing and what counted."""

    rules: RuleSet
    cycle_start: date
    cycle_end: date
    today: date
    status: str
    status_reason: str
    earned_hours: Decimal
    required_hours: Decimal
    topics: dict[str, TopicProgress]
    technician: TopicProgress | None
    trainings: list[tuple[Training, bool]]
    missing: list[str]
    shortfalls: list[Shortfall]
    counted: list[CountedActivity]
    exempt: bool
    window_opens: date | None
    deadline: date

    @property
    def total(self) -> TopicProgress:
        """The total hours as a progress bar."""
        return TopicProgress(self.earned_hours, self.required_hours, "all CE")

    @property
    def days_to_deadline(self) -> int:
        """Days from today to the application deadline (negative once past)."""
        return (self.deadline - self.today).days

    @property
    def days_to_window(self) -> int | None:
        """Days from today until renewal applications open (None when there is no window)."""
        return None if self.window_opens is None else (self.window_opens - self.today).days

    @property
    def days_to_cycle_end(self) -> int:
        """Days from today to the last day CE can be earned for this cycle."""
        return (self.cycle_end - self.today).days


def hours_text(hours: Decimal) -> str:
    """Hours without trailing zeros: 1, 1.5, 0.25."""
    text = format(hours.normalize(), "f")
    return text


def _hours_phrase(hours: Decimal, what: str = "") -> str:
    unit = "hour" if hours == 1 else "hours"
    return f"{hours_text(hours)} more {unit}{(' ' + what) if what else ''}"


def progress(
    rules: RuleSet,
    cycle_start: date,
    cycle_end: date,
    activities,
    today: date,
    first_cycle: bool = False,
) -> Report:
    """Count `activities` against one rule set for the cycle [cycle_start, cycle_end]."""
    activities = list(activities)
    counted: list[Decimal] = [ZERO] * len(activities)
    reasons: list[str | None] = [None] * len(activities)
    eligible = _eligible(rules, cycle_start, cycle_end, activities, reasons)
    representatives = _one_per_activity(activities, eligible, reasons)
    _fill_caps(rules, activities, representatives, counted, reasons)

    earned = sum(counted, ZERO)
    topics = {
        rule.topic: TopicProgress(
            sum((counted[i] for i in representatives if _meets_topic(activities[i], rule)), ZERO),
            rule.hours,
            rule.label,
        )
        for rule in rules.topics
    }
    technician = None
    if rules.technician_specific_hours is not None:
        technician = TopicProgress(
            sum((counted[i] for i in representatives if activities[i].is_technician_specific), ZERO),
            rules.technician_specific_hours,
            "technician-specific CE",
        )
    in_cycle = [a for a in activities if cycle_start <= a.completed <= cycle_end]
    trainings = [(t, any(t.tag in a.tags for a in in_cycle)) for t in rules.trainings]
    exempt = first_cycle and rules.first_cycle == "exempt"

    shortfalls = _shortfalls(rules, earned, topics, technician, trainings, exempt)
    deadline = rules.application.deadline_for(cycle_end)
    status, reason = _status(rules, cycle_start, deadline, today, earned, shortfalls, exempt)
    return Report(
        rules=rules,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        today=today,
        status=status,
        status_reason=reason,
        earned_hours=earned,
        required_hours=rules.total_hours,
        topics=topics,
        technician=technician,
        trainings=trainings,
        missing=[s.text for s in shortfalls],
        shortfalls=shortfalls,
        counted=[CountedActivity(a, counted[i], reasons[i]) for i, a in enumerate(activities)],
        exempt=exempt,
        window_opens=rules.application.window_opens(cycle_end),
        deadline=deadline,
    )


def _eligible(rules, cycle_start, cycle_end, activities, reasons) -> list[int]:
    """Indexes of the activities that can count at all; a reason for each that cannot."""
    eligible = []
    cycle = f"({long_date(cycle_start)} to {long_date(cycle_end)})"
    for index, activity in enumerate(activities):
        if not cycle_start <= activity.completed <= cycle_end:
            reasons[index] = f"Completed on {long_date(activity.completed)}, outside this cycle {cycle}."
            continue
        kind_rule = rules.kind(activity.kind)
        if kind_rule.rejected:
            reasons[index] = kind_rule.rejected
            continue
        audience_rule = rules.audience(activity.audience) if activity.kind == "acpe" else None
        if audience_rule is not None and audience_rule.rejected:
            reasons[index] = audience_rule.rejected
            continue
        eligible.append(index)
    return eligible


def _one_per_activity(activities, eligible, reasons) -> list[int]:
    """Keep one record of each activity: the one awarding the most hours (then the earliest)."""
    groups: dict = {}
    singles = []
    for index in eligible:
        key = activities[index].same_activity_key
        if key is None:
            singles.append(index)
        else:
            groups.setdefault(key, []).append(index)
    kept = list(singles)
    for members in groups.values():
        best = min(members, key=lambda i: (-activities[i].hours, activities[i].completed, i))
        kept.append(best)
        for other in members:
            if other != best:
                first = activities[best]
                reasons[other] = (
                    f"The same activity as “{first.title}” (completed {long_date(first.completed)}): "
                    "its hours count once."
                )
    return sorted(kept)


def _cap_class(rules: RuleSet, activity: Activity):
    """The cap an activity's hours fall under, if any, as (label, cap)."""
    kind_rule = rules.kind(activity.kind)
    if kind_rule.cap is not None:
        return ("kind", activity.kind), kind_rule.cap, KIND_NAMES[activity.kind]
    if activity.kind == "acpe":
        audience_rule = rules.audience(activity.audience)
        if audience_rule is not None and audience_rule.cap is not None:
            name = f"{AUDIENCES[activity.audience]}-specific ({activity.audience}) CE"
            return ("audience", activity.audience), audience_rule.cap, name
    return None, None, None


def _meets_topic(activity: Activity, rule: TopicRule) -> bool:
    return activity.topic == rule.topic and (rule.tag is None or rule.tag in activity.tags)


def _fill_caps(rules, activities, kept, counted, reasons) -> None:
    """Count each kept activity in full, except where a cap is reached.

    The rule loader keeps caps disjoint (one activity sits under at most one cap), so
    filling each cap separately counts as many hours as any order could: min(cap, claimed).
    Within a cap, activities on a required topic go first, then the oldest, so the cap
    does not cost a technician the law or safety hour they already earned.
    """
    capped: dict = {}
    for index in kept:
        key, cap, name = _cap_class(rules, activities[index])
        if key is None:
            counted[index] = activities[index].hours
        else:
            capped.setdefault(key, (cap, name, []))[2].append(index)
    for cap, name, members in capped.values():
        members.sort(key=lambda i: (
            not any(_meets_topic(activities[i], r) for r in rules.topics), activities[i].completed, i,
        ))  # fmt: skip
        used = ZERO
        for index in members:
            claimed = activities[index].hours
            hours = min(claimed, max(ZERO, cap - used))
            counted[index] = hours
            used += hours
            if hours < claimed:
                before = used - hours
                reasons[index] = f"At most {hours_text(cap)} hours of {name} count in a cycle" + (
                    f"; {hours_text(before)} had already been counted from other activities."
                    if before else "."
                )


def _shortfalls(rules, earned, topics, technician, trainings, exempt) -> list[Shortfall]:
    result = []
    if not exempt:
        for rule in rules.topics:
            remaining = topics[rule.topic].remaining
            if remaining > 0:
                result.append(Shortfall(
                    "topic", _hours_phrase(remaining, f"of {rule.label} (topic {rule.topic})"),
                    remaining, rule.topic, rule.tag,
                ))  # fmt: skip
        if technician is not None and technician.remaining > 0:
            result.append(Shortfall(
                "technician",
                _hours_phrase(technician.remaining, "of technician-specific CE (ACPE activities marked T, or non-ACPE CE on technician subjects)"),
                technician.remaining,
            ))  # fmt: skip
    for training, done in trainings:
        if not done:
            result.append(Shortfall("training", f"Complete {training.label}", tag=training.tag))
    remaining = max(ZERO, rules.total_hours - earned)
    if not exempt and remaining > 0:
        result.append(Shortfall("total", _hours_phrase(remaining, "in total"), remaining))
    return result


def _status(rules, cycle_start, deadline, today, earned, shortfalls, exempt) -> tuple[str, str]:
    if not shortfalls:
        if exempt:
            return "complete", rules.first_cycle_note or "Exempt from CE hours in the first cycle."
        return "complete", "Every requirement of this cycle is met."
    if today > deadline:
        return "overdue", f"The deadline ({long_date(deadline)}) has passed with requirements still missing."
    days_left = (deadline - today).days
    if days_left <= CLOSING_DAYS:
        return "at_risk", f"{days_left} days to the deadline and requirements are still missing."
    span = (deadline - cycle_start).days - PACE_GRACE_DAYS
    elapsed = (today - cycle_start).days - PACE_GRACE_DAYS
    if span > 0 and elapsed > 0 and not exempt:
        expected = rules.total_hours * Decimal(elapsed) / Decimal(span)
        if earned < expected:
            return "at_risk", (
                f"Behind an even pace: about {hours_text(expected.quantize(Decimal('0.1')))} "
                f"hours would be done by now, {hours_text(earned)} are."
            )
    return "on_track", "On pace to meet every requirement before the deadline."
