"""Credential rule sets: YAML data in trainer/ce/rules/, each version with an effective date and sources.

Rules change over time (PTCB changed its CE rules in 2015, 2018 and 2020) and a
technician may hold several credentials at once, so the numbers live in data files,
never in code. One file a credential; each file lists its versions, oldest first, and
the version in force on a date is the last one whose effective date is not after it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from trainer.ce.uan import AUDIENCES, TOPICS
from trainer.content.source import ImportFailed, LineDict, LineList, ProblemList, load_yaml

KINDS = ("acpe", "college", "in_service", "other")
KIND_NAMES = {
    "acpe": "ACPE-accredited CE",
    "college": "college course credit",
    "in_service": "in-service training",
    "other": "CE from a provider that is not ACPE-accredited",
}
DEADLINES = ("expiry", "first_day_of_expiry_month", "days_before_expiry")
FIRST_CYCLE = ("counts_from_issue", "exempt")
RULES_PACKAGE = "trainer.ce"
RULES_FOLDER = "rules"
MAX_RULE_FILE = 100_000  # characters; the shipped files are a few kilobytes


class RuleFileError(ImportFailed):
    """A rule file that cannot be used; `problems` names file and line."""


class UnknownRuleSet(KeyError):
    """No rule file has this key."""


@dataclass(frozen=True)
class TopicRule:
    """At least `hours` hours on an ACPE topic (and, when `tag` is set, marked with that tag)."""

    topic: str
    hours: Decimal
    label: str
    tag: str | None = None


@dataclass(frozen=True)
class KindRule:
    """How one kind of activity counts: fully, up to a cap, or not at all (with the reason)."""

    kind: str
    cap: Decimal | None = None
    rejected: str | None = None
    note: str = ""


@dataclass(frozen=True)
class AudienceRule:
    """How ACPE activities for one audience (P or T) count: up to a cap, or not at all."""

    audience: str
    cap: Decimal | None = None
    rejected: str | None = None


@dataclass(frozen=True)
class Training:
    """A required course that is not a number of hours (e.g. Texas's human-trafficking course)."""

    tag: str
    label: str


@dataclass(frozen=True)
class ApplicationRule:
    """When a renewal may be filed and by when."""

    opens_days_before_expiry: int | None
    deadline: str  # one of DEADLINES
    deadline_days: int | None = None
    late: str = ""

    def window_opens(self, expiry: date) -> date | None:
        """The first day a renewal application is accepted, if the authority has such a window."""
        if self.opens_days_before_expiry is None:
            return None
        return expiry - timedelta(days=self.opens_days_before_expiry)

    def deadline_for(self, expiry: date) -> date:
        """The last day to apply on time."""
        if self.deadline == "first_day_of_expiry_month":
            return expiry.replace(day=1)
        if self.deadline == "days_before_expiry":
            return expiry - timedelta(days=self.deadline_days or 0)
        return expiry


@dataclass(frozen=True)
class RuleSet:
    """One version of one credential's CE rules."""

    key: str
    name: str
    authority: str
    effective: date | None
    effective_note: str
    sources: tuple[str, ...]
    summary: str
    cycle_months: int
    total_hours: Decimal
    topics: tuple[TopicRule, ...]
    kinds: tuple[KindRule, ...]
    audiences: tuple[AudienceRule, ...]
    technician_specific_hours: Decimal | None
    trainings: tuple[Training, ...]
    application: ApplicationRule
    first_cycle: str
    first_cycle_note: str
    notes: tuple[str, ...]
    tags: dict = field(default_factory=dict, compare=False, hash=False)  # tag -> label

    def kind(self, kind: str) -> KindRule:
        """The rule for one kind of activity."""
        for rule in self.kinds:
            if rule.kind == kind:
                return rule
        raise KeyError(kind)

    def audience(self, audience: str | None) -> AudienceRule | None:
        """The rule for one ACPE audience letter, if the rule set has one."""
        for rule in self.audiences:
            if rule.audience == audience:
                return rule
        return None

    @property
    def version_label(self) -> str:
        """The version as people name it: 'in force from 2 December 2020'."""
        if self.effective is None:
            return "no published start date"
        return f"in force from {long_date(self.effective)}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


def long_date(day: date) -> str:
    """A date as '2 December 2020', the same whatever the server's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cycle_for(rules: RuleSet, expires: date, issued: date | None = None) -> tuple[date, date, bool]:
    """The CE cycle that ends on `expires`: (start, end, is_first_cycle).

    A cycle runs the rule set's length back from the expiry date; it never starts before
    the credential was issued (CE done before certification does not count).
    """
    start = months_before(expires, rules.cycle_months) + timedelta(days=1)
    first = issued is not None and issued >= start
    if first:
        start = issued
    return start, expires, first


# ---------------------------------------------------------------------------- loading


def rule_set_keys() -> list[str]:
    """The keys of the shipped rule sets, e.g. ['nha-cpht', 'ptcb-cpht', 'tx-technician']."""
    folder = resources.files(RULES_PACKAGE) / RULES_FOLDER
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def rule_history(key: str) -> tuple[RuleSet, ...]:
    """Every version of a rule set, oldest first; raise UnknownRuleSet or RuleFileError."""
    if key not in rule_set_keys():
        raise UnknownRuleSet(key)
    resource = resources.files(RULES_PACKAGE) / RULES_FOLDER / f"{key}.yaml"
    return parse_rule_file(resource.read_text(encoding="utf-8"), f"{key}.yaml")


def load_rules(key: str, on: date | None = None) -> RuleSet:
    """The version of rule set `key` in force on `on` (the newest when `on` is None)."""
    versions = rule_history(key)
    if on is None:
        return versions[-1]
    chosen = versions[0]
    for version in versions:
        if version.effective is None or version.effective <= on:
            chosen = version
    return chosen


def parse_rule_file(text: str, file: str) -> tuple[RuleSet, ...]:
    """Read a rule file's text into its versions; raise RuleFileError naming every problem."""
    problems = ProblemList(file)
    if len(text) > MAX_RULE_FILE:
        problems.add(None, f"is longer than {MAX_RULE_FILE:,} characters")
        raise RuleFileError(problems.problems)
    try:
        data = load_yaml(text, file)
    except ImportFailed as exc:
        raise RuleFileError(exc.problems) from exc
    if not isinstance(data, LineDict):
        problems.add(None, "must be a mapping with key, name, authority and versions")
        raise RuleFileError(problems.problems)
    reader = _Reader(problems)
    key = reader.text(data, "key")
    if key is not None and f"{key}.yaml" != file.rsplit("/", 1)[-1]:
        problems.add(data.line_of("key"), f"key {key!r} does not match the file name")
    name = reader.text(data, "name")
    authority = reader.text(data, "authority")
    tags = reader.tags(data)
    versions_data = data.get("versions")
    versions: list[RuleSet] = []
    if not isinstance(versions_data, LineList) or not versions_data:
        problems.add(data.line_of("versions"), "versions: list at least one version")
    else:
        for index, item in enumerate(versions_data):
            if not isinstance(item, LineDict):
                problems.add(versions_data.line_of(index), "each version is a mapping")
                continue
            version = reader.version(item, key or "", name or "", authority or "", tags)
            if version is not None:
                versions.append(version)
        dates = [v.effective for v in versions]
        if None in dates[1:]:
            problems.add(versions_data.line, "only the first version may have no effective date")
        dated = [d for d in dates if d is not None]
        if dated != sorted(set(dated)):
            problems.add(versions_data.line, "versions must be in order of effective date, each date once")
    if problems:
        raise RuleFileError(problems.problems)
    return tuple(versions)


class _Reader:
    """Reads the fields of a rule file, adding a problem for each bad value."""

    def __init__(self, problems: ProblemList):
        self.problems = problems

    def text(self, data: LineDict, key: str, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problems.add(data.line_of(key), f"{key}: write it as text")
            return None
        return value.strip()

    def hours(self, data: LineDict, key: str, required: bool = True) -> Decimal | None:
        value = data.get(key)
        if value is None and not required:
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            hours = Decimal(str(value))
        except InvalidOperation:
            self.problems.add(data.line_of(key), f"{key}: must be a number of hours")
            return None
        if not hours.is_finite() or hours < 0:
            self.problems.add(data.line_of(key), f"{key}: must be zero or more hours")
            return None
        return hours

    def whole(self, data: LineDict, key: str, low: int, high: int, required: bool = True) -> int | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problems.add(data.line_of(key), f"{key}: must be a whole number from {low} to {high}")
            return None
        return value

    def tags(self, data: LineDict) -> dict:
        tags = data.get("tags", {})
        if not isinstance(tags, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
        ):
            self.problems.add(data.line_of("tags"), "tags: a mapping of tag to its description")
            return {}
        return dict(tags)

    def version(self, data: LineDict, key, name, authority, tags) -> RuleSet | None:
        before = len(self.problems.problems)
        effective = data.get("effective")
        if effective is not None and not isinstance(effective, date):
            self.problems.add(data.line_of("effective"), "effective: a date such as 2020-12-02, or null")
            effective = None
        effective_note = self.text(data, "effective_note", required=effective is None) or ""
        sources = data.get("sources")
        if not isinstance(sources, list) or not sources or not all(
            isinstance(s, str) and s.strip() for s in sources
        ):
            self.problems.add(data.line_of("sources"), "sources: list at least one public source")
            sources = []
        summary = self.text(data, "summary") or ""
        cycle_months = self.whole(data, "cycle_months", 1, 120)
        total = self.hours(data, "total_hours")
        topics = self._topics(data, tags)
        kinds = self._kinds(data)
        audiences = self._audiences(data)
        technician = self.hours(data, "technician_specific_hours", required=False)
        if technician is not None and total is not None and technician > total:
            self.problems.add(data.line_of("technician_specific_hours"), "is more than total_hours")
        trainings = self._trainings(data, tags)
        application = self._application(data)
        first_cycle = data.get("first_cycle", "counts_from_issue")
        if first_cycle not in FIRST_CYCLE:
            self.problems.add(data.line_of("first_cycle"), f"first_cycle: one of {', '.join(FIRST_CYCLE)}")
        first_cycle_note = self.text(data, "first_cycle_note", required=False) or ""
        notes = data.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            self.problems.add(data.line_of("notes"), "notes: a list of sentences")
            notes = []
        if any(k.cap is not None for k in kinds if k.kind == "acpe") and any(
            a.cap is not None for a in audiences
        ):
            # With both, one ACPE activity would sit under two caps at once and the
            # hours counted would depend on the order they were filled in.
            self.problems.add(data.line_of("audiences"), "a cap on ACPE hours and a cap per audience cannot be combined")
        if len(self.problems.problems) > before:
            return None
        return RuleSet(
            key=key, name=name, authority=authority, effective=effective,
            effective_note=effective_note, sources=tuple(s.strip() for s in sources),
            summary=summary, cycle_months=cycle_months, total_hours=total, topics=topics,
            kinds=kinds, audiences=audiences, technician_specific_hours=technician,
            trainings=trainings, application=application, first_cycle=first_cycle,
            first_cycle_note=first_cycle_note, notes=tuple(notes), tags=tags,
        )  # fmt: skip

    def _topics(self, data: LineDict, tags: dict) -> tuple[TopicRule, ...]:
        topics = data.get("topics")
        if topics is None:
            return ()
        if not isinstance(topics, LineDict):
            self.problems.add(data.line_of("topics"), "topics: a mapping of ACPE topic to its minimum")
            return ()
        rules = []
        for topic, rule in topics.items():
            line = topics.line_of(topic)
            if topic not in TOPICS:
                self.problems.add(line, f"topics: {topic!r} is not an ACPE topic designator 01–08 (quote it: \"03\")")
                continue
            if not isinstance(rule, LineDict):
                self.problems.add(line, f"topics: {topic}: give hours and label")
                continue
            hours = self.hours(rule, "hours")
            label = self.text(rule, "label")
            tag = rule.get("tag")
            if tag is not None and tag not in tags:
                self.problems.add(rule.line_of("tag"), f"tag {tag!r} is not listed under tags")
            if hours is not None and label is not None:
                rules.append(TopicRule(topic, hours, label, tag))
        return tuple(rules)

    def _kinds(self, data: LineDict) -> tuple[KindRule, ...]:
        kinds = data.get("kinds")
        if not isinstance(kinds, LineDict):
            self.problems.add(data.line_of("kinds"), f"kinds: say how each of {', '.join(KINDS)} counts")
            return ()
        missing = [k for k in KINDS if k not in kinds]
        if missing:
            self.problems.add(kinds.line, f"kinds: say how {', '.join(missing)} count")
        rules = []
        for kind, rule in kinds.items():
            line = kinds.line_of(kind)
            if kind not in KINDS:
                self.problems.add(line, f"kinds: {kind!r} is not one of {', '.join(KINDS)}")
                continue
            rule = rule if rule is not None else LineDict()
            if not isinstance(rule, LineDict):
                self.problems.add(line, f"kinds: {kind}: a mapping (cap, rejected, note) or nothing")
                continue
            rule.setdefault("note", "")
            cap = self.hours(rule, "cap", required=False)
            rejected = self.text(rule, "rejected", required=False)
            if cap is not None and rejected is not None:
                self.problems.add(line, f"kinds: {kind} is either capped or rejected, not both")
            rules.append(KindRule(kind, cap, rejected, str(rule.get("note") or "")))
        return tuple(rules)

    def _audiences(self, data: LineDict) -> tuple[AudienceRule, ...]:
        audiences = data.get("audiences")
        if audiences is None:
            return ()
        if not isinstance(audiences, LineDict):
            self.problems.add(data.line_of("audiences"), "audiences: a mapping of P or T to a cap or a rejection")
            return ()
        rules = []
        for audience, rule in audiences.items():
            line = audiences.line_of(audience)
            if audience not in AUDIENCES or not isinstance(rule, LineDict):
                self.problems.add(line, f"audiences: {audience!r}: P or T, with cap or rejected")
                continue
            cap = self.hours(rule, "cap", required=False)
            rejected = self.text(rule, "rejected", required=False)
            if (cap is None) == (rejected is None):
                self.problems.add(line, f"audiences: {audience}: give a cap or a rejection")
                continue
            rules.append(AudienceRule(audience, cap, rejected))
        return tuple(rules)

    def _trainings(self, data: LineDict, tags: dict) -> tuple[Training, ...]:
        trainings = data.get("trainings", [])
        if not isinstance(trainings, list):
            self.problems.add(data.line_of("trainings"), "trainings: a list of tag and label")
            return ()
        result = []
        for index, item in enumerate(trainings):
            line = trainings.line_of(index) if isinstance(trainings, LineList) else None
            if not isinstance(item, LineDict):
                self.problems.add(line, "trainings: each needs a tag and a label")
                continue
            tag, label = item.get("tag"), self.text(item, "label")
            if tag not in tags:
                self.problems.add(item.line_of("tag"), f"tag {tag!r} is not listed under tags")
            elif label is not None:
                result.append(Training(tag, label))
        return tuple(result)

    def _application(self, data: LineDict) -> ApplicationRule:
        application = data.get("application")
        if not isinstance(application, LineDict):
            self.problems.add(data.line_of("application"), "application: say when renewal opens and its deadline")
            return ApplicationRule(None, "expiry")
        opens = self.whole(application, "opens_days_before_expiry", 0, 365, required=False)
        deadline = application.get("deadline")
        days = None
        if deadline not in DEADLINES:
            self.problems.add(application.line_of("deadline"), f"deadline: one of {', '.join(DEADLINES)}")
            deadline = "expiry"
        elif deadline == "days_before_expiry":
            days = self.whole(application, "deadline_days", 0, 365)
        late = self.text(application, "late", required=False) or ""
        return ApplicationRule(opens, deadline, days, late)
