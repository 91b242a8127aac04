"""Flashcard decks from data the site already holds, and the text format instructors write.

Built-in decks are rebuilt from their source on every import:
- sig codes, and the error-prone abbreviations (ISMP, The Joint Commission), from the one
  abbreviation table the sig reader and the answer grader read (trainer.rx.abbreviations);
- top drugs (brand, generic, class, schedule) from the drug reference;
- the site glossary's other abbreviations (organisations, claims, law), courses/glossary.yaml.
A card's `key` is stable across rebuilds, so a learner's schedule survives a change of
wording. An instructor's deck is one card a line, `front :: back`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trainer.rx.abbreviations import ABBREVIATIONS, ISMP_LIST, SIG_MEANINGS, TJC_LIST, Abbreviation
from trainer.rx.records import Drug

MAX_CARD_TEXT = 500
MAX_CARDS = 1000
SEPARATOR = "::"
# Kinds of the abbreviation table a sig is written in (drug-name abbreviations and
# symbols are all error-prone: they have their own deck).
SIG_KINDS = ("frequency", "timing", "route", "site", "form", "unit", "amount", "instruction", "indication")


@dataclass(frozen=True)
class CardText:
    """One card: a stable key within its deck, the prompt and the answer."""

    key: str
    front: str
    back: str


@dataclass(frozen=True)
class BuiltinDeck:
    """A deck the site builds from its own data: what it is, what it trains, where it comes from."""

    slug: str
    title: str
    description: str
    blueprint: tuple[str, ...]
    source: str


SIG_CODES_DECK = BuiltinDeck(
    slug="sig-codes",
    title="Sig codes",
    description="The abbreviations of prescription directions, routes, dosage forms and units: "
    "what each means, and how the patient's label says it.",
    blueprint=("ptce-2020:4.2", "ptce-2026:4"),
    source=SIG_MEANINGS,
)
ERROR_PRONE_DECK = BuiltinDeck(
    slug="error-prone-abbreviations",
    title="Error-prone abbreviations",
    description="Abbreviations on ISMP's list and The Joint Commission's \"Do Not Use\" list: what "
    "each was meant to say, what it is mistaken for, and what to write instead.",
    blueprint=("ptce-2020:3.2", "ptce-2026:3"),
    source=f"{ISMP_LIST}; {TJC_LIST}",
)
TOP_DRUGS_DECK = BuiltinDeck(
    slug="top-drugs",
    title="Top drugs",
    description="The most prescribed US drugs: from the brand name, the generic name, the class "
    "and the controlled-substance schedule.",
    blueprint=("ptce-2020:1.1", "ptce-2026:1"),
    source="The site's drug reference: FDA labeling on DailyMed (https://dailymed.nlm.nih.gov), "
    "drugs chosen from the ClinCalc DrugStats Top 300 (https://clincalc.com/DrugStats/Top300Drugs.aspx)",
)
GLOSSARY_DECK = BuiltinDeck(
    slug="abbreviations",
    title="Pharmacy abbreviations",
    description="The other abbreviations of the pharmacy: organisations, claims, law and drug classes.",
    blueprint=("ptce-2020:4.2", "ptce-2026:4"),
    source="The site glossary (its sources are listed in the courses' glossary)",
)
BUILTIN_DECKS = (SIG_CODES_DECK, ERROR_PRONE_DECK, TOP_DRUGS_DECK, GLOSSARY_DECK)


def sig_code_cards(table: Iterable[Abbreviation] = ABBREVIATIONS) -> list[CardText]:
    """One card per sig abbreviation that is safe to write: its meaning and the label's wording."""
    cards = []
    for entry in table:
        if entry.kind not in SIG_KINDS or entry.error is not None:
            continue
        if entry.code.casefold() == entry.label_text.casefold() or len(entry.code) > 8:
            continue  # the safe word itself ("daily", "subcutaneously"), not an abbreviation
        back = entry.meaning
        if entry.label_text != entry.meaning:
            back += f". On the label: \u201c{entry.label_text}\u201d"
        cards.append(CardText(key=entry.code.casefold(), front=f"What does {entry.code} mean?", back=back))
    return _unique(cards)


