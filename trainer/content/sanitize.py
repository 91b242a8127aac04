"""The HTML allowlist: what an instructor's markdown or HTML may turn into.

Instructors are not trusted with script, styles or event handlers, so everything that
Python-Markdown and our extensions do not produce is removed, silently. nh3 (ammonia)
parses the HTML the way a browser does, so obfuscated payloads (entities inside a
scheme, unclosed tags, broken quoting) are judged on what a browser would see.
"""

from __future__ import annotations

import re

import nh3

# What markdown + toc, tables, fenced_code, admonition, attr_list, footnotes, def_list
# and abbr produce, plus a few harmless text-level tags an author may write by hand.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
        "details", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
        "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u",
        "ul", "var",
    }
)  # fmt: skip

# Removed together with their content: their text would be code or noise, not prose.
REMOVED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "object", "embed",
        "applet", "svg", "math", "textarea", "select", "title", "xmp", "noembed",
        "noframes", "frameset", "frame",
    }
)  # fmt: skip

URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative URLs

# `class` and `id` pass for every allowed tag, then _filter_attribute narrows them.
_ATTRIBUTES = {
    "*": {"id", "class"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "details": {"open"},
}
# The tables extension is configured to write `align` instead of inline styles.
_ATTRIBUTE_VALUES = {
    "td": {"align": {"left", "center", "right"}},
    "th": {"align": {"left", "center", "right"}},
}
# Only the placeholder of a knowledge check carries data: one question id, on a div.
_CHECK_ATTRIBUTES = {**_ATTRIBUTES, "div": {"data-question"}}

CHECK_CLASS = "knowledge-check"

# Classes the extensions emit; author classes from attr_list ({: .foo }) are dropped so
# a module cannot dress itself up as site chrome (buttons, alerts, hidden overlays).
ADMONITION_TYPES = frozenset(
    {
        "note", "tip", "hint", "important", "warning", "caution", "attention",
        "danger", "error", "info", "example", "success", "question",
    }
)  # fmt: skip
_CLASSES_BY_TAG = {
    "div": {"admonition", "footnote", "toc"} | ADMONITION_TYPES,
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
    "span": {"toctitle"},
}
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
# At most 120 characters: a heading's id is stored as the learner's reading position.
_ID = re.compile(r"\w[\w:.-]{0,119}")
_NUMBER = re.compile(r"\d{1,4}")
QUESTION_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
# A scheme after leading blanks, control characters, quotes or backticks.
_URL_SCHEME = re.compile(r"[\x00-\x20\x7f`'\"]*([A-Za-z][A-Za-z0-9+.-]*):")

# Ids the site's own pages give elements that sit beside rendered text: the skip link's
# target, the landmarks and labels of the course, module and quiz pages, and the form
# fields of the catalog and of the two editors with a preview. A module heading "Main"
# would otherwise become id="main" as well, and the skip link, an aria-labelledby or a
# script would find the wrong element. tests/unit/content/test_content_ids.py checks the
# list against the templates, so a new id on one of those pages cannot be forgotten here.
_FORM_FIELDS = (
    "csrf_token",
    "audience", "topic", "hours",  # the catalog's filters
    "title", "slug", "objectives", "minutes", "references", "markdown", "version",  # module editor
    "id", "stem", "spec", "explanation", "tags", "difficulty", "blueprint", "status", "note",
    "base_version",  # the question editor
)  # fmt: skip
LAYOUT_IDS = frozenset(
    {
        "main",  # base.html
        "module-body", "finish-heading", "finish-hint", "module-references-heading",
        "modules-nav-heading", "toc-heading",  # the module page and its preview
        "progress-heading", "course-progress-label", "prerequisites-heading",
        "modules-heading", "post-test-heading", "references-heading",  # the course page
        "catalog-search",  # the catalog
        "module-form", "question-form", "preview-heading", "preview-status", "preview-body",
        "markdown-live-problems", "save-module", "pv-answer", "draft-heading",  # the editors
        "calcq-template-heading", "calcq-variables-hint", "calcq-derived-hint", "calcq-family",
        "calcq-params-hint", "calcq-sanity-hint", "calcq-sanity_min", "calcq-sanity_max", "calcq-more",
        "calcq-more-hint",  # the calculated question form
        "answer-form", "answer-input", "answer-hint", "answer-error", "flag-input",
        "question-title", "quiz-live", "time-left",  # the quiz pages
        "grade-question-heading", "grade-answer-heading", "grade-score", "grade-score-hint",
        "grade-score-error", "grade-comment", "grade-comment-error",  # grading an essay
    }
    | {f"{name}{suffix}" for name in _FORM_FIELDS for suffix in ("", "-hint", "-error")}
)  # fmt: skip
# Families of ids made per item: check-<question id>-… on the module page, the catalog's
# progress-<course id>, the quiz pages' question-<n>, order-<id> and pair-<id>, and the
# question editor preview's pv-…, and the calculated question form's calcq-….
LAYOUT_ID_PREFIXES = ("check-", "progress-", "question-", "order-", "pair-", "pv-", "calcq-")
# What a clashing id becomes; no id of the layout starts with it.
CONTENT_ID_PREFIX = "section-"


def content_id(value: str) -> str | None:
    """The id rendered text may give an element: `value`, `section-value` if the layout uses it, or None."""
    if value in LAYOUT_IDS or value.startswith(LAYOUT_ID_PREFIXES):
        value = CONTENT_ID_PREFIX + value
    return value if _ID.fullmatch(value) else None


def _class_filter(tag: str, value: str, allow_checks: bool) -> str | None:
    allowed = _CLASSES_BY_TAG.get(tag, set())
    kept = []
    for name in value.split():
        if (
            name in allowed
            or (tag == "code" and _LANGUAGE_CLASS.fullmatch(name))
            or (allow_checks and tag == "div" and name == CHECK_CLASS)
        ):
            kept.append(name)
    return " ".join(kept) or None


def _plainly_safe_url(value: str) -> bool:
    # nh3 already refuses other schemes as a browser would parse them; this second look
    # also refuses what only a sloppier parser might read as one ("jav  ascript:",
    # "`javascript:`"), so no reader of the stored HTML can be talked into a script URL.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", value)
    match = _URL_SCHEME.match(squeezed)
    return match is None or match.group(1).lower() in URL_SCHEMES


def _attribute_filter(allow_checks: bool):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            return _class_filter(tag, value, allow_checks)
        if attribute == "id":
            # Markdown's ids were made safe while rendering; this catches raw HTML.
            return content_id(value)
        if attribute in {"start", "colspan", "rowspan", "width", "height"}:
            return value if _NUMBER.fullmatch(value) else None
        if attribute == "data-question":
            return value if QUESTION_ID.fullmatch(value) else None
        if attribute == "open":
            return ""
        if attribute in {"href", "src"} and not _plainly_safe_url(value):
            return None
        return value

    return keep


def _clean(html: str, *, allow_checks: bool) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=_CHECK_ATTRIBUTES if allow_checks else _ATTRIBUTES,
        tag_attribute_values=_ATTRIBUTE_VALUES,
        attribute_filter=_attribute_filter(allow_checks),
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Reduce HTML to the allowlist: safe tags, attributes and http(s)/mailto/relative URLs."""
    # The check placeholder is allowed so that stored module HTML survives a second pass;
    # render_module itself never lets an author's own placeholder through.
    return _clean(html, allow_checks=True)


def sanitize_module_html(html: str) -> str:
    """Sanitise rendered module HTML, dropping any hand-written knowledge-check placeholder."""
    return _clean(html, allow_checks=False)
