"""The certificate and transcript PDFs open, hold the expected text, and the QR code decodes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pypdf
import pytest

from trainer.ce import load_rules, progress
from trainer.ce.documents import CertificateData, TranscriptHeading, certificate_pdf, transcript_pdf

from .factories import CYCLE_END, CYCLE_START, acpe, other

zxingcpp = pytest.importorskip("zxingcpp")

VERIFY_URL = "https://rxtrainer.example/verify/7Q4M-XK2P-9TBW-R3HD"


def certificate(**changes) -> CertificateData:
    fields = dict(
        learner="Dana Ortiz", course="Reading the Sig", hours=Decimal("1.5"), topic="05",
        completed=date(2025, 3, 1), uan="0669-0000-25-001-H05-T", code="7Q4M-XK2P-9TBW-R3HD",
        verify_url=VERIFY_URL,
    )  # fmt: skip
    return CertificateData(**{**fields, **changes})


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_certificate_opens_and_names_learner_course_hours_topic_date_uan_and_code():
    pdf = certificate_pdf(certificate())
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in ("Certificate of completion", "Dana Ortiz", "Reading the Sig", "1.5 contact hours",
                     "ACPE topic 05 (patient safety)", "1 March 2025", "0669-0000-25-001-H05-T",
                     "7Q4M-XK2P-9TBW-R3HD", VERIFY_URL):  # fmt: skip
        assert expected in text


def test_the_qr_code_decodes_to_the_verify_url():
    reader = pypdf.PdfReader(io.BytesIO(certificate_pdf(certificate())))
    (image,) = reader.pages[0].images
    assert [code.text for code in zxingcpp.read_barcodes(image.image)] == [VERIFY_URL]


def test_a_course_without_a_uan_says_it_is_not_acpe_credit():
    text = text_of(certificate_pdf(certificate(uan=None)))
    assert "it is not ACPE credit" in " ".join(text.split())
    assert "Universal Activity Number:" not in text


def test_a_name_outside_latin_1_prints_or_at_least_does_not_break_the_pdf():
    text = text_of(certificate_pdf(certificate(learner="Nguyễn Thị Minh Khai")))
    assert "Nguy" in text


def test_a_revoked_certificate_says_so():
    assert "REVOKED" in text_of(certificate_pdf(certificate(revoked=True)))


def test_the_transcript_lists_each_activity_how_it_counted_and_the_rules_applied():
    report = progress(load_rules("ptcb-cpht"), CYCLE_START, CYCLE_END, [
        acpe(2, "03", title="Law for technicians", provider="ASHP"),
        other("in_service", 3, title="Pharmacy in-service"),
    ], date(2026, 6, 1))  # fmt: skip
    heading = TranscriptHeading("Dana Ortiz", "PTCB Certified Pharmacy Technician (CPhT)", "12345678",
                                datetime(2026, 6, 1, tzinfo=UTC))  # fmt: skip
    text = " ".join(text_of(transcript_pdf(heading, report)).split())
    for expected in ("Dana Ortiz", "number 12345678", "1 January 2025 to 31 December 2026", "Law for technicians",
                     "Pharmacy in-service", "2 of 20 hours counted", "in force from 2 December 2020",
                     "https://www.ptcb.org/news/recertification-updates", "1 more hour of patient safety"):  # fmt: skip
        assert expected in text
