"""Continuing-education credit. Append-only: a correction is a new row that points at the old one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

CE_SOURCES = ("course", "external")


class CECredit(db.Model):
    """CE earned, frozen as awarded: later edits to the course never change it."""

    __tablename__ = "ce_credits"
    __table_args__ = (
        CheckConstraint(f"source IN {CE_SOURCES}", name="source"),
        CheckConstraint("hours >= 0", name="hours"),
        Index("ix_ce_credits_user_course", "user_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20), default="course")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    course_version: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="RxTrainer")
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    topic: Mapped[str] = mapped_column(String(2))  # ACPE topic designator 01–08
    activity_type: Mapped[str] = mapped_column(String(20), default="knowledge")
    uan: Mapped[str | None] = mapped_column(String(40))
    completed_on: Mapped[datetime] = mapped_column(UTCDateTime())
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("ce_credits.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
