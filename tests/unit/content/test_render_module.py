"""render_module: the markdown extensions, the glossary, directives, plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from trainer.content import ImportFailed, render_module, sanitize_html

GLOSSARY = {
    "bid": "twice a day",
    "BID": "twice a day",
    "mL": "milliliter",
    "q4h": "every 4 hours",
    "q4-6h": "every 4 to 6 hours",
    "qs": "a sufficient quantity",
    "qs ad": "add a sufficient quantity to make",
    "D/C": "discharge or discontinue",
    "µg": "microgram (error-prone)",
    "C-II": "Schedule II controlled substance",
}


def abbrs(html: str) -> list[tuple[str, str]]:
    """(text, title) of every <abbr> in the HTML."""
    return [
        (text, title) for title, text in re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', html)
    ]


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.found if name == tag]


# --- the extensions ------------------------------------------------------------------


def test_headings_get_ids_and_make_the_table_of_contents():
    rendered = render_module(
        "# Reading the sig\n\n## Routes & verbs\n\n### Eye drops\n\n## Timing\n"
    )
    assert rendered.toc == [
        (1, "reading-the-sig", "Reading the sig"),
        (2, "routes-verbs", "Routes & verbs"),
        (3, "eye-drops", "Eye drops"),
        (2, "timing", "Timing"),
    ]
    assert '<h2 id="routes-verbs">Routes &amp; verbs</h2>' in rendered.html


def test_toc_marker_renders_a_table_of_contents_box():
    rendered = render_module("[TOC]\n\n# One\n\n## Two\n")
    assert '<div class="toc">' in rendered.html
    assert '<a href="#two"' in rendered.html


def test_tables_keep_alignment_without_inline_styles():
    rendered = render_module("| sig | meaning |\n|:---|:---:|\n| bid | twice a day |\n")
    assert '<th align="left">sig</th>' in rendered.html
    assert '<td align="center">twice a day</td>' in rendered.html
    assert "style" not in rendered.html


def test_fenced_code_keeps_language_class_and_escapes_content():
    rendered = render_module('```python\nif dose < 5 and "x":\n    pass\n```\n')
    assert '<pre><code class="language-python">if dose &lt; 5 and "x":' in rendered.html


def test_admonitions_keep_their_classes_and_title():
    rendered = render_module('!!! warning "Check the strength"\n    Two strengths exist.\n')
    assert '<div class="admonition warning">' in rendered.html
    assert '<p class="admonition-title">Check the strength</p>' in rendered.html


def test_unknown_admonition_type_keeps_the_box_but_not_the_class():
    rendered = render_module('!!! btn-primary "Title"\n    Text.\n')
    assert '<div class="admonition">' in rendered.html


def test_attr_list_keeps_ids_and_drops_author_classes_and_other_attributes():
    rendered = render_module('## Storage {#storage .hidden-overlay data-x="1" }\n')
    (heading,) = Elements(rendered.html).named("h2")
    assert heading == {"id": "storage"}


def test_footnotes_link_both_ways():
    rendered = render_module("A claim[^1].\n\n[^1]: NCPDP D.0.\n")
    elements = Elements(rendered.html)
    assert {
        "class": "footnote-ref",
        "href": "#fn:1",
        "rel": "noopener noreferrer",
    } in elements.named("a")
    assert {"id": "fn:1"} in elements.named("li")
    assert {"id": "fnref:1"} in elements.named("sup")
    assert '<div class="footnote">' in rendered.html


def test_definition_lists():
    rendered = render_module("DAW 1\n:   Substitution not allowed by the prescriber.\n")
    assert (
        "<dl>\n<dt>DAW 1</dt>\n<dd>Substitution not allowed by the prescriber.</dd>\n</dl>"
        in rendered.html
    )


def test_abbreviations_defined_in_the_module():
    rendered = render_module(
        "The REMS program.\n\n*[REMS]: Risk Evaluation and Mitigation Strategy\n"
    )
    assert abbrs(rendered.html) == [("REMS", "Risk Evaluation and Mitigation Strategy")]


def test_links_get_rel_noopener_noreferrer():
    rendered = render_module(
        "[FDA](https://www.fda.gov) and [mail](mailto:a@example.org) and [rel](../x)\n"
    )
    links = Elements(rendered.html).named("a")
    assert [link["href"] for link in links] == [
        "https://www.fda.gov",
        "mailto:a@example.org",
        "../x",
    ]
    assert all(link["rel"] == "noopener noreferrer" for link in links)


def test_images_keep_src_alt_and_title():
    rendered = render_module('![A label](/static/label.png "Label")\n')
    assert Elements(rendered.html).named("img") == [
        {"alt": "A label", "src": "/static/label.png", "title": "Label"}
    ]


def test_rendering_is_deterministic():
    text = "# A\n\nText bid.\n\n[[check: kc-1]]\n\n[^1]\n\n[^1]: n\n"
    assert render_module(text, GLOSSARY) == render_module(text, GLOSSARY)


# --- the glossary ----------------------------------------------------------------------


def test_glossary_abbreviation_is_wrapped_everywhere_it_occurs():
    rendered = render_module("Take 5 mL po bid.\n\n- bid\n- 10 mL q4h\n", GLOSSARY)
    assert abbrs(rendered.html) == [
        ("mL", "milliliter"),
        ("bid", "twice a day"),
        ("bid", "twice a day"),
        ("mL", "milliliter"),
        ("q4h", "every 4 hours"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "forbid",  # inside a word
        "bidding",
        "5mL",  # digits are word characters too: write "5 mL"
        "Bid",  # matching is case-sensitive
        "b.i.d.",
        "q4hr",
        "C-III",  # C-II must not match the start of C-III
    ],
)
def test_glossary_does_not_match_inside_words_or_other_cases(text):
    assert abbrs(render_module(f"Text {text} here.\n", GLOSSARY).html) == []


def test_glossary_matches_next_to_punctuation():
    rendered = render_module("(bid), bid; bid. mL/hr BID-dosing\n", GLOSSARY)
    assert [text for text, _ in abbrs(rendered.html)] == ["bid", "bid", "bid", "mL", "BID"]


def test_glossary_prefers_the_longest_abbreviation():
    rendered = render_module("Give q4-6h; qs ad 100 mL; qs.\n", GLOSSARY)
    assert [text for text, _ in abbrs(rendered.html)] == ["q4-6h", "qs ad", "mL", "qs"]


def test_glossary_abbreviations_with_slash_space_and_micro_sign():
    rendered = render_module("D/C the order; 50 µg; C-II.\n", GLOSSARY)
    assert [text for text, _ in abbrs(rendered.html)] == ["D/C", "µg", "C-II"]


def test_glossary_leaves_code_and_urls_alone():
    rendered = render_module("`bid` and\n\n    bid\n\n[link](https://example.org/bid)\n", GLOSSARY)
    assert abbrs(rendered.html) == []
    assert 'href="https://example.org/bid"' in rendered.html


def test_module_can_override_or_switch_off_a_glossary_entry():
    text = 'Use bid and mL.\n\n*[bid]: two times daily\n*[mL]: ""\n'
    assert abbrs(render_module(text, GLOSSARY).html) == [("bid", "two times daily")]


def test_glossary_meaning_is_escaped_in_the_title():
    rendered = render_module("bid\n", {"bid": 'twice "a" day <b>'})
    (abbr,) = Elements(rendered.html).named("abbr")
    assert abbr == {"title": 'twice "a" day <b>'}


def test_heading_with_an_abbreviation_keeps_a_plain_toc_title():
    rendered = render_module("## Dosing bid\n", GLOSSARY)
    assert rendered.toc == [(2, "dosing-bid", "Dosing bid")]


# --- directives ----------------------------------------------------------------------


def test_check_directive_becomes_a_placeholder():
    rendered = render_module("# Sig\n\nText.\n\n[[check: rx-intake-kc-sig-01]]\n\nMore.\n")
    assert (
        '<div class="knowledge-check" data-question="rx-intake-kc-sig-01"></div>' in rendered.html
    )
    assert rendered.checks == ["rx-intake-kc-sig-01"]
    assert rendered.check_lines == [5]
    assert "<p>Text.</p>" in rendered.html and "<p>More.</p>" in rendered.html


def test_checks_are_listed_in_page_order_with_file_lines():
    text = "[[check: b-2]]\n\ntext\n\n[[check: a-1]]\n"
    rendered = render_module(text, first_line=9)
    assert rendered.checks == ["b-2", "a-1"]
    assert rendered.check_lines == [9, 13]
    places = [attrs["data-question"] for attrs in Elements(rendered.html).named("div")]
    assert places == ["b-2", "a-1"]


def test_directive_tolerates_spaces_and_adjacent_text_lines():
    rendered = render_module("Before.\n  [[ check :  kc-1 ]]  \nAfter.\n")
    assert rendered.checks == ["kc-1"]
    assert "<p>Before.</p>" in rendered.html and "<p>After.</p>" in rendered.html


def test_directive_inside_an_admonition():
    rendered = render_module('!!! tip "Try it"\n    Read this.\n\n    [[check: kc-1]]\n')
    assert rendered.checks == ["kc-1"]
    assert re.search(
        r'<div class="admonition tip">.*data-question="kc-1".*</div>', rendered.html, re.S
    )


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_directives_inside_fenced_code_are_text(fence):
    text = f"Show it:\n\n{fence}\n[[check: kc-1]]\n[[quiz: anything]]\n{fence}\n"
    rendered = render_module(text)
    assert rendered.checks == []
    assert "[[check: kc-1]]\n[[quiz: anything]]" in rendered.html
    assert "knowledge-check" not in rendered.html


def test_directive_in_a_code_span_or_html_comment_is_not_a_directive():
    rendered = render_module(
        "Write `[[check: kc-1]]` on its own line.\n\n<!-- [[check: kc-2]] -->\n"
    )
    assert rendered.checks == []
    assert "<code>[[check: kc-1]]</code>" in rendered.html


def test_unknown_directive_names_file_and_line():
    with pytest.raises(ImportFailed) as failed:
        render_module("# Sig\n\n[[quiz: rx-intake]]\n", file="courses/rx/03-sig.md", first_line=9)
    (problem,) = failed.value.problems
    assert (problem.file, problem.line) == ("courses/rx/03-sig.md", 11)
    assert problem.message == "unknown directive 'quiz' (known: check)"


@pytest.mark.parametrize(
    "line",
    [
        "[[check]]",
        "[[check kc-1]]",
        "[[check: ]]",
        "[[check: Kc-1]]",
        "[[check: kc 1]]",
        "[[check: kc-1",
        "[[check: kc_1]]",
        "[[check: <script>]]",
        "[[TOC]]",
    ],
)
def test_malformed_directive_names_file_and_line(line):
    with pytest.raises(ImportFailed) as failed:
        render_module(f"Text.\n\n{line}\n", file="m.md", first_line=20)
    (problem,) = failed.value.problems
    assert (problem.file, problem.line) == ("m.md", 22)
    assert "malformed directive" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "Answer this: [[check: kc-1]] now.",
        "- [[check: kc-1]]",
        "> [[check: kc-1]]",
        "| [[check: kc-1]] |",
    ],
)
def test_directive_that_is_not_on_a_line_of_its_own_is_an_error(text):
    with pytest.raises(ImportFailed) as failed:
        render_module(f"\n{text}\n")
    assert [(p.line, p.message) for p in failed.value.problems] == [
        (2, "a directive must stand on a line of its own")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<div>\n\n[[check: kc-1]]\n\n</div>",  # raw HTML is not markdown
        "Code:\n\n    x = 1\n    [[check: kc-1]]",  # indented code
    ],
)
def test_directive_that_does_not_end_up_a_paragraph_is_an_error(text):
    with pytest.raises(ImportFailed) as failed:
        render_module(text)
    (problem,) = failed.value.problems
    assert "paragraph of its own" in problem.message


def test_same_question_twice_is_an_error():
    with pytest.raises(ImportFailed) as failed:
        render_module("[[check: kc-1]]\n\n[[check: kc-1]]\n")
    (problem,) = failed.value.problems
    assert problem.line == 3 and "already checked on line 1" in problem.message


def test_every_directive_problem_is_reported_at_once():
    with pytest.raises(ImportFailed) as failed:
        render_module("[[quiz: a]]\n\n[[check: ok-1]]\n\n[[video: b]]\n\n[[check]]\n", file="m.md")
    assert [p.line for p in failed.value.problems] == [1, 5, 7]
    assert str(failed.value).splitlines()[0] == "m.md:1 unknown directive 'quiz' (known: check)"


def test_hand_written_placeholder_is_removed():
    text = '<div class="knowledge-check" data-question="post-test-q1"></div>\n\n[[check: kc-1]]\n'
    rendered = render_module(text)
    assert rendered.checks == ["kc-1"]
    assert Elements(rendered.html).named("div") == [
        {},
        {"class": "knowledge-check", "data-question": "kc-1"},
    ]


def test_links_that_look_like_directives_are_left_alone():
    rendered = render_module("[[1]](#ref) is a link.\n")
    assert rendered.checks == []


def test_crlf_line_ends_are_handled():
    rendered = render_module("# A\r\n\r\n[[check: kc-1]]\r\n")
    assert rendered.checks == ["kc-1"] and rendered.check_lines == [3]


# --- sanitising the output again -------------------------------------------------------


def test_stored_html_survives_sanitising_again_unchanged():
    text = (
        "[TOC]\n\n# Sig {#sig}\n\nTake po bid[^1].\n\n[[check: kc-1]]\n\n"
        '!!! note "N"\n    x\n\n| a |\n|:-:|\n| 1 |\n\n```py\nx\n```\n\nT\n:   D\n\n[^1]: n\n'
    )
    html = render_module(text, GLOSSARY).html
    assert sanitize_html(html) == html


def test_sanitize_html_keeps_a_well_formed_placeholder_only():
    assert sanitize_html('<div class="knowledge-check" data-question="kc-1"></div>') == (
        '<div class="knowledge-check" data-question="kc-1"></div>'
    )
    assert sanitize_html(
        '<div class="knowledge-check" data-question="x&quot; onclick=1"></div>'
    ) == ('<div class="knowledge-check"></div>')
    assert sanitize_html('<p class="knowledge-check" data-question="kc-1">x</p>') == "<p>x</p>"


# --- plain text and word count -------------------------------------------------------


def test_plain_text_is_the_readable_text_only():
    text = (
        "[TOC]\n\n# Reading the sig\n\nTake **one** tablet po bid[^1].\n\n"
        "[[check: kc-1]]\n\n- first\n- second\n\n[^1]: Twice daily.\n"
    )
    rendered = render_module(text, GLOSSARY)
    assert rendered.plain_text == (
        "Reading the sig\nTake one tablet po bid.\nfirst\nsecond\nTwice daily."
    )
    assert rendered.word_count == 12


def test_word_count_treats_numbers_and_hyphenated_words_as_one():
    assert (
        render_module("Give 0.5 mL q4-6h; don't crush extended-release tablets.\n").word_count == 8
    )


def test_text_with_thousands_of_brackets_is_refused_before_rendering():
    # Python-Markdown's time grows with the square of the bracket count.
    with pytest.raises(ImportFailed, match="square brackets"):
        render_module("[" * 1501, file="m.md")


def test_an_overlong_text_is_refused():
    with pytest.raises(ImportFailed, match="longer than"):
        render_module("a" * 200_001, file="m.md")
