"""A learner's readiness for one exam outline: mastery per domain and area, strengths, weak
areas, the pass likelihood, and the areas adaptive practice should draw from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from trainer.questions.blueprints import ExamOutline
from trainer.readiness.exam_forms import largest_remainder
from trainer.readiness.mastery import (
    AreaEvidence,
    Mastery,
    PassPrediction,
    estimate,
    predict_pass,
    standing,
)


@dataclass(frozen=True)
class AreaReport:
    """One domain or knowledge area: the learner's mastery of it and what that means."""

    code: str  # "ptce-2020:1.1"
    label: str  # "1.1"
    title: str
    mastery: Mastery
    standing: str  # unknown, weak, developing, strong


@dataclass(frozen=True)
class DomainReport:
    """A domain of the outline, with its weight on the exam and its knowledge areas."""

    code: str
    label: str
    title: str
    weight: float  # percent of the scored items
    mastery: Mastery
    standing: str
    areas: tuple[AreaReport, ...]


@dataclass(frozen=True)
class ReadinessReport:
    """Everything the readiness page shows for one outline."""

    outline: ExamOutline
    domains: tuple[DomainReport, ...]
    prediction: PassPrediction | None

    @property
    def pass_fraction(self) -> float:
        return self.outline.assumed_pass_percent / 100

    @property
    def answered(self) -> int:
        """Answers ever counted towards this outline (each once, by domain)."""
        return sum(domain.mastery.items for domain in self.domains)

    def _parts(self) -> list[AreaReport | DomainReport]:
        """The finest units of the outline: its areas, or the domain itself where it lists none."""
        parts: list[AreaReport | DomainReport] = []
        for domain in self.domains:
            parts.extend(domain.areas or (domain,))
        return parts

    @property
    def strengths(self) -> list[AreaReport | DomainReport]:
        """Areas clearly above the passing level, strongest first."""
        return sorted((p for p in self._parts() if p.standing == "strong"), key=lambda p: -p.mastery.mean)

    @property
    def weak(self) -> list[AreaReport | DomainReport]:
        """Areas below the passing level, weakest first."""
        return sorted((p for p in self._parts() if p.standing == "weak"), key=lambda p: p.mastery.mean)

    @property
    def not_started(self) -> list[AreaReport | DomainReport]:
        """Areas with too few recent answers to tell."""
        return [p for p in self._parts() if p.standing == "unknown"]

    def practice_targets(self, items: int, areas: int = 3) -> dict[str, int]:
        """The weakest `areas` to practise (full codes), with how many of `items` each gets.

        Ranked by mastery, lowest first; areas without enough answers rank as what they
        are, a coin toss, so a learner is also sent to what they have not tried. The items
        go to the chosen areas in proportion to how far each is from mastery.
        """
        ranked = sorted(self._parts(), key=lambda p: (p.mastery.mean, p.mastery.evidence, p.code))
        chosen = ranked[:areas]
        if not chosen:
            return {}
        return largest_remainder(items, {p.code: 1.0 - p.mastery.mean for p in chosen})


def readiness_report(
    outline: ExamOutline, evidence: Mapping[str, AreaEvidence], now: datetime
) -> ReadinessReport:
    """The report for `outline` from the learner's evidence by full code (ptce-2020:1, ptce-2020:1.1)."""
    cut = outline.assumed_pass_percent / 100
    empty = AreaEvidence()

    def part(code: str, label: str, title: str) -> AreaReport:
        mastery = estimate(evidence.get(code, empty), now)
        return AreaReport(code, label, title, mastery, standing(mastery, cut))

    domains = []
    for domain in outline.domains:
        code = f"{outline.code}:{domain.code}"
        own = part(code, domain.code, domain.title)
        areas = tuple(
            part(f"{outline.code}:{label}", label, title)
            for label, title in sorted(domain.areas.items(), key=lambda kv: _order(kv[0]))
        )
        domains.append(DomainReport(
            code, domain.code, domain.title, float(domain.weight), own.mastery, own.standing, areas
        ))
    prediction = predict_pass(
        [(d.weight, d.mastery) for d in domains], outline.scored_items, cut
    )
    return ReadinessReport(outline, tuple(domains), prediction)


def _order(label: str) -> tuple[int, ...]:
    return tuple(int(part) for part in label.split(".") if part.isdigit())
