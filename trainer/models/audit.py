"""The audit trail: who did what to whom, kept for every change that matters later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Null for the system itself (CLI, scheduled work).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    @classmethod
    def record(cls, action: str, subject: str = "", actor=None, **details) -> AuditEvent:
        """Add an audit event to the current session (committed with the request)."""
        event = cls(
            action=action,
            subject=subject,
            actor_id=getattr(actor, "id", actor),
            details=details,
        )
        db.session.add(event)
        return event
