"""Flashcard decks from the glossary, and the text format instructors write decks in."""

from __future__ import annotations

from pathlib import Path

from trainer.content.glossary import load_glossary
from trainer.readiness.decks import (
    ERROR_PRONE_DECK,
    GLOSSARY_DECK,
    builtin_cards,
    deck_text,
    error_prone_cards,
    glossary_cards,
    read_deck_text,
)

ROOT = Path(__file__).resolve().parents[3]
GLOSSARY = {
    "bid": "twice a day",
    "BID": "twice a day",
    "qd": "every day (error-prone, on ISMP's list: mistaken for qid; write \"daily\")",
    "QD": "every day (error-prone, on ISMP's list: mistaken for QID; write \"daily\")",
    "po": "by mouth",
}


def test_spellings_that_differ_only_in_case_share_a_card():
    cards = glossary_cards(GLOSSARY)
    assert [c.front for c in cards] == ["What does bid or BID mean?", "What does po mean?"]
    assert cards[0].back == "twice a day"
    assert cards[0].key == "bid"


def test_error_prone_abbreviations_have_their_own_deck_and_leave_the_other():
    cards = error_prone_cards(GLOSSARY)
    assert [c.key for c in cards] == ["qd"]
    assert "mistaken for qid" in cards[0].back and "daily" in cards[0].back
    assert "qd" not in {c.key for c in glossary_cards(GLOSSARY)}


def test_the_shipped_glossary_fills_both_decks():
    glossary = load_glossary(ROOT / "courses" / "glossary.yaml")
    abbreviations = builtin_cards(GLOSSARY_DECK, glossary)
    error_prone = builtin_cards(ERROR_PRONE_DECK, glossary)
    assert len(abbreviations) > 50 and len(error_prone) > 10
    keys = [c.key for c in abbreviations + error_prone]
    assert len(keys) == len(set(keys))


def test_an_instructors_deck_is_one_card_a_line():
    cards, problems = read_deck_text("# top drugs\nLipitor :: atorvastatin\n\n  Zocor::simvastatin  \n")
    assert problems == []
    assert [(c.front, c.back) for c in cards] == [("Lipitor", "atorvastatin"), ("Zocor", "simvastatin")]


def test_a_line_without_both_sides_is_reported_with_its_number():
    _, problems = read_deck_text("Lipitor :: atorvastatin\nZocor simvastatin\nNorvasc ::")
    assert problems == [
        ("cards", "line 2: write the front, then ::, then the back"),
        ("cards", "line 3: write the front, then ::, then the back"),
    ]


def test_the_same_front_twice_is_reported():
    _, problems = read_deck_text("Lipitor :: atorvastatin\nlipitor :: statin")
    assert problems == [("cards", "line 2: the same front as line 1")]


def test_an_empty_deck_is_reported():
    assert read_deck_text("# nothing\n")[1] == [("cards", "give at least one card: front :: back")]


def test_a_deck_written_back_reads_the_same():
    cards, _ = read_deck_text("Lipitor :: atorvastatin\nZocor :: simvastatin")
    assert read_deck_text(deck_text(cards))[0] == cards
