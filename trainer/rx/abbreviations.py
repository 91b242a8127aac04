"""The one table of prescription abbreviations and number styles the whole site reads.

Three readers share it instead of keeping three tables:
- the sig translator and its error-prone flags (`trainer.rx.sig`);
- the answer grader, for the ways of writing a number or unit that ISMP and The Joint
  Commission call error-prone (`trainer.questions.answers`);
- the site glossary that underlines abbreviations in every course module
  (`trainer.content.glossary` merges `glossary_terms()` with courses/glossary.yaml, which
  keeps only the terms that are not prescription shorthand).

Each entry says what the abbreviation means, how a patient label writes it, and, when
it is on ISMP's List of Error-Prone Abbreviations, Symbols, and Dose Designations (2021)
or The Joint Commission's "Do Not Use" list, what it is mistaken for and what to write
instead. `glossary` lists the exact, case-sensitive forms the glossary underlines; it is
empty where a form collides with an ordinary word or another abbreviation ("as", "AD",
"IV" in "Schedule IV"), as courses/glossary.yaml explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ISMP_LIST = (
    "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations (2021), "
    "https://www.ismp.org/recommendations/error-prone-abbreviations-list"
)
TJC_LIST = (
    'The Joint Commission, Official "Do Not Use" List, '
    "https://www.jointcommission.org/resources/news-and-multimedia/fact-sheets/facts-about-do-not-use-list/"
)
SIG_MEANINGS = (
    "List of abbreviations used in medical prescriptions, "
    "https://en.wikipedia.org/wiki/List_of_abbreviations_used_in_medical_prescriptions"
)

KINDS = (
    "frequency",  # how often: bid, q6h
    "timing",  # when: ac, pc, hs
    "route",  # how it goes in: po, IM
    "site",  # where: OD, AU
    "form",  # what is given: tab, gtt, supp
    "unit",  # units of measure: mL, mcg
    "amount",  # ss (one-half), qs
    "instruction",  # prn, ud, NPO, stat
    "indication",  # what for: n/v, SOB
    "drug",  # drug-name abbreviations, all error-prone
    "symbol",  # @, &, +, °
    "general",  # Rx, sig, DAW
)


@dataclass(frozen=True)
class ErrorProne:
    """Why an abbreviation is unsafe and what to write instead, with the lists that say so."""

    mistaken_for: str
    write: str
    tjc: bool = False  # also on The Joint Commission's "Do Not Use" list

    @property
    def lists(self) -> str:
        """The lists in words, for learners."""
        if self.tjc:
            return "The Joint Commission's \"Do Not Use\" list and ISMP's list"
        return "ISMP's list"

    @property
    def source(self) -> str:
        """The citation."""
        return f"{TJC_LIST}; {ISMP_LIST}" if self.tjc else ISMP_LIST


@dataclass(frozen=True)
class Abbreviation:
    """One abbreviation: meaning, label wording, doses a day, error-prone status, glossary forms."""

    code: str
    meaning: str
    kind: str
    spellings: tuple[str, ...] = ()  # other ways it is written in a sig (b.i.d., BID)
    patient: str | None = None  # wording on a patient label; None: the meaning
    per_day: Decimal | None = None  # doses a day, for frequencies
    error: ErrorProne | None = None
    glossary: tuple[str, ...] | None = None  # exact forms the glossary underlines; None: (code,)
    match_case: bool = False  # "AS" (left ear) but not "as"; "IN" but not "in"

    @property
    def label_text(self) -> str:
        """What a patient label says for it."""
        return self.patient if self.patient is not None else self.meaning

    @property
    def glossary_forms(self) -> tuple[str, ...]:
        """The case-sensitive forms the site glossary underlines."""
        return (self.code,) if self.glossary is None else self.glossary

    @property
    def source(self) -> str:
        """Where the meaning (and the warning, if any) comes from."""
        return self.error.source if self.error else SIG_MEANINGS

    def glossary_meaning(self) -> str:
        """The meaning as the glossary shows it, with the warning where there is one."""
        if self.error is None:
            return self.meaning
        return (
            f"{self.meaning} (error-prone, on {self.error.lists}: mistaken for "
            f"{self.error.mistaken_for}; write {self.error.write})"
        )


def _a(code: str, meaning: str, kind: str, **fields) -> Abbreviation:
    if "per_day" in fields and fields["per_day"] is not None:
        fields["per_day"] = Decimal(str(fields["per_day"]))
    return Abbreviation(code, meaning, kind, **fields)


def _ismp(mistaken_for: str, write: str) -> ErrorProne:
    return ErrorProne(mistaken_for, write)


def _tjc(mistaken_for: str, write: str) -> ErrorProne:
    return ErrorProne(mistaken_for, write, tjc=True)


# ---- the table ------------------------------------------------------------------------

ABBREVIATIONS: tuple[Abbreviation, ...] = (
    # --- how often --------------------------------------------------------------------
    _a(
        "daily",
        "once a day",
        "frequency",
        spellings=("qday", "once daily", "every day", "once a day"),
        patient="daily",
        per_day=1,
        glossary=(),
    ),
    _a(
        "qd",
        "every day",
        "frequency",
        spellings=("q.d.", "QD", "Q.D."),
        patient="daily",
        per_day=1,
        error=_tjc(
            '"qid" (four times a day), especially if the period after the q or its tail is read as an "i"',
            '"daily"',
        ),
        glossary=("qd", "QD"),
    ),
    _a(
        "q1d",
        "daily",
        "frequency",
        patient="daily",
        per_day=1,
        error=_ismp('"qid" (four times a day)', '"daily"'),
    ),
    _a(
        "od",
        "once daily",
        "frequency",
        spellings=("o.d.",),
        patient="daily",
        per_day=1,
        error=_ismp('"OD", right eye, so oral liquids have been put in the eye', '"daily"'),
        glossary=(),
    ),
    _a(
        "qod",
        "every other day",
        "frequency",
        spellings=("q.o.d.", "QOD", "Q.O.D."),
        patient="every other day",
        per_day="0.5",
        error=_tjc(
            '"qd" (daily) or "qid" (four times a day) if the o is poorly written',
            '"every other day"',
        ),
        glossary=("qod", "QOD"),
    ),
    _a(
        "bid",
        "twice a day",
        "frequency",
        spellings=("b.i.d.", "BID", "twice daily", "twice a day", "2 times a day", "2 times daily"),
        per_day=2,
        glossary=("bid", "BID"),
    ),
    _a(
        "tid",
        "three times a day",
        "frequency",
        spellings=(
            "t.i.d.",
            "TID",
            "three times daily",
            "three times a day",
            "3 times a day",
            "3 times daily",
        ),
        per_day=3,
        glossary=("tid", "TID"),
    ),
    _a(
        "qid",
        "four times a day",
        "frequency",
        spellings=(
            "q.i.d.",
            "QID",
            "four times daily",
            "four times a day",
            "4 times a day",
            "4 times daily",
        ),
        per_day=4,
        glossary=("qid", "QID"),
    ),
    _a("qh", "every hour", "frequency", spellings=("q1h",), per_day=24),
    _a("q2h", "every 2 hours", "frequency", per_day=12),
    _a("q3h", "every 3 hours", "frequency", per_day=8),
    _a("q4h", "every 4 hours", "frequency", per_day=6),
    _a("q6h", "every 6 hours", "frequency", per_day=4),
    _a("q8h", "every 8 hours", "frequency", per_day=3),
    _a("q12h", "every 12 hours", "frequency", per_day=2),
    _a("q24h", "every 24 hours", "frequency", per_day=1),
    _a("q48h", "every 48 hours", "frequency", per_day="0.5", glossary=()),
    _a("q72h", "every 72 hours", "frequency", glossary=()),
    _a("q4-6h", "every 4 to 6 hours", "frequency", spellings=("q4-6hr",)),
    _a("q6-8h", "every 6 to 8 hours", "frequency", glossary=()),
    _a("qam", "every morning", "frequency", spellings=("q.a.m.", "qAM"), per_day=1),
    _a("qpm", "every evening", "frequency", spellings=("q.p.m.", "qPM"), per_day=1),
    _a(
        "qhs",
        "every night at bedtime",
        "frequency",
        patient="at bedtime",
        per_day=1,
        error=_ismp('"qhr", every hour', '"nightly" or "at bedtime"'),
    ),
    _a(
        "nightly",
        "every night",
        "frequency",
        spellings=("every night", "at bedtime", "bedtime"),
        patient="at bedtime",
        per_day=1,
        glossary=(),
    ),
    _a(
        "qn",
        "every night",
        "frequency",
        patient="nightly",
        per_day=1,
        error=_ismp('"qh", every hour', '"nightly"'),
    ),
    _a(
        "qwk",
        "once a week",
        "frequency",
        spellings=("qweek", "weekly", "q wk", "once weekly"),
        patient="once a week",
        glossary=(),
    ),
    _a(
        "tiw",
        "three times a week",
        "frequency",
        spellings=("TIW", "t.i.w."),
        patient="3 times a week",
        error=_ismp('"three times a day" or "twice a week"', '"3 times weekly"'),
        glossary=("tiw", "TIW"),
    ),
    _a(
        "biw",
        "twice a week",
        "frequency",
        spellings=("BIW", "b.i.w."),
        patient="2 times a week",
        error=_ismp('"twice a day" (BID)', '"2 times weekly"'),
        glossary=("BIW",),
    ),
    _a(
        "q6PM",
        "every day at 6 PM",
        "frequency",
        spellings=("q6pm",),
        patient="daily at 6 PM",
        per_day=1,
        error=_ismp('"every 6 hours"', '"daily at 6 PM" or "6 PM daily"'),
        glossary=(),
    ),
    # --- when ---------------------------------------------------------------------------
    _a("ac", "before meals", "timing", spellings=("a.c.",)),
    _a("pc", "after meals", "timing", spellings=("p.c.",)),
    _a(
        "hs",
        "at bedtime",
        "timing",
        spellings=("h.s.",),
        per_day=1,
        error=_ismp('"HS", half-strength', '"bedtime"'),
        match_case=True,
    ),
    _a(
        "HS",
        "half-strength",
        "amount",
        spellings=("H.S.",),
        error=_ismp('"hs", at bedtime', '"half-strength" or "bedtime"'),
        match_case=True,
    ),
    _a(
        "BT",
        "bedtime",
        "timing",
        patient="at bedtime",
        error=_ismp('"BID", twice a day', '"bedtime"'),
        glossary=(),
        match_case=True,
    ),
    _a("am", "in the morning", "timing", spellings=("a.m.", "AM"), glossary=()),
    _a("pm", "in the evening", "timing", spellings=("p.m.", "PM"), glossary=()),
    _a(
        "stat",
        "immediately",
        "instruction",
        spellings=("STAT",),
        patient="now",
        glossary=("stat", "STAT"),
    ),
    _a("prn", "as needed", "instruction", spellings=("p.r.n.", "PRN"), glossary=("prn", "PRN")),
    _a(
        "ud",
        "as directed, from the Latin ut dictum",
        "instruction",
        spellings=("u.d.", "UD"),
        patient="as directed",
        error=_ismp('"unit dose"', '"as directed"'),
        glossary=("ud", "UD"),
    ),
    _a("as directed", "as directed", "instruction", glossary=()),
    _a("NPO", "nothing by mouth", "instruction", spellings=("n.p.o.",), match_case=True),
    _a("ATC", "around the clock", "instruction", glossary=()),
    _a("NTE", "not to exceed", "instruction", glossary=()),
    _a("x1", "once (administer one time)", "instruction", patient="once", glossary=()),
    _a(
        "x3d",
        "for three days",
        "instruction",
        patient="for 3 days",
        error=_ismp('"3 doses"', '"for three days"'),
        glossary=(),
    ),
    _a(
        "D/C",
        "discharge or discontinue",
        "instruction",
        spellings=("DC", "d/c"),
        error=_ismp(
            'the other meaning: medicines stopped too early when a list of discharge medicines follows "D/C"',
            '"discharge" or "discontinue"',
        ),
    ),
    # --- how it goes in -----------------------------------------------------------------
    _a(
        "po",
        "by mouth",
        "route",
        spellings=("p.o.", "PO", "by mouth", "orally", "oral"),
        glossary=("po",),
    ),
    _a(
        "per os",
        "by mouth, orally",
        "route",
        patient="by mouth",
        error=_ismp('"OS", left eye', '"PO", "by mouth" or "orally"'),
        glossary=(),
    ),
    _a(
        "pr",
        "by rectum",
        "route",
        spellings=("p.r.", "PR", "rectally"),
        patient="rectally",
        glossary=("pr",),
    ),
    _a("pv", "vaginally", "route", spellings=("p.v.", "vag", "vaginally"), glossary=("pv",)),
    _a(
        "sl",
        "under the tongue (sublingual)",
        "route",
        spellings=("SL", "s.l.", "sublingually", "under the tongue"),
        patient="under the tongue",
        glossary=("SL", "sl"),
    ),
    _a("buccal", "between the cheek and gum", "route", glossary=()),
    _a(
        "top",
        "on the skin (topically)",
        "route",
        spellings=("topical", "topically"),
        patient="to the affected area",
        glossary=(),
    ),
    _a("inh", "by inhalation", "route", spellings=("inhal",), patient="by mouth", glossary=()),
    _a("neb", "by nebulizer", "route", spellings=("via neb",), patient="by nebulizer", glossary=()),
    _a(
        "IM",
        "into a muscle (intramuscular)",
        "route",
        spellings=("I.M.",),
        patient="into the muscle",
    ),
    _a(
        "IV",
        "into a vein (intravenous)",
        "route",
        spellings=("I.V.",),
        patient="into a vein",
        glossary=(),
        match_case=True,
    ),
    _a(
        "IVPB",
        "intravenous piggyback, a small-volume infusion given through an existing IV line",
        "route",
        patient="into a vein as a piggyback infusion",
    ),
    _a(
        "ID",
        "into the skin (intradermal)",
        "route",
        patient="into the skin",
        glossary=(),
        match_case=True,
    ),
    _a(
        "TD",
        "through the skin (transdermal)",
        "route",
        patient="to the skin",
        glossary=(),
        match_case=True,
    ),
    _a(
        "SUBQ",
        "under the skin (subcutaneous); the form ISMP recommends since its 2021 list, in capitals with no spaces or periods",
        "route",
        patient="under the skin",
    ),
    _a(
        "subcutaneously",
        "under the skin",
        "route",
        spellings=("subcutaneous",),
        patient="under the skin",
        glossary=(),
    ),
    _a(
        "subcut",
        'under the skin (subcutaneous); ISMP\'s earlier recommendation, replaced in its 2021 list by "SUBQ" or "subcutaneous(ly)"',
        "route",
        patient="under the skin",
    ),
    _a(
        "SC",
        "under the skin, subcutaneous",
        "route",
        spellings=("S.C.", "sc"),
        patient="under the skin",
        error=_ismp(
            '"SL", sublingual', '"SUBQ" (capitals, no spaces or periods) or "subcutaneous(ly)"'
        ),
        glossary=("SC",),
    ),
    _a(
        "SQ",
        "under the skin, subcutaneous",
        "route",
        spellings=("sq", "S.Q."),
        patient="under the skin",
        error=_ismp('"5 every"', '"SUBQ" (capitals, no spaces or periods) or "subcutaneous(ly)"'),
        glossary=("SQ",),
    ),
    _a(
        "sub q",
        "under the skin, subcutaneous",
        "route",
        spellings=("sub-q", "subq", "SubQ", "Sub-Q"),
        patient="under the skin",
        error=_ismp(
            '"every" (the q)', '"SUBQ" (capitals, no spaces or periods) or "subcutaneous(ly)"'
        ),
        glossary=("sub q",),
    ),
    _a(
        "IJ",
        "injection",
        "route",
        patient="by injection",
        error=_ismp('"IV" or "intrajugular"', '"injection"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "IN",
        "into the nose (intranasal)",
        "route",
        patient="into the nose",
        error=_ismp('"IM" or "IV"', '"intranasal" or "NAS"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "NAS",
        "into the nose (intranasal); the form ISMP recommends",
        "route",
        patient="into the nose",
        glossary=(),
        match_case=True,
    ),
    _a(
        "IT",
        "intrathecal",
        "route",
        patient="into the spinal fluid",
        error=_ismp('"intratympanic" or "intratracheal"', '"intrathecal"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "ophth",
        "for the eye (ophthalmic)",
        "route",
        spellings=("ophthalmic",),
        patient="into the eye",
    ),
    _a("otic", "for the ear", "route", patient="into the ear"),
    # --- where ----------------------------------------------------------------------------
    _a(
        "OD",
        "right eye",
        "site",
        spellings=("O.D.",),
        patient="into the right eye",
        error=_ismp('"AD", right ear; and as "once daily"', '"right eye"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "OS",
        "left eye",
        "site",
        spellings=("O.S.",),
        patient="into the left eye",
        error=_ismp('"AS", left ear', '"left eye"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "OU",
        "both eyes",
        "site",
        spellings=("O.U.", "ou"),
        patient="into both eyes",
        error=_ismp('"AU", both ears', '"each eye" or "both eyes"'),
        glossary=(),
    ),
    _a(
        "AD",
        "right ear",
        "site",
        spellings=("A.D.",),
        patient="into the right ear",
        error=_ismp('"OD", right eye', '"right ear"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "AS",
        "left ear",
        "site",
        spellings=("A.S.",),
        patient="into the left ear",
        error=_ismp('"OS", left eye', '"left ear"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "AU",
        "both ears",
        "site",
        spellings=("A.U.", "au"),
        patient="into both ears",
        error=_ismp('"OU", both eyes', '"each ear" or "both ears"'),
        glossary=(),
    ),
    _a(
        "OJ",
        "orange juice",
        "general",
        patient="orange juice",
        error=_ismp(
            '"OD" or "OS", so drugs meant to be mixed in orange juice have been put in the eye',
            '"orange juice"',
        ),
        glossary=(),
        match_case=True,
    ),
    # --- what is given --------------------------------------------------------------------
    _a("tab", "tablet", "form", spellings=("tabs", "tablet", "tablets", "tbl"), glossary=()),
    _a("cap", "capsule", "form", spellings=("caps", "capsule", "capsules"), glossary=()),
    _a("gtt", "drop", "form", spellings=("gtts", "drop", "drops", "gt"), glossary=("gtt", "gtts")),
    _a("supp", "suppository", "form", spellings=("supps", "suppository", "suppositories")),
    _a("susp", "suspension", "form"),
    _a("soln", "solution", "form", spellings=("sol",)),
    _a("syr", "syrup", "form", glossary=()),
    _a("elix", "elixir", "form", glossary=()),
    _a("ung", "ointment", "form", spellings=("oint",)),
    _a("crm", "cream", "form", spellings=("cream",), glossary=()),
    _a("lot", "lotion", "form", glossary=()),
    _a(
        "puff",
        "puff (one actuation of an inhaler)",
        "form",
        spellings=("puffs", "inhalation", "inhalations"),
        patient="puff",
        glossary=(),
    ),
    _a("spray", "spray", "form", spellings=("sprays",), glossary=()),
    _a("patch", "patch", "form", spellings=("patches",), glossary=()),
    _a("appl", "applicatorful", "form", spellings=("applicatorful",), glossary=()),
    _a("inj", "injection", "form", glossary=()),
    _a("troche", "lozenge (troche)", "form", spellings=("troches", "loz"), glossary=()),
    _a("ODT", "orally disintegrating tablet", "form"),
    _a("SR", "sustained-release", "form", match_case=True),
    _a("XR", "extended-release", "form", spellings=("XL", "ER"), glossary=("XR",), match_case=True),
    _a("CR", "controlled-release", "form", match_case=True),
    _a("DR", "delayed-release", "form", match_case=True),
    _a("EC", "enteric-coated", "form", glossary=(), match_case=True),
    _a("DS", "double strength", "form", match_case=True),
    _a("NS", "normal saline (0.9% sodium chloride)", "form", match_case=True),
    _a("D5W", "5% dextrose in water", "form"),
    _a("TPN", "total parenteral nutrition", "form"),
    # --- units and amounts ---------------------------------------------------------------------
    _a("mL", "milliliter", "unit", spellings=("mls", "milliliter", "milliliters")),
    _a("L", "liter", "unit", glossary=(), match_case=True),
    _a("mg", "milligram", "unit", glossary=()),
    _a("g", "gram", "unit", spellings=("gm",), glossary=()),
    _a("kg", "kilogram", "unit", glossary=()),
    _a("mcg", "microgram; the safe abbreviation (never µg)", "unit", patient="mcg"),
    _a("mEq", "milliequivalent", "unit"),
    _a("units", "units", "unit", spellings=("unit",), glossary=()),
    _a("tsp", "teaspoonful (5 mL)", "unit", patient="teaspoonful (5 mL)", glossary=()),
    _a(
        "tbsp",
        "tablespoonful (15 mL)",
        "unit",
        spellings=("tbs",),
        patient="tablespoonful (15 mL)",
        glossary=(),
    ),
    _a("oz", "ounce (30 mL)", "unit", glossary=()),
    _a(
        "cc",
        "cubic centimeter, the same volume as a milliliter",
        "unit",
        spellings=("CC", "c.c."),
        patient="mL",
        error=_ismp('"u" (units)', '"mL"'),
    ),
    _a(
        "µg",
        "microgram",
        "unit",
        spellings=("μg", "ug"),
        patient="mcg",
        error=_ismp('"mg" (a thousand times more)', '"mcg"'),
        glossary=("µg", "μg"),
    ),
    _a(
        "U",
        "unit(s)",
        "unit",
        spellings=("u",),
        patient="units",
        error=_tjc(
            '0 or 4, causing a tenfold overdose or more (4U seen as 40), or as "cc"', '"units"'
        ),
        glossary=(),
    ),
    _a(
        "IU",
        "international unit",
        "unit",
        spellings=("I.U.",),
        patient="units",
        error=_tjc('"IV" (intravenous) or the number 10', '"units"'),
    ),
    _a(
        "ml",
        "milliliter",
        "unit",
        patient="mL",
        error=_ismp('a lowercase "l" read as the number 1', '"mL"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "l",
        "liter",
        "unit",
        patient="L",
        error=_ismp("the number 1", '"L"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "MM",
        "million",
        "amount",
        patient="million",
        error=_ismp('"thousand" (M has been used for both)', '"million"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "M",
        "thousand or million",
        "amount",
        error=_ismp(
            "the other one: M has been used for both thousand and million",
            '"thousand" or "million"',
        ),
        glossary=(),
        match_case=True,
    ),
    _a(
        "K",
        "thousand",
        "amount",
        patient="thousand",
        error=_ismp('"million"', '"thousand"'),
        glossary=(),
        match_case=True,
    ),
    _a(
        "ng",
        "nanogram",
        "unit",
        spellings=("Ng",),
        patient="nanograms",
        error=_ismp('"mg" or "nasogastric"', '"nanogram" or "nanog"'),
        glossary=(),
    ),
    _a(
        "ss",
        "one-half (apothecary) or sliding scale",
        "amount",
        spellings=("SS",),
        patient="one-half",
        error=_ismp('"55"', '"one-half" or "sliding scale"'),
        glossary=("ss",),
    ),
    _a(
        "SSRI",
        "sliding scale regular insulin",
        "instruction",
        spellings=("SSI",),
        error=_ismp(
            '"selective serotonin reuptake inhibitor" or "strong solution of iodine"',
            '"sliding scale (insulin)"',
        ),
        glossary=(),
        match_case=True,
    ),
    _a("qs", "a sufficient quantity", "amount", spellings=("q.s.",)),
    _a("qs ad", "add a sufficient quantity to make (the stated final amount)", "amount"),
    _a("aa", "of each (equal amounts of each ingredient)", "amount"),
    _a("c̄", "with", "general", spellings=("w/",), patient="with", glossary=()),
    _a("s̄", "without", "general", spellings=("w/o",), patient="without", glossary=()),
    # --- what it is for ---------------------------------------------------------------------
    _a("n/v", "nausea and vomiting", "indication", spellings=("N/V", "n&v"), glossary=()),
    _a("SOB", "shortness of breath", "indication", glossary=(), match_case=True),
    _a("HA", "headache", "indication", spellings=("ha",), glossary=()),
    _a("CP", "chest pain", "indication", glossary=(), match_case=True),
    _a("HTN", "high blood pressure", "indication", glossary=()),
    _a("DM", "diabetes", "indication", glossary=(), match_case=True),
    _a("UTI", "urinary tract infection", "indication", glossary=()),
    _a("BS", "blood sugar", "indication", spellings=("BG",), glossary=(), match_case=True),
    # --- drug names (ISMP: write the full name, always) ------------------------------------------
    _a(
        "APAP",
        "acetaminophen",
        "drug",
        error=_ismp(
            "something other than acetaminophen (it is not recognised)", "the full drug name"
        ),
    ),
    _a(
        "ASA",
        "aspirin",
        "drug",
        error=_ismp("something other than aspirin", "the full drug name"),
        glossary=(),
        match_case=True,
    ),
    _a(
        "ARA A",
        "vidarabine",
        "drug",
        error=_ismp('cytarabine ("ARA C")', "the full drug name"),
        glossary=(),
    ),
    _a(
        "AT II",
        "angiotensin II",
        "drug",
        error=_ismp("antithrombin III", "the full drug name"),
        glossary=(),
    ),
    _a(
        "AT III",
        "antithrombin III",
        "drug",
        error=_ismp("angiotensin II", "the full drug name"),
        glossary=(),
    ),
    _a(
        "AZT",
        "zidovudine",
        "drug",
        error=_ismp("azithromycin, azaTHIOprine or aztreonam", "the full drug name"),
        glossary=(),
    ),
    _a(
        "CPZ",
        "prochlorperazine (Compazine)",
        "drug",
        error=_ismp("chlorproMAZINE", "the full drug name"),
        glossary=(),
    ),
    _a(
        "DTO",
        "diluted (deodorized) tincture of opium",
        "drug",
        error=_ismp("tincture of opium, 25 times stronger", "the full drug name"),
        glossary=(),
    ),
    _a(
        "HCl",
        "hydrochloric acid or hydrochloride",
        "drug",
        spellings=("HCL",),
        error=_ismp(
            'potassium chloride (the "H" read as "K")',
            "the full drug name unless it is part of a salt's name",
        ),
        glossary=(),
    ),
    _a(
        "HCT",
        "hydrocortisone",
        "drug",
        error=_ismp("hydroCHLOROthiazide", "the full drug name"),
        glossary=(),
        match_case=True,
    ),
    _a(
        "HCTZ",
        "hydrochlorothiazide",
        "drug",
        error=_ismp('hydrocortisone (seen as "HCT250 mg")', "the full drug name"),
    ),
    _a("MgSO4", "magnesium sulfate", "drug", error=_tjc("morphine sulfate", '"magnesium sulfate"')),
    _a("MSO4", "morphine sulfate", "drug", error=_tjc("magnesium sulfate", '"morphine sulfate"')),
    _a(
        "MS",
        "morphine sulfate or magnesium sulfate",
        "drug",
        error=_tjc("the other one", '"morphine sulfate" or "magnesium sulfate"'),
        glossary=(),
        match_case=True,
    ),
    _a("MTX", "methotrexate", "drug", error=_ismp("mitoxantrone", "the full drug name")),
    _a(
        "NoAC",
        "novel or new oral anticoagulant",
        "drug",
        spellings=("NOAC",),
        error=_ismp('"no anticoagulant"', "the full drug name"),
        glossary=(),
    ),
    _a(
        "PCA",
        "procainamide",
        "drug",
        error=_ismp("patient-controlled analgesia", "the full drug name"),
        glossary=(),
        match_case=True,
    ),
    _a(
        "PTU",
        "propylthiouracil",
        "drug",
        error=_ismp("mercaptopurine", "the full drug name"),
        glossary=(),
    ),
    _a(
        "T3",
        "acetaminophen with codeine No. 3 (Tylenol with Codeine No. 3)",
        "drug",
        error=_ismp("liothyronine", "the full drug name"),
        glossary=(),
        match_case=True,
    ),
    _a(
        "TAC",
        "triamcinolone or tetracaine, epinephrine and cocaine",
        "drug",
        spellings=("tac",),
        error=_ismp("the other one", "the full drug name"),
        glossary=(),
    ),
    _a(
        "TNK",
        "tenecteplase (TNKase)",
        "drug",
        error=_ismp('"TPA"', "the full drug name"),
        glossary=(),
    ),
    _a(
        "TPA",
        "alteplase (tissue plasminogen activator)",
        "drug",
        spellings=("tPA",),
        error=_ismp("TNKase (tenecteplase) or other thrombolytics", "the full drug name"),
        glossary=(),
    ),
    _a(
        "TXA",
        "tranexamic acid",
        "drug",
        error=_ismp("tissue plasminogen activator", "the full drug name"),
        glossary=(),
    ),
    _a(
        "ZnSO4",
        "zinc sulfate",
        "drug",
        error=_ismp("morphine sulfate", "the full drug name"),
        glossary=(),
    ),
    # --- symbols ------------------------------------------------------------------------------
    _a("@", "at", "symbol", patient="at", error=_ismp('"2"', '"at"'), glossary=()),
    _a("&", "and", "symbol", patient="and", error=_ismp('"2"', '"and"'), glossary=()),
    _a("+", "plus or and", "symbol", patient="and", error=_ismp('"4"', '"and"'), glossary=()),
    _a(
        "°",
        "hour",
        "symbol",
        error=_ismp('a zero ("q2°" seen as "q 20")', '"hour", "h" or "hr"'),
        glossary=(),
    ),
    _a(
        "/",
        "per, or between two doses",
        "symbol",
        error=_ismp(
            'the number 1 ("25 units/10 units" read as "25 units and 110 units")',
            '"per" rather than a slash',
        ),
        glossary=(),
    ),
    _a(
        "ø",
        "zero or none",
        "symbol",
        spellings=("∅",),
        error=_ismp('"4", "6", "8" or "9"', '"0" or "zero", or describe it'),
        glossary=(),
    ),
    _a("ʒ", "dram", "symbol", error=_ismp("the number 3", "metric units"), glossary=()),
    _a("gr", "grain", "unit", error=_ismp('"gram"', "metric units"), glossary=(), match_case=True),
    # --- the prescription ---------------------------------------------------------------------
    _a("Rx", "prescription", "general", spellings=("℞",), glossary=("Rx",)),
    _a(
        "sig",
        'the directions for use on a prescription (from the Latin signa, "mark" or "label")',
        "general",
        spellings=("Sig",),
    ),
    _a("disp", "dispense", "general", glossary=()),
    _a("ea", "each", "general", patient="each", glossary=()),
    _a(
        "DAW",
        "dispense as written: the claim code saying whether a generic may be substituted",
        "general",
    ),
)

# The dose designations on ISMP's list that are ways of writing a number or a unit. The
# answer grader flags these forms in typed answers; `sig.error_prone` flags them in sigs.
NUMBER_STYLES: dict[str, tuple[str, str]] = {
    # form: (advice for a learner, source)
    "naked_decimal": (
        "Write a leading zero (0.5, not .5): a bare decimal point is easily missed, making the "
        "dose ten times larger.",
        f"{TJC_LIST}; {ISMP_LIST}",
    ),
    "trailing_zero": (
        "Leave off trailing zeros (5 mg, not 5.0 mg): the decimal point can be missed, making "
        "the dose ten times larger.",
        f"{TJC_LIST}; {ISMP_LIST}",
    ),
    "no_space": (
        "Put a space between the number and the unit (10 mg, not 10mg): the run-together m has "
        "been misread as a zero or two zeros.",
        ISMP_LIST,
    ),
    "no_thousands_comma": (
        "Write commas in numbers of 1,000 or more (100,000 units, not 100000 units): 100000 has "
        "been misread as 10,000 or 1,000,000.",
        ISMP_LIST,
    ),
    "unit_period": (
        "Write unit abbreviations without a period (mg, not mg.): the period can be misread as "
        "the number 1.",
        ISMP_LIST,
    ),
    "roman_numeral": (
        "Write doses in Arabic numerals (1, 2, 3), not Roman numerals: they are misread as "
        "letters or as the wrong number.",
        ISMP_LIST,
    ),
    "fraction": (
        'Write "half tablet" or ½ tablet, not 1/2 tablet: 1/2 has been misread as 1 or 2.',
        ISMP_LIST,
    ),
}

# The site's one policy for error-prone ways of writing an amount, applied alike by
# quizzes, knowledge checks and the calculator: the forms on The Joint Commission's
# "Do Not Use" list always lose the mark (misread, each is a tenfold or worse dose error);
# the other ISMP forms are pointed out with the reason.
DO_NOT_USE_FORMS = ("naked_decimal", "trailing_zero", "u", "iu")
AMOUNT_POLICY = (
    "Write amounts the safe way: 0.5, not .5; 5, not 5.0; units, not U or IU. These forms are on "
    "The Joint Commission's “Do Not Use” list, so an answer written that way is marked wrong even "
    "when the value is right, and you are told why. Other error-prone forms (cc, µg, 10mg, 100000 "
    "without commas) are pointed out with the reason."
)
AMOUNT_POLICY_SHORT = "Write 0.5, not .5, and 5, not 5.0: either form loses the mark, even when the value is right."

# Each unsafe unit spelling the grader reads: its flag and the unit it stands for.
UNSAFE_UNITS: dict[str, tuple[str, str]] = {
    "cc": ("cc", "mL"),
    "µg": ("microgram_symbol", "mcg"),
    "μg": ("microgram_symbol", "mcg"),
    "ug": ("microgram_symbol", "mcg"),
    "u": ("u", "units"),
    "iu": ("iu", "units"),
}
# Lower-case l for liter: matched case-sensitively, because "mL" and "L" are the safe forms.
LOWERCASE_LITER: dict[str, str] = {"ml": "mL", "l": "L", "dl": "dL"}

_ADVICE_BY_FLAG = {"cc": "cc", "microgram_symbol": "µg", "u": "U", "iu": "IU"}


def unit_advice(flag: str) -> str:
    """The grader's advice for an unsafe unit flag, worded from the table."""
    if flag == "lowercase_l":
        entry = BY_CODE["ml"]
        assert entry.error is not None
        return (
            'Write "mL" and "L" with a capital L: a lower-case l is misread as the number 1 '
            f"({entry.error.lists})."
        )
    entry = BY_CODE[_ADVICE_BY_FLAG[flag]]
    assert entry.error is not None
    return f'Write {entry.error.write}, not "{entry.code}": it is mistaken for {entry.error.mistaken_for}.'


