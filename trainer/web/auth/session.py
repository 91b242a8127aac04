"""Loading the logged-in user from the session or remember cookie, checking its version."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import bindparam, select

from trainer.extensions import db
from trainer.models import User
from trainer.web.numbers import whole_number

# Built once: every logged-in request runs it, and building a select() costs more than
# running it.
USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


def load_user_from_id(identity: str) -> User | None:
    """Flask-Login's loader: `identity` is "user_id:session_version:issued" (see User.get_id).

    A login older than the remember cookie's lifetime is refused here, on the server, so a
    copied cookie stops working after 30 days whatever expiry the browser was told. An
    identity without an issue time (from before it was recorded) cannot be checked: refused.
    """
    parts = identity.split(":") if isinstance(identity, str) else []
    numbers = [whole_number(part) for part in parts]
    if len(numbers) != 3 or None in numbers:
        return None
    user_id, version, issued = numbers
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    if not 0 <= time.time() - issued <= lifetime:
        return None
    user = db.session.scalars(USER_BY_ID, {"user_id": user_id}).first()
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def is_local_path(target: str | None) -> bool:
    """True when `target` is a path on this site (the only kind of `next` we follow)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
