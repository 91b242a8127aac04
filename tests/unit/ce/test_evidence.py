"""Certificate uploads: the type comes from the bytes, the size is bounded, the name is only a label."""

from __future__ import annotations

import pytest

from trainer.ce.evidence import MAX_CERTIFICATE_BYTES, check_certificate, safe_label, sniff

from .files import EXECUTABLE, image_bytes, pdf_bytes


@pytest.mark.parametrize(
    ("data", "kind", "mimetype"),
    [
        (pdf_bytes(), "pdf", "application/pdf"),
        (image_bytes("PNG"), "png", "image/png"),
        (image_bytes("JPEG"), "jpeg", "image/jpeg"),
    ],
    ids=["pdf", "png", "jpeg"],
)
def test_pdf_png_and_jpeg_are_accepted(data, kind, mimetype):
    checked, problems = check_certificate(data, "certificate.bin")
    assert problems == []
    assert (checked.kind, checked.mimetype, checked.size) == (kind, mimetype, len(data))


def test_a_renamed_executable_is_refused():
    checked, problems = check_certificate(EXECUTABLE, "certificate.pdf")
    assert checked is None
    assert problems == [("certificate", "Upload a PDF, PNG or JPEG file: this file is none of them.")]


@pytest.mark.parametrize(
    "data",
    [b"GIF89a" + b"\x00" * 50, b"<html><script>alert(1)</script></html>", b"plain text", b"PK\x03\x04zip"],
    ids=["gif", "html", "text", "zip"],
)
def test_other_types_are_refused_whatever_their_name(data):
    assert check_certificate(data, "scan.png")[0] is None


def test_the_name_does_not_decide_the_type():
    checked, _ = check_certificate(image_bytes("PNG"), "certificate.pdf")
    assert checked.kind == "png"
    assert checked.label == "certificate.png"


def test_a_file_over_5_mb_is_refused():
    big = pdf_bytes()[:-6] + b" " * (MAX_CERTIFICATE_BYTES) + b"%%EOF\n"
    checked, problems = check_certificate(big, "big.pdf")
    assert checked is None and "larger than 5 MB" in problems[0][1]


def test_exactly_5_mb_is_accepted():
    original = pdf_bytes()
    padded = original[:-6] + b" " * (MAX_CERTIFICATE_BYTES - len(original)) + b"%%EOF\n"
    assert len(padded) == MAX_CERTIFICATE_BYTES
    assert check_certificate(padded, "x.pdf")[1] == []


def test_an_empty_file_is_refused():
    assert check_certificate(b"", "x.pdf")[1] == [("certificate", "The file is empty.")]


def test_a_png_header_on_garbage_is_refused():
    assert check_certificate(b"\x89PNG\r\n\x1a\n" + b"junk" * 100, "x.png")[0] is None


def test_a_truncated_pdf_is_refused():
    assert "incomplete" in check_certificate(pdf_bytes()[:200], "x.pdf")[1][0][1]


def test_a_pdf_with_javascript_is_refused():
    data = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert "scripts" in check_certificate(data, "x.pdf")[1][0][1]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\evil.exe", "evil.pdf"),
        ("/absolute/path/cert.pdf", "cert.pdf"),
        ("....", "certificate.pdf"),
        ("", "certificate.pdf"),
        (None, "certificate.pdf"),
        ("name\x00with\nnull.pdf", "namewithnull.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("ok certificate 2025.PDF", "ok certificate 2025.pdf"),
    ],
)
def test_path_traversal_and_odd_names_become_a_plain_label(name, label):
    assert safe_label(name, ".pdf") == label


def test_a_very_long_name_is_shortened():
    assert len(safe_label("a" * 500 + ".pdf", ".pdf")) == 120


def test_sniff_reads_only_the_first_bytes():
    assert sniff(b"%PDF-1.7 rest") == "pdf"
    assert sniff(b"xx%PDF-1.7") is None
