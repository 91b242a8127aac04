"""Continuing education, pure: UANs, credential rule sets (data files) and the progress engine.

Nothing here imports Flask, SQLAlchemy or the models. The services hand it plain
activities and dates and store or show what it returns.
"""

from .progress import (
    STATUSES,
    Activity,
    CountedActivity,
    Report,
    Shortfall,
    TopicProgress,
    hours_text,
    progress,
)
from .rules import (
    KIND_NAMES,
    KINDS,
    RuleFileError,
    RuleSet,
    UnknownRuleSet,
    cycle_for,
    load_rules,
    long_date,
    rule_history,
    rule_set_keys,
)
from .uan import AUDIENCES, FORMATS, TOPICS, Uan, UanError, parse_uan, uan_problems

__all__ = [
    "AUDIENCES",
    "FORMATS",
    "KINDS",
    "KIND_NAMES",
    "STATUSES",
    "TOPICS",
    "Activity",
    "CountedActivity",
    "Report",
    "RuleFileError",
    "RuleSet",
    "Shortfall",
    "TopicProgress",
    "Uan",
    "UanError",
    "UnknownRuleSet",
    "cycle_for",
    "hours_text",
    "load_rules",
    "long_date",
    "parse_uan",
    "progress",
    "rule_history",
    "rule_set_keys",
    "uan_problems",
]
