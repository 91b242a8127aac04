"""Aiken: the simplest multiple-choice format Moodle reads and writes.

    Which schedule is hydrocodone/acetaminophen in?
    A. Schedule II
    B) Schedule III
    ANSWER: A

A question is its text, two or more choices labelled `A.` or `A)` with a space after,
and an `ANSWER:` line naming the right letter, as in Moodle's `question/format/aiken`.
Every text is plain. Moodle reads the question text from one line; this reader also
takes a text that runs over several lines (joined with line breaks), since that is
what an instructor who wrote it meant. Aiken has no feedback, explanation or weights:
the writer leaves out what Aiken cannot hold and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from trainer.questions.interchange import Collector, ImportResult
from trainer.questions.textformat import to_markdown

_CHOICE = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]#>+\-.)])")


def parse_aiken(
    text: str,
    file: str = "upload.txt",
    defaults: Mapping | None = None,
    require_metadata: bool = False,
) -> ImportResult:
    """Read Aiken text into single-choice questions, with a problem (and its line) per bad question."""
    collector = Collector(file, defaults, require_metadata, id_stem="aiken")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    stem: list[str] = []
    choices: list[tuple[str, str]] = []
    start = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if len(line) < 2 and not (line and stem and not choices):
            continue
        choice = _CHOICE.match(line)
        answer = _ANSWER.match(line)
        if collector.stopped:
            break
        if answer:
            label = f"question {collector.next_number()}"
            if start is None or not stem:
                collector.refuse(number, label, "an ANSWER: line with no question before it")
            elif len(choices) < 2:
                collector.refuse(start, label, "a question needs at least two choices (A. …, B. …)")
            else:
                letter = answer.group(1).strip()[:1]
                letters = [code for code, _ in choices]
                if letter not in letters:
                    collector.refuse(
                        number,
                        label,
                        f"the answer {letter or '(none)'!r} is not one of the choices",
                    )
                elif len(set(letters)) != len(letters):
                    collector.refuse(start, label, "two choices have the same letter")
                else:
                    collector.add(
                        {
                            "id": None,
                            "type": "single_choice",
                            "stem": to_markdown("\n".join(stem), "plain"),
                            "choices": [
                                {"text": body, **({"correct": True} if code == letter else {})}
                                for code, body in choices
                            ],
                        },
                        line=start,
                    )
            stem, choices, start = [], [], None
        elif choice and stem:
            choices.append((choice.group(1), choice.group(2).strip()))
        elif choices:
            label = f"question {collector.number + 1}"
            collector.refuse(number, label, "a line after the choices is not ANSWER: X")
            collector.next_number()
            stem, choices, start = [], [], None
        else:
            if start is None:
                start = number
            stem.append(line)
    if stem or choices:
        collector.refuse(
            start, f"question {collector.number + 1}", "the last question has no ANSWER: line"
        )
    return collector.result


def _why_not(question: dict) -> str | None:
    if question.get("type") != "single_choice":
        return (
            f"{question.get('type')} questions have no Aiken form (Aiken holds single choice only)"
        )
    choices = question["choices"]
    if len(choices) > 26:
        return "more than 26 choices"
    if sum(1 for c in choices if c.get("correct")) != 1 or any("weight" in c for c in choices):
        return "Aiken has one right answer and no partial credit"
    if any("\n" in c["text"] for c in choices):
        return "a choice runs over several lines"
    if any(c.get("format") == "html" for c in choices):
        return "a choice is formatted, and Aiken is plain text"
    return None


def write_aiken(questions: list[dict]) -> tuple[str, list[str]]:
    """Aiken text for the single-choice questions, and a line per question left out or reduced."""
    out: list[str] = []
    report: list[str] = []
    for question in questions:
        reason = _why_not(question)
        if reason:
            report.append(f"skipped {question.get('id')}: {reason}")
            continue
        plain_stem = _MARKDOWN_ESCAPE.sub(r"\1", question["stem"])
        stem_lines = [line for line in plain_stem.split("\n") if line.strip()]
        if any(_CHOICE.match(line.strip()) or _ANSWER.match(line.strip()) for line in stem_lines):
            report.append(
                f"skipped {question.get('id')}: its text has a line Aiken would read as a choice"
            )
            continue
        lost = [
            name
            for name in ("explanation", "feedback")
            if (name == "explanation" and question.get("explanation"))
            or (name == "feedback" and any(c.get("feedback") for c in question["choices"]))
        ]
        if lost:
            report.append(f"{question['id']}: Aiken has no place for the {' or '.join(lost)}")
        out.extend(line.strip() for line in stem_lines)
        letter = ""
        for index, choice in enumerate(question["choices"]):
            code = chr(ord("A") + index)
            out.append(f"{code}. {choice['text'].strip()}")
            if choice.get("correct"):
                letter = code
        out += [f"ANSWER: {letter}", ""]
    return "\n".join(out), report
