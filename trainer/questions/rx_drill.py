"""Prescription-rule drills: questions whose facts are drawn fresh from trainer.rx every attempt.

One registered type, `rx_drill`, with a `rule`:

- `dea_check`     is this prescriber's DEA number valid, and if not, why not?
- `ndc_to_11`     convert a package NDC to the 11-digit billing form (or to the 2026 12-digit form)
- `sig_translate` which patient directions does this sig mean?
- `refill_allowed` may this controlled (or non-controlled) prescription be refilled today?
- `reject_meaning` what does this NCPDP reject code mean, or what may the technician do?

The author writes a lead-in `stem`, an `explanation` and, optionally, `settings` that
narrow the draw (a shape, a route, a schedule, a list of reject codes). The key, the
worked reasoning and the distractors are computed by the rules themselves, so a drill
can never disagree with the rules the simulator applies. Learners answer by choosing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from trainer.questions.registry import (
    NOT_ANSWERED,
    NOT_UNDERSTOOD,
    GradeResult,
    Problems,
    QuestionType,
    register,
    shown_id,
    wrong,
)
from trainer.rx import claims, controlled, dea, ndc, sig

RULES = ("dea_check", "ndc_to_11", "sig_translate", "refill_allowed", "reject_meaning")
MAX_RESPONSE_LENGTH = 10

SURNAMES = (
    "Adams", "Baker", "Chen", "Diaz", "Evans", "Foster", "Garcia", "Hughes", "Ito", "Jones",
    "Khan", "Lopez", "Miller", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Smith", "Turner",
    "Usman", "Vance", "Walsh", "Young", "Zimmer",
)  # fmt: skip
FIRST_NAMES = ("Ana", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Hiro", "Imani", "Jon")
DEA_DEFECTS = ("none", "check_digit", "surname", "shape")
DEA_CHOICES = {
    "none": "Valid: the shape, the second letter and the check digit all agree",
    "check_digit": "Not valid: the check digit is wrong",
    "surname": "Not valid: the second letter does not match the prescriber's surname",
    "shape": "Not valid: a DEA number is two letters followed by seven digits",
}
ROUTES = {
    "oral": [("tab", "po"), ("cap", "po"), ("mL", "po")],
    "eye": [("gtt", "OU"), ("gtt", "OD"), ("gtt", "OS")],
    "ear": [("gtt", "AU"), ("gtt", "AD"), ("gtt", "AS")],
    "inhaled": [("puffs", "inh")],
    "injection": [("units", "SUBQ"), ("mL", "IM")],
    "rectal": [("supp", "pr")],
    "topical": [("appl", "top")],
    "sublingual": [("tab", "sl")],
}
FREQUENCIES = ("daily", "bid", "tid", "qid", "q4h", "q6h", "q8h", "q12h", "qhs", "qam")
INDICATIONS = ("pain", "n/v", "SOB", "HA", "itching", "anxiety")
REFILL_REASONS = {
    "allowed": "Yes: it may be refilled today",
    "c2": "No: a C-II prescription cannot be refilled",
    "too_many": "No: a C-III or C-IV prescription may carry at most 5 refills",
    "expired": "No: it is more than six months since it was written",
    "used_up": "No: every refill the prescriber authorised has been used",
}
REJECT_CODES = ("07", "09", "19", "21", "22", "25", "28", "41", "52", "54", "65", "67", "69", "70", "75", "76", "79", "88", "MR")
SETTINGS = {
    "dea_check": {"defect": DEA_DEFECTS, "prefixes": None},
    "ndc_to_11": {"shape": ndc.TEN_DIGIT_SHAPES, "target": ("11", "12")},
    "sig_translate": {"route": tuple(ROUTES), "prn": (True, False), "duration": (True, False)},
    "refill_allowed": {"schedule": ("CII", "CIII", "CIV", "CV", "Rx"), "situation": tuple(REFILL_REASONS)},
    "reject_meaning": {"codes": None, "ask": ("meaning", "action")},
}


def _settings_problems(rule: str, settings: object) -> Problems:
    if settings is None:
        return []
    if not isinstance(settings, dict):
        return [("settings", "must map setting names to values")]
    problems: Problems = []
    allowed = SETTINGS[rule]
    for name, value in settings.items():
        if name not in allowed:
            problems.append((f"settings.{name}", f"unknown setting for {rule}; known: {', '.join(allowed)}"))
            continue
        if name == "prefixes":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and dea.registrant_type(v) and dea.registrant_type(v).prescribes for v in value):
                problems.append((f"settings.{name}", "must list prescriber first letters such as A, B, F, G, M"))
        elif name == "codes":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v in claims.REJECTS for v in value):
                problems.append((f"settings.{name}", "must list NCPDP reject codes the simulator knows, such as \"75\""))
        elif value not in allowed[name]:
            problems.append((f"settings.{name}", "must be one of " + ", ".join(map(str, allowed[name]))))
    if rule == "refill_allowed" and isinstance(settings, dict):
        schedule, situation = settings.get("schedule"), settings.get("situation")
        impossible = {
            ("CII", "too_many"), ("CII", "expired"), ("CII", "used_up"), ("CV", "too_many"), ("CV", "expired"),
            ("Rx", "too_many"), ("Rx", "expired"), ("Rx", "c2"), ("CIII", "c2"), ("CIV", "c2"), ("CV", "c2"),
        }  # fmt: skip
        if (schedule, situation) in impossible:
            problems.append(("settings.situation", f"{situation} cannot happen with {schedule}"))
    return problems


# ---- drawing one instance -------------------------------------------------------------------


def _pick(settings: dict, name: str, options, rng: random.Random):
    value = settings.get(name)
    return value if value is not None else options[rng.randrange(len(options))]


def _dea(settings: dict, rng: random.Random) -> tuple[str, dict[str, str], str, str]:
    first, last = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))], SURNAMES[rng.randrange(len(SURNAMES))]
    prefixes = settings.get("prefixes") or ["A", "B", "F", "G", "M"]
    prefix = prefixes[rng.randrange(len(prefixes))]
    six = "".join(str(rng.randrange(10)) for _ in range(6))
    digit = dea.check_digit(six)
    defect = _pick(settings, "defect", DEA_DEFECTS, rng)
    second = last[0]
    if defect == "check_digit":
        digit = (digit + 1 + rng.randrange(9)) % 10
    elif defect == "surname":
        second = SURNAMES[(SURNAMES.index(last) + 1 + rng.randrange(len(SURNAMES) - 1)) % len(SURNAMES)][0]
        if second == last[0]:
            second = "Z" if last[0] != "Z" else "Y"
    number = f"{prefix}{second}{six}{digit}"
    if defect == "shape":
        number = number[:-1] if rng.randrange(2) else number + str(rng.randrange(10))
    found = dea.check(number, last_name=last, prescriber=True)
    key = "none" if found.valid else ("shape" if defect == "shape" else defect)
    d = [int(c) for c in six]
    odd, even = d[0] + d[2] + d[4], d[1] + d[3] + d[5]
    working = (
        f"Digits 1 + 3 + 5: {d[0]} + {d[2]} + {d[4]} = {odd}. Digits 2 + 4 + 6: {d[1]} + {d[3]} + {d[5]} = {even}, "
        f"doubled {2 * even}. {odd} + {2 * even} = {odd + 2 * even}: the check digit must be {dea.check_digit(six)}. "
        f"The second letter must be {last[0]}, the initial of Dr. {last}."
    )
    stem = f"Dr. {first} {last} signs a prescription with the DEA number **{number}**. Is the number valid?"
    return stem, DEA_CHOICES, key, working


def _ndc(settings: dict, rng: random.Random) -> tuple[str, dict[str, str], str, str]:
    shape = _pick(settings, "shape", ndc.TEN_DIGIT_SHAPES, rng)
    target = settings.get("target") or "11"
    lengths = ndc.SHAPES[shape]
    segments = ["".join(str(rng.randrange(10)) for _ in range(n)) for n in lengths]
    if shape == "4-4-2" and segments[0] == "0000":
        segments[0] = "0002"
    printed = "-".join(segments)
    parsed = ndc.parse(printed)
    correct = parsed.twelve().hyphenated() if target == "12" else parsed.eleven().hyphenated()
    candidates = [correct]
    labeler, product, package = segments
    wrong_ways = [
        f"{labeler.zfill(5)}-{product.zfill(4)}-{package.zfill(2)}",
        f"0{labeler}-{product}-{package}",
        f"{labeler}-0{product}-{package}",
        f"{labeler}-{product}-0{package}",
        f"{labeler}0-{product}-{package}",
        f"{labeler}-{product}-{package}0",
        f"{labeler}-{product}0-{package}",
    ]
    if target == "12":
        wrong_ways = [parsed.eleven().hyphenated(), "00" + parsed.eleven().hyphenated(), *wrong_ways]
    for option in wrong_ways:
        digits = len(option.replace("-", ""))
        if option not in candidates and digits == (12 if target == "12" else 11):
            candidates.append(option)
    if len(candidates) < 4:
        candidates.append(f"{labeler}{package}-{product}".zfill(12 if target == "12" else 11))
    choices = {f"c{i}": text for i, text in enumerate(candidates[:4])}
    segment = {"4-4-2": "labeler", "5-3-2": "product", "5-4-1": "package"}[shape]
    if target == "12":
        stem = (
            f"The package shows NDC **{printed}**. Under the FDA's 2026 final rule, every NDC becomes 12 digits "
            "(6-4-2) from 7 March 2033. What is this NDC in the 12-digit format?"
        )
        working = f"{printed} is {shape}; leading zeros bring each segment to 6-4-2: {correct}."
    else:
        stem = f"The package shows NDC **{printed}**. What is the 11-digit NDC (5-4-2) to put on the claim?"
        working = f"{printed} is {shape}, so the {segment} segment is short: one leading zero there gives {correct}."
    return stem, choices, "c0", working


def _sig_text(amount: int, form: str, route: str, frequency: str, prn: str | None, days: int | None) -> str:
    parts = [str(amount), form, route, frequency]
    if prn:
        parts += ["prn", prn]
    if days:
        parts += ["x", str(days), "days"]
    return " ".join(parts)


def _sig(settings: dict, rng: random.Random) -> tuple[str, dict[str, str], str, str]:
    route_group = _pick(settings, "route", tuple(ROUTES), rng)
    form, route = ROUTES[route_group][rng.randrange(len(ROUTES[route_group]))]
    amount = {"mL": 5 * (1 + rng.randrange(3)), "units": 2 * (3 + rng.randrange(10))}.get(form, 1 + rng.randrange(2))
    if form == "mL" and route == "IM":
        amount = 1
    frequency = FREQUENCIES[rng.randrange(len(FREQUENCIES))]
    want_prn = settings.get("prn")
    prn = INDICATIONS[rng.randrange(len(INDICATIONS))] if (want_prn if want_prn is not None else rng.randrange(3) == 0) else None
    want_days = settings.get("duration")
    days = (5 + rng.randrange(10)) if (want_days if want_days is not None else rng.randrange(2) == 0) else None
    text = _sig_text(amount, form, route, frequency, prn, days)
    correct = sig.translate(text)
    others: list[str] = []
    alternatives = [f for f in FREQUENCIES if f != frequency]
    rng.shuffle(alternatives)
    swaps = [_sig_text(amount, form, route, alternatives[0], prn, days)]
    other_group = [g for g in ROUTES if g != route_group]
    alt_form, alt_route = ROUTES[other_group[rng.randrange(len(other_group))]][0]
    swaps.append(_sig_text(amount, form, alt_route, frequency, prn, days))
    swaps.append(_sig_text(amount + (1 if form not in ("mL", "units") else 5), form, route, frequency, prn, days))
    swaps.append(_sig_text(amount, form, route, alternatives[1], prn, days))
    for option in swaps:
        translated = sig.translate(option)
        if translated and translated != correct and translated not in others:
            others.append(translated)
    choices = {"c0": correct, **{f"c{i + 1}": text for i, text in enumerate(others[:3])}}
    meanings = []
    for token in text.split():
        entry_meaning = sig.meaning(token)
        if entry_meaning and not token.isdigit():
            meanings.append(f"{token} = {entry_meaning}")
    stem = f"A prescription's sig reads **{text}**. Which directions belong on the label?"
    working = "; ".join(dict.fromkeys(meanings)) + f". So: {correct}"
    return stem, choices, "c0", working


def _refill(settings: dict, rng: random.Random) -> tuple[str, dict[str, str], str, str]:
    schedules = ("CII", "CIII", "CIV", "CV", "Rx")
    for _ in range(50):
        schedule = _pick(settings, "schedule", schedules, rng)
        situation = settings.get("situation")
        written = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        if schedule == "CII":
            refills, number = rng.randrange(3), 1
            fill = written + timedelta(days=30)
        else:
            refills = 6 + rng.randrange(3) if situation == "too_many" else 1 + rng.randrange(5)
            if situation == "used_up":
                number = refills + 1
            else:
                number = 1 + rng.randrange(refills if schedule not in ("CIII", "CIV") else min(refills, 5))
            days = 190 + rng.randrange(60) if situation == "expired" else 20 + rng.randrange(150)
            fill = written + timedelta(days=days)
        result = controlled.check_refills(None if schedule == "Rx" else schedule, refills, written, fill, refill_number=number)
        reasons = _refill_reasons(result, schedule)
        if len(reasons) == 1 and (situation is None or reasons[0] == situation):
            break
    else:  # pragma: no cover - the settings check rules out impossible combinations
        raise ValueError("no refill scenario matched the settings")
    key = reasons[0]
    label = "not controlled" if schedule == "Rx" else "C-" + schedule[1:]
    stem = (
        f"A prescription for a {label} drug was written on {written:%B} {written.day}, {written.year}, "
        f"with {refills} refill{'s' if refills != 1 else ''}. The patient asks for refill number {number} "
        f"on {fill:%B} {fill.day}, {fill.year}. May it be refilled under federal law?"
    )
    working = "; ".join(message for _, message in result.problems) or "Nothing in 21 CFR 1306 stops this refill."
    if result.notes:
        working += " " + " ".join(result.notes)
    return stem, REFILL_REASONS, key, working


def _refill_reasons(result, schedule: str) -> list[str]:
    if result.valid:
        return ["allowed"]
    reasons = []
    for field, _message in result.problems:
        if schedule == "CII":
            reasons.append("c2")
        elif field == "refills":
            reasons.append("too_many")
        elif field == "fill_date":
            reasons.append("expired")
        elif field == "refill_number":
            reasons.append("used_up")
    return list(dict.fromkeys(reasons))


def _reject(settings: dict, rng: random.Random) -> tuple[str, dict[str, str], str, str]:
    codes = settings.get("codes") or list(REJECT_CODES)
    code = codes[rng.randrange(len(codes))]
    ask = _pick(settings, "ask", ("meaning", "action"), rng)
    known = claims.REJECTS[code]
    pool = [c for c in REJECT_CODES if c != code and claims.REJECTS[c].field != known.field]
    rng.shuffle(pool)
    if ask == "action":
        correct = known.actions[0]
        others = [claims.REJECTS[c].actions[0] for c in pool if claims.REJECTS[c].actions[0] != correct][:3]
        stem = f"A claim comes back rejected with NCPDP code **{code}** ({known.message}). What should the technician do first?"
    else:
        correct = known.message
        others = [claims.REJECTS[c].message for c in pool][:3]
        stem = f"A claim comes back rejected with NCPDP reject code **{code}**. What does the code mean?"
    choices = {"c0": correct, **{f"c{i + 1}": text for i, text in enumerate(others)}}
    working = f"{code}: {known.message}. What a technician may do: " + "; ".join(known.actions) + "."
    if known.pharmacist:
        working += " Only the pharmacist resolves it."
    return stem, choices, "c0", working


DRAW = {"dea_check": _dea, "ndc_to_11": _ndc, "sig_translate": _sig, "refill_allowed": _refill, "reject_meaning": _reject}


@register
class RxDrill(QuestionType):
    """A multiple-choice drill whose scenario, key and distractors come from trainer.rx."""

    name = "rx_drill"
    label = "Prescription rule drill"
    response_kind = "choice"
    fields = ("rule", "settings")

    def validate_spec(self, spec: dict) -> Problems:
        """A known rule and settings that narrow its draw; every draw is tried on a few seeds."""
        rule = spec.get("rule")
        if rule not in RULES:
            return [("rule", "must be one of " + ", ".join(RULES))]
        problems = _settings_problems(rule, spec.get("settings"))
        if problems:
            return problems
        for seed in range(25):
            try:
                instance = self.generate(spec, random.Random(seed))
            except (ValueError, KeyError, IndexError) as exc:
                return [("settings", f"seed {seed}: {exc}")]
            if len(instance["choices"]) < 2:
                return [("settings", f"seed {seed}: fewer than two choices could be drawn")]
        return []

    def generate(self, spec: dict, rng: random.Random) -> dict:
        """Draw the scenario, compute the key with the rules, and shuffle the choices."""
        rule = spec["rule"]
        settings = spec.get("settings") or {}
        scenario, options, key_name, working = DRAW[rule](settings, rng)
        names = sorted(options)
        rng.shuffle(names)
        choices = [{"id": shown_id(i), "source": name, "text": options[name]} for i, name in enumerate(names)]
        key = next(c["id"] for c in choices if c["source"] == key_name)
        lead = spec.get("stem", "").strip()
        explanation = spec.get("explanation", "").strip()
        return {
            "type": self.name,
            "rule": rule,
            "stem": f"{lead}\n\n{scenario}" if lead else scenario,
            "explanation": f"{explanation}\n\n{working}" if explanation else working,
            "choices": choices,
            "key": key,
            "answer_text": options[key_name],
            "feedback": {},
        }

    def public_view(self, instance: dict) -> dict:
        """The scenario and the choices in shown order, without the key."""
        return {
            "type": self.name,
            "stem": instance["stem"],
            "choices": [{"id": c["id"], "text": c["text"]} for c in instance["choices"]],
        }

    def grade(self, instance: dict, response: Any) -> GradeResult:
        """Full marks for the key, nothing otherwise."""
        if response is None or (isinstance(response, str) and not response.strip()):
            return wrong(NOT_ANSWERED, "blank")
        if not isinstance(response, str) or len(response) > MAX_RESPONSE_LENGTH:
            return wrong(NOT_UNDERSTOOD, "unparseable")
        chosen = response.strip().lower()
        if not any(c["id"] == chosen for c in instance["choices"]):
            return wrong(NOT_UNDERSTOOD, "unparseable")
        if chosen == instance["key"]:
            return GradeResult(1.0, True, ["Correct."], [])
        return GradeResult(0.0, False, ["Not correct."], [])
