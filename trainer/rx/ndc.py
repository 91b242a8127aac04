"""National Drug Codes: the three 10-digit shapes, the 11-digit billing form, and 12 digits.

    from trainer.rx import ndc
    ndc.to_11("0002-7597-01")      # "00002-7597-01"
    ndc.parse("50242-040-62")      # NDC("50242", "040", "62", shape="5-3-2")
    ndc.to_11("0002759701")        # raises NdcError: ambiguous without hyphens

A 10-digit NDC is labeler-product-package in one of three shapes, 4-4-2, 5-3-2 or
5-4-1 (21 CFR 207.33). Claims (NCPDP, HIPAA) carry the 11-digit 5-4-2 form, made by
putting one zero in front of the short segment. Ten digits without hyphens could be any
of the three shapes, so they are refused as ambiguous rather than guessed. From 7 March
2033 the FDA assigns only 12-digit 6-4-2 NDCs and existing ones gain leading zeros
(final rule, 91 FR 10749, 5 March 2026); 12 digits are read as 6-4-2.

`parse` and `to_11`/`to_12` raise NdcError (a ValueError with `field` and `message`) on
input they cannot read; `check` never raises and returns a Check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainer.rx.check import Check, cited, read_code, result

CFR_207_33 = "21 CFR 207.33, https://www.ecfr.gov/current/title-21/section-207.33"
BILLING_FORM = (
    "11-digit 5-4-2 billing form, NCPDP Telecommunication Standard D.0 Product/Service ID "
    "(407-D7); https://kb.daisybill.com/articles/how-do-i-convert-a-10-digit-ndc-number-to-11-digits"
)
FINAL_RULE_2026 = (
    "FDA final rule, Revising the National Drug Code Format, 91 FR 10749 (5 March 2026), "
    "https://www.govinfo.gov/content/pkg/FR-2026-03-05/html/2026-04368.htm"
)

# shape -> segment lengths
SHAPES: dict[str, tuple[int, int, int]] = {
    "4-4-2": (4, 4, 2),
    "5-3-2": (5, 3, 2),
    "5-4-1": (5, 4, 1),
    "5-4-2": (5, 4, 2),
    "6-4-2": (6, 4, 2),
}
TEN_DIGIT_SHAPES = ("4-4-2", "5-3-2", "5-4-1")
_BY_LENGTHS = {lengths: shape for shape, lengths in SHAPES.items()}
_HYPHENATED = re.compile(r"(\d+)-(\d+)-(\d+)")


class NdcError(ValueError):
    """An NDC that cannot be read or converted; `field` is "ndc", `message` says why."""

    def __init__(self, message: str, field: str = "ndc") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class NDC:
    """One NDC as its three segments and the shape it was written in."""

    labeler: str
    product: str
    package: str
    shape: str

    @property
    def digits(self) -> int:
        """10, 11 or 12."""
        return len(self.labeler) + len(self.product) + len(self.package)

    def hyphenated(self) -> str:
        """The segments joined by hyphens, as written on a package."""
        return f"{self.labeler}-{self.product}-{self.package}"

    def eleven(self) -> NDC:
        """The 11-digit 5-4-2 form (a 12-digit NDC only if its labeler starts with 0)."""
        if self.shape == "6-4-2":
            if not self.labeler.startswith("0"):
                raise NdcError(
                    cited(
                        f"{self.hyphenated()} has a six-digit labeler code, which has no 11-digit form",
                        FINAL_RULE_2026,
                    )
                )
            return NDC(self.labeler[1:], self.product, self.package, "5-4-2")
        return NDC(self.labeler.zfill(5), self.product.zfill(4), self.package.zfill(2), "5-4-2")

    def twelve(self) -> NDC:
        """The 12-digit 6-4-2 form: leading zeros on each short segment."""
        return NDC(self.labeler.zfill(6), self.product.zfill(4), self.package.zfill(2), "6-4-2")

    def in_shape(self, shape: str) -> NDC:
        """This code written in another shape; NdcError when a segment will not fit."""
        if shape not in SHAPES:
            raise NdcError(f"unknown NDC shape {shape!r}; known: {', '.join(SHAPES)}")
        lengths = SHAPES[shape]
        segments = []
        for value, length in zip(self.eleven().segments(), lengths, strict=True):
            extra = len(value) - length
            if extra > 0 and value[:extra] != "0" * extra:
                raise NdcError(f"{self.hyphenated()} cannot be written as {shape}")
            segments.append(value[extra:] if extra > 0 else value.zfill(length))
        return NDC(*segments, shape)

    def segments(self) -> tuple[str, str, str]:
        """(labeler, product, package)."""
        return self.labeler, self.product, self.package


def parse(text: object) -> NDC:
    """Read an NDC in any shape, hyphenated, or unhyphenated when 11 or 12 digits."""
    code, problems = read_code(text, "ndc", "the NDC")
    if code is None:
        raise NdcError(problems[0][1])
    code = code.replace(" ", "")
    match = _HYPHENATED.fullmatch(code)
    if match:
        segments = match.groups()
        shape = _BY_LENGTHS.get(tuple(len(s) for s in segments))
        if shape is None:
            raise NdcError(
                cited(
                    "the segments are "
                    + "-".join(str(len(s)) for s in segments)
                    + " digits long; an NDC is 4-4-2, 5-3-2 or 5-4-1 (10 digits), "
                    "5-4-2 (11, for billing) or 6-4-2 (12)",
                    CFR_207_33,
                )
            )
        return NDC(*segments, shape)
    if not code.isdigit():
        raise NdcError(
            cited("an NDC is digits in three hyphenated segments, such as 0002-7597-01", CFR_207_33)
        )
    if len(code) == 10:
        raise NdcError(
            cited(
                "ten digits without hyphens are ambiguous: they could be 4-4-2, 5-3-2 or 5-4-1; "
                "read the hyphens on the package",
                CFR_207_33,
            )
        )
    if len(code) == 11:
        return NDC(code[:5], code[5:9], code[9:], "5-4-2")
    if len(code) == 12:
        return NDC(code[:6], code[6:10], code[10:], "6-4-2")
    raise NdcError(cited(f"an NDC has 10, 11 or 12 digits; this has {len(code)}", CFR_207_33))


def to_11(text: object) -> str:
    """The 11-digit 5-4-2 form with hyphens: "0002-7597-01" gives "00002-7597-01"."""
    return parse(text).eleven().hyphenated()


def billing(text: object) -> str:
    """The 11 digits a claim carries, no hyphens: "00002759701"."""
    return "".join(parse(text).eleven().segments())


def to_12(text: object) -> str:
    """The 12-digit 6-4-2 form of the 2026 final rule: "0002-7597-01" gives "000002-7597-01"."""
    return parse(text).twelve().hyphenated()


def from_11(text: object, shape: str) -> str:
    """An 11-digit NDC written back in a 10-digit shape: ("00002-7597-01", "4-4-2") → "0002-7597-01"."""
    return parse(text).in_shape(shape).hyphenated()


def padded_segment(text: object) -> str:
    """Which segment gains the zero on the way to 11 digits: "labeler", "product", "package" or "none"."""
    shape = parse(text).shape
    return {"4-4-2": "labeler", "5-3-2": "product", "5-4-1": "package"}.get(shape, "none")


def check(text: object) -> Check:
    """Whether text is a readable NDC; never raises."""
    try:
        parse(text)
    except NdcError as exc:
        return result([("ndc", exc.message)])
    return result([])


def same_product(first: object, second: object) -> bool:
    """Whether two NDCs, in any shapes, name the same package; False if either is unreadable."""
    try:
        return parse(first).eleven() == parse(second).eleven()
    except NdcError:
        return False
