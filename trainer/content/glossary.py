"""The site-wide glossary of pharmacy abbreviations that feeds markdown's `abbr`.

Every whole-word, case-sensitive occurrence of an abbreviation in a module becomes
<abbr title="meaning">. Python-Markdown finds them with `\\b(?:bid|tid|…)\\b`, so an
abbreviation must begin and end with a letter or digit: `q.d.` could never match at the
end of a sentence, and `forbid` never matches `bid`.

Prescription shorthand (sig codes, routes, units, error-prone abbreviations) comes from
the one table the sig reader and the answer grader also read,
`trainer.rx.abbreviations`; glossary.yaml holds only the other terms (organisations,
claims, law) and may not define an abbreviation the table already has.
"""

from __future__ import annotations

import re

from trainer.rx.abbreviations import glossary_terms

from .source import ImportFailed, LineDict, LineList, ProblemList, load_yaml, read_text

# Letters or digits at both ends (for \b), and inside only word characters, '/', '-'
# or a single space ("D/C", "q4-6h", "sub q").
ABBREVIATION = re.compile(r"[^\W_](?:[\w/-]|(?<! ) (?! ))*(?<=[^\W_])")
_FIELDS = ("sources", "abbreviations")


def load_glossary(path, *, shared: bool = True) -> dict[str, str]:
    """glossary.yaml's terms with the shared abbreviation table's; raise ImportFailed naming file and line.

    `shared=False` reads the file alone.
    """
    file = str(path)
    data = load_yaml(read_text(path, file), file)
    problems = ProblemList(file)
    if not isinstance(data, LineDict):
        problems.add(1, "a glossary is a mapping with 'sources' and 'abbreviations'")
        raise ImportFailed(problems.problems)
    for key in data:
        if key not in _FIELDS:
            problems.add(data.line_of(key), f"unknown field {key!r} (known: {', '.join(_FIELDS)})")

    sources = data.get("sources")
    if not isinstance(sources, LineList) or not sources:
        problems.add(
            data.line_of("sources"), "must list the sources of the meanings", field="sources"
        )
    else:
        for index, source in enumerate(sources):
            if not isinstance(source, str) or not source.strip():
                problems.add(sources.line_of(index), "a source must be text", field="sources")

    entries = data.get("abbreviations")
    glossary: dict[str, str] = {}
    if not isinstance(entries, LineDict) or not entries:
        problems.add(
            data.line_of("abbreviations"),
            "must map each abbreviation to its meaning",
            field="abbreviations",
        )
    else:
        table = glossary_terms() if shared else {}
        for abbreviation, meaning in entries.items():
            line = entries.line_of(abbreviation)
            if isinstance(abbreviation, str) and abbreviation in table:
                problems.add(
                    line,
                    "is already in the shared abbreviation table (trainer/rx/abbreviations.py); "
                    "change it there so the sig reader and the grader agree",
                    item=abbreviation,
                )
                continue
            if not isinstance(abbreviation, str):
                # YAML reads a bare `no`, `on` or `1` as a boolean or a number
                problems.add(
                    line, f"quote the abbreviation {abbreviation!r}", item=str(abbreviation)
                )
            elif not ABBREVIATION.fullmatch(abbreviation):
                problems.add(
                    line,
                    "an abbreviation must begin and end with a letter or digit, with only "
                    "letters, digits, '/', '-' or single spaces between",
                    item=abbreviation,
                )
            elif not isinstance(meaning, str) or not meaning.strip():
                problems.add(line, "the meaning must be text", item=abbreviation)
            else:
                glossary[abbreviation] = " ".join(meaning.split())
    if problems:
        raise ImportFailed(problems.problems)
    if shared:
        return {**glossary_terms(), **glossary}
    return glossary
