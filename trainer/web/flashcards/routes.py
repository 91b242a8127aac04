"""Flashcards: the decks with what is due today, a review page that works from the keyboard
(space to flip, 1–4 to rate: static/js/flashcards.js) and without JavaScript (a link shows
the answer, a button a rating), and the instructors' deck editor.

Nothing of a review session lives in the browser: the next card is whatever the
database says is due, so a reload, a second tab or another device carries on.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from trainer.extensions import db
from trainer.models import Flashcard, FlashcardDeck, utcnow
from trainer.readiness.decks import CardText, deck_text
from trainer.readiness.flashcards import RATINGS, interval_text
from trainer.services import flashcards
from trainer.web.access import instructor_required
from trainer.web.numbers import form_number
from trainer.web.teach.routes import teach_section

bp = Blueprint("flashcards", __name__, url_prefix="/flashcards", template_folder="templates")

teach_section("flashcards.decks", "Flashcard decks",
              "Write decks of your own, one card a line; learners review them with spaced repetition.")


def current_time():
    """The clock the views use (tests replace it to move time on)."""
    return utcnow()


@bp.get("/")
@login_required
def index():
    now = current_time()
    return render_template(
        "flashcards/index.html", statuses=flashcards.deck_statuses(current_user, now),
        reviewed=flashcards.reviews_today(current_user, now),
    )


def _deck_or_404(slug: str) -> FlashcardDeck:
    deck = flashcards.deck_by_slug(slug)
    if deck is None:
        abort(404)
    return deck


def _card_view(deck, now):
    found = flashcards.next_card(current_user, deck, now)
    if found is None:
        return None
    card, progress = found
    intervals = flashcards.rating_intervals(progress, card, now)
    return {
        "card": card,
        "new": progress is None,
        "ratings": [
            {"value": value, "name": name, "after": interval_text(intervals[value])}
            for value, name in RATINGS.items()
        ],
    }


@bp.get("/<slug>")
@login_required
def review(slug):
    now = current_time()
    deck = _deck_or_404(slug)
    view = _card_view(deck, now)
    return render_template(
        "flashcards/review.html", deck=deck, view=view, shown=request.args.get("show") == "1",
        status=flashcards.deck_status(current_user, deck, now),
        later=flashcards.later_today(current_user, deck, now) if view is None else None,
    )


@bp.post("/<slug>/review")
@login_required
def rate(slug):
    """Record one rating (the form's card and rating), then show the next card."""
    now = current_time()
    deck = _deck_or_404(slug)
    card_id = form_number("card", "The card")
    rating = form_number("rating", "The rating", 0, 9)
    card = db.session.get(Flashcard, card_id)
    if card is None or card.deck_id != deck.id or card.retired or rating not in RATINGS:
        abort(400)
    found = flashcards.next_card(current_user, deck, now)
    if found is None or found[0].id != card.id:
        # rated already in another tab, or not due: the next card is what is due now
        flash("That card was already reviewed; here is the next one.", "info")
        return redirect(url_for("flashcards.review", slug=slug))
    flashcards.record_review(current_user, card, rating, now)
    db.session.commit()
    return redirect(url_for("flashcards.review", slug=slug))


# ---- instructors' decks ----------------------------------------------------------------------------


class DeckForm(FlaskForm):
    """An instructor's deck: one card a line, `front :: back`."""

    title = StringField("Title", validators=[Length(max=200)])
    slug = StringField("Address", validators=[Length(max=80)],
                       description="Lowercase letters, digits and hyphens: /flashcards/<address>.")
    description = TextAreaField("Description", validators=[Length(max=2000)])
    blueprint = StringField("Exam areas", validators=[Length(max=400)],
                            description="Codes separated by spaces, e.g. ptce-2020:1.1 ptce-2026:1. "
                                        "A review counts towards the learner's mastery of these areas.")
    cards = TextAreaField("Cards", validators=[Length(max=200_000)],
                          description="One card a line: the front, two colons, the back. "
                                      "Lipitor :: atorvastatin. Lines starting with # are skipped.")


@bp.get("/decks")
@instructor_required
def decks():
    return render_template("flashcards/decks.html", decks=list(db.session.scalars(
        select(FlashcardDeck).order_by(FlashcardDeck.builtin.is_not(None), FlashcardDeck.title)
    )))


def _edit(deck: FlashcardDeck | None):
    form = DeckForm()
    if request.method == "GET" and deck is not None:
        form.title.data, form.slug.data, form.description.data = deck.title, deck.slug, deck.description
        form.blueprint.data = " ".join(deck.blueprint or [])
        form.cards.data = deck_text([CardText(c.key, c.front, c.back) for c in flashcards.live_cards(deck)])
    if form.validate_on_submit():
        saved, problems = flashcards.save_deck(
            slug=(form.slug.data or "").strip(), title=form.title.data or "",
            description=form.description.data or "", blueprint=(form.blueprint.data or "").split(),
            cards_text=form.cards.data or "", actor=current_user, deck=deck,
        )
        if saved is not None:
            db.session.commit()
            flash(f"Deck saved: {len(flashcards.live_cards(saved))} cards.", "success")
            return redirect(url_for("flashcards.decks"))
        for name, message in problems:
            getattr(form, name).errors = [*getattr(form, name).errors, message]
    elif request.method == "POST" and "csrf_token" in form.errors:
        abort(400)
    return render_template("flashcards/deck_form.html", form=form, deck=deck), (400 if form.errors else 200)


@bp.route("/decks/new", methods=["GET", "POST"])
@instructor_required
def new_deck():
    return _edit(None)


@bp.route("/decks/<slug>/edit", methods=["GET", "POST"])
@instructor_required
def edit_deck(slug):
    deck = db.session.scalar(select(FlashcardDeck).where(FlashcardDeck.slug == slug))
    if deck is None:
        abort(404)
    if deck.builtin:
        flash("This deck is built from the site's own data; it changes when that data does.", "info")
        return redirect(url_for("flashcards.decks"))
    return _edit(deck)
