"""The XSS corpus and the check that a served page holds nothing a browser would run.

The page is parsed with html5lib, the HTML5 parsing algorithm browsers use, so markup
that only becomes a script element or an event handler after parsing (mutation XSS,
foreign content in SVG and MathML) is seen as a browser would see it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import html5lib

CORPUS = Path(__file__).resolve().parent / "data" / "xss_payloads.txt"
_ESCAPE = re.compile(r"\\(n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")

# Attributes whose value a browser follows or runs as a URL.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "lowsrc", "dynsrc",
    "codebase", "cite", "longdesc", "usemap", "xlink:href", "srcset", "ping", "manifest", "icon",
    "values", "to", "from", "by",
}
# Elements that load or run something whatever their attributes.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "import"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application", "data:image/svg")
SITE_SCRIPT = re.compile(r"^/static/[\w./-]+\.js(\?[\w=.&-]*)?$")


def _unescape(line: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        return "\n" if code == "n" else chr(int(code[1:], 16))

    return _ESCAPE.sub(one, line)


def load_payloads() -> list[str]:
    """The corpus: one payload a line, "#|" lines are comments."""
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [_unescape(line) for line in lines if line.strip() and not line.startswith("#|")]


PAYLOADS = load_payloads()


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _scheme_of(value: str) -> str:
    # Browsers drop ASCII whitespace and control characters inside a URL's scheme.
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


def _dangerous_css(css: str) -> bool:
    """CSS that runs script or loads code: expression(), javascript: URLs, bindings, @import."""
    plain = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), css)
    plain = re.sub(r"/\*.*?\*/", "", _scheme_of(plain.replace("\\", "")))
    return bool(re.search(r"expression\(|javascript:|vbscript:|-moz-binding|behavior:|@import", plain))


def executable_parts(html: str) -> list[str]:
    """Everything in the page a browser would run: script, handlers, script URLs, loaders."""
    found = []
    # scripting=True: a browser with JavaScript on reads <noscript> as raw text, which is
    # what lets `<noscript><p title="</noscript><img onerror…>">` break out.
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True)
    tree = parser.parse(html, scripting=True)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = _local(element.tag)
        attributes = {_local(name): value for name, value in element.attrib.items()}
        if tag == "script":
            src = attributes.get("src") or attributes.get("href") or attributes.get("xlink:href") or ""
            inline = (element.text or "").strip()
            json_data = attributes.get("type", "").lower() == "application/json"
            if inline and not json_data or src and not SITE_SCRIPT.match(src):
                found.append(f"<script> {src or inline[:80]!r}")
        if tag == "style" and _dangerous_css(element.text or ""):
            found.append(f"<style> {(element.text or '')[:60]!r}")
        if tag in FORBIDDEN_ELEMENTS:
            found.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        if tag == "link" and attributes.get("rel", "").lower() == "import":
            found.append("<link rel=import>")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "srcdoc":
                found.append(f"<{tag} srcdoc>")
            elif name in URL_ATTRIBUTES and _scheme_of(value).startswith(DANGEROUS_SCHEMES):
                found.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "style" and _dangerous_css(value):
                found.append(f"<{tag} style={value[:60]!r}>")
            elif tag in {"animate", "set"} and name == "attributename" and value.lower().startswith(
                    ("on", "href", "xlink:href")):
                found.append(f"<{tag} attributeName={value!r}>")
    return found


def send_all(render: Callable[[list[int]], str], markers: Callable[[int], Iterable[str]],
             batch: int) -> list[str]:
    """Send every payload through `render` in batches; the problems found in the pages.

    `render(indices)` puts those payloads where the author writes and returns the served
    HTML; `markers(i)` is the harmless text written just before payload i. A payload
    that swallows what follows it (an unclosed <textarea> or code fence) hides the next
    markers, and one the site refuses (a form error) can take its whole batch with it, so
    those are sent again: every payload is seen rendered with nothing before it in its
    batch that could hide it. A payload whose marker is missing when it is sent alone was
    refused by the site, which is safe, but a sink that refuses more than a tenth of the
    corpus is reported: it would prove nothing.
    """
    problems: list[str] = []
    refused: list[int] = []
    everything = list(range(len(PAYLOADS)))
    queue = [everything[n:n + batch] for n in range(0, len(everything), batch)]
    while queue:
        chunk = queue.pop(0)
        html = render(chunk)
        problems += [f"payload {chunk} → {part}" for part in executable_parts(html)]
        missing = next((n for n, i in enumerate(chunk) if not all(m in html for m in markers(i))), None)
        if missing is None:
            continue
        if missing > 0:
            queue.insert(0, chunk[missing:])
        elif len(chunk) > 1:
            queue[:0] = [chunk[:1], chunk[1:]]
        else:
            refused.append(chunk[0])
    if len(refused) > len(PAYLOADS) // 10:
        problems.append(f"{len(refused)} payloads never reached the page: {refused}")
    return sorted(set(problems))
