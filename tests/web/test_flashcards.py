"""Flashcards: decks from the glossary, FSRS scheduling through the package, what is due today,
a review session that survives a reload, and instructors' decks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from trainer.extensions import db
from trainer.models import (
    AreaMastery,
    Flashcard,
    FlashcardDeck,
    FlashcardProgress,
    FlashcardReview,
    utcnow,
)
from trainer.readiness.flashcards import NEW_PER_DAY
from trainer.rx.records import Drug
from trainer.services import flashcards
from trainer.web.flashcards import routes

MORNING = utcnow().replace(hour=8, minute=0, second=0, microsecond=0)
GLOSSARY = {
    "BIN": "bank identification number", "bin": "bank identification number",
    "PCN": "processor control number", "DEA": "Drug Enforcement Administration",
}
DRUGS = [
    Drug("atorvastatin", brands=("Lipitor",), drug_class="statin"),
    Drug("oxycodone", brands=("Roxicodone",), drug_class="opioid analgesic", schedule="CII"),
]


@pytest.fixture
def decks(app):
    flashcards.sync_builtin_decks(GLOSSARY, DRUGS)
    db.session.commit()
    return {deck.slug: deck for deck in db.session.scalars(select(FlashcardDeck))}


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = MORNING

    monkeypatch.setattr(routes, "current_time", lambda: Clock.now)
    return Clock


@pytest.fixture
def learner(auth):
    return auth.login("learner")


def small_deck(cards: int, actor, slug: str = "statins") -> FlashcardDeck:
    text = "\n".join(f"Brand {n} :: generic {n}" for n in range(cards))
    deck, problems = flashcards.save_deck(slug=slug, title="Statins", description="", blueprint=["ptce-2020:1.1"],
                                          cards_text=text, actor=actor)
    assert problems == []
    db.session.commit()
    return deck


def test_the_sites_data_gives_four_decks(decks):
    assert set(decks) == {"sig-codes", "error-prone-abbreviations", "top-drugs", "abbreviations"}
    assert [c.front for c in decks["abbreviations"].cards] == [
        "What does BIN or bin stand for?", "What does PCN stand for?", "What does DEA stand for?",
    ]
    assert [c.back for c in decks["top-drugs"].cards] == [
        "atorvastatin: statin; not a controlled substance",
        "oxycodone: opioid analgesic; Schedule II controlled substance (C-II)",
    ]
    sig_codes = {c.key: c for c in decks["sig-codes"].cards}
    assert sig_codes["bid"].back == "twice a day" and "qd" not in sig_codes
    assert "qd" in {c.key for c in decks["error-prone-abbreviations"].cards}
    assert decks["top-drugs"].blueprint == ["ptce-2020:1.1", "ptce-2026:1"]


def test_rebuilding_keeps_cards_by_key_and_retires_what_left_the_source(decks):
    deck = decks["abbreviations"]
    pcn = next(c for c in deck.cards if c.key == "pcn")
    report = flashcards.sync_builtin_decks({"PCN": "processor control number (claims routing)", "BIN": "bank identification number"}, DRUGS)
    db.session.refresh(pcn)
    assert pcn.back == "processor control number (claims routing)" and not pcn.retired
    assert next(c for c in deck.cards if c.key == "dea").retired
    assert report == {"sig-codes": "unchanged", "error-prone-abbreviations": "unchanged",
                      "top-drugs": "unchanged", "abbreviations": "updated"}


@pytest.mark.shipped_content
def test_the_import_builds_the_decks(app, shipped_import):
    assert "flashcard decks: 4 created" in shipped_import.output
    assert db.session.scalar(select(FlashcardDeck).where(FlashcardDeck.slug == "error-prone-abbreviations"))


def test_a_review_is_scheduled_by_the_fsrs_package(app, user_factory):
    learner = user_factory()
    deck = small_deck(1, learner)
    card = deck.cards[0]
    progress = flashcards.record_review(learner, card, 3, MORNING)
    expected, _ = Scheduler(enable_fuzzing=False).review_card(
        Card(card_id=card.id, due=MORNING), Rating.Good, review_datetime=MORNING
    )
    assert progress.state == expected.to_dict()
    assert progress.due_at == expected.due


def test_new_cards_due_today_are_capped_per_deck(app, user_factory):
    learner = user_factory()
    small_deck(NEW_PER_DAY + 5, learner)
    status = flashcards.deck_statuses(learner, MORNING)[0]
    assert (status.cards, status.due, status.new_today, status.due_today) == (NEW_PER_DAY + 5, 0, NEW_PER_DAY, NEW_PER_DAY)


def test_a_retired_deck_has_no_reviews_due(app, user_factory):
    learner = user_factory()
    small_deck(4, learner)
    small_deck(2, learner, slug="retired").status = "retired"
    db.session.commit()
    assert flashcards.due_today(learner, MORNING) == 4


def test_the_due_count_after_a_day_of_reviews(app, user_factory):
    learner = user_factory()
    deck = small_deck(6, learner)
    assert flashcards.due_today(learner, MORNING) == 6
    # the morning: every card met once; Again for two, Good for the rest
    for card, rating in zip(deck.cards, [1, 3, 3, 1, 3, 3], strict=True):
        flashcards.record_review(learner, card, rating, MORNING)
    # the afternoon: what is due by then is reviewed again, and answered Good
    afternoon = MORNING + timedelta(hours=6)
    while (found := flashcards.next_card(learner, deck, afternoon)) is not None:
        flashcards.record_review(learner, found[0], 3, afternoon)
    db.session.commit()
    scheduler = Scheduler(enable_fuzzing=False)
    end_of_day = MORNING.replace(hour=0) + timedelta(days=1)
    expected = 0
    for card in deck.cards:
        state = Card(card_id=card.id, due=MORNING)
        state, _ = scheduler.review_card(state, Rating.Again if card.position in (0, 3) else Rating.Good,
                                         review_datetime=MORNING)
        if state.due <= afternoon:
            state, _ = scheduler.review_card(state, Rating.Good, review_datetime=afternoon)
        expected += state.due < end_of_day
    assert flashcards.due_today(learner, afternoon) == expected
    # the two cards answered Again are on their ten-minute learning step: due again today
    assert expected == 2
    assert flashcards.due_today(learner, MORNING + timedelta(days=1, hours=23)) >= 4


def test_a_flashcard_review_counts_towards_mastery_at_half_weight(app, user_factory):
    learner = user_factory()
    deck = small_deck(1, learner)
    flashcards.record_review(learner, deck.cards[0], 4, MORNING)
    row = db.session.get(AreaMastery, (learner.id, "ptce-2020:1.1"))
    assert (row.right, row.wrong) == (0.5, 0)


# ---- the pages ----------------------------------------------------------------------------------


def test_the_deck_list_shows_what_is_due_today(client, learner, decks, clock):
    page = client.get("/flashcards/").get_data(as_text=True)
    for title in ("Sig codes", "Error-prone abbreviations", "Top drugs", "Pharmacy abbreviations"):
        assert title in page


def test_the_review_page_shows_the_front_and_hides_the_back(client, learner, decks, clock):
    page = client.get("/flashcards/abbreviations").get_data(as_text=True)
    assert "What does BIN or bin stand for?" in page
    assert 'id="card-back" hidden' in page
    assert "space shows the answer; 1 Again, 2 Hard, 3 Good, 4 Easy" in page
    assert 'src="/static/js/flashcards.js"' in page


def test_without_javascript_a_link_shows_the_answer_and_buttons_rate_it(client, learner, decks, clock):
    page = client.get("/flashcards/abbreviations?show=1").get_data(as_text=True)
    assert 'id="card-back">' in page and "bank identification number" in page
    assert page.count('name="rating"') == 4


def test_rating_moves_on_to_the_next_card(client, learner, decks, clock):
    card = decks["abbreviations"].cards[0]
    response = client.post("/flashcards/abbreviations/review", data={"card": card.id, "rating": "4"})
    assert response.status_code == 302
    assert "What does PCN stand for?" in client.get(response.location).get_data(as_text=True)


def test_a_reload_shows_the_same_card_and_a_repeated_rating_counts_once(client, learner, decks, clock):
    first = client.get("/flashcards/abbreviations").get_data(as_text=True)
    assert first == client.get("/flashcards/abbreviations").get_data(as_text=True)
    card = decks["abbreviations"].cards[0]
    client.post("/flashcards/abbreviations/review", data={"card": card.id, "rating": "3"})
    client.post("/flashcards/abbreviations/review", data={"card": card.id, "rating": "3"})
    assert db.session.scalar(select(db.func.count(FlashcardReview.id))) == 1


def test_a_rating_out_of_range_is_refused(client, learner, decks, clock):
    card = decks["abbreviations"].cards[0]
    assert client.post("/flashcards/abbreviations/review", data={"card": card.id, "rating": "5"}).status_code == 400
    assert client.post("/flashcards/abbreviations/review", data={"card": "x", "rating": "3"}).status_code == 400


def test_a_card_of_another_deck_is_refused(client, learner, decks, clock):
    other = decks["error-prone-abbreviations"].cards[0]
    assert client.post("/flashcards/abbreviations/review", data={"card": other.id, "rating": "3"}).status_code == 400


def test_when_nothing_is_due_the_page_says_when_to_come_back(client, learner, decks, clock):
    for card in decks["abbreviations"].cards:
        client.post("/flashcards/abbreviations/review", data={"card": card.id, "rating": "1"})
    page = client.get("/flashcards/abbreviations").get_data(as_text=True)
    assert "comes back at" in page
    assert db.session.scalar(select(db.func.count(FlashcardProgress.card_id))) == 3


# ---- instructors' decks ------------------------------------------------------------------------------


def test_an_instructor_adds_a_deck_and_learners_can_review_it(client, auth, clock):
    auth.login("instructor")
    response = client.post("/flashcards/decks/new", data={
        "title": "Top statins", "slug": "top-statins", "description": "Brand and generic",
        "blueprint": "ptce-2020:1.1 ptce-2026:1", "cards": "Lipitor :: atorvastatin\nZocor :: simvastatin",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    deck = db.session.scalar(select(FlashcardDeck).where(FlashcardDeck.slug == "top-statins"))
    assert [c.front for c in deck.cards] == ["Lipitor", "Zocor"]
    auth.logout()
    auth.login("learner")
    assert "Lipitor" in client.get("/flashcards/top-statins").get_data(as_text=True)


def test_a_deck_with_problems_is_shown_again_with_them_beside_the_fields(client, auth, clock):
    auth.login("instructor")
    response = client.post("/flashcards/decks/new", data={
        "title": "", "slug": "Bad Slug", "blueprint": "ptce-2099:9", "cards": "Lipitor atorvastatin",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give the deck a title." in page
    assert "Use lowercase letters, digits and hyphens" in page
    assert "ptce-2099:9 is not an exam area" in page
    assert "line 1: write the front, then ::, then the back" in page
    assert "Lipitor atorvastatin" in page  # nothing typed is lost


def test_editing_a_card_back_keeps_its_schedule(client, auth, clock, user_factory):
    instructor = auth.login("instructor")
    deck = small_deck(2, instructor)
    learner = user_factory()
    flashcards.record_review(learner, deck.cards[0], 3, MORNING)
    db.session.commit()
    client.post(f"/flashcards/decks/{deck.slug}/edit", data={
        "title": "Statins", "slug": deck.slug, "blueprint": "ptce-2020:1.1",
        "cards": "Brand 0 :: generic zero\nBrand 1 :: generic 1",
    })
    db.session.expire_all()
    card = db.session.scalar(select(Flashcard).where(Flashcard.deck_id == deck.id, Flashcard.key == "brand 0"))
    assert card.back == "generic zero"
    assert db.session.get(FlashcardProgress, (learner.id, card.id)) is not None


def test_learners_cannot_edit_decks(client, learner, decks, clock):
    assert client.get("/flashcards/decks/new").status_code == 403
