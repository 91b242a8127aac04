"""What every question importer shares: defaults, ids, validation and the report.

A reader (GIFT, Moodle XML, Aiken, Canvas QTI) turns each question of a file into our
type's fields and hands them to a `Collector` with where it was found. The collector
fills in what the file cannot say from the uploader's defaults, makes the id unique,
validates, and keeps a problem per question that cannot be imported and a note per
thing that was imported but changed on the way (a format reduced to plain text, an
answer that has no place here).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from trainer.content.source import SourceProblem
from trainer.questions.question import (
    ID_PATTERN,
    MAX_ID_LENGTH,
    TAG_PATTERN,
    needs_explanation,
    validate_question,
)

DEFAULT_KEYS = ("tags", "difficulty", "blueprint", "references", "status", "id_prefix")
FORMATS = ("gift", "moodle_xml", "aiken", "qti")
FORMAT_LABELS = {
    "gift": "GIFT (Moodle)",
    "moodle_xml": "Moodle XML",
    "aiken": "Aiken",
    "qti": "Canvas QTI 1.2 (.zip)",
}
# Uploads larger than this are refused before any parsing starts.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 2000


@dataclass
class ImportResult:
    """Questions in our bank format, problems that kept a question out, and notes on changes."""

    questions: list[dict] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    notes: list[SourceProblem] = field(default_factory=list)


class Refused(ValueError):
    """A question (or a whole file) that cannot be imported; carries the message and field."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


# Every number in an imported file: at most this many digits either side of the point, so
# no reader builds a huge integer from 1e999999999.
MAX_NUMBER_EXPONENT = 30


def bounded_decimal(text: str, what: str = "the number") -> Decimal:
    """A finite Decimal of sensible size from file text; raise Refused otherwise."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        raise Refused(f"{what} {text.strip()[:40]!r} is not a number") from None
    if not value.is_finite() or (value and abs(value.adjusted()) > MAX_NUMBER_EXPONENT):
        raise Refused(f"{what} {text.strip()[:40]!r} is not a number of sensible size")
    if len(value.as_tuple().digits) > 2 * MAX_NUMBER_EXPONENT:
        raise Refused(f"{what} {text.strip()[:40]!r} has too many digits")
    return value


def slug(text: str, limit: int = 60) -> str:
    """Lowercase ASCII words joined by hyphens, at most `limit` characters, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(result) > limit:
        result = result[:limit].rsplit("-", 1)[0]
    return result


def category_tag(path: str) -> str | None:
    """The tag for a Moodle category path: its last real part ($course$/top/IV rates → iv-rates)."""
    skip = {"$course$", "$system$", "$module$", "$cat1$", "$cat2$", "$cat3$", "top", ""}
    parts = [p.strip() for p in path.split("/") if p.strip() not in skip]
    return (slug(parts[-1]) or None) if parts else None


def check_defaults(defaults: Mapping | None) -> dict:
    """The uploader's defaults; an unknown key is a programming error."""
    defaults = dict(defaults or {})
    unknown = set(defaults) - set(DEFAULT_KEYS)
    if unknown:
        raise ValueError(f"unknown question import defaults: {sorted(unknown)}")
    return defaults


class Collector:
    """Gathers one file's questions into an ImportResult, question by question."""

    def __init__(
        self,
        file: str,
        defaults: Mapping | None = None,
        require_metadata: bool = False,
        id_stem: str = "q",
    ):
        self.file = file
        self.defaults = check_defaults(defaults)
        self.require_metadata = require_metadata
        self.id_stem = id_stem
        self.result = ImportResult()
        self.used_ids: set[str] = set()
        self.number = 0
        # set once the file is over a limit: readers stop, and the one problem says why
        self.stopped = False

    def stop(self, message: str) -> None:
        """Give up on the rest of the file with one problem (a limit was reached)."""
        if not self.stopped:
            self.stopped = True
            self.result.problems.append(SourceProblem(self.file, None, message, "file"))

    def next_number(self) -> int:
        """Count one more question in the file (for default ids and labels)."""
        self.number += 1
        if self.number > MAX_QUESTIONS:
            self.stop(
                f"the file holds more than {MAX_QUESTIONS:,} questions: split it into smaller files"
            )
        return self.number

    def refuse(self, line: int | None, label: str, message: str, field: str | None = None) -> None:
        """Record a question that cannot be imported."""
        self.result.problems.append(SourceProblem(self.file, line, message, label, field))

    def note(self, line: int | None, label: str, message: str) -> None:
        """Record something imported with a change the instructor should know of."""
        self.result.notes.append(SourceProblem(self.file, line, message, label))

    def add(
        self,
        fields: dict,
        *,
        line: int | None,
        where: str | None = None,
        title: str | None = None,
        idnumber: str | None = None,
        tags: list[str] | tuple[str, ...] = (),
        meta: dict | None = None,
        notes: list[str] | tuple[str, ...] = (),
    ) -> dict | None:
        """Complete, validate and keep one question; None (and problems) if it is not valid.

        `where` (the line and element, say) starts the message of each problem, for formats
        whose problems must say where the question is beyond the file's line.
        """
        if self.stopped:
            return None
        all_tags = list(self.defaults.get("tags") or [])
        for tag in tags:
            tag = slug(tag) if not TAG_PATTERN.fullmatch(tag) else tag
            if tag and tag not in all_tags:
                all_tags.append(tag)
        question = {
            "id": None,
            **fields,
            "explanation": fields.get("explanation") or "",
            "tags": all_tags,
            "difficulty": self.defaults.get("difficulty", "medium"),
            "blueprint": list(self.defaults.get("blueprint") or []),
            "references": list(self.defaults.get("references") or []),
        }
        if "status" in self.defaults:
            question["status"] = self.defaults["status"]
        if meta:
            # a comment written by our own export fills in what the format cannot say; it
            # never overrides what the question itself says
            said = {"id", "type", *(k for k, v in fields.items() if v not in ("", None))}
            if "tolerance_percent" in meta:
                question.pop("tolerance", None)
            question.update({k: v for k, v in meta.items() if k not in said})
        if not question["id"]:
            base = slug(idnumber or "") or (slug(title) if title else "")
            question["id"] = self.defaults.get("id_prefix", "") + (
                base or f"{self.id_stem}-{self.number}"
            )
        question["id"] = self._unique(question["id"])
        notes = list(notes)
        if needs_explanation(question) and question.get("status", "published") != "draft":
            # nothing an instructor owns is left behind: it waits as a draft for its explanation
            question["status"] = "draft"
            notes.append("has no general feedback: imported as a draft that needs an explanation")
        problems = validate_question(question, require_metadata=self.require_metadata)
        if problems:
            for field_name, message in problems:
                self.refuse(line, question["id"], f"{where}: {message}" if where else message, field_name)
            return None
        self.used_ids.add(question["id"])
        self.result.questions.append(question)
        for message in notes:
            self.note(line, question["id"], message)
        return question

    def _unique(self, qid: str) -> str:
        if not ID_PATTERN.fullmatch(qid) or len(qid) > MAX_ID_LENGTH:
            return qid  # validation reports it
        candidate, n = qid, 2
        while candidate in self.used_ids:
            candidate = f"{qid}-{n}"
            n += 1
        return candidate
