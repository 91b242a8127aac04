"""Class lists: a CSV of emails (and optionally names) read into rows, each with its own problem.

The instructor pastes or uploads what their school's system exports. Accepted: a header
row naming an `email` column (and perhaps a `name` column) in any order, or no header
with the email first and the name second; commas, semicolons or tabs between fields.
Every line is reported on its own, so one bad address never hides the good ones.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

MAX_ROWS = 1000
MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
_CONTROL = dict.fromkeys([*range(32), 127])


@dataclass
class RosterRow:
    """One line of the class list: its line number, the email as it will be stored, a name, a problem."""

    line: int
    email: str
    name: str = ""
    problem: str = ""


def _clean(text: str) -> str:
    return text.translate(_CONTROL).strip()


def normalise_email(email: str) -> str:
    """The one form of an email the site stores, looks up and throttles on.

    Control characters dropped (the forms drop them too), surrounding spaces stripped,
    lower case. Every throttle keyed on an email uses this same function as the look-up,
    so `vic\x01tim@…` cannot earn a fresh budget for the account `victim@…`.
    """
    return email.translate(_CONTROL).strip().lower()


def email_problem(email: str) -> str:
    """Why `email` is not an email address, or an empty string."""
    if not email:
        return "no email on this line"
    if len(email) > MAX_EMAIL_LENGTH:
        return f"is longer than {MAX_EMAIL_LENGTH} characters"
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return "is not an email address"
    return ""


def _dialect(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_roster(text: str) -> tuple[list[RosterRow], list[tuple[str, str]]]:
    """The class list's rows (each with its problem, if any) and problems with the file as a whole."""
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return [], [("file", "is empty: paste one email a line, or a CSV with an email column")]
    reader = csv.reader(io.StringIO(text), _dialect(lines[0]))
    email_column, name_column = 0, 1
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    header_done = False
    try:
        for fields in reader:
            line = reader.line_num
            cells = [_clean(cell) for cell in fields]
            if not any(cells):
                continue
            if not header_done:
                header_done = True
                names = [cell.lower() for cell in cells]
                if any("email" in cell or "e-mail" in cell for cell in names) and not any("@" in c for c in cells):
                    email_column = next(i for i, c in enumerate(names) if "email" in c or "e-mail" in c)
                    name_column = next((i for i, c in enumerate(names) if "name" in c), -1)
                    continue
            if len(rows) >= MAX_ROWS:
                return rows, [("file", f"has more than {MAX_ROWS} learners: split it into several uploads")]
            raw = cells[email_column] if email_column < len(cells) else ""
            name = cells[name_column][:MAX_NAME_LENGTH] if 0 <= name_column < len(cells) else ""
            email = normalise_email(raw)
            row = RosterRow(line, email, name, email_problem(email))
            if not row.problem:
                if email in seen:
                    row.problem = f"is listed twice (first on line {seen[email]})"
                else:
                    seen[email] = line
            rows.append(row)
    except csv.Error as exc:
        return rows, [("file", f"line {reader.line_num}: cannot be read as CSV ({exc})")]
    if not rows:
        return [], [("file", "has a header but no emails under it")]
    return rows, []
