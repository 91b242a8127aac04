"""Exam outlines (blueprints.yaml): which `outline:area` codes a question may name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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

    def domain_of(self, code: str) -> str:
        """The domain code of an area code (ptce-2020:4.2 → ptce-2020:4); a domain is its own."""
        outline, _, area = code.partition(":")
        return f"{outline}:{area.split('.')[0]}"


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
    # the web and the database want plain data; the bank loader strips the line numbers
    return Blueprints(outlines=outlines, titles=titles)
