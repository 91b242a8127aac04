"""Malformed and hostile question files: one clear problem each, and no question comes out."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.questions.imports import detect_format, read_question_file
from trainer.questions.interchange import MAX_UPLOAD_BYTES

CANVAS_QUIZ = (Path(__file__).parent / "fixtures" / "canvas" / "quiz.xml").read_bytes()

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="essay"><name><text>&lol9;</text></name>
<questiontext><text>&lol9;</text></questiontext></question></quiz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>x</text></name>
<questiontext><text>&secret;</text></questiontext></question></quiz>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "http://127.0.0.1:9/evil.dtd">
<quiz><question type="essay"><name><text>x</text></name>
<questiontext><text>hi</text></questiontext></question></quiz>"""


def zipped(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refused(data: bytes, name: str = "upload", fmt: str | None = None) -> str:
    """The one problem a hostile file gives; the test fails if any question came out."""
    read = read_question_file(data, name, fmt)
    assert read.result.questions == []
    assert len(read.result.problems) == 1, [str(p) for p in read.result.problems]
    return read.result.problems[0].message


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_xml_with_a_dtd_or_entities_is_refused(document):
    assert "declares a DTD or entities, which are refused" in refused(document, "bomb.xml")


def test_a_fifty_megabyte_upload_is_refused_before_it_is_read():
    message = refused(b"::Q::Is it? {T}\n\n" * (50 * 1024 * 1024 // 17), "big.gift")
    assert "question files are limited to 5 MB" in message


def test_the_limit_is_the_documented_one():
    assert MAX_UPLOAD_BYTES == 5 * 1024 * 1024


@pytest.mark.parametrize(
    "name",
    ["../evil.xml", "/etc/evil.xml", "a/../../evil.xml", "C:/evil.xml", "..\\evil.xml"],
)
def test_a_zip_slip_in_a_qti_package_is_refused(name):
    data = zipped({"g1/g1.xml": CANVAS_QUIZ, name: CANVAS_QUIZ})
    assert "whose name leaves the package" in refused(data, "canvas.zip")


def test_a_zip_bomb_is_refused():
    data = zipped({"g1/g1.xml": CANVAS_QUIZ, "g1/huge.xml": b" " * (6 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "larger than 5 MB" in refused(data, "canvas.zip")


def test_a_bomb_in_a_qti_package_is_refused():
    data = zipped({"g1/g1.xml": BILLION_LAUGHS.replace(b"<quiz>", b"<questestinterop>")})
    assert "declares a DTD or entities" in refused(data, "canvas.zip")


def test_a_damaged_zip_is_refused():
    data = zipped({"g1/g1.xml": CANVAS_QUIZ})[:200]
    assert "not a readable .zip package" in refused(data, "canvas.zip", "qti")


@pytest.mark.parametrize(
    "junk",
    [
        bytes(range(256)) * 40,
        b"\x89PNG\r\n\x1a\n" + bytes(2000),
        b"%PDF-1.7\n" + bytes(range(256)) * 10,
        b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(500),
    ],
    ids=["bytes", "png", "pdf", "jpeg"],
)
@pytest.mark.parametrize("fmt", ["gift", "aiken", "moodle_xml"])
def test_binary_junk_is_refused_in_every_text_format(junk, fmt):
    message = refused(junk, "junk.bin", fmt)
    assert "not text" in message or "not well-formed XML" in message


def test_binary_junk_without_a_format_is_refused_as_not_text():
    assert "not text" in refused(bytes(range(256)) * 40, "junk.bin")


def test_text_in_no_known_format_asks_for_the_format():
    assert "could not be recognised" in refused(b"just some words", "notes.txt")


def test_an_empty_file_is_refused():
    assert refused(b"  \n", "empty.gift") == "the file is empty"


def test_malformed_xml_names_its_line():
    assert "not well-formed XML (line 3)" in refused(b"<quiz>\n<question>\n</quiz>", "bad.xml")


def test_deeply_nested_xml_is_read_without_crashing():
    data = b"<quiz>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</quiz>"
    read = read_question_file(data, "deep.xml")
    assert read.result.questions == [] and read.result.problems == []


def test_a_number_too_large_to_hold_is_a_problem_not_a_hang():
    read = read_question_file(b"::Big::How many? {#1e999999999}", "big.gift")
    assert read.result.questions == []
    assert "not a number of sensible size" in read.result.problems[0].message


def test_a_very_long_text_is_a_problem():
    read = read_question_file(b"::Long::Pick {=" + b"a" * 30_000 + b" ~b}", "long.gift")
    assert "longer than 20,000 characters" in read.result.problems[0].message


def test_many_wildcards_in_a_short_answer_grade_at_once():
    from trainer.questions import generate_question, grade_response

    read = read_question_file(b"::W::Say {=" + b"*a" * 400 + b"b}", "w.gift")
    instance = generate_question(read.result.questions[0], 0)
    assert grade_response(instance, "a" * 999).correct is False


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"::Q::Is it? {T}", "x.txt", "gift"),
        (b"<?xml version='1.0'?>\n<quiz></quiz>", "x", "moodle_xml"),
        (b"Q?\nA. a\nB. b\nANSWER: A\n", "x.txt", "aiken"),
        (zipped({"a.xml": b"<x/>"}), "x.zip", "qti"),
        (b"just some words", "notes.txt", None),
    ],
)
def test_the_format_is_detected_from_the_content(data, name, expected):
    assert detect_format(data, name) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.binary(max_size=3000), fmt=st.sampled_from([None, "gift", "aiken", "moodle_xml", "qti"])
)
def test_any_bytes_in_any_format_give_data_never_an_exception(data, fmt):
    read = read_question_file(data, "fuzz", fmt)
    assert all(isinstance(p.message, str) and p.message for p in read.result.problems)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("{}~=#:%->\\[]$/ \nabT1.0e")), max_size=300))
def test_any_gift_like_text_gives_data_never_an_exception(text):
    read = read_question_file(text.encode(), "fuzz.gift", "gift")
    for question in read.result.questions:
        assert question["id"] and question["type"]
