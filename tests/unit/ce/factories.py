"""Activities for the rule-engine tests: one helper, sensible defaults, every field overridable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from trainer.ce import Activity

CYCLE_START = date(2025, 1, 1)
CYCLE_END = date(2026, 12, 31)
MID_CYCLE = date(2025, 6, 1)

_sequence = iter(range(1, 10_000))


def uan(topic: str = "04", audience: str = "T", fmt: str = "H", provider: str = "0669") -> str:
    """A fresh, well-formed UAN (each call a different activity)."""
    return f"{provider}-0000-24-{next(_sequence) % 1000:03d}-{fmt}{topic}-{audience}"


def acpe(hours="1", topic="04", audience="T", completed=MID_CYCLE, title=None, **fields) -> Activity:
    """An ACPE activity with its own UAN."""
    number = fields.pop("uan", None) or uan(topic, audience)
    return Activity(
        title=title or f"ACPE {topic}-{audience} {hours} h", hours=Decimal(str(hours)),
        completed=completed, kind="acpe", uan=number, **fields,
    )  # fmt: skip


def other(kind="other", hours="1", topic=None, completed=MID_CYCLE, title=None, **fields) -> Activity:
    """A non-ACPE activity (college, in-service or other)."""
    return Activity(
        title=title or f"{kind} {hours} h", hours=Decimal(str(hours)), completed=completed,
        kind=kind, topic=topic, **fields,
    )  # fmt: skip


def twenty_technician_hours(**fields) -> list[Activity]:
    """A full PTCB cycle: 1 h law, 1 h safety, 18 h general, all T."""
    return [acpe(1, "03", **fields), acpe(1, "05", **fields), acpe(18, "04", **fields)]
