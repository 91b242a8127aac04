"""Filling `{name}` placeholders in author text without str.format, Jinja or eval.

Author text is data: the only syntax is `{name}` (a variable, a derived value or
`{answer}`) and the escapes `{{` and `}}`. Anything else with a brace is a mistake the
author should hear about, not something to guess at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PlaceholderError(ValueError):
    """Raised when a template cannot be filled; `message` says why in the author's terms."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _scan(template: str):
    """Yield ("text", s) and ("name", n) pieces; raise PlaceholderError on a stray brace."""
    position = 0
    for match in _TOKEN.finditer(template):
        if match.start() > position:
            yield "text", template[position : match.start()]
        piece = match.group(0)
        if piece == "{{":
            yield "text", "{"
        elif piece == "}}":
            yield "text", "}"
        elif piece in ("{", "}"):
            raise PlaceholderError(
                f"unmatched '{piece}' at character {match.start() + 1}; write a literal brace as "
                f"'{piece}{piece}'"
            )
        else:
            name = match.group(1).strip()
            if not NAME.fullmatch(name):
                raise PlaceholderError(
                    f"'{piece}' is not a placeholder: use {{name}} with letters, digits and _, "
                    "or write a literal brace as '{{' or '}}'"
                )
            yield "name", name
        position = match.end()
    if position < len(template):
        yield "text", template[position:]


def placeholder_names(template: str) -> list[str]:
    """The placeholder names used in `template`, in order of first use; raises PlaceholderError."""
    names: list[str] = []
    for kind, value in _scan(template):
        if kind == "name" and value not in names:
            names.append(value)
    return names


def placeholder_problems(template: object, known: set[str] | frozenset[str]) -> list[str]:
    """Problems with `template` given the names that will be available (empty when fine)."""
    if not isinstance(template, str):
        return ["must be text"]
    try:
        names = placeholder_names(template)
    except PlaceholderError as exc:
        return [exc.message]
    return [f"unknown placeholder {{{name}}}" for name in names if name not in known]


def plain_number(value: Decimal) -> str:
    """A Decimal written without exponent or trailing zeros, e.g. 1500 or 0.25 (for machines)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fill_placeholders(
    template: str,
    values: Mapping[str, object],
    number_format: Callable[[Decimal], str] = plain_number,
) -> str:
    """Replace each `{name}` with its value (numbers through `number_format`); raise PlaceholderError."""
    pieces: list[str] = []
    for kind, value in _scan(template):
        if kind == "text":
            pieces.append(value)
            continue
        if value not in values:
            raise PlaceholderError(f"unknown placeholder {{{value}}}")
        filled = values[value]
        if isinstance(filled, bool):
            pieces.append("true" if filled else "false")
        elif isinstance(filled, (int, Decimal)):
            pieces.append(number_format(Decimal(filled)))
        elif isinstance(filled, float):
            pieces.append(number_format(Decimal(str(filled))))
        else:
            pieces.append(str(filled))
    return "".join(pieces)


def escape_braces(text: str) -> str:
    """Make literal text safe to use as a template: `{` becomes `{{` and `}` becomes `}}`."""
    return text.replace("{", "{{").replace("}", "}}")
