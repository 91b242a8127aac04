"""Moodle's four text formats, read into the site's two.

Moodle keeps a format with every text: `moodle` (HTML with automatic line breaks, the
GIFT default), `html`, `plain` and `markdown`. This site keeps stems and explanations as
markdown (which lets HTML through; everything is sanitised when rendered) and a choice's
text as plain text, or as sanitised HTML when the choice says `format: html`. Feedback
is plain text. Every importer goes through these functions, so a text means the same
thing whichever file it came from.
"""

from __future__ import annotations

import html
import re

from trainer.content.bounded import run_bounded
from trainer.content.render import plain_text_of
from trainer.content.sanitize import sanitize_html
from trainer.content.source import ImportFailed
from trainer.questions.interchange import Refused

# A question's text, a choice or a feedback longer than this is refused before it is
# rendered: markdown and sanitising work grows with the text.
MAX_TEXT_LENGTH = 20_000


def _markdown(text: str) -> str:
    """Plain markdown to HTML, in the bounded worker (trainer.content.bounded); Refused if too slow."""
    try:
        return run_bounded("markdown", (_bounded(text),), file="text")
    except ImportFailed as failed:
        raise Refused(failed.problems[0].message) from None


def _bounded(text: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        raise Refused(f"a text is longer than {MAX_TEXT_LENGTH:,} characters")
    return text


FORMATS = ("moodle", "html", "plain", "markdown")
_MARKUP = re.compile(r"<[A-Za-z!/]|&[#A-Za-z0-9]+;")
_MARKDOWN_SPECIAL = re.compile(r"[\\`*\[\]]|(?<!_)_{1,2}(?!_)")
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s)|[0-9]+[.)](?=\s|$))", re.MULTILINE)
_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.DOTALL)


def split_format_marker(text: str) -> tuple[str | None, str]:
    """(format, rest) when the text starts with [moodle], [html], [plain] or [markdown].

    As Moodle reads it: only a marker at the very start counts, the name is matched as
    written (lowercase), and an unknown name in brackets is ordinary text.
    """
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            return text[1:end], text[end + 1 :]
    return None, text


def looks_like_html(text: str) -> bool:
    """Whether text holds a tag or an entity (so it cannot be shown as plain text)."""
    return bool(_MARKUP.search(text))


def escape_markdown(text: str) -> str:
    """Text that markdown shows exactly as written (a blank _____ stays a blank)."""
    text = _MARKDOWN_SPECIAL.sub(lambda m: "".join("\\" + ch for ch in m.group(0)), text)
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def to_markdown(text: str, fmt: str) -> str:
    """A stem or explanation in the site's markdown, from text in a Moodle format."""
    _bounded(text)
    if fmt == "markdown":
        return text
    if fmt == "html":
        return sanitize_html(text).strip()
    if fmt == "moodle" and looks_like_html(text):
        # Moodle auto-format is HTML whose line breaks are kept
        return sanitize_html(text.replace("\n", "<br>\n")).strip()
    if fmt == "plain":
        text = html.escape(text, quote=False)
    return escape_markdown(text)


def to_choice(text: str, fmt: str) -> tuple[str, bool]:
    """(text, is_html) for a choice: plain unless the text needs HTML to mean what it says."""
    _bounded(text)
    if fmt == "plain":
        return text, False
    if fmt == "markdown":
        rendered = _markdown(text).strip()
        inner = _PARAGRAPH.fullmatch(rendered)
        if inner and "<" not in inner.group(1) and html.unescape(inner.group(1)) == text:
            return text, False
        return _inline(sanitize_html(rendered)), True
    if looks_like_html(text):
        return _inline(sanitize_html(text)), True
    return text, False


def to_plain(text: str, fmt: str) -> str:
    """Feedback as plain text: HTML and markdown reduced to what a reader sees."""
    _bounded(text)
    if fmt == "plain":
        return text
    if fmt == "markdown":
        return plain_text_of(sanitize_html(_markdown(text))) or text
    if looks_like_html(text):
        return plain_text_of(sanitize_html(text))
    return text


def _inline(rendered: str) -> str:
    inner = _PARAGRAPH.fullmatch(rendered.strip())
    return inner.group(1) if inner else rendered.strip()


def choice_is_html(choice: dict) -> bool:
    """Whether a stored choice's text is sanitised HTML rather than plain text."""
    return choice.get("format") == "html"
