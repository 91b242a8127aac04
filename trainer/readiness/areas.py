"""Which outline codes an answer counts for: the question's own codes, their domains, and the
domains of outlines that count other outlines' areas through a crosswalk (`maps_from`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from trainer.questions.blueprints import ExamOutline


def _domain_code(code: str) -> str:
    outline, _, area = code.partition(":")
    return f"{outline}:{area.split('.')[0]}"


def _covers(mapped: str, code: str) -> bool:
    return code == mapped or code.startswith(f"{mapped}.")


def crosswalk_domain(outline: ExamOutline, codes: Iterable[str]) -> str | None:
    """The domain of `outline` (its code, e.g. "3") that questions tagged `codes` count for.

    A question tagged with the outline's own codes counts for the first of its domains;
    otherwise the first domain whose `maps_from` covers one of the codes. None if neither.
    """
    codes = list(codes)
    own = sorted(
        (code.partition(":")[2].split(".")[0] for code in codes if code.startswith(f"{outline.code}:")),
        key=lambda d: int(d) if d.isdigit() else 0,
    )
    if own:
        return own[0]
    for domain in outline.domains:
        if any(_covers(mapped, code) for mapped in domain.maps_from for code in codes):
            return domain.code
    return None


def counted_codes(codes: Iterable[str], outlines: Mapping[str, ExamOutline]) -> list[str]:
    """Every code an answer to a question tagged `codes` counts for, each once, in a stable order."""
    codes = list(codes)
    counted: list[str] = []
    for code in codes:
        for each in (code, _domain_code(code)):
            if each not in counted:
                counted.append(each)
    for outline in outlines.values():
        if any(code.startswith(f"{outline.code}:") for code in codes):
            continue
        domain = crosswalk_domain(outline, codes)
        if domain is not None and f"{outline.code}:{domain}" not in counted:
            counted.append(f"{outline.code}:{domain}")
    return counted
