"""The mastery chart's geometry: one bar a domain or area, drawn as SVG by the template.

The page's content security policy allows no inline style, so everything here ends up
in SVG attributes (x, width) and class names the site's stylesheet colours.
"""

from __future__ import annotations

from dataclasses import dataclass

from trainer.readiness.report import ReadinessReport

WIDTH = 640
LABEL_WIDTH = 250
BAR_LEFT = LABEL_WIDTH + 10
BAR_WIDTH = WIDTH - BAR_LEFT - 20
ROW_HEIGHT = 26
TOP = 24  # room for the scale
MAX_LABEL = 34
STANDING_WORDS = {
    "strong": "strength",
    "developing": "close to the passing level",
    "weak": "weak area",
    "unknown": "not enough answers yet",
}


@dataclass(frozen=True)
class ChartRow:
    """One bar: label, where its mean and 90 % interval fall, and how to colour it."""

    label: str
    title: str
    short_title: str
    is_domain: bool
    standing: str
    words: str
    percent: int
    low_percent: int
    high_percent: int
    y: int
    bar_width: int
    low_x: int
    high_x: int


@dataclass(frozen=True)
class Chart:
    """Rows, the height of the drawing, and where the passing level and scale marks fall."""

    rows: list[ChartRow]
    height: int
    pass_x: int
    ticks: list[tuple[int, int]]  # (x, percent)
    width: int = WIDTH
    bar_left: int = BAR_LEFT
    row_height: int = ROW_HEIGHT


def _x(fraction: float) -> int:
    return BAR_LEFT + round(BAR_WIDTH * min(max(fraction, 0.0), 1.0))


def mastery_chart(report: ReadinessReport) -> Chart:
    """The chart of a readiness report: every domain, each followed by its areas."""
    rows = []
    parts = []
    for domain in report.domains:
        parts.append((domain, True))
        parts.extend((area, False) for area in domain.areas)
    for index, (part, is_domain) in enumerate(parts):
        mastery = part.mastery
        title = part.title
        short = title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1].rstrip() + "…"
        rows.append(ChartRow(
            label=part.label, title=title, short_title=short, is_domain=is_domain,
            standing=part.standing, words=STANDING_WORDS[part.standing],
            percent=round(mastery.mean * 100), low_percent=round(mastery.low * 100),
            high_percent=round(mastery.high * 100),
            y=TOP + index * ROW_HEIGHT, bar_width=_x(mastery.mean) - BAR_LEFT,
            low_x=_x(mastery.low), high_x=_x(mastery.high),
        ))
    return Chart(
        rows=rows, height=TOP + len(rows) * ROW_HEIGHT + 8, pass_x=_x(report.pass_fraction),
        ticks=[(_x(p / 100), p) for p in (0, 25, 50, 75, 100)],
    )
