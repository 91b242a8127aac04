"""Quizzes, their items (fixed questions and random draws), and attempts with their answers.

An attempt is the general record of a learner answering questions: a quiz attempt,
a module's knowledge check, and later a prescription scenario or a mock exam all
use it. What was awarded is stored on the attempt and its items, never recomputed
from the current questions.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

QUIZ_STATUSES = ("draft", "published", "retired")
FEEDBACK_MODES = ("immediate", "deferred")
SHOW_ANSWERS = ("immediately", "after_submit", "after_close", "never")
# mock_exam and practice: blueprint-weighted mock exams and adaptive practice (readiness)
ATTEMPT_KINDS = ("quiz", "module_check", "mock_exam", "practice")
ATTEMPT_STATUSES = ("in_progress", "submitted", "expired")


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (
        CheckConstraint(f"status IN {QUIZ_STATUSES}", name="status"),
        CheckConstraint(f"feedback_mode IN {FEEDBACK_MODES}", name="feedback_mode"),
        CheckConstraint(f"show_answers IN {SHOW_ANSWERS}", name="show_answers"),
        CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="published")
    pass_mark: Mapped[int] = mapped_column(Integer, default=80)  # percent
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=0)  # 0 = unlimited
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    shuffle_choices: Mapped[bool] = mapped_column(Boolean, default=True)
    feedback_mode: Mapped[str] = mapped_column(String(20), default="deferred")
    show_answers: Mapped[str] = mapped_column(String(20), default="after_submit")
    available_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    available_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who may change it besides an admin and its co-authors (trainer.models.ownership).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    items: Mapped[list[QuizItem]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="QuizItem.position"
    )
    owner = relationship("User", foreign_keys=[owner_id])
    co_authors = relationship("User", secondary="quiz_co_authors", order_by="User.email")

    def settings(self) -> dict:
        """The settings an attempt freezes when it starts."""
        return {
            "pass_mark": self.pass_mark,
            "time_limit_minutes": self.time_limit_minutes,
            "shuffle_questions": self.shuffle_questions,
            "shuffle_choices": self.shuffle_choices,
            "feedback_mode": self.feedback_mode,
            "show_answers": self.show_answers,
            "available_until": self.available_until.isoformat() if self.available_until else None,
        }


class QuizItem(db.Model):
    """One line of a quiz: a fixed question, or `draw_count` questions drawn per attempt."""

    __tablename__ = "quiz_items"
    __table_args__ = (
        CheckConstraint("(question_id IS NOT NULL) OR (draw_count > 0)", name="question_or_draw"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"))
    draw_count: Mapped[int] = mapped_column(Integer, default=0)
    # {"tags": [...], "blueprint": "ptce-2020:4.2", "difficulty": "medium", "type": "calculated"}
    draw_filter: Mapped[dict] = mapped_column(JSON, default=dict)

    quiz: Mapped[Quiz] = relationship(back_populates="items")
    question = relationship("Question")


class QuizAccommodation(db.Model):
    """Extra time an instructor grants one learner on one quiz (WCAG 2.2.1 timing adjustable)."""

    __tablename__ = "quiz_accommodations"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint(f"kind IN {ATTEMPT_KINDS}", name="kind"),
        CheckConstraint(f"status IN {ATTEMPT_STATUSES}", name="status"),
        Index("ix_attempts_user_quiz", "user_id", "quiz_id"),
        Index("ix_attempts_user_module", "user_id", "module_id"),
        # item analysis reads a quiz's closed attempts whoever took them
        Index("ix_attempts_quiz_status", "quiz_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="quiz")
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="RESTRICT"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="in_progress", index=True)
    # Every random choice of the attempt (draws, order, numbers) derives from this seed.
    seed: Mapped[int] = mapped_column(Integer)
    # The quiz settings as they were at the start (see Quiz.settings).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Start + time limit + any extra time granted; null when untimed.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_position: Mapped[int] = mapped_column(Integer, default=0)
    # When the learner arrived at `last_position`: the time until they move on is that
    # item's (AttemptItem.seconds_on_item). Null while they are on the review screen.
    position_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))  # points earned
    max_score: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    passed: Mapped[bool | None] = mapped_column(Boolean)

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptItem.position"
    )
    quiz = relationship("Quiz")
    user = relationship("User")

    @property
    def title(self) -> str:
        """What the attempt is called on its pages: the quiz's title, or the one it was started with."""
        if self.quiz is not None:
            return self.quiz.title
        return (self.settings or {}).get("title") or "Practice"


class AttemptItem(db.Model):
    """One question as it was shown in an attempt, the learner's answer, and its grade."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="RESTRICT"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id", ondelete="RESTRICT"))
    # The generated instance (trainer.questions.generate_question), including the key:
    # never sent to the browser before the item is graded.
    instance: Mapped[dict] = mapped_column(JSON)
    # Stem and explanation rendered and sanitised once, when the attempt is built.
    stem_html: Mapped[str] = mapped_column(Text, default="")
    explanation_html: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[dict | list | str | None] = mapped_column(JSON)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    # False for a mock exam's unscored (pretest) items: graded and shown, never in the score
    scored: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    score: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))  # 0..1
    correct: Mapped[bool | None] = mapped_column(Boolean)
    feedback: Mapped[list | None] = mapped_column(JSON)
    grade_flags: Mapped[list | None] = mapped_column(JSON)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An item an instructor grades by hand (an essay): who gave the score, and their comment.
    graded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    grader_comment: Mapped[str | None] = mapped_column(Text)
    # For item analysis, recorded as the attempt goes: seconds the item was the learner's
    # current question (null when not measured: knowledge checks, older attempts), and
    # the choices the graded answer picked by their place in the question file.
    seconds_on_item: Mapped[int | None] = mapped_column(Integer)
    chosen: Mapped[list | None] = mapped_column(JSON)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question = relationship("Question")
    question_version = relationship("QuestionVersion")


class Regrade(db.Model):
    """A logged regrade of stored responses after a key was fixed."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    to_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id", ondelete="RESTRICT"))
    performed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # [{"attempt_item_id", "attempt_id", "user_id", "old_score", "new_score"}, ...]
    changes: Mapped[list] = mapped_column(JSON, default=list)
