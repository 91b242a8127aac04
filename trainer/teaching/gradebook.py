"""Gradebook rules: what one learner's work on one assignment counts as, and the weighted total.

An assignment opens at `opens_at` and is due at `due_at` (the learner's extension, if
any, replaces the due date). Each try at it (a quiz attempt, a course or module worked
through) is a `Work`. The cell takes the best result that counts:

- on time: finished at or before the due date;
- late: finished after it, counted as the late policy says: `accept` (in full, marked
  late), `penalty` (less `percent_per_day` per day or part of a day late, never below 0)
  or `refuse` (not counted: the cell is missing, with a note);
- quiz attempts count only when started at or after the opening; a course or module
  finished before the assignment opened still counts (the kind decides).

The total is the weighted mean of the cells that are settled (done, late or missing,
a missing one as 0, and work still unfinished after its due date as 0 until it is
finished); work not yet due and not yet done is left out of the total rather than
counted as 0.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

LATE_POLICIES = ("accept", "penalty", "refuse")
STATUSES = ("upcoming", "open", "in_progress", "done", "late", "missing")
STATUS_LABELS = {
    "upcoming": "not open yet",
    "open": "not started",
    "in_progress": "in progress",
    "done": "done",
    "late": "late",
    "missing": "missing",
}
SETTLED = ("done", "late", "missing")
DAY = timedelta(days=1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class LatePolicy:
    """How work finished after the due date counts."""

    mode: str = "accept"
    percent_per_day: int = 0

    def describe(self) -> str:
        """The policy in a sentence a learner reads."""
        if self.mode == "refuse":
            return "Late work is not counted."
        if self.mode == "penalty" and self.percent_per_day:
            return f"Late work loses {self.percent_per_day} percentage points a day (or part of a day)."
        return "Late work is accepted and marked late."


# Work and Cell are named tuples rather than dataclasses: a gradebook makes ten thousand
# of each per page, and a tuple is built several times faster.


class Work(NamedTuple):
    """One try at an assignment: when it started and finished, and its percent when finished.

    `progress` is how far an unfinished try has got (0..100), when the kind can say.
    """

    started_at: datetime
    finished_at: datetime | None = None
    percent: Decimal | None = None
    progress: int | None = None

    @property
    def finished(self) -> bool:
        return self.finished_at is not None and self.percent is not None


class Cell(NamedTuple):
    """One learner's standing on one assignment."""

    status: str
    score: Decimal | None = None  # what counts, after any late penalty
    raw: Decimal | None = None  # the result before the penalty
    days_late: int = 0
    finished_at: datetime | None = None
    progress: int | None = None
    note: str = ""
    overdue: bool = False  # unfinished after the due date: counts 0 until something is finished

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def counted(self) -> Decimal | None:
        """The score the total uses: a missing cell, or work still unfinished after the due date,
        counts 0; work not yet due and not done, not at all."""
        if self.status == "missing" or self.overdue:
            return Decimal(0)
        if self.status in SETTLED:
            return self.score
        return None


def days_late(finished_at: datetime, due_at: datetime) -> int:
    """Whole days late, a part of a day counting as a day; 0 when on time."""
    if finished_at <= due_at:
        return 0
    return math.ceil((finished_at - due_at) / DAY)


def late_score(percent: Decimal, days: int, policy: LatePolicy) -> Decimal | None:
    """What a late result counts for under the policy; None when late work is refused."""
    if policy.mode == "refuse":
        return None
    if policy.mode == "penalty":
        return max(percent - Decimal(policy.percent_per_day * days), Decimal(0))
    return percent


_UPCOMING, _OPEN, _MISSING = Cell("upcoming"), Cell("open"), Cell("missing")


def grade_cell(*, opens_at: datetime, due_at: datetime, policy: LatePolicy, work: Sequence[Work],
               now: datetime, counts_before_open: bool = False) -> Cell:
    """The cell for one learner and one assignment, from every try they made (see the module doc)."""
    best: tuple[Decimal, int, Work] | None = None  # (score, -days late, the try)
    refused_late = False
    unfinished: list[Work] = []
    for attempt in work:
        if not counts_before_open and attempt.started_at < opens_at:
            continue
        if attempt.finished_at is None or attempt.percent is None:
            unfinished.append(attempt)
            continue
        late = days_late(attempt.finished_at, due_at)
        score = attempt.percent if not late else late_score(attempt.percent, late, policy)
        if score is None:
            refused_late = True
            continue
        # the higher score wins; at equal scores the one less late
        if best is None or (score, -late) > (best[0], best[1]):
            best = (score, -late, attempt)
    if best is not None:
        score, minus_days, chosen = best
        return Cell("late" if minus_days else "done", score=score, raw=chosen.percent, days_late=-minus_days,
                    finished_at=chosen.finished_at)
    progress = max((w.progress for w in unfinished if w.progress is not None), default=None)
    if now <= due_at:
        if unfinished:
            return Cell("in_progress", progress=progress)
        return _UPCOMING if now < opens_at else _OPEN
    if unfinished and policy.mode != "refuse":
        return Cell("in_progress", progress=progress, note="past the due date", overdue=True)
    return Cell("missing", note="finished late: not counted") if refused_late else _MISSING


