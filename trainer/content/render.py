"""Rendering a module's markdown to sanitised HTML, once, when it is saved or imported.

Besides the markdown extensions, a module body may hold directives: a line of its own
such as `[[check: rx-intake-kc-sig-01]]` embeds a knowledge-check question. Directives
are found line by line (so a problem names its line), swapped for random tokens that
markdown leaves alone, and the tokens become placeholders only after sanitising, so an
author cannot forge a placeholder in raw HTML that the list of checks does not know of.
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.toc import slugify
from markdown.treeprocessors import Treeprocessor

from .sanitize import CHECK_CLASS, QUESTION_ID, content_id, sanitize_module_html
from .source import ImportFailed, SourceProblem

MARKDOWN_EXTENSIONS = (
    "toc",
    "tables",
    "fenced_code",
    "admonition",
    "attr_list",
    "footnotes",
    "def_list",
    "abbr",
)
KNOWN_DIRECTIVES = ("check",)

_DIRECTIVE = re.compile(r"\[\[\s*(?P<name>[A-Za-z][\w-]*)\s*:\s*(?P<argument>.*?)\s*\]\]")
_DIRECTIVE_OPENING = re.compile(r"\[\[\s*[A-Za-z][\w-]*\s*:")
_DIRECTIVE_ANYWHERE = re.compile(r"\[\[\s*[A-Za-z][\w-]*\s*:[^\]\n]*\]\]")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


MAX_MARKDOWN_CHARACTERS = 200_000
MAX_BRACKETS = 1_500
# Room left in an id (at most 120 characters, the length of a stored reading position)
# for the "section-" of a renamed id and the "_2" that tells equal headings apart.
MAX_HEADING_SLUG = 100


@dataclass
class RenderedModule:
    """A module body rendered for storage: safe HTML and what the site needs beside it."""

    html: str
    toc: list[tuple[int, str, str]]  # (heading level, element id, heading text unescaped)
    checks: list[str]  # question ids of [[check: …]] directives, in page order
    plain_text: str  # for full-text search: paragraphs on their own lines
    word_count: int
    check_lines: list[int] = field(default_factory=list)  # file line of each check


@dataclass
class _Check:
    question: str
    line: int
    token: str


def refuse_before_rendering(markdown_text: str, file: str = "<text>", first_line: int = 1) -> str:
    """The text with '\\n' line ends, or ImportFailed when it is too long or holds too many brackets."""
    text = markdown_text.replace("\r\n", "\n").replace("\r", "\n")
    # Python-Markdown's link and reference patterns take time that grows with the square
    # of the number of brackets; a hostile or pasted text could hold a worker for minutes.
    # Real modules use a few dozen, so refuse before rendering rather than time out.
    if len(text) > MAX_MARKDOWN_CHARACTERS:
        raise ImportFailed(
            [
                SourceProblem(
                    file,
                    first_line,
                    f"the text is longer than {MAX_MARKDOWN_CHARACTERS:,} characters; split it into modules",
                )
            ]
        )
    brackets = text.count("[") + text.count("]")
    if brackets > MAX_BRACKETS:
        raise ImportFailed(
            [
                SourceProblem(
                    file,
                    first_line,
                    f"the text has {brackets:,} square brackets; at most {MAX_BRACKETS:,} are allowed",
                )
            ]
        )
    return text


def question_text_problems(text: str) -> list[str]:
    """Why a question's stem or explanation cannot be rendered, by the renderer's own rules; empty if fine.

    The same limits the renderer applies before it starts (length, square brackets), and no
    directives: a knowledge check belongs in a course module, and the renderer refuses one
    that is not a paragraph of its own. Checked when a question is saved or imported, so a
    saved question never fails when a learner's quiz renders it.
    """
    try:
        text = refuse_before_rendering(text)
    except ImportFailed as failed:
        return [problem.message for problem in failed.problems]
    if _DIRECTIVE_OPENING.search(_mask_non_directive_text(text)):
        return ["directives such as [[check: …]] belong in course modules, not in a question"]
    return []


def render_module(
    markdown_text: str,
    glossary: Mapping[str, str] | None = None,
    *,
    file: str = "<text>",
    first_line: int = 1,
) -> RenderedModule:
    """Render module markdown to sanitised HTML with toc, checks and plain text; raise ImportFailed.

    The work is bounded: it runs in a worker process with a deadline (trainer.content.bounded).
    """
    from .bounded import run_bounded

    refuse_before_rendering(markdown_text, file, first_line)  # cheap refusals need no worker
    if not markdown_text:
        # nothing to render: no need to wake the worker
        return render_module_in_process(markdown_text, glossary, file=file, first_line=first_line)
    return run_bounded("render", (markdown_text, dict(glossary or {})), {"file": file, "first_line": first_line},
                       file=file, line=first_line)


def render_module_in_process(
    markdown_text: str,
    glossary: Mapping[str, str] | None = None,
    *,
    file: str = "<text>",
    first_line: int = 1,
) -> RenderedModule:
    """render_module's work, unbounded: only the worker in trainer.content.bounded calls it."""
    text = refuse_before_rendering(markdown_text, file, first_line)
    problems: list[SourceProblem] = []
    prepared, checks = _replace_directives(text, file, first_line, problems)
    if problems:
        raise ImportFailed(problems)

    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, _ContentIds()],
        extension_configs={
            "abbr": {"glossary": dict(glossary or {})},
            "toc": {"slugify": _heading_slug},
            # align="…" instead of style="text-align: …": styles do not pass the sanitiser
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    try:
        safe = sanitize_module_html(md.convert(prepared))
    except RecursionError:
        # the definition-list and list processors recurse once per nested block
        raise ImportFailed([SourceProblem(
            file, first_line, "the text nests too deeply to render (definition lists, quotes or lists "
                              "inside each other): simplify it")]) from None

    for check in checks:
        paragraph = f"<p>{check.token}</p>"
        if safe.count(paragraph) == 1 and safe.count(check.token) == 1:
            placeholder = f'<div class="{CHECK_CLASS}" data-question="{check.question}"></div>'
            safe = safe.replace(paragraph, placeholder)
        else:
            problems.append(
                SourceProblem(
                    file,
                    check.line,
                    "a directive must be a paragraph of its own (blank line before and "
                    "after; not inside raw HTML or an indented code block)",
                )
            )
    if problems:
        raise ImportFailed(problems)

    plain = plain_text_of(safe)
    return RenderedModule(
        html=safe,
        toc=_flatten_toc(md.toc_tokens),
        checks=[c.question for c in checks],
        plain_text=plain,
        word_count=len(_WORD.findall(plain)),
        check_lines=[c.line for c in checks],
    )


def _heading_slug(value: str, separator: str) -> str:
    """toc's id for a heading, short, and never one of the ids the site's pages use."""
    slug = slugify(value, separator)[:MAX_HEADING_SLUG].strip(separator)
    # An empty slug is left to toc, which numbers it (_1, _2…).
    return (content_id(slug) or "") if slug else ""


class _ContentIdsProcessor(Treeprocessor):
    """Give every id an author wrote ({#main}) the name the sanitiser will keep."""

    # It runs after attr_list and before toc, so the table of contents lists the id the
    # page really has; an id the sanitiser would drop is removed here instead, and toc
    # then makes one for a heading.
    def run(self, root):
        for element in root.iter():
            value = element.get("id")
            if value is None:
                continue
            safe = content_id(value)
            if safe is None:
                del element.attrib["id"]
            else:
                element.set("id", safe)


class _ContentIds(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_ContentIdsProcessor(md), "content_ids", 6)


def _replace_directives(
    text: str, file: str, first_line: int, problems: list[SourceProblem]
) -> tuple[str, list[_Check]]:
    lines = text.split("\n")
    masked = _mask_non_directive_text(text).split("\n")
    nonce = secrets.token_hex(8)
    checks: list[_Check] = []
    seen: dict[str, int] = {}
    out: list[str] = []
    for index, (line, visible) in enumerate(zip(lines, masked, strict=True)):
        number = first_line + index
        stripped = visible.strip()
        if not _looks_like_directive(stripped):
            if _DIRECTIVE_ANYWHERE.search(visible):
                problems.append(
                    SourceProblem(file, number, "a directive must stand on a line of its own")
                )
            out.append(line)
            continue
        problem = _directive_problem(stripped, line, seen)
        if problem:
            problems.append(SourceProblem(file, number, problem))
            out.append(line)
            continue
        question = _DIRECTIVE.fullmatch(stripped)["argument"]
        seen[question] = number
        token = f"rxcheck{nonce}x{len(checks)}"
        checks.append(_Check(question, number, token))
        # Blank lines around the token make it a paragraph even when the author wrote
        # the directive straight after a line of text.
        if out and out[-1].strip():
            out.append("")
        out.append(line[: len(line) - len(line.lstrip())] + token)
        if index + 1 < len(lines) and lines[index + 1].strip():
            out.append("")
    return "\n".join(out), checks


def _looks_like_directive(stripped: str) -> bool:
    # `[[1]](#ref)` is a link, not a directive; `[[check kc-1]]` and `[[check: x` are
    # broken directives worth reporting rather than printing as text.
    return stripped.startswith("[[") and (
        stripped.endswith("]]") or bool(_DIRECTIVE_OPENING.match(stripped))
    )


def _directive_problem(stripped: str, line: str, seen: dict[str, int]) -> str | None:
    if line.strip() != stripped:
        return "a directive must stand on a line of its own"
    match = _DIRECTIVE.fullmatch(stripped)
    if match is None:
        return f"malformed directive {stripped!r} (expected [[check: QUESTION-ID]])"
    name, argument = match["name"], match["argument"]
    if name not in KNOWN_DIRECTIVES:
        return f"unknown directive {name!r} (known: {', '.join(KNOWN_DIRECTIVES)})"
    if not QUESTION_ID.fullmatch(argument):
        return (
            f"malformed directive {stripped!r}: {argument!r} is not a question id "
            "(lowercase letters, digits and hyphens)"
        )
    if argument in seen:
        return f"question {argument!r} is already checked on line {seen[argument]}"
    return None


def _mask_non_directive_text(text: str) -> str:
    """Blank out fenced code, HTML comments and code spans, keeping every line in place."""

    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    # Find fences exactly as the fenced_code extension does, so the two never disagree
    # about what is code.
    pattern = FencedBlockPreprocessor.FENCED_BLOCK_RE
    pieces, index = [], 0
    while match := pattern.search(text, index):
        if match.group("attrs"):
            _, remainder = get_attrs_and_remainder(match.group("attrs"))
            if remainder:  # not a fence to the extension either
                pieces.append(text[index : match.end("attrs")])
                index = match.end("attrs")
                continue
        pieces.append(text[index : match.start()])
        pieces.append(blank(match))
        index = match.end()
    pieces.append(text[index:])
    masked = "".join(pieces)
    masked = _HTML_COMMENT.sub(blank, masked)
    return "\n".join(_CODE_SPAN.sub(blank, line) for line in masked.split("\n"))


def _flatten_toc(tokens: list[dict]) -> list[tuple[int, str, str]]:
    flat: list[tuple[int, str, str]] = []
    for token in tokens:
        flat.append((token["level"], token["id"], html_lib.unescape(token["name"])))
        flat.extend(_flatten_toc(token["children"]))
    return flat


_VOID = frozenset({"br", "hr", "img", "wbr", "col", "input", "source", "area"})
_INLINE = frozenset(
    {
        "a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q",
        "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
    }
)  # fmt: skip
# Navigation, not content: the [TOC] box and footnote arrows would only add noise.
_NOT_TEXT_CLASSES = frozenset({"toc", "footnote-ref", "footnote-backref"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if not self.skipping:
                self.parts.append(" " if tag == "img" else "\n")
            return
        if self.skipping:
            self.skipping += 1
            return
        classes = set((dict(attrs).get("class") or "").split())
        if classes & _NOT_TEXT_CLASSES:
            self.skipping = 1
        elif tag not in _INLINE:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if self.skipping:
            self.skipping -= 1
        elif tag not in _INLINE:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def plain_text_of(html: str) -> str:
    """The readable text of sanitised HTML, one paragraph a line, for search indexing."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    paragraphs = (" ".join(chunk.split()) for chunk in "".join(collector.parts).split("\n"))
    return "\n".join(p for p in paragraphs if p)
