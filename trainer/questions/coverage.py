"""How well the content covers the exam outlines: modules and questions per knowledge area,
and each domain's share of the bank beside its blueprint weight.

Pure: it takes the bank and the courses as loaded from files and returns data; the
`flask trainer coverage` command prints it. A module teaches an area when one of its
knowledge checks is tagged with that area (or, for an outline without areas such as the
2026 PTCE outline, with that domain).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from trainer.questions.blueprints import Blueprints

# The calculation drills live in question_bank/calc-*.yaml and are practised in their own
# quizzes; the exam's domain weights are compared with the rest of the bank.
DRILL_FILE_PREFIX = "calc-"
MIN_QUESTIONS_PER_AREA = 10
SHARE_TOLERANCE_POINTS = Decimal(5)
# Only the official outline's weights are held to the tolerance; the 2026 weights come from
# prep providers (blueprints.yaml marks that outline `official: false`) and are reported.
SHARE_CHECKED_OUTLINES = ("ptce-2020",)

# What the 2026 PTCE outline dropped (see the outline's sources in blueprints.yaml): the NTI
# area and non-sterile compounding (its procedures and alligation). A question that tests
# only these carries no ptce-2026 code.
LEFT_PTCE_2026_TAGS = frozenset({"alligation", "non-sterile-compounding"})
LEFT_PTCE_2026_AREAS = frozenset({"ptce-2020:1.8", "ptce-2020:4.1"})


@dataclass(frozen=True)
class ModuleTeaching:
    """One module as the coverage report sees it: its name and the questions it checks with."""

    course: str
    slug: str
    checks: tuple[str, ...]

    @property
    def name(self) -> str:
        """`course/module`, as the report prints it."""
        return f"{self.course}/{self.slug}"


@dataclass(frozen=True)
class AreaCoverage:
    """One knowledge area (or a domain of an outline without areas)."""

    outline: str
    code: str  # "ptce-2020:1.1", or "ptce-2026:1" for a domain
    title: str
    modules: tuple[str, ...]
    questions: int


@dataclass(frozen=True)
class DomainShare:
    """One domain's share of the bank (calculation drills excluded) beside its weight."""

    outline: str
    code: str
    title: str
    weight: Decimal
    questions: Decimal  # a question tagged with k domains of the outline counts 1/k to each
    share: Decimal  # percent of the outline's tagged, non-drill questions

    @property
    def off_by(self) -> Decimal:
        """Points between the share and the weight (positive when the bank has too many)."""
        return self.share - self.weight


@dataclass
class CoverageReport:
    """Areas, shares and what falls short."""

    areas: list[AreaCoverage] = field(default_factory=list)
    shares: list[DomainShare] = field(default_factory=list)
    total_questions: int = 0
    drill_questions: int = 0
    problems: list[str] = field(default_factory=list)


def is_drill(question_file: str | None) -> bool:
    """True for a question from a calculation-drill file (question_bank/calc-*.yaml)."""
    return bool(question_file) and PurePath(question_file).name.startswith(DRILL_FILE_PREFIX)


def is_exam_outline(outline: dict) -> bool:
    """False for an outline that names no exam (`exam: none`), such as one for certification facts."""
    return str(outline.get("exam", "")).strip().lower() != "none"


def _published(questions: Mapping[str, dict]) -> dict[str, dict]:
    return {qid: q for qid, q in questions.items() if q.get("status", "published") == "published"}


def _units(outline: dict) -> list[tuple[str, str, str]]:
    """(code, domain code, title) of each area of the outline, or of each domain if it has none."""
    units = []
    for domain in outline["domains"]:
        domain_code = f"{outline['code']}:{domain['code']}"
        areas = domain.get("areas") or {}
        if areas:
            units += [(f"{outline['code']}:{code}", domain_code, title) for code, title in areas.items()]
        else:
            units.append((domain_code, domain_code, domain["title"]))
    return units


