"""Ids in rendered text never take an id the site's own pages rely on, and the table of
contents always names the ids the HTML really has."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from trainer.content import render_module, sanitize_html
from trainer.content.render import MAX_HEADING_SLUG
from trainer.content.sanitize import (
    CONTENT_ID_PREFIX,
    LAYOUT_ID_PREFIXES,
    LAYOUT_IDS,
    content_id,
)
from trainer.services.progress import ANCHOR_MAX_LENGTH

TRAINER = Path(__file__).resolve().parents[3] / "trainer"


class Ids(HTMLParser):
    """Every id in the HTML, in order, and every in-page link."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if (attrs.get("href") or "").startswith("#"):
            self.fragments.append(attrs["href"][1:])


def test_a_heading_named_main_does_not_take_the_skip_links_target():
    rendered = render_module("# Main\n\nText.\n")
    assert Ids(rendered.html).ids == ["section-main"]
    assert rendered.toc == [(1, "section-main", "Main")]


def test_a_heading_named_like_a_knowledge_checks_box_is_renamed():
    rendered = render_module("## Check 1\n\nText.\n")
    assert rendered.toc == [(2, "section-check-1", "Check 1")]


def test_a_heading_named_like_an_editor_field_is_renamed():
    rendered = render_module("## References\n\nText.\n")
    assert rendered.toc == [(2, "section-references", "References")]


def test_ordinary_headings_keep_their_plain_ids():
    rendered = render_module("## Main points\n\n## Reading the sig\n")
    assert [anchor for _, anchor, _ in rendered.toc] == ["main-points", "reading-the-sig"]


def test_an_id_the_author_gives_a_heading_is_renamed_in_the_html_and_the_toc():
    rendered = render_module("## Storage {#module-body}\n")
    assert Ids(rendered.html).ids == ["section-module-body"]
    assert rendered.toc == [(2, "section-module-body", "Storage")]


def test_an_id_the_author_gives_a_paragraph_is_renamed():
    rendered = render_module("Text.\n{: #main }\n")
    assert Ids(rendered.html).ids == ["section-main"]


def test_an_id_in_raw_html_is_renamed():
    assert sanitize_html('<p id="main">x</p>') == '<p id="section-main">x</p>'
    assert Ids(render_module('<div id="toc-heading">x</div>\n').html).ids == ["section-toc-heading"]


def test_the_toc_marker_links_to_the_renamed_ids():
    rendered = render_module("[TOC]\n\n# Main\n\n## Main\n")
    found = Ids(rendered.html)
    assert found.fragments == ["section-main", "section-main_1"]
    assert found.ids == ["section-main", "section-main_1"]


def test_a_renamed_id_never_clashes_with_a_heading_of_that_name():
    rendered = render_module("## Section main\n\n## Main\n")
    assert [anchor for _, anchor, _ in rendered.toc] == ["section-main", "section-main_1"]


@pytest.mark.parametrize(
    "text",
    [
        "## Main\n\n## Main\n\n## main\n",
        "## " + "dose " * 60 + "\n",  # longer than an id may be
        "## -5 mg\n",  # a slug that would start with a hyphen
        "## ☃\n\n## ☃\n",  # nothing to make a slug of
        "## Storage {#" + "a" * 130 + "}\n",  # an author id too long to keep
        "## Storage {#-x}\n",  # an author id the sanitiser would refuse
        "## Über 5 mg/kg?\n\n## Dosing (adults) – 5%\n",
        "## A[^1]\n\n[^1]: note\n",
    ],
)
def test_every_toc_anchor_is_an_id_of_the_html(text):
    rendered = render_module(text)
    ids = Ids(rendered.html).ids
    assert rendered.toc
    for _, anchor, _ in rendered.toc:
        assert ids.count(anchor) == 1, (anchor, rendered.html)
        assert len(anchor) <= ANCHOR_MAX_LENGTH  # so the reading position can be stored


def test_a_long_heading_gets_a_shortened_id():
    rendered = render_module("## " + "dose " * 60 + "\n")
    ((_, anchor, _),) = rendered.toc
    assert anchor == ("dose-" * 60)[:MAX_HEADING_SLUG].strip("-")


def test_renamed_ids_survive_sanitising_again_unchanged():
    html = render_module("[TOC]\n\n# Main\n\n## Title {#title}\n\n<p id='main'>x</p>\n").html
    assert sanitize_html(html) == html


