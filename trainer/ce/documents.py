"""PDF documents: a course certificate with its verification QR code, and a cycle transcript.

fpdf2 draws the pages and segno the QR code. A Unicode font (DejaVu Sans) is used
when the system has it, so names such as “Nguyễn” print as written; without it the
PDF core font is used and characters outside Latin-1 print as “?”.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from trainer.ce.progress import Report, hours_text
from trainer.ce.rules import KIND_NAMES, long_date
from trainer.ce.uan import FORMATS, TOPICS

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
NOT_ACPE = (
    "This course has no ACPE Universal Activity Number. This is a certificate of completion "
    "from this site; it is not ACPE credit and does not appear in CPE Monitor."
)
STATUS_WORDS = {
    "complete": "Complete",
    "on_track": "On track",
    "at_risk": "At risk",
    "overdue": "Overdue",
}


@dataclass(frozen=True)
class CertificateData:
    """What a course certificate says."""

    learner: str
    course: str
    hours: Decimal
    topic: str
    completed: date
    uan: str | None
    code: str
    verify_url: str
    site: str = "RxTrainer"
    revoked: bool = False


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Document(FPDF):
    def __init__(self, title: str, site: str, orientation: str = "portrait"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.site = site
        fonts = _font_files()
        if fonts:
            self.add_font("Body", "", str(fonts[0]))
            self.add_font("Body", "B", str(fonts[1]))
            self.family = "Body"
            self.unicode = True
        else:
            self.family = "Helvetica"
            self.unicode = False
        self.set_title(self.text_of(title))
        self.set_author(self.text_of(site))
        self.set_creator(self.text_of(site))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def text_of(self, value) -> str:
        text = "" if value is None else str(value)
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def line_of_text(self, text: str, size: float = 11, bold: bool = False, align: str = "L", height=None):
        self.font(size, bold)
        self.multi_cell(0, height or size * 0.5, self.text_of(text), align=align,
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip

    def footer(self):
        self.set_y(-12)
        self.font(8)
        self.cell(0, 5, self.text_of(f"{self.site} · page {self.page_no()}"), align="C")


def qr_png(url: str) -> bytes:
    """A QR code for `url` as PNG bytes (error correction M, a quiet zone of 4 modules)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def certificate_pdf(data: CertificateData) -> bytes:
    """A one-page certificate of completion with a QR code that opens the verify page."""
    pdf = _Document(f"Certificate of completion: {data.course}", data.site, orientation="landscape")
    pdf.add_page()
    pdf.set_draw_color(40, 70, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_y(28)
    pdf.line_of_text(data.site, 12, align="C")
    pdf.line_of_text("Certificate of completion", 26, bold=True, align="C", height=14)
    if data.revoked:
        pdf.set_text_color(160, 0, 0)
        pdf.line_of_text("REVOKED: this certificate is no longer valid.", 14, bold=True, align="C")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    pdf.line_of_text("This certifies that", 12, align="C")
    pdf.line_of_text(data.learner, 22, bold=True, align="C", height=12)
    pdf.line_of_text("completed the course", 12, align="C")
    pdf.line_of_text(data.course, 16, bold=True, align="C", height=9)
    pdf.ln(4)
    topic = TOPICS.get(data.topic, "")
    pdf.line_of_text(
        f"{hours_text(data.hours)} contact hours · ACPE topic {data.topic} ({topic}) · "
        f"completed {long_date(data.completed)}",
        12, align="C",
    )  # fmt: skip
    if data.uan:
        pdf.line_of_text(f"ACPE Universal Activity Number: {data.uan}", 12, align="C")
    else:
        pdf.set_x(40)
        pdf.font(10)
        pdf.multi_cell(pdf.w - 80, 5, pdf.text_of(NOT_ACPE), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    size = 38
    x, y = pdf.w - 18 - size, pdf.h - 18 - size
    pdf.image(io.BytesIO(qr_png(data.verify_url)), x=x, y=y, w=size, h=size,
              alt_text="QR code linking to this certificate's verification page")  # fmt: skip
    pdf.set_xy(20, pdf.h - 44)
    pdf.font(10)
    pdf.multi_cell(pdf.w - 40 - size - 10, 5, pdf.text_of(
        f"Verification code: {data.code}\nCheck this certificate at {data.verify_url}"
    ), new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
    return bytes(pdf.output())


@dataclass(frozen=True)
class TranscriptHeading:
    """Who and which credential a transcript is for."""

    learner: str
    credential: str
    number: str
    generated: datetime
    site: str = "RxTrainer"


def transcript_lines(report: Report) -> list[list[str]]:
    """The activities of a cycle's transcript as rows of text, oldest first (for PDF and CSV)."""
    rows = []
    in_order = sorted(report.counted, key=lambda c: (c.activity.completed, c.activity.title))
    for line in in_order:
        activity = line.activity
        rows.append([
            activity.completed.isoformat(),
            activity.title,
            activity.provider,
            activity.uan or "",
            activity.topic or "",
            activity.audience or "",
            KIND_NAMES[activity.kind],
            FORMATS.get(activity.format or "", ""),
            hours_text(activity.hours),
            hours_text(line.hours),
            line.reason or "",
        ])  # fmt: skip
    return rows


def transcript_pdf(heading: TranscriptHeading, report: Report) -> bytes:
    """The transcript of one credential's cycle: summary, requirements, every activity and how it counted."""
    rules = report.rules
    pdf = _Document(f"CE transcript: {heading.credential}", heading.site, orientation="landscape")
    pdf.add_page()
    pdf.line_of_text("Continuing education transcript", 18, bold=True, height=10)
    pdf.line_of_text(heading.learner, 13, bold=True)
    number = f", number {heading.number}" if heading.number else ""
    pdf.line_of_text(f"{heading.credential}{number}", 11)
    pdf.line_of_text(
        f"Cycle {long_date(report.cycle_start)} to {long_date(report.cycle_end)} · application deadline "
        f"{long_date(report.deadline)} · generated {long_date(heading.generated.date())}", 10,
    )  # fmt: skip
    pdf.line_of_text(f"Rules: {rules.name}, {rules.version_label}. Sources: {'; '.join(rules.sources)}", 8)
    pdf.ln(2)
    pdf.line_of_text(
        f"Status: {STATUS_WORDS[report.status]}. {hours_text(report.earned_hours)} of "
        f"{hours_text(report.required_hours)} hours counted.", 12, bold=True,
    )  # fmt: skip
    for topic, bar in report.topics.items():
        pdf.line_of_text(f"Topic {topic} ({bar.label}): {hours_text(bar.earned)} of {hours_text(bar.required)} hours", 10)
    if report.technician is not None:
        bar = report.technician
        pdf.line_of_text(f"Technician-specific: {hours_text(bar.earned)} of {hours_text(bar.required)} hours", 10)
    for training, done in report.trainings:
        pdf.line_of_text(f"{training.label}: {'done' if done else 'not yet done'}", 10)
    if report.missing:
        pdf.line_of_text("Still missing: " + "; ".join(report.missing), 10)
    pdf.ln(3)
    pdf.font(8)
    header = ["Date", "Activity", "Provider", "UAN", "Topic", "Kind", "Hours", "Counted", "Note"]
    widths = (20, 62, 34, 40, 11, 30, 12, 14, 38)
    rows = [[r[0], r[1], r[2], r[3], r[4], r[6], r[8], r[9], r[10]] for r in transcript_lines(report)]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.2, first_row_as_headings=True) as table:
        for values in [header, *rows]:
            row = table.row()
            for value in values:
                row.cell(pdf.text_of(value))
    pdf.ln(3)
    pdf.line_of_text(
        "ACPE credit is recorded by NABP CPE Monitor; this transcript lists what this site holds, "
        "including CE from providers that do not report to CPE Monitor.", 8,
    )  # fmt: skip
    return bytes(pdf.output())
