"""Reading and writing the question bank files (question_bank/, format in its README.md).

Loading checks everything an import needs before anything is written: every field of
every question, ids unique across files, blueprint codes against blueprints.yaml, and
that each quiz's questions exist and its draws can be filled. Every problem found is
reported at once, naming the file, the line and the question id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trainer.content.source import (
    ImportFailed,
    LineDict,
    LineList,
    ProblemList,
    SourceProblem,
    load_yaml,
    read_text,
)
from trainer.questions.blueprints import Blueprints, read_blueprints
from trainer.questions.question import validate_question
from trainer.questions.quiz import QUIZ_FIELDS, quiz_bank_problems, validate_quiz
from trainer.questions.registry import QUESTION_TYPES

BLUEPRINTS_FILE = "blueprints.yaml"
QUIZZES_DIR = "quizzes"


@dataclass
class Bank:
    """A whole bank directory, checked: questions by id, quizzes by slug, the exam outlines."""

    questions: dict[str, dict] = field(default_factory=dict)
    quizzes: dict[str, dict] = field(default_factory=dict)
    blueprints: Blueprints = field(default_factory=Blueprints)
    # which file each question came from (relative to the bank root), so an export can
    # write it back to the same file
    question_files: dict[str, str] = field(default_factory=dict)


def plain_data(value):
    """Line-tracking containers from the loader as plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return value


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(node: object, field_path: str | None) -> int | None:
    """The line of `field_path` (e.g. "choices[1].text", "answer.family") inside a loaded mapping."""
    line = getattr(node, "line", None)
    if not field_path:
        return line
    current = node
    for name, index in _PATH_PART.findall(field_path):
        if isinstance(current, LineDict) and name in current:
            line = current.line_of(name)
            current = current[name]
        elif isinstance(current, LineList) and index and int(index) < len(current):
            line = current.line_of(int(index))
            current = current[int(index)]
        else:
            break
    return line


def _load(path: Path, label: str, problems: list[SourceProblem]):
    try:
        return load_yaml(read_text(path, label), label)
    except ImportFailed as exc:
        problems.extend(exc.problems)
        return None


def _read_questions(
    path: Path, label: str, problems: list[SourceProblem], blueprint_codes: frozenset[str] | None
) -> list[tuple[dict, object]]:
    """(question, loaded node) for each valid question of one file; problems go to `problems`."""
    data = _load(path, label, problems)
    if data is None:
        return []
    found = ProblemList(label)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        found.add(getattr(data, "line", 1), "a bank file must have a top-level `questions:` list")
        problems.extend(found.problems)
        return []
    for key in data:
        if key != "questions":
            found.add(
                data.line_of(key), f"unknown top-level key {key!r}; questions go in `questions:`"
            )
    result = []
    seen: dict[str, int | None] = {}
    questions = data["questions"]
    for index, node in enumerate(questions):
        qid = node.get("id") if isinstance(node, dict) else None
        item = qid if isinstance(qid, str) else f"questions[{index}]"
        if not isinstance(node, dict):
            found.add(questions.line_of(index), "a question must be a mapping of fields", item)
            continue
        question_problems = validate_question(node, blueprint_codes=blueprint_codes)
        for field_path, message in question_problems:
            found.add(line_of(node, field_path), message, item, field_path)
        if isinstance(qid, str) and qid in seen:
            found.add(
                node.line, f"the id {qid} is used twice in this file (line {seen[qid]})", item, "id"
            )
            continue
        if isinstance(qid, str):
            seen[qid] = node.line
        if not question_problems:
            result.append((plain_data(node), node))
    problems.extend(found.problems)
    return result


def load_bank_file(path: str | Path, blueprints: Blueprints | None = None) -> list[dict]:
    """The questions of one bank file, checked; raise ImportFailed with every problem.

    Blueprint codes are checked against `blueprints` when given (load_bank_dir does).
    """
    path = Path(path)
    problems: list[SourceProblem] = []
    codes = blueprints.codes if blueprints is not None else None
    questions = _read_questions(path, str(path), problems, codes)
    if problems:
        raise ImportFailed(problems)
    return [question for question, _ in questions]


def _question_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.yaml") if p.name != BLUEPRINTS_FILE)


