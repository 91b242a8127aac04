"""Flashcard decks from the site's data (the shared abbreviation table, the drug reference, the
glossary) and the text format instructors write decks in."""

from __future__ import annotations

from pathlib import Path

from trainer.content.glossary import load_glossary
from trainer.readiness.decks import (
    BUILTIN_DECKS,
    TOP_DRUGS_DECK,
    builtin_cards,
    deck_text,
    error_prone_cards,
    glossary_cards,
    read_deck_text,
    sig_code_cards,
    top_drug_cards,
)
from trainer.rx.abbreviations import Abbreviation, ErrorProne
from trainer.rx.formulary import load_drug_dir
from trainer.rx.records import Drug

ROOT = Path(__file__).resolve().parents[3]
TABLE = (
    Abbreviation("bid", "twice a day", "frequency"),
    Abbreviation("po", "by mouth", "route", patient="by mouth"),
    Abbreviation("hs", "at bedtime", "timing", patient="at bedtime"),
    Abbreviation("qd", "every day", "frequency", error=ErrorProne('"qid"', '"daily"', tjc=True)),
    Abbreviation("MSO4", "morphine sulfate", "drug", error=ErrorProne("magnesium sulfate", '"morphine sulfate"')),
    Abbreviation("daily", "once a day", "frequency", patient="daily"),
    Abbreviation("ud", "as directed", "instruction", patient="use as directed"),
)


def test_a_sig_code_card_gives_the_meaning_and_the_label_wording():
    cards = {c.key: c for c in sig_code_cards(TABLE)}
    assert cards["bid"].front == "What does bid mean?" and cards["bid"].back == "twice a day"
    assert cards["ud"].back == "as directed. On the label: \u201cuse as directed\u201d"


def test_error_prone_and_plain_words_stay_out_of_the_sig_deck():
    assert [c.key for c in sig_code_cards(TABLE)] == ["bid", "po", "hs", "ud"]


def test_an_error_prone_card_says_what_it_is_mistaken_for_and_what_to_write():
    cards = error_prone_cards(TABLE)
    assert [c.key for c in cards] == ["qd", "mso4"]
    assert cards[0].back == ('every day. Mistaken for "qid". Write "daily" instead '
                             "(on The Joint Commission's \"Do Not Use\" list and ISMP's list).")


def test_a_top_drug_card_asks_from_the_brand():
    drugs = [Drug("atorvastatin", brands=("Lipitor",), drug_class="statin"),
             Drug("oxycodone", brands=("Roxicodone", "Oxaydo"), drug_class="opioid analgesic", schedule="CII"),
             Drug("penicillin V potassium", drug_class="natural penicillin")]
    cards = {c.key: c for c in top_drug_cards(drugs)}
    assert cards["atorvastatin"].front == "Lipitor: generic name, class and schedule?"
    assert cards["atorvastatin"].back == "atorvastatin: statin; not a controlled substance"
    assert cards["oxycodone"].front.startswith("Roxicodone / Oxaydo")
    assert cards["oxycodone"].back.endswith("Schedule II controlled substance (C-II)")
    assert cards["penicillin v potassium"].front == "penicillin V potassium: class and schedule?"


def test_glossary_spellings_that_differ_only_in_case_share_a_card():
    cards = glossary_cards({"BIN": "bank identification number", "bin": "bank identification number"})
    assert [(c.key, c.front) for c in cards] == [("bin", "What does BIN or bin stand for?")]


def test_the_shipped_data_fills_every_deck_with_distinct_keys():
    glossary = load_glossary(ROOT / "courses" / "glossary.yaml", shared=False)
    drugs = load_drug_dir(ROOT / "question_bank" / "data").drugs
    drugs = list(drugs.values()) if isinstance(drugs, dict) else list(drugs)
    sizes = {}
    for deck in BUILTIN_DECKS:
        cards = builtin_cards(deck, glossary=glossary, drugs=drugs)
        assert len({c.key for c in cards}) == len(cards), deck.slug
        sizes[deck.slug] = len(cards)
    assert sizes[TOP_DRUGS_DECK.slug] >= 250
    assert sizes["sig-codes"] > 50 and sizes["error-prone-abbreviations"] > 50 and sizes["abbreviations"] > 20


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
