"""A question file between its preview and its import.

The import page shows every question before anything is saved. The uploaded bytes
wait here (not in the browser, not on one server's disk) until the instructor confirms,
and are read and checked again then; a row older than a day is removed by the next upload.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow


class PendingImport(db.Model):
    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the random token the preview page carries; with the user it finds the upload
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(100))
    format: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    defaults: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
