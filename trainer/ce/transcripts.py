"""Transcripts as CSV: reading a CPE Monitor-style export, and writing ours.

Import columns (a header row is required; column order and letter case do not matter):

| column | required | what it holds |
| --- | --- | --- |
| Activity Date | yes | the date the activity was completed: 2025-03-01 or 03/01/2025 |
| ACPE UAN | yes (or "UAN") | the Universal Activity Number, e.g. 0669-0000-25-001-H05-T |
| Title | yes | the activity's title |
| Provider | no | the CE provider's name |
| Hours | yes, unless Live Hours / Home Hours are given (also "Contact Hours", "Credit Hours") | contact hours, e.g. 1.5 |
| Live Hours, Home Hours | no | CPE Monitor's split; when present they are added up |
| Topic Designators | no | when present it must agree with the UAN's topic |

Every row is an ACPE activity (CPE Monitor holds nothing else). A file is imported
whole or not at all; each bad row is reported by its line number in the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from trainer.ce.uan import UanError, parse_uan

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2_000
MAX_HOURS = Decimal(100)
MAX_TITLE = 200
MAX_PROVIDER = 200

_ALIASES = {
    "activity date": "date",
    "date": "date",
    "completion date": "date",
    "acpe uan": "uan",
    "uan": "uan",
    "title": "title",
    "activity title": "title",
    "provider": "provider",
    "hours": "hours",
    "contact hours": "hours",
    "credit hours": "hours",
    "live hours": "live",
    "home hours": "home",
    "topic designators": "topic",
    "topic": "topic",
}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")

EXPORT_COLUMNS = [
    "Activity Date", "Title", "Provider", "ACPE UAN", "Topic Designators", "Audience", "Kind",
    "Format", "Hours", "Hours Counted", "Note",
]  # fmt: skip


@dataclass(frozen=True)
class ImportedRow:
    """One good row of an imported transcript."""

    line: int
    completed: date
    uan: str
    title: str
    provider: str
    hours: Decimal
    topic: str
    audience: str
    format: str


@dataclass(frozen=True)
class ImportProblem:
    """A bad row (or a problem with the whole file when line is None)."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = "The file" if self.line is None else f"Line {self.line}"
        return f"{where}: {self.message}"


def read_transcript_csv(raw: bytes) -> tuple[list[ImportedRow], list[ImportProblem]]:
    """Parse a CPE Monitor-style CSV export into rows and problems (by line)."""
    if len(raw) > MAX_IMPORT_BYTES:
        return [], [ImportProblem(None, "file", "is larger than 1 MB; split it into several files.")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")  # spreadsheets on Windows save CSV in this
        except UnicodeDecodeError:
            return [], [ImportProblem(None, "file", "is not a text (CSV) file.")]
    if "\x00" in text:
        return [], [ImportProblem(None, "file", "is not a text (CSV) file.")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [ImportProblem(1, "file", f"cannot be read as CSV ({exc}).")]
    if not header:
        return [], [ImportProblem(None, "file", "is empty: it needs a header row and one row per activity.")]
    columns = {}
    for position, name in enumerate(header):
        key = _ALIASES.get(name.strip().lower())
        if key and key not in columns:
            columns[key] = position
    missing = [label for key, label in (("date", "Activity Date"), ("uan", "ACPE UAN"), ("title", "Title"))
               if key not in columns]  # fmt: skip
    if "hours" not in columns and "live" not in columns and "home" not in columns:
        missing.append("Hours")
    if missing:
        return [], [ImportProblem(1, "header", f"the header has no {', '.join(missing)} column.")]

    rows, problems = [], []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) + len(problems) >= MAX_IMPORT_ROWS:
                problems.append(ImportProblem(line, "file", f"more than {MAX_IMPORT_ROWS:,} rows; split the file."))
                break
            row, row_problems = _read_row(record, columns, line)
            if row_problems:
                problems.extend(row_problems)
            else:
                rows.append(row)
    except csv.Error as exc:
        problems.append(ImportProblem(reader.line_num, "file", f"cannot be read as CSV ({exc})."))
    if not rows and not problems:
        problems.append(ImportProblem(None, "file", "has a header but no activities."))
    return rows, problems


def _cell(record, columns, key) -> str:
    position = columns.get(key)
    if position is None or position >= len(record):
        return ""
    return record[position].strip()


def _read_row(record, columns, line) -> tuple[ImportedRow | None, list[ImportProblem]]:
    problems = []
    completed = _parse_date(_cell(record, columns, "date"))
    if completed is None:
        problems.append(ImportProblem(line, "Activity Date", "the date is missing or not a date like 2025-03-01 or 03/01/2025."))
    uan = None
    text = _cell(record, columns, "uan")
    try:
        uan = parse_uan(text)
    except UanError as exc:
        problems.append(ImportProblem(line, "ACPE UAN", str(exc)))
    title = _cell(record, columns, "title")
    if not title:
        problems.append(ImportProblem(line, "Title", "the title is missing."))
    elif len(title) > MAX_TITLE:
        problems.append(ImportProblem(line, "Title", f"the title is longer than {MAX_TITLE} characters."))
    provider = _cell(record, columns, "provider")
    if len(provider) > MAX_PROVIDER:
        problems.append(ImportProblem(line, "Provider", f"the provider is longer than {MAX_PROVIDER} characters."))
    hours = _row_hours(record, columns, line, problems)
    topic = _cell(record, columns, "topic").lstrip("0").zfill(2) if _cell(record, columns, "topic") else ""
    if uan is not None and topic and topic != uan.topic:
        problems.append(ImportProblem(line, "Topic Designators", f"topic {topic} does not match the UAN's topic {uan.topic}."))
    if problems:
        return None, problems
    return ImportedRow(line, completed, str(uan), title, provider, hours, uan.topic, uan.audience, uan.format), []


def _row_hours(record, columns, line, problems) -> Decimal | None:
    cells = [_cell(record, columns, key) for key in ("hours", "live", "home")]
    if not any(cells):
        problems.append(ImportProblem(line, "Hours", "the hours are missing."))
        return None
    total = Decimal(0)
    for cell in cells:
        if not cell:
            continue
        try:
            value = Decimal(cell)
        except InvalidOperation:
            problems.append(ImportProblem(line, "Hours", f"{cell!r} is not a number of hours."))
            return None
        if not value.is_finite() or value < 0:
            problems.append(ImportProblem(line, "Hours", f"{cell!r} is not a number of hours."))
            return None
        total += value
    if total <= 0 or total > MAX_HOURS:
        problems.append(ImportProblem(line, "Hours", f"the hours must be more than 0 and at most {MAX_HOURS}."))
        return None
    if total != total.quantize(Decimal("0.01")):
        problems.append(ImportProblem(line, "Hours", "the hours have more than two decimal places."))
        return None
    return total


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


def spreadsheet_safe(value) -> str:
    """A cell value a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def write_csv(header: list[str], rows) -> str:
    """CSV text with a header, every cell made spreadsheet-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()
