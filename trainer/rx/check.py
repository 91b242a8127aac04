"""The result every rule returns, and the input hygiene every rule shares.

A rule never raises on bad input: wrong type, empty text, ten kilobytes of text or a
character that only looks like a letter or digit all come back as problems, each a
`(field, message)` pair whose message ends with the rule's citation. One result feeds a
form's field errors, a scenario debrief and a CLI report alike.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

Problem = tuple[str, str]

# No identifier, code or sig a technician types is anywhere near this long: anything
# longer is a paste accident or an attack and is refused before any parsing.
MAX_CODE_LENGTH = 64
MAX_TEXT_LENGTH = 500

# Dashes and spaces people paste from word processors; folded to their ASCII forms.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")


@dataclass(frozen=True)
class Check:
    """Whether something passes a rule, the problems that fail it, and advisory notes.

    `problems` are `(field, message)` pairs; a message ends with its citation in
    parentheses. `notes` never make a check invalid: they are what a technician should
    know (a state may be stricter, a number is historic).
    """

    valid: bool
    problems: list[Problem] = field(default_factory=list)
    notes: tuple[str, ...] = ()


def passed(notes: list[str] | tuple[str, ...] = ()) -> Check:
    """A Check with no problems."""
    return Check(True, [], tuple(notes))


def result(problems: list[Problem], notes: list[str] | tuple[str, ...] = ()) -> Check:
    """A Check that is valid exactly when there are no problems."""
    return Check(not problems, list(problems), tuple(notes))


def cited(message: str, citation: str) -> str:
    """A message with its citation appended, the one format every rule uses."""
    return f"{message} ({citation})"


def read_code(value: object, field_name: str, what: str) -> tuple[str | None, list[Problem]]:
    """Typed or pasted code text made comparable, or problems saying why it cannot be read.

    Full-width digits and letters are folded (NFKC), Unicode dashes become "-", spaces
    around the text go. A character that still is not plain ASCII is reported by name:
    a Cyrillic "А" in a DEA number looks right and is not.
    """
    if value is None:
        return None, [(field_name, f"{what} is missing")]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, [(field_name, f"{what} must be text")]
    text = str(value)
    if len(text) > MAX_CODE_LENGTH * 4:
        return None, [(field_name, f"{what} is far too long to be one")]
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    if not text:
        return None, [(field_name, f"{what} is empty")]
    if len(text) > MAX_CODE_LENGTH:
        return None, [(field_name, f"{what} is far too long to be one")]
    strange = [ch for ch in text if not (ch.isascii() and ch.isprintable())]
    if strange:
        names = ", ".join(
            f"'{ch}' ({unicodedata.name(ch, 'an unnamed character').lower()})"
            for ch in dict.fromkeys(strange)
        )
        return None, [
            (
                field_name,
                f"{what} contains {names}, which only looks like a letter or digit: "
                "retype it with plain letters and digits",
            )
        ]
    return text, []


def read_text(
    value: object, field_name: str, what: str, limit: int = MAX_TEXT_LENGTH
) -> tuple[str | None, list[Problem]]:
    """Free text (a sig, a name) trimmed and NFKC-folded, or problems; never raises."""
    if value is None:
        return None, [(field_name, f"{what} is missing")]
    if not isinstance(value, str):
        return None, [(field_name, f"{what} must be text")]
    if len(value) > limit * 4:
        return None, [(field_name, f"{what} is too long (at most {limit} characters)")]
    text = " ".join(unicodedata.normalize("NFKC", value).translate(_DASHES).split())
    if not text:
        return None, [(field_name, f"{what} is empty")]
    if len(text) > limit:
        return None, [(field_name, f"{what} is too long (at most {limit} characters)")]
    return text, []


def initial_of(name: object) -> str | None:
    """The first letter of a name as an ASCII capital ("Ölund" gives "O"), or None."""
    if not isinstance(name, str) or len(name) > MAX_TEXT_LENGTH:
        return None
    for ch in unicodedata.normalize("NFKD", name):
        if ch.isascii() and ch.isalpha():
            return ch.upper()
        if ch.isalpha() and not unicodedata.combining(ch):
            # a letter with no ASCII base (a Greek or Cyrillic name): no initial to compare
            return None
    return None
