"""Renewal deadlines as an iCalendar file (RFC 5545), with reminders before each deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

REMINDER_DAYS = (90, 60, 30, 7)
PRODUCT_ID = "-//RxTrainer//CE deadlines//EN"


@dataclass(frozen=True)
class Deadline:
    """One dated event: a renewal window opening, an application deadline, an expiry."""

    uid: str
    day: date
    summary: str
    description: str = ""
    reminders: tuple[int, ...] = REMINDER_DAYS


def deadlines_ics(deadlines: list[Deadline], name: str, stamp: datetime) -> bytes:
    """An iCalendar file of all-day events, each with a display alarm `reminders` days before."""
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in deadlines:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        event.add("transp", "TRANSPARENT")
        for days in item.reminders:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{item.summary}: {days} days left")
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
