"""Sig codes: their meanings, patient directions written out in full, and error-prone flags.

    from trainer.rx import sig
    sig.meaning("bid")                            # "twice a day" (None when unknown)
    sig.translate("i tab po bid pc x 10 days")    # "Take 1 tablet by mouth twice a day after meals for 10 days."
    sig.error_prone("1 tab po QD")                # [Flag(token="QD", advice="write 'daily'")]
    sig.read("2 tabs po daily x 3 days then 1 tab po daily x 3 days")   # Sig: clauses, per day, flags

The vocabulary is the shared table in `trainer.rx.abbreviations` (the one the site
glossary and the answer grader read). Directions start with a verb that fits the route
and dosage form (take, instill, insert, apply, inhale, inject, dissolve, use) and name
amount, form, route or site, frequency, timing, duration and indication; "then" starts
the next step of a taper. Words the reader does not know are kept as written, in order,
after the parts it does know.

Nothing here raises on bad input: `translate` returns "" for something that is not a
sig (None, a number, 10 KB of text), `read` reports it in `problems`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from trainer.rx import abbreviations as table
from trainer.rx.abbreviations import Abbreviation, find
from trainer.rx.check import Check, Problem, cited, read_text, result

MAX_SIG_LENGTH = 500
COMPLETE_SIG = (
    "a complete sig gives verb, amount, dosage form, route, frequency and, where it matters, "
    "duration and indication; USP General Chapter <17> Prescription Container Labeling"
)

_FRACTIONS = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")
_GLUED = re.compile(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)([a-zA-Zµμ]+\.?)")
_EVERY_HOURS = re.compile(r"q(\d{1,2})(?:-(\d{1,2}))?(?:h|hr|hrs|hour|hours)")
_EVERY_MINUTES = re.compile(r"q(\d{1,2})(?:min|mins|minutes)")
_RANGE = re.compile(r"(\d{1,3}(?:\.\d+)?)-(\d{1,3}(?:\.\d+)?)")
_DURATION = re.compile(r"x(\d{1,3})(d|day|days|wk|wks|week|weeks|mo|month|months)?")
_TIME_WORDS = {
    "d": "days",
    "day": "days",
    "days": "days",
    "wk": "weeks",
    "wks": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "mo": "months",
    "month": "months",
    "months": "months",
    "dose": "doses",
    "doses": "doses",
}
_VERBS = {
    "take": "Take",
    "give": "Give",
    "instill": "Instill",
    "insert": "Insert",
    "apply": "Apply",
    "inhale": "Inhale",
    "inject": "Inject",
    "dissolve": "Dissolve",
    "use": "Use",
    "chew": "Chew",
    "place": "Place",
    "spray": "Use",
}
_PLURALS = {
    "tablet": "tablets",
    "capsule": "capsules",
    "drop": "drops",
    "suppository": "suppositories",
    "puff (one actuation of an inhaler)": "puffs",
    "puff": "puffs",
    "spray": "sprays",
    "patch": "patches",
    "applicatorful": "applicatorfuls",
    "lozenge (troche)": "lozenges",
    "units": "units",
    "unit(s)": "units",
    "international unit": "units",
}
_SINGULAR = {
    "puff (one actuation of an inhaler)": "puff",
    "lozenge (troche)": "lozenge",
    "unit(s)": "unit",
    "international unit": "unit",
    "units": "unit",
}
_INJECTED = {
    "IM",
    "IV",
    "SUBQ",
    "subcut",
    "subcutaneously",
    "SC",
    "SQ",
    "sub q",
    "ID",
    "IJ",
    "IT",
    "IVPB",
}
_PER_DAY_MARKERS = (
    "/day",
    "/d",
    "/24h",
    "/24hr",
    "/24hrs",
    "/24hours",
    "perday",
    "aday",
    "daily",
    "in24hours",
    "in24hrs",
    "in24h",
    "per24hours",
    "per24hrs",
    "every24hours",
)


@dataclass(frozen=True)
class Flag:
    """An error-prone abbreviation or dose designation found in a sig, and what to write instead."""

    token: str
    advice: str
    mistaken_for: str = field(default="", compare=False, repr=False)
    source: str = field(default="", compare=False, repr=False)


@dataclass
class Clause:
    """One step of the directions (a taper has several, joined by "then")."""

    verb: str | None = None
    amount: Decimal | None = None
    amount_high: Decimal | None = None  # "1-2 tabs": the most one dose can be
    form: str | None = None  # the table meaning of the dosage form or unit
    form_entry: Abbreviation | None = None
    route: Abbreviation | None = None
    site: str | None = None
    frequency: Abbreviation | None = None
    frequency_text: str | None = None
    per_day: Decimal | None = None
    timing: list[str] = field(default_factory=list)
    as_needed: bool = False
    indication: list[str] = field(default_factory=list)
    duration_text: str | None = None
    duration_days: int | None = None
    maximum: tuple[Decimal, str | None] | None = None
    max_per_day: Decimal | None = None
    extras: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sig:
    """A sig read into clauses, the patient directions, flags and missing-part problems."""

    text: str
    clauses: tuple[Clause, ...]
    directions: str
    flags: tuple[Flag, ...]
    problems: list[Problem]

    @property
    def per_day(self) -> Decimal | None:
        """Doses a day of the first step, when the frequency says (q4-6h does not)."""
        return self.clauses[0].per_day if self.clauses else None

    @property
    def amount(self) -> Decimal | None:
        """The amount of one dose in the first step."""
        return self.clauses[0].amount if self.clauses else None


def meaning(code: object) -> str | None:
    """What an abbreviation means ("bid" → "twice a day"), or None when it is not in the table."""
    if not isinstance(code, str):
        return None
    entry = find(code)
    return entry.meaning if entry else None


def translate(text: object) -> str:
    """Patient directions written out in full; "" when the text cannot be read as a sig."""
    return read(text).directions


def error_prone(text: object) -> list[Flag]:
    """Every error-prone abbreviation and dose designation in a sig (ISMP, The Joint Commission)."""
    return list(read(text).flags)


def check(text: object) -> Check:
    """Whether a sig is complete: problems for missing parts, notes for error-prone forms."""
    sig = read(text)
    notes = [f"{flag.token}: {flag.advice} ({flag.source})" for flag in sig.flags]
    return result(sig.problems, notes)


# ---- reading ------------------------------------------------------------------------------


def read(text: object) -> Sig:
    """Read a sig into clauses and directions; problems instead of exceptions."""
    if isinstance(text, str):
        text = _fold_fractions(text)
    cleaned, problems = read_text(text, "sig", "the sig", MAX_SIG_LENGTH)
    if cleaned is None:
        return Sig("", (), "", (), problems)
    flags: list[Flag] = []
    tokens = _tokens(cleaned, flags)
    clauses: list[Clause] = []
    for part in _split_steps(tokens):
        clause = _read_clause(part, flags)
        if clauses:
            _inherit(clause, clauses[-1])
        clauses.append(clause)
    directions = _directions(clauses)
    problems = _missing_parts(clauses)
    unique: list[Flag] = []
    for flag in flags:
        if flag not in unique:
            unique.append(flag)
    return Sig(cleaned, tuple(clauses), directions, tuple(unique), problems)


def _fold_fractions(text: str) -> str:
    if len(text) > MAX_SIG_LENGTH * 4:
        return text

    def replace(match: re.Match) -> str:
        whole = Decimal(match.group(1) or 0)
        return " " + format(whole + _FRACTIONS[match.group(2)], "f") + " "

    return re.sub(r"(\d*)([½¼¾])", replace, text)


def _tokens(text: str, flags: list[Flag]) -> list[str]:
    """Whitespace tokens, with "10mg" split in two (and flagged) and a final period dropped."""
    raw = text.replace(";", " ; ").replace(",", " , ").split()
    # a comma inside a number ("100,000") was split above: join it back
    joined: list[str] = []
    for token in raw:
        if (
            joined
            and len(joined) >= 2
            and joined[-1] == ","
            and joined[-2].isdigit()
            and token.isdigit()
            and len(token) == 3
        ):
            joined.pop()
            joined[-1] = joined[-1] + "," + token
        else:
            joined.append(token)
    tokens: list[str] = []
    for index, token in enumerate(joined):
        last = index == len(joined) - 1
        # a sentence's full stop goes, but "b.i.d." keeps its periods
        if (
            last
            and token.endswith(".")
            and len(token) > 1
            and not token.endswith("..")
            and not find(token)
        ):
            token = token[:-1]
        glued = _GLUED.fullmatch(token)
        if glued and not _DURATION.fullmatch(token.lower()) and find(glued.group(2)) is not None:
            _flag_style(flags, token, "no_space")
            tokens.extend([glued.group(1), glued.group(2)])
            continue
        tokens.append(token)
    return tokens


def _split_steps(tokens: list[str]) -> list[list[str]]:
    steps: list[list[str]] = [[]]
    for token in tokens:
        if token.lower() == "then":
            if steps[-1] and steps[-1][-1] in (",", ";"):
                steps[-1].pop()
            steps.append([])
        else:
            steps[-1].append(token)
    return [step for step in steps if step] or [[]]


def _flag_style(flags: list[Flag], token: str, style: str) -> None:
    advice, source = table.NUMBER_STYLES[style]
    flags.append(Flag(token, advice, "", source))


def _flag_entry(flags: list[Flag], token: str, entry: Abbreviation) -> None:
    if entry.error is None:
        return
    advice = "write " + entry.error.write.replace('"', "'")
    flags.append(Flag(token, advice, entry.error.mistaken_for, entry.error.source))


def _number(token: str, flags: list[Flag]) -> Decimal | None:
    if not _NUMBER.fullmatch(token):
        if re.fullmatch(r"\d+/\d+", token) and token.split("/")[1] != "0":
            top, bottom = token.split("/")
            _flag_style(flags, token, "fraction")
            return Decimal(top) / Decimal(bottom)
        return None
    value = Decimal(token.replace(",", ""))
    if token.startswith("."):
        _flag_style(flags, token, "naked_decimal")
    if "." in token and token.endswith("0"):
        _flag_style(flags, token, "trailing_zero")
    if "," not in token and value >= 1000 and "." not in token.split(".")[0][-1:]:
        _flag_style(flags, token, "no_thousands_comma")
    return value


def _lookup(tokens: list[str], index: int) -> tuple[Abbreviation | None, int, str]:
    """The longest table entry starting at `index` (up to four words): (entry, words used, as written)."""
    for width in (4, 3, 2, 1):
        if index + width > len(tokens):
            continue
        written = " ".join(tokens[index : index + width])
        entry = find(written)
        if entry is not None:
            return entry, width, written
    return None, 1, tokens[index]


def _read_clause(tokens: list[str], flags: list[Flag]) -> Clause:
    clause = Clause()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lower = token.lower()
        if token in (",", ";"):
            index += 1
            continue
        if lower in _VERBS and index == 0:
            clause.verb = _VERBS[lower]
            index += 1
            continue
        # duration: x 10 days, x10d, for 10 days
        duration = _read_duration(tokens, index)
        if duration is not None:
            used, count, unit = duration
            if (
                unit == "days"
                and tokens[index].lower().startswith("x")
                and len(tokens[index]) > 1
                and tokens[index].lower()[1:2].isdigit()
                and tokens[index].lower().endswith("d")
            ):
                flags.append(
                    Flag(
                        tokens[index],
                        "write 'for " + str(count) + " days'",
                        '"' + str(count) + ' doses"',
                        table.ISMP_LIST,
                    )
                )
            noun = unit if count != 1 else unit[:-1]
            clause.duration_text = (
                f"up to {count} {noun}" if unit == "doses" else f"for {count} {noun}"
            )
            clause.duration_days = count * {"days": 1, "weeks": 7}.get(unit, 0) or None
            index += used
            continue
        maximum = _read_maximum(tokens, index)
        if maximum is not None:
            used, amount, form = maximum
            clause.max_per_day = amount
            clause.maximum = (amount, form)
            index += used
            continue
        every = _EVERY_HOURS.fullmatch(lower.replace(" ", ""))
        if every is None and lower == "q" and index + 1 < len(tokens):
            every = _EVERY_HOURS.fullmatch("q" + tokens[index + 1].lower())
            if every is not None:
                index += 1
        if every is not None and clause.frequency is None and find(token) is None:
            low, high = int(every.group(1)), every.group(2)
            if high:
                clause.frequency_text = f"every {low} to {int(high)} hours"
            else:
                clause.frequency_text = "every hour" if low == 1 else f"every {low} hours"
                if low and 24 % low == 0:
                    clause.per_day = Decimal(24 // low)
            index += 1
            continue
        minutes = _EVERY_MINUTES.fullmatch(lower)
        if minutes is not None and clause.frequency_text is None:
            clause.frequency_text = f"every {int(minutes.group(1))} minutes"
            index += 1
            continue
        span = _RANGE.fullmatch(token)
        if (
            span is not None
            and clause.amount is None
            and Decimal(span.group(1)) < Decimal(span.group(2))
        ):
            clause.amount, clause.amount_high = Decimal(span.group(1)), Decimal(span.group(2))
            index += 1
            continue
        roman = _ROMAN.get(lower) if token.islower() else None
        next_entry = find(tokens[index + 1]) if index + 1 < len(tokens) else None
        if (
            roman is not None
            and clause.amount is None
            and (
                next_entry is not None
                and next_entry.kind in ("form", "unit")
                or (index == 0 and lower in ("i", "ii", "iii"))
            )
        ):
            _flag_style(flags, token, "roman_numeral")
            clause.amount = Decimal(roman)
            index += 1
            continue
        number = _number(token, flags)
        if number is not None:
            if clause.amount is None:
                clause.amount = number
            else:
                clause.extras.append(token)
            index += 1
            continue
        entry, used, written = _lookup(tokens, index)
        if entry is None and token.endswith(".") and len(token) > 1:
            entry = find(token[:-1])
            if entry is not None and entry.kind == "unit":
                _flag_style(flags, token, "unit_period")
        if entry is None:
            _plain_word(clause, tokens, index)
            index += 1
            continue
        _flag_entry(flags, written, entry)
        index += used
        _place(clause, entry, written, tokens, index)
        if entry.kind == "instruction" and entry.code == "prn":
            index = _read_indication(clause, tokens, index, flags)
    if clause.per_day is None and clause.frequency is not None:
        clause.per_day = clause.frequency.per_day
    if clause.per_day is None and clause.frequency is None and clause.frequency_text is None:
        timed = [t for t in clause.timing if t in ("at bedtime",)]
        if timed:
            clause.per_day = Decimal(1)
    return clause


def _place(
    clause: Clause, entry: Abbreviation, written: str, tokens: list[str], index: int
) -> None:
    kind = entry.kind
    if kind == "frequency" and clause.frequency is None and clause.frequency_text is None:
        clause.frequency = entry
        clause.frequency_text = entry.label_text
    elif kind == "timing" or (kind == "frequency" and clause.frequency is not None):
        clause.timing.append(entry.label_text)
    elif kind == "route":
        if clause.route is None:
            clause.route = entry
    elif kind == "site":
        clause.site = entry.label_text
    elif kind in ("form", "unit"):
        if clause.form_entry is None:
            clause.form_entry = entry
            clause.form = entry.label_text if kind == "form" or entry.patient else entry.code
        else:
            clause.extras.append(entry.label_text)
    elif kind == "instruction":
        if entry.code == "prn":
            clause.as_needed = True
        else:
            clause.extras.append(entry.label_text)
    elif kind == "amount" and entry.code == "ss" and clause.amount is None:
        clause.amount = Decimal("0.5")
    elif (
        kind == "general"
        and entry.code in ("ea",)
        and index < len(tokens)
        and tokens[index].lower() in ("nostril", "eye", "ear")
    ):
        clause.extras.append("each")
    else:
        clause.extras.append(entry.label_text)


def _plain_word(clause: Clause, tokens: list[str], index: int) -> None:
    word = tokens[index]
    lower = word.lower()
    if lower in ("nostril", "nostrils") and clause.extras[-1:] == ["each"]:
        clause.extras.pop()
        clause.site = "in each nostril"
        return
    if lower == "each" and index + 1 < len(tokens) and tokens[index + 1].lower() in ("nostril",):
        clause.extras.append("each")
        return
    if (
        lower in ("in", "into")
        and index + 1 < len(tokens)
        and tokens[index + 1].lower() in ("each", "ea")
    ):
        return
    clause.extras.append(word)


def _read_duration(tokens: list[str], index: int) -> tuple[int, int, str] | None:
    token = tokens[index].lower()
    glued = _DURATION.fullmatch(token)
    if glued and glued.group(2):
        return 1, int(glued.group(1)), _TIME_WORDS[glued.group(2)]
    if glued and index + 1 < len(tokens) and tokens[index + 1].lower() in _TIME_WORDS:
        return 2, int(glued.group(1)), _TIME_WORDS[tokens[index + 1].lower()]
    if token in ("x", "for") and index + 1 < len(tokens):
        count = tokens[index + 1]
        if (
            count.isdigit()
            and len(count) <= 3
            and index + 2 < len(tokens)
            and tokens[index + 2].lower() in _TIME_WORDS
        ):
            return 3, int(count), _TIME_WORDS[tokens[index + 2].lower()]
        compact = re.fullmatch(r"(\d{1,3})(d|day|days|wk|wks|week|weeks)", count.lower())
        if compact:
            return 2, int(compact.group(1)), _TIME_WORDS[compact.group(2)]
    return None


_MAXIMUM = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)(?P<form>[a-zµμ]+?)?(?:/|per|a|in|every)?(?:day|d|24h|24hr|24hrs|24hours|daily)"
)


def _read_maximum(tokens: list[str], index: int) -> tuple[int, Decimal, str | None] | None:
    """ "max 6 tabs/day", "NTE 8 tabs in 24 hours": (words used, amount, form) or None."""
    words = [t.lower() for t in tokens[index : index + 4]]
    if words[:1] in (["max"], ["maximum"], ["nte"]):
        start = index + 1
    elif words[:3] == ["not", "to", "exceed"] or words[:3] == ["do", "not", "exceed"]:
        start = index + 3
    else:
        return None
    if start < len(tokens) and tokens[start].lower() == "of":
        start += 1
    for width in range(1, 7):
        if start + width > len(tokens):
            break
        compact = "".join(tokens[start : start + width]).lower()
        match = _MAXIMUM.fullmatch(compact)
        if match is None:
            continue
        form = None
        if match.group("form"):
            entry = find(match.group("form"))
            if entry is None or entry.kind not in ("form", "unit"):
                return None
            form = entry.label_text
        amount = Decimal(match.group("n"))
        if amount <= 0:
            return None
        return start + width - index, amount, form
    return None


def _read_indication(clause: Clause, tokens: list[str], index: int, flags: list[Flag]) -> int:
    if index < len(tokens) and tokens[index].lower() == "for":
        index += 1
    words: list[str] = []
    while index < len(tokens):
        token = tokens[index]
        if token in (",", ";") or _read_duration(tokens, index) or _read_maximum(tokens, index):
            break
        entry, used, written = _lookup(tokens, index)
        if entry is not None and entry.kind not in ("indication", "general", "symbol"):
            break
        if entry is not None:
            _flag_entry(flags, written, entry)
            words.append(entry.label_text)
            index += used
            continue
        words.append(token)
        index += 1
    clause.indication = words
    return index


def _inherit(clause: Clause, previous: Clause) -> None:
    """A taper's later steps say only what changes."""
    if clause.verb is None:
        clause.verb = previous.verb
    if clause.form_entry is None:
        clause.form_entry, clause.form = previous.form_entry, previous.form
    if clause.route is None and clause.site is None:
        clause.route, clause.site = previous.route, previous.site


