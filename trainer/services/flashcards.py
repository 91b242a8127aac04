"""Flashcard decks and reviews: decks built from the site's data or written by instructors, each
learner's FSRS state per card, and reviews that also count (lightly) towards mastery.

What is due today: a learner's cards due before midnight UTC, and the new cards they
may still meet today (NEW_PER_DAY per deck). The next card is always computed from
the database, so a review session survives a reload, a second tab or another device.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select

from trainer.extensions import db
from trainer.models import (
    Flashcard,
    FlashcardDeck,
    FlashcardProgress,
    FlashcardReview,
    User,
    utcnow,
)
from trainer.questions.question import BLUEPRINT_PATTERN, ID_PATTERN
from trainer.readiness.decks import BUILTIN_DECKS, CardText, builtin_cards, read_deck_text
from trainer.readiness.flashcards import (
    NEW_PER_DAY,
    due_at,
    end_of_day,
    next_intervals,
    recall_score,
    review,
)
from trainer.rx.records import Drug
from trainer.services.mastery import Evidence, blueprints, record_evidence

# ---- building decks ---------------------------------------------------------------------------


def _sync_cards(deck: FlashcardDeck, cards: list[CardText]) -> bool:
    """Make the deck's cards these, by key: new ones added, changed ones rewritten, missing ones
    retired (kept for the learners' history). Whether anything changed."""
    existing = {card.key: card for card in deck.cards}
    changed = False
    for position, text in enumerate(cards):
        card = existing.pop(text.key, None)
        if card is None:
            deck.cards.append(Flashcard(key=text.key, front=text.front, back=text.back, position=position))
            changed = True
        elif (card.front, card.back, card.position, card.retired) != (text.front, text.back, position, False):
            card.front, card.back, card.position, card.retired = text.front, text.back, position, False
            changed = True
    for card in existing.values():
        changed = changed or not card.retired
        card.retired = True
    return changed


def sync_builtin_decks(glossary: dict[str, str], drugs: Iterable[Drug]) -> dict[str, str]:
    """Build the site's own decks (on import): "created", "updated" or "unchanged" by slug.

    `glossary` is courses/glossary.yaml's own terms (the shared abbreviation table feeds
    the sig-code and error-prone decks), `drugs` the drug reference.
    """
    drugs = list(drugs)
    report = {}
    for spec in BUILTIN_DECKS:
        deck = db.session.scalar(select(FlashcardDeck).where(FlashcardDeck.slug == spec.slug))
        created = deck is None
        if created:
            deck = FlashcardDeck(slug=spec.slug, builtin=spec.slug)
            db.session.add(deck)
        fields = (spec.title, spec.description, spec.source, list(spec.blueprint), spec.slug, "published")
        before = (deck.title, deck.description, deck.source, deck.blueprint, deck.builtin, deck.status)
        deck.title, deck.description, deck.source, deck.blueprint, deck.builtin, deck.status = fields
        changed = _sync_cards(deck, builtin_cards(spec, glossary=glossary, drugs=drugs))
        report[spec.slug] = "created" if created else ("updated" if changed or before != fields else "unchanged")
    db.session.flush()
    return report


def deck_problems(slug: str, title: str, blueprint: list[str], *, deck: FlashcardDeck | None) -> list[tuple[str, str]]:
    """Problems with an instructor's deck fields, as (field, message)."""
    problems = []
    if slug == "decks" or any(slug == spec.slug for spec in BUILTIN_DECKS):
        problems.append(("slug", "This address is taken by the site; choose another."))
    elif not ID_PATTERN.fullmatch(slug or "") or len(slug) > 80:
        problems.append(("slug", "Use lowercase letters, digits and hyphens, e.g. top-200-brands."))
    elif db.session.scalar(select(FlashcardDeck.id).where(FlashcardDeck.slug == slug)) not in (
        None, getattr(deck, "id", None)
    ):
        problems.append(("slug", "Another deck has this address already."))
    if not title.strip():
        problems.append(("title", "Give the deck a title."))
    codes = blueprints().codes
    for code in blueprint:
        if not BLUEPRINT_PATTERN.fullmatch(code) or code not in codes:
            problems.append(("blueprint", f"{code} is not an exam area; use codes such as ptce-2020:1.1."))
    return problems


def save_deck(*, slug: str, title: str, description: str, blueprint: list[str], cards_text: str,
              actor: User, deck: FlashcardDeck | None = None) -> tuple[FlashcardDeck | None, list[tuple[str, str]]]:
    """Create or change an instructor's deck; (deck, []) when saved, (None, problems) otherwise."""
    cards, problems = read_deck_text(cards_text)
    problems = deck_problems(slug, title, blueprint, deck=deck) + problems
    if problems:
        return None, problems
    if deck is None:
        deck = FlashcardDeck(created_by_id=actor.id)
        db.session.add(deck)
    deck.slug, deck.title, deck.description = slug, title.strip(), description.strip()
    deck.blueprint, deck.status = blueprint, "published"
    deck.source = deck.source or f"Written by {actor.name}"
    _sync_cards(deck, cards)
    db.session.flush()
    return deck, []


def deck_by_slug(slug: str) -> FlashcardDeck | None:
    """A published deck by its address."""
    return db.session.scalar(
        select(FlashcardDeck).where(FlashcardDeck.slug == slug, FlashcardDeck.status == "published")
    )


def live_cards(deck: FlashcardDeck) -> list[Flashcard]:
    """The deck's cards a learner can meet, in order."""
    return [card for card in deck.cards if not card.retired]


# ---- what is due ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeckStatus:
    """One deck for one learner today."""

    deck: FlashcardDeck
    cards: int
    started: int  # cards the learner has met
    due: int  # cards met before and due by the end of today
    new_today: int  # new cards they may still meet today

    @property
    def due_today(self) -> int:
        return self.due + self.new_today


# Built once: the dashboard runs these on every view, and building the selects cost
# more than running them.
PUBLISHED_DECKS = select(FlashcardDeck).where(FlashcardDeck.status == "published").order_by(FlashcardDeck.title)
LIVE_CARDS = (
    select(Flashcard.deck_id, func.count(Flashcard.id)).where(Flashcard.retired.is_(False))
    .group_by(Flashcard.deck_id)
)
# The same counts for published decks only: a deck without live cards has nothing due.
PUBLISHED_LIVE_CARDS = (
    LIVE_CARDS.join(FlashcardDeck, FlashcardDeck.id == Flashcard.deck_id)
    .where(FlashcardDeck.status == "published")
)
LEARNER_DECK_COUNTS = (
    select(
        FlashcardProgress.deck_id,
        func.count(),
        func.count().filter(FlashcardProgress.due_at < bindparam("day_ends")),
        func.count().filter(FlashcardProgress.introduced_at >= bindparam("day_starts")),
    )
    .join(Flashcard, Flashcard.id == FlashcardProgress.card_id)
    .where(FlashcardProgress.user_id == bindparam("user_id"), Flashcard.retired.is_(False))
    .group_by(FlashcardProgress.deck_id)
)


def _deck_counts(user_id: int, deck_ids: Iterable[int], now: datetime,
                 live: dict[int, int] | None = None) -> dict[int, tuple[int, int, int, int]]:
    """Per deck: (live cards, cards met, met cards due by the end of today, new cards left today)."""
    if live is None:
        live = dict(db.session.execute(LIVE_CARDS).all())
    day_ends = end_of_day(now)
    learner = {
        deck_id: (started, due, met_today)
        for deck_id, started, due, met_today in db.session.execute(
            LEARNER_DECK_COUNTS,
            {"user_id": user_id, "day_ends": day_ends, "day_starts": day_ends - timedelta(days=1)},
        )
    }
    counts = {}
    for deck_id in deck_ids:
        cards = live.get(deck_id, 0)
        started, due, met_today = learner.get(deck_id, (0, 0, 0))
        counts[deck_id] = (cards, started, due, max(min(NEW_PER_DAY - met_today, cards - started), 0))
    return counts


def deck_statuses(user: User, now: datetime) -> list[DeckStatus]:
    """Every published deck with the learner's counts for today (three queries, whatever the sizes)."""
    decks = list(db.session.scalars(PUBLISHED_DECKS))
    if not decks:
        return []
    counts = _deck_counts(user.id, [deck.id for deck in decks], now)
    statuses = []
    for deck in decks:
        cards, started, due, new_today = counts[deck.id]
        statuses.append(DeckStatus(deck, cards, started, due, new_today))
    return statuses


def deck_status(user: User, deck: FlashcardDeck, now: datetime) -> DeckStatus:
    """The learner's counts for one deck today."""
    return next(s for s in deck_statuses(user, now) if s.deck.id == deck.id)


def due_today(user: User, now: datetime) -> int:
    """Reviews due today over every deck (cards due, and new cards the learner may meet today)."""
    live = dict(db.session.execute(PUBLISHED_LIVE_CARDS).all())  # counts only: the dashboard shows a number
    if not live:
        return 0
    counts = _deck_counts(user.id, live, now, live=live)
    return sum(due + new_today for _cards, _started, due, new_today in counts.values())


def next_card(user: User, deck: FlashcardDeck, now: datetime) -> tuple[Flashcard, FlashcardProgress | None] | None:
    """The card to review now: the most overdue card due now, else a new card if today allows; None when done.

    A card due later today (a learning step of ten minutes) waits for its time.
    """
    progress = db.session.scalar(
        select(FlashcardProgress).join(Flashcard, Flashcard.id == FlashcardProgress.card_id)
        .where(FlashcardProgress.user_id == user.id, FlashcardProgress.deck_id == deck.id,
               FlashcardProgress.due_at <= now, Flashcard.retired.is_(False))
        .order_by(FlashcardProgress.due_at, FlashcardProgress.card_id).limit(1)
    )
    if progress is not None:
        return db.session.get(Flashcard, progress.card_id), progress
    if deck_status(user, deck, now).new_today <= 0:
        return None
    met = select(FlashcardProgress.card_id).where(FlashcardProgress.user_id == user.id)
    card = db.session.scalar(
        select(Flashcard).where(Flashcard.deck_id == deck.id, Flashcard.retired.is_(False),
                                Flashcard.id.not_in(met))
        .order_by(Flashcard.position, Flashcard.id).limit(1)
    )
    return (card, None) if card is not None else None


def later_today(user: User, deck: FlashcardDeck, now: datetime) -> datetime | None:
    """When the next card of the deck comes back today, if one does."""
    return db.session.scalar(
        select(func.min(FlashcardProgress.due_at)).where(
            FlashcardProgress.user_id == user.id, FlashcardProgress.deck_id == deck.id,
            FlashcardProgress.due_at > now, FlashcardProgress.due_at < end_of_day(now),
        )
    )


def rating_intervals(progress: FlashcardProgress | None, card: Flashcard, now: datetime) -> dict[int, timedelta]:
    """How long each rating would put the card away."""
    return next_intervals(progress.state if progress else None, now, card.id)


def record_review(user: User, card: Flashcard, rating: int, now: datetime | None = None) -> FlashcardProgress:
    """Schedule the card after a rating (1 Again … 4 Easy) with FSRS, log it, and count it as evidence."""
    now = now if now is not None else utcnow()
    progress = db.session.get(FlashcardProgress, (user.id, card.id))
    due_before = progress.due_at if progress else None
    state = review(progress.state if progress else None, rating, now, card.id)
    if progress is None:
        progress = FlashcardProgress(user_id=user.id, card_id=card.id, deck_id=card.deck_id,
                                     introduced_at=now, reviews=0)
        db.session.add(progress)
    progress.state, progress.due_at = state, due_at(state)
    progress.reviews = (progress.reviews or 0) + 1
    progress.last_reviewed_at = now
    db.session.add(FlashcardReview(user_id=user.id, card_id=card.id, rating=rating, reviewed_at=now,
                                   due_before=due_before))
    record_evidence(user.id, [Evidence(
        codes=tuple(card.deck.blueprint or ()), score=recall_score(rating), occurred_at=now,
        source="flashcard", reference=f"flashcard:{card.id}",
    )])
    db.session.flush()
    return progress


def reviews_today(user: User, now: datetime) -> int:
    """Reviews the learner has done today."""
    return db.session.scalar(
        select(func.count(FlashcardReview.id)).where(
            FlashcardReview.user_id == user.id,
            FlashcardReview.reviewed_at >= end_of_day(now) - timedelta(days=1),
        )
    )
