"""Roman numerals as used on prescriptions, including ss for one half."""

from __future__ import annotations

import re
from decimal import Decimal

_STRICT = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_VALUES = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]
_LETTERS = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
HALF = Decimal("0.5")


def roman_to_number(text: str) -> Decimal | None:
    """The value of a numeral such as XIV, iv, iss or ss (= ½); None if it is not one."""
    letters = text.strip().upper()
    half = letters.endswith("SS")
    if half:
        letters = letters[:-2]
    # Prescriptions may end a run of i's with j (iij = 3).
    if letters.endswith("J"):
        letters = letters[:-1] + "I"
    if not letters:
        return HALF if half else None
    if not _STRICT.fullmatch(letters):
        return None
    total = 0
    for index, letter in enumerate(letters):
        value = _LETTERS[letter]
        following = _LETTERS[letters[index + 1]] if index + 1 < len(letters) else 0
        total += -value if value < following else value
    return Decimal(total) + (HALF if half else 0)


def number_to_roman(value: Decimal) -> str | None:
    """The numeral for a whole or half number from ½ to 3,999.5; None outside that."""
    whole = int(value)
    half = value - whole
    if half not in (0, HALF) or not 0 <= whole <= 3999 or value <= 0:
        return None
    letters = []
    for amount, symbol in _VALUES:
        count, whole = divmod(whole, amount)
        letters.append(symbol * count)
    return "".join(letters) + ("ss" if half else "")
