"""Small real files for the upload tests: a PDF, a PNG and a JPEG made on the spot."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image


def pdf_bytes(text: str = "Certificate of completion") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(out, format=fmt)
    return out.getvalue()


# The first bytes of a Windows executable (an "MZ" header) followed by padding.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