def coverage_report(
    blueprints: Blueprints,
    questions: Mapping[str, dict],
    question_files: Mapping[str, str],
    modules: Iterable[ModuleTeaching],
) -> CoverageReport:
    """Modules and question counts per area, and domain shares, for every outline."""
    published = _published(questions)
    modules = list(modules)
    report = CoverageReport(
        total_questions=len(published),
        drill_questions=sum(1 for qid in published if is_drill(question_files.get(qid))),
    )
    area_questions: Counter[str] = Counter()
    for question in published.values():
        codes = set(question.get("blueprint") or [])
        # a question tagged with an area counts to that area; one tagged with a domain of an
        # outline without areas counts to the domain
        area_questions.update(codes)
    taught: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        codes = set()
        for qid in module.checks:
            codes.update((questions.get(qid) or {}).get("blueprint") or [])
        for code in sorted(codes):
            taught[code].append(module.name)

    for outline in blueprints.outlines:
        crosswalk = {f"{outline['code']}:{d['code']}": tuple(d.get("maps_from") or ()) for d in outline["domains"]}
        for code, _domain, title in _units(outline):
            mapped = crosswalk.get(code, ())
            if mapped:
                # a domain no question names yet counts what its crosswalk covers, as mock exams do
                counted = sum(1 for q in published.values() if _maps_into(mapped, q.get("blueprint") or []))
                teaching = sorted({name for c, names in taught.items() if _maps_into(mapped, [c]) for name in names})
            else:
                counted, teaching = area_questions[code], taught.get(code, ())
            area = AreaCoverage(outline["code"], code, title, tuple(teaching), counted)
            report.areas.append(area)
            if not is_exam_outline(outline):
                continue  # listed, but the exam standard does not apply to it
            if not area.modules:
                report.problems.append(f"{code} ({title}): no module teaches it")
            if area.questions < MIN_QUESTIONS_PER_AREA:
                report.problems.append(
                    f"{code} ({title}): {area.questions} question(s), fewer than {MIN_QUESTIONS_PER_AREA}"
                )
        report.shares += _domain_shares(outline, published, question_files, blueprints)

    for share in report.shares:
        if share.outline in SHARE_CHECKED_OUTLINES and abs(share.off_by) > SHARE_TOLERANCE_POINTS:
            report.problems.append(
                f"{share.code} ({share.title}): {share.share:.1f}% of the bank against a weight of "
                f"{share.weight}%, more than {SHARE_TOLERANCE_POINTS} points off"
            )
    return report


def _domain_shares(
    outline: dict,
    published: Mapping[str, dict],
    question_files: Mapping[str, str],
    blueprints: Blueprints,
) -> list[DomainShare]:
    prefix = outline["code"] + ":"
    counts: dict[str, Decimal] = defaultdict(Decimal)
    tagged = 0
    for qid, question in published.items():
        if is_drill(question_files.get(qid)):
            continue
        codes = question.get("blueprint") or []
        domains = {blueprints.domain_of(code) for code in codes if code.startswith(prefix)}
        if not domains:  # through the outline's crosswalk, the first domain that covers it
            domains = {prefix + d["code"] for d in outline["domains"] if _maps_into(d.get("maps_from") or (), codes)}
            domains = set(sorted(domains)[:1])
        if not domains:
            continue
        tagged += 1
        for domain in domains:
            counts[domain] += Decimal(1) / len(domains)
    shares = []
    for domain in outline["domains"]:
        code = prefix + domain["code"]
        share = counts[code] * 100 / tagged if tagged else Decimal(0)
        shares.append(
            DomainShare(
                outline["code"], code, domain["title"], Decimal(str(domain["weight"])), counts[code], share
            )
        )
    return shares


def _maps_into(mapped, codes) -> bool:
    """Whether any of `codes` is one of the `mapped` codes or inside one (ptce-2020:2 holds 2.1)."""
    return any(code == m or code.startswith(f"{m}.") for m in mapped for code in codes)


def retired_topic_problems(questions: Mapping[str, dict]) -> list[tuple[str, str]]:
    """(question id, message) for each question tagged to the 2026 outline on a topic it dropped."""
    problems = []
    for qid, question in questions.items():
        codes = question.get("blueprint") or []
        codes_2026 = [c for c in codes if c.startswith("ptce-2026:")]
        if not codes_2026:
            continue
        left_tags = sorted(LEFT_PTCE_2026_TAGS & set(question.get("tags") or []))
        if left_tags:
            problems.append(
                (qid, f"tagged {', '.join(left_tags)}, which left the 2026 outline, yet carries {', '.join(codes_2026)}")
            )
            continue
        areas_2020 = [c for c in codes if c.startswith("ptce-2020:")]
        if areas_2020 and set(areas_2020) <= LEFT_PTCE_2026_AREAS:
            problems.append(
                (qid, f"tests only {', '.join(areas_2020)}, which left the 2026 outline, yet carries {', '.join(codes_2026)}")
            )
    return problems
