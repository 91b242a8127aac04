"""Whether a reference is one a learner can open: a public source, never a repository path.

A question or module cites the facts it teaches. Learners cannot see the repository, so a
citation of `shared/reference/…md` or of one of our own courses proves nothing to them;
a URL, a CFR or U.S.C. section, a Federal Register notice, a label or a published list
(ISMP, The Joint Commission, USP, NCPDP, PTCB…) does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Paths inside this repository, file names of our own sources, and our own course names.
_REPOSITORY_PATH = re.compile(
    r"(?<![\w/.])(?:shared|question_bank|courses|trainer|tests|docs)/"
    r"|(?<![\w/.])[\w-]+\.(?:md|ya?ml|py)\b"
    r"|\bRxTrainer (?:reference|course|module)\b",
    re.IGNORECASE,
)

_URL = re.compile(r"https?://[^\s)]+", re.IGNORECASE)

# A citation names something published outside the project: a statute or regulation, a
# Federal Register notice, a label, or a body whose lists and standards are public.
_PUBLIC_SOURCE = re.compile(
    r"\b\d+\s+(?:CFR|U\.?S\.?C\.?|FR)\b"
    r"|\bFederal Register\b|\bPublic Law\b|\bPub\. ?L\."
    r"|\bprescribing information\b|\bMedication Guide\b|\blabel(?:ing)?\b|\bDailyMed\b|\bOrange Book\b"
    r"|\b(?:FDA|DEA|CDC|ACIP|CMS|HHS|NIH|EPA|OSHA|NIOSH|NHLBI|NCCIH|ISMP|USP|USAN|NCPDP|PTCB|NHA|NABP|ASHP|NIST|NCC MERP|WHO|AHRQ)\b"
    r"|\bMedlinePlus\b"
    r"|\bJoint Commission\b|\bAnsel's Pharmaceutical Calculations\b"
    r"|\bN Engl J Med\b|\bJAMA\b|\bAm J Health-Syst Pharm\b",
)


def is_repository_path(reference: str) -> bool:
    """True when the reference points into this repository (a learner cannot open it)."""
    without_urls = _URL.sub(" ", reference)
    return bool(_REPOSITORY_PATH.search(without_urls))


def is_public_source(reference: str) -> bool:
    """True when the reference names a source a learner can open outside the application."""
    if is_repository_path(reference):
        return False
    return bool(_URL.search(reference) or _PUBLIC_SOURCE.search(reference))


def citation_problems(references: Iterable[str]) -> list[str]:
    """What is wrong with a list of references: repository paths, or no public source at all."""
    references = [r for r in references if isinstance(r, str)]
    problems = [
        f"cites a repository path, which learners cannot open: {r!r}"
        for r in references
        if is_repository_path(r)
    ]
    if not any(is_public_source(r) for r in references):
        problems.append("cites no public source (a URL, a CFR section, a label, a published list)")
    return problems