def test_the_renamed_form_of_an_id_is_never_a_layout_id():
    assert not any(layout.startswith(CONTENT_ID_PREFIX) for layout in LAYOUT_IDS)
    assert not CONTENT_ID_PREFIX.startswith(LAYOUT_ID_PREFIXES)
    assert {content_id(layout) for layout in LAYOUT_IDS} == {CONTENT_ID_PREFIX + i for i in LAYOUT_IDS}


# --- the list of layout ids against the templates ------------------------------------

# A template shows rendered text when it prints stored HTML; the ones it extends,
# includes or imports share its page.
SHOWS_RENDERED_TEXT = re.compile(r"_html\|safe|\{\{ (?:body|heading) \}\}|preview_html")
USES = re.compile(r"""\{%-?\s*(?:extends|include|from|import)\s+["']([^"']+)["']""")
ID = re.compile(r"""\bid=["']([^"']*)["']""")
FORM_FIELD = re.compile(r"\bform\.(\w+)")
NOT_FIELDS = {"errors", "form_errors", "hidden_tag", "data"}
# Ids made from a template variable: what the variable starts with.
VARIABLE_IDS = {"{{ base }}": ("check-",), "{{ label_id }}": ("progress-",),
                "{{ id }}": ("answer-hint", "check-")}  # amount_hint: the quiz's box, or a check's


def templates() -> dict[str, Path]:
    found = {}
    for folder in TRAINER.rglob("templates"):
        for path in folder.rglob("*.html"):
            found[path.relative_to(folder).as_posix()] = path
    return found


def pages_with_rendered_text() -> dict[str, str]:
    """Name → source of every template on a page that shows rendered text."""
    sources = {name: path.read_text() for name, path in templates().items()}
    uses = {name: set(USES.findall(source)) & sources.keys() for name, source in sources.items()}
    showing = {name for name, source in sources.items() if SHOWS_RENDERED_TEXT.search(source)}
    # A page that includes a partial showing rendered text shows it too…
    while grown := {name for name in sources if name not in showing and uses[name] & showing}:
        showing |= grown
    # …and everything a page is built from shares the page.
    todo, seen = list(showing), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(uses[name])
    assert {"courses/module.html", "teach/courses/module_form.html", "teach/questions/edit.html"} <= seen
    return {name: sources[name] for name in seen}


def test_every_id_on_a_page_with_rendered_text_is_a_layout_id():
    missing = []
    for name, source in pages_with_rendered_text().items():
        for value in ID.findall(source):
            if "{{" not in value:
                if value not in LAYOUT_IDS:
                    missing.append(f"{name}: {value}")
                continue
            literal = value.split("{{")[0]
            if value in ("{{ f.id }}", "{{ f.id }}-hint", "{{ f.id }}-error"):
                continue  # the form fields are checked below
            starts = (literal,) if literal else VARIABLE_IDS.get(value.split("}}")[0] + "}}")
            if starts is None or not all(start.startswith(LAYOUT_ID_PREFIXES) or start in LAYOUT_ID_PREFIXES
                                         or start in LAYOUT_IDS for start in starts):
                missing.append(f"{name}: {value}")
    assert missing == [], "add these to LAYOUT_IDS or LAYOUT_ID_PREFIXES in trainer/content/sanitize.py"


def test_the_variables_that_make_ids_start_as_the_list_says():
    sources = {name: path.read_text() for name, path in templates().items()}
    assert "{% set base = 'check-' ~ check.uid %}" in sources["courses/_check.html"]
    assert "course_progress(state, 'progress-' ~ course.id)" in sources["courses/catalog.html"]
    assert "amount_hint(view, 'answer-hint')" in sources["quizzes/_answer.html"]
    assert "amount_hint(view, base ~ '-hint')" in sources["courses/_check.html"]


def test_every_form_field_on_a_page_with_rendered_text_is_a_layout_id():
    missing = []
    for name, source in pages_with_rendered_text().items():
        for field in set(FORM_FIELD.findall(source)) - NOT_FIELDS:
            missing.extend(f"{name}: {field}{suffix}" for suffix in ("", "-hint", "-error")
                           if f"{field}{suffix}" not in LAYOUT_IDS)
    assert missing == [], "add these fields to _FORM_FIELDS in trainer/content/sanitize.py"
