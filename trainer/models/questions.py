"""The question bank in the database: questions, their versions, tags and blueprint areas.

A question's content lives in versions. Editing makes a new version, and an attempt
records the version it used, so a later edit never changes what a learner was shown
or how they were graded (regrading is an explicit, logged action).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

QUESTION_STATUSES = ("draft", "published", "retired")
DIFFICULTIES = ("easy", "medium", "hard")


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(f"status IN {QUESTION_STATUSES}", name="status"),
        CheckConstraint(f"difficulty IN {DIFFICULTIES}", name="difficulty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The bank's own identifier (`id:` in the YAML files), stable across edits.
    uid: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    type: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(20), default="published", index=True)
    difficulty: Mapped[str] = mapped_column(String(10), default="medium", index=True)
    # Searchable copy of the current stem (plain text) for the instructor's bank search.
    title: Mapped[str] = mapped_column(String(300), default="")
    # An imported question without general feedback is kept as a draft until someone writes
    # one: the bank page filters on this, and publishing refuses while it is set.
    needs_explanation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    # Where the current version came from: "question_bank/calc-iv.yaml", "browser", "gift:upload.gift".
    source: Mapped[str] = mapped_column(String(200), default="")
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, name="fk_questions_current_version")
    )
    # Who may change it besides an admin and its co-authors (trainer.models.ownership).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", foreign_keys="QuestionVersion.question_id",
        order_by="QuestionVersion.number",
    )
    tags: Mapped[list[QuestionTag]] = relationship(cascade="all, delete-orphan")
    areas: Mapped[list[QuestionArea]] = relationship(cascade="all, delete-orphan")
    owner = relationship("User", foreign_keys=[owner_id])
    co_authors = relationship("User", secondary="question_co_authors", order_by="User.email")

    @property
    def data(self) -> dict:
        """The current version's question, in the bank file format."""
        return self.current_version.data if self.current_version else {}


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # The whole question in the bank file format (id, type, stem, explanation, tags,
    # difficulty, blueprint, references and the type's own fields).
    data: Mapped[dict] = mapped_column(JSON)
    # sha256 of the canonical JSON of `data`: an import that changes nothing adds no version.
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(200), default="")
    # The stem and explanation as written, rendered and sanitised once when the version is
    # saved: an attempt item whose text is the same (no numbers filled in) takes them
    # instead of rendering markdown while a learner waits. Null on versions saved before.
    stem_html: Mapped[str | None] = mapped_column(Text)
    explanation_html: Mapped[str | None] = mapped_column(Text)

    question: Mapped[Question] = relationship(back_populates="versions", foreign_keys=[question_id])


class QuestionTag(db.Model):
    __tablename__ = "question_tags"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(60), primary_key=True, index=True)


class QuestionArea(db.Model):
    """A blueprint area a question belongs to, e.g. outline "ptce-2020", area "4.2", domain "4"."""

    __tablename__ = "question_areas"
    __table_args__ = (Index("ix_question_areas_outline_area", "outline", "area"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)  # "ptce-2020:4.2"
    outline: Mapped[str] = mapped_column(String(30))  # "ptce-2020"
    area: Mapped[str] = mapped_column(String(10))  # "4.2" (or "4" for a domain-level tag)
    domain: Mapped[str] = mapped_column(String(10), index=True)  # "4"
