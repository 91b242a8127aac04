"""Cohorts (a class: its instructors, learners, join code and invitations), assignments and extensions.

An assignment points at what is assigned by a kind and an id (`quiz` 12, `course` 3,
`module` 40), not by a foreign key per kind, so a new kind of work (a scenario, a mock
exam) is a new entry in trainer.services.assignments.ASSIGNMENT_KINDS, with no change
to the schema.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

LATE_POLICIES = ("accept", "penalty", "refuse")
JOINED_VIA = ("code", "class_list", "invitation")


class Cohort(db.Model):
    """A class of learners taught by one or more instructors."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    term: Mapped[str] = mapped_column(String(60), default="")
    # The last day of the class: after it the join code no longer works.
    ends_on: Mapped[date | None] = mapped_column(Date)
    # Random, unguessable (trainer.teaching.join_codes); a new one replaces it when regenerated.
    join_code: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    instructors: Mapped[list[CohortInstructor]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )


class CohortInstructor(db.Model):
    """An instructor who teaches a cohort: sees its learners, gradebook and analysis."""

    __tablename__ = "cohort_instructors"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="instructors")
    user = relationship("User")


class CohortMember(db.Model):
    """A learner in a cohort. Removing a learner keeps the row (removed_at), so a code they
    still hold does not bring them back; an instructor can add them again."""

    __tablename__ = "cohort_members"
    __table_args__ = (
        UniqueConstraint("cohort_id", "user_id"),
        CheckConstraint(f"joined_via IN {JOINED_VIA}", name="joined_via"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    joined_via: Mapped[str] = mapped_column(String(20), default="code")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User")


class CohortInvitation(db.Model):
    """An email from a class list with no account yet: the link made for it registers the
    person and joins the cohort, once."""

    __tablename__ = "cohort_invitations"
    __table_args__ = (UniqueConstraint("cohort_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Assignment(db.Model):
    """Work set for a cohort: what (kind + id), when it opens, when it is due, how late work counts."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("cohort_id", "kind", "target_id"),
        CheckConstraint(f"late_policy IN {LATE_POLICIES}", name="late_policy"),
        CheckConstraint("late_penalty_per_day BETWEEN 0 AND 100", name="late_penalty_per_day"),
        CheckConstraint("weight >= 0", name="weight"),
        Index("ix_assignments_cohort_due", "cohort_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    # No check constraint on kind: a new kind registers in the service, no migration needed.
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    late_policy: Mapped[str] = mapped_column(String(10), default="accept")
    late_penalty_per_day: Mapped[int] = mapped_column(Integer, default=0)  # percentage points
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("1"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship()


class AssignmentExtension(db.Model):
    """A later due date for one learner on one assignment."""

    __tablename__ = "assignment_extensions"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(200), default="")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