# ---- writing the directions --------------------------------------------------------------------


def _verb(clause: Clause) -> str:
    if clause.verb:
        return clause.verb
    route = clause.route.code if clause.route else None
    form = clause.form_entry.code if clause.form_entry else None
    site = clause.site or ""
    if form in ("ung", "crm", "lot") or route in ("top", "TD") or form == "patch":
        return "Apply"
    if "eye" in site or "ear" in site or route in ("ophth", "otic"):
        return "Instill"
    if route in ("IN", "NAS") or "nostril" in site:
        return "Instill" if form == "gtt" else "Use"
    if route in ("inh", "neb") or form == "puff":
        return "Inhale"
    if route in ("pr", "pv") or form == "supp":
        return "Insert"
    if route in _INJECTED or form == "inj":
        return "Inject"
    if route == "sl":
        return "Dissolve"
    if route == "buccal":
        return "Place"
    return "Take"


def _amount_text(amount: Decimal, counted: bool = True) -> str:
    """½ tablet, 1½ tablets, but 0.5 mL: fractions only for things that are counted."""
    whole, fraction = divmod(amount, 1)
    marks = {Decimal("0.5"): "½", Decimal("0.25"): "¼", Decimal("0.75"): "¾"}
    if counted and fraction in marks:
        return (str(int(whole)) if whole else "") + marks[fraction]
    text = format(amount.normalize(), "f")
    if "." not in text and len(text) > 3:
        text = f"{int(amount):,}"
    return text


