"""Reading content files with line numbers, and reporting their problems as data.

Course files and question-bank files are written by people in an editor, so every
problem has to name the file and the line. PyYAML's `safe_load` forgets where a value
came from; the loader below keeps the line of every mapping, list and key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True)
class SourceProblem:
    """One problem found in a content file: where it is and what is wrong."""

    file: str
    line: int | None
    message: str
    item: str | None = None  # question id, module slug, quiz slug…
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.item:
            parts.append(f"[{self.item}]")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(self.message)
        return " ".join(parts)


class ImportFailed(Exception):
    """Raised when content cannot be imported; carries every problem found."""

    def __init__(self, problems: list[SourceProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int | None = None
    key_lines: dict

    def line_of(self, key) -> int | None:
        """The 1-based line of `key`, or of the mapping if the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that remembers the line it starts on and the line of each item."""

    line: int | None = None
    item_lines: list

    def line_of(self, index: int) -> int | None:
        """The 1-based line of item `index`."""
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


# Deeper than any course or bank file needs; PyYAML's composer and constructor recurse.
MAX_YAML_DEPTH = 40


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds LineDict/LineList; it still refuses arbitrary tags.

    It also refuses anchors and aliases (`&a`, `*a`): nested aliases let 400 bytes expand to
    a billion values (a "billion laughs"), and no content file needs them. Every YAML an
    instructor gives (files, imports, the question editor's type fields) is read here.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (*{event.anchor}) are not allowed; write the value out", event.start_mark
            )
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, f"anchors (&{event.anchor}) are not allowed; write the value out", event.start_mark
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            ) from exc
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str, file: str, first_line: int = 1):
    """Parse YAML text safely, keeping line numbers; raise ImportFailed naming file and line.

    `first_line` is the line of the file the text starts on (front matter starts on 2).
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{exc.context}: {message}"
        raise ImportFailed([SourceProblem(file, line, f"not valid YAML ({message})")]) from exc
    except yaml.YAMLError as exc:
        raise ImportFailed([SourceProblem(file, None, f"not valid YAML ({exc})")]) from exc
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(value, offset: int) -> None:
    if isinstance(value, LineDict):
        value.line = (value.line or 0) + offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for child in value.values():
            _shift_lines(child, offset)
    elif isinstance(value, LineList):
        value.line = (value.line or 0) + offset
        value.item_lines = [v + offset for v in value.item_lines]
        for child in value:
            _shift_lines(child, offset)


@dataclass
class ProblemList:
    """Collects problems for one file so a loader can report them all at once."""

    file: str
    problems: list[SourceProblem] = field(default_factory=list)

    def add(self, line, message, item=None, field=None) -> None:
        """Record one problem."""
        self.problems.append(SourceProblem(self.file, line, message, item, field))

    def __bool__(self) -> bool:
        return bool(self.problems)


def read_text(path, file: str | None = None) -> str:
    """Read a content file as UTF-8 text with '\\n' line ends; raise ImportFailed naming the file."""
    file = file or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailed([SourceProblem(file, None, f"cannot be read ({exc.strerror})")]) from exc
    try:
        text = raw.decode("utf-8-sig")  # editors on Windows like to add a BOM
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed([SourceProblem(file, line, "is not UTF-8 text")]) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
