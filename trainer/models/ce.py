"""Continuing education: the credentials a technician holds, the CE record, evidence
files, certificates with their public verification codes, calendar feeds and sharing.

The CE record (`ce_credits`) is append-only. A row is never updated or deleted by the
application: a correction is a new row whose `corrects_id` names the row it replaces
(a withdrawal is a correction with `withdrawn` set), and every change is also written to
the audit trail. The current record is the rows no other row corrects.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.sql.expression import false

from trainer.ce import KINDS, UanError, parse_uan
from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

CE_SOURCES = ("course", "external", "import")
CE_KINDS = KINDS
# Verification codes: 16 characters from Crockford's base32 alphabet (no I, L, O, U),
# 80 random bits, shown as four groups of four.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class AppendOnly(Exception):
    """Raised when code tries to change or delete a CE record instead of correcting it."""


def new_verification_code() -> str:
    """A fresh certificate code such as 7Q4M-XK2P-9TBW-R3HD (80 random bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _uan_part(name: str):
    def default(context):
        uan = context.get_current_parameters().get("uan")
        try:
            return getattr(parse_uan(uan), name) if uan else None
        except UanError:
            return None

    return default


def _kind_default(context) -> str:
    # A course completed here is ACPE credit only when the course carries a UAN.
    return "acpe" if context.get_current_parameters().get("uan") else "other"


class CECredit(db.Model):
    """One entry in a technician's CE record, frozen as recorded.

    Course completions are written by the course service with the course's hours,
    topic, UAN and version at that moment; external activities and imports by the CE
    service. `kind` is acpe | college | in_service | other.
    """

    __tablename__ = "ce_credits"
    __table_args__ = (
        CheckConstraint(f"source IN {CE_SOURCES}", name="source"),
        CheckConstraint(f"kind IN {CE_KINDS}", name="kind"),
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
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("ce_credits.id", ondelete="RESTRICT"), index=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default=_kind_default, server_default="other")
    audience: Mapped[str | None] = mapped_column(String(1), default=_uan_part("audience"))
    format: Mapped[str | None] = mapped_column(String(1), default=_uan_part("format"))
    tags: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("ce_evidence.id", ondelete="RESTRICT"))
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())

    evidence: Mapped[CEEvidence | None] = relationship(lazy="raise_on_sql")

    @property
    def completed_date(self) -> date:
        """The calendar date of completion (UTC)."""
        return self.completed_on.date()


class CECredential(db.Model):
    """A credential a technician holds: which rule set governs it, its number and dates."""

    __tablename__ = "ce_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rule_set: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CEEvidence(db.Model):
    """An uploaded certificate file. The bytes live in the instance folder under a random name."""

    __tablename__ = "ce_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    mimetype: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CECertificate(db.Model):
    """The certificate of a course completed here, with its public verification code."""

    __tablename__ = "ce_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_id: Mapped[int] = mapped_column(ForeignKey("ce_credits.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(24), unique=True, default=new_verification_code)
    learner_name: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(String(200), default="")

    credit: Mapped[CECredit] = relationship()


class CECalendarFeed(db.Model):
    """A private calendar feed address; only a hash of its token is stored."""

    __tablename__ = "ce_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CESharing(db.Model):
    """Whether a learner lets instructors see their CE progress in the compliance report."""

    __tablename__ = "ce_sharing"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    with_instructors: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


@event.listens_for(CECredit, "before_update")
def _refuse_update(mapper, connection, target):
    raise AppendOnly("CE records are append-only: record a correction instead of changing a row.")


@event.listens_for(CECredit, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AppendOnly("CE records are append-only: record a withdrawal instead of deleting a row.")


@event.listens_for(Session, "before_flush")
def _certificate_for_each_completion(session, flush_context, instances):
    """Every course completion gets its certificate in the same flush, so no page has to
    create one on a GET and a completion recorded anywhere (page, quiz, CLI) has one."""
    from trainer.models.users import User

    for obj in list(session.new):
        if isinstance(obj, CECredit) and obj.source == "course" and not obj.withdrawn:
            with session.no_autoflush:
                user = session.get(User, obj.user_id)
            session.add(CECertificate(credit=obj, user_id=obj.user_id, learner_name=user.name if user else ""))