def _form_text(clause: Clause) -> str:
    if clause.form is None:
        return ""
    form = clause.form
    if clause.amount is None:
        return _SINGULAR.get(form, form)
    if (clause.amount_high or clause.amount) <= 1:
        return _SINGULAR.get(form, form)
    return _PLURALS.get(form, form)


def _clause_text(clause: Clause, first: bool) -> str:
    parts: list[str] = []
    verb = _verb(clause)
    parts.append(verb if first else verb.lower())
    counted = clause.form_entry is None or clause.form_entry.kind == "form"
    if clause.amount is not None:
        parts.append(_amount_text(clause.amount, counted))
        if clause.amount_high is not None:
            parts.append("to " + _amount_text(clause.amount_high, counted))
    form = _form_text(clause)
    if form:
        parts.append(form)
    if clause.site:
        parts.append(clause.site)
    elif clause.route is not None:
        route_text = clause.route.label_text
        if not (route_text == "to the affected area" and verb != "Apply"):
            parts.append(route_text)
    if clause.frequency_text:
        parts.append(clause.frequency_text)
    parts.extend(clause.timing)
    if clause.as_needed:
        parts.append(
            "as needed" + (" for " + " ".join(clause.indication) if clause.indication else "")
        )
    parts.extend(clause.extras)
    if clause.duration_text:
        parts.append(clause.duration_text)
    text = " ".join(p for p in parts if p)
    if clause.maximum is not None:
        amount, form = clause.maximum
        doing = "take" if verb == "Take" else "use"
        unit = form or _PLURALS.get(clause.form or "", clause.form or "doses")
        if form:
            unit = _PLURALS.get(form, form) if amount > 1 else _SINGULAR.get(form, form)
        text += f". Do not {doing} more than {_amount_text(amount)} {unit} a day"
    return text


