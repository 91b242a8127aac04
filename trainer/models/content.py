"""Courses and modules as the site serves them, their revisions, and each learner's progress.

Module HTML is rendered and sanitised when the module is saved or imported and stored
here; no request renders markdown.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

COURSE_STATUSES = ("draft", "published")
AUDIENCES = ("students", "technicians", "both")
ACTIVITY_TYPES = ("knowledge", "application")


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint(f"status IN {COURSE_STATUSES}", name="status"),
        CheckConstraint(f"audience IN {AUDIENCES}", name="audience"),
        CheckConstraint(f"activity_type IN {ACTIVITY_TYPES}", name="activity_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(String(20), default="both")
    ce_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))
    ce_topic: Mapped[str] = mapped_column(String(2), default="04")  # ACPE topic designator 01–08
    activity_type: Mapped[str] = mapped_column(String(20), default="knowledge")
    uan: Mapped[str | None] = mapped_column(String(40))
    post_test_quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="SET NULL"))
    pass_mark: Mapped[int] = mapped_column(Integer, default=80)
    # A post-test that awards CE allows this many attempts, this many hours apart
    # (trainer.ce.post_test), so a pass cannot come from retrying until the answers are known.
    post_test_attempts: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    post_test_wait_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)  # course slugs
    references: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Bumped whenever the course or one of its modules changes; a CE completion keeps
    # the version it was earned on.
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(200), default="")
    # Who may change it besides an admin and its co-authors (trainer.models.ownership).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Module.position"
    )
    post_test = relationship("Quiz")
    owner = relationship("User", foreign_keys=[owner_id])
    co_authors = relationship("User", secondary="course_co_authors", order_by="User.email")


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    minutes: Mapped[int] = mapped_column(Integer, default=10)
    references: Mapped[list] = mapped_column(JSON, default=list)
    markdown: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list] = mapped_column(JSON, default=list)  # [[level, anchor, title], ...]
    checks: Mapped[list] = mapped_column(JSON, default=list)  # question uids, in page order
    plain_text: Mapped[str] = mapped_column(Text, default="")  # for full-text search
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Who put this version in front of learners by publishing a draft (None: saved
    # directly, as in a course that is itself a draft, or imported from files).
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    course: Mapped[Course] = relationship(back_populates="modules")
    revisions: Mapped[list[ModuleRevision]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="ModuleRevision.version"
    )
    draft: Mapped[ModuleDraft | None] = relationship(
        back_populates="module", cascade="all, delete-orphan", uselist=False
    )


class ModuleRevision(db.Model):
    """A previous text of a module, kept whenever the module changes."""

    __tablename__ = "module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # The front matter (objectives, minutes, references) and the markdown, as they were.
    front_matter: Mapped[dict] = mapped_column(JSON, default=dict)
    markdown: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(40), default="edit")  # import | edit | restore | publish
    # Who had published this text, and when (copied from the module when it was replaced).
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    module: Mapped[Module] = relationship(back_populates="revisions")


class ModuleDraft(db.Model):
    """The next text of a module of a published course, which learners do not see until it is published.

    Rendered and sanitised when saved, like the module itself, so its preview renders nothing.
    """

    __tablename__ = "module_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), unique=True)
    # The module version the draft was written against: publishing over a newer one would
    # silently undo someone else's change.
    base_version: Mapped[int] = mapped_column(Integer)
    # Counts the saves, so an editor opened on an older save of the draft is noticed.
    saves: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    minutes: Mapped[int] = mapped_column(Integer, default=10)
    references: Mapped[list] = mapped_column(JSON, default=list)
    markdown: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    toc: Mapped[list] = mapped_column(JSON, default=list)
    checks: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    module: Mapped[Module] = relationship(back_populates="draft")


class ModuleProgress(db.Model):
    """Where a learner is in a module, and whether it is complete."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_anchor: Mapped[str] = mapped_column(String(120), default="")  # heading to resume at
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
