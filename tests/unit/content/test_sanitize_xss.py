"""The sanitiser against an XSS corpus, in raw HTML and in markdown.

Every output is parsed with html.parser (which decodes entities the way a browser
does) and checked against an allowlist written here independently of the one in
trainer.content.sanitize: no tag or attribute outside it, no event handler, no URL
with a scheme other than http, https or mailto.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from trainer.content import ImportFailed, render_module, sanitize_html

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "id", "class", "href", "title", "src", "alt", "width", "height", "start",
    "colspan", "rowspan", "align", "open", "data-question", "rel",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = {"http", "https", "mailto"}

# Raw HTML payloads: checked through sanitize_html and through render_module.
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<script/xss src=http://xss.example/x.js></script>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" ONERROR="alert(1)">',
    "<img src=x onerror  =  alert(1)//",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<img """><script>alert(1)</script>">',
    '<img src="x` `<script>alert(1)</script>"` `>',
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href=" \x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<input type="image" src=x onerror=alert(1)>',
    '<isindex action="javascript:alert(1)" type=image>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background-image: url(javascript:alert(1))">x</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<a title='x\" onmouseover=\"alert(1)'>x</a>",
    '<a href="https://ok.example"title="x"onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "<x onclick=alert(1)>click</x>",
    '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    '<div class="knowledge-check admonition" data-question="post-test-q1" id="x">forged</div>',
    '<a href="javascript:alert(1)" <b>unclosed',
    '<img src="/ok.png" width="100" height="50 onload=alert(1)">',
]

# Markdown payloads: checked through render_module.
MARKDOWN_PAYLOADS = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript&#x3A;alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: javascript:alert(1) "title"',
    "![x][ref]\n\n[ref]: data:text/html,<script>alert(1)</script>",
    "<javascript:alert(1)>",
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    "[x](https://ok.example 'a\" onclick=\"alert(1)')",
    '[x](https://ok.example "a" onclick="alert(1)")',
    '# Heading {: onclick="alert(1)" }',
    'Paragraph\n{: onmouseover="alert(1)" style="color:red" }',
    "# Heading {: #x onclick=alert(1) .btn }",
    '[x](https://ok.example){: onclick="alert(1)" }',
    '[x](https://ok.example){: href="javascript:alert(1)" }',
    '![x](ok.png){: src="javascript:alert(1)" onerror="alert(1)" }',
    '# Heading {: id="x onclick=alert(1)" }',
    "*[HTML]: <script>alert(1)</script>\n\nHTML here",
    '*[XSS]: " onmouseover="alert(1)\n\nXSS here',
    "Text[^1]\n\n[^1]: <script>alert(1)</script>",
    'Text[^x" onclick="alert(1)]\n\n[^x" onclick="alert(1)]: note',
    "Text[^1]\n\n[^1]: [x](javascript:alert(1))",
    '!!! note "<img src=x onerror=alert(1)>"\n    body',
    '!!! danger onclick="alert(1)"\n    body',
    '```{.python onclick="alert(1)"}\ncode\n```',
    "```\n<script>alert(1)</script>\n```",
    "Term\n:   <script>alert(1)</script>",
    "Term\n:   [x](javascript:alert(1))",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "| a |\n|---|\n| [x](javascript:alert(1)) |",
    "[TOC]\n\n# <img src=x onerror=alert(1)>",
    "<div>[x](javascript:alert(1))</div>",
    "> [x](javascript:alert(1))",
    "- [x](javascript&#x3A;alert(1))",
    "[x](java\nscript:alert(1))",
    "**<img src=x onerror=alert(1)>**",
    "`<script>alert(1)</script>`",
    '<a href="javascript:alert(1)">[x](https://ok.example)</a>',
]


class Audit(HTMLParser):
    """Records every tag, attribute, comment and declaration in the HTML."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_comment(self, data):
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.other.append(f"processing instruction {data!r}")


def scheme_of(url: str) -> str | None:
    # Browsers ignore control characters and whitespace inside a scheme.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", squeezed)
    return match.group(1) if match else None


def assert_safe(html: str) -> None:
    """No tag, attribute or URL outside the allowlist; links carry rel=noopener."""
    assert "<script" not in html.lower()
    audit = Audit(html)
    assert audit.other == []
    for tag, attrs in audit.elements:
        assert tag in SAFE_TAGS, f"tag <{tag}> survived: {html}"
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), html
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler {name} survived: {html}"
            assert name in SAFE_ATTRIBUTES, f"attribute {name} on <{tag}> survived: {html}"
            if name in URL_ATTRIBUTES:
                scheme = scheme_of(value or "")
                assert scheme is None or scheme in SAFE_SCHEMES, (
                    f"{name}={value!r} survived: {html}"
                )
                squeezed = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
                for bad in ("javascript:", "vbscript:", "data:"):
                    assert bad not in squeezed, f"{name}={value!r} survived: {html}"
        if tag == "a":
            assert dict(attrs).get("rel") == "noopener noreferrer", html


def test_the_corpus_is_big_enough():
    assert len(HTML_PAYLOADS) + len(MARKDOWN_PAYLOADS) >= 50
    assert len(HTML_PAYLOADS) >= 25 and len(MARKDOWN_PAYLOADS) >= 25


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_raw_html_payload_is_neutralised_by_sanitize_html(payload):
    assert_safe(sanitize_html(payload))


@pytest.mark.parametrize("payload", HTML_PAYLOADS + MARKDOWN_PAYLOADS)
def test_payload_is_neutralised_in_a_module(payload):
    try:
        rendered = render_module(payload)
    except ImportFailed:  # refusing the module outright is safe too
        return
    assert_safe(rendered.html)
    assert "knowledge-check" not in rendered.html  # only a directive makes a placeholder


@pytest.mark.parametrize("payload", HTML_PAYLOADS + MARKDOWN_PAYLOADS)
def test_payload_is_neutralised_with_a_glossary_and_a_check(payload):
    text = f"Take bid.\n\n[[check: kc-1]]\n\n{payload}\n\nbid again.\n"
    try:
        rendered = render_module(text, {"bid": 'twice a day" onclick="alert(1)'})
    except ImportFailed:
        return
    assert_safe(rendered.html)
    assert rendered.html.count("knowledge-check") == 1


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<a href="https://ok.example/a?b=1&amp;c=2">x</a>', "https://ok.example/a?b=1&c=2"),
        ('<a href="mailto:help@example.org">x</a>', "mailto:help@example.org"),
        ('<a href="/courses/rx-intake">x</a>', "/courses/rx-intake"),
        ('<a href="#fn:1">x</a>', "#fn:1"),
        ('<a href="../02-ndc">x</a>', "../02-ndc"),
    ],
)
def test_safe_links_survive(source, expected):
    (element,) = Audit(sanitize_html(source)).elements
    assert dict(element[1]) == {"href": expected, "rel": "noopener noreferrer"}


def test_safe_markup_survives():
    source = (
        '<p>A <abbr title="twice a day">bid</abbr> <kbd>F2</kbd> <sup>1</sup> '
        '<img src="https://ok.example/a.png" alt="label"></p>'
        "<details><summary>More</summary><p>x</p></details>"
    )
    assert sanitize_html(source) == source


def test_style_and_script_content_is_removed_not_shown():
    assert (
        sanitize_html("<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>")
        == "<p>a</p><p>b</p>"
    )


def test_forbidden_wrappers_keep_their_harmless_text():
    assert sanitize_html("<form><button>Press</button></form>") == "Press"
