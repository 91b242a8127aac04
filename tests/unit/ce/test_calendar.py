"""The deadlines calendar parses as iCalendar, with reminders 90, 60, 30 and 7 days before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from trainer.ce.calendar import Deadline, deadlines_ics


def test_the_calendar_parses_and_each_deadline_has_four_reminders():
    raw = deadlines_ics([
        Deadline("ptcb-deadline-1@rxtrainer", date(2026, 12, 1), "PTCB CPhT: application deadline"),
        Deadline("ptcb-window-1@rxtrainer", date(2026, 11, 1), "PTCB CPhT: renewal opens", reminders=(0,)),
    ], "CE deadlines", datetime(2026, 6, 1, tzinfo=UTC))  # fmt: skip
    calendar = Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["PTCB CPhT: application deadline", "PTCB CPhT: renewal opens"]
    assert events[0].decoded("dtstart") == date(2026, 12, 1)
    triggers = [alarm.decoded("trigger") for alarm in events[0].walk("VALARM")]
    assert triggers == [timedelta(days=-90), timedelta(days=-60), timedelta(days=-30), timedelta(days=-7)]
    assert str(calendar["x-wr-calname"]) == "CE deadlines"


def test_an_empty_calendar_is_still_a_valid_file():
    calendar = Calendar.from_ical(deadlines_ics([], "CE deadlines", datetime(2026, 6, 1, tzinfo=UTC)))
    assert calendar.walk("VEVENT") == []
