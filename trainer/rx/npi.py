"""National Provider Identifiers: ten digits, the last a Luhn check digit over "80840" + nine.

    from trainer.rx import npi
    npi.check("1234567893")   # Check(valid=True, problems=[])

CMS's specification: the NPI is 10 digits, the first 1 or 2 (individual or
organisation), the tenth a check digit computed with the Luhn formula as if the
card-issuer prefix 80840 stood in front. Equivalently: double every other digit of the
nine starting from the rightmost, add all the resulting digits, add 24 (the prefix's
contribution), and the check digit is what brings the total up to a multiple of 10.
"""

from __future__ import annotations

from trainer.rx.check import Check, cited, read_code, result

CMS_SPEC = (
    "CMS, Requirements for Construction of the NPI Check Digit, "
    "https://www.cms.gov/Regulations-and-Guidance/Administrative-Simplification/NationalProvIdentStand/Downloads/NPIcheckdigit.pdf"
)
PREFIX_CONTRIBUTION = (
    24  # what Luhn over "80840" adds when the NPI is checked as an ISO card number
)


def check_digit(nine_digits: str) -> int:
    """The Luhn check digit of nine NPI digits with the 80840 prefix."""
    if not (
        isinstance(nine_digits, str)
        and len(nine_digits) == 9
        and nine_digits.isascii()
        and nine_digits.isdigit()
    ):
        raise ValueError("check_digit needs exactly nine digits")
    total = PREFIX_CONTRIBUTION
    for position, char in enumerate(reversed(nine_digits)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def check(number: object) -> Check:
    """Check an NPI's length, first digit and check digit."""
    text, problems = read_code(number, "npi", "the NPI")
    if text is None:
        return result(problems)
    text = text.replace(" ", "").replace("-", "")
    if not text.isdigit():
        return result([("npi", cited("an NPI is 10 digits, with no letters", CMS_SPEC))])
    if len(text) != 10:
        return result([("npi", cited(f"an NPI is 10 digits; this has {len(text)}", CMS_SPEC))])
    problems = []
    if text[0] not in "12":
        problems.append(
            ("npi", cited("an NPI starts with 1 (individual) or 2 (organisation)", CMS_SPEC))
        )
    expected = check_digit(text[:9])
    if int(text[9]) != expected:
        problems.append(
            ("npi", cited(f"the check digit should be {expected}, not {text[9]}", CMS_SPEC))
        )
    return result(problems)
