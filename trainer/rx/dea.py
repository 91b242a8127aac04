"""DEA registration numbers: shape, check digit, registrant type and the surname letter.

    from trainer.rx import dea
    dea.check("AJ5184279", last_name="Jones")   # Check(valid=True, problems=[])

A number is two letters and seven digits. The first letter names the registrant type,
the second is the initial of the registrant's surname (or of the business name; "9"
for some registrants who register under a business address), and the seventh digit is
a check digit: digits 1 + 3 + 5, plus twice digits 2 + 4 + 6; the last digit of the
total must equal digit 7. A supervised prescriber in an institution may add a suffix
after a hyphen ("F91234563-001AB"): it is accepted and reported as a note.

Sources disagree on the first-letter table (the DEA's own registration record layout
lists A, B, F and G together for practitioners, hospitals, clinics, teaching
institutions and pharmacies; older summaries give single letters other meanings), so
the table below is cited data and an unlisted letter is a note, never a rejection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.rx.check import Check, Problem, cited, initial_of, read_code, result

CHECK_DIGIT_RULE = "DEA number check-digit rule, https://en.wikipedia.org/wiki/DEA_number"
RECORD_LAYOUT = (
    "DEA Diversion Control Division, DEA Registration Record Layout (registrant type = "
    "first letter of the DEA number)"
)
X_WAIVER = (
    "Consolidated Appropriations Act, 2023, Pub. L. 117-328, div. FF, sec. 1262 (the MAT "
    "Act), which ended the DATA-waiver; DEA Diversion Control Division letter to "
    "registrants, 12 January 2023"
)
SURNAME_RULE = "the second letter is the initial of the registrant's surname or business name"


@dataclass(frozen=True)
class RegistrantType:
    """What a first letter means, whether that registrant may prescribe, and the source."""

    letters: str
    meaning: str
    prescribes: bool
    source: str


# The DEA's own layout first; the single-letter meanings only where it is silent.
REGISTRANT_TYPES: tuple[RegistrantType, ...] = (
    RegistrantType(
        "ABFG",
        "practitioner, hospital or clinic, teaching institution or pharmacy "
        "(A on numbers issued before 1 October 1985; then B, F and G as each letter ran out)",
        True,
        RECORD_LAYOUT,
    ),
    RegistrantType(
        "M",
        "mid-level practitioner (such as a nurse practitioner, physician assistant or optometrist)",
        True,
        RECORD_LAYOUT,
    ),
    RegistrantType(
        "PRSTU",
        "manufacturer, distributor, researcher, analytical lab, importer, exporter, reverse "
        "distributor or narcotic treatment program",
        False,
        RECORD_LAYOUT,
    ),
    RegistrantType(
        "C",
        "practitioner (in older summaries of the table)",
        True,
        "https://en.wikipedia.org/wiki/DEA_number",
    ),
    RegistrantType(
        "D",
        "teaching institution (in older summaries of the table)",
        True,
        "https://en.wikipedia.org/wiki/DEA_number",
    ),
    RegistrantType(
        "EHJKL",
        "manufacturer, analytical lab, importer, exporter or reverse distributor (in older summaries of the table)",
        False,
        "https://en.wikipedia.org/wiki/DEA_number",
    ),
    RegistrantType(
        "N",
        "narcotic treatment program (in older summaries of the table)",
        False,
        "https://en.wikipedia.org/wiki/DEA_number",
    ),
    RegistrantType(
        "X",
        "the identification number of a DATA-waived buprenorphine prescriber, used beside the "
        "prescriber's own DEA number until the waiver ended on 29 December 2022",
        True,
        X_WAIVER,
    ),
)

_SHAPE = re.compile(r"([A-Z])([A-Z9])(\d{7})(?:-([A-Z0-9]{1,10}))?")


def registrant_type(letter: str) -> RegistrantType | None:
    """The cited meaning of a first letter, or None when no cited table lists it."""
    if not isinstance(letter, str) or len(letter) != 1:
        return None
    return next((t for t in REGISTRANT_TYPES if letter.upper() in t.letters), None)


def check_digit(six_digits: str) -> int:
    """The check digit for the first six digits: (d1+d3+d5) + 2×(d2+d4+d6), last digit."""
    if not (
        isinstance(six_digits, str)
        and len(six_digits) == 6
        and six_digits.isascii()
        and six_digits.isdigit()
    ):
        raise ValueError("check_digit needs exactly six digits")
    d = [int(c) for c in six_digits]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10


def check(
    number: object,
    last_name: object = None,
    *,
    business_name: object = None,
    prescriber: bool = False,
) -> Check:
    """Check a DEA number's shape, check digit, registrant letter and surname letter.

    `last_name` (or `business_name`) is compared with the second letter when given.
    `prescriber=True` also refuses registrant types that cannot prescribe (a
    distributor's number on a prescription).
    """
    text, problems = read_code(number, "dea", "the DEA number")
    if text is None:
        return result(problems)
    text = text.upper().replace(" ", "")
    match = _SHAPE.fullmatch(text)
    if not match:
        return result([("dea", _shape_message(text))])
    first, second, digits, suffix = match.groups()
    notes: list[str] = []
    problems = []
    expected = check_digit(digits[:6])
    if int(digits[6]) != expected:
        problems.append(
            (
                "dea",
                cited(
                    f"the check digit should be {expected}, not {digits[6]}: "
                    f"{digits[0]} + {digits[2]} + {digits[4]} = {int(digits[0]) + int(digits[2]) + int(digits[4])}; "
                    f"2 × ({digits[1]} + {digits[3]} + {digits[5]}) = {2 * (int(digits[1]) + int(digits[3]) + int(digits[5]))}; "
                    f"the total ends in {expected}",
                    CHECK_DIGIT_RULE,
                ),
            )
        )
    kind = registrant_type(first)
    if kind is None:
        notes.append(
            f"The first letter {first} is not in the cited registrant-type tables; the DEA adds "
            "letters as each runs out, so verify the registration with the DEA rather than reject it."
        )
    else:
        if prescriber and not kind.prescribes:
            problems.append(
                (
                    "dea",
                    cited(
                        f"a number starting with {first} belongs to a {kind.meaning}, not a prescriber",
                        kind.source,
                    ),
                )
            )
        if first == "X":
            notes.append(
                cited(
                    "An X number identified a DATA-waived buprenorphine prescriber. Since the waiver "
                    "ended, a buprenorphine prescription for opioid use disorder needs only the "
                    "prescriber's standard DEA registration number",
                    X_WAIVER,
                )
            )
    problems.extend(_surname_problems(second, last_name, business_name))
    if suffix:
        notes.append(
            f"The suffix -{suffix} identifies a prescriber working under an institution's "
            "registration; the check digit is that of the institution's number."
        )
    return result(problems, notes)


def _shape_message(text: str) -> str:
    rule = "DEA number format: two letters, then seven digits"
    if len(text) < 9:
        return cited(f"a DEA number has 9 characters; this has {len(text)}", rule)
    if not text[:2].isalpha() and not (text[0].isalpha() and text[1] == "9"):
        return cited("a DEA number starts with two letters (the second may be 9)", rule)
    return cited("a DEA number is two letters followed by seven digits", rule)


def _surname_problems(second: str, last_name: object, business_name: object) -> list[Problem]:
    names = [n for n in (last_name, business_name) if n is not None]
    if not names:
        return []
    if second == "9":
        return []
    initials = [initial_of(n) for n in names]
    known = [i for i in initials if i is not None]
    if not known:
        return []
    if second in known:
        return []
    who = "surname" if last_name is not None else "business name"
    return [
        (
            "dea",
            cited(
                f"the second letter {second} does not match the {who} initial {known[0]}",
                f"{SURNAME_RULE}, https://en.wikipedia.org/wiki/DEA_number",
            ),
        )
    ]
