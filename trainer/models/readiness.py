"""Exam readiness: mastery evidence and its running sums, the learner's exam goal, the
missed-question queue, and flashcard decks with each learner's FSRS state.

Mock exams and practice sessions are attempts (trainer.models.quizzes) of their own
kinds; nothing here duplicates what an attempt records.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

EVIDENCE_SOURCES = ("quiz", "module_check", "mock_exam", "practice", "flashcard", "scenario")
DECK_STATUSES = ("published", "retired")


class MasteryEvidence(db.Model):
    """One graded answer, flashcard review or scenario, as counted towards mastery.

    The log the running sums (AreaMastery) are built from, and rebuilt from after a
    regrade. `codes` are the outline codes it is about, as its question, deck or
    scenario names them; their domains and crosswalked outlines are worked out whenever
    the sums are built, so a changed outline only needs a rebuild.
    """

    __tablename__ = "mastery_evidence"
    __table_args__ = (
        CheckConstraint(f"source IN {EVIDENCE_SOURCES}", name="source"),
        Index("ix_mastery_evidence_user_occurred", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    codes: Mapped[list] = mapped_column(JSON)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 4))  # 0..1
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 4))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempt_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempt_items.id", ondelete="SET NULL"), index=True
    )
    # what else it came from: "flashcard:12", "scenario:refill-too-soon"
    reference: Mapped[str] = mapped_column(String(120), default="")


class AreaMastery(db.Model):
    """A learner's running evidence for one outline code, decayed to `as_of` (trainer.readiness.mastery)."""

    __tablename__ = "area_mastery"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)  # "ptce-2020:4.2"
    right: Mapped[float] = mapped_column(Float, default=0.0)
    wrong: Mapped[float] = mapped_column(Float, default=0.0)
    items: Mapped[int] = mapped_column(Integer, default=0)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime())


class ExamGoal(db.Model):
    """The exam a learner prepares for: the outline version and, if known, the date."""

    __tablename__ = "exam_goals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    outline: Mapped[str] = mapped_column(String(30))
    exam_date: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class MissedQuestion(db.Model):
    """A question the learner answered wrong, coming back until answered right twice (trainer.readiness.missed)."""

    __tablename__ = "missed_questions"
    __table_args__ = (Index("ix_missed_questions_user_due", "user_id", "cleared", "due_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    right: Mapped[int] = mapped_column(Integer, default=0)
    misses: Mapped[int] = mapped_column(Integer, default=1)
    cleared: Mapped[bool] = mapped_column(Boolean, default=False)
    last_answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question = relationship("Question")


class FlashcardDeck(db.Model):
    """A deck: built by the site from its own data (`builtin` names the builder) or written by an instructor."""

    __tablename__ = "flashcard_decks"
    __table_args__ = (CheckConstraint(f"status IN {DECK_STATUSES}", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # where the cards come from, for the learner (a public source, never a path)
    source: Mapped[str] = mapped_column(String(400), default="")
    builtin: Mapped[str | None] = mapped_column(String(40))
    blueprint: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="published")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    cards: Mapped[list[Flashcard]] = relationship(
        back_populates="deck", cascade="all, delete-orphan", order_by="Flashcard.position"
    )


class Flashcard(db.Model):
    """One card; `key` is stable when the wording changes, so schedules survive a rebuild."""

    __tablename__ = "flashcards"
    __table_args__ = (UniqueConstraint("deck_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("flashcard_decks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # a card its source no longer has: kept for the learners' history, never shown
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    deck: Mapped[FlashcardDeck] = relationship(back_populates="cards")


class FlashcardProgress(db.Model):
    """A learner's FSRS memory state for one card (the fsrs package's Card, as its dict)."""

    __tablename__ = "flashcard_progress"
    __table_args__ = (Index("ix_flashcard_progress_user_deck_due", "user_id", "deck_id", "due_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("flashcards.id", ondelete="CASCADE"), primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("flashcard_decks.id", ondelete="CASCADE"))
    state: Mapped[dict] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    introduced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FlashcardReview(db.Model):
    """One review as it happened: the rating given and when (the FSRS review log)."""

    __tablename__ = "flashcard_reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),
        Index("ix_flashcard_reviews_user_reviewed", "user_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("flashcards.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
