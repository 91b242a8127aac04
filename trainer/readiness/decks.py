"""Flashcard decks from data the site already holds, and the text format instructors write.

Built-in decks are rebuilt from their source on every import: the glossary of pharmacy
abbreviations (courses/glossary.yaml) gives two, the error-prone abbreviations (ISMP,
The Joint Commission) and the rest. A card's `key` is stable across rebuilds, so a
learner's schedule survives a change of wording. An instructor's deck is one card a
line, `front :: back`.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CARD_TEXT = 500
MAX_CARDS = 1000
SEPARATOR = "::"


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


GLOSSARY_DECK = BuiltinDeck(
    slug="abbreviations",
    title="Pharmacy abbreviations",
    description="Sig codes, routes, dosage forms and the abbreviations of prescriptions and claims: "
    "say what each one means.",
    blueprint=("ptce-2020:4.2", "ptce-2026:4"),
    source="The site glossary (ISMP, The Joint Commission and standard sig-code tables)",
)
ERROR_PRONE_DECK = BuiltinDeck(
    slug="error-prone-abbreviations",
    title="Error-prone abbreviations",
    description="Abbreviations on ISMP's list and The Joint Commission's \"Do Not Use\" list: what "
    "each was meant to say, what it is mistaken for, and what to write instead.",
    blueprint=("ptce-2020:3.2", "ptce-2026:3"),
    source="ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations (2021), "
    "https://www.ismp.org/recommendations/error-prone-abbreviations-list; The Joint Commission "
    "\"Do Not Use\" list",
)
BUILTIN_DECKS = (GLOSSARY_DECK, ERROR_PRONE_DECK)


def _error_prone(meaning: str) -> bool:
    return "error-prone" in meaning.lower()


def _grouped(glossary: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Entries that differ only in case (bid, BID) share one card, in the glossary's order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for abbreviation, meaning in glossary.items():
        groups.setdefault(abbreviation.casefold(), []).append((abbreviation, meaning))
    return groups


def _card(group: list[tuple[str, str]], prompt: str) -> CardText:
    spellings = " or ".join(abbreviation for abbreviation, _ in group)
    return CardText(
        key=group[0][0].casefold(),
        front=prompt.replace("{abbreviation}", spellings, 1),
        back=group[0][1],
    )


def glossary_cards(glossary: dict[str, str]) -> list[CardText]:
    """The abbreviations deck: every glossary entry that is not error-prone, one card per spelling group."""
    return [
        _card(group, "What does {abbreviation} mean?")
        for group in _grouped(glossary).values()
        if not any(_error_prone(meaning) for _, meaning in group)
    ]


def error_prone_cards(glossary: dict[str, str]) -> list[CardText]:
    """The error-prone deck: what each listed abbreviation meant, its danger and the safe wording."""
    return [
        _card(group, "{abbreviation}: what was meant, and why should it not be written?")
        for group in _grouped(glossary).values()
        if any(_error_prone(meaning) for _, meaning in group)
    ]


def builtin_cards(deck: BuiltinDeck, glossary: dict[str, str]) -> list[CardText]:
    """The cards of a built-in deck from the site's data."""
    if deck is GLOSSARY_DECK:
        return glossary_cards(glossary)
    if deck is ERROR_PRONE_DECK:
        return error_prone_cards(glossary)
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