BY_CODE: dict[str, Abbreviation] = {entry.code: entry for entry in ABBREVIATIONS}


def _lookup_tables() -> tuple[dict[str, Abbreviation], dict[str, Abbreviation]]:
    exact: dict[str, Abbreviation] = {}
    folded: dict[str, Abbreviation] = {}
    for entry in ABBREVIATIONS:
        for form in (entry.code, *entry.spellings):
            exact.setdefault(form, entry)
            if not entry.match_case:
                folded.setdefault(normal_form(form), entry)
    return exact, folded


def normal_form(text: str) -> str:
    """How the sig reader compares written forms: lower case, periods and spaces dropped."""
    return text.replace(".", "").replace(" ", "").replace("-", "").casefold()


EXACT, FOLDED = _lookup_tables()


def find(written: str) -> Abbreviation | None:
    """The entry for a written form: exact first ("HS", "AS"), then ignoring case and periods."""
    if not isinstance(written, str) or not written or len(written) > 40:
        return None
    stripped = written.strip()
    return EXACT.get(stripped) or FOLDED.get(normal_form(stripped))


def glossary_terms() -> dict[str, str]:
    """Every glossary form of the table mapped to its meaning, for the site glossary."""
    terms: dict[str, str] = {}
    for entry in ABBREVIATIONS:
        for form in entry.glossary_forms:
            terms[form] = entry.glossary_meaning()
    return terms


def error_prone_entries() -> tuple[Abbreviation, ...]:
    """The entries on ISMP's list or The Joint Commission's "Do Not Use" list."""
    return tuple(entry for entry in ABBREVIATIONS if entry.error is not None)
