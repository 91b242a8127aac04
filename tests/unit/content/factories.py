"""Small course folders for the content tests, built in tmp_path (never the shipped courses).

The texts are fixed strings so a test can name the exact line a problem must be
reported on; a test changes one line with `str.replace`, which keeps the numbering.
"""

from __future__ import annotations

from pathlib import Path

# Line numbers, for the tests: title 1, summary 2, audience 4, ce 5, hours 6, topic 7,
# activity_type 8, uan 9, post_test 10, quiz 11, pass_mark 12, prerequisites 13,
# references 14, status 16.
COURSE_YAML = """\
title: Prescription intake and processing
summary: |
  From the prescription in hand to a clean claim.
audience: both
ce:
  hours: 2
  topic: "04"
  activity_type: knowledge
  uan: null
post_test:
  quiz: rx-intake-post-test
  pass_mark: 80
prerequisites: []
references:
  - "21 CFR 1306.05 — manner of issuance of prescriptions"
status: published
"""

# Lines: --- 1, title 2, objectives 3 (item 4), minutes 5, references 6 (item 7), --- 8;
# the body starts on line 9: heading 10, text 12, check 14, text 16.
MODULE_MD = """\
---
title: Reading the sig
objectives:
  - Translate common sig abbreviations into patient directions
minutes: 20
references:
  - "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations"
---

# Reading the sig

Take one tablet po bid for ten days.

[[check: rx-intake-kc-sig-01]]

## Routes

The verb matches the route.
"""

SECOND_MODULE_MD = """\
---
title: NDC numbers
objectives:
  - Convert a 10-digit NDC to the 11-digit claim format
  - Explain why an NDC without hyphens is ambiguous
minutes: 15
references:
  - "FDA, National Drug Code Directory"
---

# NDC numbers

An NDC has three segments: labeler, product and package.

[[check: rx-intake-kc-ndc-01]]

[[check: rx-intake-kc-ndc-02]]
"""

GLOSSARY_YAML = """\
sources:
  - "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations"
abbreviations:
  PTCB: Pharmacy Technician Certification Board
  NPI: National Provider Identifier
  NDC: National Drug Code
"""


def make_course(
    root: Path,
    slug: str = "rx-intake",
    course_yaml: str | None = COURSE_YAML,
    modules: dict[str, str] | None = None,
) -> Path:
    """Write root/<slug>/course.yaml and module files; None for course_yaml leaves it out."""
    folder = Path(root) / slug
    folder.mkdir(parents=True, exist_ok=True)
    if course_yaml is not None:
        (folder / "course.yaml").write_text(course_yaml, encoding="utf-8")
    if modules is None:
        modules = {"01-sig-codes.md": MODULE_MD, "02-ndc-numbers.md": SECOND_MODULE_MD}
    for name, text in modules.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def make_glossary(root: Path, text: str = GLOSSARY_YAML) -> Path:
    """Write root/glossary.yaml."""
    path = Path(root) / "glossary.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
