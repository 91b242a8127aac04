"""Properties of the rule engine that hold for any activities under every shipped rule set."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.ce import Activity, load_rules, progress, rule_history

from .factories import CYCLE_END, CYCLE_START

TODAY = date(2026, 6, 1)
EVERY_VERSION = [version for key in ("ptcb-cpht", "nha-cpht", "tx-technician") for version in rule_history(key)]

hours = st.integers(0, 48).map(lambda quarters: Decimal(quarters) / 4)
days = st.integers(-60, (CYCLE_END - CYCLE_START).days + 60).map(lambda n: CYCLE_START + timedelta(days=n))
topics = st.sampled_from(["01", "03", "04", "05", "08"])
# A small pool of numbers and refs, so the same activity shows up twice now and then.
uans = st.builds(
    lambda seq, topic, audience: f"0669-0000-25-{seq:03d}-H{topic}-{audience}",
    st.integers(1, 6), topics, st.sampled_from("PT"),
)
acpe_activities = st.builds(
    lambda h, d, u, tags: Activity(title="acpe", hours=h, completed=d, kind="acpe", uan=u, tags=tags),
    hours, days, uans, st.frozensets(st.sampled_from(["texas-law", "tx-human-trafficking"])),
)
other_activities = st.builds(
    lambda kind, h, d, topic, ref: Activity(title=kind, hours=h, completed=d, kind=kind, topic=topic, ref=ref),
    st.sampled_from(["college", "in_service", "other"]), hours, days, st.none() | topics,
    st.none() | st.sampled_from(["course:a", "course:b"]),
)
activities = st.lists(acpe_activities | other_activities, max_size=12)
rule_sets = st.sampled_from(EVERY_VERSION)


def earned(rules, items):
    return progress(rules, CYCLE_START, CYCLE_END, items, TODAY).earned_hours


@settings(max_examples=300)
@given(rule_sets, activities, acpe_activities | other_activities, st.integers(0, 12))
def test_adding_an_activity_never_lowers_the_hours_earned(rules, items, extra, position):
    more = [*items[:position], extra, *items[position:]]
    assert earned(rules, more) >= earned(rules, items)


@given(rule_sets, activities)
def test_counted_hours_never_exceed_claimed_hours(rules, items):
    report = progress(rules, CYCLE_START, CYCLE_END, items, TODAY)
    for line in report.counted:
        assert Decimal(0) <= line.hours <= line.claimed
        if line.hours < line.claimed:
            assert line.reason
    assert report.earned_hours == sum((line.hours for line in report.counted), Decimal(0))


@given(rule_sets, activities, st.randoms())
def test_the_order_activities_are_given_in_does_not_change_the_hours(rules, items, random):
    shuffled = list(items)
    random.shuffle(shuffled)
    assert earned(rules, shuffled) == earned(rules, items)


@given(rule_sets, activities)
def test_topic_hours_are_part_of_the_total_never_more(rules, items):
    report = progress(rules, CYCLE_START, CYCLE_END, items, TODAY)
    for topic in report.topics.values():
        assert topic.earned <= report.earned_hours


@given(activities)
def test_a_complete_report_lists_nothing_missing(items):
    report = progress(load_rules("ptcb-cpht"), CYCLE_START, CYCLE_END, items, TODAY)
    assert (report.status == "complete") == (report.missing == [])
