"""The one YAML loader refuses anchors, aliases and absurd nesting: their work is unbounded."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
import yaml

from trainer.content.source import MAX_YAML_DEPTH, ImportFailed, load_yaml, read_text
from trainer.questions.bank import dump_bank_file

ROOT = Path(__file__).resolve().parents[3]

# The probe's "billion laughs": 7 levels of nested aliases, 22.6 s and about 975 MB.
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(7)
)


def test_nested_aliases_are_refused_before_they_expand():
    with pytest.raises(ImportFailed, match=r"anchors \(&a\) are not allowed"):
        load_yaml(LAUGHS, "type fields")


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", r"anchors \(&x\) are not allowed"),
    ("b: *x\n", r"aliases \(\*x\) are not allowed"),
    ("base: &b {u: 1}\nother:\n  <<: *b\n", r"anchors \(&b\) are not allowed"),
])
def test_any_anchor_or_alias_is_refused_with_its_line(text, message):
    with pytest.raises(ImportFailed, match=message) as caught:
        load_yaml(text, "bank.yaml")
    assert caught.value.problems[0].line is not None


def test_nesting_deeper_than_any_content_file_is_refused_not_a_recursion_error():
    with pytest.raises(ImportFailed, match=f"nested more than {MAX_YAML_DEPTH} levels"):
        load_yaml("[" * 5000 + "]" * 5000, "type fields")
    assert load_yaml("[" * MAX_YAML_DEPTH + "]" * MAX_YAML_DEPTH, "ok") is not None


def test_an_ampersand_or_star_inside_text_is_just_text():
    assert load_yaml("stem: 'Dose & volume *per* day'\nnote: a&b *c\n", "x") == {
        "stem": "Dose & volume *per* day", "note": "a&b *c"}


def test_every_shipped_yaml_file_loads_without_anchors():
    files = [path for pattern in ("courses/**/*.yaml", "question_bank/**/*.yaml")
             for path in glob.glob(str(ROOT / pattern), recursive=True)]
    assert files
    for path in files:
        load_yaml(read_text(path), path)


def test_the_bank_writer_never_writes_an_alias_for_a_shared_value():
    shared = ["M"]
    text = dump_bank_file([{"id": "q-1", "type": "x", "settings": {"prefixes": shared}},
                           {"id": "q-2", "type": "x", "settings": {"prefixes": shared}}])
    assert "&" not in text and "*" not in text
    assert yaml.safe_load(text) == load_yaml(text, "round trip")