def load_bank_dir(root: str | Path) -> Bank:
    """A whole bank directory, checked across files; raise ImportFailed with every problem."""
    root = Path(root)
    problems: list[SourceProblem] = []
    bank = Bank()
    blueprint_path = root / BLUEPRINTS_FILE
    codes: frozenset[str] | None = None
    if not blueprint_path.is_file():
        problems.append(
            SourceProblem(str(blueprint_path), None, "is missing: it lists the exam outlines")
        )
    else:
        data = _load(blueprint_path, str(blueprint_path), problems)
        if data is not None:
            found = ProblemList(str(blueprint_path))
            blueprints = read_blueprints(data, found)
            problems.extend(found.problems)
            bank.blueprints = Blueprints(
                outlines=plain_data(blueprints.outlines), titles=blueprints.titles
            )
            codes = bank.blueprints.codes
    first_seen: dict[str, tuple[str, int | None]] = {}
    for path in _question_files(root):
        label = str(path)
        for question, node in _read_questions(path, label, problems, codes):
            qid = question["id"]
            if qid in first_seen:
                other_file, other_line = first_seen[qid]
                problems.append(
                    SourceProblem(
                        label,
                        node.line,
                        f"the id {qid} is already used in {other_file}:{other_line}",
                        qid,
                        "id",
                    )
                )
                continue
            first_seen[qid] = (label, node.line)
            bank.questions[qid] = question
            bank.question_files[qid] = path.name
    for path in sorted((root / QUIZZES_DIR).glob("*.yaml")):
        _read_quiz(path, bank, problems)
    if problems:
        raise ImportFailed(problems)
    return bank


def _read_quiz(path: Path, bank: Bank, problems: list[SourceProblem]) -> None:
    label = str(path)
    data = _load(path, label, problems)
    if data is None:
        return
    found = ProblemList(label)
    slug = data.get("slug") if isinstance(data, dict) else None
    item = slug if isinstance(slug, str) else path.stem
    quiz_problems = validate_quiz(data)
    if not quiz_problems:
        if slug != path.stem:
            quiz_problems.append(("slug", f"must match the file name ({path.stem})"))
        if slug in bank.quizzes:
            quiz_problems.append(("slug", f"the quiz {slug} is defined twice"))
        quiz_problems.extend(quiz_bank_problems(data, bank.questions))
    for field_path, message in quiz_problems:
        found.add(line_of(data, field_path), message, item, field_path)
    problems.extend(found.problems)
    if not quiz_problems:
        bank.quizzes[slug] = plain_data(data)


# ---- writing the format back ----------------------------------------------------------


def dump_question(question: dict) -> dict:
    """A question as a bank file writes it: fields in the README's order, plain data only."""
    qtype = QUESTION_TYPES.get(question.get("type"))
    type_fields = qtype.fields if qtype is not None else ()
    head = ("id", "type", "status", "stem")
    tail = ("explanation", "tags", "difficulty", "blueprint", "references")
    order = [*head, *type_fields, *tail]
    ordered = {name: plain_data(question[name]) for name in order if name in question}
    # keep anything unexpected rather than lose it; the loader will name it
    ordered.update({k: plain_data(v) for k, v in question.items() if k not in ordered})
    return ordered


def dump_quiz(quiz: dict) -> dict:
    """A quiz as its file writes it, fields in the README's order."""
    ordered = {name: plain_data(quiz[name]) for name in QUIZ_FIELDS if name in quiz}
    ordered.update({k: plain_data(v) for k, v in quiz.items() if k not in ordered})
    return ordered


class _BankDumper(yaml.SafeDumper):
    """SafeDumper writing the way authors do: indented lists, multi-line text as | blocks."""

    def ignore_aliases(self, data):
        """Write shared values out in full: the loader refuses anchors and aliases."""
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        """Indent list items under their key, as the README's examples do."""
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BankDumper.add_representer(str, _represent_text)


def _dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100)


def dump_bank_file(questions: list[dict]) -> str:
    """The text of a bank file holding `questions`, readable by load_bank_file."""
    return _dump_yaml({"questions": [dump_question(q) for q in questions]})


def dump_quiz_file(quiz: dict) -> str:
    """The text of a quiz file."""
    return _dump_yaml(dump_quiz(quiz))