def error_prone_cards(table: Iterable[Abbreviation] = ABBREVIATIONS) -> list[CardText]:
    """One card per error-prone abbreviation: what was meant, the mix-up, and what to write."""
    return _unique([
        CardText(
            key=entry.code.casefold(),
            front=f"{entry.code}: what was meant, and why should it not be written?",
            back=f"{entry.meaning}. Mistaken for {entry.error.mistaken_for}. "
            f"Write {entry.error.write} instead (on {entry.error.lists}).",
        )
        for entry in table if entry.error is not None
    ])


def _schedule(drug: Drug) -> str:
    if not drug.schedule:
        return "not a controlled substance"
    return f"Schedule {drug.schedule[1:]} controlled substance (C-{drug.schedule[1:]})"


def top_drug_cards(drugs: Iterable[Drug]) -> list[CardText]:
    """One card per drug: the brand name(s) asked, the generic, class and schedule answered."""
    cards = []
    for drug in sorted(drugs, key=lambda d: (d.rank or 10**6, d.generic.casefold())):
        if drug.brands:
            front = f"{' / '.join(drug.brands)}: generic name, class and schedule?"
            back = f"{drug.generic}: {drug.drug_class}; {_schedule(drug)}"
        else:
            front = f"{drug.generic}: class and schedule?"
            back = f"{drug.drug_class}; {_schedule(drug)}"
        cards.append(CardText(key=drug.generic.casefold()[:200], front=front, back=back))
    return _unique(cards)


def _grouped(glossary: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Entries that differ only in case (BIN, bin) share one card, in the glossary's order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for abbreviation, meaning in glossary.items():
        groups.setdefault(abbreviation.casefold(), []).append((abbreviation, meaning))
    return groups


def glossary_cards(glossary: dict[str, str]) -> list[CardText]:
    """The glossary's own entries (not the shared abbreviation table's), one card per spelling group."""
    return [
        CardText(
            key=group[0][0].casefold(),
            front=f"What does {' or '.join(a for a, _ in group)} stand for?",
            back=group[0][1],
        )
        for group in _grouped(glossary).values()
    ]


def _unique(cards: list[CardText]) -> list[CardText]:
    seen: set[str] = set()
    unique = []
    for card in cards:
        if card.key not in seen:
            seen.add(card.key)
            unique.append(card)
    return unique


def builtin_cards(deck: BuiltinDeck, *, glossary: dict[str, str], drugs: Iterable[Drug] = (),
                  table: Iterable[Abbreviation] = ABBREVIATIONS) -> list[CardText]:
    """The cards of a built-in deck from the site's data."""
    if deck is SIG_CODES_DECK:
        return sig_code_cards(table)
    if deck is ERROR_PRONE_DECK:
        return error_prone_cards(table)
    if deck is TOP_DRUGS_DECK:
        return top_drug_cards(drugs)
    if deck is GLOSSARY_DECK:
        return glossary_cards(glossary)
    raise KeyError(deck.slug)


def read_deck_text(text: str) -> tuple[list[CardText], list[tuple[str, str]]]:
    """Cards from an instructor's text, one `front :: back` a line; problems as (field, message).

    Blank lines and lines starting with # are skipped. A card's key is its front, so
    editing a card's back keeps the learners' schedules.
    """
    cards: list[CardText] = []
    problems: list[tuple[str, str]] = []
    fronts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"line {number}"
        front, separator, back = line.partition(SEPARATOR)
        front, back = front.strip(), back.strip()
        if not separator or not front or not back:
            problems.append(("cards", f"{where}: write the front, then ::, then the back"))
            continue
        if len(front) > MAX_CARD_TEXT or len(back) > MAX_CARD_TEXT:
            problems.append(("cards", f"{where}: a side may have at most {MAX_CARD_TEXT} characters"))
            continue
        key = " ".join(front.casefold().split())[:200]
        if key in fronts:
            problems.append(("cards", f"{where}: the same front as line {fronts[key]}"))
            continue
        fronts[key] = number
        cards.append(CardText(key=key, front=front, back=back))
    if len(cards) > MAX_CARDS:
        problems.append(("cards", f"a deck may have at most {MAX_CARDS} cards"))
    if not cards and not problems:
        problems.append(("cards", "give at least one card: front :: back"))
    return cards, problems


def deck_text(cards: list[CardText]) -> str:
    """An instructor's deck written back as text (for editing it)."""
    return "\n".join(f"{card.front} {SEPARATOR} {card.back}" for card in cards)