def _directions(clauses: list[Clause]) -> str:
    if not clauses or all(_empty(c) for c in clauses):
        return ""
    text = ", then ".join(_clause_text(c, i == 0) for i, c in enumerate(clauses))
    return text + "."


def _empty(clause: Clause) -> bool:
    return (
        clause.amount is None
        and clause.form is None
        and clause.route is None
        and clause.site is None
        and clause.frequency_text is None
        and not clause.timing
        and not clause.as_needed
        and not clause.extras
        and clause.duration_text is None
        and clause.verb is None
    )


def _missing_parts(clauses: list[Clause]) -> list[Problem]:
    problems: list[Problem] = []
    if not clauses or all(_empty(c) for c in clauses):
        return [("sig", cited("the sig has no directions in it", COMPLETE_SIG))]
    first = clauses[0]
    if first.amount is None and first.form is None:
        problems.append(("sig", cited("the amount of each dose is missing", COMPLETE_SIG)))
    if first.route is None and first.site is None and first.verb is None:
        problems.append(
            ("sig", cited("the route (by mouth, into the eye…) is missing", COMPLETE_SIG))
        )
    for clause in clauses:
        if (
            clause.frequency_text is None
            and not clause.timing
            and not clause.as_needed
            and "once" not in clause.extras
            and "now" not in clause.extras
            and "as directed" not in clause.extras
        ):
            problems.append(("sig", cited("how often to use it is missing", COMPLETE_SIG)))
            break
    return problems
