"""Certificates a technician uploads as evidence of CE done elsewhere: what is accepted.

The type is decided from the bytes, never from the file name or the browser's
Content-Type: a renamed executable is refused because it does not start like a PDF,
PNG or JPEG, and an image must also decode. The name the person gave the file is kept
only as a label, cleaned of any folder part.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024
MAX_LABEL = 120
TYPES = {
    "pdf": ("application/pdf", ".pdf"),
    "png": ("image/png", ".png"),
    "jpeg": ("image/jpeg", ".jpg"),
}
_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
# Scripts, launch actions and attachments have no place in a certificate. This sees only
# what is not inside a compressed object stream, so it is a first filter: the real
# protection is that uploads are only ever served as downloads, never shown inline.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)\b")
_MAX_PIXELS = 40_000_000  # a photographed certificate is a few megapixels


@dataclass(frozen=True)
class CheckedFile:
    """An accepted certificate: its type, MIME type, extension and a safe label."""

    kind: str
    mimetype: str
    extension: str
    label: str
    size: int


def sniff(data: bytes) -> str | None:
    """'pdf', 'png' or 'jpeg' from the first bytes, or None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def safe_label(filename: str | None, extension: str) -> str:
    """The file's own name without folders or control characters, ending in `extension`."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[: MAX_LABEL - len(extension)].strip() or "certificate"
    return stem + extension


def check_certificate(data: bytes, filename: str | None) -> tuple[CheckedFile | None, list[tuple[str, str]]]:
    """Accept a PDF, PNG or JPEG of at most 5 MB; otherwise (None, [(field, message)])."""
    if not data:
        return None, [("certificate", "The file is empty.")]
    if len(data) > MAX_CERTIFICATE_BYTES:
        return None, [("certificate", "The file is larger than 5 MB. Upload a smaller scan or a PDF.")]
    kind = sniff(data)
    if kind is None:
        return None, [("certificate", "Upload a PDF, PNG or JPEG file: this file is none of them.")]
    problem = _pdf_problem(data) if kind == "pdf" else _image_problem(data, kind)
    if problem:
        return None, [("certificate", problem)]
    mimetype, extension = TYPES[kind]
    return CheckedFile(kind, mimetype, extension, safe_label(filename, extension), len(data)), []


def _pdf_problem(data: bytes) -> str | None:
    if b"%%EOF" not in data[-2048:]:
        return "This PDF is incomplete or damaged. Download the certificate again and upload that copy."
    if _PDF_ACTIVE.search(data):
        return "This PDF contains scripts or attachments. Print it to a new PDF and upload that copy."
    return None


def _image_problem(data: bytes, kind: str) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != {"png": "PNG", "jpeg": "JPEG"}[kind]:
                    return "The image's content does not match its type."
                if image.width * image.height > _MAX_PIXELS:
                    return "The image is too large in pixels. Upload a smaller scan."
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        return "This image cannot be read. Upload the certificate again as a PDF, PNG or JPEG."
    return None
