"""Exam outlines (blueprints.yaml): which `outline:area` codes a question may name, and
each outline's form (items, weights, time) for mock exams and readiness."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from trainer.content.source import ProblemList

_OUTLINE_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DOMAIN_CODE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Blueprints:
    """The exam outlines, and the title of every `outline:domain` and `outline:area` code."""

    outlines: list[dict] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> frozenset[str]:
        """Every code a question's `blueprint` may use."""
        return frozenset(self.titles)

    @property
    def plain_names(self) -> dict[str, str]:
        """Each outline's name as a learner reads it, by code: "PTCE 2020–2025 outline", "ExCPT outline"."""
        names = {}
        for outline in self.outlines:
            if isinstance(outline, dict) and isinstance(outline.get("code"), str):
                names[outline["code"]] = plain_name(outline)
        return names

    def domain_of(self, code: str) -> str:
        """The domain code of an area code (ptce-2020:4.2 → ptce-2020:4); a domain is its own."""
        outline, _, area = code.partition(":")
        return f"{outline}:{area.split('.')[0]}"


@dataclass(frozen=True)
class ExamDomain:
    """One domain of an exam outline: its share of the scored items and its knowledge areas."""

    code: str  # "1"
    title: str
    weight: Decimal  # percent of the scored items
    areas: dict[str, str] = field(default_factory=dict)  # "1.1" -> title
    # codes of other outlines whose questions count for this domain (our crosswalk)
    maps_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExamOutline:
    """An outline version as an exam form: what a mock exam draws and how it is timed."""

    code: str  # "ptce-2020"
    exam: str  # "PTCE"
    title: str
    official: bool
    items: int
    scored_items: int
    time_limit_minutes: int
    domains: tuple[ExamDomain, ...]
    sources: tuple[str, ...] = ()
    effective_from: date | None = None
    effective_until: date | None = None
    score_scale: tuple[int, int, int] | None = None  # (lowest, highest, passing) scaled score
    assumed_pass_percent: int = 70

    @property
    def unscored_items(self) -> int:
        """Pretest items: on the form, never in the score."""
        return self.items - self.scored_items

    def domain(self, code: str) -> ExamDomain | None:
        """The domain with this code ("1"), or None."""
        return next((d for d in self.domains if d.code == code), None)

    def in_force(self, day: date) -> bool:
        """Whether the outline applies to an exam taken on `day`."""
        starts = self.effective_from is None or self.effective_from <= day
        return starts and (self.effective_until is None or day <= self.effective_until)


