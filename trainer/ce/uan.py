"""ACPE Universal Activity Numbers: PPPP-JJJJ-YY-SSS-FTT-A, e.g. 0669-0000-23-023-H03-T.

Sources: https://www.acpe-accredit.org/universal-activity-numbers/ and, for the
topic designators, https://elearning.ashp.org/acpe-designations. Provider ids are not
always four digits: jointly accredited providers carry ids such as JA4008164, so a
digits-only pattern would refuse real numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ACPE topic designators. Technician activities use the same designators as pharmacist
# ones; what marks an activity as technician-specific is the audience letter T.
TOPICS = {
    "01": "disease state management / drug therapy",
    "02": "HIV/AIDS therapy",
    "03": "pharmacy law",
    "04": "general pharmacy",
    "05": "patient safety",
    "06": "immunizations",
    "07": "compounding",
    "08": "pain management / opioids",
}

FORMATS = {"L": "live", "H": "home study", "B": "blended (live and home-study parts)"}
AUDIENCES = {"P": "pharmacist", "T": "pharmacy technician"}
JOINT_NONE = "0000"  # no joint provider; 9999 marks a jointly provided activity

EXAMPLE = "0669-0000-23-023-H03-T"
SHAPE = "PPPP-JJJJ-YY-SSS-FTT-A"

# A provider or joint-provider id: four digits, or letters followed by digits (JA4008164).
_ID = r"\d{4}|[A-Z]{1,3}\d{4,9}"
_PARTS = [
    ("provider", re.compile(_ID), "the provider id is four digits or letters and digits, e.g. 0669 or JA4008164"),
    ("joint", re.compile(_ID), "the joint-provider code is four digits (0000 when there is none)"),
    ("year", re.compile(r"\d{2}"), "the release year is two digits, e.g. 23"),
    ("sequence", re.compile(r"\d{3}"), "the sequence number is three digits, e.g. 023"),
    ("designator", re.compile(r"[A-Z]\d{2}"), "the fifth part is a format letter and a two-digit topic, e.g. H03"),
    ("audience", re.compile(r"[A-Z]"), "the audience is one letter, P or T"),
]


class UanError(ValueError):
    """A text that is not a well-formed UAN; `problems` holds (field, message) pairs."""

    def __init__(self, text: str, problems: list[tuple[str, str]]):
        self.text = text
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


@dataclass(frozen=True)
class Uan:
    """The parts of a Universal Activity Number."""

    provider: str
    joint: str
    year: int
    sequence: str
    format: str
    topic: str
    audience: str

    def __str__(self) -> str:
        return (
            f"{self.provider}-{self.joint}-{self.year % 100:02d}-{self.sequence}"
            f"-{self.format}{self.topic}-{self.audience}"
        )

    @property
    def topic_name(self) -> str:
        """The topic designator in words, e.g. 'patient safety'."""
        return TOPICS[self.topic]

    @property
    def is_technician(self) -> bool:
        """True for a technician-audience (T) number."""
        return self.audience == "T"


def _century(two_digits: int) -> int:
    # UANs began in the late 1990s; two digits from 70 up are read as the 1900s.
    return (1900 if two_digits >= 70 else 2000) + two_digits


def uan_problems(text: str) -> list[tuple[str, str]]:
    """Everything wrong with `text` as a UAN, as (field, message) pairs; empty when it is fine."""
    if not isinstance(text, str) or not text.strip():
        return [("uan", f"Enter the activity number, shaped {SHAPE}, e.g. {EXAMPLE}.")]
    parts = text.strip().upper().split("-")
    if len(parts) != len(_PARTS):
        return [(
            "uan",
            f"A UAN has six parts separated by hyphens ({SHAPE}, e.g. {EXAMPLE}); "
            f"this one has {len(parts)}.",
        )]
    problems = []
    for (field, pattern, message), part in zip(_PARTS, parts, strict=True):
        if not pattern.fullmatch(part):
            problems.append((field, f"{message}, not {part!r}."))
    if problems:
        return problems
    designator, audience = parts[4], parts[5]
    if designator[0] not in FORMATS:
        problems.append(
            ("format", f"The format letter is L (live), H (home study) or B (blended), not {designator[0]!r}.")
        )
    if designator[1:] not in TOPICS:
        problems.append(
            ("topic", f"The topic designator is 01–08 (ACPE's topics), not {designator[1:]!r}.")
        )
    if audience not in AUDIENCES:
        problems.append(
            ("audience", f"The audience is P (pharmacist) or T (pharmacy technician), not {audience!r}.")
        )
    return problems


def parse_uan(text: str) -> Uan:
    """Parse a Universal Activity Number; raise UanError saying what is wrong."""
    problems = uan_problems(text)
    if problems:
        raise UanError(text, problems)
    provider, joint, year, sequence, designator, audience = text.strip().upper().split("-")
    return Uan(
        provider=provider,
        joint=joint,
        year=_century(int(year)),
        sequence=sequence,
        format=designator[0],
        topic=designator[1:],
        audience=audience,
    )
