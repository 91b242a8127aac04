"""The shipped rule files load, cite their sources, and a broken file names its file and line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from trainer.ce import RuleFileError, UnknownRuleSet, load_rules, rule_history, rule_set_keys
from trainer.ce.rules import parse_rule_file

SHIPPED = ["nha-cpht", "ptcb-cpht", "tx-technician"]


def test_the_three_rule_sets_are_shipped():
    assert rule_set_keys() == SHIPPED


@pytest.mark.parametrize("key", SHIPPED)
def test_every_version_cites_a_public_source_and_says_when_it_applies(key):
    for version in rule_history(key):
        assert version.sources and all("http" in source for source in version.sources)
        assert version.effective is not None or version.effective_note
        assert version.summary


@pytest.mark.parametrize(
    ("key", "total", "topics"),
    [
        ("ptcb-cpht", 20, {"03": 1, "05": 1}),
        ("nha-cpht", 20, {"03": 1, "05": 1}),
        ("tx-technician", 20, {"03": 1}),
    ],
)
def test_the_current_versions_agree_with_the_reference(key, total, topics):
    rules = load_rules(key)
    assert rules.cycle_months == 24
    assert rules.total_hours == Decimal(total)
    assert {t.topic: t.hours for t in rules.topics} == {k: Decimal(v) for k, v in topics.items()}


def test_ptcbs_current_caps_and_exclusions_match_the_reference():
    rules = load_rules("ptcb-cpht")
    assert rules.kind("college").cap == Decimal(10)
    assert rules.kind("in_service").rejected
    assert rules.audience("P").cap == Decimal(5)
    assert rules.technician_specific_hours == Decimal(15)
    assert rules.application.opens_days_before_expiry == 60


def test_the_version_in_force_on_a_date_is_chosen():
    assert load_rules("ptcb-cpht", on=date(2020, 12, 1)).effective == date(2018, 1, 1)
    assert load_rules("ptcb-cpht", on=date(2020, 12, 2)).effective == date(2020, 12, 2)
    assert load_rules("ptcb-cpht").effective == date(2020, 12, 2)


def test_an_unknown_rule_set_is_refused():
    with pytest.raises(UnknownRuleSet):
        load_rules("ptcb-cspt")


GOOD = """\
key: demo
name: Demo
authority: Demo board
versions:
  - effective: 2024-01-01
    summary: Demo rules.
    sources: [https://example.org/rules]
    cycle_months: 24
    total_hours: 20
    kinds: {acpe: , college: , in_service: , other: }
    application: {deadline: expiry}
"""


def test_a_minimal_rule_file_loads():
    (rules,) = parse_rule_file(GOOD, "demo.yaml")
    assert rules.total_hours == Decimal(20)


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("total_hours: 20", "total_hours: lots"), 9, "total_hours: must be a number of hours"),
        (("sources: [https://example.org/rules]", "sources: []"), 7, "list at least one public source"),
        (("cycle_months: 24", "cycle_months: 0"), 8, "cycle_months: must be a whole number"),
        (("kinds: {acpe: , college: , in_service: , other: }", "kinds: {acpe: }"), 10, "say how college"),
        (("deadline: expiry", "deadline: whenever"), 11, "deadline: one of"),
        (("key: demo", "key: other"), 1, "does not match the file name"),
        (("    total_hours: 20\n", "    total_hours: 20\n    topics: {'09': {hours: 1, label: x}}\n"), 10,
         "not an ACPE topic designator"),
    ],
)
def test_a_broken_rule_file_names_the_line(change, line, words):
    text = GOOD.replace(*change)
    with pytest.raises(RuleFileError) as caught:
        parse_rule_file(text, "demo.yaml")
    assert any(p.line == line and words in p.message for p in caught.value.problems), caught.value.problems


def test_caps_on_acpe_hours_and_on_an_audience_cannot_be_combined():
    text = GOOD.replace("acpe: ,", "acpe: {cap: 10},").replace(
        "    application:", "    audiences: {P: {cap: 5}}\n    application:"
    )
    with pytest.raises(RuleFileError, match="cannot be combined"):
        parse_rule_file(text, "demo.yaml")


def test_yaml_that_is_not_valid_names_the_line():
    with pytest.raises(RuleFileError) as caught:
        parse_rule_file("key: [unclosed\n", "demo.yaml")
    assert caught.value.problems[0].file == "demo.yaml"