def weighted_total(cells: Sequence[Cell], weights: Sequence[Decimal]) -> Decimal | None:
    """The weighted mean percent of the settled cells, to two places; None when nothing is settled."""
    points = Decimal(0)
    possible = Decimal(0)
    for cell, weight in zip(cells, weights, strict=True):
        counted = cell.counted
        if counted is None or weight <= 0:
            continue
        points += counted * weight
        possible += weight
    if not possible:
        return None
    return (points / possible).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- the table: rows, sorting, filtering, CSV ----------------------------------------------


@dataclass
class LearnerRow:
    """One learner's line of the gradebook."""

    learner_id: int
    name: str
    email: str
    cells: list[Cell] = field(default_factory=list)
    total: Decimal | None = None

    def count(self, status: str) -> int:
        return sum(1 for cell in self.cells if cell.status == status)


SORT_KEYS = ("name", "email", "total", "missing", "late")
FILTERS = ("all", "missing", "late", "in_progress", "behind")


def _sort_value(row: LearnerRow, key: str):
    if key == "name":
        return row.name.casefold()
    if key == "email":
        return row.email
    if key == "total":
        return row.total
    if key in ("missing", "late"):
        return row.count(key)
    if key.startswith("a") and key[1:].isdigit():
        index = int(key[1:])
        if index < len(row.cells):
            return row.cells[index].score if row.cells[index].status in SETTLED + ("in_progress",) else None
    return None


def sort_rows(rows: Sequence[LearnerRow], key: str = "name", descending: bool = False) -> list[LearnerRow]:
    """The rows sorted by name, email, total, count of missing or late cells, or column `aN`;
    rows without a value go last either way, and ties keep name order."""
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.email))
    present = [row for row in by_name if _sort_value(row, key) is not None]
    absent = [row for row in by_name if _sort_value(row, key) is None]
    present.sort(key=lambda row: _sort_value(row, key), reverse=descending)
    return present + absent


def _behind(row: LearnerRow) -> bool:
    return any(cell.status in ("missing", "late") or cell.overdue for cell in row.cells)


def filter_rows(rows: Sequence[LearnerRow], show: str = "all", text: str = "") -> list[LearnerRow]:
    """The rows to show: those with a missing, late or unfinished cell (or "behind": missing, late or
    unfinished past the due date), whose name or email contains `text`."""
    tests: dict[str, Callable[[LearnerRow], bool]] = {
        "missing": lambda row: row.count("missing") > 0,
        "late": lambda row: row.count("late") > 0,
        "in_progress": lambda row: row.count("in_progress") > 0,
        "behind": _behind,
    }
    wanted = text.strip().casefold()
    kept = []
    for row in rows:
        if show in tests and not tests[show](row):
            continue
        if wanted and wanted not in row.name.casefold() and wanted not in row.email.casefold():
            continue
        kept.append(row)
    return kept


@functools.lru_cache(maxsize=4096)
def _percent_text(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(value: Decimal | None) -> str:
    """A percent without needless decimals: 85, 72.5; empty when there is none."""
    # cached: a gradebook writes the same few scores thousands of times
    return "" if value is None else _percent_text(value)


def spreadsheet_safe(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if value and value[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def gradebook_csv(titles: Sequence[str], rows: Sequence[LearnerRow]) -> str:
    """The gradebook as CSV: name, email, then a score and a status column per assignment, then the total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["name", "email"]
    for title in titles:
        header += [spreadsheet_safe(title), spreadsheet_safe(f"{title} (status)")]
    writer.writerow([*header, "total"])
    for row in rows:
        line = [spreadsheet_safe(row.name), spreadsheet_safe(row.email)]
        for cell in row.cells:
            shown = cell.score if cell.status in ("done", "late") else (Decimal(0) if cell.status == "missing" else None)
            status = cell.label + (f" ({cell.days_late} day{'s' if cell.days_late != 1 else ''})"
                                   if cell.status == "late" else "")
            line += [percent_text(shown), status]
        writer.writerow([*line, percent_text(row.total)])
    return out.getvalue()
