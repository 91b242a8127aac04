"""Whole numbers from addresses, query strings and forms: one converter and one parser.

Python's `int()` accepts more than an id or a position ever is: "²" passes `isdigit()`
and then fails in `int()`, "9" * 5000 is beyond Python's digit limit, and a 20-digit id
overflows SQLite's 64-bit integers. Everything that reads a number a visitor typed goes
through here, so odd input is a 404 or a 400 with a message, never a server error.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# The largest id any table holds (a 64-bit signed integer, SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


class NumberRefused(BadRequest):
    """A 400 whose message is shown on the error page (what was wrong with the number)."""

    shown_to_user = True


def whole_number(text: object, low: int = 0, high: int = MAX_ID) -> int | None:
    """The number written in ASCII digits in `text`, if it is one from `low` to `high`; else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > _MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None


def form_number(name: str, what: str, low: int = 0, high: int = MAX_ID) -> int:
    """A whole number from the posted form; a 400 naming `what` when it is missing or not one."""
    value = whole_number(request.form.get(name, ""), low, high)
    if value is None:
        raise NumberRefused(f"{what} must be a whole number from {low:,} to {high:,}.")
    return value


def query_number(name: str, default: int, low: int = 0, high: int = MAX_ID) -> int:
    """A whole number from the query string, or `default` when it is absent; a 400 when it is not one."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw, low, high)
    if value is None:
        raise NumberRefused(f"?{name}= must be a whole number from {low:,} to {high:,}.")
    return value


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ASCII digits only and at most MAX_ID, otherwise the page is not found."""

    regex = rf"[0-9]{{1,{_MAX_DIGITS}}}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
