"""Cohort join codes: random, easy to read aloud and type, impossible to guess.

Ten characters from an alphabet without the look-alikes (0/O, 1/I/L), written as two
groups of five: 31¹⁰ ≈ 8 × 10¹⁴ codes (about 49 bits). The join page is rate-limited,
so guessing would take longer than the age of the universe; and a code only works
while its cohort is open for joining.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUP = 5
LENGTH = 10


def new_join_code() -> str:
    """A fresh random code such as "K7MQP-X2RTW" (from the operating system's secure generator)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:GROUP]}-{raw[GROUP:]}"


def normalise_join_code(text: str) -> str | None:
    """A typed code in its stored form (upper case, one hyphen), or None if it cannot be a code.

    Spaces and hyphens are ignored and case does not matter; any other character outside
    the alphabet means it is not a code (O, 0, I, 1 and L are never guessed at).
    """
    if not isinstance(text, str) or len(text) > 40:
        return None
    raw = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return f"{raw[:GROUP]}-{raw[GROUP:]}"