def plain_name(outline: dict) -> str:
    """An outline's name in plain words: the exam and the years it applies to, never its code."""
    exam = str(outline.get("exam") or "").strip()
    title = str(outline.get("title") or outline.get("code") or "").strip()
    if not exam or exam.lower() == "none":  # a list of areas, not an exam: its title says what
        return title.split(" (")[0].split(" — ")[0]
    start, end = _day(outline.get("effective_from")), _day(outline.get("effective_until"))
    if start and end:
        return f"{exam} {start.year}–{end.year} outline"
    if start:
        return f"{exam} outline from {start:%B} {start.year}"
    return f"{exam} outline"


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _percent(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and 0 < number <= 100 else None


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return None


def exam_outlines(blueprints: Blueprints) -> dict[str, ExamOutline]:
    """The outlines that describe a whole exam form (weights, items, time), by code.

    An outline without weights on every domain, or without items, scored items and a
    time limit, only names areas for questions: it cannot be sat as a mock exam.
    """
    outlines: dict[str, ExamOutline] = {}
    for outline in blueprints.outlines:
        if not isinstance(outline, dict) or not isinstance(outline.get("code"), str):
            continue
        if not isinstance(outline.get("domains"), list):
            continue
        items, scored = _whole(outline.get("items")), _whole(outline.get("scored_items"))
        minutes = _whole(outline.get("time_limit_minutes"))
        domains = []
        for domain in outline["domains"]:
            weight = _percent(domain.get("weight")) if isinstance(domain, dict) else None
            if weight is None or not isinstance(domain.get("code"), str):
                break
            areas = domain.get("areas") or {}
            domains.append(ExamDomain(
                code=str(domain["code"]), title=str(domain.get("title", "")), weight=weight,
                areas={str(k): str(v) for k, v in areas.items()} if isinstance(areas, dict) else {},
                maps_from=tuple(str(c) for c in domain.get("maps_from") or ()),
            ))
        else:
            if not (items and scored and minutes and domains):
                continue
            scale = outline.get("score_scale")
            sources = outline.get("sources") or ([outline["source"]] if outline.get("source") else [])
            outlines[outline["code"]] = ExamOutline(
                code=outline["code"], exam=str(outline.get("exam", "")),
                title=str(outline.get("title", "")), official=outline.get("official") is True,
                items=items, scored_items=scored, time_limit_minutes=minutes,
                domains=tuple(domains), sources=tuple(str(s) for s in sources),
                effective_from=_day(outline.get("effective_from")),
                effective_until=_day(outline.get("effective_until")),
                score_scale=(
                    (scale["min"], scale["max"], scale["pass"]) if isinstance(scale, dict) else None
                ),
                assumed_pass_percent=_whole(outline.get("assumed_pass_percent")) or 70,
            )
    return outlines


def _form_problems(outline: dict, line, code: str, problems: ProblemList) -> None:
    """Check the exam-form fields an outline may carry (weights, items, time, crosswalk)."""
    whole = {}
    for name in ("items", "scored_items", "time_limit_minutes", "assumed_pass_percent"):
        if name in outline:
            whole[name] = _whole(outline[name])
            if whole[name] is None or whole[name] <= 0:
                problems.add(line, "must be a whole number above zero", item=code, field=name)
    if whole.get("items") and whole.get("scored_items") and whole["scored_items"] > whole["items"]:
        problems.add(line, "cannot be more than `items`", item=code, field="scored_items")
    if "assumed_pass_percent" in outline and (whole.get("assumed_pass_percent") or 0) > 100:
        problems.add(line, "is a percentage: at most 100", item=code, field="assumed_pass_percent")
    scale = outline.get("score_scale")
    if scale is not None and not (
        isinstance(scale, dict) and set(scale) == {"min", "max", "pass"}
        and all(_whole(scale[k]) is not None for k in scale)
        and scale["min"] <= scale["pass"] <= scale["max"]
    ):
        problems.add(line, "must be {min, max, pass} with min ≤ pass ≤ max", item=code,
                     field="score_scale")
    if "official" in outline and not isinstance(outline["official"], bool):
        problems.add(line, "must be true or false", item=code, field="official")
    for name in ("effective_from", "effective_until"):
        if outline.get(name) is not None and _day(outline[name]) is None:
            problems.add(line, "must be a date such as 2026-01-01", item=code, field=name)
    domains = [d for d in outline.get("domains") or [] if isinstance(d, dict)]
    weights = [d.get("weight") for d in domains]
    for index, weight in enumerate(weights):
        if weight is not None and _percent(weight) is None:
            problems.add(line, "must be a percentage above 0 and at most 100", item=code,
                         field=f"domains[{index}].weight")
    if "scored_items" not in outline:
        return  # a list of codes for questions to name, not a form to sit
    known = [_percent(w) for w in weights]
    if all(w is not None for w in known):
        total = sum(known, Decimal(0))
        if total != 100:
            problems.add(line, f"the domain weights add up to {total:f}, not 100", item=code,
                         field="domains")
    else:
        problems.add(line, "an exam form needs a weight on every domain", item=code,
                     field="domains")


def _crosswalk_problems(outlines: list, titles: dict[str, str], problems: ProblemList) -> None:
    for outline in outlines:
        if not isinstance(outline, dict):
            continue
        code = outline.get("code")
        seen: dict[str, str] = {}
        for index, domain in enumerate(outline.get("domains") or []):
            if not isinstance(domain, dict) or "maps_from" not in domain:
                continue
            maps = domain["maps_from"]
            where = f"domains[{index}].maps_from"
            if not isinstance(maps, list) or not all(isinstance(c, str) for c in maps):
                problems.add(None, "must be a list of codes such as ptce-2020:4.2", item=code,
                             field=where)
                continue
            for mapped in maps:
                if mapped not in titles or mapped.startswith(f"{code}:"):
                    problems.add(None, f"{mapped!r} is not an area or domain of another outline",
                                 item=code, field=where)
                elif any(mapped == s or mapped.startswith(f"{s}.") or s.startswith(f"{mapped}.")
                         for s in seen):
                    problems.add(None, f"{mapped!r} overlaps a code another domain maps from",
                                 item=code, field=where)
                seen[mapped] = str(domain.get("code"))


def read_blueprints(data: object, problems: ProblemList) -> Blueprints:
    """Check blueprints.yaml data (as loaded with line numbers), recording problems."""
    if not isinstance(data, dict) or not isinstance(data.get("outlines"), list):
        problems.add(getattr(data, "line", None), "must have an `outlines:` list")
        return Blueprints()
    titles: dict[str, str] = {}
    outlines = data["outlines"]
    for index, outline in enumerate(outlines):
        line = outlines.line_of(index) if hasattr(outlines, "line_of") else None
        if not isinstance(outline, dict):
            problems.add(line, "an outline must be a mapping", field=f"outlines[{index}]")
            continue
        code = outline.get("code")
        if not isinstance(code, str) or not _OUTLINE_CODE.fullmatch(code):
            problems.add(line, "needs a code such as ptce-2020", field=f"outlines[{index}].code")
            continue
        domains = outline.get("domains")
        if not isinstance(domains, list) or not domains:
            problems.add(line, "needs a `domains:` list", item=code, field="domains")
            continue
        _form_problems(outline, line, code, problems)
        for d_index, domain in enumerate(domains):
            d_line = domains.line_of(d_index) if hasattr(domains, "line_of") else line
            d_code = domain.get("code") if isinstance(domain, dict) else None
            if not isinstance(d_code, str) or not _DOMAIN_CODE.fullmatch(d_code):
                problems.add(
                    d_line,
                    'a domain needs a code such as "1" (quoted)',
                    item=code,
                    field=f"domains[{d_index}].code",
                )
                continue
            key = f"{code}:{d_code}"
            if key in titles:
                problems.add(d_line, f"domain {d_code} appears twice", item=code)
            titles[key] = str(domain.get("title", ""))
            areas = domain.get("areas") or {}
            if not isinstance(areas, dict):
                problems.add(
                    d_line,
                    'areas must map codes such as "1.1" to titles',
                    item=code,
                    field=f"domains[{d_index}].areas",
                )
                continue
            for area, title in areas.items():
                if not isinstance(area, str) or not re.fullmatch(rf"{d_code}\.[0-9]+", area):
                    where = areas.line_of(area) if hasattr(areas, "line_of") else d_line
                    problems.add(
                        where,
                        f'area {area!r} must be written "{d_code}.N" (quoted)',
                        item=code,
                        field=f"domains[{d_index}].areas",
                    )
                    continue
                titles[f"{code}:{area}"] = str(title)
    _crosswalk_problems(outlines, titles, problems)
    # the web and the database want plain data; the bank loader strips the line numbers
    return Blueprints(outlines=outlines, titles=titles)
