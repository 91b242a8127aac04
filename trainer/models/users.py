"""Accounts: who can sign in, with which role, and what kind of learner they are."""

from __future__ import annotations

import time
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trainer.extensions import db
from trainer.models.base import UTCDateTime, utcnow

ROLES = ("learner", "instructor", "admin")
LEARNER_TYPES = ("student", "technician")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint(f"learner_type IN {LEARNER_TYPES}", name="learner_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="learner")
    learner_type: Mapped[str] = mapped_column(String(20), default="student")
    # Bumped on logout and password change; part of the session and remember-cookie
    # identity, so every older cookie stops working at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def get_id(self) -> str:
        """Flask-Login's identity, "id:session_version:issued", kept in the session and the remember cookie.

        `issued` (Unix seconds, when the user logged in) lets the server refuse a remember cookie
        older than its lifetime; the cookie's own expiry is only the browser's promise.
        """
        return f"{self.id}:{self.session_version}:{int(time.time())}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_instructor(self) -> bool:
        return self.role in ("instructor", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
