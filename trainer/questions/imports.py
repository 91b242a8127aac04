"""One entry for every question file: size limit, format detection, decoding, the reader.

The import page and `flask trainer import-questions` both call `read_question_file`
with the uploaded bytes: it refuses an oversized or binary file with a clear message,
detects GIFT, Moodle XML, Aiken or a Canvas QTI package from the content (the uploader
can override), and runs the matching reader. The result is data: the questions, the
problems that kept questions out, and notes on what changed on the way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from trainer.content.source import SourceProblem
from trainer.questions.aiken import parse_aiken
from trainer.questions.gift import parse_gift
from trainer.questions.interchange import (
    FORMAT_LABELS,
    FORMATS,
    MAX_UPLOAD_BYTES,
    ImportResult,
    check_defaults,
)
from trainer.questions.moodle_xml import parse_moodle_xml
from trainer.questions.qti import parse_qti_zip

_AIKEN_ANSWER = re.compile(r"^ANSWER:\s*[A-Z]\s*$", re.MULTILINE)
_AIKEN_CHOICE = re.compile(r"^[A-Z][.)][ \t]+\S", re.MULTILINE)
_GIFT_BLOCK = re.compile(r"\{[^{}]*\}|^::|^\$CATEGORY:", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass
class FileImport:
    """What reading one uploaded file gave: its format and the reader's result."""

    format: str | None
    result: ImportResult

    @property
    def format_label(self) -> str:
        """The format's name for people."""
        return FORMAT_LABELS.get(self.format or "", "unknown")


def detect_format(data: bytes, filename: str = "") -> str | None:
    """The format a file is most likely in, from its content (and its name as a tie-break)."""
    if data[:4] == b"PK\x03\x04":
        return "qti"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<quiz", b"<!--")) and b"<quiz" in data[:65536]:
        return "moodle_xml"
    if head.startswith(b"<"):
        return "moodle_xml" if filename.lower().endswith(".xml") else None
    try:
        text = data[:262144].decode("utf-8", errors="replace")
    except ValueError:
        return None
    if _AIKEN_ANSWER.search(text) and _AIKEN_CHOICE.search(text) and "{" not in text:
        return "aiken"
    if _GIFT_BLOCK.search(text):
        return "gift"
    if filename.lower().endswith(".gift"):
        return "gift"
    return None


def _decode(data: bytes) -> str:
    """UTF-8 text (a byte order mark allowed; UTF-16 with its mark), or ValueError for binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8-sig")
    if "\x00" in text or len(_CONTROL.findall(text[:65536])) > 8:
        raise ValueError("binary")
    return text


def _refused(file: str, message: str, fmt: str | None = None) -> FileImport:
    return FileImport(fmt, ImportResult(problems=[SourceProblem(file, None, message, "file")]))


def read_question_file(
    data: bytes,
    filename: str = "upload",
    fmt: str | None = None,
    defaults: Mapping | None = None,
    require_metadata: bool = False,
) -> FileImport:
    """Read an uploaded question file of any supported format; problems come back as data."""
    check_defaults(defaults)
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown question file format {fmt!r}")
    if len(data) > MAX_UPLOAD_BYTES:
        return _refused(
            filename,
            f"the file is {len(data) / (1024 * 1024):.1f} MB; question files are limited to "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
            fmt,
        )
    if not data.strip():
        return _refused(filename, "the file is empty", fmt)
    is_zip = data[:4] == b"PK\x03\x04"
    text = None
    if not is_zip and fmt != "qti":
        try:
            text = _decode(data)
        except (UnicodeDecodeError, ValueError):
            return _refused(filename, "the file is not text (UTF-8): is it the right file?", fmt)
    fmt = fmt or detect_format(data, filename)
    if fmt is None:
        return _refused(
            filename,
            "the format could not be recognised: choose GIFT, Moodle XML, Aiken or Canvas QTI",
        )
    if fmt == "qti":
        if data[:4] != b"PK\x03\x04":
            return _refused(
                filename, "a Canvas QTI export is a .zip package; this file is not", fmt
            )
        return FileImport(fmt, parse_qti_zip(data, filename, defaults, require_metadata))
    try:
        text = _decode(data)
    except (UnicodeDecodeError, ValueError):
        return _refused(filename, "the file is not text (UTF-8): is it the right file?", fmt)
    if fmt == "moodle_xml":
        return FileImport(fmt, parse_moodle_xml(data, filename, defaults, require_metadata))
    if fmt == "aiken":
        return FileImport(fmt, parse_aiken(text, filename, defaults, require_metadata))
    result = parse_gift(text, filename, defaults, require_metadata)
    if not result.questions and not result.problems:
        result.problems.append(SourceProblem(filename, None, "the file holds no questions", "file"))
    return FileImport(fmt, result)
